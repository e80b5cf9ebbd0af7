// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * api_test.c - libbufpool's public API, with the kernel's kselftest harness
 * (each test runs in its own child process).  Built with ASan + UBSan.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bufpool.h>
#include "kselftest_harness.h"

#define PAGE	8192u
#define ORDER	11u
#define CHUNK	((size_t)PAGE << ORDER)

static struct bufpool *new_pool(unsigned int flags)
{
	struct bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.page_size = PAGE;
	cfg.max_order = ORDER;
	cfg.nr_arenas = 2;
	cfg.flags = flags;
	return bufpool_create(&cfg);
}

static void fill(void *p, size_t n, unsigned int seed)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = (unsigned char)(seed * 131 + i * 7);
}

static int check(const void *p, size_t n, unsigned int seed)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i] != (unsigned char)(seed * 131 + i * 7))
			return 0;
	return 1;
}

TEST(config_defaults)
{
	struct bufpool_config cfg;
	struct bufpool_stats st;
	struct bufpool *pool;

	memset(&cfg, 0xff, sizeof(cfg));
	bufpool_config_init(&cfg);
	EXPECT_EQ(8192, cfg.page_size);
	EXPECT_EQ(11, cfg.max_order);
	EXPECT_EQ(0, cfg.nr_arenas);
	EXPECT_EQ(0, cfg.flags);
	EXPECT_NULL(cfg.name);
	pool = bufpool_create(NULL);
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.chunks);
	bufpool_destroy(pool);
}

struct bad_cfg {
	const char *what;
	unsigned int page_size, max_order, nr_arenas, flags;
	const char *name;
};

static const struct bad_cfg bad_cfgs[] = {
	{ "page_size=0", 0, 11, 0, 0, NULL },
	{ "page_size=4095", 4095, 11, 0, 0, NULL },
	{ "page_size=2048", 2048, 11, 0, 0, NULL },
	{ "page_size=131072", 131072, 0, 0, 0, NULL },
	{ "page_size=12288", 12288, 2, 0, 0, NULL },
	{ "max_order=15", 4096, 15, 0, 0, NULL },
	{ "max_order=15", 65536, 15, 0, 0, NULL },	/* 2 GiB > 1 GiB */
	{ "nr_arenas=1025", 8192, 11, 1025, 0, NULL },
	{ "flags=0x4", 8192, 11, 0, 4, NULL },
	{ "name", 8192, 11, 0, 0, "" },
	{ "name", 8192, 11, 0, 0, "a/b" },
	{ "name", 8192, 11, 0, 0, "0123456789012345678901234567890123456789" },
};

TEST(bad_buffer_configs_rejected)
{
	static const struct { unsigned int recycler, level, rate; const char *what; } bad[] = {
		{ 65537, 0, 0, "buf_recycler_size=65537 invalid" },
		{ 0, 4, 0, "leak_detection=4 invalid" },
		{ 0, 0, (1u << 20) + 1, "leak_sample_rate=1048577 invalid" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bufpool_config cfg;
		char why[128] = "";

		bufpool_config_init(&cfg);
		cfg.buf_recycler_size = bad[i].recycler;
		cfg.leak_detection = bad[i].level;
		cfg.leak_sample_rate = bad[i].rate;
		errno = 0;
		EXPECT_NULL(bufpool_create(&cfg));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-EINVAL, bufpool_config_validate(&cfg, why, sizeof(why)));
		EXPECT_NE(NULL, strstr(why, bad[i].what)) TH_LOG("case %zu: '%s'", i, why);
	}
}

TEST(bad_configs_rejected)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cfgs) / sizeof(bad_cfgs[0]); i++) {
		const struct bad_cfg *b = &bad_cfgs[i];
		struct bufpool_config cfg = {
			.name = b->name, .page_size = b->page_size, .max_order = b->max_order,
			.nr_arenas = b->nr_arenas, .flags = b->flags,
		};
		char why[128] = "";

		errno = 0;
		EXPECT_NULL(bufpool_create(&cfg));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-EINVAL, bufpool_config_validate(&cfg, why, sizeof(why)));
		EXPECT_NE(NULL, strstr(why, b->what)) TH_LOG("case %zu: '%s'", i, why);
	}
}

TEST(null_arguments)
{
	struct bufpool_stats st;
	struct bufpool *pool = new_pool(0);
	int x;

	ASSERT_NE(NULL, pool);
	errno = 0;
	EXPECT_NULL(bufpool_alloc(NULL, 16));
	EXPECT_EQ(EINVAL, errno);
	bufpool_free(pool, NULL);		/* no-op: the slow path's, the hit path has no test */
	bufpool_free_sized(pool, NULL, 16);	/* likewise */
	bufpool_free(NULL, NULL);		/* no-op: no pointer, nothing to refuse */
	bufpool_free_sized(NULL, NULL, 16);
	EXPECT_EQ(-EINVAL, bufpool_get_stats(NULL, &st));
	EXPECT_EQ(-EINVAL, bufpool_get_stats(pool, NULL));
	EXPECT_EQ(0, bufpool_usable_size(pool, NULL));
	EXPECT_EQ(0, bufpool_usable_size(pool, &x));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.allocations);
	EXPECT_EQ(0, st.invalid_frees);
	bufpool_destroy(pool);
	bufpool_destroy(NULL);
}

/* Every class boundary: requested size, expected usable size, class. */
FIXTURE(boundary) {
	struct bufpool *pool;
};

FIXTURE_VARIANT(boundary) {
	size_t size;
	size_t usable;
	int cls;	/* 0 tiny, 1 small, 2 normal, 3 huge */
};

FIXTURE_VARIANT_ADD(boundary, zero) { 0, 16, 0 };
FIXTURE_VARIANT_ADD(boundary, one) { 1, 16, 0 };
FIXTURE_VARIANT_ADD(boundary, b15) { 15, 16, 0 };
FIXTURE_VARIANT_ADD(boundary, b16) { 16, 16, 0 };
FIXTURE_VARIANT_ADD(boundary, b17) { 17, 32, 0 };
FIXTURE_VARIANT_ADD(boundary, b496) { 496, 496, 0 };
FIXTURE_VARIANT_ADD(boundary, b511) { 511, 512, 1 };
FIXTURE_VARIANT_ADD(boundary, b512) { 512, 512, 1 };
FIXTURE_VARIANT_ADD(boundary, b513) { 513, 1024, 1 };
FIXTURE_VARIANT_ADD(boundary, half_page) { PAGE / 2, PAGE / 2, 1 };
FIXTURE_VARIANT_ADD(boundary, page) { PAGE, PAGE, 2 };
FIXTURE_VARIANT_ADD(boundary, page_plus_1) { PAGE + 1, 2 * PAGE, 2 };
FIXTURE_VARIANT_ADD(boundary, chunk) { CHUNK, CHUNK, 2 };
FIXTURE_VARIANT_ADD(boundary, chunk_plus_1) { CHUNK + 1, CHUNK + 4096, 3 };

FIXTURE_SETUP(boundary)
{
	self->pool = new_pool(0);
	ASSERT_NE(NULL, self->pool);
}

FIXTURE_TEARDOWN(boundary)
{
	bufpool_destroy(self->pool);
}

static uint64_t class_allocs(const struct bufpool_stats *st, int cls)
{
	const uint64_t v[] = { st->tiny_allocations, st->small_allocations,
			       st->normal_allocations, st->huge_allocations };
	return v[cls];
}

static uint64_t class_frees(const struct bufpool_stats *st, int cls)
{
	const uint64_t v[] = { st->tiny_frees, st->small_frees,
			       st->normal_frees, st->huge_frees };
	return v[cls];
}

