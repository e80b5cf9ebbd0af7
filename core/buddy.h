/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * buddy.h - the buddy tree over a chunk's pages (buddy.c): Netty's
 * memoryMap/depthMap and the node formulas.
 */
#ifndef _BUFPOOL_BUDDY_H
#define _BUFPOOL_BUDDY_H

#include <bufpool_seam.h>

/**
 * struct bufpool_buddy - Netty's memoryMap/depthMap over one chunk's pages
 * @memory_map: per node, the depth of the shallowest free node in its
 *              subtree; @unusable once nothing below is free
 * @depth_map: per node, its depth; never changes
 * @max_order: depth of the leaves (one leaf per page)
 * @unusable: max_order + 1
 *
 * Nodes are numbered from 1 (the root, depth 0); node id has children 2id
 * and 2id+1, parent id/2 and buddy id^1.  Depth d holds ids [2^d, 2^(d+1)).
 */
struct bufpool_buddy {
	u8 *memory_map;
	u8 *depth_map;
	unsigned int max_order;
	u8 unusable;
};

/* buddy.c */
int bufpool_buddy_init(struct bufpool_buddy *b, unsigned int max_order, gfp_t gfp);
void bufpool_buddy_reset(struct bufpool_buddy *b);
void bufpool_buddy_destroy(struct bufpool_buddy *b);
int bufpool_buddy_alloc(struct bufpool_buddy *b, unsigned int depth);
bool bufpool_buddy_node_free(const struct bufpool_buddy *b, unsigned int id);
int bufpool_buddy_take(struct bufpool_buddy *b, unsigned int id);
void bufpool_buddy_free(struct bufpool_buddy *b, unsigned int id);
unsigned int bufpool_buddy_find(const struct bufpool_buddy *b, unsigned int page);

/* Node helpers: the formulas of the buddy tree, used by chunk.c and tests. */
static inline unsigned int bufpool_buddy_depth(const struct bufpool_buddy *b,
					       unsigned int id)
{
	return b->depth_map[id];
}

static inline u8 bufpool_buddy_value(const struct bufpool_buddy *b, unsigned int id)
{
	return b->memory_map[id];
}

/* Pages covered by node @id: 2^(max_order - depth). */
static inline unsigned int bufpool_buddy_run_pages(const struct bufpool_buddy *b,
						   unsigned int id)
{
	return 1u << (b->max_order - bufpool_buddy_depth(b, id));
}

/*
 * The largest node that starts at page @page and ends at or before page
 * @end (> @page): the leaf's ancestor as many levels up as @page's
 * alignment and the room to @end allow.
 */
static inline unsigned int bufpool_buddy_node_at(const struct bufpool_buddy *b,
						 unsigned int page, unsigned int end)
{
	unsigned int order = page ? min_t(unsigned int, __ffs(page), b->max_order) :
				    b->max_order;

	while ((1u << order) > end - page)
		order--;
	return ((1u << b->max_order) + page) >> order;
}

/*
 * For each node @id of the tiling of pages [@start, @end) by the largest
 * nodes that fit (bufpool_buddy_node_at()), @p its first page.
 */
#define bufpool_buddy_for_each_tile(b, id, p, start, end)			\
	for ((p) = (start);							\
	     (p) < (end) && ((id) = bufpool_buddy_node_at(b, p, end), true);	\
	     (p) += bufpool_buddy_run_pages(b, id))

/* First page of node @id: (id ^ 2^depth) * run_pages. */
static inline unsigned int bufpool_buddy_first_page(const struct bufpool_buddy *b,
						    unsigned int id)
{
	unsigned int depth = bufpool_buddy_depth(b, id);

	return (id ^ (1u << depth)) << (b->max_order - depth);
}

#endif /* _BUFPOOL_BUDDY_H */
