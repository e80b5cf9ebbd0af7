// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bitmap_kunit.c - KUnit suites "bufpool_bitmap" (a subpage's element
 * bitmap on its own) and "bufpool_chunk" (subpages and runs inside a real
 * pool's chunk: free-by-pointer resolution, a fully free subpage giving its
 * page back to the buddy tree).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "geometry.h"
#include "buddy.h"
#include "chunk.h"
#include "arena.h"
#include "pool.h"

struct bitmap_param {
	unsigned int page_size;
	unsigned int elem_size;
};

/* Every tiny (16..496) and small (512..page/2) size, for 8 KiB and 4 KiB pages. */
static const void *bitmap_geometry_gen_params(const void *prev, char *desc)
{
	static struct bitmap_param cur;

	if (!prev) {
		cur.page_size = 8192;
		cur.elem_size = 16;
	} else if (cur.elem_size < BUFPOOL_TINY_LIMIT - BUFPOOL_TINY_QUANTUM) {
		cur.elem_size += BUFPOOL_TINY_QUANTUM;
	} else if (cur.elem_size < cur.page_size / 2) {
		cur.elem_size = cur.elem_size < BUFPOOL_TINY_LIMIT ?
				BUFPOOL_TINY_LIMIT : cur.elem_size * 2;
	} else if (cur.page_size == 8192) {
		cur.page_size = 4096;
		cur.elem_size = 16;
	} else {
		return NULL;
	}
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u-byte elements, %u-byte page",
		 cur.elem_size, cur.page_size);
	return &cur;
}

static struct bufpool_subpage *new_subpage(struct kunit *test, unsigned int page_size)
{
	struct bufpool_subpage *sp =
		kunit_kzalloc(test, bufpool_subpage_struct_size(page_size), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sp);
	INIT_LIST_HEAD(&sp->node);
	return sp;
}

/*
 * Geometry: max elements, bitmap words, the valid bits of a final partial
 * word; allocate all (indexes in order), then the next allocation fails and
 * the subpage has left its pool list.
 */
static void bitmap_geometry(struct kunit *test)
{
	const struct bitmap_param *p = test->param_value;
	struct bufpool_subpage *sp = new_subpage(test, p->page_size);
	unsigned int max = p->page_size / p->elem_size, i;
	unsigned int last_bits = max % BITS_PER_LONG, words = BITS_TO_LONGS(max);
	LIST_HEAD(head);

	bufpool_subpage_init(sp, &head, p->page_size, p->elem_size);
	KUNIT_EXPECT_EQ(test, sp->max_elems, max);
	KUNIT_EXPECT_EQ(test, sp->num_avail, max);
	KUNIT_EXPECT_EQ(test, find_next_zero_bit(sp->bitmap, max, 0), 0);
	/* The bitmap was sized for 16-byte elements: it always has room. */
	KUNIT_EXPECT_LE(test, words, BITS_TO_LONGS(p->page_size / BUFPOOL_TINY_QUANTUM));
	KUNIT_EXPECT_TRUE(test, list_is_singular(&head));

	for (i = 0; i < max; i++)
		KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc(sp), (int)i);
	KUNIT_EXPECT_EQ(test, sp->num_avail, 0u);
	KUNIT_EXPECT_EQ(test, bufpool_subpage_alloc(sp), -ENOSPC);
	KUNIT_EXPECT_TRUE(test, list_empty(&head));
	KUNIT_EXPECT_EQ(test, find_next_zero_bit(sp->bitmap, max, 0), max);
	for (i = 0; i + 1 < words; i++)
		KUNIT_EXPECT_EQ(test, sp->bitmap[i], ~0UL);
	/* No bit past max_elems set. */
	KUNIT_EXPECT_EQ(test, sp->bitmap[words - 1], last_bits ? (1UL << last_bits) - 1 : ~0UL);
}