/* Two allocations: usable size, no overlap, pattern intact, exact stats. */
TEST_F(boundary, alloc_write_free)
{
	struct bufpool_stats st;
	size_t n = variant->size ? variant->size : 1;
	char *a, *b;

	a = bufpool_alloc(self->pool, variant->size);
	b = bufpool_alloc(self->pool, variant->size);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	/* Asked for: past the request is usable (and unpoisoned under ASan). */
	EXPECT_EQ(variant->usable, bufpool_usable_size(self->pool, a));
	EXPECT_EQ(variant->usable, bufpool_usable_size(self->pool, b));
	EXPECT_TRUE(a + variant->usable <= b || b + variant->usable <= a);
	fill(a, variant->usable, 1);
	fill(b, variant->usable, 2);
	ASSERT_EQ(0, bufpool_get_stats(self->pool, &st));
	EXPECT_EQ(2, st.allocations);
	EXPECT_EQ(2, st.active);
	EXPECT_EQ(2 * variant->usable, st.active_bytes);
	EXPECT_EQ(2, class_allocs(&st, variant->cls));
	EXPECT_EQ(variant->cls == 3 ? 2 : 0, st.huge_active);
	EXPECT_EQ(variant->cls == 3 ? 0 : variant->usable == CHUNK ? 2 : 1, st.chunks);
	EXPECT_EQ(st.chunks * CHUNK, st.chunk_bytes);
	EXPECT_TRUE(check(a, n, 1));
	EXPECT_TRUE(check(b, variant->usable, 2));
	bufpool_free(self->pool, a);
	EXPECT_TRUE(check(b, variant->usable, 2));
	bufpool_free(self->pool, b);
	ASSERT_EQ(0, bufpool_get_stats(self->pool, &st));
	EXPECT_EQ(2, st.frees);
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(0, st.active_bytes);
	EXPECT_EQ(2, class_frees(&st, variant->cls));
	EXPECT_EQ(0, st.huge_active);
	EXPECT_EQ(0, st.huge_bytes);
	EXPECT_EQ(0, st.invalid_frees);
}

/* 20,000 allocations of mixed sizes, each filled and verified at free. */
TEST(content_integrity)
{
	enum { N = 20000 };
	static const size_t sizes[] = { 8, 24, 100, 496, 700, 2000, 4096, 9000, 40000, 300000 };
	struct bufpool *pool = new_pool(0);
	struct bufpool_stats st;
	void **p = calloc(N, sizeof(*p));
	size_t *len = calloc(N, sizeof(*len));
	unsigned int seed = 7, i, bad = 0;

	ASSERT_NE(NULL, pool);
	ASSERT_NE(NULL, p);
	for (i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		len[i] = sizes[(seed >> 16) % 10] + (seed >> 8) % 7;
		p[i] = bufpool_alloc(pool, len[i]);
		ASSERT_NE(NULL, p[i]);
		fill(p[i], len[i], i);
		/* Free a third of them early, out of order. */
		if (i > 10 && (seed >> 4) % 3 == 0) {
			unsigned int j = (seed >> 12) % i;

			if (p[j]) {
				bad += !check(p[j], len[j], j);
				bufpool_free(pool, p[j]);
				p[j] = NULL;
			}
		}
	}
	for (i = 0; i < N; i++) {
		if (p[i]) {
			bad += !check(p[i], len[i], i);
			bufpool_free(pool, p[i]);
		}
	}
	EXPECT_EQ(0, bad);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(N, st.allocations);
	EXPECT_EQ(N, st.frees);
	EXPECT_EQ(0, st.active_bytes);
	EXPECT_EQ(0, st.invalid_frees);
	free(p);
	free(len);
	bufpool_destroy(pool);
}

/* Chunks that filled up and drained are given back (q000 at 0 % usage). */
TEST(chunks_released_when_empty)
{
	enum { RUNS = 3 * (1 << ORDER) / 64 };	/* three chunks of 512 KiB runs */
	struct bufpool *pool = new_pool(0);
	struct bufpool_stats st;
	void *p[RUNS];
	int i;

	ASSERT_NE(NULL, pool);
	for (i = 0; i < RUNS; i++) {
		p[i] = bufpool_alloc(pool, 64 * PAGE);
		ASSERT_NE(NULL, p[i]);
	}
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_GE(st.chunks, 3);
	for (i = 0; i < RUNS; i++)
		bufpool_free(pool, p[i]);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.chunks);
	EXPECT_EQ(0, st.chunk_bytes);
	EXPECT_EQ(0, st.active);
	bufpool_destroy(pool);
}

TEST(huge_and_impossible)
{
	struct bufpool *pool = new_pool(0);
	struct bufpool_stats st;
	char *h;

	ASSERT_NE(NULL, pool);
	h = bufpool_alloc(pool, 3 * CHUNK + 5);
	ASSERT_NE(NULL, h);
	h[0] = 1;
	h[3 * CHUNK + 4] = 2;
	EXPECT_EQ(3 * CHUNK + 4096, bufpool_usable_size(pool, h));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.huge_active);
	EXPECT_EQ(3 * CHUNK + 4096, st.huge_bytes);
	EXPECT_EQ(0, st.chunks);
	bufpool_free(pool, h);
	errno = 0;
	EXPECT_NULL(bufpool_alloc(pool, SIZE_MAX));
	EXPECT_EQ(ENOMEM, errno);
	errno = 0;
	EXPECT_NULL(bufpool_alloc(pool, SIZE_MAX / 2));
	EXPECT_EQ(ENOMEM, errno);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.allocations);
	EXPECT_EQ(0, st.huge_active);
	bufpool_destroy(pool);
}

/*
 * Misuse in the default mode: the child prints one line naming the misuse
 * and aborts.  Returns the child's stderr.
 */
enum misuse { DOUBLE_FREE, INTERIOR, FOREIGN_HEAP, FOREIGN_STACK, HUGE_DOUBLE, OTHER_POOL,
	      NULL_POOL };

static void do_misuse(struct bufpool *pool, enum misuse m)
{
	char *p = bufpool_alloc(pool, m == HUGE_DOUBLE ? CHUNK * 2 : 100);
	char local;

	switch (m) {
	case DOUBLE_FREE:
	case HUGE_DOUBLE:
		bufpool_free(pool, p);
		bufpool_free(pool, p);
		break;
	case INTERIOR:
		bufpool_free(pool, p + 16);
		break;
	case FOREIGN_HEAP:
		bufpool_free(pool, malloc(64));
		break;
	case FOREIGN_STACK:
		bufpool_free(pool, &local);
		break;
	case OTHER_POOL:
		bufpool_free(new_pool(0), p);
		break;
	case NULL_POOL:
		bufpool_free(NULL, p);
		break;
	}
}

static int misuse_child(enum misuse m, char *out, size_t len)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		do_misuse(new_pool(0), m);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

