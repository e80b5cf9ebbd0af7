// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * chunk_table.c - from a pointer to its chunk in O(1), without a lock and
 * without hashing.
 *
 * Chunks are aligned to the chunk size, so the chunk that contains a pointer
 * starts at ptr & ~(chunk_size - 1).  A two-level radix map indexed by
 * (ptr - BUFPOOL_ADDR_BASE) >> chunk_shift holds the chunk of every base
 * address the pool owns (struct bufpool_chunk_map): two dependent loads.  A
 * map rather than trusting the address: a foreign pointer must be detected,
 * not dereferenced.  The seam says which addresses can hold a chunk: the
 * user address space in userspace, the direct map in the kernel (chunks
 * come from alloc_pages).
 *
 * Lookups take no lock: a slot is one pointer, written with WRITE_ONCE when
 * a chunk comes and cleared when it goes, and neither the leaves nor a
 * chunk's metadata are freed while the pool lives (released chunks are
 * retired, then reused).  What a lookup finds it validates under the arena
 * lock (arena, base and list unchanged), or - on the cache's hit path - by
 * what a live allocation guarantees (fastpath.h).
 *
 * Lock order: arena lock -> table lock is never taken; the table lock is
 * taken alone, when a chunk is added, removed, retired or reused.
 */
#include "chunk.h"
#include "arena.h"
#include "pool.h"
#include "fastpath.h"
#include <bufpool_page_map.h>

/* A leaf: 2^12 slots where that covers the space with a root of at most 2^16. */
#define MAP_LEAF_BITS_MIN	12
#define MAP_ROOT_BITS_MAX	16

/**
 * bufpool_chunk_table_init() - an empty table and map
 * @pool: the pool, geometry set
 *
 * Context: may sleep; the pool is not yet shared.
 * Return: 0 or -ENOMEM.
 */
int bufpool_chunk_table_init(struct bufpool *pool)
{
	struct bufpool_chunk_table *t = &pool->table;
	struct bufpool_chunk_map *m = &t->map;
	unsigned int root_bits;

	spin_lock_init(&t->lock);
	INIT_LIST_HEAD(&t->retired);
	m->key_bits = BUFPOOL_ADDR_BITS - pool->geo.chunk_shift;
	m->leaf_bits = min(m->key_bits, MAP_LEAF_BITS_MIN);
	if (m->key_bits - m->leaf_bits > MAP_ROOT_BITS_MAX)
		m->leaf_bits = m->key_bits - MAP_ROOT_BITS_MAX;
	m->leaf_mask = (1UL << m->leaf_bits) - 1;
	root_bits = m->key_bits - m->leaf_bits;
	m->root = kvcalloc(1UL << root_bits, sizeof(*m->root), GFP_KERNEL);
	if (!m->root)
		return -ENOMEM;
	return bufpool_page_map_init(pool);
}

static unsigned long map_key(const struct bufpool *pool, const void *base)
{
	return ((uintptr_t)base - BUFPOOL_ADDR_BASE) >> pool->geo.chunk_shift;
}

/**
 * bufpool_chunk_table_insert() - make a new chunk findable
 * @pool: the pool
 * @chunk: the chunk, its base set
 * @gfp: for a new map leaf
 *
 * Context: no bufpool lock held; takes the table lock.
 * Return: 0, or -ENOMEM (no leaf, or an address the map cannot hold).
 */
int bufpool_chunk_table_insert(struct bufpool *pool, struct bufpool_chunk *chunk, gfp_t gfp)
{
	unsigned long irqflags;
	struct bufpool_chunk_map *m = &pool->table.map;
	unsigned long key = map_key(pool, bufpool_chunk_base(chunk));
	struct bufpool_chunk **leaf, **fresh = NULL;

	if (WARN_ON_ONCE(key >> m->key_bits))
		return -ENOMEM;
	if (bufpool_page_map_insert(pool, chunk, gfp))
		return -ENOMEM;
	if (!READ_ONCE(m->root[key >> m->leaf_bits])) {
		fresh = kvcalloc(1UL << m->leaf_bits, sizeof(*fresh), gfp | __GFP_NOWARN);
		if (!fresh)
			return -ENOMEM;
	}
	spin_lock_irqsave(&pool->table.lock, irqflags);
	leaf = m->root[key >> m->leaf_bits];
	if (!leaf) {
		leaf = fresh;
		fresh = NULL;
		/* The leaf's zeroes before the pointer to it. */
		smp_store_release(&m->root[key >> m->leaf_bits], leaf);
	}
	/* The chunk's metadata before the pointer to it. */
	smp_store_release(&leaf[key & m->leaf_mask], chunk);
	spin_unlock_irqrestore(&pool->table.lock, irqflags);
	kvfree(fresh);
	return 0;
}