/* Free one element of a full subpage: the next allocation returns it. */
static void bitmap_free_one_get_it_back(struct kunit *test)
{
	struct bufpool_subpage *sp = new_subpage(test, 8192);
	LIST_HEAD(head);
	unsigned int i;

	bufpool_subpage_init(sp, &head, 8192, 48);	/* 170 elements, 3 words */
	for (i = 0; i < 170; i++)
		KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc(sp), (int)i);
	KUNIT_EXPECT_TRUE(test, list_empty(&head));
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(sp, &head, 131), 1);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&head));	/* rejoined */
	KUNIT_EXPECT_FALSE(test, bufpool_subpage_test(sp, 131));
	KUNIT_EXPECT_EQ(test, bufpool_subpage_alloc(sp), 131);
	KUNIT_EXPECT_TRUE(test, bufpool_subpage_test(sp, 131));
	/* Without the hint the lowest free index comes back. */
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(sp, &head, 7), 1);
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(sp, &head, 100), 1);
	KUNIT_EXPECT_EQ(test, bufpool_subpage_alloc(sp), 100);
	KUNIT_EXPECT_EQ(test, bufpool_subpage_alloc(sp), 7);
}

/* A second free of the same element is refused and changes nothing. */
static void bitmap_double_free(struct kunit *test)
{
	struct bufpool_subpage *sp = new_subpage(test, 8192);
	unsigned long word;
	LIST_HEAD(head);

	bufpool_subpage_init(sp, &head, 8192, 64);
	KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc(sp), 0);
	KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc(sp), 1);
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(sp, &head, 1), 1);
	word = sp->bitmap[0];
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(sp, &head, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sp->bitmap[0], word);
	KUNIT_EXPECT_EQ(test, sp->num_avail, 127u);
	/* Never allocated, and out of range, are refused too. */
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(sp, &head, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(sp, &head, 128), -EINVAL);
	KUNIT_EXPECT_EQ(test, sp->num_avail, 127u);
}

/*
 * The span operations a chunk's page bitmaps use (bufpool_chunk_purge_take()),
 * every span of three words: bitmap_set()/bitmap_clear() touch exactly
 * [start, start + n), find_next_bit()/find_next_zero_bit() find its ends,
 * bitmap_weight() counts it (bufpool_chunk_dirty_pages()).
 * In userspace this checks the shims (user/include/linux/bitmap.h).
 */
static void bitmap_spans(struct kunit *test)
{
	enum { NBITS = 3 * BITS_PER_LONG };
	unsigned long set[BITS_TO_LONGS(NBITS)], clr[BITS_TO_LONGS(NBITS)];
	unsigned int start, n, i, bad = 0;

	for (start = 0; start < NBITS; start++) {
		for (n = 0; start + n <= NBITS; n++) {
			bitmap_zero(set, NBITS);
			memset(clr, 0xff, sizeof(clr));
			bitmap_set(set, start, n);
			bitmap_clear(clr, start, n);
			for (i = 0; i < NBITS; i++) {
				bool in = i >= start && i < start + n;

				bad += test_bit(i, set) != in;
				bad += test_bit(i, clr) == in;
			}
			bad += find_next_bit(set, NBITS, 0) != (n ? start : NBITS);
			bad += n && find_next_zero_bit(set, NBITS, start) != start + n;
			bad += find_next_zero_bit(clr, NBITS, 0) != (n ? start : NBITS);
			bad += bitmap_weight(set, NBITS) != n;
			bad += bitmap_weight(clr, NBITS) != NBITS - n;
			/* a partial last word counts only its first bits */
			bad += bitmap_weight(set, NBITS - 1) != n - (n && start + n == NBITS);
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0u);
}

/*
 * An entirely free subpage gives its page back (returns 0, leaves the
 * list) unless it is the only one of its size on the list (doNotDestroy).
 */
static void bitmap_free_subpage_release(struct kunit *test)
{
	struct bufpool_subpage *a = new_subpage(test, 4096);
	struct bufpool_subpage *b = new_subpage(test, 4096);
	LIST_HEAD(head);
	unsigned int i;

	bufpool_subpage_init(a, &head, 4096, 1024);
	bufpool_subpage_init(b, &head, 4096, 1024);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc(a), (int)i);
	KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc(b), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, bufpool_subpage_free(a, &head, i), 1);
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(a, &head, 3), 0);
	KUNIT_EXPECT_FALSE(test, a->do_not_destroy);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&head));
	KUNIT_EXPECT_EQ(test, bufpool_subpage_alloc(a), -ENOSPC);
	/* b is now alone on the list: emptied, it stays for the next request. */
	KUNIT_EXPECT_EQ(test, bufpool_subpage_free(b, &head, 0), 1);
	KUNIT_EXPECT_TRUE(test, b->do_not_destroy);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&head));
}