TEST(misuse_aborts_with_message)
{
	static const struct { enum misuse m; const char *msg; } cases[] = {
		{ DOUBLE_FREE, "double free detected" },
		{ HUGE_DOUBLE, "not allocated from this pool" },
		{ INTERIOR, "inside an allocation" },
		{ FOREIGN_HEAP, "not allocated from this pool" },
		{ FOREIGN_STACK, "not allocated from this pool" },
		{ OTHER_POOL, "not allocated from this pool" },
		{ NULL_POOL, "NULL pool" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[512];

		EXPECT_EQ(SIGABRT, misuse_child(cases[i].m, out, sizeof(out)));
		EXPECT_NE(NULL, strstr(out, cases[i].msg)) TH_LOG("case %zu: '%s'", i, out);
		EXPECT_NE(NULL, strstr(out, "bufpool: ")) TH_LOG("case %zu: '%s'", i, out);
		/* One line. */
		EXPECT_EQ(strlen(out) - 1, (size_t)(strchr(out, '\n') - out));
	}
}

/* Count-and-ignore: every misuse counted, nothing else changes. */
TEST(misuse_counted_in_count_mode)
{
	struct bufpool *pool = new_pool(BUFPOOL_F_MISUSE_COUNT);
	struct bufpool *other = new_pool(BUFPOOL_F_MISUSE_COUNT);
	struct bufpool_stats before, after;
	char *a, *b, *run, *h, local;
	void *heap = malloc(32);

	ASSERT_NE(NULL, pool);
	ASSERT_NE(NULL, other);
	a = bufpool_alloc(pool, 100);
	b = bufpool_alloc(pool, 100);
	run = bufpool_alloc(pool, 3 * PAGE);
	h = bufpool_alloc(pool, CHUNK + 1);
	ASSERT_NE(NULL, h);
	ASSERT_EQ(112, bufpool_usable_size(pool, b));
	ASSERT_EQ(4 * PAGE, bufpool_usable_size(pool, run));
	fill(b, 112, 9);
	fill(run, 4 * PAGE, 10);
	bufpool_free(pool, a);
	ASSERT_EQ(0, bufpool_get_stats(pool, &before));

	bufpool_free(pool, a);			/* double free */
	bufpool_free(pool, b + 1);		/* interior of an element */
	bufpool_free(pool, b + 112);		/* the freed neighbour... */
	bufpool_free(pool, run + PAGE);		/* interior of a run */
	bufpool_free(pool, run + 5 * PAGE);	/* free pages of the chunk */
	bufpool_free(pool, h + 4096);		/* inside a huge allocation */
	bufpool_free(pool, heap);		/* malloc'd */
	bufpool_free(pool, &local);		/* stack */
	bufpool_free(other, b);			/* another pool's */

	ASSERT_EQ(0, bufpool_get_stats(pool, &after));
	EXPECT_EQ(before.invalid_frees + 8, after.invalid_frees);
	after.invalid_frees = before.invalid_frees;
	/* The careful path looked under arena locks; nothing else changed. */
	EXPECT_LT(before.arena_locks, after.arena_locks);
	after.arena_locks = before.arena_locks;
	after.arena_lock_contended = before.arena_lock_contended;
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	ASSERT_EQ(0, bufpool_get_stats(other, &after));
	EXPECT_EQ(1, after.invalid_frees);
	EXPECT_TRUE(check(b, 112, 9));
	EXPECT_TRUE(check(run, 4 * PAGE, 10));
	EXPECT_EQ(112, bufpool_usable_size(pool, b));
	bufpool_free(pool, b);
	bufpool_free(pool, run);
	bufpool_free(pool, h);
	free(heap);
	bufpool_destroy(other);
	bufpool_destroy(pool);
}

/* A pool of minimal geometry still works end to end: 4 KiB chunks. */
TEST(one_page_chunks)
{
	struct bufpool_config cfg;
	struct bufpool_stats st;
	struct bufpool *pool;
	void *p[64];
	int i;

	bufpool_config_init(&cfg);
	cfg.page_size = 4096;
	cfg.max_order = 0;
	cfg.nr_arenas = 1;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	for (i = 0; i < 64; i++) {
		p[i] = bufpool_alloc(pool, i ? i * 64 : 1);	/* 1: as 0, 16 bytes */
		ASSERT_NE(NULL, p[i]);
		fill(p[i], i ? i * 64 : 1, i);
	}
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(4096, st.chunk_bytes / st.chunks);
	EXPECT_EQ(64, st.active);
	/* 0..448 tiny, 512..2048 small, 2112..4032 a whole 4 KiB page each. */
	EXPECT_EQ(8, st.tiny_allocations);
	EXPECT_EQ(25, st.small_allocations);
	EXPECT_EQ(31, st.normal_allocations);
	/* A chunk is a page: 8 tiny classes one page each; 512 x1, 1024 x8
	 * (4 a page), 2048 x16 (2 a page) = 11 pages; 31 normal pages. */
	EXPECT_EQ(8 + 11 + 31, st.chunks);
	for (i = 0; i < 64; i++) {
		EXPECT_TRUE(check(p[i], i ? i * 64 : 1, i)) TH_LOG("allocation %d", i);
		bufpool_free(pool, p[i]);
	}
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(0, st.invalid_frees);
	bufpool_destroy(pool);
}

TEST(stats_format_names)
{
	struct bufpool_stats st;
	char buf[2048];
	int n;

	memset(&st, 0, sizeof(st));
	st.allocations = 12345678901234ULL;
	st.huge_frees = 7;
	n = bufpool_stats_format(&st, buf, sizeof(buf));
	EXPECT_EQ((int)strlen(buf), n);
	EXPECT_NE(NULL, strstr(buf, "allocations: 12345678901234\n"));
	EXPECT_NE(NULL, strstr(buf, "huge_frees: 7\n"));
	EXPECT_NE(NULL, strstr(buf, "invalid_frees: 0\n"));
	/* Truncation stays NUL-terminated within the buffer. */
	n = bufpool_stats_format(&st, buf, 10);
	EXPECT_EQ(9, n);
	EXPECT_EQ(9, (int)strlen(buf));
}

/* --- per-thread caches ---------------------------------------------------- */

static struct bufpool *cache_pool(unsigned int trim_interval)
{
	struct bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	cfg.cache_trim_interval = trim_interval;
	cfg.cache_refill = 1;		/* one at a time: every count scripted */
	return bufpool_create(&cfg);
}

/* A scripted sequence: every hit, miss and cached byte is predictable. */
TEST(cache_hits_and_misses_exact)
{
	struct bufpool *pool = cache_pool(0);
	struct bufpool_stats st;
	void *a, *b, *c, *n, *big;

	ASSERT_NE(NULL, pool);
	a = bufpool_alloc(pool, 64);		/* tiny miss */
	b = bufpool_alloc(pool, 64);		/* tiny miss */
	n = bufpool_alloc(pool, 16384);		/* normal miss */
	big = bufpool_alloc(pool, 131072);	/* above 64 KiB: not cacheable */
	ASSERT_NE(NULL, big);
	bufpool_free(pool, a);			/* cached */
	bufpool_free(pool, n);			/* cached */
	bufpool_free(pool, big);		/* straight to its arena */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.cache_hits);
	EXPECT_EQ(3, st.cache_misses);
	EXPECT_EQ(2, st.tiny_cache_misses);
	EXPECT_EQ(1, st.normal_cache_misses);
	EXPECT_EQ(2, st.cache_frees);
	EXPECT_EQ(64 + 16384, st.cached_bytes);
	EXPECT_EQ(1, st.active);
	EXPECT_EQ(64, st.active_bytes);
	/* Four allocations from the arena (the first also mapped a chunk:
	 * two holds) and the uncached free took the arena lock; the two
	 * cached frees did not. */
	EXPECT_EQ(6, st.arena_locks);
	EXPECT_EQ(0, st.arena_lock_contended);

	c = bufpool_alloc(pool, 60);		/* tiny hit: a comes back */
	EXPECT_EQ(a, c);
	n = bufpool_alloc(pool, 9000);		/* normal hit (16 KiB) */
	a = bufpool_alloc(pool, 600);		/* small miss */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(2, st.cache_hits);
	EXPECT_EQ(1, st.tiny_cache_hits);
	EXPECT_EQ(1, st.normal_cache_hits);
	EXPECT_EQ(1, st.small_cache_misses);
	EXPECT_EQ(4, st.cache_misses);
	EXPECT_EQ(0, st.cached_bytes);
	EXPECT_EQ(4, st.active);
	EXPECT_EQ(64 + 64 + 16384 + 1024, st.active_bytes);
	EXPECT_EQ(st.allocations - st.frees, st.active);
	bufpool_free(pool, a);
	bufpool_free(pool, b);
	bufpool_free(pool, c);
	bufpool_free(pool, n);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(0, st.active_bytes);
	EXPECT_EQ(64 + 64 + 16384 + 1024, st.cached_bytes);
	bufpool_destroy(pool);
}

/*
 * Trim (Netty): every cache_trim_interval allocations through the cache,
 * each bin keeps as many entries as it served since the last trim.  10
 * misses fill the bin with 10 entries; 3 hits and frees leave 10 there with
 * 3 served; the 14th allocation is a 4th hit and triggers the trim: 9
 * entries, 4 served, so exactly 5 idle ones go back.
 */
TEST(cache_trim_frees_exactly_the_idle)
{
	struct bufpool *pool = cache_pool(14);
	struct bufpool_stats st;
	void *p[10], *q;
	int i;

	ASSERT_NE(NULL, pool);
	for (i = 0; i < 10; i++)
		p[i] = bufpool_alloc(pool, 64);
	for (i = 0; i < 10; i++)
		bufpool_free(pool, p[i]);
	for (i = 0; i < 3; i++)
		p[i] = bufpool_alloc(pool, 64);
	for (i = 0; i < 3; i++)
		bufpool_free(pool, p[i]);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.cache_trims);
	EXPECT_EQ(10 * 64, st.cached_bytes);
	q = bufpool_alloc(pool, 64);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.cache_trims);
	EXPECT_EQ(5, st.cache_flushed);
	EXPECT_EQ(4 * 64, st.cached_bytes);
	EXPECT_EQ(1, st.active);
	bufpool_free(pool, q);
	bufpool_destroy(pool);
}

/*
 * A double free into a full bin: the pointer is the oldest entry, which the
 * full bin's flush would give back first.  It must be refused, and never
 * handed out twice.  (A reviewer's reproducer: the flush ran before the
 * check.)
 */
