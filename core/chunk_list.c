// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * chunk_list.c - an arena's chunks ordered by usage (Netty's PoolChunkList).
 *
 *   list    usage %     next    prev       released at 0 %?
 *   qinit   min..25     q000    qinit      no: it stays, like Netty's
 *   q000    1..50       q025    (none)     yes: back to the page source
 *   q025    25..75      q050    q000
 *   q050    50..100     q075    q025
 *   q075    75..100     q100    q050
 *   q100    100         -       q075
 *
 * A chunk moves to next when an allocation brings its usage to the list's
 * max, and towards prev when a free brings it below the list's min.  The
 * ranges overlap so that a chunk near a boundary does not bounce.  Arenas
 * try q050 first, keeping busy chunks busy so that lightly used ones drain
 * and get released.
 *
 * Lock order: the caller holds the arena lock.
 */
#include "chunk.h"
#include "arena.h"
#include "pool.h"

static const struct {
	const char *name;
	int min_usage, max_usage;
	int next, prev;		/* enum bufpool_qlist, -1 for none */
} qlist_spec[BUFPOOL_NR_QLISTS] = {
	[BUFPOOL_Q_INIT] = { "qinit", INT_MIN, 25, BUFPOOL_Q_000, BUFPOOL_Q_INIT },
	[BUFPOOL_Q_000]  = { "q000", 1, 50, BUFPOOL_Q_025, -1 },
	[BUFPOOL_Q_025]  = { "q025", 25, 75, BUFPOOL_Q_050, BUFPOOL_Q_000 },
	[BUFPOOL_Q_050]  = { "q050", 50, 100, BUFPOOL_Q_075, BUFPOOL_Q_025 },
	[BUFPOOL_Q_075]  = { "q075", 75, 100, BUFPOOL_Q_100, BUFPOOL_Q_050 },
	[BUFPOOL_Q_100]  = { "q100", 100, INT_MAX, -1, BUFPOOL_Q_075 },
};

/**
 * bufpool_chunk_lists_init() - set up an arena's six usage lists
 * @arena: the arena
 *
 * Context: arena not yet shared.
 */
void bufpool_chunk_lists_init(struct bufpool_arena *arena)
{
	size_t chunk_size = arena->pool->geo.chunk_size;
	int i;

	for (i = 0; i < BUFPOOL_NR_QLISTS; i++) {
		struct bufpool_chunk_list *l = &arena->lists[i];
		/* The largest request a chunk with min_usage in use can serve. */
		int min_pct = max(1, qlist_spec[i].min_usage);

		INIT_LIST_HEAD(&l->chunks);
		l->name = qlist_spec[i].name;
		l->min_usage = qlist_spec[i].min_usage;
		l->max_usage = qlist_spec[i].max_usage;
		l->next = qlist_spec[i].next < 0 ? NULL : &arena->lists[qlist_spec[i].next];
		l->prev = qlist_spec[i].prev < 0 ? NULL : &arena->lists[qlist_spec[i].prev];
		l->max_capacity = min_pct >= 100 ? 0 :
				  div64_u64((u64)chunk_size * (100 - min_pct), 100);
	}
}

static void chunk_list_add0(struct bufpool_chunk_list *list, struct bufpool_chunk *chunk)
{
	WRITE_ONCE(chunk->list, list);	/* read locklessly, see chunk_table.c */
	list_add(&chunk->list_node, &list->chunks);
}

/**
 * bufpool_chunk_list_add() - put a chunk on @list or the first later list
 *                            whose range admits its usage
 * @list: the list
 * @chunk: a chunk on no list
 *
 * Context: arena lock held.
 */
void bufpool_chunk_list_add(struct bufpool_chunk_list *list,
			    struct bufpool_chunk *chunk)
	__must_hold(&chunk->arena->lock)
{
	int usage = bufpool_chunk_usage(chunk);

	lockdep_assert_held(&chunk->arena->lock);

	while (list->next && usage >= list->max_usage)
		list = list->next;
	chunk_list_add0(list, chunk);
}

/**
 * bufpool_chunk_list_alloc() - allocate from the first chunk on @list that can
 * @list: the list
 * @norm: normalized size
 *
 * Context: arena lock held.
 * Return: the memory, or NULL if no chunk on @list has room.
 */
void *bufpool_chunk_list_alloc(struct bufpool_chunk_list *list, size_t norm)
{
	struct bufpool_chunk *chunk;

	if (norm > list->max_capacity)
		return NULL;
	list_for_each_entry(chunk, &list->chunks, list_node) {
		void *ptr = bufpool_chunk_alloc(chunk, norm);

		if (!ptr)
			continue;
		if (bufpool_chunk_usage(chunk) >= list->max_usage) {
			list_del_init(&chunk->list_node);
			bufpool_chunk_list_add(list->next, chunk);
		}
		return ptr;
	}
	return NULL;
}

/* Netty's move0()/move(): leave @list towards prev until the usage fits. */
static bool chunk_list_move_down(struct bufpool_chunk_list *list,
				 struct bufpool_chunk *chunk)
{
	int usage = bufpool_chunk_usage(chunk);

	do {
		list = list->prev;
		if (!list) {
			WARN_ON_ONCE(usage != 0);
			WRITE_ONCE(chunk->list, NULL);
			return false;
		}
	} while (usage < list->min_usage);
	chunk_list_add0(list, chunk);
	return true;
}

/**
 * bufpool_chunk_list_free() - free an allocation and move its chunk as its
 *                             usage demands
 * @chunk: the chunk
 * @handle: resolved by bufpool_chunk_resolve()
 *
 * Context: arena lock held.
 * Return: true if the chunk stays; false if it became empty on q000 and was
 * taken off its list: the caller must release it.
 */
bool bufpool_chunk_list_free(struct bufpool_chunk *chunk, u64 handle)
	__must_hold(&chunk->arena->lock)
{
	struct bufpool_chunk_list *list = chunk->list;
	size_t free_bytes = chunk->free_bytes;

	lockdep_assert_held(&chunk->arena->lock);

	bufpool_chunk_free(chunk, handle);
	/*
	 * A chunk on a list is at or above its minimum usage (it moves as
	 * soon as it is not); an element whose page stays a subpage frees no
	 * bytes of the chunk, so its usage did not change.
	 */
	if (chunk->free_bytes == free_bytes || bufpool_chunk_usage(chunk) >= list->min_usage)
		return true;
	list_del_init(&chunk->list_node);
	return chunk_list_move_down(list, chunk);
}

/**
 * bufpool_chunk_list_purged() - put back what a purge took, and move the
 *                               chunk as its usage demands
 * @chunk: the chunk
 * @pb: what bufpool_chunk_purge_take() took
 *
 * As a free of those ranges (bufpool_chunk_list_free()): frees made while
 * they were out of the tree may have left the chunk with no allocation.
 *
 * Context: arena lock held.
 * Return: true if the chunk stays; false if it became empty on q000 and was
 * taken off its list: the caller must release it.
 */
bool bufpool_chunk_list_purged(struct bufpool_chunk *chunk, struct bufpool_purge_batch *pb)
	__must_hold(&chunk->arena->lock)
{
	struct bufpool_chunk_list *list = chunk->list;

	lockdep_assert_held(&chunk->arena->lock);

	bufpool_chunk_purge_put(chunk, pb);
	if (!pb->bytes || bufpool_chunk_usage(chunk) >= list->min_usage)
		return true;
	list_del_init(&chunk->list_node);
	return chunk_list_move_down(list, chunk);
}
