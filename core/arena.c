// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * arena.c - an arena: pool lists of subpages, usage lists of chunks, one
 * lock (Netty's PoolArena).
 *
 * Allocation, fast path first: a tiny or small size takes an element of the
 * first subpage on its pool list; otherwise (or if the list is empty) the
 * usage lists are tried in the order q050, q025, q000, qinit, q075.  Only if
 * all fail does the slow path drop the lock, map a new chunk (which may
 * sleep), and allocate from it.
 *
 * A caller that may not sleep (!gfpflags_allow_blocking(), GFP_ATOMIC from
 * softirq) never maps a chunk itself: an order-10 page allocation and
 * ~60 KiB of metadata do not belong on an atomic path.  It takes a chunk
 * from the retained list - the reserve - or fails at once and asks the
 * world to map one for the arena from process context
 * (bufpool_chunk_refill_kick(), a work item in the kernel); that chunk
 * waits on the retained list for the next atomic miss, as a mempool's or
 * page_pool's reserve does.  Userspace never is atomic.
 *
 * Locks: the arena lock alone (the order is in design.rst).  It is never
 * held while chunk memory is mapped or unmapped, nor while the chunk table
 * is written.
 */
#include "geometry.h"
#include "chunk.h"
#include "arena.h"
#include "pool.h"
#include "world.h"

/* Netty's order: prefer fuller chunks so that emptier ones drain. */
static const enum bufpool_qlist arena_alloc_order[] = {
	BUFPOOL_Q_050, BUFPOOL_Q_025, BUFPOOL_Q_000, BUFPOOL_Q_INIT, BUFPOOL_Q_075,
};

/**
 * bufpool_arena_init() - an empty arena
 * @arena: the arena
 * @pool: its pool (geometry already set)
 * @index: its position in @pool->arenas
 *
 * Context: not yet shared.
 */
void bufpool_arena_init(struct bufpool_arena *arena, struct bufpool *pool,
			unsigned int index)
{
	unsigned int i;

	memset(arena, 0, sizeof(*arena));
	mutex_init(&arena->purge_lock);
	spin_lock_init(&arena->lock);
	arena->pool = pool;
	arena->index = index;
	for (i = 0; i < BUFPOOL_NR_TINY_POOLS; i++)
		INIT_LIST_HEAD(&arena->tiny_pools[i]);
	for (i = 0; i < BUFPOOL_NR_SMALL_POOLS_MAX; i++)
		INIT_LIST_HEAD(&arena->small_pools[i]);
	for (i = 0; i < ARRAY_SIZE(arena->empty_subpages); i++)
		INIT_LIST_HEAD(&arena->empty_subpages[i]);
	bufpool_chunk_lists_init(arena);
	INIT_LIST_HEAD(&arena->retained);
	atomic_set(&arena->nr_users, 0);
}

/**
 * bufpool_arena_xfer_init() - room for what caches give back, per bin
 * @arena: an arena of a pool whose cache sizes are set
 *
 * Each bin gets room for half a cache bin of its size (none for sizes that
 * are not cached): a burst's overflow or another thread's flushes in
 * flight, not a second cache.
 *
 * Context: may sleep; the arena is not yet shared.
 * Return: 0 or -ENOMEM.
 */
int bufpool_arena_xfer_init(struct bufpool_arena *arena)
{
	const struct bufpool *pool = arena->pool;
	size_t total = 0;
	void **mem;
	int bin;

	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++)
		total += pool->cache_sizes[bin] / 2;
	if (!total)
		return 0;
	mem = kvmalloc_array(total, sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	arena->xfer_mem = mem;
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
		arena->xfer[bin].count = 0;
		arena->xfer[bin].cap = pool->cache_sizes[bin] / 2;
		arena->xfer[bin].entries = mem;
		mem += arena->xfer[bin].cap;
	}
	return 0;
}

/**
 * bufpool_arena_destroy() - release every chunk, live allocations included
 * @arena: the arena; nothing else may use it any more
 *
 * Context: may sleep; no bufpool lock held.
 */