TEST(cache_double_free_into_full_bin)
{
	static const size_t sizes[] = { 64, 1024, 8192 };
	size_t k;

	for (k = 0; k < 3; k++) {
		struct bufpool_config cfg;
		struct bufpool *pool;
		struct bufpool_stats st;
		void *p, *q, *a, *b, *c;

		bufpool_config_init(&cfg);
		cfg.nr_arenas = 1;
		cfg.flags = BUFPOOL_F_MISUSE_COUNT;
		cfg.tiny_cache_size = cfg.small_cache_size = cfg.normal_cache_size = 2;
		cfg.cache_refill = 1;
		pool = bufpool_create(&cfg);
		ASSERT_NE(NULL, pool);
		p = bufpool_alloc(pool, sizes[k]);
		q = bufpool_alloc(pool, sizes[k]);
		bufpool_free(pool, p);
		bufpool_free(pool, q);		/* the bin is full */
		bufpool_free(pool, p);		/* double free */
		a = bufpool_alloc(pool, sizes[k]);
		b = bufpool_alloc(pool, sizes[k]);
		c = bufpool_alloc(pool, sizes[k]);
		EXPECT_TRUE(a != b && b != c && a != c) TH_LOG("%zu bytes: %p %p %p", sizes[k], a, b, c);
		ASSERT_EQ(0, bufpool_get_stats(pool, &st));
		EXPECT_EQ(1, st.invalid_frees);
		EXPECT_EQ(3, st.active);
		bufpool_free(pool, a);
		bufpool_free(pool, b);
		bufpool_free(pool, c);
		bufpool_destroy(pool);
	}
}

/* The time-based trim: checked on a miss once cache_trim_interval_ms passed. */
TEST(cache_time_trim_on_miss)
{
	struct bufpool_config cfg;
	struct bufpool *pool;
	struct bufpool_stats st;
	void *p[10], *q;
	int i;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	cfg.cache_trim_interval = 0;		/* no count trim */
	cfg.cache_trim_interval_ms = 50;
	cfg.cache_refill = 1;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	for (i = 0; i < 10; i++)
		p[i] = bufpool_alloc(pool, 64);
	for (i = 0; i < 10; i++)
		bufpool_free(pool, p[i]);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.cache_trims);
	EXPECT_EQ(10 * 64, st.cached_bytes);
	usleep(120 * 1000);
	q = bufpool_alloc(pool, 128);		/* a miss, late enough: trim */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.cache_trims);
	EXPECT_EQ(10, st.cache_flushed);	/* none of the ten was used again */
	EXPECT_EQ(0, st.cached_bytes);
	bufpool_free(pool, q);
	bufpool_destroy(pool);
}

/* bufpool_trim(): the thread's cache goes back, then empty chunks. */
TEST(cache_explicit_trim_releases_chunks)
{
	struct bufpool *pool = cache_pool(0);
	struct bufpool_stats st;
	void *p[100];
	int i;

	ASSERT_NE(NULL, pool);
	for (i = 0; i < 100; i++)
		p[i] = bufpool_alloc(pool, 4096);
	for (i = 0; i < 100; i++)
		bufpool_free(pool, p[i]);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.chunks);		/* on qinit, held by cached entries */
	EXPECT_EQ(100 * 4096, st.cached_bytes);
	EXPECT_EQ(1, bufpool_trim(pool));	/* the chunk the flush emptied */
	EXPECT_EQ(0, bufpool_trim(pool));	/* nothing left */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.cached_bytes);
	EXPECT_EQ(100, st.cache_flushed);
	EXPECT_EQ(0, st.chunks);
	EXPECT_EQ(0, st.chunk_bytes);
	EXPECT_EQ(-EINVAL, bufpool_trim(NULL));
	bufpool_destroy(pool);
}

static void *cache_thread(void *arg)
{
	struct bufpool *pool = arg;
	void *p[50];
	int i;

	for (i = 0; i < 50; i++)
		p[i] = bufpool_alloc(pool, 128);
	for (i = 0; i < 50; i++)
		bufpool_free(pool, p[i]);
	return NULL;
}

/* A thread's cache goes back to the arenas when the thread exits. */
TEST(cache_returned_at_thread_exit)
{
	struct bufpool *pool = cache_pool(0);
	struct bufpool_stats st;
	pthread_t t;
	int i;

	ASSERT_NE(NULL, pool);
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, pthread_create(&t, NULL, cache_thread, pool));
		ASSERT_EQ(0, pthread_join(t, NULL));
	}
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.cached_bytes);
	EXPECT_EQ(20 * 50, st.cache_frees);
	EXPECT_EQ(20 * 50, st.cache_flushed);
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(20 * 50, st.allocations);
	EXPECT_EQ(20 * 50, st.frees);
	bufpool_destroy(pool);
}

/*
 * BUFPOOL_F_LEAK_REPORT_AT_EXIT: a child leaks two buffers (paranoid) and
 * exits without destroying its pool; the report comes out on stderr.
 */
