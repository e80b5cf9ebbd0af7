/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_page_map.h (kernel) - how the free's hit path (core/fastpath.h)
 * reads a page's page_bin: through the chunk map to the chunk, then its
 * page_key[] (core/chunk_table.c).  The kernel keeps no map of its own:
 * chunks come from alloc_pages anywhere in the direct map, and a page map
 * over all of it would cost the pool more memory than its chunks' metadata.
 * The hooks the core calls for the userspace page map are empty here.
 */
#ifndef _BUFPOOL_PAGE_MAP_H
#define _BUFPOOL_PAGE_MAP_H

#include "pool.h"

/*
 * The key (cache.h) of @ptr's page's page_bin, or 0 (no cacheable
 * allocation, or not the pool's).
 */
static __always_inline unsigned long bufpool_page_key_find(const struct bufpool *pool,
							   const void *ptr)
{
	const struct bufpool_chunk *chunk = bufpool_chunk_find(pool, ptr);
	uintptr_t off = (uintptr_t)ptr & pool->geo.chunk_mask;

	if (unlikely(!chunk))
		return 0;
	return READ_ONCE(chunk->page_key[off >> pool->geo.page_shift]);
}

static inline int bufpool_page_map_init(struct bufpool *pool)
{
	return 0;
}

static inline void bufpool_page_map_destroy(struct bufpool *pool)
{
}

static inline int bufpool_page_map_insert(struct bufpool *pool, struct bufpool_chunk *chunk,
					  gfp_t gfp)
{
	return 0;
}

static inline void bufpool_page_map_remove(struct bufpool *pool, struct bufpool_chunk *chunk)
{
}

static inline void bufpool_page_map_set(struct bufpool *pool, struct bufpool_chunk *chunk,
					unsigned int page, u8 key)
{
}

#endif /* _BUFPOOL_PAGE_MAP_H */