void bufpool_arena_destroy(struct bufpool_arena *arena)
{
	struct bufpool_chunk *chunk, *tmp;
	unsigned int i;

	for (i = 0; i < BUFPOOL_NR_QLISTS; i++) {
		list_for_each_entry_safe(chunk, tmp, &arena->lists[i].chunks, list_node) {
			list_del_init(&chunk->list_node);
			bufpool_chunk_table_remove(arena->pool, chunk);
			bufpool_chunk_destroy(chunk);
			bufpool_chunk_free_metadata(chunk);
			arena->nr_chunks--;
		}
	}
	list_for_each_entry_safe(chunk, tmp, &arena->retained, list_node) {
		list_del_init(&chunk->list_node);
		bufpool_chunk_table_remove(arena->pool, chunk);
		bufpool_chunk_destroy(chunk);
		bufpool_chunk_free_metadata(chunk);
		WRITE_ONCE(arena->nr_retained, arena->nr_retained - 1);
	}
	kvfree(arena->xfer_mem);
	arena->xfer_mem = NULL;
	memset(arena->xfer, 0, sizeof(arena->xfer));
	mutex_destroy(&arena->purge_lock);
}

/* @k allocations of @norm bytes leave the arena: counted. */
static void arena_count_out(struct bufpool_arena *arena, unsigned int k, size_t norm)
{
	enum bufpool_class cls = bufpool_size_class(&arena->pool->geo, norm);

	arena->allocations[cls] += k;
	arena->active_bytes[cls] += norm * k;
}

/*
 * @ptr, @norm bytes, leaves the arena: counted, and the cache mark a free
 * element holds wiped (chunk.c), so that its user's free is not taken for
 * a second one.  Every hand-out of the arena to a user comes through here;
 * what goes to a cache keeps its mark (bufpool_arena_alloc_batch()).
 */
static void arena_hand_out(struct bufpool_arena *arena, void *ptr, size_t norm)
{
	arena_count_out(arena, 1, norm);
	if (arena->pool->cache_max)	/* without caches nothing is ever marked */
		bufpool_san_write_word(ptr, 0);
}

/*
 * Take @sp off @arena's lists of kept subpages (bufpool_arena_keep_subpage()).
 * Context: arena lock held.
 */
static void arena_unkeep_subpage(struct bufpool_arena *arena, struct bufpool_subpage *sp)
	__must_hold(&arena->lock)
{
	list_del_init(&sp->node);
	WRITE_ONCE(arena->nr_empty_subpages, arena->nr_empty_subpages - 1);
}

static void *arena_alloc_locked(struct bufpool_arena *arena, size_t norm)
{
	void *ptr;
	unsigned int i;

	if (norm < arena->pool->geo.page_size) {
		struct list_head *head = bufpool_arena_subpage_head(arena, norm);
		struct list_head *empty = bufpool_arena_empty_head(arena, norm);

		/* A kept subpage before a new page: split and marked already. */
		if (list_empty(head) && !list_empty(empty)) {
			struct bufpool_subpage *kept =
				list_first_entry(empty, struct bufpool_subpage, node);

			arena_unkeep_subpage(arena, kept);
			list_add(&kept->node, head);
		}
		if (!list_empty(head)) {
			struct bufpool_subpage *sp =
				list_first_entry(head, struct bufpool_subpage, node);
			int idx = bufpool_subpage_alloc(sp);

			if (!WARN_ON_ONCE(idx < 0))
				return bufpool_chunk_subpage_ptr(sp, idx);
		}
	}
	for (i = 0; i < ARRAY_SIZE(arena_alloc_order); i++) {
		ptr = bufpool_chunk_list_alloc(&arena->lists[arena_alloc_order[i]], norm);
		if (ptr)
			return ptr;
	}
	return NULL;
}

/*
 * Up to @n elements of @norm (a subpage size) from the subpages on the
 * arena's pool list, a bitmap word at a time: the elements, in the order,
 * that as many arena_alloc_locked() calls would give until the list is
 * empty.  Counted as allocations, but not handed out: they still hold the
 * cache mark of a free element.
 */
