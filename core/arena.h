/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * arena.h - an arena (arena.c): its lock, its subpage pools by element
 * size and its chunk usage lists.
 */
#ifndef _BUFPOOL_ARENA_H
#define _BUFPOOL_ARENA_H

#include <bufpool_seam.h>
#include "geometry.h"
#include "chunk.h"
#include "cache.h"

struct bufpool;

/**
 * struct bufpool_xfer - entries that caches gave back, for the arena's refills
 * @count: entries held; the newest is @entries[@count - 1]
 * @cap: room in @entries: half the pool's cache size for the bin (0: none)
 * @low: the lowest @count since the last decay: entries below it were
 *       not used since (bufpool_cache_xfer_drain())
 * @entries: allocations of the bin's size in this arena's chunks, still
 *           allocated there and holding the cache mark, as in a cache
 *
 * tcmalloc's transfer cache: a cache whose bin overflows gives its oldest
 * entries here (and so do its trims and its thread's exit), under the
 * arena lock it takes anyway, and the arena's next refill of that bin
 * takes them before it scans a bitmap, so a batch that one thread frees
 * and another allocates (or a burst larger than a bin) moves as pointers,
 * not through subpage bitmaps and pages.  For the
 * arena's counters an entry here is free: pushed, it is counted as a free;
 * taken, as an allocation.  bufpool_cache_xfer_drain() gives it back to
 * the bitmaps: all of it at bufpool_pool_trim(), a flush of all caches or
 * the shrinker's drain, and at each decay half of what stayed unused
 * since the decay before.
 */
struct bufpool_xfer {
	u32 count;
	u32 cap;
	u32 low;
	void **entries;
};

/*
 * Take up to @n entries off the top of @x into @out, as they lie in the
 * stack (the newest last: a cache's stack order, so one copy), and lower
 * its low-water mark with it.  The one way entries leave a transfer
 * stack: a refill (bufpool_arena_alloc_batch()) and a drain
 * (bufpool_cache_xfer_drain()).  Context: the arena lock held.
 * Return: how many.
 */
static inline u32 bufpool_xfer_pop(struct bufpool_xfer *x, void **out, u32 n)
{
	u32 left;

	n = min(n, x->count);
	left = x->count - n;
	memcpy(out, x->entries + left, n * sizeof(*out));
	WRITE_ONCE(x->count, left);	/* read unlocked by drains */
	x->low = min(x->low, left);
	return n;
}

/**
 * struct bufpool_arena - an independent allocator with its own lock (PoolArena)
 * @purge_lock: held through a purge pass (bufpool_arena_purge()), which
 *              drops @lock while it gives pages back to the system: one
 *              pass at a time, and fork() waits for it (user/fork.c)
 * @lock: protects everything below but @nr_users
 * @pool: owner
 * @index: position in pool->arenas
 * @tiny_pools: per 16-byte class, subpages with free elements
 * @small_pools: per power-of-two class 512 .. page_size/2
 * @lists: chunk usage lists, indexed by enum bufpool_qlist
 * @nr_chunks: chunks owned
 * @allocations: per class, successful allocations served here
 * @frees: per class, frees of memory of this arena
 * @active_bytes: per class, usable bytes of live allocations
 * @lock_acquired: lock acquisitions on the allocation and free paths
 * @lock_contended: those that found the lock taken
 * @lock_irqflags: the interrupt state bufpool_arena_lock() saved, for
 *                 bufpool_arena_unlock() to restore; only the holder of
 *                 @lock reads or writes it
 * @retained: emptied chunks kept for reuse (chunk_retention_ms), oldest
 *            last; still mapped and in the chunk map, on no usage list
 * @nr_retained: how many; a word, not a u64, as it is also read without
 *               the lock (READ_ONCE) and must not tear on 32-bit machines
 * @nr_users: threads bound to this arena (userspace leastUsedArena)
 * @refill_wanted: an atomic allocation found no chunk: the world's refill
 *                 work maps one (bit 0; set by bufpool_chunk_refill_kick(),
 *                 cleared by the work)
 * @xfer: per cache bin, what caches gave back (struct bufpool_xfer)
 * @xfer_mem: the entries of every @xfer, one allocation
 * @empty_subpages: per element size (tiny classes, then small ones),
 *                  subpages that became entirely free and keep their page,
 *                  split and marked, for the next subpage of that size
 *                  (chunk_retention_ms; bufpool_arena_keep_subpage()),
 *                  newest first
 * @nr_empty_subpages: how many, on all of them; read without the lock
 * @dirtied: pages went back to a chunk's tree since the last look for
 *           excess dirty pages found none (bufpool_arena_purge()); read
 *           without the lock
 * @purge_pass: purge passes begun (bufpool_arena_purge()), for the
 *              chunks' marks of what a pass has seen
 * @purge_calls: bufpool_chunk_memory_purge() calls its passes made
 * @purged_bytes: the bytes those calls gave back
 */