/*
 * The bulk take gives the elements, in the order, that one-at-a-time takes
 * would: two subpages in the same state (full, then a scattered set freed,
 * the last free as the next_avail hint; then, full again, long runs freed:
 * whole bitmap words and runs across word boundaries), emptied in batches
 * of 1..64 and one at a time; and both leave their list when full.
 */
static void bitmap_bulk_as_single(struct kunit *test)
{
	const struct bitmap_param *p = test->param_value;
	struct bufpool_subpage *a = new_subpage(test, p->page_size);
	struct bufpool_subpage *b = new_subpage(test, p->page_size);
	unsigned int i, k, got, n, max, round, batch = 1, seed = p->elem_size;
	char *base = kunit_kzalloc(test, p->page_size, GFP_KERNEL);	/* a's page */
	void *out[64];
	LIST_HEAD(head_a);
	LIST_HEAD(head_b);

	bufpool_subpage_init(a, &head_a, p->page_size, p->elem_size);
	bufpool_subpage_init(b, &head_b, p->page_size, p->elem_size);
	max = a->max_elems;
	KUNIT_ASSERT_NOT_NULL(test, base);
	KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc_bulk(a, base, out, 0), 0u);
	for (i = 0; i < max; i++) {
		KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc(a), (int)i);
		KUNIT_ASSERT_EQ(test, bufpool_subpage_alloc(b), (int)i);
	}
	for (round = 0; round < 2; round++) {
		for (i = 0; i < max; i++) {
			seed = seed * 1103515245u + 12345u;
			if (i == max - 1)	/* never empty: the page stays */
				continue;
			/* scattered; then runs: the middle half, every 5th elsewhere */
			if (round == 0 ? (seed >> 16) % 3 != 0 :
			    (i < max / 4 || i >= max - max / 4) && i % 5)
				continue;
			KUNIT_ASSERT_EQ(test, bufpool_subpage_free(a, &head_a, i), 1);
			KUNIT_ASSERT_EQ(test, bufpool_subpage_free(b, &head_b, i), 1);
		}
		n = a->num_avail;
		for (got = 0; got < n; got += k) {
			k = bufpool_subpage_alloc_bulk(a, base, out, batch);
			KUNIT_ASSERT_EQ(test, k, min(batch, n - got));
			for (i = 0; i < k; i++) {
				char *want = base + bufpool_subpage_alloc(b) * p->elem_size;

				KUNIT_EXPECT_PTR_EQ(test, out[i], (void *)want);
			}
			batch = batch % ARRAY_SIZE(out) + 7;
		}
		KUNIT_EXPECT_EQ(test, a->num_avail, 0u);
		KUNIT_EXPECT_EQ(test, b->num_avail, 0u);
		KUNIT_EXPECT_TRUE(test, list_empty(&head_a));
		KUNIT_EXPECT_TRUE(test, list_empty(&head_b));
		for (i = 0; i < BITS_TO_LONGS(max); i++)
			KUNIT_EXPECT_EQ(test, a->bitmap[i], b->bitmap[i]);
	}
	KUNIT_EXPECT_EQ(test, bufpool_subpage_alloc_bulk(a, base, out, 4), 0u);
	for (i = 0; i < BITS_TO_LONGS(max); i++)
		KUNIT_EXPECT_EQ(test, a->bitmap[i], b->bitmap[i]);
}

