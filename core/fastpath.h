/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * fastpath.h - the whole allocation and free hit path, in one place.
 *
 * What a hit does, in both worlds:
 *
 *   alloc(size):  size_key[(size + 15) / 16] -> bin key  (a table, no math)
 *                 enter the caller's cache                (TLS / local_lock)
 *                 pop the key's bin, wipe the cache mark, count the hit
 *   free(ptr):    ptr -> its page's bin key              (<bufpool_page_map.h>)
 *                 element start checked (no division: a multiply, a
 *                 rotate and a compare, struct bufpool_bin_info)
 *                 not free (the mark: every free element of a cacheable
 *                 page holds it, cached or not); push, mark, count
 *
 * Everything else - misses, refills in batches, full bins, trims, huge
 * sizes, uncached sizes, misuse - goes to one out-of-line slow path per
 * direction in cache.c.  The per-world parts, of which kmod/ and user/
 * each have one: how the caller's cache is entered, <bufpool_cache_world.h>,
 * and how a pointer's page_bin is read, <bufpool_page_map.h> (the kernel
 * through the chunk map and the chunk, userspace from a page map of its
 * own: two loads).  The hit paths carry a bin as its key, the page_bin
 * times BUFPOOL_BIN_KEY_SCALE (cache.h), which indexes both arrays they
 * read with no shift.
 *
 * Misuse stays detected on the hit path: a pointer in no chunk of the pool,
 * not at an element's start, or whose page holds no cacheable allocation
 * goes to the slow path, which refuses it; an element that is not live -
 * cached, or free in its arena - holds bufpool_cache_mark() in its first
 * word, so its second free goes there too and is refused.
 *
 * Memory checkers (sanitize.h) hear of an allocation where it is handed
 * out and where it is taken back, before it enters the cache; the mark is
 * read and written past them.  Without a checker that is no code at all.
 */
#ifndef _BUFPOOL_FASTPATH_H
#define _BUFPOOL_FASTPATH_H

#include <bufpool_seam.h>
#include <bufpool_cache_world.h>
#include <bufpool_page_map.h>
#include "geometry.h"
#include "chunk.h"
#include "cache.h"
#include "pool.h"
#include "sanitize.h"

void *bufpool_alloc_slow(struct bufpool *pool, size_t size, gfp_t gfp);
void *bufpool_cache_trim_due(struct bufpool *pool, void *ptr, size_t size, gfp_t gfp);
void bufpool_free_slow(struct bufpool *pool, const void *ptr);

/*
 * Is @ptr, on a page whose page_bin's key is @key, the start of a cacheable
 * element (or run)?  Then @key is its cache bin's; otherwise the slow path
 * decides.  A live allocation's page bin cannot change under its owner.
 *
 * No bitmap: in a page whose page_bin is set, every element that is not
 * live holds the cache mark (in a cache, or free in its arena: written at
 * subpage init and when the arena takes an element back, wiped when the
 * arena hands one out), so the mark test after this one tells a live
 * element from a free one.  A run's bin has one "element" of size 1:
 * only the run's start passes.  A page with no cacheable allocation
 * (page_bin 0) meets bin_infos[0], where nothing passes: no test of its
 * own.  Chunks are aligned to their size, so @ptr's offset in its page is
 * its low bits.
 */
static __always_inline bool bufpool_page_key_elem(const struct bufpool *pool,
						  unsigned long key, const void *ptr)
{
	return bufpool_bin_elem_start(bufpool_key_bin_info(pool->bin_infos, key),
				      (uintptr_t)ptr & pool->geo.page_mask);
}

/* Is @ptr, in @chunk, an element start?  Then *@bin is its cache bin. */
static __always_inline bool bufpool_fast_find_bin(const struct bufpool *pool,
						  const struct bufpool_chunk *chunk,
						  const void *ptr, unsigned long *bin)
{
	uintptr_t off = (uintptr_t)ptr & pool->geo.chunk_mask;
	unsigned long key = READ_ONCE(chunk->page_key[off >> pool->geo.page_shift]);

	*bin = bufpool_key_bin(key);
	return bufpool_page_key_elem(pool, key, ptr);
}