/**
 * bufpool_chunk_table_remove() - make a chunk unfindable before releasing it
 * @pool: the pool
 * @chunk: the chunk, off its usage list
 *
 * Lookups that found it already fail its validation (its list is NULL).
 *
 * Context: no bufpool lock held; takes the table lock.
 */
void bufpool_chunk_table_remove(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	unsigned long irqflags;
	struct bufpool_chunk_map *m = &pool->table.map;
	unsigned long key = map_key(pool, bufpool_chunk_base(chunk));

	spin_lock_irqsave(&pool->table.lock, irqflags);
	WRITE_ONCE(m->root[key >> m->leaf_bits][key & m->leaf_mask], NULL);
	spin_unlock_irqrestore(&pool->table.lock, irqflags);
	bufpool_page_map_remove(pool, chunk);
}

/**
 * bufpool_chunk_table_retire() - keep a released chunk's metadata for reuse
 * @pool: the pool
 * @chunk: removed from the table, its memory given back
 *
 * Context: no bufpool lock held; takes the table lock.
 */
void bufpool_chunk_table_retire(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	unsigned long irqflags;

	WRITE_ONCE(chunk->list, NULL);
	spin_lock_irqsave(&pool->table.lock, irqflags);
	list_add(&chunk->list_node, &pool->table.retired);
	spin_unlock_irqrestore(&pool->table.lock, irqflags);
}

/**
 * bufpool_chunk_table_reuse() - retired metadata to build a chunk with
 * @pool: the pool
 *
 * Context: no bufpool lock held; takes the table lock.
 * Return: a retired chunk, or NULL if there is none.
 */
struct bufpool_chunk *bufpool_chunk_table_reuse(struct bufpool *pool)
{
	unsigned long irqflags;
	struct bufpool_chunk *chunk = NULL;

	spin_lock_irqsave(&pool->table.lock, irqflags);
	if (!list_empty(&pool->table.retired)) {
		chunk = list_first_entry(&pool->table.retired, struct bufpool_chunk,
					 list_node);
		list_del_init(&chunk->list_node);
	}
	spin_unlock_irqrestore(&pool->table.lock, irqflags);
	return chunk;
}

/**
 * bufpool_chunk_table_destroy() - free the retired metadata and the map
 * @pool: the pool, being destroyed; its chunks are gone
 *
 * Context: may sleep; nothing else uses the pool.
 */
void bufpool_chunk_table_destroy(struct bufpool *pool)
{
	struct bufpool_chunk_map *m = &pool->table.map;
	struct bufpool_chunk *chunk, *tmp;
	unsigned long i;

	list_for_each_entry_safe(chunk, tmp, &pool->table.retired, list_node) {
		list_del(&chunk->list_node);
		bufpool_chunk_free_metadata(chunk);
	}
	bufpool_page_map_destroy(pool);
	if (!m->root)
		return;
	for (i = 0; i < 1UL << (m->key_bits - m->leaf_bits); i++)
		kvfree(m->root[i]);
	kvfree(m->root);
}

/**
 * bufpool_chunk_live() - is @chunk still the live chunk of @arena holding @ptr?
 * @chunk: found by bufpool_chunk_find()
 * @arena: the arena whose lock the caller holds
 * @ptr: the pointer it was found for
 *
 * Context: @arena->lock held.
 * Return: true if @chunk belongs to @arena, contains @ptr and is on a list.
 */
bool bufpool_chunk_live(struct bufpool_chunk *chunk, struct bufpool_arena *arena,
			const void *ptr)
	__must_hold(&arena->lock)
{
	uintptr_t base = (uintptr_t)ptr & ~(uintptr_t)(arena->pool->geo.chunk_size - 1);

	lockdep_assert_held(&arena->lock);

	return READ_ONCE(chunk->arena) == arena &&
	       (uintptr_t)bufpool_chunk_base(chunk) == base && READ_ONCE(chunk->list);
}