static struct kunit_case bitmap_cases[] = {
	KUNIT_CASE_PARAM(bitmap_geometry, bitmap_geometry_gen_params),
	KUNIT_CASE(bitmap_free_one_get_it_back),
	KUNIT_CASE(bitmap_double_free),
	KUNIT_CASE(bitmap_free_subpage_release),
	KUNIT_CASE(bitmap_spans),
	KUNIT_CASE_PARAM(bitmap_bulk_as_single, bitmap_geometry_gen_params),
	{}
};

static struct kunit_suite bitmap_suite = {
	.name = "bufpool_bitmap",
	.test_cases = bitmap_cases,
};

/* bufpool_chunk: the same structures inside a real pool. */

static int chunk_test_init(struct kunit *test)
{
	struct bufpool_config cfg = {
		.name = "kunit", .page_size = 4096, .max_order = 4,
		.nr_arenas = 1, .flags = BUFPOOL_F_MISUSE_COUNT,
	};
	char why[128];
	struct bufpool *pool = bufpool_pool_create(&cfg, why, sizeof(why));

	if (IS_ERR(pool))
		return PTR_ERR(pool);
	test->priv = pool;
	return 0;
}

static void chunk_test_exit(struct kunit *test)
{
	if (test->priv)
		bufpool_pool_destroy(test->priv);
}

static struct bufpool_chunk *only_chunk(struct bufpool *pool)
{
	unsigned int i;

	for (i = 0; i < BUFPOOL_NR_QLISTS; i++)
		if (!list_empty(&pool->arenas[0].lists[i].chunks))
			return list_first_entry(&pool->arenas[0].lists[i].chunks,
						struct bufpool_chunk, list_node);
	return NULL;
}

/*
 * Fill two pages with 256-byte elements (16 per 4 KiB page).  With both
 * subpages on the pool list, emptying the second gives its page back to the
 * buddy tree; the first, alone on the list once emptied, keeps its page.
 */
static void chunk_subpage_returns_page(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	void *p[32];
	struct bufpool_chunk *chunk;
	unsigned int i, page0, page1;

	for (i = 0; i < 32; i++) {
		p[i] = bufpool_pool_alloc(pool, 256, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	chunk = only_chunk(pool);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	KUNIT_EXPECT_EQ(test, chunk->free_bytes, (size_t)(16 - 2) * 4096);
	page0 = ((char *)p[0] - (char *)bufpool_chunk_base(chunk)) / 4096;
	page1 = ((char *)p[16] - (char *)bufpool_chunk_base(chunk)) / 4096;
	KUNIT_EXPECT_NE(test, page0, page1);
	KUNIT_EXPECT_NE(test, bufpool_buddy_find(&chunk->buddy, page1), 0u);

	bufpool_pool_free(pool, p[0]);		/* page 0 rejoins the list */
	for (i = 16; i < 32; i++)
		bufpool_pool_free(pool, p[i]);
	KUNIT_EXPECT_EQ(test, bufpool_buddy_find(&chunk->buddy, page1), 0u);
	KUNIT_EXPECT_EQ(test, chunk->free_bytes, (size_t)(16 - 1) * 4096);

	for (i = 1; i < 16; i++)
		bufpool_pool_free(pool, p[i]);
	KUNIT_EXPECT_NE(test, bufpool_buddy_find(&chunk->buddy, page0), 0u);
	KUNIT_EXPECT_EQ(test, chunk->free_bytes, (size_t)(16 - 1) * 4096);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->invalid_frees), 0);
}

/* bufpool_chunk_resolve() as its callers use it: under the arena lock. */
static int resolve(struct bufpool_chunk *chunk, const void *ptr, u64 *handle, size_t *usable)
{
	unsigned long irqflags;
	int ret;

	spin_lock_irqsave(&chunk->arena->lock, irqflags);
	ret = bufpool_chunk_resolve(chunk, ptr, handle, usable);
	spin_unlock_irqrestore(&chunk->arena->lock, irqflags);
	return ret;
}