TEST(buf_leak_report_at_exit)
{
	char out[4096] = "";
	int p[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct bufpool_config cfg;
		struct bufpool *pool;

		dup2(p[1], 2);
		bufpool_config_init(&cfg);
		cfg.name = "exiting";
		cfg.flags = BUFPOOL_F_LEAK_REPORT_AT_EXIT;
		cfg.leak_detection = BUFPOOL_LEAK_PARANOID;
		pool = bufpool_create(&cfg);
		if (!pool)
			_exit(2);
		bufpool_buf_alloc(pool, 10, 10);
		bufpool_buf_alloc(pool, 10, 10);
		bufpool_buf_release(bufpool_buf_alloc(pool, 10, 10));
		exit(0);	/* atexit handlers run */
	}
	close(p[1]);
	while ((n = read(p[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	close(p[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_NE(NULL, strstr(out, "pool 'exiting': LEAK: 2 buffers never released"))
		TH_LOG("stderr: '%s'", out);
	EXPECT_NE(NULL, strstr(out, "1 buffer, 10 bytes")) TH_LOG("stderr: '%s'", out);  /* two sites */
}

/* A thread that released buffers of pool a, then used pool b, exits. */
static void *two_pool_thread(void *arg)
{
	struct bufpool **pools = arg;
	int i;

	for (i = 0; i < 10; i++)
		bufpool_buf_release(bufpool_buf_alloc(pools[0], 64, 64));
	bufpool_free(pools[1], bufpool_alloc(pools[1], 64));	/* b last */
	return NULL;
}

/* A thread that keeps recycled descriptors of @arg's pool and waits. */
static pthread_barrier_t hold_barrier;

static void *holding_thread(void *arg)
{
	int i;

	for (i = 0; i < 10; i++)
		bufpool_buf_release(bufpool_buf_alloc(arg, 64, 64));
	pthread_barrier_wait(&hold_barrier);	/* recycler filled */
	pthread_barrier_wait(&hold_barrier);	/* pool destroyed */
	return NULL;
}

/*
 * Emptying a thread's descriptor recycler must not go through the
 * caller's cache: at thread exit the thread's own pool binding may be
 * gone (it used another pool last), and a destroy may come from a thread
 * the pool never saw.  Both used to deadlock; the harness's timeout
 * catches a relapse.
 */
TEST(buf_recyclers_emptied_from_any_thread)
{
	struct bufpool *pools[2] = { cache_pool(0), cache_pool(0) };
	struct bufpool_stats st;
	pthread_t t;

	ASSERT_NE(NULL, pools[0]);
	ASSERT_NE(NULL, pools[1]);
	ASSERT_EQ(0, pthread_create(&t, NULL, two_pool_thread, pools));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, bufpool_get_stats(pools[0], &st));
	/* The exiting thread's one descriptor: a spare of the pool now. */
	EXPECT_EQ(1, st.active);
	EXPECT_EQ(0, st.cached_bytes);
	EXPECT_EQ(10, st.buf_allocs);
	EXPECT_EQ(9, st.buf_recycled);

	pthread_barrier_init(&hold_barrier, NULL, 2);
	ASSERT_EQ(0, pthread_create(&t, NULL, holding_thread, pools[1]));
	pthread_barrier_wait(&hold_barrier);
	bufpool_destroy(pools[1]);	/* this thread never allocated from it */
	pthread_barrier_wait(&hold_barrier);
	ASSERT_EQ(0, pthread_join(t, NULL));
	pthread_barrier_destroy(&hold_barrier);
	bufpool_destroy(pools[0]);
}

/* --- sized free, bulk, refill batches, retention (issue 9) ------------------ */

/* The sized free frees what the plain one frees, and refuses what it refuses. */
TEST(sized_free)
{
	static const size_t sizes[] = { 0, 1, 16, 100, 496, 497, 512, 2000, 4096,
					8192, 20000, 32768, 65536, 1 << 20, CHUNK + 1 };
	struct bufpool *pool = new_pool(BUFPOOL_F_MISUSE_COUNT);
	struct bufpool_stats st;
	char *p, *q;
	unsigned int i, round;

	ASSERT_NE(NULL, pool);
	for (round = 0; round < 3; round++) {	/* arena, then cache hits */
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			p = bufpool_alloc(pool, sizes[i]);
			ASSERT_NE(NULL, p);
			fill(p, sizes[i], i);
			EXPECT_TRUE(check(p, sizes[i], i));
			bufpool_free_sized(pool, p, sizes[i]);
		}
	}
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(3 * ARRAY_SIZE(sizes), st.allocations);
	EXPECT_EQ(st.allocations, st.frees);
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(0, st.invalid_frees);
	EXPECT_GT(st.cache_hits, 0);

	/* A size that is not the allocation's: still freed, nothing lost. */
	p = bufpool_alloc(pool, 100);
	ASSERT_NE(NULL, p);
	bufpool_free_sized(pool, p, 4000);
	bufpool_free_sized(pool, bufpool_alloc(pool, 5000), 16);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(0, st.invalid_frees);

	/* Double free of a cached block, interior pointer: refused. */
	p = bufpool_alloc(pool, 100);
	q = bufpool_alloc(pool, 100);
	ASSERT_NE(NULL, q);
	ASSERT_EQ(112, bufpool_usable_size(pool, q));
	fill(q, 112, 3);
	bufpool_free_sized(pool, p, 100);
	bufpool_free_sized(pool, p, 100);
	bufpool_free_sized(pool, q + 16, 100);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(2, st.invalid_frees);
	EXPECT_EQ(1, st.active);
	EXPECT_TRUE(check(q, 112, 3));
	bufpool_free_sized(pool, q, 100);
	bufpool_free_sized(pool, NULL, 100);	/* a no-op */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.active);
	bufpool_destroy(pool);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Bulk calls: all or nothing, distinct blocks, counted as single calls. */
TEST(bulk_alloc_and_free)
{
	static const size_t sizes[] = { 64, 1000, 8192, 40000, 100000, CHUNK + 1 };
	enum { N = 300 };
	struct bufpool *pool = new_pool(BUFPOOL_F_MISUSE_COUNT);
	struct bufpool_stats st, before;
	void *v[N], *sorted[N];
	unsigned int i, k;

	ASSERT_NE(NULL, pool);
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		size_t n = sizes[k] > CHUNK ? 3 : N;

		ASSERT_EQ(n, bufpool_alloc_bulk(pool, sizes[k], n, v));
		for (i = 0; i < n; i++) {
			EXPECT_GE(bufpool_usable_size(pool, v[i]), sizes[k]);
			fill(v[i], sizes[k] < 4096 ? sizes[k] : 4096, i);
		}
		memcpy(sorted, v, n * sizeof(*v));
		qsort(sorted, n, sizeof(*v), cmp_ptr);
		for (i = 1; i < n; i++)
			EXPECT_LE((uintptr_t)sorted[i - 1] + sizes[k], (uintptr_t)sorted[i]);
		for (i = 0; i < n; i++)
			EXPECT_TRUE(check(v[i], sizes[k] < 4096 ? sizes[k] : 4096, i));
		ASSERT_EQ(0, bufpool_get_stats(pool, &st));
		EXPECT_EQ(n, st.active);
		bufpool_free(pool, v[1]);		/* NULL entries are skipped */
		v[1] = NULL;
		bufpool_free_bulk(pool, n, v);
		ASSERT_EQ(0, bufpool_get_stats(pool, &st));
		EXPECT_EQ(0, st.active);
		EXPECT_EQ(0, st.invalid_frees);
	}
	/* A second round comes from the cache in one go. */
	ASSERT_EQ(64, bufpool_alloc_bulk(pool, 64, 64, v));
	bufpool_free_bulk(pool, 64, v);
	ASSERT_EQ(0, bufpool_get_stats(pool, &before));
	ASSERT_EQ(64, bufpool_alloc_bulk(pool, 64, 64, v));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(before.cache_hits + 64, st.cache_hits);
	EXPECT_EQ(before.arena_locks, st.arena_locks);
	/* A bad pointer among good ones: refused, the others freed. */
	v[10] = (char *)v[10] + 1;
	bufpool_free_bulk(pool, 64, v);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.invalid_frees);
	EXPECT_EQ(1, st.active);
	bufpool_free(pool, (char *)v[10] - 1);
	/* The same pointer twice in one batch: the second is a double free. */
	ASSERT_EQ(64, bufpool_alloc_bulk(pool, 64, 64, v));
	sorted[0] = v[20];
	v[20] = v[19];
	bufpool_free_bulk(pool, 64, v);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(2, st.invalid_frees);
	EXPECT_EQ(1, st.active);
	bufpool_free(pool, sorted[0]);
	/* Foreign pointers, the first of a batch and one at a tiny address. */
	ASSERT_EQ(64, bufpool_alloc_bulk(pool, 64, 64, v));
	sorted[0] = v[0];
	sorted[1] = v[30];
	v[0] = (void *)(uintptr_t)16;
	v[30] = &before;
	bufpool_free_bulk(pool, 64, v);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(4, st.invalid_frees);
	EXPECT_EQ(2, st.active);
	bufpool_free_bulk(pool, 2, sorted);
	/*
	 * Sizes interleaved: runs and elements of cached sizes next to an
	 * uncached run and a huge block, which take the slow path between
	 * them; everything is freed, the cached sizes into the cache.
	 */
	ASSERT_EQ(0, bufpool_get_stats(pool, &before));
	for (i = 0; i < 40; i++) {
		static const size_t mix[] = { 8192, 8192, 100000, 64, 16384, CHUNK + 1, 8192, 100 };

		v[i] = bufpool_alloc(pool, mix[i % ARRAY_SIZE(mix)]);
		ASSERT_NE(NULL, v[i]);
	}
	bufpool_free_bulk(pool, 40, v);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(before.active, st.active);
	EXPECT_EQ(before.invalid_frees, st.invalid_frees);
	EXPECT_EQ(before.huge_frees + 5, st.huge_frees);
	EXPECT_EQ(before.cache_frees + 30, st.cache_frees);

	/* Errors: nothing allocated, errno says why. */
	ASSERT_EQ(0, bufpool_get_stats(pool, &before));
	errno = 0;
	EXPECT_EQ(0, bufpool_alloc_bulk(NULL, 64, 4, v));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(0, bufpool_alloc_bulk(pool, 64, 4, NULL));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(0, bufpool_alloc_bulk(pool, SIZE_MAX / 2, 2, v));
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ(0, bufpool_alloc_bulk(pool, 64, 0, v));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(before.active, st.active);
	EXPECT_EQ(before.allocations, st.allocations);
	bufpool_destroy(pool);
}

/*
 * The default refill: a miss takes a batch under one arena lock (a quarter
 * of the 512-entry tiny bin, capped at REFILL = 64) and the next 63 are
 * hits; the user's counts stay exact.  With cache_refill 1 each miss is
 * one lock.
 */
#define REFILL	64
TEST(cache_refill_in_batches)
{
	struct bufpool_config cfg;
	struct bufpool_stats st, before;
	struct bufpool *pool;
	void *p[REFILL + 2];
	int i;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	p[0] = bufpool_alloc(pool, 64);		/* a new chunk: one */
	ASSERT_EQ(0, bufpool_get_stats(pool, &before));
	for (i = 1; i < REFILL + 1; i++)
		p[i] = bufpool_alloc(pool, 64);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(before.cache_misses + 1, st.cache_misses);
	EXPECT_EQ(REFILL - 1, st.cache_hits);
	EXPECT_EQ(before.arena_locks + 1, st.arena_locks);
	EXPECT_EQ(REFILL + 1, st.allocations);
	EXPECT_EQ(REFILL + 1, st.active);
	EXPECT_EQ((REFILL + 1) * 64, st.active_bytes);
	EXPECT_EQ(0, st.cached_bytes);
	p[REFILL + 1] = bufpool_alloc(pool, 64);	/* the next batch */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ((REFILL - 1) * 64, st.cached_bytes);
	EXPECT_EQ(REFILL + 2, st.active);
	EXPECT_EQ(before.arena_locks + 2, st.arena_locks);
	for (i = 0; i < REFILL + 2; i++)
		bufpool_free(pool, p[i]);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(0, st.active_bytes);
	EXPECT_EQ(REFILL + 2, st.frees);
	bufpool_trim(pool);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.cached_bytes);
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(0, st.chunks);
	bufpool_destroy(pool);

	cfg.cache_refill = 1;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	for (i = 0; i < REFILL + 1; i++)
		p[i] = bufpool_alloc(pool, 64);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(REFILL + 1, st.cache_misses);
	EXPECT_EQ(0, st.cache_hits);
	EXPECT_GE(st.arena_locks, REFILL + 1);
	for (i = 0; i < REFILL + 1; i++)
		bufpool_free(pool, p[i]);
	bufpool_destroy(pool);

	cfg.cache_refill = REFILL + 1;		/* above the limit */
	errno = 0;
	EXPECT_NULL(bufpool_create(&cfg));
	EXPECT_EQ(EINVAL, errno);
}

struct handoff {
	struct bufpool *pool;
	void **ptrs;
	int n;
};

static void *free_all(void *arg)
{
	struct handoff *h = arg;
	int i;

	for (i = 0; i < h->n; i++)
		bufpool_free(h->pool, h->ptrs[i]);
	return NULL;
}

/*
 * Producer/consumer: one thread allocates, another frees.  Both sides go
 * to the arena in batches (refills; full bins giving back their oldest),
 * not one arena lock per object.
 */
TEST(cross_thread_frees_in_batches)
{
	enum { N = 20000 };
	struct bufpool_config cfg;
	struct bufpool_stats st;
	struct handoff h;
	pthread_t t;
	int i;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	h.pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, h.pool);
	h.ptrs = calloc(N, sizeof(void *));
	h.n = N;
	ASSERT_NE(NULL, h.ptrs);
	for (i = 0; i < N; i++) {
		h.ptrs[i] = bufpool_alloc(h.pool, 64);
		ASSERT_NE(NULL, h.ptrs[i]);
	}
	ASSERT_EQ(0, pthread_create(&t, NULL, free_all, &h));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, bufpool_get_stats(h.pool, &st));
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(N, st.frees);
	EXPECT_EQ(0, st.invalid_frees);
	/* ~N/32 refills and ~N/64 flushes, plus new chunks: far below N. */
	EXPECT_LT(st.arena_locks, N / 16);
	free(h.ptrs);
	bufpool_destroy(h.pool);
}

