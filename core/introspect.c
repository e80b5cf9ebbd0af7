// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * introspect.c - read-only views of a pool for debugging: plain snapshots
 * of chunks, subpages, size classes and cache bins, filled here and
 * formatted by the world (the kernel's debugfs files arenas, chunks,
 * sizeclasses and caches, kmod/debugfs.c).  Nothing here prints, and no
 * snapshot holds an address: arenas, lists, classes and bins are indexes.
 *
 * Chunk walks hold the arena lock for a bounded time.  Each call of
 * bufpool_chunk_walk_next() takes the lock once, copies at most
 * BUFPOOL_WALK_CHUNKS chunk snapshots, stops early once the chunks it
 * copied have BUFPOOL_WALK_PAGES pages between them (one chunk is always
 * copied: at most 1024 pages in the kernel, whose chunks are <= 4 MiB of
 * >= 4 KiB pages), and drops the lock.  Per chunk it reads a few fields and
 * scans the buddy tree's leaves, one byte per page, looking at a page's
 * subpage descriptor only when that leaf is allocated on its own.
 *
 * Between calls the walk remembers the last chunk it copied (chunk metadata
 * lives as long as the pool, so the pointer stays safe to read) and how
 * many chunks it copied from the current list.  If that chunk is still on
 * the list, the walk goes on after it; if it moved or was released in
 * between, the walk starts the list again and skips that many chunks,
 * which costs one pointer load per chunk skipped.  Chunks that move while
 * the lock is dropped may be seen twice or not at all: a walk is exact only
 * while the arena is quiet, like any reader of a live allocator.
 *
 * Lock order: each arena lock alone, taken and dropped by every call of
 * bufpool_chunk_walk_next() and bufpool_arena_nr_chunks(); never two at
 * once, never held between calls.  Cache reads take no lock.
 */
#include "geometry.h"
#include "buddy.h"
#include "chunk.h"
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "introspect.h"

/**
 * bufpool_class_name() - "tiny", "small", "normal" or "huge"
 * @cls: the class
 *
 * Context: any.
 * Return: the name; "?" for a value out of range.
 */
const char *bufpool_class_name(enum bufpool_class cls)
{
	static const char * const names[BUFPOOL_NR_CLASSES] = {
		[BUFPOOL_CLASS_TINY] = "tiny",
		[BUFPOOL_CLASS_SMALL] = "small",
		[BUFPOOL_CLASS_NORMAL] = "normal",
		[BUFPOOL_CLASS_HUGE] = "huge",
	};

	return (unsigned int)cls < BUFPOOL_NR_CLASSES ? names[cls] : "?";
}

/**
 * bufpool_usage_bucket() - histogram bucket of a chunk usage
 * @usage: percent, as bufpool_chunk_usage() returns it
 *
 * Context: any.
 * Return: 0 for 0..24 %, 1 for 25..49 %, 2 for 50..74 %, 3 for 75..99 %,
 * 4 for 100 % (BUFPOOL_USAGE_BUCKETS buckets).
 */
unsigned int bufpool_usage_bucket(int usage)
{
	if (usage >= 100)
		return BUFPOOL_USAGE_BUCKETS - 1;
	if (usage < 0)
		return 0;
	return usage / 25;
}

/**
 * bufpool_subpage_class_size() - element size of a subpage class
 * @slot: 0 .. BUFPOOL_NR_SUBPAGE_CLASSES - 1, as in
 *        struct bufpool_subpage_census
 *
 * Slots 0..30 are the tiny sizes 16..496, then the small sizes from 512
 * up (only nr_small_pools of them exist in a given geometry).
 *
 * Context: any.
 * Return: the element size in bytes.
 */
size_t bufpool_subpage_class_size(unsigned int slot)
{
	if (slot < BUFPOOL_CACHE_TINY_BINS)
		return (size_t)(slot + 1) * BUFPOOL_TINY_QUANTUM;
	return (size_t)BUFPOOL_TINY_LIMIT << (slot - BUFPOOL_CACHE_TINY_BINS);
}

/* The census slot of a subpage's element size, or -1. */
static int subpage_class_slot(unsigned int elem_size)
{
	unsigned int slot;

	if (elem_size < BUFPOOL_TINY_QUANTUM)
		return -1;
	if (elem_size < BUFPOOL_TINY_LIMIT)
		slot = bufpool_tiny_idx(elem_size) - 1;
	else
		slot = BUFPOOL_CACHE_TINY_BINS + bufpool_small_idx(elem_size);
	return slot < BUFPOOL_NR_SUBPAGE_CLASSES ? (int)slot : -1;
}

