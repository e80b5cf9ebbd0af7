// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * page_map.c (userspace) - the pool's page map: one byte per 4 KiB granule
 * of the user address space, each a copy of the page_key[] entry of the
 * chunk page it is in, for the free's hit path (user/bufpool_page_map.h).
 *
 * Two levels: a root of 1024 leaf pointers, allocated with the pool, and
 * leaves of 2^26 bytes.  A root entry whose range holds no chunk of the
 * pool points at the zero leaf, mapped read-only once per process and
 * never written, so that the hit path needs no NULL test; a chunk's range
 * gets a leaf of its own when the chunk is first mapped there, freed only
 * with the pool, so a lockless reader never touches freed memory.  All of
 * them are mapped with mmap() of their own: fresh zero pages, resident
 * only where the map covers chunks (calloc() could serve them from the
 * heap once glibc's mmap threshold has grown, and zero, so touch, all of
 * them).  A chunk never straddles two leaves: it is aligned to its size,
 * and a leaf covers 256 GiB, more than a chunk (1 GiB at most).  A root
 * entry holds its leaf's address biased by its first granule's number
 * (root_entry()), so that the hit path indexes it with the granule number
 * unmasked.
 *
 * Writes: a chunk's bytes are set with its page_key[] (under the arena
 * lock), and zeroed when it leaves the chunk table, so that whatever is
 * mapped there next - another pool's chunk, or not a pool's memory at all -
 * reads 0 and goes to the slow path, which refuses it.
 */
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include "chunk.h"
#include "pool.h"
#include <bufpool_page_map.h>

#define LEAF_BYTES	(1UL << BUFPOOL_PAGE_MAP_LEAF_BITS)
#define ROOT_BYTES	(BUFPOOL_PAGE_MAP_ROOT_ENTRIES * sizeof(u8 *))

static u8 *zero_leaf;
static pthread_once_t zero_leaf_once = PTHREAD_ONCE_INIT;

