// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fastpath_kunit.c - KUnit suite "bufpool_fastpath": the tables and maps
 * the hit path of core/fastpath.h trusts instead of computing.
 *
 *   - the request-size table gives, for every size up to fast_max, the bin
 *     that normalization and bufpool_cache_bin() give;
 *   - the per-bin magic divides every in-page offset exactly and tells an
 *     element's start from any other offset;
 *   - the chunk map finds the chunk of every allocation and nothing for
 *     pointers outside the pool's chunks, and forgets a released chunk;
 *   - bufpool_fast_locate() accepts an element's start only while it is
 *     allocated;
 *   - refills and flushes in batches keep every subpage consistent;
 *   - a working set that fits its bin settles there: no refill, no flush.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "geometry.h"
#include "chunk.h"
#include "cache.h"
#include "pool.h"
#include "fastpath.h"
#include "arena.h"

struct geo_case {
	unsigned int page_size, max_order, max_cached;
};

static const struct geo_case geo_cases[] = {
	{ 8192, 9, 32768 },	/* the kernel module's defaults */
	{ 4096, 10, 4096 << 7 },	/* normal bins up to 512 KiB: beyond the table */
	{ 65536, 6, 65536 },
	{ 4096, 0, 4096 },	/* one-page chunks */
};

static void geo_case_desc(const struct geo_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "page %u order %u cached %u",
		 c->page_size, c->max_order, c->max_cached);
}

KUNIT_ARRAY_PARAM(geo, geo_cases, geo_case_desc);

static struct bufpool *fast_pool(struct kunit *test, const struct geo_case *c)
{
	struct bufpool_config cfg = {
		.name = "kunit-fast", .page_size = c->page_size, .max_order = c->max_order,
		.nr_arenas = 1, .tiny_cache_size = 8, .small_cache_size = 8,
		.normal_cache_size = 8, .max_cached_capacity = c->max_cached,
		.cache_refill = 1,
	};
	char why[128];
	struct bufpool *pool = bufpool_pool_create(&cfg, why, sizeof(why));

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(pool), "%s", why);
	return pool;
}