/**
 * bufpool_chunk_walk_init() - start a walk over an arena's chunks
 * @w: the walk
 * @arena: the arena
 * @census: if not NULL, every chunk the walk copies adds its subpages to
 *          it; the caller zeroes it first
 *
 * The walk visits the lists in enum bufpool_qlist order (qinit, q000,
 * q025, q050, q075, q100), each from its head.
 *
 * Context: any; takes no lock.
 */
void bufpool_chunk_walk_init(struct bufpool_chunk_walk *w,
			     struct bufpool_arena *arena,
			     struct bufpool_subpage_census *census)
{
	w->arena = arena;
	w->census = census;
	w->last = NULL;
	w->list = 0;
	w->done = 0;
}

/*
 * Where the walk goes on in @l: after the last chunk it copied if that
 * chunk is still on @l (its list pointer names @l, which only this arena's
 * lock holder can make true), else after skipping the chunks already
 * copied from @l.  Arena lock held.
 */
static struct list_head *chunk_walk_resume(struct bufpool_chunk_walk *w,
					   struct bufpool_chunk_list *l)
	__must_hold(&w->arena->lock)
{
	struct list_head *pos;
	unsigned int i;

	lockdep_assert_held(&w->arena->lock);
	if (!w->last)
		return l->chunks.next;
	if (READ_ONCE(w->last->list) == l)
		return w->last->list_node.next;
	pos = l->chunks.next;
	for (i = 0; i < w->done && pos != &l->chunks; i++)
		pos = pos->next;
	return pos;
}

static void census_add(struct bufpool_subpage_census *census,
		       const struct bufpool_subpage *sp)
{
	int slot = subpage_class_slot(sp->elem_size);

	if (slot < 0)
		return;
	census->subpages[slot]++;
	if (sp->num_avail)
		census->in_pool[slot]++;
	census->elems_used[slot] += sp->max_elems - sp->num_avail;
	census->elems_total[slot] += sp->max_elems;
}

/* Copy what the views show of @chunk, on list @list.  Arena lock held. */
static void chunk_snap(const struct bufpool_chunk *chunk, unsigned int list,
		       struct bufpool_subpage_census *census,
		       struct bufpool_chunk_snap *s)
	__must_hold(&chunk->arena->lock)
{
	const struct bufpool_geometry *geo = &chunk->arena->pool->geo;
	const struct bufpool_buddy *b = &chunk->buddy;
	unsigned int nr_pages = 1u << geo->max_order;
	unsigned int top = bufpool_buddy_value(b, 1);
	unsigned int page;

	lockdep_assert_held(&chunk->arena->lock);

	s->arena = chunk->arena->index;
	s->list = list;
	s->usage = bufpool_chunk_usage(chunk);
	s->free_bytes = chunk->free_bytes;
	/* memory_map[1] is the depth of the shallowest free node. */
	s->largest_free = top > geo->max_order ? 0 : geo->chunk_size >> top;
	s->subpages = 0;
	/*
	 * A leaf is unusable only when its page was allocated on its own (the
	 * descendants of a larger run keep their pristine values): a one-page
	 * run, or a subpage if its descriptor is in use.
	 */
	for (page = 0; page < nr_pages; page++) {
		const struct bufpool_subpage *sp;

		if (bufpool_buddy_value(b, nr_pages + page) != b->unusable)
			continue;
		sp = bufpool_chunk_subpage(chunk, page);
		if (!sp->do_not_destroy)
			continue;
		s->subpages++;
		if (census)
			census_add(census, sp);
	}
}

/**
 * bufpool_chunk_walk_next() - snapshots of the walk's next few chunks
 * @w: the walk, from bufpool_chunk_walk_init()
 * @snap: filled with up to @max snapshots
 * @max: room in @snap; at most BUFPOOL_WALK_CHUNKS are filled per call
 *
 * Takes the arena lock once for a bounded time (see the top of this file)
 * and drops it before returning.
 *
 * Context: any; takes the arena lock, so not with it held.
 * Return: the number of snapshots filled; 0 when the walk is over.
 */
