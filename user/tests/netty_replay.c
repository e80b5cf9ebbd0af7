// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * netty_replay.c - replay an allocation trace (netty_trace_gen.c) through
 * libbufpool and print where each allocation landed, in the format of
 * user/tests/netty/Replay.java, which does the same with Netty 4.1.48's
 * PooledByteBufAllocator.  scripts/netty-diff compares the two line by line.
 *
 *   netty_replay [-p K] [TRACE]       (standard input without TRACE)
 *
 * Output, one line per operation:
 *   "a ID c<ORD> <OFFSET>"   ORD numbers the chunk, OFFSET is the byte offset
 *                            of the allocation in it
 *   "a ID huge"              a request larger than a chunk (unpooled)
 *   "f ID <CHUNKS>"          live chunks after the free
 * A chunk gets the next ordinal the first time an allocation lands in it and
 * loses it when it is released: addresses are not comparable with Netty's
 * arrays, the order in which chunks are created is.
 *
 * Only <bufpool.h> is used: chunks are aligned to their size, so the chunk of
 * a pointer is ptr & ~(chunk_size - 1); a chunk was released when a free
 * lowers the "chunks" counter.  The pool is configured as Replay.java
 * configures Netty: one arena, 8 KiB pages, max_order 11, no caches, an
 * emptied chunk released at once.
 *
 * -p K is the self-check of scripts/netty-diff: it bumps the K-th allocation
 * (from 0) one size class up, which must make the comparison fail.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bufpool.h>

#define PAGE_SIZE	8192u
#define MAX_ORDER	11u
#define CHUNK_SIZE	((uintptr_t)PAGE_SIZE << MAX_ORDER)

static void die(const char *what)
{
	fprintf(stderr, "netty_replay: %s\n", what);
	exit(1);
}

/* Live allocations by trace ID (IDs count up from 0). */
static void **ptrs;
static size_t nr_ptrs;

static void set_ptr(unsigned long long id, void *p)
{
	if (id >= nr_ptrs) {
		size_t n = nr_ptrs ? nr_ptrs : 4096;

		while (n <= id)
			n *= 2;
		ptrs = realloc(ptrs, n * sizeof(*ptrs));
		if (!ptrs)
			die("out of memory");
		memset(ptrs + nr_ptrs, 0, (n - nr_ptrs) * sizeof(*ptrs));
		nr_ptrs = n;
	}
	ptrs[id] = p;
}

/* Ordinals of the live chunks: few enough to search linearly. */
struct chunk_ord {
	uintptr_t base;
	unsigned long ord;
};
static struct chunk_ord *chunks;
static size_t nr_chunks, chunks_cap;
static unsigned long next_ord;

static unsigned long chunk_ordinal(uintptr_t base)
{
	size_t i;

	for (i = 0; i < nr_chunks; i++)
		if (chunks[i].base == base)
			return chunks[i].ord;
	if (nr_chunks == chunks_cap) {
		chunks_cap = chunks_cap ? 2 * chunks_cap : 64;
		chunks = realloc(chunks, chunks_cap * sizeof(*chunks));
		if (!chunks)
			die("out of memory");
	}
	chunks[nr_chunks].base = base;
	chunks[nr_chunks].ord = next_ord;
	nr_chunks++;
	return next_ord++;
}

static void chunk_forget(uintptr_t base)
{
	size_t i;

	for (i = 0; i < nr_chunks; i++) {
		if (chunks[i].base == base) {
			chunks[i] = chunks[--nr_chunks];
			return;
		}
	}
	die("a released chunk had no ordinal");
}

static uint64_t live_chunks(struct bufpool *pool)
{
	struct bufpool_stats st;

	if (bufpool_get_stats(pool, &st))
		die("bufpool_get_stats failed");
	return st.chunks;
}

/* One size class up: tiny classes are 16 bytes apart, the others double. */
static size_t bump_class(size_t size)
{
	return size < 496 ? size + 16 : size * 2;
}

int main(int argc, char **argv)
{
	unsigned long long perturb = ULLONG_MAX, nr_allocs = 0, live = 0;
	struct bufpool_config cfg;
	struct bufpool_stats st;
	struct bufpool *pool;
	char line[128], why[128];
	FILE *in = stdin;
	int c;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c != 'p') {
			fprintf(stderr, "usage: netty_replay [-p K] [TRACE]\n");
			return 2;
		}
		perturb = strtoull(optarg, NULL, 0);
	}
	if (optind < argc) {
		in = fopen(argv[optind], "r");
		if (!in) {
			perror(argv[optind]);
			return 1;
		}
	}

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	cfg.page_size = PAGE_SIZE;
	cfg.max_order = MAX_ORDER;
	cfg.tiny_cache_size = 0;
	cfg.small_cache_size = 0;
	cfg.normal_cache_size = 0;
	cfg.chunk_retention_ms = 0;
	if (bufpool_config_validate(&cfg, why, sizeof(why)))
		die(why);
	pool = bufpool_create(&cfg);
	if (!pool)
		die(strerror(errno));

	while (fgets(line, sizeof(line), in)) {
		unsigned long long id, size;
		uintptr_t base;
		uint64_t before;
		void *p;

		if (sscanf(line, "a %llu %llu", &id, &size) == 2) {
			if (nr_allocs++ == perturb)
				size = bump_class(size);
			p = bufpool_alloc(pool, size);
			if (!p)
				die("allocation failed");
			set_ptr(id, p);
			live++;
			if (size > CHUNK_SIZE) {
				printf("a %llu huge\n", id);
				continue;
			}
			base = (uintptr_t)p & ~(CHUNK_SIZE - 1);
			printf("a %llu c%lu %lu\n", id, chunk_ordinal(base),
			       (unsigned long)((uintptr_t)p - base));
		} else if (sscanf(line, "f %llu", &id) == 1) {
			if (id >= nr_ptrs || !ptrs[id])
				die("trace frees an ID that is not live");
			p = ptrs[id];
			ptrs[id] = NULL;
			before = live_chunks(pool);
			bufpool_free(pool, p);
			live--;
			st.chunks = live_chunks(pool);
			if (st.chunks + 1 == before)
				chunk_forget((uintptr_t)p & ~(CHUNK_SIZE - 1));
			else if (st.chunks != before)
				die("one free changed the chunk count by more than one release");
			printf("f %llu %llu\n", id, (unsigned long long)st.chunks);
		} else {
			die("bad trace line");
		}
	}
	if (ferror(in))
		die("reading the trace failed");

	/* Every free must have reached the arena: no cache kept anything. */
	if (bufpool_get_stats(pool, &st))
		die("bufpool_get_stats failed");
	if (st.active != live || st.cached_bytes || st.cache_hits)
		die("active allocations do not match the trace: a cache intervened");
	bufpool_destroy(pool);
	free(ptrs);
	free(chunks);
	return fflush(stdout) ? 1 : 0;
}
