// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * buddy_kunit.c - KUnit suite "bufpool_buddy": the memoryMap/depthMap tree.
 *
 * Built into bufpool_test.ko for the kernel and, unchanged, into the
 * userspace KUnit shim program (user/kunit/).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "buddy.h"

/* xorshift64: the same sequence in both worlds. */
static u32 test_rand(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state >> 32;
}

static struct bufpool_buddy *new_tree(struct kunit *test, unsigned int max_order)
{
	struct bufpool_buddy *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, bufpool_buddy_init(b, max_order, GFP_KERNEL), 0);
	return b;
}

static int buddy_test_init(struct kunit *test)
{
	test->priv = NULL;
	return 0;
}

static void buddy_test_exit(struct kunit *test)
{
	if (test->priv)
		bufpool_buddy_destroy(test->priv);
}

/* The tree a fresh chunk starts with: value = depth everywhere. */
static void buddy_init_values(struct kunit *test)
{
	struct bufpool_buddy *b = test->priv = new_tree(test, 4);
	unsigned int id;

	KUNIT_EXPECT_EQ(test, b->unusable, 5);
	for (id = 1; id < 32; id++) {
		KUNIT_EXPECT_EQ(test, bufpool_buddy_depth(b, id), ilog2(id));
		KUNIT_EXPECT_EQ(test, bufpool_buddy_value(b, id), ilog2(id));
	}
}

static const unsigned int depth_params[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

static void depth_desc(const unsigned int *d, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "depth %u of 9", *d);
}

KUNIT_ARRAY_PARAM(depth, depth_params, depth_desc);

/*
 * At every depth: allocations come out left to right, each marks its node
 * unusable and covers the expected pages; when the level is used up the
 * next request fails and so does every other depth (exhaustion).
 */
static void buddy_alloc_every_depth(struct kunit *test)
{
	const unsigned int depth = *(const unsigned int *)test->param_value;
	struct bufpool_buddy *b = test->priv = new_tree(test, 9);
	unsigned int n, d;

	for (n = 0; n < (1u << depth); n++) {
		int id = bufpool_buddy_alloc(b, depth);

		KUNIT_ASSERT_EQ(test, id, (int)((1u << depth) + n));
		KUNIT_EXPECT_EQ(test, bufpool_buddy_value(b, id), b->unusable);
		KUNIT_EXPECT_EQ(test, bufpool_buddy_run_pages(b, id), 1u << (9 - depth));
		KUNIT_EXPECT_EQ(test, bufpool_buddy_first_page(b, id), n << (9 - depth));
	}
	KUNIT_EXPECT_EQ(test, bufpool_buddy_value(b, 1), b->unusable);
	for (d = 0; d <= 9; d++)
		KUNIT_EXPECT_EQ(test, bufpool_buddy_alloc(b, d), -ENOSPC);
}

/*
 * The worked example in buddy.c: max_order 2, two allocations at depth 2,
 * memory_map[1..7] after each.
 */
static void buddy_worked_example(struct kunit *test)
{
	static const u8 after_first[8] = { 3, 1, 2, 1, 3, 2, 2, 2 };
	static const u8 after_second[8] = { 3, 1, 3, 1, 3, 3, 2, 2 };
	struct bufpool_buddy *b = test->priv = new_tree(test, 2);
	unsigned int id;

	KUNIT_ASSERT_EQ(test, bufpool_buddy_alloc(b, 2), 4);
	for (id = 1; id < 8; id++)
		KUNIT_EXPECT_EQ_MSG(test, b->memory_map[id], after_first[id], "node %u", id);
	KUNIT_ASSERT_EQ(test, bufpool_buddy_alloc(b, 2), 5);
	for (id = 1; id < 8; id++)
		KUNIT_EXPECT_EQ_MSG(test, b->memory_map[id], after_second[id], "node %u", id);
	/* Node 2's subtree is used up; a depth-1 run must come from node 3. */
	KUNIT_EXPECT_EQ(test, bufpool_buddy_alloc(b, 1), 3);
	KUNIT_EXPECT_EQ(test, bufpool_buddy_value(b, 1), b->unusable);
}

