// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * buddy.c - the buddy tree of a chunk: Netty's memoryMap and depthMap.
 *
 * A chunk of 2^max_order pages is a complete binary tree stored in two byte
 * arrays of 2^(max_order + 1) entries (index 0 unused):
 *
 *   depth 0                  1                     run = chunk
 *   depth 1           2             3              run = chunk / 2
 *   depth 2        4     5       6     7
 *   ...
 *   depth max_order  2^max_order .. 2^(max_order+1) - 1   one page each
 *
 * Formulas, for node id at depth d (d = ilog2(id)):
 *   children  2id, 2id + 1          parent   P = id >> 1
 *   buddy     B = id ^ 1            pages    2^(max_order - d)
 *   first page (id ^ 2^d) << (max_order - d)
 *   leaf of page p: 2^max_order + p
 *
 * memory_map[id] is the depth of the shallowest node in id's subtree that
 * is entirely free; depth_map[id] (= d) when the whole subtree is free, and
 * unusable (= max_order + 1) when nothing below is free.  So a run of
 * 2^(max_order - d) pages exists iff memory_map[1] <= d.
 *
 * Allocating at depth d walks down from the root taking the left child when
 * its value is <= d, else its buddy, marks the node unusable and sets each
 * ancestor to min(children).  Freeing restores the node to its depth and
 * walks up: a parent whose two children are both entirely free becomes
 * entirely free itself (value = its depth), else min(children).
 *
 * Worked example, max_order = 2 (4 pages), two allocations at depth 2:
 *   start         mm[1..7] = 0 1 1 2 2 2 2
 *   alloc d=2 → 4 mm[1..7] = 1 2 1 U 2 2 2      (U = unusable = 3)
 *   alloc d=2 → 5 mm[1..7] = 1 U 1 U U 2 2
 *
 * An allocated node's descendants keep their pristine values (they are never
 * touched while it is allocated), so the node covering a page is the deepest
 * unusable node on the page's leaf-to-root path: bufpool_buddy_find().
 *
 * The caller serializes access (the arena lock).
 */
#include "buddy.h"

/**
 * bufpool_buddy_init() - allocate and fill an entirely free tree
 * @b: the tree
 * @max_order: depth of the leaves, 0..BUFPOOL_MAX_ORDER_MAX
 * @gfp: allocation flags for the two maps
 *
 * Context: may sleep if @gfp allows.
 * Return: 0 or -ENOMEM.
 */