/* Pointer resolution: starts of elements and runs only, live only. */
static void chunk_resolve_pointers(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	char *small = bufpool_pool_alloc(pool, 100, GFP_KERNEL);	/* 112-byte element */
	char *run = bufpool_pool_alloc(pool, 3 * 4096, GFP_KERNEL);	/* 4 pages */
	struct bufpool_chunk *chunk;
	size_t usable;
	u64 handle;

	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, run);
	chunk = only_chunk(pool);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	KUNIT_EXPECT_EQ(test, resolve(chunk, small, &handle, &usable), 0);
	KUNIT_EXPECT_EQ(test, usable, (size_t)112);
	KUNIT_EXPECT_TRUE(test, bufpool_handle_is_subpage(handle));
	KUNIT_EXPECT_EQ(test, resolve(chunk, small + 16, &handle, &usable), -EINVAL);
	KUNIT_EXPECT_EQ(test, resolve(chunk, small + 112, &handle, &usable), -ENOENT);
	KUNIT_EXPECT_EQ(test, resolve(chunk, run, &handle, &usable), 0);
	KUNIT_EXPECT_EQ(test, usable, (size_t)4 * 4096);
	KUNIT_EXPECT_FALSE(test, bufpool_handle_is_subpage(handle));
	KUNIT_EXPECT_EQ(test, resolve(chunk, run + 4096, &handle, &usable), -EINVAL);
	/* Freed memory no longer resolves: a second free would be refused. */
	bufpool_pool_free(pool, run);
	KUNIT_EXPECT_EQ(test, resolve(chunk, run, &handle, &usable), -ENOENT);
	bufpool_pool_free(pool, small);
	KUNIT_EXPECT_EQ(test, resolve(chunk, small, &handle, &usable), -ENOENT);
}

static unsigned int nr_retired(struct bufpool *pool)
{
	struct list_head *pos;
	unsigned int n = 0;

	list_for_each(pos, &pool->table.retired)
		n++;
	return n;
}

/*
 * Chunks emptied on q000 give their memory back and keep their metadata
 * for the next chunk: three whole-chunk runs freed leave three retired
 * descriptors; the next allocation reuses one, and it works like new.
 */
static void chunk_retire_and_reuse(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	const size_t chunk = pool->geo.chunk_size;
	char *p[3], *q;
	size_t usable;
	unsigned int i;
	u64 handle;

	for (i = 0; i < 3; i++) {
		p[i] = bufpool_pool_alloc(pool, chunk, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		memset(p[i], i, chunk);
	}
	KUNIT_EXPECT_EQ(test, pool->arenas[0].nr_chunks, 3u);
	for (i = 0; i < 3; i++)
		bufpool_pool_free(pool, p[i]);
	KUNIT_EXPECT_EQ(test, pool->arenas[0].nr_chunks, 0u);
	KUNIT_EXPECT_EQ(test, nr_retired(pool), 3u);

	q = bufpool_pool_alloc(pool, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, nr_retired(pool), 2u);
	KUNIT_EXPECT_EQ(test, bufpool_pool_usable_size(pool, q), (size_t)112);
	KUNIT_ASSERT_NOT_NULL(test, only_chunk(pool));
	KUNIT_EXPECT_EQ(test, resolve(only_chunk(pool), q, &handle, &usable), 0);
	KUNIT_EXPECT_EQ(test, only_chunk(pool)->free_bytes, chunk - 4096);
	bufpool_pool_free(pool, q);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->invalid_frees), 0);
}

static struct kunit_case chunk_cases[] = {
	KUNIT_CASE(chunk_subpage_returns_page),
	KUNIT_CASE(chunk_resolve_pointers),
	KUNIT_CASE(chunk_retire_and_reuse),
	{}
};

static struct kunit_suite chunk_suite = {
	.name = "bufpool_chunk",
	.init = chunk_test_init,
	.exit = chunk_test_exit,
	.test_cases = chunk_cases,
};

kunit_test_suites(&bitmap_suite, &chunk_suite);
