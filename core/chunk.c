// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * chunk.c - one chunk: its memory, its buddy tree, its subpage descriptors
 * (Netty's PoolChunk).
 *
 * The chunk's memory is chunk_size bytes aligned to chunk_size, so a pointer
 * maps to its chunk by masking (see chunk_table.c) and to its page by
 * shifting; the buddy tree then says which run covers that page, and for a
 * one-page run in use as a subpage, the bitmap says which element.  No
 * search, no per-allocation header: the pointer alone is enough to free.
 *
 * Run allocation: a normalized size norm >= page_size needs a node at depth
 *   d = max_order - (log2(norm) - page_shift)
 * and lives at (first page of the node) << page_shift.  Tiny and small sizes
 * take a single page (depth max_order) and split it.
 *
 * Lock order: the caller holds the arena lock for everything but create
 * and destroy, which touch no shared state.
 */
#include "geometry.h"
#include "buddy.h"
#include "chunk.h"
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "world.h"
#include <bufpool_page_map.h>

static const struct bufpool_geometry *chunk_geo(const struct bufpool_chunk *chunk)
{
	return &chunk->arena->pool->geo;
}

/*
 * Metadata for a chunk of @pool's geometry: header, subpage descriptors and
 * page bins in one block, and the buddy maps.
 */
static struct bufpool_chunk *chunk_metadata_alloc(struct bufpool *pool, gfp_t gfp)
{
	const struct bufpool_geometry *geo = &pool->geo;
	unsigned int nr_pages = 1u << geo->max_order;
	struct bufpool_chunk *chunk;
	unsigned int page;
	size_t sp_bytes;

	chunk = kzalloc(sizeof(*chunk), gfp | __GFP_NOWARN);
	if (!chunk)
		return NULL;
	chunk->subpage_stride = ALIGN(bufpool_subpage_struct_size(geo->page_size),
				      sizeof(unsigned long));
	sp_bytes = (size_t)nr_pages * chunk->subpage_stride;
	chunk->subpages = kvmalloc(sp_bytes + nr_pages, gfp | __GFP_NOWARN);
	if (!chunk->subpages)
		goto err_chunk;
	chunk->page_key = (u8 *)chunk->subpages + sp_bytes;
	/* Each descriptor's page is the same under every identity of the metadata. */
	for (page = 0; page < nr_pages; page++) {
		struct bufpool_subpage *sp = bufpool_chunk_subpage(chunk, page);

		memset(sp, 0, chunk->subpage_stride);
		sp->chunk = chunk;
		sp->mm_idx = nr_pages + page;
		sp->page_offset = page << geo->page_shift;
		sp->next_avail = -1;
		INIT_LIST_HEAD(&sp->node);
	}
	if (pool->cfg.chunk_retention_ms && bufpool_chunk_memory_purgeable()) {
		chunk->dirty = kvmalloc_array(2 * BITS_TO_LONGS(nr_pages), sizeof(unsigned long),
					      gfp | __GFP_NOWARN);
		if (!chunk->dirty)
			goto err_subpages;
		chunk->dirty_old = chunk->dirty + BITS_TO_LONGS(nr_pages);
	}
	if (bufpool_buddy_init(&chunk->buddy, geo->max_order, gfp))
		goto err_dirty;
	/*
	 * The record holds the chunk's base, the address of its first element:
	 * scanned, it would keep a lost first element referenced.  So none
	 * of the chunk's metadata is scanned or reported (it lives as long
	 * as the pool; the allocations in the chunk are checked on their own).
	 */
	bufpool_san_not_a_reference(chunk);
	bufpool_san_not_a_reference(chunk->subpages);
	bufpool_san_not_a_reference(chunk->buddy.memory_map);
	return chunk;

err_dirty:
	kvfree(chunk->dirty);
err_subpages:
	kvfree(chunk->subpages);
err_chunk:
	kfree(chunk);
	return NULL;
}

/**
 * bufpool_chunk_free_metadata() - free what chunk_metadata_alloc() made
 * @chunk: a chunk whose memory is gone and that no reader can reach
 *
 * Context: may sleep; the pool is being destroyed.
 */
void bufpool_chunk_free_metadata(struct bufpool_chunk *chunk)
{
	bufpool_buddy_destroy(&chunk->buddy);
	kvfree(chunk->dirty);
	kvfree(chunk->subpages);
	kfree(chunk);
}

/**
 * bufpool_chunk_create() - map a chunk for @arena
 * @arena: the owner
 * @gfp: flags for the memory and the metadata
 *
 * Reuses retired metadata when there is some.  The chunk is entirely free
 * and on no list; the caller adds it to the pool's chunk table and to a
 * usage list.
 *
 * Context: no lock held; may sleep if @gfp allows.
 * Return: the chunk, or NULL if memory ran out.
 */
struct bufpool_chunk *bufpool_chunk_create(struct bufpool_arena *arena, gfp_t gfp)
{
	struct bufpool *pool = arena->pool;
	const struct bufpool_geometry *geo = &pool->geo;
	unsigned int nr_pages = 1u << geo->max_order;
	struct bufpool_chunk *chunk;
	void *base;
	unsigned int page;

	chunk = bufpool_chunk_table_reuse(pool);
	if (!chunk)
		chunk = chunk_metadata_alloc(pool, gfp);
	if (!chunk)
		return NULL;
	base = bufpool_chunk_memory_alloc(geo->chunk_size, gfp);
	if (!base) {
		bufpool_chunk_table_retire(pool, chunk);
		return NULL;
	}
	/*
	 * Lockless readers may still see this metadata under its old identity:
	 * they check arena, base and list, and find list NULL until it is
	 * added to a usage list under the new arena's lock.
	 */
	WRITE_ONCE(chunk->arena, arena);
	WRITE_ONCE(chunk->base, bufpool_san_hide(base));
	bufpool_buddy_reset(&chunk->buddy);
	/*
	 * A descriptor is read only while its page is a subpage
	 * (do_not_destroy), and bufpool_subpage_init() sets the rest; a
	 * released chunk's subpages were all destroyed, which clears it, but
	 * the flag is what every reader trusts, so it is cleared here too.
	 */
	for (page = 0; page < nr_pages; page++)
		bufpool_chunk_subpage(chunk, page)->do_not_destroy = false;
	memset(chunk->page_key, 0, nr_pages);
	if (chunk->dirty) {	/* freshly mapped: nothing resident */
		bitmap_zero(chunk->dirty, nr_pages);
		bitmap_zero(chunk->dirty_old, nr_pages);
	}
	chunk->free_bytes = geo->chunk_size;
	/* Reused metadata may carry another arena's purge passes. */
	chunk->purging = NULL;
	chunk->purge_pass = 0;
	chunk->purge_done = 0;
	atomic_long_inc(&pool->empty_chunks);
	INIT_LIST_HEAD(&chunk->list_node);
	return chunk;
}

/* Tell the checkers (sanitize.h) that what is still live here goes: a pool destroyed with them. */
static void chunk_san_forget(struct bufpool_chunk *chunk, const void *ptr)
{
	if (!bufpool_cache_marked(chunk->arena->pool, ptr))	/* cached: already taken back */
		bufpool_san_free(ptr, true);
}

static void chunk_san_forget_live(struct bufpool_chunk *chunk)
{
	const struct bufpool_geometry *geo = chunk_geo(chunk);
	unsigned int nr_pages = 1u << geo->max_order;
	unsigned int page = 0, idx;

	if (!BUFPOOL_SANITIZE)
		return;
	while (page < nr_pages) {
		unsigned int id = bufpool_buddy_find(&chunk->buddy, page);
		const struct bufpool_subpage *sp = bufpool_chunk_subpage(chunk, page);

		if (!id) {
			page++;
			continue;
		}
		if (id >= nr_pages && sp->do_not_destroy) {
			for (idx = 0; idx < sp->max_elems; idx++)
				if (bufpool_subpage_test(sp, idx))
					chunk_san_forget(chunk, bufpool_chunk_subpage_ptr(sp, idx));
		} else {
			page = bufpool_buddy_first_page(&chunk->buddy, id);
			chunk_san_forget(chunk, (char *)bufpool_chunk_base(chunk) +
						((size_t)page << geo->page_shift));
		}
		page = bufpool_buddy_first_page(&chunk->buddy, id) +
		       bufpool_buddy_run_pages(&chunk->buddy, id);
	}
}

/**
 * bufpool_chunk_destroy() - give a chunk's memory back to the page source
 * @chunk: a chunk on no list and out of the chunk table
 *
 * The metadata stays: the caller retires it (bufpool_chunk_table_retire())
 * or, when the pool goes, frees it (bufpool_chunk_free_metadata()).
 *
 * Context: no lock held; may sleep.
 */
void bufpool_chunk_destroy(struct bufpool_chunk *chunk)
{
	if (chunk->free_bytes == chunk_geo(chunk)->chunk_size)
		atomic_long_dec(&chunk->arena->pool->empty_chunks);
	chunk_san_forget_live(chunk);
	bufpool_chunk_memory_free(bufpool_chunk_base(chunk), chunk_geo(chunk)->chunk_size);
}

/**
 * bufpool_chunk_usage() - percentage of the chunk in use (Netty's usage())
 * @chunk: the chunk
 *
 * Context: arena lock held.
 * Return: 0..100; 100 only when nothing is free, 99 when less than 1 % is.
 */
int bufpool_chunk_usage(const struct bufpool_chunk *chunk)
	__must_hold(&chunk->arena->lock)
{
	unsigned int free_pct;

	lockdep_assert_held(&chunk->arena->lock);

	if (chunk->free_bytes == 0)
		return 100;
	/* free_bytes * 100 / chunk_size, the chunk size a power of two */
	free_pct = ((u64)chunk->free_bytes * 100) >> chunk_geo(chunk)->chunk_shift;
	if (free_pct == 0)
		return 99;
	return 100 - free_pct;
}

/**
 * bufpool_chunk_used_pages() - pages of @chunk that runs and subpages hold
 * @chunk: the chunk
 *
 * Context: arena lock held.
 * Return: the chunk's pages less its free ones.
 */
unsigned long bufpool_chunk_used_pages(const struct bufpool_chunk *chunk)
	__must_hold(&chunk->arena->lock)
{
	const struct bufpool_geometry *geo = chunk_geo(chunk);

	lockdep_assert_held(&chunk->arena->lock);
	return (geo->chunk_size - chunk->free_bytes) >> geo->page_shift;
}

/**
 * bufpool_chunk_dirty_pages() - free pages of @chunk that may be resident
 * @chunk: the chunk
 *
 * Context: arena lock held.
 * Return: the pages set in @chunk->dirty; 0 where the page source cannot
 * purge or retention is off (no @chunk->dirty).
 */
unsigned long bufpool_chunk_dirty_pages(const struct bufpool_chunk *chunk)
	__must_hold(&chunk->arena->lock)
{
	lockdep_assert_held(&chunk->arena->lock);
	if (!chunk->dirty)
		return 0;
	return bitmap_weight(chunk->dirty, 1u << chunk_geo(chunk)->max_order);
}

/*
 * Set @page's page_bin (as its key), and the world's copy the free's hit
 * path reads (bufpool_page_map.h), which always equals it: a run of a size
 * no cache holds sets 0 over 0 at every allocation and free, and writes
 * nothing.  Context: the chunk's arena lock held.
 */
static void chunk_set_page_bin(struct bufpool_chunk *chunk, unsigned int page,
			       unsigned int page_bin)
{
	u8 key = bufpool_bin_key(page_bin);

	if (chunk->page_key[page] == key)
		return;
	WRITE_ONCE(chunk->page_key[page], key);
	bufpool_page_map_set(chunk->arena->pool, chunk, page, key);
}

/*
 * The pool counts its entirely free chunks as they become so and stop
 * being so (pool->empty_chunks, what the shrinker reports without walking
 * chunks): a chunk's first allocation takes it out of that count, the free
 * that empties it (bufpool_chunk_free()) puts it back.
 */
static void chunk_take_bytes(struct bufpool_chunk *chunk, size_t bytes)
{
	if (chunk->free_bytes == chunk_geo(chunk)->chunk_size)
		atomic_long_dec(&chunk->arena->pool->empty_chunks);
	chunk->free_bytes -= bytes;
}

/*
 * The pages [@page, @page + @n) left the tree (taken) or went back to it:
 * only pages in the tree may be purged (bufpool_chunk_purge_take()).
 */
static void chunk_pages_taken(struct bufpool_chunk *chunk, unsigned int page, unsigned int n)
{
	if (!chunk->dirty)
		return;
	bitmap_clear(chunk->dirty, page, n);
	bitmap_clear(chunk->dirty_old, page, n);
}

static void chunk_pages_freed(struct bufpool_chunk *chunk, unsigned int page, unsigned int n)
{
	if (!chunk->dirty)
		return;
	bitmap_set(chunk->dirty, page, n);
	WRITE_ONCE(chunk->arena->dirtied, 1);	/* read unlocked by decays */
}

/*
 * A new subpage of a cacheable size: every element gets the cache mark, so
 * that the free hit path can tell a free element from a live one without
 * the bitmap (fastpath.h).  The arena wipes the mark when it hands an
 * element out (arena.c) and writes it back when it takes one back
 * (bufpool_chunk_free()).
 */
static void chunk_mark_free(struct bufpool_chunk *chunk, const struct bufpool_subpage *sp)
{
	const struct bufpool *pool = chunk->arena->pool;
	char *elem = bufpool_chunk_subpage_ptr(sp, 0);
	unsigned int size = sp->elem_size, idx;

	for (idx = 0; idx < sp->max_elems; idx++, elem += size)
		bufpool_san_write_word(elem, bufpool_cache_mark(pool, elem));
}

/**
 * bufpool_chunk_alloc() - allocate a run or a new subpage's first element
 * @chunk: the chunk
 * @norm: normalized size, 16 .. chunk_size
 *
 * A tiny or small @norm splits a fresh page into a subpage that joins the
 * arena's pool list for @norm.
 *
 * Context: arena lock held.
 * Return: the memory, or NULL if no run of the needed size is free.
 */
void *bufpool_chunk_alloc(struct bufpool_chunk *chunk, size_t norm)
	__must_hold(&chunk->arena->lock)
{
	const struct bufpool_geometry *geo = chunk_geo(chunk);
	struct bufpool_subpage *sp;
	unsigned int depth;
	int id, idx;

	lockdep_assert_held(&chunk->arena->lock);

	int bin = bufpool_cache_bin(chunk->arena->pool, norm);
	unsigned int page;

	if (norm >= geo->page_size) {
		depth = geo->max_order - (ilog2(norm) - geo->page_shift);
		id = bufpool_buddy_alloc(&chunk->buddy, depth);
		if (id < 0)
			return NULL;
		chunk_take_bytes(chunk, norm);
		page = bufpool_buddy_first_page(&chunk->buddy, id);
		chunk_pages_taken(chunk, page, norm >> geo->page_shift);
		chunk_set_page_bin(chunk, page, bin + 1);
		return (char *)bufpool_chunk_base(chunk) + ((size_t)page << geo->page_shift);
	}

	id = bufpool_buddy_alloc(&chunk->buddy, geo->max_order);
	if (id < 0)
		return NULL;
	chunk_take_bytes(chunk, geo->page_size);
	page = bufpool_buddy_first_page(&chunk->buddy, id);
	chunk_pages_taken(chunk, page, 1);
	sp = bufpool_chunk_subpage(chunk, page);
	bufpool_subpage_init(sp, bufpool_arena_subpage_head(chunk->arena, norm),
			     geo->page_size, norm);
	if (bin >= 0)
		chunk_mark_free(chunk, sp);
	chunk_set_page_bin(chunk, page, bin + 1);
	idx = bufpool_subpage_alloc(sp);
	return bufpool_chunk_subpage_ptr(sp, idx);
}

/* Is @page in a range a purge took out of @chunk's tree? */
static bool chunk_purging(const struct bufpool_chunk *chunk, unsigned int page)
{
	const struct bufpool_purge_batch *pb = chunk->purging;
	unsigned int i;

	for (i = 0; i < pb->nr; i++)
		if (page - pb->page[i] < pb->pages[i])
			return true;
	return false;
}

/**
 * bufpool_chunk_resolve() - map a pointer inside @chunk to its allocation
 * @chunk: the chunk whose memory contains @ptr
 * @ptr: what the caller wants to free
 * @handle: on success, the allocation's handle
 * @usable: on success, its size
 *
 * Context: arena lock held.
 * Return: 0; -ENOENT if @ptr lies in free memory (a double free, or never
 * allocated; pages a purge took out of the tree are free memory too);
 * -EINVAL if it points inside an allocation, not at its start.
 */
int bufpool_chunk_resolve(const struct bufpool_chunk *chunk, const void *ptr,
			  u64 *handle, size_t *usable)
	__must_hold(&chunk->arena->lock)
{
	const struct bufpool_geometry *geo = chunk_geo(chunk);
	size_t offset = (const char *)ptr - (const char *)bufpool_chunk_base(chunk);
	unsigned int page = offset >> geo->page_shift;
	unsigned int id = bufpool_buddy_find(&chunk->buddy, page);
	const struct bufpool_subpage *sp = bufpool_chunk_subpage(chunk, page);

	lockdep_assert_held(&chunk->arena->lock);

	/* Free pages out of the tree while a purge gives them back. */
	if (!id || (unlikely(chunk->purging) && chunk_purging(chunk, page)))
		return -ENOENT;
	if (id >= (1u << geo->max_order) && sp->do_not_destroy) {
		unsigned int in_page = offset & (geo->page_size - 1);
		unsigned int idx = in_page / sp->elem_size;

		if (in_page % sp->elem_size || idx >= sp->max_elems)
			return -EINVAL;
		/* Free, or sitting in a cache after a first free: refused. */
		if (!bufpool_subpage_test(sp, idx) ||
		    bufpool_cache_marked(chunk->arena->pool, ptr))
			return -ENOENT;
		*handle = bufpool_handle_make(id, idx);
		*usable = sp->elem_size;
		return 0;
	}
	if (offset != (size_t)bufpool_buddy_first_page(&chunk->buddy, id) << geo->page_shift)
		return -EINVAL;
	if (bufpool_cache_marked(chunk->arena->pool, ptr))
		return -ENOENT;
	*handle = bufpool_handle_make(id, -1);
	*usable = (size_t)bufpool_buddy_run_pages(&chunk->buddy, id) << geo->page_shift;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(bufpool_chunk_resolve, BUFPOOL_INTERNAL);

/**
 * bufpool_chunk_free() - free an allocation resolved by bufpool_chunk_resolve()
 * @chunk: the chunk
 * @handle: its handle
 *
 * A subpage element goes back to its bitmap; the page goes back to the tree
 * only when the subpage says so.  A run goes back to the tree.
 *
 * Context: arena lock held.
 */
void bufpool_chunk_free(struct bufpool_chunk *chunk, u64 handle)
	__must_hold(&chunk->arena->lock)
{
	const struct bufpool_geometry *geo = chunk_geo(chunk);
	unsigned int id = bufpool_handle_mm_idx(handle);
	unsigned int page = bufpool_buddy_first_page(&chunk->buddy, id);

	lockdep_assert_held(&chunk->arena->lock);

	if (bufpool_handle_is_subpage(handle)) {
		struct bufpool_subpage *sp = bufpool_chunk_subpage(chunk, page);
		struct list_head *head =
			bufpool_arena_subpage_head(chunk->arena, sp->elem_size);
		unsigned int idx = bufpool_handle_bitmap_idx(handle);

		if (chunk->page_key[page]) {	/* a cacheable page: free elements are marked */
			void *elem = bufpool_chunk_subpage_ptr(sp, idx);

			bufpool_san_write_word(elem, bufpool_cache_mark(chunk->arena->pool, elem));
		}
		if (bufpool_subpage_free(sp, head, idx) ||
		    bufpool_arena_keep_subpage(chunk->arena, sp))
			return;
	}
	chunk_set_page_bin(chunk, page, 0);
	chunk->free_bytes += (size_t)bufpool_buddy_run_pages(&chunk->buddy, id) << geo->page_shift;
	if (chunk->free_bytes == geo->chunk_size)
		atomic_long_inc(&chunk->arena->pool->empty_chunks);
	chunk_pages_freed(chunk, page, bufpool_buddy_run_pages(&chunk->buddy, id));
	bufpool_buddy_free(&chunk->buddy, id);
}

/*
 * A decay purges a range of free pages only from this size on: smaller
 * holes between live allocations are the ones taken again soonest, and
 * each costs a system call and, when taken again, a fault per system page.
 * bufpool_trim() purges every free page.
 */
#define BUFPOOL_PURGE_MIN	(256u << 10)

/*
 * Take the free pages [@page, @end) out of @chunk's tree, node by node,
 * and out of its free bytes, as allocations of them would (no list move:
 * bufpool_chunk_purge_put() undoes it).  False, with nothing changed, if
 * one of them is not free after all (a bug: they came from dirty_old).
 */
static bool chunk_take_range(struct bufpool_chunk *chunk, unsigned int page, unsigned int end)
{
	struct bufpool_buddy *b = &chunk->buddy;
	unsigned int p, id;

	/* All or nothing: every tile is checked before the first is taken. */
	bufpool_buddy_for_each_tile(b, id, p, page, end)
		if (WARN_ON_ONCE(!bufpool_buddy_node_free(b, id)))
			return false;
	bufpool_buddy_for_each_tile(b, id, p, page, end)
		bufpool_buddy_take(b, id);
	chunk_take_bytes(chunk, (size_t)(end - page) << chunk_geo(chunk)->page_shift);
	chunk_pages_taken(chunk, page, end - page);
	return true;
}

/**
 * bufpool_chunk_purge_take() - take free pages of @chunk out, to give them back to the system
 * @chunk: a chunk whose page source can purge (chunk->dirty set)
 * @all: every free page that may be resident (bufpool_trim()); else only
 *       those that were already free and dirty at the last pass (a decay's:
 *       a page that a run took and gave back since is spared), in ranges of
 *       at least BUFPOOL_PURGE_MIN bytes
 * @first: the pass's first call for @chunk: it sets what the pass purges
 * @budget: stop once this many bytes are taken (a range at a time: it may
 *          pass it by one range); what is left goes at the next pass
 * @pb: filled with the ranges taken, at most BUFPOOL_PURGE_RANGES, and
 *      whether @chunk has more for this pass (another call, @first false)
 *
 * Decay-based, as jemalloc's dirty-page decay: what stays free from one
 * pass to the next is unlikely to be taken again soon, and costs a system
 * call and, if it is taken again, a page fault per system page.  Ranges of
 * contiguous pages go in one call.  Allocations are never touched: a page
 * a run or subpage holds is not in the tree, so not in @chunk->dirty.
 *
 * The ranges leave the tree and the chunk's free bytes as allocations of
 * them would, so the caller can give them back (bufpool_chunk_memory_purge())
 * without the arena lock: no allocation takes them meanwhile, the chunk
 * cannot empty and be released, and a free inside them is refused
 * (@chunk->purging).  bufpool_chunk_purge_put() puts them back.
 *
 * Context: arena lock held.
 * Return: the bytes taken (@pb->bytes).
 */
size_t bufpool_chunk_purge_take(struct bufpool_chunk *chunk, bool all, bool first, size_t budget,
				struct bufpool_purge_batch *pb)
	__must_hold(&chunk->arena->lock)
{
	const struct bufpool_geometry *geo = chunk_geo(chunk);
	unsigned int nr_pages = 1u << geo->max_order;
	unsigned long start, end = 0;
	size_t len;

	lockdep_assert_held(&chunk->arena->lock);

	pb->nr = 0;
	pb->bytes = 0;
	pb->done = true;
	if (!chunk->dirty || WARN_ON_ONCE(chunk->purging))
		return 0;
	/*
	 * dirty_old becomes what to purge now, dirty what to wait for.  Later
	 * calls of the pass take what is left of it: pages allocated since
	 * left both bitmaps, pages freed since are only in dirty.
	 */
	if (first) {
		if (all)
			bitmap_copy(chunk->dirty_old, chunk->dirty, nr_pages);
		else if (!bitmap_and(chunk->dirty_old, chunk->dirty_old, chunk->dirty, nr_pages))
			goto out;
	}
	while (pb->bytes < budget) {
		start = find_next_bit(chunk->dirty_old, nr_pages, end);
		if (start >= nr_pages)
			break;
		end = find_next_zero_bit(chunk->dirty_old, nr_pages, start);
		len = (size_t)(end - start) << geo->page_shift;
		if (!all && len < BUFPOOL_PURGE_MIN)
			continue;
		if (pb->nr == BUFPOOL_PURGE_RANGES) {
			pb->done = false;
			break;
		}
		if (!chunk_take_range(chunk, start, end)) {
			bitmap_clear(chunk->dirty_old, start, end - start);
			continue;
		}
		pb->page[pb->nr] = start;
		pb->pages[pb->nr] = end - start;
		pb->nr++;
		pb->bytes += len;
	}
	if (pb->nr)
		chunk->purging = pb;
out:
	/* What the budget left stays in both: the next pass's first. */
	if (pb->done || pb->bytes >= budget)
		bitmap_copy(chunk->dirty_old, chunk->dirty, nr_pages);
	return pb->bytes;
}
EXPORT_SYMBOL_NS_GPL(bufpool_chunk_purge_take, BUFPOOL_INTERNAL);

/**
 * bufpool_chunk_purge_put() - put back what bufpool_chunk_purge_take() took
 * @chunk: the chunk
 * @pb: what it took, now given back to the system
 *
 * Back in the tree and the free bytes, and out of @chunk->dirty (not
 * resident any more).  The caller moves the chunk as its usage demands
 * (bufpool_chunk_list_purged()).
 *
 * Context: arena lock held.
 */
void bufpool_chunk_purge_put(struct bufpool_chunk *chunk, struct bufpool_purge_batch *pb)
	__must_hold(&chunk->arena->lock)
{
	struct bufpool_buddy *b = &chunk->buddy;
	unsigned int i, p, id;

	lockdep_assert_held(&chunk->arena->lock);

	for (i = 0; i < pb->nr; i++)
		bufpool_buddy_for_each_tile(b, id, p, pb->page[i], pb->page[i] + pb->pages[i])
			bufpool_buddy_free(b, id);
	chunk->free_bytes += pb->bytes;
	if (pb->bytes && chunk->free_bytes == chunk_geo(chunk)->chunk_size)
		atomic_long_inc(&chunk->arena->pool->empty_chunks);
	chunk->purging = NULL;
}
EXPORT_SYMBOL_NS_GPL(bufpool_chunk_purge_put, BUFPOOL_INTERNAL);
