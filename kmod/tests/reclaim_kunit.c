// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * reclaim_kunit.c - KUnit suite "bufpool_reclaim": what the shrinker is
 * built on (core/pool.c).
 *
 *   - bufpool_pool_reclaimable() follows chunks as they fill and empty,
 *     retained ones included, and what caches hold, exactly;
 *   - it takes no arena lock: it answers with every arena lock held (a
 *     lock taken again would deadlock, and lockdep would say so);
 *   - bufpool_pool_shrink() releases at most what it is asked: requests
 *     smaller than a chunk release nothing until they add up to one, and
 *     it says exactly what it released.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "geometry.h"
#include "chunk.h"
#include "arena.h"
#include "pool.h"

#define RECLAIM_CHUNKS	4

/* 64 KiB chunks, one arena, chunks kept for an hour once empty. */
static struct bufpool *reclaim_pool(struct kunit *test, unsigned int cache_size)
{
	struct bufpool_config cfg = {
		.name = "kunit-reclaim", .page_size = 4096, .max_order = 4,
		.nr_arenas = 1, .chunk_retention_ms = 3600 * 1000,
		.normal_cache_size = cache_size, .max_cached_capacity = 4096,
		.cache_refill = 1,	/* a miss takes one entry, no more */
	};
	char why[128];
	struct bufpool *pool = bufpool_pool_create(&cfg, why, sizeof(why));

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(pool), "%s", why);
	return pool;
}

/* @n chunk-sized allocations: each one a whole chunk of its own. */
static void fill_chunks(struct kunit *test, struct bufpool *pool, void **p, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		p[i] = bufpool_pool_alloc(pool, pool->geo.chunk_size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
}

static void reclaim_count_follows_chunks(struct kunit *test)
{
	struct bufpool *pool = reclaim_pool(test, 0);
	size_t chunk = pool->geo.chunk_size;
	void *p[RECLAIM_CHUNKS], *small;
	struct bufpool_stats st;
	int i;

	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 0);
	fill_chunks(test, pool, p, RECLAIM_CHUNKS);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 0);	/* all full */
	for (i = 0; i < RECLAIM_CHUNKS; i++) {
		bufpool_pool_free(pool, p[i]);
		/* Each emptied chunk is retained, and counted. */
		KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), (i + 1) * chunk);
	}
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.retained_chunks, RECLAIM_CHUNKS);
	/* A small allocation takes a retained chunk: it is no longer free. */
	small = bufpool_pool_alloc(pool, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), (RECLAIM_CHUNKS - 1) * chunk);
	bufpool_pool_free(pool, small);
	/* Its subpage is kept for its size (Netty): the chunk is not empty. */
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), (RECLAIM_CHUNKS - 1) * chunk);
	KUNIT_EXPECT_EQ(test, bufpool_pool_trim(pool), RECLAIM_CHUNKS);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 0);
	bufpool_pool_destroy(pool);
}

/* Cached entries count as what they hold (4 KiB each here). */
static void reclaim_count_includes_caches(struct kunit *test)
{
	struct bufpool *pool = reclaim_pool(test, 8);
	void *p[4];
	int i;

	for (i = 0; i < 4; i++) {
		p[i] = bufpool_pool_alloc(pool, 4096, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 0);
	for (i = 0; i < 4; i++)
		bufpool_pool_free(pool, p[i]);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 4 * 4096);
	bufpool_pool_destroy(pool);
}

static void reclaim_count_takes_no_arena_lock(struct kunit *test)
{
	unsigned long irqflags;
	struct bufpool *pool = reclaim_pool(test, 0);
	void *p[RECLAIM_CHUNKS];
	size_t got;
	int i;

	fill_chunks(test, pool, p, RECLAIM_CHUNKS);
	for (i = 0; i < 2; i++)
		bufpool_pool_free(pool, p[i]);
	spin_lock_irqsave(&pool->arenas[0].lock, irqflags);
	got = bufpool_pool_reclaimable(pool);
	spin_unlock_irqrestore(&pool->arenas[0].lock, irqflags);
	KUNIT_EXPECT_EQ(test, got, 2 * pool->geo.chunk_size);
	for (i = 2; i < RECLAIM_CHUNKS; i++)
		bufpool_pool_free(pool, p[i]);
	bufpool_pool_destroy(pool);
}

static void reclaim_shrink_at_most_asked(struct kunit *test)
{
	struct bufpool *pool = reclaim_pool(test, 0);
	size_t chunk = pool->geo.chunk_size;
	void *p[RECLAIM_CHUNKS];
	struct bufpool_stats st;
	int i;

	fill_chunks(test, pool, p, RECLAIM_CHUNKS);
	for (i = 0; i < RECLAIM_CHUNKS; i++)
		bufpool_pool_free(pool, p[i]);
	/* A quarter of a chunk, three times: nothing goes yet. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, bufpool_pool_shrink(pool, chunk / 4), 0);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), RECLAIM_CHUNKS * chunk);
	/* The fourth quarter makes a chunk. */
	KUNIT_EXPECT_EQ(test, bufpool_pool_shrink(pool, chunk / 4), chunk);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), (RECLAIM_CHUNKS - 1) * chunk);
	/* One and a half: one chunk, half a chunk of credit left. */
	KUNIT_EXPECT_EQ(test, bufpool_pool_shrink(pool, chunk + chunk / 2), chunk);
	KUNIT_EXPECT_EQ(test, bufpool_pool_shrink(pool, chunk / 2), chunk);
	/* More than there is: what there is, and the rest of the credit goes. */
	KUNIT_EXPECT_EQ(test, bufpool_pool_shrink(pool, 10 * chunk),
			(RECLAIM_CHUNKS - 3) * chunk);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->shrink_credit), 0);
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.chunks, 0);
	KUNIT_EXPECT_EQ(test, st.retained_chunks, 0);
	KUNIT_EXPECT_EQ(test, bufpool_pool_unmapped(pool), RECLAIM_CHUNKS);
	bufpool_pool_destroy(pool);
}

/* Only empty chunks go: a chunk with one live allocation stays. */
static void reclaim_shrink_spares_used_chunks(struct kunit *test)
{
	struct bufpool *pool = reclaim_pool(test, 0);
	size_t chunk = pool->geo.chunk_size;
	void *p[RECLAIM_CHUNKS];
	int i;

	fill_chunks(test, pool, p, RECLAIM_CHUNKS);
	bufpool_pool_free(pool, p[0]);
	KUNIT_EXPECT_EQ(test, bufpool_pool_shrink(pool, RECLAIM_CHUNKS * chunk), chunk);
	KUNIT_EXPECT_EQ(test, bufpool_pool_unmapped(pool), 1);
	for (i = 1; i < RECLAIM_CHUNKS; i++)
		bufpool_pool_free(pool, p[i]);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), (RECLAIM_CHUNKS - 1) * chunk);
	bufpool_pool_destroy(pool);
}

static struct kunit_case reclaim_cases[] = {
	KUNIT_CASE(reclaim_count_follows_chunks),
	KUNIT_CASE(reclaim_count_includes_caches),
	KUNIT_CASE(reclaim_count_takes_no_arena_lock),
	KUNIT_CASE(reclaim_shrink_at_most_asked),
	KUNIT_CASE(reclaim_shrink_spares_used_chunks),
	{}
};

static struct kunit_suite reclaim_suite = {
	.name = "bufpool_reclaim",
	.test_cases = reclaim_cases,
};

kunit_test_suites(&reclaim_suite);