/*
 * chunk_retention_ms: an emptied chunk stays mapped (retained_chunks, not
 * chunks) and serves the next chunk the arena needs; bufpool_trim()
 * releases it at once, a cache trim once it is older than the retention;
 * 0 releases it on the spot (Netty).
 */
TEST(chunk_retention)
{
	struct bufpool_config cfg;
	struct bufpool_stats st;
	struct bufpool *pool;
	void *p, *q;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	cfg.chunk_retention_ms = 60000;
	cfg.flags = BUFPOOL_F_MISUSE_COUNT;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	p = bufpool_alloc(pool, CHUNK / 2);	/* normal, not cached */
	ASSERT_NE(NULL, p);
	bufpool_free(pool, p);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.chunks);
	EXPECT_EQ(1, st.retained_chunks);
	q = bufpool_alloc(pool, CHUNK / 2);
	EXPECT_EQ(p, q);			/* the same chunk, the same run */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.chunks);
	EXPECT_EQ(0, st.retained_chunks);
	bufpool_free(pool, q);
	EXPECT_EQ(0, bufpool_usable_size(pool, q));	/* not live any more */
	bufpool_free(pool, q);				/* so this is refused */
	bufpool_trim(pool);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.invalid_frees);
	EXPECT_EQ(0, st.retained_chunks);
	EXPECT_EQ(0, st.chunks);
	bufpool_destroy(pool);

	/* By age: a count trim (every allocation here) unmaps the old ones. */
	cfg.chunk_retention_ms = 30;
	cfg.cache_trim_interval = 1;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	bufpool_free(pool, bufpool_alloc(pool, CHUNK / 2));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.retained_chunks);
	usleep(60 * 1000);
	bufpool_free(pool, bufpool_alloc(pool, 64));	/* a trim: too old */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.retained_chunks);
	bufpool_destroy(pool);

	cfg.chunk_retention_ms = 0;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	bufpool_free(pool, bufpool_alloc(pool, CHUNK / 2));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.retained_chunks);
	EXPECT_EQ(0, st.chunks);
	bufpool_destroy(pool);
}

/* How many of the system pages of [p, p + len) are resident (mincore). */
static size_t resident_pages(const void *p, size_t len)
{
	size_t sys = (size_t)sysconf(_SC_PAGESIZE), n = len / sys, i, in = 0;
	unsigned char *vec = malloc(n);

	if (!vec || mincore((void *)p, len, vec)) {
		free(vec);
		return (size_t)-1;
	}
	for (i = 0; i < n; i++)
		in += vec[i] & 1;
	free(vec);
	return in;
}

static int all_bytes(const unsigned char *p, size_t len, unsigned char v)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

#define PURGE_MS	150

/*
 * A decay that makes a purge pass: one chunk_retention_ms (PURGE_MS here)
 * after the last pass, at a count trim (cache_trim_interval is 1 in these
 * pools, so every allocation through the cache trims).
 */
static void purge_pass(struct bufpool *pool)
{
	usleep((PURGE_MS + 10) * 1000);
	bufpool_free(pool, bufpool_alloc(pool, 64));
}

/* @n bytes of @pool, each @byte, so all resident (mincore()); NULL if none. */
static unsigned char *alloc_filled(struct bufpool *pool, size_t n, int byte)
{
	unsigned char *p = bufpool_alloc(pool, n);

	if (p)
		memset(p, byte, n);
	return p;
}

/*
 * One arena, a decay at every allocation through the cache (a count trim);
 * @flags as struct bufpool_config's.
 */
static struct bufpool *purge_pool(unsigned int retention_ms, unsigned int flags)
{
	struct bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	cfg.cache_trim_interval = 1;
	cfg.chunk_retention_ms = retention_ms;
	cfg.flags = flags;
	return bufpool_create(&cfg);
}

/*
 * In a fresh purge_pool(), the chunk's second, third and fourth quarters,
 * filled with 1, 2 and 3 (@x[0..2]); the second and fourth freed, and a
 * decay that records them.  False if they are not where that says.
 */
static bool purge_quarters(struct bufpool *pool, unsigned char *x[3])
{
	const size_t q = CHUNK / 4;
	int i;

	bufpool_free(pool, bufpool_alloc(pool, 64));	/* the first quarter's page */
	for (i = 0; i < 3; i++)
		x[i] = alloc_filled(pool, q, i + 1);
	if (!x[0] || x[1] != x[0] + q || x[2] != x[1] + q)
		return false;
	bufpool_free(pool, x[0]);
	bufpool_free(pool, x[2]);
	bufpool_free(pool, bufpool_alloc(pool, 64));	/* records */
	return true;
}

/*
 * Free pages of a chunk in use go back to the system (madvise) once they
 * stayed free from one purge pass to the next (a pass per
 * chunk_retention_ms, at a decay), in ranges of 256 KiB or more, or at
 * bufpool_trim(); pages in use never do, and a run taken and given back
 * between two passes is spared.  With chunk_retention_ms 0 (Netty's
 * behaviour) nothing goes.  The free runs here stay under a sixteenth of
 * the pages in use (a, a2, a3), so no decay purges for their excess
 * (excess_pages_purged).
 */