/* Zeroed pages, touched only where written; NULL if none. */
static void *map_zeroed(size_t size, int prot)
{
	void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Read-only: reads find the zero page; a write would fault, none is made. */
static void map_zero_leaf(void)
{
	zero_leaf = map_zeroed(LEAF_BYTES, PROT_READ);
}

/* Root entry @root's value for @leaf: see bufpool_page_key_find(). */
static uintptr_t root_entry(unsigned long root, const u8 *leaf)
{
	return (uintptr_t)leaf - (root << BUFPOOL_PAGE_MAP_LEAF_BITS);
}

/* The leaf of root entry @root of @pool's map. */
static u8 *root_leaf(const struct bufpool *pool, unsigned long root)
{
	return (u8 *)(pool->world.page_map[root] + (root << BUFPOOL_PAGE_MAP_LEAF_BITS));
}

/* Map bytes per page of @pool: one per granule. */
static unsigned int granules(const struct bufpool *pool)
{
	return 1u << (pool->geo.page_shift - BUFPOOL_PAGE_MAP_SHIFT);
}

static u8 *chunk_bytes(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	uintptr_t addr = (uintptr_t)bufpool_chunk_base(chunk) - BUFPOOL_ADDR_BASE;
	u8 *leaf = root_leaf(pool, addr >> BUFPOOL_PAGE_MAP_ROOT_SHIFT);

	return leaf + ((addr >> BUFPOOL_PAGE_MAP_SHIFT) & BUFPOOL_PAGE_MAP_LEAF_MASK);
}

/**
 * bufpool_page_map_init() - an empty page map for @pool
 * @pool: the pool, geometry set
 *
 * Context: the pool is not yet shared.
 * Return: 0, -EINVAL for a geometry the map cannot hold, or -ENOMEM.
 */
int bufpool_page_map_init(struct bufpool *pool)
{
	unsigned long i;

	BUILD_BUG_ON(BUFPOOL_PAGE_SIZE_MIN != 1u << BUFPOOL_PAGE_MAP_SHIFT);
	if (WARN_ON_ONCE(pool->geo.page_shift < BUFPOOL_PAGE_MAP_SHIFT ||
			 pool->geo.chunk_shift > BUFPOOL_PAGE_MAP_ROOT_SHIFT))
		return -EINVAL;
	pthread_once(&zero_leaf_once, map_zero_leaf);
	if (!zero_leaf)
		return -ENOMEM;
	pool->world.page_map = map_zeroed(ROOT_BYTES, PROT_READ | PROT_WRITE);
	if (!pool->world.page_map)
		return -ENOMEM;
	for (i = 0; i < BUFPOOL_PAGE_MAP_ROOT_ENTRIES; i++)
		pool->world.page_map[i] = root_entry(i, zero_leaf);
	return 0;
}

/**
 * bufpool_page_map_destroy() - free @pool's page map
 * @pool: the pool, being destroyed; its chunks are gone
 *
 * Context: nothing else uses the pool.
 */
void bufpool_page_map_destroy(struct bufpool *pool)
{
	unsigned long i;

	if (!pool->world.page_map)
		return;
	for (i = 0; i < BUFPOOL_PAGE_MAP_ROOT_ENTRIES; i++)
		if (root_leaf(pool, i) != zero_leaf)
			munmap(root_leaf(pool, i), LEAF_BYTES);
	munmap(pool->world.page_map, ROOT_BYTES);
	pool->world.page_map = NULL;
}

/**
 * bufpool_page_map_insert() - make room in the map for a chunk about to be
 *                             inserted in the chunk table
 * @pool: the pool
 * @chunk: the chunk, its base set, every page_key[] entry 0
 * @gfp: for a new leaf
 *
 * Context: no bufpool lock held; takes the table lock to publish a leaf.
 * Return: 0 or -ENOMEM.
 */
int bufpool_page_map_insert(struct bufpool *pool, struct bufpool_chunk *chunk, gfp_t gfp)
{
	uintptr_t addr = (uintptr_t)bufpool_chunk_base(chunk) - BUFPOOL_ADDR_BASE;
	unsigned long root = addr >> BUFPOOL_PAGE_MAP_ROOT_SHIFT;
	uintptr_t *slot = &pool->world.page_map[root];
	unsigned long irqflags;
	u8 *fresh;

	if (READ_ONCE(*slot) != root_entry(root, zero_leaf))
		return 0;
	fresh = map_zeroed(LEAF_BYTES, PROT_READ | PROT_WRITE);
	if (!fresh)
		return -ENOMEM;
	spin_lock_irqsave(&pool->table.lock, irqflags);
	if (*slot == root_entry(root, zero_leaf)) {
		/* The leaf's zeroes before the pointer to it. */
		smp_store_release(slot, root_entry(root, fresh));
		fresh = NULL;
	}
	spin_unlock_irqrestore(&pool->table.lock, irqflags);
	if (fresh)	/* another insert published one first */
		munmap(fresh, LEAF_BYTES);
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
	unsigned int g = granules(pool), page, i;
	u8 *bytes = chunk_bytes(pool, chunk);

	/* Read first: the bytes of pages without a page_bin stay untouched zero pages. */
	for (page = 0; page < 1u << pool->geo.max_order; page++)
		if (bytes[page * g])
			for (i = 0; i < g; i++)
				WRITE_ONCE(bytes[page * g + i], 0);
}

/**
 * bufpool_page_map_set() - copy a write of @chunk->page_key[@page]
 * @pool: the pool
 * @chunk: a chunk in the table
 * @page: the page
 * @key: its new key (0: no page_bin)
 *
 * Context: @chunk's arena lock held, as for the write it copies.
 */
void bufpool_page_map_set(struct bufpool *pool, struct bufpool_chunk *chunk,
			  unsigned int page, u8 key)
{
	unsigned int g = granules(pool), i;
	u8 *bytes = chunk_bytes(pool, chunk) + page * g;

	for (i = 0; i < g; i++)
		WRITE_ONCE(bytes[i], key);
}
