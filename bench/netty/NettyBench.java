// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * NettyBench - the Netty 4.1.48 half of `make bench`'s Netty comparison:
 * PooledByteBufAllocator.DEFAULT, as an application gets it (its thread
 * caches, default leak detection), in the shapes bench-bufpool's "netty"
 * workload runs in C with the same operation counts:
 *
 *   pingpong-SIZE      directBuffer(SIZE), release(), one at a time
 *   burstN-SIZE        N directBuffer(SIZE), then their release() in
 *                      reverse order (LIFO), N = 1, 100, 10000
 *   bufloop-256        directBuffer(256), writeInt, readInt, release
 *
 * for SIZE = 64 B, 1 KiB, 8 KiB and 32 KiB (one size class each of Netty's
 * tiny, small and normal sizes; 32 KiB is the largest its thread cache
 * keeps).  A first pass over every row lets the JIT compile the loops with
 * all the sizes in their profiles; then each row has WARMUP untimed runs
 * and REPS timed ones, and prints the median, min and max ns per op as
 * CSV: netty,netty,ROW,OPS,n/a,n/a,n/a,MEDIAN,MIN,MAX.
 *
 * It all runs in a FastThreadLocalThread, the kind of thread Netty's
 * event loops are, where the allocator finds its thread cache through an
 * indexed slot instead of a ThreadLocal map lookup: Netty as its users run
 * it, at its best.
 *
 * Usage: java -cp netty-buffer.jar:netty-common.jar:. NettyBench [REPS [WARMUP]]
 */
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.Version;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.PlatformDependent;
import java.util.Arrays;
import java.util.Map;

public final class NettyBench {
	private static final PooledByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
	private static final long OPS = 200000;
	private static final int[] SIZES = { 64, 1024, 8192, 32768 };
	private static final int[] BURSTS = { 1, 100, 10000 };

	/*
	 * A plain static field, as the C side's "volatile" sink is a plain
	 * store: a Java volatile store would add a fence to every operation.
	 * Allocation and release change the pool, so neither can be dropped.
	 */
	static Object sink;
	static long acc;

	private static final ByteBuf[] slots = new ByteBuf[10000];

	static long pingpong(int size, long ops) {
		for (long i = 0; i < ops; i++) {
			ByteBuf b = ALLOC.directBuffer(size);

			sink = b;
			b.release();
		}
		return ops;
	}

	static long burst(int size, int n, long ops) {
		long done = 0;

		while (done < ops) {
			for (int i = 0; i < n; i++)
				slots[i] = ALLOC.directBuffer(size);
			sink = slots[n - 1];
			for (int i = n; i-- > 0;) {
				slots[i].release();
				slots[i] = null;
			}
			done += n;
		}
		return done;
	}

	static long bufloop(long ops) {
		long a = 0;

		for (long i = 0; i < ops; i++) {
			ByteBuf b = ALLOC.directBuffer(256);

			b.writeInt((int) i);
			a += b.readInt();
			b.release();
		}
		acc += a;
		return ops;
	}

	interface Row {
		long run();
	}

	static void measure(String name, Row row, int reps, int warmup) {
		double[] ns = new double[reps];
		long ops = 0;

		for (int w = 0; w < warmup; w++)
			row.run();
		for (int r = 0; r < reps; r++) {
			long t0 = System.nanoTime();

			ops = row.run();
			ns[r] = (double) (System.nanoTime() - t0) / ops;
		}
		Arrays.sort(ns);
		System.out.printf("netty,netty,%s,%d,n/a,n/a,n/a,%.1f,%.1f,%.1f%n",
				  name, ops, ns[reps / 2], ns[0], ns[reps - 1]);
		System.out.flush();
	}

	public static void main(String[] args) throws InterruptedException {
		int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
		int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
		Thread t = new FastThreadLocalThread(() -> bench(reps, warmup), "nettybench");

		t.start();
		t.join();
	}

	static void bench(int reps, int warmup) {

		/* What was measured, for the report. */
		Map<String, Version> v = Version.identify();
		Version buf = v.get("netty-buffer");
		System.err.printf("netty: netty-buffer %s, java %s (%s), hasUnsafe %b, directBufferPreferred %b, "
				  + "leak detection %s, direct arenas %d, tiny/small/normal cache %d/%d/%d, "
				  + "chunk %d B, useCacheForAllThreads %b%n",
				  buf == null ? "unknown" : buf.artifactVersion(),
				  System.getProperty("java.version"), System.getProperty("java.vm.name"),
				  PlatformDependent.hasUnsafe(), PlatformDependent.directBufferPreferred(),
				  ResourceLeakDetector.getLevel(), PooledByteBufAllocator.defaultNumDirectArena(),
				  PooledByteBufAllocator.defaultTinyCacheSize(),
				  PooledByteBufAllocator.defaultSmallCacheSize(),
				  PooledByteBufAllocator.defaultNormalCacheSize(),
				  PooledByteBufAllocator.defaultPageSize() << PooledByteBufAllocator.defaultMaxOrder(),
				  PooledByteBufAllocator.defaultUseCacheForAllThreads());

		/*
		 * JIT warm-up over every row, three times (C2 compiles in the
		 * background), so that no row is compiled for one size only.
		 */
		for (int pass = 0; pass < 3; pass++) {
			for (int s : SIZES) {
				pingpong(s, OPS);
				for (int n : BURSTS)
					burst(s, n, OPS);
			}
			bufloop(OPS);
		}

		for (int s : SIZES) {
			final int size = s;

			measure("pingpong-" + s, () -> pingpong(size, OPS), reps, warmup);
			for (int n : BURSTS) {
				final int cnt = n;

				measure("burst" + n + "-" + s, () -> burst(size, cnt, OPS), reps, warmup);
			}
		}
		measure("bufloop-256", () -> bufloop(OPS), reps, warmup);
		if (acc == 42)
			System.err.println();	/* keeps acc live */
	}
}