unsigned int bufpool_chunk_walk_next(struct bufpool_chunk_walk *w,
				     struct bufpool_chunk_snap *snap,
				     unsigned int max)
{
	unsigned long irqflags;
	struct bufpool_arena *arena = w->arena;
	unsigned int pages = 1u << arena->pool->geo.max_order;
	unsigned int budget = BUFPOOL_WALK_PAGES;
	unsigned int n = 0;

	max = min_t(unsigned int, max, BUFPOOL_WALK_CHUNKS);
	if (!max)
		return 0;
	spin_lock_irqsave(&arena->lock, irqflags);
	while (w->list < BUFPOOL_NR_QLISTS && n < max) {
		struct bufpool_chunk_list *l = &arena->lists[w->list];
		struct list_head *pos = chunk_walk_resume(w, l);
		struct bufpool_chunk *chunk;

		if (pos == &l->chunks) {
			w->list++;
			w->last = NULL;
			w->done = 0;
			continue;
		}
		if (n && budget < pages)
			break;
		chunk = list_entry(pos, struct bufpool_chunk, list_node);
		chunk_snap(chunk, w->list, w->census, &snap[n++]);
		budget -= min(budget, pages);
		w->last = chunk;
		w->done++;
	}
	spin_unlock_irqrestore(&arena->lock, irqflags);
	return n;
}

/**
 * bufpool_arena_nr_chunks() - how many chunks an arena holds
 * @arena: the arena
 *
 * Context: any; takes the arena lock briefly.
 * Return: the count the pool's stats add up.
 */
u64 bufpool_arena_nr_chunks(struct bufpool_arena *arena)
{
	unsigned long irqflags;
	u64 n;

	spin_lock_irqsave(&arena->lock, irqflags);
	n = arena->nr_chunks;
	spin_unlock_irqrestore(&arena->lock, irqflags);
	return n;
}

/**
 * bufpool_nr_size_classes() - rows of the class table
 * @geo: the pool's geometry
 *
 * 31 tiny classes, nr_small_pools small ones, max_order + 1 normal ones
 * (page_size .. chunk_size) and one huge class.
 *
 * Context: any.
 * Return: the number of classes.
 */
unsigned int bufpool_nr_size_classes(const struct bufpool_geometry *geo)
{
	return BUFPOOL_CACHE_TINY_BINS + geo->nr_small_pools + geo->max_order + 2;
}

/**
 * bufpool_size_class_info() - one row of the class table
 * @pool: the pool
 * @index: 0 .. bufpool_nr_size_classes() - 1, smallest size first
 * @ci: filled
 *
 * The huge class has no normalized size (requests are not rounded): its
 * @ci->size is the smallest huge request, chunk_size + 1.
 *
 * Context: any.
 * Return: 0, or -ERANGE if @index is past the last class.
 */
int bufpool_size_class_info(const struct bufpool *pool, unsigned int index,
			    struct bufpool_class_info *ci)
{
	const struct bufpool_geometry *geo = &pool->geo;
	unsigned int small0 = BUFPOOL_CACHE_TINY_BINS;
	unsigned int normal0 = small0 + geo->nr_small_pools;
	unsigned int huge = normal0 + geo->max_order + 1;
	size_t size;

	if (index < small0)
		size = (size_t)(index + 1) * BUFPOOL_TINY_QUANTUM;
	else if (index < normal0)
		size = (size_t)BUFPOOL_TINY_LIMIT << (index - small0);
	else if (index < huge)
		size = (size_t)geo->page_size << (index - normal0);
	else if (index == huge)
		size = geo->chunk_size + 1;
	else
		return -ERANGE;
	ci->cls = bufpool_size_class(geo, size);
	ci->size = size;
	ci->elems = ci->cls == BUFPOOL_CLASS_TINY || ci->cls == BUFPOOL_CLASS_SMALL ?
		    geo->page_size / size : 0;
	ci->cache_bin = ci->cls == BUFPOOL_CLASS_HUGE ? -1 : bufpool_cache_bin(pool, size);
	ci->cache_size = ci->cache_bin < 0 ? 0 : pool->cache_sizes[ci->cache_bin];
	return 0;
}

/**
 * bufpool_cache_bin_read() - the counts of one bin of a cache
 * @c: the cache; its owner may be using it right now
 * @bin: 0 .. BUFPOOL_CACHE_BINS - 1
 * @s: filled
 *
 * Reads the counts once each, never the entries: racy by design when @c
 * is another CPU's or thread's, and then only as current as that.
 *
 * Context: any.
 */
void bufpool_cache_bin_read(const struct bufpool_cache *c, unsigned int bin,
			    struct bufpool_cache_bin_snap *s)
{
	const struct bufpool_cache_bin *b = &c->bins[bin];
	unsigned int start;

	s->count = bufpool_bin_count(c, bin);
	s->size = c->pool->cache_sizes[bin];
	do {
		start = u64_stats_fetch_begin(&c->syncp);
		s->hits = u64_stats_read(&b->hits) - u64_stats_read(&c->hits_at_trim[bin]);
	} while (u64_stats_fetch_retry(&c->syncp, start));
}