/* bufpool_fast_find_bin() for the slow paths: the bin, or -1. */
static __always_inline int bufpool_fast_locate(const struct bufpool *pool,
					       const struct bufpool_chunk *chunk,
					       const void *ptr)
{
	unsigned long bin;

	return bufpool_fast_find_bin(pool, chunk, ptr, &bin) ? (int)bin : -1;
}

/*
 * The two moves of an entry, shared by every path that makes one (hit,
 * refill, full bin, bulk): a pushed entry gets the cache mark in its first
 * word, a popped one has it wiped.  The caller is inside the cache and has
 * checked for room (push) or an entry (pop); counters are its business.
 */
static __always_inline void bufpool_bin_push_mark(struct bufpool_cache_bin *b, const void *ptr,
						  unsigned long mark)
{
	void **top = b->top;

	*top = (void *)ptr;
	WRITE_ONCE(b->top, top + 1);
	/* Last: a store through @ptr could alias @b for all the compiler knows. */
	bufpool_san_write_word((void *)ptr, mark);
}

/*
 * Push the @k entries at @ptrs, which hold the cache mark already (a
 * refill's), in stack order: @ptrs[@k - 1] ends on top.  One copy.  The
 * caller checked for room.
 */
static __always_inline void bufpool_bin_push_many(struct bufpool_cache_bin *b, void *const *ptrs,
						  u32 k)
{
	void **top = b->top;

	memcpy(top, ptrs, k * sizeof(*top));
	WRITE_ONCE(b->top, top + k);
}

static __always_inline void bufpool_bin_push(const struct bufpool *pool,
					     struct bufpool_cache_bin *b, const void *ptr)
{
	bufpool_bin_push_mark(b, ptr, bufpool_cache_mark(pool, ptr));
}

/*
 * The @k newest entries into @out, newest first.  The top is written
 * before the marks are wiped: a store through an entry could alias @b for
 * all the compiler knows, so nothing of @b is read after one.
 */
static __always_inline void bufpool_bin_pop_many(struct bufpool_cache_bin *b, void **out,
						 u32 k)
{
	void **top = b->top - k;
	u32 i;

	WRITE_ONCE(b->top, top);
	for (i = 0; i < k; i++) {
		void *ptr = top[k - 1 - i];

		if (BUFPOOL_SANITIZE)	/* no stale reference to hide a leak from kmemleak */
			top[k - 1 - i] = NULL;
		bufpool_san_write_word(ptr, 0);	/* leaves the cache */
		out[i] = ptr;
	}
}

/*
 * The newest entry, or NULL if @b is empty: then top[-1] is the NULL slot
 * below the stack's base (struct bufpool_cache_bin), so no count is read.
 */
static __always_inline void *bufpool_bin_pop(struct bufpool_cache_bin *b)
{
	void **top = b->top;
	void *ptr = top[-1];

	if (!ptr)
		return NULL;
	WRITE_ONCE(b->top, top - 1);
	if (BUFPOOL_SANITIZE)	/* as bufpool_bin_pop_many() */
		top[-1] = NULL;
	bufpool_san_write_word(ptr, 0);	/* leaves the cache */
	return ptr;
}

/*
 * Push @ptr, a live allocation of the cache bin whose key is @key, into
 * the caller's cache, if it has room.
 */
static __always_inline bool bufpool_fast_push(struct bufpool *pool, const void *ptr,
					      unsigned long key)
{
	unsigned long mark = bufpool_cache_mark(pool, ptr);
	struct bufpool_cache_bin *b;
	unsigned long flags;
	struct bufpool_cache *c;

	/* bufpool_cache_marked() without its caches-on test: a bin means on. */
	if (unlikely(bufpool_san_read_word(ptr) == mark))
		return false;	/* the slow path reports the double free */
	c = bufpool_cache_enter(pool, &flags);
	if (unlikely(!c))
		return false;
	b = bufpool_cache_key_bin(c, key);
	if (unlikely(b->top >= b->limit)) {
		bufpool_cache_leave(pool, flags);
		return false;
	}
	bufpool_san_take_back(ptr, bufpool_bin_size(pool, bufpool_key_bin(key)));
	bufpool_bin_push_mark(b, ptr, mark);
	bufpool_cache_count(c, &b->frees, 1);
	bufpool_cache_leave(pool, flags);
	return true;
}