struct bufpool_arena {
	struct mutex purge_lock;	/* one purge pass at a time */
	spinlock_t lock;	/* everything below but @nr_users */
	struct bufpool *pool;
	unsigned int index;
	struct list_head tiny_pools[BUFPOOL_NR_TINY_POOLS];
	struct list_head small_pools[BUFPOOL_NR_SMALL_POOLS_MAX];
	struct bufpool_chunk_list lists[BUFPOOL_NR_QLISTS];
	u64 nr_chunks;
	u64 allocations[BUFPOOL_NR_CLASSES];
	u64 frees[BUFPOOL_NR_CLASSES];
	u64 active_bytes[BUFPOOL_NR_CLASSES];
	u64 lock_acquired;
	u64 lock_contended;
	unsigned long lock_irqflags;
	struct list_head retained;
	unsigned long nr_retained;
	atomic_t nr_users;
	unsigned long refill_wanted;
	struct bufpool_xfer xfer[BUFPOOL_CACHE_BINS];
	void **xfer_mem;
	struct list_head empty_subpages[BUFPOOL_NR_TINY_POOLS + BUFPOOL_NR_SMALL_POOLS_MAX];
	unsigned long nr_empty_subpages;
	unsigned long dirtied;
	unsigned long purge_pass;
	u64 purge_calls;
	u64 purged_bytes;
	/* one CPU's arena lock must not share a line with the next's */
} ____cacheline_aligned_in_smp;

/*
 * Take @arena's lock on the allocation and free paths, counting the
 * acquisition and whether it had to wait (a failed trylock): the
 * arena_locks and arena_lock_contended counters.  Both are written under
 * the lock, in the arena's own cache lines.  Interrupts are off while it
 * is held (every bufpool lock is taken with irqsave, so that the API works
 * with hard interrupts off and in hardirq context); the saved state is
 * kept in the arena, which only the holder touches.  Paired with
 * bufpool_arena_unlock() in the same function.
 */
static inline void bufpool_arena_lock(struct bufpool_arena *arena)
	__acquires(&arena->lock)
{
	unsigned long irqflags;

	if (!spin_trylock_irqsave(&arena->lock, irqflags)) {
		spin_lock_irqsave(&arena->lock, irqflags);
		arena->lock_contended++;
	}
	arena->lock_irqflags = irqflags;
	arena->lock_acquired++;
}

static inline void bufpool_arena_unlock(struct bufpool_arena *arena)
	__releases(&arena->lock)
{
	spin_unlock_irqrestore(&arena->lock, arena->lock_irqflags);
}

/**
 * struct bufpool_free_memo - the subpage a run of cache frees last gave an
 *                            element back to, under one hold of its arena's lock
 * @sp: that subpage, or NULL; it keeps at least one element in use, so it
 *      stays a subpage of a live chunk while the lock is held
 *      (cache.c's arena_free_cached() forgets it before it frees
 *      anything else, which might be that subpage's last element)
 * @page: the address of its page
 * @magic: its bin's division magic (bufpool_bin_magic())
 * @freed: elements given back through the memo or by cache.c's
 *         arena_free_cached() and not yet counted in the arena's
 *         statistics (bufpool_arena_free_memo_done() counts them)
 */
struct bufpool_free_memo {
	struct bufpool_subpage *sp;
	uintptr_t page;
	u32 magic;
	unsigned int freed;
};

/* arena.c */
int bufpool_arena_refill(struct bufpool_arena *arena, gfp_t gfp);
void bufpool_arena_init(struct bufpool_arena *arena, struct bufpool *pool,
			unsigned int index);
void bufpool_arena_destroy(struct bufpool_arena *arena);
void *bufpool_arena_alloc(struct bufpool_arena *arena, size_t norm, gfp_t gfp);
unsigned int bufpool_arena_alloc_batch(struct bufpool_arena *arena, size_t norm, int bin,
				       gfp_t gfp, void **out, unsigned int n);
int bufpool_arena_xfer_init(struct bufpool_arena *arena);
bool bufpool_arena_keep_subpage(struct bufpool_arena *arena, struct bufpool_subpage *sp)
	__must_hold(&arena->lock);
