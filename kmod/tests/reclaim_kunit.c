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
 *     it says exactly what it released;
 *   - with chunk_retention_ms, subpages that become entirely free keep
 *     their page for the next subpage of their size, up to a sixteenth of
 *     a chunk, counted as reclaimable, until they age out or a trim.
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

/* 64-byte elements, no caches: every free reaches the arena's bitmaps. */
static struct bufpool *kept_pool(struct kunit *test, unsigned int max_order,
				 unsigned int retention_ms)
{
	struct bufpool_config cfg = {
		.name = "kunit-kept", .page_size = 4096, .max_order = max_order,
		.nr_arenas = 1, .chunk_retention_ms = retention_ms,
	};
	char why[128];
	struct bufpool *pool = bufpool_pool_create(&cfg, why, sizeof(why));

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(pool), "%s", why);
	KUNIT_ASSERT_EQ(test, pool->cache_max, 0);
	return pool;
}

/* @pages pages' worth of 64-byte elements, allocated. */
static void **fill_subpages(struct kunit *test, struct bufpool *pool, unsigned int pages)
{
	unsigned int i, n = pages * (pool->geo.page_size / 64);
	void **p = kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < n; i++) {
		p[i] = bufpool_pool_alloc(pool, 64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	return p;
}

static void free_subpages(struct bufpool *pool, void **p, unsigned int pages)
{
	unsigned int i, n = pages * (pool->geo.page_size / 64);

	for (i = 0; i < n; i++)
		bufpool_pool_free(pool, p[i]);
}

/* Set the clock of every kept subpage of @arena back by @ms. */
static void age_kept_subpages(struct bufpool_arena *arena, u32 ms)
{
	struct bufpool_subpage *sp;
	unsigned long irqflags;
	unsigned int i;

	spin_lock_irqsave(&arena->lock, irqflags);
	for (i = 0; i < ARRAY_SIZE(arena->empty_subpages); i++)
		list_for_each_entry(sp, &arena->empty_subpages[i], node)
			sp->empty_ms -= ms;
	spin_unlock_irqrestore(&arena->lock, irqflags);
}

#define KEPT_PAGES	4
#define KEPT_RETENTION	(3600 * 1000)

/*
 * Emptied subpages keep their page for their size: the next allocations
 * split no page; a decay gives back only those kept longer than the
 * retention; a trim gives back all.
 */
static void reclaim_kept_subpages(struct kunit *test)
{
	struct bufpool *pool = kept_pool(test, 8, KEPT_RETENTION);
	struct bufpool_arena *arena = &pool->arenas[0];
	size_t page = pool->geo.page_size, free_bytes;
	struct bufpool_chunk *chunk;
	void **p;

	p = fill_subpages(test, pool, KEPT_PAGES);
	chunk = bufpool_chunk_find(pool, p[0]);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	free_bytes = chunk->free_bytes;
	free_subpages(pool, p, KEPT_PAGES);
	/* The first to empty stays on its list (Netty); the others are kept. */
	KUNIT_EXPECT_EQ(test, arena->nr_empty_subpages, KEPT_PAGES - 1);
	KUNIT_EXPECT_EQ(test, chunk->free_bytes, free_bytes);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), (KEPT_PAGES - 1) * page);
	/* The same allocations again: the same pages, none split anew. */
	p = fill_subpages(test, pool, KEPT_PAGES);
	KUNIT_EXPECT_EQ(test, arena->nr_empty_subpages, 0);
	KUNIT_EXPECT_EQ(test, chunk->free_bytes, free_bytes);
	free_subpages(pool, p, KEPT_PAGES);
	/* Younger than the retention: a decay keeps them. */
	bufpool_pool_decay(pool);
	KUNIT_EXPECT_EQ(test, arena->nr_empty_subpages, KEPT_PAGES - 1);
	/* Older: it gives their pages back to the chunk. */
	age_kept_subpages(arena, KEPT_RETENTION);
	bufpool_pool_decay(pool);
	KUNIT_EXPECT_EQ(test, arena->nr_empty_subpages, 0);
	KUNIT_EXPECT_EQ(test, chunk->free_bytes, free_bytes + (KEPT_PAGES - 1) * page);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 0);
	/* Kept again, and a trim takes them, whatever their age. */
	p = fill_subpages(test, pool, KEPT_PAGES);
	free_subpages(pool, p, KEPT_PAGES);
	KUNIT_EXPECT_EQ(test, arena->nr_empty_subpages, KEPT_PAGES - 1);
	KUNIT_EXPECT_EQ(test, bufpool_pool_trim(pool), 1);
	KUNIT_EXPECT_EQ(test, arena->nr_empty_subpages, 0);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 0);
	bufpool_pool_destroy(pool);
}

/* At most a sixteenth of a chunk is kept; without retention (Netty) none. */
static void reclaim_kept_subpages_bounded(struct kunit *test)
{
	struct bufpool *pool = kept_pool(test, 5, KEPT_RETENTION);	/* 32 pages: 2 kept */
	void **p;

	p = fill_subpages(test, pool, KEPT_PAGES + 2);
	free_subpages(pool, p, KEPT_PAGES + 2);
	KUNIT_EXPECT_EQ(test, pool->arenas[0].nr_empty_subpages, 2);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 2 * pool->geo.page_size);
	bufpool_pool_destroy(pool);

	pool = kept_pool(test, 8, 0);
	p = fill_subpages(test, pool, KEPT_PAGES);
	free_subpages(pool, p, KEPT_PAGES);
	KUNIT_EXPECT_EQ(test, pool->arenas[0].nr_empty_subpages, 0);
	KUNIT_EXPECT_EQ(test, bufpool_pool_reclaimable(pool), 0);
	bufpool_pool_destroy(pool);
}

static struct kunit_case reclaim_cases[] = {
	KUNIT_CASE(reclaim_count_follows_chunks),
	KUNIT_CASE(reclaim_count_includes_caches),
	KUNIT_CASE(reclaim_count_takes_no_arena_lock),
	KUNIT_CASE(reclaim_shrink_at_most_asked),
	KUNIT_CASE(reclaim_shrink_spares_used_chunks),
	KUNIT_CASE(reclaim_kept_subpages),
	KUNIT_CASE(reclaim_kept_subpages_bounded),
	{}
};

static struct kunit_suite reclaim_suite = {
	.name = "bufpool_reclaim",
	.test_cases = reclaim_cases,
};

kunit_test_suites(&reclaim_suite);