/**
 * bufpool_fast_alloc() - allocate @size bytes, from the caller's cache if it can
 * @pool: the pool
 * @size: bytes
 * @gfp: allocation flags (kernel); __GFP_ZERO - or, in the kernel,
 *       init_on_alloc - zeroes the usable size
 *
 * Context: as bufpool_alloc() in each world.
 * Return: the memory, or NULL.
 */
static __always_inline void *bufpool_fast_alloc(struct bufpool *pool, size_t size, gfp_t gfp)
{
	struct bufpool_cache_bin *b;
	unsigned long flags;
	struct bufpool_cache *c;
	unsigned long key;
	void *ptr;

	if (unlikely(size > pool->fast_max))
		goto slow;
	/* BUFPOOL_NO_BIN is a bin too: always empty, so it misses below. */
	key = bufpool_size_key(pool, size);
	c = bufpool_cache_enter(pool, &flags);
	if (unlikely(!c))
		goto slow;
	b = bufpool_cache_key_bin(c, key);
	ptr = bufpool_bin_pop(b);
	if (unlikely(!ptr)) {
		bufpool_cache_leave(pool, flags);
		goto slow;
	}
	bufpool_cache_count(c, &b->hits, 1);
	if (unlikely(!--c->trim_left)) {
		bufpool_cache_leave(pool, flags);
		/* The size only if a checker wants it: no register kept for it. */
		return bufpool_cache_trim_due(pool, ptr, BUFPOOL_SANITIZE ? size : 0, gfp);
	}
	bufpool_cache_leave(pool, flags);
	/* Tail calls only: the allocation hit path needs no stack frame. */
	return bufpool_san_hand_out(ptr, size, bufpool_bin_size(pool, bufpool_key_bin(key)),
				    bufpool_want_zero(gfp), gfp, true);
slow:
	return bufpool_alloc_slow(pool, size, gfp);
}

/**
 * bufpool_fast_free() - free @ptr into the caller's cache if it can
 * @pool: the pool
 * @ptr: the pointer; NULL reads page bin 0 in both worlds, so it is
 *       left to the slow path, where it is a no-op: no test on the hit path
 *
 * Context: as bufpool_free() in each world.
 */
static __always_inline void bufpool_fast_free(struct bufpool *pool, const void *ptr)
{
	/* The world's way from pointer to page_bin's key: <bufpool_page_map.h>. */
	unsigned long key = bufpool_page_key_find(pool, ptr);

	if (unlikely(!bufpool_page_key_elem(pool, key, ptr)))
		goto slow;
	if (likely(bufpool_fast_push(pool, ptr, key)))
		return;
slow:
	bufpool_free_slow(pool, ptr);
}

/**
 * bufpool_fast_free_own() - free memory the core allocated for itself
 * @pool: the pool
 * @ptr: not NULL; from bufpool_fast_alloc(@pool, @size), not freed since
 * @size: the size that allocation asked for
 *
 * For the core's own callers that keep the request size with the memory
 * (the buffer layer: a buffer's element and its room), not for users: the
 * bin comes from the table and the pointer is not looked up, because the
 * caller knows what it is.  The cache mark is still checked, so a second
 * free of it is still refused; anything the cache cannot take goes to the
 * slow path, which checks it in full.
 *
 * Context: as bufpool_free() in each world.
 */
static __always_inline void bufpool_fast_free_own(struct bufpool *pool, const void *ptr,
						  size_t size)
{
	unsigned long key;

	if (likely(size <= pool->fast_max)) {
		key = bufpool_size_key(pool, size);
		if (likely(key != bufpool_bin_key(BUFPOOL_NO_BIN + 1)) &&
		    likely(bufpool_fast_push(pool, ptr, key)))
			return;
	}
	bufpool_free_slow(pool, ptr);
}

#endif /* _BUFPOOL_FASTPATH_H */