TEST(free_pages_purged)
{
	const size_t run = CHUNK / 32, hole = 128 << 10, sys = (size_t)sysconf(_SC_PAGESIZE);
	struct bufpool_stats st;
	struct bufpool *pool;
	unsigned char *a, *a2, *a3, *b, *c, *d;
	unsigned int i;

	pool = purge_pool(PURGE_MS, 0);
	ASSERT_NE(NULL, pool);
	bufpool_free(pool, bufpool_alloc(pool, 64));	/* its subpage's page first */
	a = alloc_filled(pool, run, 0xa5);		/* keeps the chunk in use */
	a2 = bufpool_alloc(pool, CHUNK / 2);	/* three quarters of it in use */
	a3 = bufpool_alloc(pool, CHUNK / 4);
	b = alloc_filled(pool, run, 0x5a);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, a2);
	ASSERT_NE(NULL, a3);
	ASSERT_NE(NULL, b);
	bufpool_free(pool, b);
	for (i = 0; i < 20; i++)		/* decays, but no pass is due */
		bufpool_free(pool, bufpool_alloc(pool, 64));
	EXPECT_EQ(run / sys, resident_pages(b, run));
	purge_pass(pool);			/* free since this pass only */
	EXPECT_EQ(run / sys, resident_pages(b, run));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.purge_calls);
	EXPECT_EQ(0, st.purged_bytes);
	purge_pass(pool);			/* and since the one before: purged */
	EXPECT_EQ(0, resident_pages(b, run));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(1, st.purge_calls);		/* one range, one call */
	EXPECT_EQ(run, st.purged_bytes);
	EXPECT_EQ(run / sys, resident_pages(a, run));
	EXPECT_TRUE(all_bytes(a, run, 0xa5));

	/* Taken again between two passes: spared by the second. */
	c = alloc_filled(pool, run, 0x3c);
	ASSERT_EQ(b, c);			/* the leftmost free run: b's */
	bufpool_free(pool, c);
	purge_pass(pool);
	c = alloc_filled(pool, run, 0x3c);
	ASSERT_EQ(b, c);
	bufpool_free(pool, c);
	purge_pass(pool);			/* freed after the pass before */
	EXPECT_EQ(run / sys, resident_pages(c, run));
	purge_pass(pool);
	EXPECT_EQ(0, resident_pages(c, run));
	c = alloc_filled(pool, run, 0x3c);
	ASSERT_EQ(b, c);
	bufpool_free(pool, c);
	/* A hole below 256 KiB is not worth a pass's system call. */
	d = alloc_filled(pool, hole, 0x69);
	ASSERT_NE(NULL, d);
	bufpool_free(pool, d);
	purge_pass(pool);
	purge_pass(pool);
	EXPECT_EQ(hole / sys, resident_pages(d, hole));
	/* bufpool_trim() gives back every free page at once. */
	bufpool_trim(pool);
	EXPECT_EQ(0, resident_pages(c, run));
	EXPECT_EQ(0, resident_pages(d, hole));
	EXPECT_TRUE(all_bytes(a, run, 0xa5));
	bufpool_free(pool, a);
	bufpool_free(pool, a2);
	bufpool_free(pool, a3);
	bufpool_destroy(pool);

	/* Netty's behaviour: no retention, no purge. */
	pool = purge_pool(0, 0);
	ASSERT_NE(NULL, pool);
	bufpool_free(pool, bufpool_alloc(pool, 64));
	a = bufpool_alloc(pool, run);
	b = alloc_filled(pool, run, 0x5a);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	bufpool_free(pool, b);
	purge_pass(pool);
	purge_pass(pool);
	bufpool_trim(pool);
	EXPECT_EQ(run / sys, resident_pages(b, run));
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(0, st.purge_calls);
	EXPECT_EQ(0, st.purged_bytes);
	bufpool_free(pool, a);
	bufpool_destroy(pool);
}

/*
 * Between periodic passes, a decay purges when the free pages that may be
 * resident exceed a sixteenth of the pages in use in the arena's chunks in
 * use: what stayed free since the pass before, in ranges of 256 KiB or
 * more.  Below that share, decays purge nothing.
 */
TEST(excess_pages_purged)
{
	const size_t sys = (size_t)sysconf(_SC_PAGESIZE), small = CHUNK / 64;
	struct bufpool *pool;
	unsigned char *a, *b, *e;
	unsigned int i;

	pool = purge_pool(600000, 0);	/* no periodic pass in this test */
	ASSERT_NE(NULL, pool);
	bufpool_free(pool, bufpool_alloc(pool, 64));
	a = alloc_filled(pool, CHUNK / 2, 0xa5);
	b = alloc_filled(pool, CHUNK / 4, 0x5a);
	e = alloc_filled(pool, small, 0x3c);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, e);
	/* 256 KiB free against 12 MiB in use: kept through any number of decays. */
	bufpool_free(pool, e);
	for (i = 0; i < 20; i++)
		bufpool_free(pool, bufpool_alloc(pool, 64));
	EXPECT_EQ(small / sys, resident_pages(e, small));
	/* 4 MiB more: the first decay records, the second purges both. */
	bufpool_free(pool, b);
	bufpool_free(pool, bufpool_alloc(pool, 64));
	EXPECT_EQ(CHUNK / 4 / sys, resident_pages(b, CHUNK / 4));
	EXPECT_EQ(small / sys, resident_pages(e, small));
	bufpool_free(pool, bufpool_alloc(pool, 64));
	EXPECT_EQ(0, resident_pages(b, CHUNK / 4));
	EXPECT_EQ(0, resident_pages(e, small));
	EXPECT_EQ(CHUNK / 2 / sys, resident_pages(a, CHUNK / 2));
	EXPECT_TRUE(all_bytes(a, CHUNK / 2, 0xa5));
	bufpool_free(pool, a);
	bufpool_destroy(pool);
}

/*
 * A decay's pass purges about 4 MiB per arena at most, so that the
 * allocation that made the decay is held for bounded work; what the pass
 * leaves goes at the next one.
 */
TEST(purge_budget)
{
	const size_t sys = (size_t)sysconf(_SC_PAGESIZE), q = CHUNK / 4;
	struct bufpool *pool;
	unsigned char *x[3], *x1, *x2, *x3;

	pool = purge_pool(600000, 0);
	ASSERT_NE(NULL, pool);
	ASSERT_TRUE(purge_quarters(pool, x));	/* x2 stays, between the holes */
	x1 = x[0];
	x2 = x[1];
	x3 = x[2];
	EXPECT_EQ(q / sys, resident_pages(x1, q));
	EXPECT_EQ(q / sys, resident_pages(x3, q));
	bufpool_free(pool, bufpool_alloc(pool, 64));	/* 4 MiB: the budget */
	EXPECT_EQ(0, resident_pages(x1, q));
	EXPECT_EQ(q / sys, resident_pages(x3, q));
	bufpool_free(pool, bufpool_alloc(pool, 64));	/* the rest */
	EXPECT_EQ(0, resident_pages(x3, q));
	EXPECT_EQ(q / sys, resident_pages(x2, q));
	EXPECT_TRUE(all_bytes(x2, q, 2));
	bufpool_free(pool, x2);
	bufpool_destroy(pool);
}

/*
 * madvise() as libbufpool calls it: this test links the library
 * statically, so the definition here is the one its purges reach.  It
 * makes the real call; but first, once a test armed purge_probe, for the
 * purge of a range that starts in [lo, hi), it runs the probe's hook - in
 * the purging thread, at the moment the purge gives the range back.
 */
static struct {
	const void *lo, *hi;
	void (*hook)(void *mem, size_t len);
} purge_probe;

int madvise(void *addr, size_t len, int advice)
{
	void (*hook)(void *mem, size_t len) = purge_probe.hook;

	if (hook && advice == MADV_DONTNEED &&
	    (const char *)addr >= (const char *)purge_probe.lo &&
	    (const char *)addr < (const char *)purge_probe.hi) {
		purge_probe.hook = NULL;
		hook(addr, len);
	}
	return syscall(SYS_madvise, addr, len, advice);
}

/* What the other thread does while a purge gives a range back. */
static struct purge_window {
	struct bufpool *pool;
	size_t run;
	void *mem;		/* the range being given back */
	size_t len;
	unsigned char *got;	/* the other thread's allocation of @run bytes */
	bool in_time;		/* it was done before the purge went on */
	sem_t go, done;
} window;

static void *purge_window_thread(void *arg)
{
	sem_wait(&window.go);
	window.got = alloc_filled(window.pool, window.run, 7);	/* the arena lock */
	bufpool_free(window.pool, window.mem);	/* inside the range: refused */
	sem_post(&window.done);
	return NULL;
}

