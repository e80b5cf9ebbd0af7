// SPDX-License-Identifier: GPL-2.0
/*
 * chunk_table.c - from a pointer to its chunk in O(1), without a lock.
 *
 * Chunks are aligned to the chunk size, so the chunk that contains a pointer
 * starts at ptr & ~(chunk_size - 1).  The table hashes that base to find the
 * chunk, or to learn that the pointer is not in any chunk of this pool (a
 * huge allocation, or misuse).  A hash rather than trusting the address:
 * a foreign pointer must be detected, not dereferenced.
 *
 * Lookups walk the buckets under rcu_read_lock() and take no table lock:
 * writers publish and unlink with the RCU list primitives, and a chunk's
 * metadata is never freed while the pool lives (released chunks are
 * retired, then reused), so a reader never touches freed memory.  What it
 * finds it validates under the arena lock (arena, base and list unchanged);
 * a reader walking a node that was just reused may miss, so a miss is
 * looked up again under the table lock before it is believed.
 *
 * Lock order: table lock (read, on a lockless miss) -> arena lock.  The
 * write side is taken with no other bufpool lock held, when a chunk is
 * added, removed, retired or reused.
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
	INIT_LIST_HEAD(&t->retired);
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
	hlist_add_head_rcu(&chunk->table_node, table_bucket(pool, (uintptr_t)chunk->base));
	write_unlock_bh(&pool->table.lock);
}

/**
 * bufpool_chunk_table_remove() - make a chunk unfindable before releasing it
 * @pool: the pool
 * @chunk: the chunk, off its usage list
 *
 * Waits for every locked lookup that found the chunk to be done with it;
 * lockless ones will fail its validation.
 *
 * Context: no bufpool lock held; takes the table lock for writing.
 */
void bufpool_chunk_table_remove(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	write_lock_bh(&pool->table.lock);
	hlist_del_rcu(&chunk->table_node);
	write_unlock_bh(&pool->table.lock);
}

/**
 * bufpool_chunk_table_retire() - keep a released chunk's metadata for reuse
 * @pool: the pool
 * @chunk: removed from the table, its memory given back
 *
 * Context: no bufpool lock held; takes the table lock for writing.
 */
void bufpool_chunk_table_retire(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	WRITE_ONCE(chunk->list, NULL);
	write_lock_bh(&pool->table.lock);
	list_add(&chunk->list_node, &pool->table.retired);
	write_unlock_bh(&pool->table.lock);
}

/**
 * bufpool_chunk_table_reuse() - retired metadata to build a chunk with
 * @pool: the pool
 *
 * Context: no bufpool lock held; takes the table lock for writing.
 * Return: a retired chunk, or NULL if there is none.
 */
struct bufpool_chunk *bufpool_chunk_table_reuse(struct bufpool *pool)
{
	struct bufpool_chunk *chunk = NULL;

	write_lock_bh(&pool->table.lock);
	if (!list_empty(&pool->table.retired)) {
		chunk = list_first_entry(&pool->table.retired, struct bufpool_chunk,
					 list_node);
		list_del_init(&chunk->list_node);
	}
	write_unlock_bh(&pool->table.lock);
	return chunk;
}

/**
 * bufpool_chunk_table_destroy() - free the retired metadata
 * @pool: the pool, being destroyed; its chunks are gone
 *
 * Context: may sleep; nothing else uses the pool.
 */
void bufpool_chunk_table_destroy(struct bufpool *pool)
{
	struct bufpool_chunk *chunk, *tmp;

	list_for_each_entry_safe(chunk, tmp, &pool->table.retired, list_node) {
		list_del(&chunk->list_node);
		bufpool_chunk_free_metadata(chunk);
	}
}

/**
 * bufpool_chunk_table_find_rcu() - the chunk whose base is @ptr's, unlocked
 * @pool: the pool
 * @ptr: any pointer
 *
 * The answer is a hint: the caller validates it under the arena lock
 * (bufpool_chunk_live()), and a miss may be a race with a reused node.
 * The chunk's metadata stays valid memory as long as the pool lives.
 *
 * Context: any.
 * Return: the chunk, or NULL.
 */
struct bufpool_chunk *bufpool_chunk_table_find_rcu(struct bufpool *pool, const void *ptr)
{
	uintptr_t base = (uintptr_t)ptr & ~(uintptr_t)(pool->geo.chunk_size - 1);
	struct bufpool_chunk *chunk, *found = NULL;

	rcu_read_lock();
	hlist_for_each_entry_rcu(chunk, table_bucket(pool, base), table_node) {
		if ((uintptr_t)READ_ONCE(chunk->base) == base) {
			found = chunk;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * bufpool_chunk_live() - is @chunk still the live chunk of @arena holding @ptr?
 * @chunk: found by bufpool_chunk_table_find_rcu()
 * @arena: the arena whose lock the caller holds
 * @ptr: the pointer it was found for
 *
 * Context: @arena->lock held.
 * Return: true if @chunk belongs to @arena, contains @ptr and is on a list.
 */
bool bufpool_chunk_live(struct bufpool_chunk *chunk, struct bufpool_arena *arena,
			const void *ptr)
{
	uintptr_t base = (uintptr_t)ptr & ~(uintptr_t)(arena->pool->geo.chunk_size - 1);

	return READ_ONCE(chunk->arena) == arena &&
	       (uintptr_t)READ_ONCE(chunk->base) == base && READ_ONCE(chunk->list);
}

/* A chunk found for @ptr that is live in its arena: lock that arena. */
static struct bufpool_chunk *table_lock_chunk(struct bufpool_chunk *chunk, const void *ptr)
{
	struct bufpool_arena *arena = READ_ONCE(chunk->arena);

	bufpool_arena_lock(arena);
	if (bufpool_chunk_live(chunk, arena, ptr))
		return chunk;
	spin_unlock_bh(&arena->lock);
	return NULL;
}

/**
 * bufpool_chunk_table_lock() - the live chunk that contains @ptr, its arena locked
 * @pool: the pool
 * @ptr: any pointer
 *
 * Context: no bufpool lock held; may take the table lock for reading.
 * Return: the chunk, with chunk->arena->lock held (the caller unlocks), or
 * NULL if @ptr is in none of the pool's live chunks.
 */
struct bufpool_chunk *bufpool_chunk_table_lock(struct bufpool *pool, const void *ptr)
{
	uintptr_t base = (uintptr_t)ptr & ~(uintptr_t)(pool->geo.chunk_size - 1);
	struct bufpool_chunk *chunk, *found = bufpool_chunk_table_find_rcu(pool, ptr);

	if (likely(found)) {
		found = table_lock_chunk(found, ptr);
		if (likely(found))
			return found;
	}

	/* Not found, or found changing: ask again with writers held off. */
	read_lock_bh(&pool->table.lock);
	hlist_for_each_entry(chunk, table_bucket(pool, base), table_node) {
		if ((uintptr_t)chunk->base == base) {
			found = table_lock_chunk(chunk, ptr);
			break;
		}
	}
	read_unlock_bh(&pool->table.lock);
	return found;
}