/* Every request size up to fast_max: the table agrees with the arithmetic. */
static void fastpath_size_table(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = fast_pool(test, c);
	size_t size, bad = 0;

	KUNIT_EXPECT_EQ(test, pool->fast_max,
			min_t(size_t, pool->cache_max, BUFPOOL_FAST_MAX));
	for (size = 0; size <= pool->fast_max; size++) {
		int want = bufpool_cache_bin(pool, bufpool_normalize(&pool->geo, size));
		int got = bufpool_size_bin(pool, size);

		if (got == BUFPOOL_NO_BIN)
			got = -1;
		if (got != want && bad++ < 4)
			KUNIT_FAIL(test, "size %zu: table bin %d, computed %d", size, got, want);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	bufpool_pool_destroy(pool);
}

/*
 * The multiplies that replace a division, for every offset of a page and
 * every bin: the quotient, and the element-start test (divisibility and
 * the page's end; runs pass offset 0 only; bin_infos[0] passes nothing).
 */
static void fastpath_magic_division(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = fast_pool(test, c);
	unsigned int bin, off, bad = 0;

	for (off = 0; off < pool->geo.page_size; off++)
		if (bufpool_bin_elem_start(&pool->bin_infos[0], off) && bad++ < 4)
			KUNIT_FAIL(test, "no bin: offset %u passes", off);
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
		const struct bufpool_bin_info *bi = bufpool_bin_info(pool, bin);
		unsigned int size = bufpool_bin_size(pool, bin);
		bool run = size >= pool->geo.page_size;

		for (off = 0; off < pool->geo.page_size; off++) {
			unsigned int q = ((u64)off * bufpool_bin_magic(pool, bin)) >> 32;
			bool start = run ? off == 0 :
				     off % size == 0 &&
				     off / size < pool->geo.page_size / size;

			if (!run && q != off / size && bad++ < 4)
				KUNIT_FAIL(test, "size %u offset %u: %u, not %u",
					   size, off, q, off / size);
			if (bufpool_bin_elem_start(bi, off) != start && bad++ < 4)
				KUNIT_FAIL(test, "size %u offset %u: element start %d, not %d",
					   size, off, !start, start);
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	bufpool_pool_destroy(pool);
}

/* The map finds each allocation's chunk, nothing else, and forgets a released one. */
static void fastpath_chunk_map(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = fast_pool(test, c);
	size_t sizes[] = { 16, 512, c->page_size, c->page_size << c->max_order };
	size_t mask = pool->geo.chunk_size - 1;
	void *p[ARRAY_SIZE(sizes)];
	unsigned int i;
	int local;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct bufpool_chunk *chunk;

		p[i] = bufpool_pool_alloc(pool, sizes[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		chunk = bufpool_chunk_find(pool, p[i]);
		KUNIT_ASSERT_NOT_NULL(test, chunk);
		KUNIT_EXPECT_PTR_EQ(test, bufpool_chunk_base(chunk),
				    (void *)((uintptr_t)p[i] & ~mask));
		KUNIT_EXPECT_PTR_EQ(test, bufpool_chunk_find(pool, (char *)p[i] + mask -
							     ((uintptr_t)p[i] & mask)),
				    chunk);
	}
	KUNIT_EXPECT_NULL(test, bufpool_chunk_find(pool, &local));
	KUNIT_EXPECT_NULL(test, bufpool_chunk_find(pool, pool));
	KUNIT_EXPECT_NULL(test, bufpool_chunk_find(pool, NULL));
	KUNIT_EXPECT_NULL(test, bufpool_chunk_find(pool, (void *)~0UL));
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		bufpool_pool_free(pool, p[i]);
	bufpool_pool_flush_caches(pool);
	bufpool_pool_trim(pool);	/* retention 0: every chunk unmapped */
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		KUNIT_EXPECT_NULL(test, bufpool_chunk_find(pool, p[i]));
	bufpool_pool_destroy(pool);
}

/* Pages of @chunk whose page_bin the free's hit path reads wrong (bufpool_page_map.h). */
static unsigned int page_map_wrong(struct kunit *test, struct bufpool *pool,
				   struct bufpool_chunk *chunk)
{
	char *base = bufpool_chunk_base(chunk);
	unsigned int page, wrong = 0;

	for (page = 0; page < 1u << pool->geo.max_order; page++) {
		char *at = base + ((size_t)page << pool->geo.page_shift);
		unsigned long want = chunk->page_key[page];

		/* The page's first and last byte: both are in it. */
		if ((bufpool_page_key_find(pool, at) != want ||
		     bufpool_page_key_find(pool, at + pool->geo.page_size - 1) != want) &&
		    wrong++ < 4)
			KUNIT_FAIL(test, "page %u: page_bin key %lu, the hit path reads %lu", page,
				   want, bufpool_page_key_find(pool, at));
	}
	return wrong;
}

/*
 * The hit path's page_bin (in userspace its own page map, a copy) is the
 * chunk's, page for page, as allocations come and go; 0 for memory that is
 * not the pool's, and for a chunk once it is released.
 */
static void fastpath_page_bin_map(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = fast_pool(test, c);
	size_t sizes[] = { 16, 48, 512, c->page_size, 2 * c->page_size,
			   c->page_size << c->max_order };
	void *p[ARRAY_SIZE(sizes) * 3];
	struct bufpool_chunk *chunk;
	unsigned int i;
	int local;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = bufpool_pool_alloc(pool, sizes[i % ARRAY_SIZE(sizes)], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	chunk = bufpool_chunk_find(pool, p[0]);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	KUNIT_EXPECT_NE(test, bufpool_page_key_find(pool, p[0]), 0);
	KUNIT_EXPECT_EQ(test, page_map_wrong(test, pool, chunk), 0);
	/* Every other one back to its arena: pages emptied and reused. */
	for (i = 0; i < ARRAY_SIZE(p); i += 2)
		bufpool_pool_free(pool, p[i]);
	bufpool_pool_flush_caches(pool);
	KUNIT_EXPECT_EQ(test, page_map_wrong(test, pool, chunk), 0);
	for (i = 0; i < ARRAY_SIZE(p); i += 2) {
		p[i] = bufpool_pool_alloc(pool, sizes[(i + 1) % ARRAY_SIZE(sizes)], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	KUNIT_EXPECT_EQ(test, page_map_wrong(test, pool, chunk), 0);
	KUNIT_EXPECT_EQ(test, bufpool_page_key_find(pool, &local), 0);
	KUNIT_EXPECT_EQ(test, bufpool_page_key_find(pool, pool), 0);
	KUNIT_EXPECT_EQ(test, bufpool_page_key_find(pool, NULL), 0);
	KUNIT_EXPECT_EQ(test, bufpool_page_key_find(pool, (void *)~0UL), 0);
	/* The pool's own page, seen through address bits above the map's range. */
	KUNIT_EXPECT_EQ(test, bufpool_page_key_find(pool, (char *)p[0] + (1UL << 48)), 0);
	KUNIT_EXPECT_EQ(test, bufpool_page_key_find(pool, (char *)p[0] + (1UL << 56)), 0);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		bufpool_pool_free(pool, p[i]);
	bufpool_pool_flush_caches(pool);
	bufpool_pool_trim(pool);	/* retention 0: every chunk unmapped */
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_EXPECT_EQ(test, bufpool_page_key_find(pool, p[i]), 0);
	bufpool_pool_destroy(pool);
}

/*
 * Only the start of an element is located; what tells a free element from
 * a live one is the cache mark, which every free element of a cacheable
 * page holds (in a cache or in its arena) and no live one does.
 */
static void fastpath_locate(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = fast_pool(test, c);
	struct bufpool_chunk *chunk;
	char *a, *b, *run, *keep;
	int bin;

	a = bufpool_pool_alloc(pool, 48, GFP_KERNEL);
	b = bufpool_pool_alloc(pool, 48, GFP_KERNEL);
	run = bufpool_pool_alloc(pool, c->page_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, run);
	chunk = bufpool_chunk_find(pool, a);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	bin = bufpool_fast_locate(pool, chunk, a);
	KUNIT_EXPECT_EQ(test, bin, bufpool_cache_bin(pool, 48));
	KUNIT_EXPECT_EQ(test, bufpool_fast_locate(pool, chunk, a + 16), -1);
	KUNIT_EXPECT_EQ(test, bufpool_fast_locate(pool, chunk, a + 1), -1);
	KUNIT_EXPECT_FALSE(test, bufpool_cache_marked(pool, a));
	KUNIT_EXPECT_FALSE(test, bufpool_cache_marked(pool, b));
	if (b == a + 48) {	/* the next element, never handed out */
		KUNIT_EXPECT_EQ(test, bufpool_fast_locate(pool, chunk, b + 48), bin);
		KUNIT_EXPECT_TRUE(test, bufpool_cache_marked(pool, b + 48));
	}
	chunk = bufpool_chunk_find(pool, run);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	KUNIT_EXPECT_EQ(test, bufpool_fast_locate(pool, chunk, run),
			bufpool_cache_bin(pool, c->page_size));
	KUNIT_EXPECT_EQ(test, bufpool_fast_locate(pool, chunk, run + 16), -1);
	keep = bufpool_pool_alloc(pool, 48, GFP_KERNEL);	/* holds a's chunk mapped */
	KUNIT_ASSERT_NOT_NULL(test, keep);
	KUNIT_ASSERT_TRUE(test, bufpool_chunk_find(pool, keep) == bufpool_chunk_find(pool, a));
	bufpool_pool_free(pool, a);
	bufpool_pool_free(pool, b);
	bufpool_pool_free(pool, run);
	KUNIT_EXPECT_TRUE(test, bufpool_cache_marked(pool, a));	/* cached */
	bufpool_pool_flush_caches(pool);	/* free in the arena now */
	KUNIT_EXPECT_TRUE(test, bufpool_cache_marked(pool, a));
	KUNIT_EXPECT_TRUE(test, bufpool_cache_marked(pool, b));
	KUNIT_EXPECT_FALSE(test, bufpool_cache_marked(pool, keep));
	bufpool_pool_free(pool, keep);
	bufpool_pool_destroy(pool);
}

/* Bulk calls: the same blocks and counts as single calls. */
static void fastpath_bulk_as_single(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = fast_pool(test, c);
	size_t sizes[] = { 48, 600, c->page_size };
	struct bufpool_stats st;
	void *v[40];
	unsigned int i, k;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		KUNIT_ASSERT_EQ(test, bufpool_pool_alloc_bulk(pool, sizes[k], GFP_KERNEL,
							      ARRAY_SIZE(v), v), ARRAY_SIZE(v));
		for (i = 0; i < ARRAY_SIZE(v); i++) {
			KUNIT_EXPECT_GE(test, bufpool_pool_usable_size(pool, v[i]), sizes[k]);
			memset(v[i], i, sizes[k]);
		}
		for (i = 0; i < ARRAY_SIZE(v); i++)
			KUNIT_EXPECT_EQ(test, ((u8 *)v[i])[sizes[k] - 1], (u8)i);
		bufpool_stats_read(pool, &st);
		KUNIT_EXPECT_EQ(test, st.active, ARRAY_SIZE(v));
		bufpool_pool_free_bulk(pool, ARRAY_SIZE(v) / 2, v);
		for (i = ARRAY_SIZE(v) / 2; i < ARRAY_SIZE(v); i++)
			bufpool_fast_free(pool, v[i]);
		bufpool_stats_read(pool, &st);
		KUNIT_EXPECT_EQ(test, st.active, 0);
		KUNIT_EXPECT_EQ(test, st.invalid_frees, 0);
	}
	/* All or nothing: an impossible size allocates none. */
	KUNIT_EXPECT_EQ(test, bufpool_pool_alloc_bulk(pool, SIZE_MAX / 2, GFP_KERNEL | __GFP_NOWARN,
						      4, v), 0);
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.active, 0);
	bufpool_pool_destroy(pool);
}

/*
 * A cache hit hands out memory zeroed when the world says so: __GFP_ZERO,
 * and in the kernel also init_on_alloc (the debug kernel's KUnit run boots
 * with init_on_alloc=1); otherwise as it was left (the first word, the
 * cache mark, wiped).
 */
static void fastpath_zeroing(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = fast_pool(test, c);
	bool zero = bufpool_want_zero(GFP_KERNEL);
	size_t sizes[] = { 64, 2048, c->page_size };
	unsigned int k, i;

	kunit_info(test, "hits are zeroed: %s\n", zero ? "yes (init_on_alloc)" : "no");
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		u8 *p = bufpool_pool_alloc(pool, sizes[k], GFP_KERNEL), *q;
		unsigned int bad = 0;

		KUNIT_ASSERT_NOT_NULL(test, p);
		memset(p, 0xa5, sizes[k]);
		bufpool_pool_free(pool, p);
		q = bufpool_pool_alloc(pool, sizes[k], GFP_KERNEL);
		KUNIT_EXPECT_PTR_EQ(test, q, p);	/* the cached block */
		for (i = sizeof(long); i < sizes[k]; i++)
			bad += q[i] != (zero ? 0 : 0xa5);
		KUNIT_EXPECT_EQ_MSG(test, bad, 0, "size %zu, zero %d", sizes[k], zero);
		memset(q, 0xa5, sizes[k]);
		bufpool_pool_free(pool, q);
		q = bufpool_pool_alloc(pool, sizes[k], GFP_KERNEL | __GFP_ZERO);
		for (i = 0, bad = 0; i < sizes[k]; i++)
			bad += q[i] != 0;
		KUNIT_EXPECT_EQ(test, bad, 0);
		bufpool_pool_free(pool, q);
	}
	bufpool_pool_destroy(pool);
}

/*
 * Every subpage of @chunk in use agrees with itself: as many set bits as
 * elements not free.  Returns the number of subpages that do not.
 */
static unsigned int subpages_inconsistent(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	unsigned int page, bad = 0, pages = 1u << pool->geo.max_order;
	unsigned long irqflags;

	spin_lock_irqsave(&chunk->arena->lock, irqflags);
	for (page = 0; page < pages; page++) {
		struct bufpool_subpage *sp = bufpool_chunk_subpage(chunk, page);
		unsigned int i, used = 0;

		if (!sp->do_not_destroy)
			continue;
		for (i = 0; i < sp->max_elems; i++)
			used += bufpool_subpage_test(sp, i);
		bad += used + sp->num_avail != sp->max_elems;
	}
	spin_unlock_irqrestore(&chunk->arena->lock, irqflags);
	return bad;
}

/*
 * A pool with the default refill (batches): tiny and small bins of 64,
 * normal bins of @normal entries.
 */
static struct bufpool *batch_pool(struct kunit *test, const struct geo_case *c,
				  unsigned int normal)
{
	struct bufpool_config cfg = {
		.name = "kunit-batch", .page_size = c->page_size, .max_order = c->max_order,
		.nr_arenas = 1, .tiny_cache_size = 64, .small_cache_size = 64,
		.normal_cache_size = normal, .max_cached_capacity = c->max_cached,
	};
	char why[128];
	struct bufpool *pool = bufpool_pool_create(&cfg, why, sizeof(why));

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(pool), "%s", why);
	return pool;
}

/* Entries of @x that are not as a cache's: unmarked, or free in their bitmap. */
static unsigned int xfer_wrong(struct bufpool *pool, const struct bufpool_xfer *x, size_t size)
{
	unsigned int i, wrong = 0;

	for (i = 0; i < x->count; i++) {
		void *ptr = x->entries[i];
		struct bufpool_chunk *chunk = bufpool_chunk_find(pool, ptr);
		uintptr_t off = (uintptr_t)ptr & pool->geo.chunk_mask;

		if (!chunk || !bufpool_cache_marked(pool, ptr) ||
		    !bufpool_subpage_test(bufpool_chunk_subpage(chunk, off >> pool->geo.page_shift),
					  (off & pool->geo.page_mask) / size))
			wrong++;
	}
	return wrong;
}

/*
 * @n allocations of @size into @v, then their frees in order: what a bin
 * of fewer entries cannot hold overflows.  Return: the chunk of the first.
 */
static struct bufpool_chunk *alloc_then_free(struct kunit *test, struct bufpool *pool,
					     size_t size, void **v, unsigned int n)
{
	struct bufpool_chunk *chunk;
	unsigned int i;

	for (i = 0; i < n; i++) {
		v[i] = bufpool_pool_alloc(pool, size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, v[i]);
	}
	chunk = bufpool_chunk_find(pool, v[0]);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	for (i = 0; i < n; i++)
		bufpool_pool_free(pool, v[i]);
	return chunk;
}

/*
 * The @k entries below @top, newest (@top[-1]) first, are what @v holds,
 * in that order.  Return: how many are not.
 */
static unsigned int xfer_order_wrong(struct kunit *test, void *const *top, void *const *v,
				     unsigned int k)
{
	unsigned int i, wrong = 0;

	for (i = 0; i < k; i++)
		if (v[i] != top[-1 - (int)i] && wrong++ < 4)
			KUNIT_FAIL(test, "refill entry %u is not the transfer stack's from the top",
				   i);
	return wrong;
}

/*
 * The arena's transfer stack: a full bin's overflow stays there, allocated
 * and marked, counted as freed; the next refill takes it first, newest
 * first; a trim drains it; each decay drains half of what stayed unused
 * since the one before; a refill that finds fewer there than it takes
 * hands those out first, newest first, then the arena's.
 */
static void fastpath_transfer_stack(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = batch_pool(test, c, 8);
	const size_t size = 48;
	int bin = bufpool_cache_bin(pool, size);
	struct bufpool_xfer *x = &pool->arenas[0].xfer[bin];
	struct bufpool_chunk *chunk;
	struct bufpool_stats st;
	unsigned int i, j, n = 128;
	void *v[129], *top, *had[32];

	KUNIT_ASSERT_GE(test, bin, 0);
	KUNIT_ASSERT_EQ(test, x->cap, 32);	/* half the bin of 64 */
	/* 64 fill the bin, 32 overflow into the stack, 32 into the bitmaps. */
	alloc_then_free(test, pool, size, v, n);
	KUNIT_EXPECT_EQ(test, x->count, 32);
	KUNIT_EXPECT_EQ(test, xfer_wrong(pool, x, size), 0);
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.active, 0);
	KUNIT_EXPECT_EQ(test, st.active_bytes, 0);
	KUNIT_EXPECT_EQ(test, st.cached_bytes, 64 * size);
	/*
	 * The bin's 64, then a refill of 16: the stack's newest comes first,
	 * and the refill's others next, in the stack's order.
	 */
	top = x->entries[x->count - 1];
	memcpy(had, x->entries, sizeof(had));
	for (i = 0; i < 64 + 16; i++) {
		v[i] = bufpool_pool_alloc(pool, size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, v[i]);
	}
	KUNIT_EXPECT_PTR_EQ(test, v[64], top);
	KUNIT_EXPECT_EQ(test, xfer_order_wrong(test, had + 32, v + 64, 16), 0);
	KUNIT_EXPECT_EQ(test, x->count, 32 - 16);
	for (i = 0; i < 64 + 16; i++)
		bufpool_pool_free(pool, v[i]);
	KUNIT_EXPECT_GT(test, x->count, 0);
	/* A trim drains it: every chunk is empty, and goes. */
	bufpool_pool_trim(pool);
	KUNIT_EXPECT_EQ(test, x->count, 0);
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.active, 0);
	KUNIT_EXPECT_EQ(test, st.cached_bytes, 0);
	KUNIT_EXPECT_EQ(test, st.chunks, 0);
	/* Unused for a whole decay interval: half of it goes at each decay. */
	chunk = alloc_then_free(test, pool, size, v, n);
	KUNIT_EXPECT_EQ(test, x->count, 32);
	bufpool_pool_decay(pool);	/* starts the interval */
	KUNIT_EXPECT_EQ(test, x->count, 32);
	bufpool_pool_decay(pool);
	KUNIT_EXPECT_EQ(test, x->count, 16);
	bufpool_pool_decay(pool);
	KUNIT_EXPECT_EQ(test, x->count, 8);
	KUNIT_EXPECT_EQ(test, xfer_wrong(pool, x, size), 0);
	KUNIT_EXPECT_EQ(test, subpages_inconsistent(pool, chunk), 0);
	/*
	 * A refill of 16 with 8 there: those 8 first, newest first, then 8
	 * of the arena's, live once each and none of the 8.
	 */
	memcpy(had, x->entries, 8 * sizeof(*had));
	for (i = 0; i < 64 + 16; i++) {
		v[i] = bufpool_pool_alloc(pool, size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, v[i]);
	}
	KUNIT_EXPECT_EQ(test, x->count, 0);
	KUNIT_EXPECT_EQ(test, xfer_order_wrong(test, had + 8, v + 64, 8), 0);
	for (i = 64 + 8; i < 64 + 16; i++)
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, v[i], v[j]);
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.active, 64 + 16);
	for (i = 0; i < 64 + 16; i++)
		bufpool_pool_free(pool, v[i]);
	KUNIT_EXPECT_EQ(test, subpages_inconsistent(pool, chunk), 0);
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.active, 0);
	KUNIT_EXPECT_EQ(test, st.invalid_frees, 0);
	bufpool_pool_destroy(pool);
}