static void purge_window_hook(void *mem, size_t len)
{
	struct timespec until;

	window.mem = mem;
	window.len = len;
	sem_post(&window.go);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	window.in_time = sem_timedwait(&window.done, &until) == 0;
}

/*
 * A purge gives pages back without the arena lock: while its madvise()
 * runs, another thread of the same arena allocates (a run, which takes the
 * arena lock) and is done before the purge goes on; its run is not in the
 * range being purged, and a free inside that range is refused, not taken
 * for a run.  Holding the lock through the call would keep the other
 * thread waiting until the purge ends (the wait here gives up after 5 s).
 */
TEST(purge_without_arena_lock)
{
	const size_t q = CHUNK / 4;
	struct bufpool_stats st;
	unsigned char *x[3], *x1, *x2, *x3;
	pthread_t t;

	window.pool = purge_pool(600000, BUFPOOL_F_MISUSE_COUNT);
	ASSERT_NE(NULL, window.pool);
	window.run = q;
	ASSERT_EQ(0, sem_init(&window.go, 0, 0));
	ASSERT_EQ(0, sem_init(&window.done, 0, 0));
	ASSERT_EQ(0, pthread_create(&t, NULL, purge_window_thread, NULL));
	ASSERT_TRUE(purge_quarters(window.pool, x));	/* as purge_budget */
	x1 = x[0];
	x2 = x[1];
	x3 = x[2];
	purge_probe.lo = x1;
	purge_probe.hi = x1 + q;
	purge_probe.hook = purge_window_hook;
	bufpool_free(window.pool, bufpool_alloc(window.pool, 64));	/* purges x1 */
	pthread_join(t, NULL);
	EXPECT_EQ(NULL, purge_probe.hook);	/* the hook ran */
	EXPECT_TRUE(window.in_time);
	EXPECT_EQ(x1, window.mem);
	EXPECT_EQ(q, window.len);
	ASSERT_NE(NULL, window.got);
	EXPECT_EQ(x3, window.got);		/* the free run that was not out */
	EXPECT_EQ(0, resident_pages(x1, q));
	ASSERT_EQ(0, bufpool_get_stats(window.pool, &st));
	EXPECT_EQ(1, st.invalid_frees);
	EXPECT_EQ(1, st.purge_calls);
	EXPECT_EQ(q, st.purged_bytes);
	/* Back in the tree: the next run of that size is x1's. */
	x1 = alloc_filled(window.pool, q, 1);
	EXPECT_EQ(window.mem, x1);
	EXPECT_TRUE(all_bytes(x2, q, 2));
	EXPECT_TRUE(all_bytes(window.got, q, 7));
	bufpool_free(window.pool, x1);
	bufpool_free(window.pool, x2);
	bufpool_free(window.pool, window.got);
	bufpool_destroy(window.pool);
	sem_destroy(&window.go);
	sem_destroy(&window.done);
}

struct purge_churner {
	struct bufpool *pool;
	unsigned int seed;
	unsigned int bad;
};

/*
 * Blocks of 64 B (through the cache: a decay at each) and of 256 KiB to
 * 1 MiB (runs, whose frees leave holes that excess passes purge), each
 * with its tag in every system page, checked before it is freed.
 */
static void *purge_churn(void *arg)
{
	enum { SLOTS = 24, ROUNDS = 1500 };
	const size_t sys = (size_t)sysconf(_SC_PAGESIZE);
	struct purge_churner *ch = arg;
	unsigned char *p[SLOTS] = { 0 };
	size_t len[SLOTS] = { 0 }, off;
	unsigned char tag[SLOTS] = { 0 };
	unsigned int r, i;

	for (r = 0; r < ROUNDS * SLOTS / 4; r++) {
		i = rand_r(&ch->seed) % SLOTS;
		if (p[i]) {
			for (off = 0; off < len[i]; off += sys)
				ch->bad += p[i][off] != tag[i];
			ch->bad += p[i][len[i] - 1] != tag[i];
			bufpool_free(ch->pool, p[i]);
		}
		len[i] = i % 2 ? 64 : (256 << 10) << (rand_r(&ch->seed) % 3);
		p[i] = bufpool_alloc(ch->pool, len[i]);
		if (!p[i]) {
			ch->bad++;
			continue;
		}
		tag[i] = (unsigned char)(r | 1);
		for (off = 0; off < len[i]; off += sys)
			p[i][off] = tag[i];
		p[i][len[i] - 1] = tag[i];
	}
	for (i = 0; i < SLOTS; i++)
		bufpool_free(ch->pool, p[i]);
	return NULL;
}

/*
 * Two threads churn one arena whose decays purge for excess all the time:
 * no live byte is ever lost to a purge (madvise() reads back as zero).
 */
TEST(purge_spares_live_blocks)
{
	struct purge_churner ch[2];
	struct bufpool *pool;
	pthread_t t[2];
	int i;

	pool = purge_pool(600000, 0);
	ASSERT_NE(NULL, pool);
	for (i = 0; i < 2; i++) {
		ch[i] = (struct purge_churner){ .pool = pool, .seed = 7 + i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, purge_churn, &ch[i]));
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, ch[i].bad);
	}
	bufpool_destroy(pool);
}

struct churner {
	struct bufpool *pool;
	volatile int stop;
	unsigned int seed;
};

static void *churn_until_stopped(void *arg)
{
	struct churner *ch = arg;
	unsigned int seed = ch->seed;
	void *keep[64] = { 0 };

	while (!ch->stop) {
		unsigned int i = rand_r(&seed) % 64;

		bufpool_free(ch->pool, keep[i]);
		keep[i] = bufpool_alloc(ch->pool, 16 + rand_r(&seed) % (3 * PAGE));
	}
	for (unsigned int i = 0; i < 64; i++)
		bufpool_free(ch->pool, keep[i]);
	return NULL;
}

static void *trim_until_stopped(void *arg)
{
	struct churner *ch = arg;

	while (!ch->stop)
		bufpool_trim(ch->pool);
	return NULL;
}

/*
 * fork() while two threads allocate and free (one arena, no caches: every
 * call takes the arena lock) and a third trims, purging the free pages
 * they leave, which it gives back without the arena lock: each child
 * allocates 1000 times under a 5-second alarm, trims, and must exit
 * normally.  Without the fork handlers a child that inherits a held lock
 * hangs; without the purge locks among them, one inherits ranges a purge
 * had taken out of a tree, and its own purge finds them (a warning, fatal
 * in the test builds).
 */
TEST(fork_while_other_threads_allocate)
{
	enum { FORKS = 200, CHILD_ALLOCS = 1000 };
	struct bufpool_config cfg;
	struct churner ch[3];
	pthread_t t[3];
	int i, hung = 0, bad = 0;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	cfg.tiny_cache_size = cfg.small_cache_size = cfg.normal_cache_size = 0;
	ch[0].pool = ch[1].pool = ch[2].pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, ch[0].pool);
	/*
	 * This thread binds to the pool before it forks: a child's first
	 * allocation would otherwise bind there, with malloc(), and ASan's
	 * malloc is not fork-safe (seen here: a child blocked for good on a
	 * lock of ASan's allocator that another thread held at the fork).
	 */
	bufpool_free(ch[0].pool, bufpool_alloc(ch[0].pool, 16));
	for (i = 0; i < 3; i++) {
		ch[i].stop = 0;
		ch[i].seed = i + 1;
		ASSERT_EQ(0, pthread_create(&t[i], NULL,
					    i < 2 ? churn_until_stopped : trim_until_stopped, &ch[i]));
	}
	for (i = 0; i < FORKS; i++) {
		int status, k;
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (pid == 0) {
			struct bufpool_stats st;

			alarm(5);
			for (k = 0; k < CHILD_ALLOCS; k++) {
				void *p = bufpool_alloc(ch[0].pool, 16 + k * 37 % 20000);

				if (!p)
					_exit(2);
				bufpool_free(ch[0].pool, p);
			}
			bufpool_trim(ch[0].pool);
			if (bufpool_get_stats(ch[0].pool, &st) || st.invalid_frees)
				_exit(3);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
			hung++;
		else if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	for (i = 0; i < 3; i++) {
		ch[i].stop = 1;
		pthread_join(t[i], NULL);
	}
	EXPECT_EQ(0, hung);
	EXPECT_EQ(0, bad);
	bufpool_destroy(ch[0].pool);
}

TEST_HARNESS_MAIN