static unsigned int arena_take_elems(struct bufpool_arena *arena, size_t norm,
				     void **out, unsigned int n)
	__must_hold(&arena->lock)
{
	struct list_head *head = bufpool_arena_subpage_head(arena, norm);
	unsigned int got = 0, k;

	lockdep_assert_held(&arena->lock);

	while (got < n && !list_empty(head)) {
		struct bufpool_subpage *sp = list_first_entry(head, struct bufpool_subpage, node);

		k = bufpool_subpage_alloc_bulk(sp, bufpool_chunk_subpage_ptr(sp, 0), out + got,
					       n - got);
		if (WARN_ON_ONCE(!k))	/* a full subpage left on its list */
			break;
		arena_count_out(arena, k, norm);
		got += k;
	}
	return got;
}

/*
 * Subpages an arena keeps entirely free at most: a sixteenth of a chunk's
 * pages (1 MiB with the default geometry), enough for a burst of a
 * hundred thousand 16-byte elements to come and go without splitting a
 * page again, little against the chunks that chunk_retention_ms keeps.
 */
static unsigned long empty_subpages_max(const struct bufpool *pool)
{
	return max(1u << pool->geo.max_order >> 4, 1u);
}

/**
 * bufpool_arena_keep_subpage() - keep a subpage that became entirely free
 * @arena: its arena
 * @sp: the subpage, off its pool list (bufpool_subpage_free() returned 0)
 *
 * With chunk_retention_ms, and while the arena keeps fewer than
 * empty_subpages_max(), the subpage keeps its page, split and with every
 * element marked free, on the arena's list for its size: the next subpage
 * of that size is this one, not a page split and marked anew.  It goes
 * back to the buddy tree when it has been kept chunk_retention_ms
 * (bufpool_pool_decay()), at a trim, or when the shrinker drains.
 * Without chunk_retention_ms (Netty's behaviour) nothing is kept.
 *
 * Context: arena lock held.
 * Return: true if kept; false: its page must go back to the buddy tree.
 */
bool bufpool_arena_keep_subpage(struct bufpool_arena *arena, struct bufpool_subpage *sp)
	__must_hold(&arena->lock)
{
	const struct bufpool *pool = arena->pool;

	lockdep_assert_held(&arena->lock);
	if (!pool->cfg.chunk_retention_ms || arena->nr_empty_subpages >= empty_subpages_max(pool))
		return false;
	sp->do_not_destroy = true;
	sp->empty_ms = (u32)bufpool_now_ms();
	list_add(&sp->node, bufpool_arena_empty_head(arena, sp->elem_size));
	WRITE_ONCE(arena->nr_empty_subpages, arena->nr_empty_subpages + 1);
	return true;
}

/**
 * bufpool_arena_release_subpage() - give an entirely free subpage's page back
 * @arena: its arena
 * @sp: a subpage with no element in use, on a pool list or kept
 * @released: where its chunk goes if that empties it on q000
 *
 * Context: arena lock held.
 */
void bufpool_arena_release_subpage(struct bufpool_arena *arena, struct bufpool_subpage *sp,
				   struct list_head *released)
	__must_hold(&arena->lock)
{
	struct bufpool_chunk *chunk = sp->chunk;

	lockdep_assert_held(&arena->lock);
	sp->do_not_destroy = false;
	list_del_init(&sp->node);
	if (!bufpool_chunk_list_free(chunk, bufpool_handle_make(sp->mm_idx, -1))) {
		list_add(&chunk->list_node, released);
		arena->nr_chunks--;
	}
}

/**
 * bufpool_arena_release_kept() - give back the pages of kept subpages
 * @arena: the arena
 * @age_ms: only those kept at least this long; U32_MAX: all of them
 * @released: where chunks that this empties on q000 go
 *
 * Context: arena lock held.
 */