void bufpool_arena_release_subpage(struct bufpool_arena *arena, struct bufpool_subpage *sp,
				   struct list_head *released)
	__must_hold(&arena->lock);
void bufpool_arena_release_kept(struct bufpool_arena *arena, u32 age_ms,
				struct list_head *released)
	__must_hold(&arena->lock);
/* What bufpool_arena_purge() gives back. */
enum bufpool_purge {
	BUFPOOL_PURGE_EXCESS,
	BUFPOOL_PURGE_AGED,
	BUFPOOL_PURGE_ALL,
};

void bufpool_arena_purge(struct bufpool_arena *arena, enum bufpool_purge how);
int bufpool_arena_free_locked(struct bufpool_chunk *chunk, const void *ptr)
	__must_hold(&chunk->arena->lock);
void bufpool_arena_free_memo_done(struct bufpool_arena *arena, struct bufpool_free_memo *memo,
				  unsigned int size)
	__must_hold(&arena->lock);

static inline void bufpool_free_memo_init(struct bufpool_free_memo *m)
{
	m->sp = NULL;
	m->freed = 0;
}

/*
 * Give the entries @ptrs[@i..@n), which left a cache, back to the memo's
 * subpage while they are allocated elements of it and none is the
 * subpage's last one in use: the common case of a flush, whose entries
 * come in runs from one page.  What ends the run - another page, an
 * element that is not allocated, the last one - is left to cache.c's
 * arena_free_cached().  Inline, with the memo and the subpage's
 * count in registers: the flush asks it for every entry.  It leaves the
 * subpage as bufpool_subpage_put() of each entry in turn would.
 * Context: the arena lock held since the memo was set.
 * Return: the index of the first entry not freed.
 */
static __always_inline u32 bufpool_arena_free_memo(struct bufpool_free_memo *m, void *const *ptrs,
						   u32 i, u32 n)
{
	struct bufpool_subpage *sp = m->sp;
	const uintptr_t page = m->page;
	const u64 magic = m->magic;
	unsigned long *bitmap;
	unsigned int room;
	uintptr_t span;
	u32 start = i, end;

	if (!sp)
		return i;
	bitmap = sp->bitmap;
	/* Below it, an index is below max. */
	span = (uintptr_t)sp->max_elems * sp->elem_size;
	/* Entries this subpage can take and keep one element in use. */
	room = sp->max_elems - 1 - sp->num_avail;
	end = i + min(room, n - i);
	for (; i < end; i++) {
		uintptr_t in_page = (uintptr_t)ptrs[i] - page;
		/* One multiply: the quotient, and whether it is exact (cache.h). */
		u64 prod = in_page * magic;
		unsigned long idx = prod >> 32, w;	/* in_page / size */

		if (in_page >= span || (u32)prod >= magic)
			break;
		/* bufpool_subpage_test() and _put() but what the memo makes true */
		w = bitmap[BIT_WORD(idx)];
		if (!(w & BIT_MASK(idx)))
			break;
		/* Cache frees read it unlocked. */
		WRITE_ONCE(bitmap[BIT_WORD(idx)], w ^ BIT_MASK(idx));
	}
	if (i != start) {
		sp->num_avail += i - start;
		/* As _put() of the last: the next allocation takes it. */
		sp->next_avail = (((uintptr_t)ptrs[i - 1] - page) * magic) >> 32;
		m->freed += i - start;
	}
	return i;
}

/*
 * The pool list for a tiny or small size: the subpages of that element size
 * with a free element.  Context: arena lock held (to use the list).
 */
static inline struct list_head *bufpool_arena_subpage_head(struct bufpool_arena *arena,
							   size_t norm)
{
	if (norm < BUFPOOL_TINY_LIMIT)
		return &arena->tiny_pools[bufpool_tiny_idx(norm)];
	return &arena->small_pools[bufpool_small_idx(norm)];
}

/*
 * The list of entirely free subpages kept for a tiny or small size.
 * Context: arena lock held (to use the list).
 */
static inline struct list_head *bufpool_arena_empty_head(struct bufpool_arena *arena,
							 size_t norm)
{
	if (norm < BUFPOOL_TINY_LIMIT)
		return &arena->empty_subpages[bufpool_tiny_idx(norm)];
	return &arena->empty_subpages[BUFPOOL_NR_TINY_POOLS + bufpool_small_idx(norm)];
}

#endif /* _BUFPOOL_ARENA_H */