/* Freeing restores memoryMap byte for byte, whatever the order. */
static void buddy_free_restores(struct kunit *test)
{
	struct bufpool_buddy *b = test->priv = new_tree(test, 6);
	size_t nodes = 2u << 6;
	u8 *pristine = kunit_kzalloc(test, nodes, GFP_KERNEL);
	u8 *snap = kunit_kzalloc(test, nodes, GFP_KERNEL);
	int ids[64], n = 0, i, first;
	u64 seed = 0x9e3779b97f4a7c15ULL;

	KUNIT_ASSERT_NOT_NULL(test, pristine);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	memcpy(pristine, b->memory_map, nodes);

	/* One allocation, snapshot, another, free it: back to the snapshot. */
	first = bufpool_buddy_alloc(b, 3);
	KUNIT_ASSERT_GT(test, first, 0);
	memcpy(snap, b->memory_map, nodes);
	i = bufpool_buddy_alloc(b, 5);
	KUNIT_ASSERT_GT(test, i, 0);
	bufpool_buddy_free(b, i);
	KUNIT_EXPECT_EQ(test, memcmp(snap, b->memory_map, nodes), 0);
	bufpool_buddy_free(b, first);
	KUNIT_EXPECT_EQ(test, memcmp(pristine, b->memory_map, nodes), 0);

	/* Many mixed allocations freed in a shuffled order. */
	while (n < 64) {
		int id = bufpool_buddy_alloc(b, 2 + test_rand(&seed) % 5);

		if (id < 0)
			break;
		ids[n++] = id;
	}
	KUNIT_EXPECT_GT(test, n, 4);
	for (i = n - 1; i > 0; i--) {
		int j = test_rand(&seed) % (i + 1), t = ids[i];

		ids[i] = ids[j];
		ids[j] = t;
	}
	for (i = 0; i < n; i++)
		bufpool_buddy_free(b, ids[i]);
	KUNIT_EXPECT_EQ(test, memcmp(pristine, b->memory_map, nodes), 0);
}

/* bufpool_buddy_find(): every page of a run maps to the run's node. */
static void buddy_find_covering_node(struct kunit *test)
{
	struct bufpool_buddy *b = test->priv = new_tree(test, 4);
	int a = bufpool_buddy_alloc(b, 4);	/* page 0 */
	int r = bufpool_buddy_alloc(b, 2);	/* pages 4..7 */
	unsigned int p;

	KUNIT_ASSERT_EQ(test, a, 16);
	KUNIT_ASSERT_EQ(test, r, 5);
	KUNIT_EXPECT_EQ(test, bufpool_buddy_find(b, 0), 16u);
	for (p = 4; p < 8; p++)
		KUNIT_EXPECT_EQ(test, bufpool_buddy_find(b, p), 5u);
	for (p = 1; p < 4; p++)
		KUNIT_EXPECT_EQ(test, bufpool_buddy_find(b, p), 0u);
	for (p = 8; p < 16; p++)
		KUNIT_EXPECT_EQ(test, bufpool_buddy_find(b, p), 0u);
	bufpool_buddy_free(b, r);
	KUNIT_EXPECT_EQ(test, bufpool_buddy_find(b, 5), 0u);
}

#define MODEL_ORDER	7
#define MODEL_PAGES	(1u << MODEL_ORDER)

/* Is there a free aligned run of 2^(order - depth) pages in the model? */
static bool model_has_run(const u8 *used, unsigned int depth)
{
	unsigned int len = MODEL_PAGES >> depth, start, p;

	for (start = 0; start < MODEL_PAGES; start += len) {
		for (p = start; p < start + len && !used[p]; p++)
			;
		if (p == start + len)
			return true;
	}
	return false;
}

/*
 * The reference for the walk up after an allocation or a free: Netty's,
 * which always goes to the root (bufpool's stops once a parent keeps its
 * value).  @ref is a copy of the tree's memory_map.
 */
static void ref_walk_up(u8 *ref, unsigned int id, bool freed)
{
	for (; id > 1; id >>= 1) {
		unsigned int parent = id >> 1, child_depth = ilog2(id);
		u8 v1 = ref[id], v2 = ref[id ^ 1];

		if (freed && v1 == child_depth && v2 == child_depth)
			ref[parent] = child_depth - 1;
		else
			ref[parent] = min(v1, v2);
	}
}