void bufpool_arena_release_kept(struct bufpool_arena *arena, u32 age_ms,
				struct list_head *released)
	__must_hold(&arena->lock)
{
	u32 now = (u32)bufpool_now_ms();
	struct bufpool_subpage *sp, *tmp;
	unsigned int i;

	lockdep_assert_held(&arena->lock);
	for (i = 0; i < ARRAY_SIZE(arena->empty_subpages) && arena->nr_empty_subpages; i++) {
		/* Newest first: the old ones are at the tail. */
		list_for_each_entry_safe_reverse(sp, tmp, &arena->empty_subpages[i], node) {
			if (age_ms != U32_MAX && (u32)(now - sp->empty_ms) < age_ms)
				break;
			arena_unkeep_subpage(arena, sp);
			bufpool_arena_release_subpage(arena, sp, released);
		}
	}
}

/*
 * Whether the free pages of @arena's chunks in use that may be resident
 * exceed 1/2^BUFPOOL_DIRTY_SHIFT of the pages those chunks have allocated
 * (jemalloc 3's lg_dirty_mult): where frees leave holes faster than
 * allocations take them again, chunks in use would otherwise keep every
 * page they ever held until the next periodic pass.
 */
#define BUFPOOL_DIRTY_SHIFT	4

/*
 * A decay's pass purges at most this much per arena (give or take a range),
 * so that the decay's caller is held for bounded work: madvise() takes
 * about 0.1 ms per MiB here (without the arena lock: bufpool_arena_purge()).
 * What is left waits for the next pass.
 */
#define BUFPOOL_PURGE_BUDGET	((size_t)4 << 20)

static bool arena_dirty_excess(struct bufpool_arena *arena)
	__must_hold(&arena->lock)
{
	unsigned long dirty = 0, active = 0;
	struct bufpool_chunk *chunk;
	unsigned int i;

	for (i = 0; i < BUFPOOL_NR_QLISTS; i++)
		list_for_each_entry(chunk, &arena->lists[i].chunks, list_node) {
			dirty += bufpool_chunk_dirty_pages(chunk);
			active += bufpool_chunk_used_pages(chunk);
		}
	return dirty > active >> BUFPOOL_DIRTY_SHIFT;
}

/*
 * Give back what @pb holds of @chunk without @arena's lock (the ranges are
 * out of the tree meanwhile), then put them back.  False if @chunk emptied
 * on q000 meanwhile and left its list: the caller releases it.
 */
static bool arena_purge_ranges(struct bufpool_arena *arena, struct bufpool_chunk *chunk,
			       struct bufpool_purge_batch *pb)
	__must_hold(&arena->lock)
{
	const unsigned int shift = arena->pool->geo.page_shift;
	char *base = bufpool_chunk_base(chunk);
	unsigned int i;
	bool stays;

	bufpool_arena_unlock(arena);
	for (i = 0; i < pb->nr; i++)
		bufpool_chunk_memory_purge(base + ((size_t)pb->page[i] << shift),
					   (size_t)pb->pages[i] << shift);
	bufpool_arena_lock(arena);
	arena->purge_calls += pb->nr;
	arena->purged_bytes += pb->bytes;
	stays = bufpool_chunk_list_purged(chunk, pb);
	if (!stays)
		arena->nr_chunks--;
	return stays;
}

/**
 * bufpool_arena_purge() - give free pages of @arena's chunks in use back to the system
 * @arena: the arena
 * @how: BUFPOOL_PURGE_ALL, every free page that may be resident; else those
 *       that stayed free since the last pass (bufpool_chunk_purge_take()):
 *       BUFPOOL_PURGE_AGED always, BUFPOOL_PURGE_EXCESS only if they exceed
 *       a share of the pages in use (arena_dirty_excess())
 *
 * Retained chunks keep theirs: they are kept so that the arena's next
 * chunk comes without page faults, and go whole after chunk_retention_ms.
 * A no-op where the page source cannot purge (chunk->dirty is NULL).
 *
 * The system calls are made without the arena lock: the ranges are out of
 * their chunk's tree meanwhile, so the arena's other threads allocate and
 * free as usual, elsewhere.  Chunks move between lists while the lock is
 * dropped, so the walk starts over after each batch, skipping the chunks
 * this pass is done with.
 *
 * Context: may sleep; no bufpool lock held; takes @arena's purge_lock
 * (a decay's pass only if no other pass holds it), then its lock.
 */
