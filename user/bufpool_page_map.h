/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_page_map.h (userspace) - how the free's hit path (core/fastpath.h)
 * reads a page's page_bin: from a map of the pool's own, one byte per page
 * of the address space, two levels (user/page_map.c).  Two dependent loads
 * from pointer to page_bin, where the chunk map takes four (root, leaf,
 * chunk, page_bin[]), as tcmalloc's page map goes from pointer to size
 * class.
 *
 * The map is a copy: chunk->page_bin[] stays what the core reads and
 * writes, and every write of it is made here too (bufpool_page_map_set()),
 * under the same arena lock.  A chunk's bytes are zero while it is not in
 * the chunk table, so an address of no chunk of the pool reads 0.
 */
#ifndef _BUFPOOL_PAGE_MAP_H
#define _BUFPOOL_PAGE_MAP_H

#include "pool.h"

/*
 * Pages per leaf: 2^20 bytes, which with 4 KiB pages covers 4 GiB of
 * address space.  Leaves are mmap'd zero pages, so only the parts that
 * cover chunks are ever touched (2 KiB of map per 16 MiB chunk).
 */
#define BUFPOOL_PAGE_MAP_LEAF_BITS	20
#define BUFPOOL_PAGE_MAP_LEAF_MASK	((1UL << BUFPOOL_PAGE_MAP_LEAF_BITS) - 1)

/* @ptr's page's page_bin, or 0 (no cacheable allocation, or not the pool's). */
static __always_inline unsigned long bufpool_page_bin_find(const struct bufpool *pool,
							   const void *ptr)
{
	uintptr_t addr = (uintptr_t)ptr - BUFPOOL_ADDR_BASE;
	unsigned long key = addr >> pool->geo.page_shift;
	const u8 *leaf;

	if (unlikely(addr >= BUFPOOL_ADDR_LIMIT))
		return 0;
	/* Acquire pairs with the release that published the (zeroed) leaf. */
	leaf = smp_load_acquire(&pool->world.page_map[key >> BUFPOOL_PAGE_MAP_LEAF_BITS]);
	if (unlikely(!leaf))
		return 0;
	return READ_ONCE(leaf[key & BUFPOOL_PAGE_MAP_LEAF_MASK]);
}

int bufpool_page_map_init(struct bufpool *pool);
void bufpool_page_map_destroy(struct bufpool *pool);
int bufpool_page_map_insert(struct bufpool *pool, struct bufpool_chunk *chunk, gfp_t gfp);
void bufpool_page_map_remove(struct bufpool *pool, struct bufpool_chunk *chunk);
void bufpool_page_map_set(struct bufpool *pool, struct bufpool_chunk *chunk,
			  unsigned int page, u8 page_bin);

#endif /* _BUFPOOL_PAGE_MAP_H */