/*
 * 4000 random run allocations and frees against a page array: the tree
 * stays what Netty's walk to the root would make it, no run
 * overlaps a used page, an allocation fails only when no aligned run of
 * that size is free, the free-page count always matches, and
 * bufpool_buddy_find() names the owner of every page.
 */
static void buddy_random_vs_model(struct kunit *test)
{
	struct bufpool_buddy *b = test->priv = new_tree(test, MODEL_ORDER);
	u8 *used = kunit_kzalloc(test, MODEL_PAGES, GFP_KERNEL);
	int *live = kunit_kcalloc(test, MODEL_PAGES, sizeof(int), GFP_KERNEL);
	u8 *ref = kunit_kzalloc(test, 2 * MODEL_PAGES, GFP_KERNEL);
	unsigned int nr_live = 0, free_pages = MODEL_PAGES, step, p;
	u64 seed = 12345;

	KUNIT_ASSERT_NOT_NULL(test, used);
	KUNIT_ASSERT_NOT_NULL(test, live);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	memcpy(ref, b->memory_map, 2 * MODEL_PAGES);
	for (step = 0; step < 4000; step++) {
		if (nr_live && (test_rand(&seed) % 100) < 45) {
			unsigned int k = test_rand(&seed) % nr_live;
			int id = live[k];
			unsigned int first = bufpool_buddy_first_page(b, id);
			unsigned int n = bufpool_buddy_run_pages(b, id);

			bufpool_buddy_free(b, id);
			ref[id] = bufpool_buddy_depth(b, id);
			ref_walk_up(ref, id, true);
			for (p = first; p < first + n; p++)
				used[p] = 0;
			free_pages += n;
			live[k] = live[--nr_live];
		} else {
			/* Mostly small runs, sometimes large ones. */
			unsigned int depth = MODEL_ORDER - (test_rand(&seed) % 8 == 0 ?
					     test_rand(&seed) % (MODEL_ORDER + 1) :
					     test_rand(&seed) % 3);
			bool expect = model_has_run(used, depth);
			int id = bufpool_buddy_alloc(b, depth);

			KUNIT_ASSERT_EQ_MSG(test, id >= 0, expect, "step %u depth %u", step, depth);
			if (id >= 0) {
				unsigned int first = bufpool_buddy_first_page(b, id);
				unsigned int n = bufpool_buddy_run_pages(b, id);

				KUNIT_ASSERT_EQ(test, bufpool_buddy_depth(b, id), depth);
				ref[id] = b->unusable;
				ref_walk_up(ref, id, false);
				for (p = first; p < first + n; p++) {
					KUNIT_ASSERT_EQ_MSG(test, used[p], 0,
							    "overlap at page %u", p);
					used[p] = 1;
				}
				free_pages -= n;
				live[nr_live++] = id;
			}
		}
		/* Node for node the tree of a walk to the root every time. */
		KUNIT_ASSERT_EQ_MSG(test, memcmp(ref + 1, b->memory_map + 1, 2 * MODEL_PAGES - 1),
				    0, "step %u", step);
		/* The root says how deep the shallowest free run is. */
		for (p = 0; p <= MODEL_ORDER && !model_has_run(used, p); p++)
			;
		KUNIT_ASSERT_EQ_MSG(test, bufpool_buddy_value(b, 1),
				    p > MODEL_ORDER ? b->unusable : p, "step %u", step);
	}
	/* Every page's owner, by find(), matches the model. */
	for (p = 0; p < MODEL_PAGES; p++)
		KUNIT_EXPECT_EQ(test, bufpool_buddy_find(b, p) != 0, used[p] != 0);
	for (p = 0, step = 0; p < MODEL_PAGES; p++)
		step += !used[p];
	KUNIT_EXPECT_EQ(test, step, free_pages);
}

/*
 * What a purge takes out of the tree (bufpool_chunk_purge_take()): after
 * random allocations, every maximal range of free pages, split with
 * bufpool_buddy_node_at() into the largest nodes that fit, is taken node by
 * node with bufpool_buddy_take().  The nodes tile the range exactly, each
 * one entirely free when taken; afterwards no page is free and find()
 * names a node for each; a node with an allocated page is refused, the
 * tree unchanged; freeing the taken nodes gives back the tree as it was.
 */