void bufpool_arena_purge(struct bufpool_arena *arena, enum bufpool_purge how)
{
	size_t left = how == BUFPOOL_PURGE_ALL ? SIZE_MAX : BUFPOOL_PURGE_BUDGET;
	struct bufpool_chunk *chunk, *tmp;
	struct bufpool_purge_batch pb;
	LIST_HEAD(released);
	unsigned long pass;
	unsigned int i;

	/*
	 * Only frees to the tree add dirty pages and take pages from use:
	 * without one since a look found no excess, there is none.
	 */
	if (how == BUFPOOL_PURGE_EXCESS && !READ_ONCE(arena->dirtied))
		return;
	/*
	 * A decay does not wait for another thread's pass: that one purges
	 * what this one would (a trim, everything).  A trim waits.
	 */
	if (how == BUFPOOL_PURGE_ALL)
		mutex_lock(&arena->purge_lock);
	else if (!mutex_trylock(&arena->purge_lock))
		return;
	bufpool_arena_lock(arena);
	if (how == BUFPOOL_PURGE_EXCESS && !arena_dirty_excess(arena)) {
		WRITE_ONCE(arena->dirtied, 0);
		goto out;
	}
	pass = ++arena->purge_pass;
again:
	for (i = 0; i < BUFPOOL_NR_QLISTS; i++)
		list_for_each_entry(chunk, &arena->lists[i].chunks, list_node) {
			bool first = chunk->purge_pass != pass;

			if (!left)
				goto out;
			if (chunk->purge_done == pass)
				continue;
			chunk->purge_pass = pass;
			left -= min(left, bufpool_chunk_purge_take(chunk, how == BUFPOOL_PURGE_ALL,
								   first, left, &pb));
			if (pb.done)
				chunk->purge_done = pass;
			if (!pb.nr)
				continue;
			if (!arena_purge_ranges(arena, chunk, &pb))
				list_add(&chunk->list_node, &released);
			goto again;
		}
out:
	bufpool_arena_unlock(arena);
	mutex_unlock(&arena->purge_lock);
	list_for_each_entry_safe(chunk, tmp, &released, list_node) {
		list_del_init(&chunk->list_node);
		bufpool_chunk_release(arena->pool, chunk);
	}
}

/* A new chunk for @arena, in the chunk table, on no list. */
static struct bufpool_chunk *arena_map_chunk(struct bufpool_arena *arena, gfp_t gfp)
{
	struct bufpool_chunk *chunk = bufpool_chunk_create(arena, gfp);

	if (!chunk)
		return NULL;
	if (bufpool_chunk_table_insert(arena->pool, chunk, gfp)) {
		bufpool_chunk_destroy(chunk);
		bufpool_chunk_table_retire(arena->pool, chunk);
		return NULL;
	}
	return chunk;
}

/*
 * A chunk for @arena: a retained one (the most recently emptied, its pages
 * the likeliest to be warm), else a new one - unless the caller may not
 * sleep.  Returns it off every list.
 */
static struct bufpool_chunk *arena_get_chunk(struct bufpool_arena *arena, gfp_t gfp)
{
	unsigned long irqflags;
	struct bufpool_chunk *chunk = NULL;

	if (READ_ONCE(arena->nr_retained)) {
		spin_lock_irqsave(&arena->lock, irqflags);
		chunk = list_first_entry_or_null(&arena->retained, struct bufpool_chunk,
						 list_node);
		if (chunk) {
			list_del_init(&chunk->list_node);
			WRITE_ONCE(arena->nr_retained, arena->nr_retained - 1);
		}
		spin_unlock_irqrestore(&arena->lock, irqflags);
		if (chunk)
			return chunk;
	}
	if (!gfpflags_allow_blocking(gfp)) {
		bufpool_chunk_refill_kick(arena);
		return NULL;
	}
	return arena_map_chunk(arena, gfp);
}

