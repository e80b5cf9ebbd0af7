// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * NettyGrowth.java - prints the growth_cases[] table of buf_kunit.c from
 * the real Netty: for each scenario a pooled heap buffer of (initial, max)
 * from a PooledByteBufAllocator with the KUnit pool's geometry (page 4096,
 * max order 10: 4 MiB chunks, so above 4 MiB a buffer is huge), then per
 * step ensureWritable(n) and writerIndex += n, and what Netty reports:
 * capacity(), whether the memory moved (array()/arrayOffset() changed),
 * whether ensureWritable() refused (IndexOutOfBoundsException), and
 * maxFastWritableBytes() after the step.  With dup, the steps go through
 * a duplicate() made when the buffer is new.  Then calculateNewCapacity()
 * for the (min, max) pairs of buf_growth_rule().
 *
 * Run with Debian 12's libnetty-java (4.1.48):
 *
 *   javac -cp /usr/share/java/netty-buffer.jar -d /tmp NettyGrowth.java
 *   java -cp /tmp:/usr/share/java/netty-buffer.jar:/usr/share/java/netty-common.jar \
 *        NettyGrowth
 */
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

public final class NettyGrowth {
	private static final int K = 1 << 10;
	private static final int M = 1 << 20;

	private static final class Scenario {
		final String name;
		final int initial, max;
		final boolean dup;
		final int[] steps;

		Scenario(String name, int initial, int max, boolean dup, int... steps)
		{
			this.name = name;
			this.initial = initial;
			this.max = max;
			this.dup = dup;
			this.steps = steps;
		}
	}

	private static final Scenario[] SCENARIOS = {
		/* 100 bytes in a 112-byte tiny element, then past it. */
		new Scenario("100 in 112", 100, K, false, 100, 1, 11, 1, 15, 1),
		/* The same through a duplicate: no in-place rule there. */
		new Scenario("100 in 112, duplicate", 100, K, true, 100, 1, 27, 1),
		new Scenario("tiny 10 in 16", 10, K, false, 10, 6, 1, 48, 1),
		new Scenario("small 600 in 1024", 600, 64 * K, false, 600, 1, 423, 1),
		new Scenario("normal 5000 in 8192", 5000, 64 * K, false, 5000, 1, 3191, 1),
		/* Initial 0: no element to grow in. */
		new Scenario("from 0", 0, 5000, false, 1, 63, 1, 63, 1, 3967, 1, 903, 1),
		new Scenario("from 0, max 10", 0, 10, false, 1, 9, 1),
		/* 4 MiB threshold: doubling up to it, 4 MiB steps above. */
		new Scenario("threshold", 3 * M, 64 * M, false,
			     3 * M, 1, M - 1, 1, 4 * M - 1, 1, 4 * M - 1, 1),
		new Scenario("exactly 4 MiB", 0, 64 * M, false, 4 * M, 1),
		/* Huge (above the chunk): no room beyond the capacity. */
		new Scenario("huge 5 MiB + 100", 5 * M + 100, 64 * M, false, 5 * M + 100, 1),
		new Scenario("huge, max 5 MiB + 200", 5 * M + 100, 5 * M + 200, false,
			     5 * M + 100, 1, 99, 1),
		/* Max capacity: capped growth, refusal beyond. */
		new Scenario("max 100", 16, 100, false, 60, 41, 40, 1),
		new Scenario("max 105 in 112", 100, 105, false, 100, 1, 4, 1),
		new Scenario("max 10 MiB", 0, 10 * M, false, 9 * M, M, 1),
	};

	private static final int[][] CALC = {
		{ 0, 1 << 30 }, { 1, 1 << 30 }, { 64, 1 << 30 }, { 65, 1 << 30 },
		{ 1000, 1 << 30 }, { 1000, 700 }, { 4 * M - 1, 1 << 30 }, { 4 * M, 1 << 30 },
		{ 4 * M + 1, 1 << 30 }, { 8 * M, 1 << 30 }, { 8 * M + 5, 1 << 30 },
		{ 8 * M + 5, 10 * M }, { 700, 700 }, { 9 * M, 10 * M },
	};

	/* Sizes near a multiple of 1 MiB as (n << 20) + r, as in buf_kunit.c. */
	private static String size(long v)
	{
		long q = (v + M / 2) / M, r = v - q * M;

		if (q == 0 || Math.abs(r) >= 4096)
			return Long.toString(v);
		if (r == 0)
			return "(" + q + "UL << 20)";
		return "(" + q + "UL << 20) " + (r > 0 ? "+ " : "- ") + Math.abs(r);
	}

	public static void main(String[] args)
	{
		/* preferDirect, heap arenas, direct arenas, page size, max order */
		PooledByteBufAllocator alloc = new PooledByteBufAllocator(false, 1, 0, 4096, 10);

		for (Scenario s : SCENARIOS) {
			ByteBuf root = alloc.heapBuffer(s.initial, s.max);
			ByteBuf b = s.dup ? root.duplicate() : root;

			System.out.printf("\t{ \"%s\", %s, %s, %s, {%n", s.name, size(s.initial),
					  size(s.max), s.dup ? "true" : "false");
			for (int n : s.steps) {
				byte[] before = root.array();
				int offset = root.arrayOffset();
				boolean refused = false;

				try {
					b.ensureWritable(n);
					b.writerIndex(b.writerIndex() + n);
				} catch (IndexOutOfBoundsException e) {
					refused = true;
				}
				boolean moved = root.array() != before || root.arrayOffset() != offset;

				System.out.printf("\t\t{ %s, %s, %s, %s, %s },%n", size(n),
						  size(b.capacity()), moved ? "true" : "false",
						  refused ? "true" : "false",
						  size(b.maxFastWritableBytes()));
			}
			System.out.printf("\t} },%n");
			root.release();
		}
		for (int[] c : CALC) {
			String r;

			try {
				r = size(alloc.calculateNewCapacity(c[0], c[1]));
			} catch (IllegalArgumentException e) {
				r = "IllegalArgumentException";
			}
			System.out.printf("\t\t{ %s, %s, %s },%n", size(c[0]), size(c[1]), r);
		}
	}
}