/*
 * Refills and flushes in batches (the default refill, a small cache):
 * entries freed in runs from one page, runs broken by other pages, and the
 * last element of a page in the middle of a run all leave every subpage
 * consistent and every count exact, and the elements come back once each.
 */
static void fastpath_flush_batches(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = batch_pool(test, c, 8);
	size_t sizes[] = { 48, 1024 };
	unsigned int k, i, j, n, per_page, dup;
	struct bufpool_chunk *chunk;
	struct bufpool_stats st;
	void **v;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		if (sizes[k] * 2 > c->page_size)
			continue;
		per_page = c->page_size / sizes[k];
		n = min(3 * per_page, 600u);
		v = kunit_kcalloc(test, n, sizeof(*v), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, v);
		for (i = 0; i < n; i++) {
			v[i] = bufpool_pool_alloc(pool, sizes[k], GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, v[i]);
		}
		chunk = bufpool_chunk_find(pool, v[0]);
		KUNIT_ASSERT_NOT_NULL(test, chunk);
		/* Odd ones from the end (pages alternate), then the rest in order. */
		for (i = n; i-- > 0;)
			if (i % 2)
				bufpool_pool_free(pool, v[i]);
		for (i = 0; i < n; i++)
			if (!(i % 2))
				bufpool_pool_free(pool, v[i]);
		KUNIT_EXPECT_EQ(test, subpages_inconsistent(pool, chunk), 0);
		bufpool_pool_flush_caches(pool);
		KUNIT_EXPECT_EQ(test, subpages_inconsistent(pool, chunk), 0);
		bufpool_stats_read(pool, &st);
		KUNIT_EXPECT_EQ(test, st.active, 0);
		KUNIT_EXPECT_EQ(test, st.active_bytes, 0);
		KUNIT_EXPECT_EQ(test, st.invalid_frees, 0);
		/* Again: each element handed out once, then all back. */
		for (i = 0; i < n; i++) {
			v[i] = bufpool_pool_alloc(pool, sizes[k], GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, v[i]);
		}
		for (i = 0, dup = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				dup += v[i] == v[j];
		KUNIT_EXPECT_EQ(test, dup, 0);
		KUNIT_EXPECT_EQ(test, subpages_inconsistent(pool, chunk), 0);
		for (i = 0; i < n; i++)
			bufpool_pool_free(pool, v[i]);
		bufpool_pool_flush_caches(pool);
		KUNIT_EXPECT_EQ(test, subpages_inconsistent(pool, chunk), 0);
		bufpool_stats_read(pool, &st);
		KUNIT_EXPECT_EQ(test, st.active, 0);
		KUNIT_EXPECT_EQ(test, st.invalid_frees, 0);
	}
	bufpool_pool_destroy(pool);
}