/**
 * bufpool_arena_refill() - map a chunk onto @arena's retained list
 * @arena: an arena an atomic allocation found without a chunk
 * @gfp: allocation flags that may block (GFP_KERNEL)
 *
 * The world's refill work calls this after bufpool_chunk_refill_kick().
 * Nothing is mapped if a retained chunk is there already.  The chunk ages
 * like any retained one (chunk_retention_ms) and goes with a trim or the
 * shrinker.
 *
 * Context: process context; may sleep; no bufpool lock held.
 * Return: 0, or -ENOMEM.
 */
int bufpool_arena_refill(struct bufpool_arena *arena, gfp_t gfp)
{
	unsigned long irqflags;
	struct bufpool_chunk *chunk;

	if (READ_ONCE(arena->nr_retained))
		return 0;
	chunk = arena_map_chunk(arena, gfp);
	if (!chunk)
		return -ENOMEM;
	spin_lock_irqsave(&arena->lock, irqflags);
	chunk->retained_ms = bufpool_now_ms();
	list_add(&chunk->list_node, &arena->retained);
	WRITE_ONCE(arena->nr_retained, arena->nr_retained + 1);
	spin_unlock_irqrestore(&arena->lock, irqflags);
	return 0;
}

static noinline void *arena_alloc_new_chunk(struct bufpool_arena *arena,
					    size_t norm, gfp_t gfp)
{
	struct bufpool_chunk *chunk;
	void *ptr;

	chunk = arena_get_chunk(arena, gfp);
	if (!chunk)
		return NULL;

	bufpool_arena_lock(arena);
	ptr = bufpool_chunk_alloc(chunk, norm);
	WARN_ON_ONCE(!ptr);
	arena->nr_chunks++;
	bufpool_chunk_list_add(&arena->lists[BUFPOOL_Q_INIT], chunk);
	if (ptr)
		arena_hand_out(arena, ptr, norm);
	bufpool_arena_unlock(arena);
	return ptr;
}

/**
 * bufpool_arena_alloc() - allocate @norm bytes from @arena
 * @arena: the arena
 * @norm: normalized size, 16 .. chunk_size
 * @gfp: flags for a new chunk, if one is needed
 *
 * Context: no bufpool lock held; may sleep if @gfp allows and a new chunk
 * is needed.
 * Return: the memory, or NULL if a new chunk could not be mapped.
 */
void *bufpool_arena_alloc(struct bufpool_arena *arena, size_t norm, gfp_t gfp)
{
	void *ptr;

	bufpool_arena_lock(arena);
	ptr = arena_alloc_locked(arena, norm);
	if (likely(ptr))
		arena_hand_out(arena, ptr, norm);
	bufpool_arena_unlock(arena);
	if (likely(ptr))
		return ptr;
	return arena_alloc_new_chunk(arena, norm, gfp);
}

/**
 * bufpool_arena_alloc_batch() - up to @n allocations of @norm bytes, one lock
 * @arena: the arena
 * @norm: normalized size, 16 .. chunk_size
 * @bin: its cache bin, or -1
 * @gfp: flags for a new chunk, if one is needed
 * @out: room for @n; the allocations fill its end, @out[@n - got] ..
 *       @out[@n - 1], in a cache's stack order: @out[@n - 1] is the first
 *       to hand out, @out[@n - 2] the next, and so on down
 * @n: how many at most, at least 1
 *
 * Takes, under one lock, first what caches gave back for @bin (struct
 * bufpool_xfer, the newest first), then what the arena's chunks have;
 * only if they have nothing, one allocation from a new chunk.  Beyond
 * what caches gave back, placement is the arena's, as for @n calls of
 * bufpool_arena_alloc() that find no chunk missing.  In stack order,
 * what caches gave back is one copy from their stack to @out, and @out
 * one copy to the cache's stack.
 *
 * For a cache's refill: @out[@n - 1] is handed out (live, as from
 * bufpool_arena_alloc()); the others hold the cache mark (fastpath.h), as
 * a cache's entries do, so that the cache takes them as they are and a
 * free of one before it leaves the cache is refused as a double free.
 *
 * Context: no bufpool lock held; may sleep if @gfp allows and a new chunk
 * is needed.
 * Return: the number of allocations, 0 if none could be made.
 */
