/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_page_map.h (userspace) - how the free's hit path (core/fastpath.h)
 * reads a page's page_bin: from a map of the pool's own, one byte per page
 * granule (4 KiB) of the address space, two levels (user/page_map.c).  Two dependent loads
 * from pointer to page_bin, where the chunk map takes four (root, leaf,
 * chunk, page_key[]), as tcmalloc's page map goes from pointer to size
 * class.
 *
 * The map is a copy: chunk->page_key[] stays what the core reads and
 * writes, and every write of it is made here too (bufpool_page_map_set()),
 * under the same arena lock: each byte the key (core/cache.h) of a page's
 * page_bin, which is what the hit path wants.  A chunk's bytes are zero while it is not in
 * the chunk table, so an address of no chunk of the pool reads 0.
 */
#ifndef _BUFPOOL_PAGE_MAP_H
#define _BUFPOOL_PAGE_MAP_H

#include "pool.h"

/*
 * The map's granule is the smallest page a pool can have (4 KiB), not the
 * pool's own page, so that the hit path shifts by a constant; a larger
 * page has its byte in each of its granules.  A leaf is 2^26 bytes of
 * map, 256 GiB of address space, so the root of a 48-bit address space
 * has 1024 entries (8 KiB).  Every root entry points at a leaf: one of
 * zero pages that is never written (bufpool_page_map_zero_leaf) until a
 * chunk in its range needs one of its own, so the hit path tests no NULL.
 * Leaves are mmap'd zero pages: only the parts that cover chunks are ever
 * touched (4 KiB of map per 16 MiB chunk).
 *
 * A root entry holds its leaf's address less the number of its range's
 * first granule (root << 26), so that the granule number indexes the leaf
 * as it is, with no mask.
 */
#define BUFPOOL_PAGE_MAP_SHIFT		12
#define BUFPOOL_PAGE_MAP_LEAF_BITS	26
#define BUFPOOL_PAGE_MAP_LEAF_MASK	((1UL << BUFPOOL_PAGE_MAP_LEAF_BITS) - 1)
#define BUFPOOL_PAGE_MAP_ROOT_SHIFT	(BUFPOOL_PAGE_MAP_SHIFT + BUFPOOL_PAGE_MAP_LEAF_BITS)
#define BUFPOOL_PAGE_MAP_ROOT_ENTRIES	(1UL << (BUFPOOL_ADDR_BITS - BUFPOOL_PAGE_MAP_ROOT_SHIFT))

/*
 * The key (cache.h) of @ptr's page's page_bin, or 0 (no cacheable
 * allocation, or not the pool's): the map holds keys.
 */
static __always_inline unsigned long bufpool_page_key_find(const struct bufpool *pool,
							   const void *ptr)
{
	uintptr_t addr = (uintptr_t)ptr - BUFPOOL_ADDR_BASE;
	uintptr_t root = addr >> BUFPOOL_PAGE_MAP_ROOT_SHIFT;
	uintptr_t biased;

	/*
	 * Beyond the map: the byte of the address space's first granule,
	 * which no chunk holds, so 0.  Read, not a constant 0, so that the
	 * compiler does not merge the two ways and scale the key apart from
	 * the address that uses it (one more instruction on the hit path).
	 */
	if (unlikely(root >= BUFPOOL_PAGE_MAP_ROOT_ENTRIES))
		return READ_ONCE(*(const u8 *)smp_load_acquire(&pool->world.page_map[0]));
	/* Acquire pairs with the release that published the (zeroed) leaf. */
	biased = smp_load_acquire(&pool->world.page_map[root]);
	return READ_ONCE(*(const u8 *)(biased + (addr >> BUFPOOL_PAGE_MAP_SHIFT)));
}

int bufpool_page_map_init(struct bufpool *pool);
void bufpool_page_map_destroy(struct bufpool *pool);
int bufpool_page_map_insert(struct bufpool *pool, struct bufpool_chunk *chunk, gfp_t gfp);
void bufpool_page_map_remove(struct bufpool *pool, struct bufpool_chunk *chunk);
void bufpool_page_map_set(struct bufpool *pool, struct bufpool_chunk *chunk,
			  unsigned int page, u8 key);

#endif /* _BUFPOOL_PAGE_MAP_H */