static void buddy_take_free_ranges(struct kunit *test)
{
	struct bufpool_buddy *b = test->priv = new_tree(test, MODEL_ORDER);
	u8 *before = kunit_kzalloc(test, 2 * MODEL_PAGES, GFP_KERNEL);
	u8 *after = kunit_kzalloc(test, 2 * MODEL_PAGES, GFP_KERNEL);
	int *taken = kunit_kcalloc(test, MODEL_PAGES, sizeof(int), GFP_KERNEL);
	unsigned int nr_taken = 0, step, p, end, id, i;
	u64 seed = 777;
	int busy = -1;

	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	KUNIT_ASSERT_NOT_NULL(test, taken);
	for (step = 0; step < 40; step++) {	/* about a third in use */
		id = bufpool_buddy_alloc(b, MODEL_ORDER - test_rand(&seed) % 4);
		if ((int)id > 0 && test_rand(&seed) % 2)
			bufpool_buddy_free(b, id);
		else if ((int)id > 0 && busy < 0 && bufpool_buddy_depth(b, id) > 1 &&
			 bufpool_buddy_depth(b, id) < MODEL_ORDER)
			busy = id;
	}
	KUNIT_ASSERT_GT(test, busy, 0);
	memcpy(before, b->memory_map, 2 * MODEL_PAGES);
	/*
	 * Nodes over an allocated page: refused, nothing changed - its
	 * parent, and its child, whose value an allocation leaves as it was.
	 */
	KUNIT_EXPECT_EQ(test, bufpool_buddy_take(b, busy >> 1), -EBUSY);
	KUNIT_EXPECT_FALSE(test, bufpool_buddy_node_free(b, busy * 2));
	KUNIT_EXPECT_EQ(test, bufpool_buddy_take(b, busy * 2), -EBUSY);
	KUNIT_EXPECT_EQ(test, memcmp(before, b->memory_map, 2 * MODEL_PAGES), 0);
	for (p = 0; p < MODEL_PAGES; p = end) {
		if (bufpool_buddy_find(b, p)) {
			end = p + 1;
			continue;
		}
		for (end = p + 1; end < MODEL_PAGES && !bufpool_buddy_find(b, end); end++)
			;
		bufpool_buddy_for_each_tile(b, id, i, p, end) {
			KUNIT_ASSERT_TRUE(test, bufpool_buddy_node_free(b, id));
			KUNIT_ASSERT_EQ(test, bufpool_buddy_first_page(b, id), i);
			KUNIT_ASSERT_LE(test, i + bufpool_buddy_run_pages(b, id), end);
			KUNIT_ASSERT_EQ(test, bufpool_buddy_take(b, id), 0);
			taken[nr_taken++] = id;
		}
	}
	KUNIT_EXPECT_GT(test, nr_taken, 1u);
	KUNIT_EXPECT_EQ(test, bufpool_buddy_value(b, 1), b->unusable);
	for (p = 0; p < MODEL_PAGES; p++)
		KUNIT_EXPECT_NE(test, bufpool_buddy_find(b, p), 0u);
	memcpy(after, b->memory_map, 2 * MODEL_PAGES);
	for (i = 0; i < nr_taken; i++)
		bufpool_buddy_free(b, taken[i]);
	KUNIT_EXPECT_EQ(test, memcmp(before + 1, b->memory_map + 1, 2 * MODEL_PAGES - 1), 0);
	KUNIT_EXPECT_NE(test, memcmp(before + 1, after + 1, 2 * MODEL_PAGES - 1), 0);
}

static struct kunit_case buddy_cases[] = {
	KUNIT_CASE(buddy_init_values),
	KUNIT_CASE_PARAM(buddy_alloc_every_depth, depth_gen_params),
	KUNIT_CASE(buddy_worked_example),
	KUNIT_CASE(buddy_free_restores),
	KUNIT_CASE(buddy_find_covering_node),
	KUNIT_CASE(buddy_random_vs_model),
	KUNIT_CASE(buddy_take_free_ranges),
	{}
};

static struct kunit_suite buddy_suite = {
	.name = "bufpool_buddy",
	.init = buddy_test_init,
	.exit = buddy_test_exit,
	.test_cases = buddy_cases,
};

kunit_test_suites(&buddy_suite);
