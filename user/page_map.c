// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * page_map.c (userspace) - the pool's page map: one byte per page of the
 * user address space, each a copy of its chunk's page_bin[] entry, for the
 * free's hit path (user/bufpool_page_map.h).
 *
 * Two levels: a root of 2^(48 - page_shift - 20) leaf pointers, allocated
 * with the pool, and leaves of 2^20 bytes, allocated when a chunk is first
 * mapped in their range and freed only with the pool, so a lockless reader
 * never touches freed memory.  Both are mapped with mmap() of their own:
 * fresh zero pages, resident only where the map covers chunks (calloc()
 * could serve them from the heap once glibc's mmap threshold has grown,
 * and zero, so touch, all of them).  A chunk never straddles two leaves: it is aligned to its
 * size, and a leaf covers at least 2^20 pages, more than a chunk has.
 *
 * Writes: a chunk's bytes are set with its page_bin[] (under the arena
 * lock), and zeroed when it leaves the chunk table, so that whatever is
 * mapped there next - another pool's chunk, or not a pool's memory at all -
 * reads 0 and goes to the slow path, which refuses it.
 */
#include <sys/mman.h>
#include "chunk.h"
#include "pool.h"
#include <bufpool_page_map.h>

/* Zeroed pages, touched only where written; NULL if none. */
static void *map_zeroed(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static size_t root_bytes(const struct bufpool *pool)
{
	return sizeof(u8 *) << (BUFPOOL_ADDR_BITS - pool->geo.page_shift -
				BUFPOOL_PAGE_MAP_LEAF_BITS);
}

static u8 *chunk_bytes(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	uintptr_t key = ((uintptr_t)bufpool_chunk_base(chunk) - BUFPOOL_ADDR_BASE) >>
			pool->geo.page_shift;
	u8 *leaf = pool->world.page_map[key >> BUFPOOL_PAGE_MAP_LEAF_BITS];

	return leaf + (key & BUFPOOL_PAGE_MAP_LEAF_MASK);
}

/**
 * bufpool_page_map_init() - an empty page map for @pool
 * @pool: the pool, geometry set
 *
 * Context: the pool is not yet shared.
 * Return: 0, -EINVAL for a chunk larger than a leaf covers, or -ENOMEM.
 */
int bufpool_page_map_init(struct bufpool *pool)
{
	unsigned int key_bits = BUFPOOL_ADDR_BITS - pool->geo.page_shift;

	if (WARN_ON_ONCE(pool->geo.max_order > BUFPOOL_PAGE_MAP_LEAF_BITS ||
			 key_bits <= BUFPOOL_PAGE_MAP_LEAF_BITS))
		return -EINVAL;
	pool->world.page_map = map_zeroed(root_bytes(pool));
	return pool->world.page_map ? 0 : -ENOMEM;
}

/**
 * bufpool_page_map_destroy() - free @pool's page map
 * @pool: the pool, being destroyed; its chunks are gone
 *
 * Context: nothing else uses the pool.
 */
void bufpool_page_map_destroy(struct bufpool *pool)
{
	unsigned int key_bits = BUFPOOL_ADDR_BITS - pool->geo.page_shift;
	unsigned long i;

	if (!pool->world.page_map)
		return;
	for (i = 0; i < 1UL << (key_bits - BUFPOOL_PAGE_MAP_LEAF_BITS); i++)
		if (pool->world.page_map[i])
			munmap(pool->world.page_map[i], 1UL << BUFPOOL_PAGE_MAP_LEAF_BITS);
	munmap(pool->world.page_map, root_bytes(pool));
	pool->world.page_map = NULL;
}

/**
 * bufpool_page_map_insert() - make room in the map for a chunk about to be
 *                             inserted in the chunk table
 * @pool: the pool
 * @chunk: the chunk, its base set, every page_bin[] entry 0
 * @gfp: for a new leaf
 *
 * Context: no bufpool lock held; takes the table lock to publish a leaf.
 * Return: 0 or -ENOMEM.
 */
int bufpool_page_map_insert(struct bufpool *pool, struct bufpool_chunk *chunk, gfp_t gfp)
{
	uintptr_t key = ((uintptr_t)bufpool_chunk_base(chunk) - BUFPOOL_ADDR_BASE) >>
			pool->geo.page_shift;
	u8 **slot = &pool->world.page_map[key >> BUFPOOL_PAGE_MAP_LEAF_BITS];
	unsigned long irqflags;
	u8 *fresh;

	if (READ_ONCE(*slot))
		return 0;
	fresh = map_zeroed(1UL << BUFPOOL_PAGE_MAP_LEAF_BITS);
	if (!fresh)
		return -ENOMEM;
	spin_lock_irqsave(&pool->table.lock, irqflags);
	if (!*slot) {
		/* The leaf's zeroes before the pointer to it. */
		smp_store_release(slot, fresh);
		fresh = NULL;
	}
	spin_unlock_irqrestore(&pool->table.lock, irqflags);
	if (fresh)	/* another insert published one first */
		munmap(fresh, 1UL << BUFPOOL_PAGE_MAP_LEAF_BITS);
	return 0;
}

/**
 * bufpool_page_map_remove() - zero a chunk's bytes as it leaves the table
 * @pool: the pool
 * @chunk: the chunk, just removed from the chunk table
 *
 * An empty chunk's bytes are zero already; a chunk that goes with live
 * allocations (its pool destroyed) has them zeroed here.
 *
 * Context: no bufpool lock needed: nobody sets page bins of a chunk that
 * is out of the table.
 */
void bufpool_page_map_remove(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	u8 *bytes = chunk_bytes(pool, chunk);
	unsigned int page;

	for (page = 0; page < 1u << pool->geo.max_order; page++)
		if (bytes[page])
			WRITE_ONCE(bytes[page], 0);
}

/**
 * bufpool_page_map_set() - copy a write of @chunk->page_bin[@page]
 * @pool: the pool
 * @chunk: a chunk in the table
 * @page: the page
 * @page_bin: its new page_bin
 *
 * Context: @chunk's arena lock held, as for the write it copies.
 */
void bufpool_page_map_set(struct bufpool *pool, struct bufpool_chunk *chunk,
			  unsigned int page, u8 page_bin)
{
	WRITE_ONCE(chunk_bytes(pool, chunk)[page], page_bin);
}
