// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * netty_trace_gen.c - allocation traces for the Netty differential test
 * (scripts/netty-diff), replayed by user/tests/netty/Replay.java against
 * the real PooledByteBufAllocator and by netty_replay.c against libbufpool.
 *
 *   netty_trace_gen -s SEED -n OPS [-m LIVE_MIB]   a random trace
 *   netty_trace_gen -b                             the class-boundary sweep
 *
 * Output, one operation a line: "a ID SIZE" allocates SIZE bytes under ID
 * (IDs count up from 0, never reused), "f ID" frees it.  Everything left
 * live at the end is freed, so each trace also ends by releasing chunks.
 *
 * A random trace walks through phases, so that chunks fill up, climb the
 * usage lists, fall back down and get released, not only sit in a steady
 * state: grow (mostly allocations), steady (half and half), drain (mostly
 * frees, down to a random fraction of what was live) and, now and then,
 * free everything.  Live bytes are capped at LIVE_MIB (default 64) so that
 * the Java heap stays bounded.  Frees pick a random live allocation, the
 * newest, or one of the oldest, to mix scattered holes with LIFO and FIFO
 * patterns.  The generator is its own PRNG (splitmix64): the same seed gives
 * the same trace on any machine.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_SIZE	8192ull
#define CHUNK_SIZE	(PAGE_SIZE << 11)	/* 16 MiB, as in Replay.java */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in lo..hi (inclusive). */
static uint64_t between(uint64_t lo, uint64_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

struct live {
	uint64_t id, size;
};

static struct live *live;
static size_t nr_live, live_cap;
static uint64_t live_bytes, next_id;

static void emit_alloc(uint64_t size)
{
	if (nr_live == live_cap) {
		live_cap = live_cap ? 2 * live_cap : 1024;
		live = realloc(live, live_cap * sizeof(*live));
		if (!live) {
			perror("netty_trace_gen");
			exit(1);
		}
	}
	live[nr_live].id = next_id;
	live[nr_live].size = size;
	nr_live++;
	live_bytes += size;
	printf("a %llu %llu\n", (unsigned long long)next_id++, (unsigned long long)size);
}

static void emit_free(size_t i)
{
	printf("f %llu\n", (unsigned long long)live[i].id);
	live_bytes -= live[i].size;
	live[i] = live[--nr_live];
}

/* Sizes right at and around every class boundary, 8 KiB pages. */
static const uint64_t edges[] = {
	1, 15, 16, 17, 31, 32, 33, 255, 256, 257, 495, 496, 497, 511, 512, 513,
	1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 8191, 8192, 8193,
	16383, 16384, 16385, 65536, 1048575, 1048576, 1048577,
	CHUNK_SIZE / 2, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1,
};

/*
 * Netty's size classes: tiny below 512, small up to page_size / 2, normal up
 * to the chunk, huge beyond.  Normal runs are weighted towards small ones
 * (as real traffic is) but every run size from one page to the whole chunk
 * is drawn, since large runs are what push chunks across usage lists.
 */
static uint64_t pick_size(void)
{
	/* Weights of runs of 2^13 (a page) .. 2^24 (a chunk) bytes. */
	static const unsigned int run_weight[12] = {
		300, 200, 150, 100, 80, 60, 40, 30, 20, 10, 6, 4,
	};
	unsigned int r = rnd() % 1000, total = 0, e, i;

	if (r < 380)
		return between(1, 496);				/* tiny */
	if (r < 630) {
		e = between(9, 12);				/* small */
		return between((1ull << (e - 1)) + 1, 1ull << e);
	}
	if (r < 980) {						/* normal */
		for (i = 0; i < 12; i++)
			total += run_weight[i];
		r = rnd() % total;
		for (i = 0; r >= run_weight[i]; i++)
			r -= run_weight[i];
		e = 13 + i;
		return between((1ull << (e - 1)) + 1, 1ull << e);
	}
	if (r < 998)
		return edges[rnd() % ARRAY_SIZE(edges)];
	return between(CHUNK_SIZE + 1, CHUNK_SIZE + (4 << 20));	/* huge */
}

/* Which live allocation to free: mostly any, sometimes newest or oldest. */
static size_t pick_victim(void)
{
	unsigned int r = rnd() % 100;

	if (r < 70)
		return rnd() % nr_live;
	if (r < 85)
		return nr_live - 1;
	/* Swap-removal keeps the low indexes roughly the oldest. */
	return rnd() % (nr_live < 8 ? nr_live : 8);
}

enum phase { GROW, STEADY, DRAIN, FREE_ALL };

static void random_trace(uint64_t seed, uint64_t ops, uint64_t cap)
{
	enum phase phase = GROW;
	uint64_t left = 5000, drain_to = 0, done;
	unsigned int alloc_pct = 80;

	rng_state = seed;
	for (done = 0; done < ops; done++) {
		bool alloc;

		if (!left || (phase >= DRAIN && nr_live <= drain_to)) {
			unsigned int r = rnd() % 100;

			left = between(1000, 15000);
			if (r < 35) {
				phase = GROW;
				alloc_pct = between(65, 90);
			} else if (r < 65) {
				phase = STEADY;
				alloc_pct = 50;
			} else if (r < 92) {
				phase = DRAIN;
				alloc_pct = between(5, 20);
				drain_to = nr_live * between(0, 20) / 100;
			} else {
				phase = FREE_ALL;
				alloc_pct = 0;
				drain_to = 0;
			}
		}
		left--;
		alloc = !nr_live || rnd() % 100 < alloc_pct;
		if (alloc) {
			uint64_t size = pick_size();

			/* Over the cap: free instead (if anything is live). */
			if (live_bytes + size > cap && nr_live)
				alloc = false;
			else
				emit_alloc(size);
		}
		if (!alloc)
			emit_free(pick_victim());
	}
	while (nr_live)
		emit_free(pick_victim());
}

/* Free live[from..] at odd distances from @from, keeping the others in order. */
static void free_every_other(size_t from)
{
	size_t i, kept = from;

	for (i = from; i < nr_live; i++) {
		if ((i - from) & 1) {
			printf("f %llu\n", (unsigned long long)live[i].id);
			live_bytes -= live[i].size;
		} else {
			live[kept++] = live[i];
		}
	}
	nr_live = kept;
}

/*
 * Every boundary size in turn: enough allocations to fill more than a
 * subpage (or a few runs), then every other one freed (holes that the next
 * allocations must find in the same order as Netty does), refilled, then
 * all but the first freed newest first.  That first one stays until the
 * end, so that later sizes share chunks with earlier ones.
 */
static void boundary_trace(void)
{
	size_t i, j, n, first;

	for (i = 0; i < ARRAY_SIZE(edges); i++) {
		uint64_t size = edges[i];

		n = size < 512 ? 1100 : size <= PAGE_SIZE / 2 ? 40 :
		    size < (1 << 20) ? 12 : size <= CHUNK_SIZE / 2 ? 3 : 2;
		first = nr_live;
		for (j = 0; j < n; j++)
			emit_alloc(size);
		free_every_other(first);
		for (j = 0; j < n / 2; j++)
			emit_alloc(size);
		while (nr_live > first + 1)
			emit_free(nr_live - 1);
	}
	while (nr_live)
		emit_free(0);
}

static void bad_args(void)
{
	fprintf(stderr, "usage: netty_trace_gen -s SEED -n OPS [-m LIVE_MIB] | -b\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t seed = 0, ops = 0, cap_mib = 64;
	bool boundary = false;
	int c;

	while ((c = getopt(argc, argv, "s:n:m:b")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			ops = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			cap_mib = strtoull(optarg, NULL, 0);
			break;
		case 'b':
			boundary = true;
			break;
		default:
			bad_args();
		}
	}
	if (optind != argc || (!boundary && (!seed || !ops || !cap_mib)))
		bad_args();
	if (boundary)
		boundary_trace();
	else
		random_trace(seed, ops, cap_mib << 20);
	free(live);
	return fflush(stdout) ? 1 : 0;
}