int bufpool_buddy_init(struct bufpool_buddy *b, unsigned int max_order, gfp_t gfp)
{
	unsigned int nodes = 1u << (max_order + 1);

	b->memory_map = kvmalloc(2 * nodes, gfp | __GFP_NOWARN);
	if (!b->memory_map)
		return -ENOMEM;
	b->depth_map = b->memory_map + nodes;
	b->max_order = max_order;
	b->unusable = max_order + 1;
	bufpool_buddy_reset(b);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(bufpool_buddy_init, BUFPOOL_INTERNAL);

/**
 * bufpool_buddy_reset() - make every node free again
 * @b: an initialized tree
 *
 * Context: caller serializes access to @b.
 */
void bufpool_buddy_reset(struct bufpool_buddy *b)
{
	unsigned int depth;

	b->memory_map[0] = b->unusable;
	b->depth_map[0] = b->unusable;
	/* Depth d is the 2^d bytes from index 2^d: one memset a level. */
	for (depth = 0; depth <= b->max_order; depth++) {
		memset(b->memory_map + (1u << depth), depth, 1u << depth);
		memset(b->depth_map + (1u << depth), depth, 1u << depth);
	}
}
EXPORT_SYMBOL_NS_GPL(bufpool_buddy_reset, BUFPOOL_INTERNAL);

/**
 * bufpool_buddy_destroy() - free the maps
 * @b: the tree
 *
 * Context: may sleep.
 */
void bufpool_buddy_destroy(struct bufpool_buddy *b)
{
	kvfree(b->memory_map);
	b->memory_map = NULL;
	b->depth_map = NULL;
}
EXPORT_SYMBOL_NS_GPL(bufpool_buddy_destroy, BUFPOOL_INTERNAL);

/*
 * Netty's updateParentsAlloc()/updateParentsFree() walk to the root every
 * time; a node's value depends only on its children's, so once a parent
 * keeps its value every ancestor keeps its own and the walk stops there.
 * The tree ends up the same, node for node.
 */
static void buddy_update_parents_alloc(struct bufpool_buddy *b, unsigned int id)
{
	while (id > 1) {
		unsigned int parent = id >> 1;
		u8 v1 = b->memory_map[id], v2 = b->memory_map[id ^ 1];
		u8 v = min(v1, v2);

		if (b->memory_map[parent] == v)
			break;
		b->memory_map[parent] = v;
		id = parent;
	}
}

static void buddy_update_parents_free(struct bufpool_buddy *b, unsigned int id)
{
	unsigned int child_depth = b->depth_map[id];

	while (id > 1) {
		unsigned int parent = id >> 1;
		u8 v1 = b->memory_map[id], v2 = b->memory_map[id ^ 1];
		u8 v = v1 == child_depth && v2 == child_depth ? child_depth - 1 : min(v1, v2);

		if (b->memory_map[parent] == v)
			break;
		b->memory_map[parent] = v;
		child_depth--;
		id = parent;
	}
}

/**
 * bufpool_buddy_alloc() - allocate a node at @depth (Netty's allocateNode)
 * @b: the tree
 * @depth: 0 (the whole chunk) .. max_order (one page)
 *
 * Takes the leftmost free node at @depth.
 *
 * Context: caller serializes access to @b.
 * Return: the node id, or -ENOSPC if no run of that size is free.
 */
int bufpool_buddy_alloc(struct bufpool_buddy *b, unsigned int depth)
{
	/* id & initial == 0 while id is shallower than @depth. */
	unsigned int initial = ~((1u << depth) - 1);
	unsigned int id = 1;
	u8 val;

	if (WARN_ON_ONCE(depth > b->max_order))
		return -EINVAL;
	val = b->memory_map[id];
	if (val > depth)
		return -ENOSPC;
	while (val < depth || !(id & initial)) {
		id <<= 1;
		val = b->memory_map[id];
		if (val > depth) {
			id ^= 1;
			val = b->memory_map[id];
		}
	}
	b->memory_map[id] = b->unusable;
	buddy_update_parents_alloc(b, id);
	return id;
}
EXPORT_SYMBOL_NS_GPL(bufpool_buddy_alloc, BUFPOOL_INTERNAL);

/**
 * bufpool_buddy_node_free() - is every page under node @id free?
 * @b: the tree
 * @id: the node, 1 .. 2^(max_order + 1) - 1
 *
 * Its value is its depth (its subtree is free), and no ancestor was
 * allocated as a run: an allocation leaves the values below it as they
 * were.
 *
 * Context: caller serializes access to @b.
 * Return: true if so.
 */
bool bufpool_buddy_node_free(const struct bufpool_buddy *b, unsigned int id)
{
	if (b->memory_map[id] != b->depth_map[id])
		return false;
	/* Above a free node, only a run allocated there reads unusable. */
	for (id >>= 1; id >= 1; id >>= 1)
		if (b->memory_map[id] == b->unusable)
			return false;
	return true;
}
EXPORT_SYMBOL_NS_GPL(bufpool_buddy_node_free, BUFPOOL_INTERNAL);

/**
 * bufpool_buddy_take() - allocate node @id itself
 * @b: the tree
 * @id: the node; every page under it must be free
 *
 * Not Netty's: a purge (bufpool_chunk_purge_take()) takes the ranges it
 * gives back to the system out of the tree while it does, as an allocation
 * of them would, so that no allocation takes them meanwhile;
 * bufpool_buddy_free() puts the node back.
 *
 * Context: caller serializes access to @b.
 * Return: 0; -EBUSY if a page under @id is not free (nothing changed).
 */
int bufpool_buddy_take(struct bufpool_buddy *b, unsigned int id)
{
	if (WARN_ON_ONCE(id < 1 || id >= (2u << b->max_order)) || !bufpool_buddy_node_free(b, id))
		return -EBUSY;
	b->memory_map[id] = b->unusable;
	buddy_update_parents_alloc(b, id);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(bufpool_buddy_take, BUFPOOL_INTERNAL);

/**
 * bufpool_buddy_free() - free a node returned by bufpool_buddy_alloc()
 * @b: the tree
 * @id: the node; must be allocated (the caller checks with bufpool_buddy_find()),
 *      by bufpool_buddy_alloc() or bufpool_buddy_take()
 *
 * Context: caller serializes access to @b.
 */
void bufpool_buddy_free(struct bufpool_buddy *b, unsigned int id)
{
	if (WARN_ON_ONCE(id < 1 || id >= (2u << b->max_order) ||
			 b->memory_map[id] != b->unusable))
		return;
	b->memory_map[id] = b->depth_map[id];
	buddy_update_parents_free(b, id);
}
EXPORT_SYMBOL_NS_GPL(bufpool_buddy_free, BUFPOOL_INTERNAL);

/**
 * bufpool_buddy_find() - the allocated node covering a page
 * @b: the tree
 * @page: page index, 0 .. 2^max_order - 1
 *
 * Context: caller serializes access to @b.
 * Return: the deepest unusable node on the page's leaf-to-root path, which
 * is the node the page was allocated with; 0 if the page is free.
 */
unsigned int bufpool_buddy_find(const struct bufpool_buddy *b, unsigned int page)
{
	unsigned int id = (1u << b->max_order) + page;

	for (; id >= 1; id >>= 1)
		if (b->memory_map[id] == b->unusable)
			return id;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(bufpool_buddy_find, BUFPOOL_INTERNAL);