/*
 * A working set as large as its bin settles in it: rounds of @cap
 * allocations then their frees, from a bin whose count is not a multiple
 * of the refill, stop missing and flushing.  When a full bin always gave
 * back half of itself, each round's refill overflowed the bin during the
 * frees and the flush made the next round miss again; now the first flush
 * after a refill gives back only what that refill left unused.
 */
static void fastpath_working_set_settles(struct kunit *test)
{
	const unsigned int cap = 64, held = 8;
	const struct geo_case *c = test->param_value;
	struct bufpool *pool = batch_pool(test, c, cap);
	size_t size = c->page_size;	/* a run: cached in every geometry here */
	u64 misses = 0, flushed = 0;
	unsigned int round, i;
	struct bufpool_stats st;
	void **v;

	v = kunit_kcalloc(test, cap + held, sizeof(*v), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	migrate_disable();	/* one CPU's cache throughout */
	/* 40 in and out (the bin ends with 48), then 8 kept: 40 left cached. */
	for (i = 0; i < 40; i++)
		v[i] = bufpool_pool_alloc(pool, size, GFP_KERNEL);
	for (i = 0; i < 40; i++)
		bufpool_pool_free(pool, v[i]);
	for (i = 0; i < held; i++)
		v[cap + i] = bufpool_pool_alloc(pool, size, GFP_KERNEL);
	for (round = 0; round < 8; round++) {
		if (round == 3) {
			bufpool_stats_read(pool, &st);
			misses = st.cache_misses;
			flushed = st.cache_flushed;
		}
		for (i = 0; i < cap; i++)
			v[i] = bufpool_pool_alloc(pool, size, GFP_KERNEL);
		for (i = cap; i-- > 0;)
			bufpool_pool_free(pool, v[i]);
	}
	bufpool_stats_read(pool, &st);
	for (i = 0; i < held; i++)
		bufpool_pool_free(pool, v[cap + i]);
	migrate_enable();
	for (i = 0; i < cap + held; i++)
		KUNIT_ASSERT_NOT_NULL(test, v[i]);
	KUNIT_EXPECT_EQ_MSG(test, st.cache_misses - misses, 0, "misses in the settled rounds");
	KUNIT_EXPECT_EQ_MSG(test, st.cache_flushed - flushed, 0, "flushed in the settled rounds");
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.invalid_frees, 0);
	bufpool_pool_flush_caches(pool);
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, st.active, 0);
	bufpool_pool_destroy(pool);
}

static struct kunit_case fastpath_cases[] = {
	KUNIT_CASE_PARAM(fastpath_working_set_settles, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_flush_batches, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_transfer_stack, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_zeroing, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_bulk_as_single, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_size_table, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_magic_division, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_chunk_map, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_page_bin_map, geo_gen_params),
	KUNIT_CASE_PARAM(fastpath_locate, geo_gen_params),
	{}
};

static struct kunit_suite fastpath_suite = {
	.name = "bufpool_fastpath",
	.test_cases = fastpath_cases,
};

kunit_test_suites(&fastpath_suite);