unsigned int bufpool_arena_alloc_batch(struct bufpool_arena *arena, size_t norm, int bin,
				       gfp_t gfp, void **out, unsigned int n)
{
	unsigned int given = 0, made = 0, room;

	bufpool_arena_lock(arena);
	if (bin >= 0 && arena->xfer[bin].count) {
		struct bufpool_xfer *x = &arena->xfer[bin];

		/* On top: handed out first, the newest first. */
		given = min(n, x->count);
		bufpool_xfer_pop(x, out + n - given, given);
		arena_count_out(arena, given, norm);
	}
	/* The arena's, in the order it makes them, from @out up. */
	room = n - given;
	while (made < room) {
		void *ptr;

		if (norm < arena->pool->geo.page_size) {
			made += arena_take_elems(arena, norm, out + made, room - made);
			if (made == room)
				break;
		}
		ptr = arena_alloc_locked(arena, norm);	/* a run, or a new subpage */
		if (!ptr)
			break;
		arena_count_out(arena, 1, norm);
		/* A new subpage's elements hold the mark, a run's start need not. */
		if (norm >= arena->pool->geo.page_size)
			bufpool_san_write_word(ptr, bufpool_cache_mark(arena->pool, ptr));
		out[made++] = ptr;
	}
	bufpool_arena_unlock(arena);
	if (made) {
		/* Stack order, below what caches gave back: the first made on top. */
		void **lo = out, **hi = out + made - 1;

		for (; lo < hi; lo++, hi--)
			swap(*lo, *hi);
		if (made < room)
			memmove(out + room - made, out, made * sizeof(*out));
	}
	if (given + made) {
		bufpool_san_write_word(out[n - 1], 0);	/* handed out */
		return given + made;
	}
	out[n - 1] = arena_alloc_new_chunk(arena, norm, gfp);
	return out[n - 1] ? 1 : 0;
}

/**
 * bufpool_arena_free_locked() - free @ptr, found to lie in @chunk
 * @chunk: the chunk that contains @ptr
 * @ptr: the pointer being freed
 *
 * Context: caller holds chunk->arena->lock.
 * Return: 0 when freed; 1 when freed and @chunk became empty and left its
 * lists: after unlocking, the caller removes, destroys and retires it;
 * -ENOENT (double free) or -EINVAL (interior pointer) when refused, with
 * nothing changed.
 */
int bufpool_arena_free_locked(struct bufpool_chunk *chunk, const void *ptr)
	__must_hold(&chunk->arena->lock)
{
	struct bufpool_arena *arena = chunk->arena;
	size_t usable;
	u64 handle;
	int ret;

	lockdep_assert_held(&chunk->arena->lock);

	ret = bufpool_chunk_resolve(chunk, ptr, &handle, &usable);
	if (likely(!ret)) {
		enum bufpool_class cls = bufpool_size_class(&arena->pool->geo, usable);

		arena->frees[cls]++;
		arena->active_bytes[cls] -= usable;
		if (!bufpool_chunk_list_free(chunk, handle)) {
			arena->nr_chunks--;
			ret = 1;
		}
	}
	return ret;
}

/**
 * bufpool_arena_free_memo_done() - count what a run of cache frees freed inline
 * @arena: the arena whose lock the run held
 * @memo: its memo
 * @size: the element size of all its frees (the run's cache bin's)
 *
 * Context: caller holds @arena->lock, as it has since bufpool_free_memo_init().
 */
void bufpool_arena_free_memo_done(struct bufpool_arena *arena, struct bufpool_free_memo *memo,
				  unsigned int size)
	__must_hold(&arena->lock)
{
	enum bufpool_class cls;

	lockdep_assert_held(&arena->lock);

	if (!memo->freed)
		return;
	cls = bufpool_size_class(&arena->pool->geo, size);
	arena->frees[cls] += memo->freed;
	arena->active_bytes[cls] -= (u64)size * memo->freed;
	memo->freed = 0;
}
