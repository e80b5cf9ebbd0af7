// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Replay.java - replay an allocation trace (user/tests/netty_trace_gen.c)
 * through the real io.netty.buffer.PooledByteBufAllocator and print where
 * each allocation landed, in the format of user/tests/netty_replay.c, which
 * does the same with libbufpool.  scripts/netty-diff compares the two.
 *
 *   java -cp build/netty:netty-buffer.jar:netty-common.jar Replay TRACE
 *   java ... Replay --version       the netty-buffer version on the classpath
 *
 * Output, one line per operation:
 *   "a ID c<ORD> <OFFSET>"   ORD numbers the chunk, OFFSET is the byte offset
 *                            of the allocation in it
 *   "a ID huge"              an unpooled allocation (larger than a chunk)
 *   "f ID <CHUNKS>"          live chunks after the free
 * A chunk gets the next ordinal the first time an allocation lands in it and
 * loses it when it is released, i.e. when a free of one of its buffers
 * lowers the number of chunks on the arena's usage lists.
 *
 * The allocator: one heap arena and no direct one, 8 KiB pages, maxOrder 11
 * (16 MiB chunks), tiny/small/normal cache sizes 0 and caches only for
 * FastThreadLocalThreads (this is a plain thread), so every allocation and
 * every free goes to the arena.  Leak detection is off so that the buffers
 * handed out are the PooledByteBufs themselves, whose fields "chunk" and
 * "offset" say where they are (read by reflection; "offset" is the chunk's
 * own offset, 0 for a heap chunk, plus the run's and the element's).
 */
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PoolChunkListMetric;
import io.netty.buffer.PoolChunkMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.Version;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

public final class Replay {
	static final int PAGE_SIZE = 8192;
	static final int MAX_ORDER = 11;
	static final int CHUNK_SIZE = PAGE_SIZE << MAX_ORDER;

	static void die(String why) {
		System.err.println("Replay: " + why);
		System.exit(1);
	}

	/* Chunks on the arena's six usage lists (huge ones are on none). */
	static int liveChunks(PoolArenaMetric arena) {
		int n = 0;

		for (PoolChunkListMetric list : arena.chunkLists())
			for (PoolChunkMetric c : list)
				n++;
		return n;
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 1 && args[0].equals("--version")) {
			Version v = Version.identify().get("netty-buffer");
			System.out.println(v == null ? "unknown" : v.artifactVersion());
			return;
		}
		if (args.length != 1)
			die("usage: Replay TRACE | --version");

		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
		PooledByteBufAllocator alloc = new PooledByteBufAllocator(false,
			1, 0, PAGE_SIZE, MAX_ORDER, 0, 0, 0, false);
		if (alloc.metric().chunkSize() != CHUNK_SIZE || alloc.metric().numHeapArenas() != 1)
			die("the allocator does not have the configured geometry");
		PoolArenaMetric arena = alloc.metric().heapArenas().get(0);

		Class<?> pooled = Class.forName("io.netty.buffer.PooledByteBuf");
		Field chunkField = pooled.getDeclaredField("chunk");
		Field offsetField = pooled.getDeclaredField("offset");
		Field unpooledField = Class.forName("io.netty.buffer.PoolChunk").getDeclaredField("unpooled");
		chunkField.setAccessible(true);
		offsetField.setAccessible(true);
		unpooledField.setAccessible(true);

		Map<Long, ByteBuf> live = new HashMap<>();
		Map<Object, Long> ordinals = new IdentityHashMap<>();
		long nextOrdinal = 0;
		BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out), 1 << 16);

		try (BufferedReader in = new BufferedReader(new FileReader(args[0]), 1 << 16)) {
			String line;

			while ((line = in.readLine()) != null) {
				String[] f = line.split(" ");

				if (f.length == 3 && f[0].equals("a")) {
					long id = Long.parseLong(f[1]);
					long size = Long.parseLong(f[2]);

					if (size < 1 || size > Integer.MAX_VALUE)
						die("size out of range: " + line);
					/* maxCapacity = size: no growth, one allocation. */
					ByteBuf buf = alloc.heapBuffer((int)size, (int)size);
					if (!pooled.isInstance(buf))
						die("not a PooledByteBuf: " + buf.getClass().getName());
					live.put(id, buf);
					Object chunk = chunkField.get(buf);
					if (unpooledField.getBoolean(chunk)) {
						out.write("a " + id + " huge\n");
						continue;
					}
					Long ord = ordinals.get(chunk);
					if (ord == null) {
						ord = nextOrdinal++;
						ordinals.put(chunk, ord);
					}
					out.write("a " + id + " c" + ord + " " + offsetField.getInt(buf) + "\n");
				} else if (f.length == 2 && f[0].equals("f")) {
					long id = Long.parseLong(f[1]);
					ByteBuf buf = live.remove(id);

					if (buf == null)
						die("trace frees an ID that is not live: " + line);
					/* deallocate() clears the field: read it first. */
					Object chunk = chunkField.get(buf);
					int before = liveChunks(arena);
					if (!buf.release())
						die("release did not deallocate");
					int after = liveChunks(arena);
					if (after == before - 1) {
						if (ordinals.remove(chunk) == null)
							die("a released chunk had no ordinal");
					} else if (after != before) {
						die("one free changed the chunk count by more than one release");
					}
					out.write("f " + id + " " + after + "\n");
				} else {
					die("bad trace line: " + line);
				}
			}
		}
		/* Every free must have reached the arena: no cache kept anything. */
		if (arena.numActiveAllocations() != live.size())
			die("active allocations (" + arena.numActiveAllocations() + ") do not match the trace ("
			    + live.size() + "): a cache intervened");
		out.flush();
	}
}
