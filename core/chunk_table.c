// SPDX-License-Identifier: GPL-2.0
/*
 * chunk_table.c - from a pointer to its chunk in O(1).
 *
 * Chunks are aligned to the chunk size, so the chunk that contains a pointer
 * starts at ptr & ~(chunk_size - 1).  The table hashes that base to find the
 * chunk, or to learn that the pointer is not in any chunk of this pool (a
 * huge allocation, or misuse).  A hash rather than trusting the address:
 * a foreign pointer must be detected, not dereferenced.
 *
 * Lock order: table lock (read) -> arena lock.  The write side is taken
 * with no other bufpool lock held, when a chunk is added or released.
 */
#include "bufpool_internal.h"

static struct hlist_head *table_bucket(struct bufpool *pool, uintptr_t base)
{
	return &pool->table.buckets[hash_long(base >> pool->geo.chunk_shift,
					      BUFPOOL_TABLE_BITS)];
}

/**
 * bufpool_chunk_table_init() - an empty table
 * @t: the table
 *
 * Context: not yet shared.
 */
void bufpool_chunk_table_init(struct bufpool_chunk_table *t)
{
	unsigned int i;

	rwlock_init(&t->lock);
	for (i = 0; i < ARRAY_SIZE(t->buckets); i++)
		INIT_HLIST_HEAD(&t->buckets[i]);
}

/**
 * bufpool_chunk_table_insert() - make a new chunk findable
 * @pool: the pool
 * @chunk: the chunk
 *
 * Context: no bufpool lock held; takes the table lock for writing.
 */
void bufpool_chunk_table_insert(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	write_lock_bh(&pool->table.lock);
	hlist_add_head(&chunk->table_node, table_bucket(pool, (uintptr_t)chunk->base));
	write_unlock_bh(&pool->table.lock);
}

/**
 * bufpool_chunk_table_remove() - forget a chunk before releasing it
 * @pool: the pool
 * @chunk: the chunk
 *
 * Waits for every free that found the chunk to finish with it.
 *
 * Context: no bufpool lock held; takes the table lock for writing.
 */
void bufpool_chunk_table_remove(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	write_lock_bh(&pool->table.lock);
	hlist_del_init(&chunk->table_node);
	write_unlock_bh(&pool->table.lock);
}

/**
 * bufpool_chunk_table_find() - the chunk that contains @ptr
 * @pool: the pool
 * @ptr: any pointer
 *
 * Context: caller holds the table lock for reading and keeps it while it
 * uses the chunk.
 * Return: the chunk, or NULL if @ptr is in none of the pool's chunks.
 */
struct bufpool_chunk *bufpool_chunk_table_find(struct bufpool *pool, const void *ptr)
{
	uintptr_t base = (uintptr_t)ptr & ~(uintptr_t)(pool->geo.chunk_size - 1);
	struct bufpool_chunk *chunk;

	hlist_for_each_entry(chunk, table_bucket(pool, base), table_node)
		if ((uintptr_t)chunk->base == base)
			return chunk;
	return NULL;
}
