// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * cache.c - per-CPU (kernel) / per-thread (userspace) caches in front of
 * the arenas (Netty's PoolThreadCache and MemoryRegionCache): their setup,
 * and the slow paths behind the hit path of fastpath.h.
 *
 * A cache has one bin per cacheable size: each tiny and small class and the
 * normal sizes up to max_cached_capacity.  A bin is a stack (LIFO) of
 * allocations that are still allocated in their chunk, so a hit takes no
 * arena lock.  Where bufpool departs from Netty (a FIFO queue per size):
 *   - a miss refills a batch (cache_refill entries, one arena lock) and
 *     keeps all but one for the next hits;
 *   - a free into a full bin gives the oldest entries back (batches of at
 *     most BUFPOOL_FLUSH_BATCH, a world's choice in bufpool_cache_world.h;
 *     one arena lock per run of one arena) and
 *     keeps the new one (Netty refuses the new one): half the bin, or,
 *     the first time it fills after a refill that left entries unused, as
 *     many as it left; they go to their arena's transfer stack (struct
 *     bufpool_xfer) while it has room, for the arena's next refill, the
 *     rest to the bitmaps (so do the trims' and a thread's exit's).  A
 *     refill overshoots the working set by what
 *     it leaves unused, so a working set that nearly fills the bin would
 *     overflow it on every burst of frees, and a flush of half the bin
 *     would empty it for the next burst of allocations: one refill and
 *     one flush per round, for ever.  Giving back only the overshoot
 *     leaves the working set in the bin, and the next rounds all hit;
 *   - the count trim gives back per bin what it holds beyond what it
 *     served since the last trim, oldest first (Netty frees its queue's
 *     capacity minus its hits).
 *
 * Slow paths never take an arena lock or allocate inside the cache
 * (bufpool_cache_enter/leave): they take entries out, leave, then work.
 * In the kernel the cache is entered with interrupts off (a local_lock).
 *
 * Lock order: the caller's cache (entered) is never held while an arena
 * lock is taken; arena lock -> table lock never.
 */
#include <linux/sched/mm.h>
#include "geometry.h"
#include "chunk.h"
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "buf_internal.h"
#include "world.h"
#include "fastpath.h"

/**
 * bufpool_cache_bin() - the cache bin for a normalized size
 * @pool: the pool
 * @norm: normalized size
 *
 * Context: any.
 * Return: the bin, or -1 if @norm is not cached.
 */
int bufpool_cache_bin(const struct bufpool *pool, size_t norm)
{
	int bin;

	if (norm > pool->cache_max)
		return -1;
	if (norm < BUFPOOL_TINY_LIMIT)
		bin = norm / BUFPOOL_TINY_QUANTUM - 1;
	else if (norm < pool->geo.page_size)
		bin = BUFPOOL_CACHE_SMALL_BIN0 + bufpool_small_idx(norm);
	else
		bin = BUFPOOL_CACHE_NORMAL_BIN0 + ilog2(norm) - pool->geo.page_shift;
	return pool->cache_sizes[bin] ? bin : -1;
}
EXPORT_SYMBOL_NS_GPL(bufpool_cache_bin, BUFPOOL_INTERNAL);

static size_t bin_size_of(const struct bufpool *pool, int bin)
{
	if (bin < BUFPOOL_CACHE_SMALL_BIN0)
		return (bin + 1) * BUFPOOL_TINY_QUANTUM;
	if (bin < BUFPOOL_CACHE_NORMAL_BIN0)
		return BUFPOOL_TINY_LIMIT << (bin - BUFPOOL_CACHE_SMALL_BIN0);
	return (size_t)pool->geo.page_size << (bin - BUFPOOL_CACHE_NORMAL_BIN0);
}

static enum bufpool_class bin_class(int bin)
{
	if (bin < BUFPOOL_CACHE_SMALL_BIN0)
		return BUFPOOL_CLASS_TINY;
	if (bin < BUFPOOL_CACHE_NORMAL_BIN0)
		return BUFPOOL_CLASS_SMALL;
	return BUFPOOL_CLASS_NORMAL;
}

/**
 * bufpool_cache_setup() - bin capacities and the fast path's tables
 * @pool: the pool, config checked
 *
 * Context: pool not yet shared.
 */
void bufpool_cache_setup(struct bufpool *pool)
{
	const struct bufpool_config *cfg = &pool->cfg;
	size_t max = min_t(size_t, cfg->max_cached_capacity, pool->geo.chunk_size);
	struct bufpool_bin_info *bi;
	unsigned int slot;
	int bin;

	/* Every key, BUFPOOL_NO_BIN's included, fits a byte (size_key[], the page map). */
	BUILD_BUG_ON((BUFPOOL_NO_BIN + 1) * BUFPOOL_BIN_KEY_SCALE > 255);
	pool->cache_max = 0;
	pool->cache_cookie = get_random_long();
	/* Pages without a cacheable allocation: no offset passes. */
	memset(&pool->bin_infos[0], 0, sizeof(pool->bin_infos[0]));
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
		size_t size = bin_size_of(pool, bin);
		u32 n;

		switch (bin_class(bin)) {
		case BUFPOOL_CLASS_TINY:
			n = cfg->tiny_cache_size;
			break;
		case BUFPOOL_CLASS_SMALL:
			n = size < pool->geo.page_size ? cfg->small_cache_size : 0;
			break;
		default:
			n = size <= max ? cfg->normal_cache_size : 0;
			break;
		}
		pool->cache_sizes[bin] = n;
		bi = &pool->bin_infos[bin + 1];
		pool->bin_sizes[bin] = min_t(size_t, size, U32_MAX);
		memset(bi->pad, 0, sizeof(bi->pad));
		if (size < pool->geo.page_size) {
			u32 d = size >> __ffs(size), inv = d;

			/* Newton's iteration: each step doubles the bits that are right. */
			while (d * inv != 1)
				inv *= 2 - d * inv;
			bi->inv = inv;
			bi->shift = __ffs(size);
			bi->elems = pool->geo.page_size / size;
			pool->bin_magic[bin] = DIV_ROUND_UP(1ULL << 32, size);
		} else {	/* a run: offset 0 only */
			bi->inv = 1;
			bi->shift = 0;
			bi->elems = 1;
			pool->bin_magic[bin] = 1;
		}
		if (n && size > pool->cache_max)
			pool->cache_max = size;
	}
	/* The table: each 16-byte step of request size up to fast_max. */
	pool->fast_max = min_t(size_t, pool->cache_max, BUFPOOL_FAST_MAX);
	for (slot = 0; slot < BUFPOOL_FAST_SLOTS; slot++) {
		size_t size = (size_t)slot * BUFPOOL_TINY_QUANTUM;

		bin = size <= pool->fast_max ?
		      bufpool_cache_bin(pool, bufpool_normalize(&pool->geo, size)) : -1;
		pool->size_key[slot] = bufpool_bin_key((bin < 0 ? BUFPOOL_NO_BIN : bin) + 1);
	}
}

/* How many a miss of @bin takes from the arena: see bufpool_config.cache_refill. */
static u32 refill_count(const struct bufpool *pool, int bin)
{
	u32 size = pool->cache_sizes[bin];

	if (pool->cfg.cache_refill)
		return min(pool->cfg.cache_refill, size);
	/* Tiny sizes (below 512 B) take up to 64, under 32 KiB; the rest 32. */
	return clamp_t(u32, size / 4, 1, bin < BUFPOOL_CACHE_SMALL_BIN0 ?
			BUFPOOL_REFILL_MAX : BUFPOOL_REFILL_MAX / 2);
}

static u32 trim_interval(const struct bufpool *pool)
{
	return pool->cfg.cache_trim_interval ? pool->cfg.cache_trim_interval : U32_MAX;
}

/* Every bin of @c empty and without room. */
static void bins_reset(struct bufpool_cache *c)
{
	int bin;

	c->no_entries = NULL;
	for (bin = 0; bin <= BUFPOOL_CACHE_BINS; bin++) {
		c->bin_base[bin] = &c->no_entries + 1;
		c->bins[bin].top = c->bin_base[bin];
		c->bins[bin].limit = c->bin_base[bin];
	}
}

/**
 * bufpool_cache_init() - an empty cache without bins
 * @c: the cache
 * @pool: its pool
 *
 * Context: not yet shared.
 */
void bufpool_cache_init(struct bufpool_cache *c, struct bufpool *pool)
{
	memset(c, 0, sizeof(*c));
	c->pool = pool;
	c->trim_left = trim_interval(pool);
	c->leak_left = bufpool_leak_interval(pool);
	c->last_trim_ms = bufpool_now_ms();
	u64_stats_init(&c->syncp);
	INIT_LIST_HEAD(&c->node);
	bins_reset(c);
}

/**
 * bufpool_cache_bins_alloc() - give every bin of @c its stack
 * @c: a cache from bufpool_cache_init(), not yet shared
 * @gfp: allocation flags, GFP_KERNEL
 * @node: NUMA node for the memory (NUMA_NO_NODE: any)
 *
 * One allocation holds every bin's stack, sized from the pool's
 * cache_sizes, so that neither the free path nor a miss ever allocates
 * (a free may come from softirq or under a spinlock, where a 128 KiB
 * allocation should not happen).  A pool without caches allocates nothing.
 *
 * Context: may sleep if @gfp allows.
 * Return: 0, or -ENOMEM (the cache then has no bins: every request goes to
 * the arenas).
 */
int bufpool_cache_bins_alloc(struct bufpool_cache *c, gfp_t gfp, int node)
{
	const struct bufpool *pool = c->pool;
	size_t total = 0;
	void **mem;
	int bin;

	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++)
		total += pool->cache_sizes[bin];
	if (!total)
		return 0;
	/* A NULL slot below each stack (struct bufpool_cache_bin). */
	mem = kvmalloc_node((total + BUFPOOL_CACHE_BINS) * sizeof(*mem), gfp | __GFP_NOWARN,
			    node);
	if (!mem)
		return -ENOMEM;
	c->bins_mem = mem;
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
		*mem++ = NULL;
		c->bin_base[bin] = mem;
		c->bins[bin].top = mem;
		mem += pool->cache_sizes[bin];
		c->bins[bin].limit = mem;
	}
	return 0;
}

/**
 * bufpool_cache_bins_free() - free what bufpool_cache_bins_alloc() gave
 * @c: a flushed cache nobody uses any more
 *
 * Context: may sleep.
 */
void bufpool_cache_bins_free(struct bufpool_cache *c)
{
	int bin;

	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++)
		WARN_ON_ONCE(bufpool_bin_count(c, bin));
	bins_reset(c);
	kvfree(c->bins_mem);
	c->bins_mem = NULL;
}

/*
 * Where entries that leave a cache go: a cache's flushes (a full bin's
 * overflow, the count and time trims, a thread's exit) stay in their
 * arena's transfer stack (struct bufpool_xfer) while it has room, for the
 * next refill, the rest to the bitmaps; a refill's entries that found no
 * room in the bin go to the bitmaps; entries drained from a transfer
 * stack go there too, already counted as freed.
 */
enum flush_to {
	FLUSH_XFER,
	FLUSH_ARENA,
	FLUSH_DRAIN,
};

/*
 * Free @ptr, which left a cache, to its arena: @chunk is the live chunk that
 * contains it, @bin its cache bin.  @memo is the run's memo (struct
 * bufpool_free_memo): set to @ptr's subpage when that stays in use, so that
 * the run's next entries from the same page are freed inline; what it frees
 * that way is counted there, for bufpool_arena_free_memo_done().
 *
 * The cache already knows what the allocation is, so the handle comes from
 * the page (its subpage's element, or the run of the bin's size starting
 * there: the page's page_key says so, set when such a run is handed out
 * and cleared when it is freed) rather than from a walk of the buddy tree;
 * each fact is still checked, cheaply, and anything unexpected is left to
 * bufpool_arena_free_locked().  Inline in free_run(), its one caller: a
 * flush calls it for the first entry of every page.
 *
 * Context: caller holds chunk->arena->lock.
 * Return: as bufpool_arena_free_locked(), with -EINVAL for "ask it".
 */
static __always_inline int arena_free_cached(struct bufpool_chunk *chunk, const void *ptr,
					     unsigned int bin, struct bufpool_free_memo *memo)
	__must_hold(&chunk->arena->lock)
{
	struct bufpool_arena *arena = chunk->arena;
	const struct bufpool *pool = arena->pool;
	const struct bufpool_geometry *geo = &pool->geo;
	unsigned int size = bufpool_bin_size(pool, bin);
	size_t offset = (uintptr_t)ptr & geo->chunk_mask;
	unsigned int page = offset >> geo->page_shift;
	unsigned int in_page = offset & geo->page_mask;
	enum bufpool_class cls;
	u64 handle;

	lockdep_assert_held(&chunk->arena->lock);

	memo->sp = NULL;	/* what follows may free its last element */
	if (chunk->page_key[page] != bufpool_bin_key(bin + 1))
		return -EINVAL;
	if (size < geo->page_size) {
		struct bufpool_subpage *sp = bufpool_chunk_subpage(chunk, page);
		/* in_page / size, exactly (see struct bufpool_bin_info) */
		unsigned int idx = ((u64)in_page * bufpool_bin_magic(pool, bin)) >> 32;

		if (sp->elem_size != size || idx * size != in_page ||
		    !bufpool_subpage_test(sp, idx))
			return -EINVAL;
		if (sp->num_avail + 1 < sp->max_elems) {
			/*
			 * The subpage stays in use: no page goes back to the
			 * tree and the chunk's usage does not change, so the
			 * element goes straight back to its bitmap.  It keeps
			 * the cache mark it came with (fastpath.h).
			 */
			bufpool_subpage_put(sp, bufpool_arena_subpage_head(arena, size), idx);
			memo->sp = sp;
			memo->page = (uintptr_t)ptr - in_page;
			memo->magic = bufpool_bin_magic(pool, bin);
			memo->freed++;
			return 0;
		}
		handle = bufpool_handle_make(sp->mm_idx, idx);
	} else {
		unsigned int depth = geo->max_order - (ilog2(size) - geo->page_shift);
		unsigned int id = (1u << depth) | (page >> (geo->max_order - depth));

		if (in_page || page & ((size >> geo->page_shift) - 1) ||
		    chunk->buddy.memory_map[id] != chunk->buddy.unusable)
			return -EINVAL;
		handle = bufpool_handle_make(id, -1);
	}
	cls = bufpool_size_class(geo, size);
	arena->frees[cls]++;
	arena->active_bytes[cls] -= size;
	if (!bufpool_chunk_list_free(chunk, handle)) {
		arena->nr_chunks--;
		return 1;
	}
	return 0;
}

/*
 * Free the entries ptrs[i..n) that belong to @arena under one hold of its
 * lock, stopping at the first that belongs elsewhere or is not as cached.
 * Chunks emptied on q000 go on @released.  Return: the index of the first
 * entry not freed; *@refused tells whether it was refused here (the caller
 * frees it the careful way) rather than belonging to another arena.
 */
static u32 free_run(struct bufpool *pool, struct bufpool_arena *arena, void **ptrs,
		    u32 i, u32 n, int bin, enum flush_to to, struct list_head *released,
		    bool *refused)
{
	struct bufpool_xfer *x = to == FLUSH_XFER ? &arena->xfer[bin] : NULL;
	unsigned int size = bufpool_bin_size(pool, bin);
	enum bufpool_class cls = bin_class(bin);
	struct bufpool_chunk *chunk = NULL;
	struct bufpool_free_memo memo;
	u32 start = i, kept = 0;
	uintptr_t base = 0;

	*refused = false;
	bufpool_arena_lock(arena);
	bufpool_free_memo_init(&memo);
	for (;;) {
		const void *ptr;

		/* Most entries: from the page of the entry before, inline. */
		i = bufpool_arena_free_memo(&memo, ptrs, i, n);
		if (i == n)
			break;
		ptr = ptrs[i];
		/*
		 * It keeps its mark: free in the arena, still not live.  The
		 * chunk of the entry before, if this one is in it too and it
		 * is still on a list: checked live under this hold of the
		 * lock, which no other free can release it under.
		 */
		if (!chunk || ((uintptr_t)ptr & ~pool->geo.chunk_mask) != base ||
		    !READ_ONCE(chunk->list)) {
			chunk = bufpool_chunk_find(pool, ptr);
			if (!chunk || READ_ONCE(chunk->arena) != arena)
				break;
			if (!bufpool_chunk_live(chunk, arena, ptr)) {
				*refused = true;
				break;
			}
			base = (uintptr_t)bufpool_chunk_base(chunk);
		}
		/*
		 * Kept for the next refill, with the entries after it in the
		 * same (live, locked) chunk: they stay allocated, and marked.
		 */
		if (x && x->count < x->cap) {
			/* In registers: a store through dst may alias anything. */
			void **const first = x->entries + x->count;
			void **const end = x->entries + x->cap;
			const uintptr_t mask = ~pool->geo.chunk_mask;
			void **dst = first;

			do {
				*dst++ = ptrs[i++];
			} while (i < n && dst < end && ((uintptr_t)ptrs[i] & mask) == base);
			kept += dst - first;
			WRITE_ONCE(x->count, dst - x->entries);	/* read unlocked by drains */
			continue;
		}
		if (arena_free_cached(chunk, ptr, bin, &memo) < 0) {
			/* The careful way, as a user's free: no mark to find. */
			bufpool_san_write_word((void *)ptr, 0);
			if (bufpool_arena_free_locked(chunk, ptr) < 0) {
				*refused = true;
				break;
			}
		}
		if (!READ_ONCE(chunk->list))	/* emptied on q000 */
			list_add(&chunk->list_node, released);
		i++;
	}
	bufpool_arena_free_memo_done(arena, &memo, size);
	if (kept) {	/* free, for the arena's counters */
		arena->frees[cls] += kept;
		arena->active_bytes[cls] -= (u64)kept * size;
	}
	if (to == FLUSH_DRAIN) {	/* counted as freed when they were kept */
		arena->frees[cls] -= i - start;
		arena->active_bytes[cls] += (u64)(i - start) * size;
	}
	bufpool_arena_unlock(arena);
	return i;
}

/*
 * Free @n pointers that left a cache to their arenas, taking each arena
 * lock once per run of entries from the same arena rather than once per
 * entry.  Chunks that become empty are released after the last unlock.
 */
static void free_to_arenas(struct bufpool *pool, void **ptrs, u32 n, int bin, enum flush_to to)
{
	struct bufpool_chunk *chunk, *tmp;
	LIST_HEAD(released);
	bool refused;
	u32 i = 0;

	while (i < n) {
		chunk = bufpool_chunk_find(pool, ptrs[i]);
		refused = !chunk;
		if (chunk)
			i = free_run(pool, READ_ONCE(chunk->arena), ptrs, i, n, bin, to,
				     &released, &refused);
		if (refused) {
			/* Not as cached: let the careful path decide and report. */
			bufpool_san_write_word(ptrs[i], 0);
			bufpool_pool_free_slow(pool, ptrs[i]);
			i++;
		}
	}
	list_for_each_entry_safe(chunk, tmp, &released, list_node) {
		list_del_init(&chunk->list_node);
		bufpool_chunk_release(pool, chunk);
	}
}

/*
 * Take the @n oldest entries of @c's @bin out into @out (at most
 * BUFPOOL_FLUSH_BATCH), counting them as flushed.  The caller is inside
 * the cache; it frees them with free_to_arenas() after leaving it.
 */
static u32 bin_take(struct bufpool_cache *c, int bin, u32 n, void **out)
{
	struct bufpool_cache_bin *b = &c->bins[bin];
	void **base = c->bin_base[bin];
	u32 count = bufpool_bin_count(c, bin);

	n = min3(n, count, BUFPOOL_FLUSH_BATCH);
	if (!n)
		return 0;
	/*
	 * Count first: a concurrent stats reader then sees these entries as
	 * neither cached nor freed to their arena yet (active briefly high),
	 * never as both (frees above allocations).
	 */
	bufpool_cache_count(c, &c->st.flushed[bin_class(bin)], n);
	memcpy(out, base, n * sizeof(*out));
	memmove(base, base + n, (count - n) * sizeof(*base));
	WRITE_ONCE(b->top, b->top - n);
	return n;
}

/*
 * Enter @owned if the caller owns that cache outright (a thread's own, or
 * one nobody else can use any more), else the caller's cache.
 */
static struct bufpool_cache *cache_enter(struct bufpool *pool, struct bufpool_cache *owned,
					 unsigned long *flags)
{
	return owned ? owned : bufpool_cache_enter_bind(pool, flags);
}

static void cache_leave(struct bufpool *pool, struct bufpool_cache *owned,
			unsigned long flags)
{
	if (!owned)
		bufpool_cache_leave(pool, flags);
}

/*
 * Give back up to @n of the oldest entries of @bin (all: U32_MAX), a
 * batch at a time, entering the cache for each batch.
 */
static void cache_flush_bin(struct bufpool *pool, struct bufpool_cache *owned, int bin, u32 n)
{
	void *batch[BUFPOOL_FLUSH_BATCH];
	unsigned long flags;
	struct bufpool_cache *c;
	u32 got;

	while (n) {
		c = cache_enter(pool, owned, &flags);
		if (!c)
			return;
		got = bin_take(c, bin, n, batch);
		cache_leave(pool, owned, flags);
		if (!got)
			return;
		free_to_arenas(pool, batch, got, bin, FLUSH_XFER);
		n -= min(n, got);
	}
}

/*
 * Put the @n oldest entries of @x on its top, in one pass: the bottom @n
 * swap places with the top ones (the order of the rest does not matter).
 * Context: the arena lock held.
 */
static void xfer_oldest_up(struct bufpool_xfer *x, u32 n)
{
	u32 k;

	for (k = 0; k < min(n, x->count - n); k++)
		swap(x->entries[k], x->entries[x->count - 1 - k]);
}

/**
 * bufpool_cache_xfer_drain() - give back what the arenas keep for refills
 * @pool: the pool
 * @all: everything, or half of what no refill took since the last drain
 *
 * What caches gave back for refills (struct bufpool_xfer) goes to the
 * bitmaps, so that its pages and chunks can be given back: all of it for
 * a trim, a flush of every cache or a shrink; at each decay, half (rounded
 * up) of the oldest entries that stayed unused since the one before (the
 * stack's low-water mark, as jemalloc's cache GC), so that a steady flow
 * keeps its stack and what no refill wants drains away decay by decay.
 * Draining all that stayed unused at once cost the skewed churn bench 7 %
 * more instructions, entries that waited for a refill going back just
 * before it.
 *
 * Context: may take arena locks; not inside a cache.
 */
void bufpool_cache_xfer_drain(struct bufpool *pool, bool all)
{
	void *batch[BUFPOOL_FLUSH_BATCH];
	unsigned long irqflags;
	unsigned int i;
	int bin;

	for (i = 0; i < pool->nr_arenas; i++) {
		struct bufpool_arena *arena = &pool->arenas[i];

		for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
			struct bufpool_xfer *x = &arena->xfer[bin];
			u32 want, got;

			/* Unlocked: a stale 0 waits for the next drain. */
			if (!READ_ONCE(x->count))
				continue;
			spin_lock_irqsave(&arena->lock, irqflags);
			want = all ? x->count : DIV_ROUND_UP(x->low, 2);
			xfer_oldest_up(x, want);
			x->low = x->count;	/* the next interval starts */
			spin_unlock_irqrestore(&arena->lock, irqflags);
			while (want) {
				u32 n = min_t(u32, want, BUFPOOL_FLUSH_BATCH);

				spin_lock_irqsave(&arena->lock, irqflags);
				got = bufpool_xfer_pop(x, batch, n);
				spin_unlock_irqrestore(&arena->lock, irqflags);
				if (!got)
					break;
				free_to_arenas(pool, batch, got, bin, FLUSH_DRAIN);
				want -= got;
			}
		}
	}
}

/**
 * bufpool_cache_flush_all() - give every cached entry back
 * @pool: the pool
 * @owned: a cache the caller owns outright, or NULL for the caller's own
 *         (this CPU's, this thread's)
 *
 * Context: may take arena locks; not inside a cache.
 */
void bufpool_cache_flush_all(struct bufpool *pool, struct bufpool_cache *owned)
{
	int bin;

	bufpool_recycler_drain(pool, owned);	/* descriptors are pool allocations */
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++)
		cache_flush_bin(pool, owned, bin, U32_MAX);
}

/**
 * bufpool_cache_release() - flush @c and free its bins
 * @c: the cache, no longer reachable by its owner
 *
 * Context: may sleep.
 */
void bufpool_cache_release(struct bufpool_cache *c)
{
	bufpool_cache_flush_all(c->pool, c);
	bufpool_cache_bins_free(c);
}

/**
 * bufpool_cache_trim() - keep per bin what it served since the last trim
 * @pool: the pool
 * @owned: a cache the caller owns outright, or NULL for the caller's own
 *
 * Context: may take arena locks; not inside a cache.
 */
void bufpool_cache_trim(struct bufpool *pool, struct bufpool_cache *owned)
{
	unsigned long flags;
	struct bufpool_cache *c;
	int bin;

	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
		struct bufpool_cache_bin *b;
		u32 excess, held;
		u64 served;

		c = cache_enter(pool, owned, &flags);
		if (!c)
			return;
		b = &c->bins[bin];
		served = u64_stats_read(&b->hits) - u64_stats_read(&c->hits_at_trim[bin]);
		held = bufpool_bin_count(c, bin);
		excess = held > served ? held - served : 0;
		u64_stats_update_begin(&c->syncp);
		u64_stats_set(&c->hits_at_trim[bin], u64_stats_read(&b->hits));
		u64_stats_update_end(&c->syncp);
		cache_leave(pool, owned, flags);
		cache_flush_bin(pool, owned, bin, excess);
	}
	c = cache_enter(pool, owned, &flags);
	if (!c)
		return;
	c->trim_left = trim_interval(pool);
	c->last_trim_ms = bufpool_now_ms();
	bufpool_cache_count(c, &c->st.trims, 1);
	cache_leave(pool, owned, flags);
	bufpool_pool_decay(pool);
}

/*
 * A cacheable allocation the hit path could not serve: a hit that is due
 * a trim, or a miss.  A miss takes a batch from the arena under one lock,
 * hands one out and keeps the rest in the cache.
 */
static void *cache_alloc_slow(struct bufpool *pool, int bin, size_t norm, gfp_t gfp)
{
	enum bufpool_class cls = bin_class(bin);
	const struct bufpool_config *cfg = &pool->cfg;
	void *ptrs[BUFPOOL_REFILL_MAX], **top;
	struct bufpool_cache_bin *b;
	unsigned long flags;
	struct bufpool_cache *c;
	bool trim = false;
	void *ptr = NULL;
	u32 want, got, kept = 0;

	c = bufpool_cache_enter_bind(pool, &flags);
	if (!c)
		return bufpool_arena_alloc(bufpool_arena_select(pool), norm, gfp);
	b = &c->bins[bin];
	if (!--c->trim_left) {
		if (cfg->cache_trim_interval)
			trim = true;
		else
			c->trim_left = U32_MAX;
	}
	ptr = bufpool_bin_pop(b);
	if (ptr) {
		bufpool_cache_count(c, &b->hits, 1);
	} else {
		bufpool_cache_count(c, &c->st.misses[cls], 1);
		if (cfg->cache_trim_interval_ms &&
		    bufpool_now_ms() - c->last_trim_ms >= cfg->cache_trim_interval_ms)
			trim = true;
	}
	bufpool_cache_leave(pool, flags);
	if (trim)
		bufpool_cache_trim(pool, NULL);
	if (ptr)
		return ptr;

	want = refill_count(pool, bin);
	got = bufpool_arena_alloc_batch(bufpool_arena_select(pool), norm, bin, gfp, ptrs, want);
	if (!got)
		return NULL;
	/* In stack order at the end of @ptrs: its last is handed out. */
	top = ptrs + want - 1;
	if (got > 1) {
		c = bufpool_cache_enter_bind(pool, &flags);
		if (c) {
			b = &c->bins[bin];
			/*
			 * They hold the mark (bufpool_arena_alloc_batch()):
			 * pushed as they are, the ones below @top, the next
			 * to be handed out first if there is not room for all.
			 */
			kept = min_t(u32, got - 1, b->limit - b->top);
			bufpool_bin_push_many(b, top - kept, kept);
			c->refill_end[bin] = (u32)u64_stats_read(&b->hits) + kept;
			/*
			 * What found no room goes back to the arena: filled
			 * and flushed at once, so the user's counts stay exact.
			 */
			bufpool_cache_count(c, &c->st.filled[cls], got - 1);
			bufpool_cache_count(c, &c->st.flushed[cls], got - 1 - kept);
			bufpool_cache_leave(pool, flags);
		}
		if (got - 1 > kept)	/* no room after all: back they go */
			free_to_arenas(pool, top - (got - 1), got - 1 - kept, bin, FLUSH_ARENA);
	}
	return *top;
}

/**
 * bufpool_cache_trim_due() - the hit that reached cache_trim_interval
 * @pool: the pool
 * @ptr: what the hit handed out (its bin is looked up again here, so that
 *       the hit path keeps no register for it)
 * @size: the size asked for (0 without a memory checker: unused then)
 * @gfp: the allocation's flags (__GFP_ZERO)
 *
 * Context: not inside a cache.
 * Return: @ptr.
 */
noinline void *bufpool_cache_trim_due(struct bufpool *pool, void *ptr, size_t size, gfp_t gfp)
{
	int bin = bufpool_fast_locate(pool, bufpool_chunk_find(pool, ptr), ptr);
	unsigned long flags;
	struct bufpool_cache *c;

	bufpool_san_hand_out(ptr, size, bufpool_bin_size(pool, bin), bufpool_want_zero(gfp),
			     gfp, true);
	if (pool->cfg.cache_trim_interval) {
		bufpool_cache_trim(pool, NULL);
		return ptr;
	}
	c = bufpool_cache_enter_bind(pool, &flags);	/* no count trim: count again */
	if (c) {
		c->trim_left = U32_MAX;
		bufpool_cache_leave(pool, flags);
	}
	return ptr;
}
EXPORT_SYMBOL_NS_GPL(bufpool_cache_trim_due, BUFPOOL_INTERNAL);

/**
 * bufpool_alloc_slow() - what bufpool_fast_alloc() does not serve itself
 * @pool: the pool
 * @size: bytes; 0 is served as the smallest class
 * @gfp: allocation flags; __GFP_ZERO (in the kernel also init_on_alloc)
 *       zeroes the usable size
 *
 * Context: may sleep if @gfp allows; not inside a cache.
 * Return: the memory, or NULL.
 */
noinline void *bufpool_alloc_slow(struct bufpool *pool, size_t size, gfp_t gfp)
{
	size_t norm = bufpool_normalize(&pool->geo, size);
	bool zero = bufpool_want_zero(gfp);
	void *ptr;
	int bin;

	/*
	 * Every miss, for everyone: a miss may map a chunk.  The kernel's
	 * entry points call it on hits too only where sleeping in atomic
	 * context is checked (kmod/main.c).
	 */
	might_alloc(gfp);
	gfp &= ~__GFP_ZERO;
	/*
	 * Only huge memory is the caller's alone: chunks are shared, so they
	 * are never charged to whoever happened to need a new one.
	 */
	if (unlikely(norm > pool->geo.chunk_size)) {
		ptr = bufpool_huge_alloc(pool, size, gfp);
	} else {
		gfp &= ~__GFP_ACCOUNT;
		bin = bufpool_cache_bin(pool, norm);
		if (bin >= 0)
			ptr = cache_alloc_slow(pool, bin, norm, gfp);
		else
			ptr = bufpool_arena_alloc(bufpool_arena_select(pool), norm, gfp);
	}
	if (unlikely(!ptr))
		bufpool_alloc_failed();
	else if (zero || BUFPOOL_SANITIZE)	/* the usable size: a huge one is page-rounded */
		bufpool_san_hand_out(ptr, size, bufpool_pool_request_size(pool, size), zero, gfp,
				     norm <= pool->geo.chunk_size);
	return ptr;
}
EXPORT_SYMBOL_NS_GPL(bufpool_alloc_slow, BUFPOOL_INTERNAL);

/**
 * bufpool_free_slow() - what bufpool_fast_free() does not do itself
 * @pool: the pool
 * @ptr: the pointer; NULL is a no-op
 *
 * A double free of a cached allocation is refused here; a full bin gives
 * its oldest entries back and keeps @ptr; anything that is not a live
 * cacheable allocation goes to the locked path (bufpool_pool_free_slow()).
 *
 * Context: any; not inside a cache.
 */
noinline void bufpool_free_slow(struct bufpool *pool, const void *ptr)
{
	void *batch[BUFPOOL_FLUSH_BATCH];
	struct bufpool_chunk *chunk = NULL;
	struct bufpool_cache_bin *b;
	unsigned long flags;
	struct bufpool_cache *c;
	int bin = -1;
	u32 got = 0;

	if (unlikely(!ptr))	/* the hit path leaves NULL here: bufpool_fast_free() */
		return;
	if (pool->cache_max)
		chunk = bufpool_chunk_find(pool, ptr);
	if (chunk)
		bin = bufpool_fast_locate(pool, chunk, ptr);
	if (bin < 0)
		goto locked;
	if (unlikely(bufpool_cache_marked(pool, ptr))) {
		bufpool_pool_refuse(pool, ptr, BUFPOOL_MISUSE_DOUBLE_FREE);
		return;
	}
	c = bufpool_cache_enter_bind(pool, &flags);
	if (!c)
		goto locked;
	b = &c->bins[bin];
	if (b->top >= b->limit) {
		u32 hits = u64_stats_read(&b->hits);
		s32 unused = c->refill_end[bin] - hits;	/* the last refill's */
		u32 n = unused > 0 ? unused : bufpool_bin_cap(c, bin) / 2;

		c->refill_end[bin] = hits;
		got = bin_take(c, bin, n ? n : 1, batch);
	}
	if (b->top < b->limit) {
		bufpool_san_take_back(ptr, bufpool_bin_size(pool, bin));
		bufpool_bin_push(pool, b, ptr);
		bufpool_cache_count(c, &b->frees, 1);
		ptr = NULL;
	}
	bufpool_cache_leave(pool, flags);
	if (got)	/* a full bin: its arena may keep them for a refill */
		free_to_arenas(pool, batch, got, bin, FLUSH_XFER);
	if (!ptr)
		return;
locked:
	bufpool_pool_free_slow(pool, ptr);
}
EXPORT_SYMBOL_NS_GPL(bufpool_free_slow, BUFPOOL_INTERNAL);

/* One consistent read of @c's counters (the fetch loop of u64_stats). */
static void cache_read_stats(const struct bufpool_cache *c, struct bufpool_cache_stats *one)
{
	const struct bufpool *pool = c->pool;
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(&c->syncp);
		memset(one, 0, sizeof(*one));
		for (i = 0; i < BUFPOOL_NR_CLASSES; i++) {
			one->hits[i] = u64_stats_read(&c->st.hits[i]);
			one->misses[i] = u64_stats_read(&c->st.misses[i]);
			one->frees[i] = u64_stats_read(&c->st.frees[i]);
			one->flushed[i] = u64_stats_read(&c->st.flushed[i]);
			one->filled[i] = u64_stats_read(&c->st.filled[i]);
		}
		for (i = 0; i < BUFPOOL_CACHE_BINS; i++) {
			const struct bufpool_cache_bin *b = &c->bins[i];
			enum bufpool_class cls = bin_class(i);

			one->hits[cls] += u64_stats_read(&b->hits);
			one->frees[cls] += u64_stats_read(&b->frees);
			one->cached_bytes +=
				(u64)bufpool_bin_count(c, i) * bufpool_bin_size(pool, i);
		}
		one->cached_bytes += u64_stats_read(&c->st.cached_bytes);
		one->trims = u64_stats_read(&c->st.trims);
		one->buf_recycled = u64_stats_read(&c->st.buf_recycled);
		one->buf_allocs = u64_stats_read(&c->st.buf_allocs);
	} while (u64_stats_fetch_retry(&c->syncp, start));
}

/**
 * bufpool_cache_add_stats() - add @c's counters to @sum
 * @sum: the running total, per class
 * @c: a cache
 *
 * Context: any; the owner may be updating @c (the counters are read
 * again if it did meanwhile, so none is torn on 32-bit machines).
 */
void bufpool_cache_add_stats(struct bufpool_cache_stats *sum, const struct bufpool_cache *c)
{
	struct bufpool_cache_stats one;
	int i;

	cache_read_stats(c, &one);
	for (i = 0; i < BUFPOOL_NR_CLASSES; i++) {
		sum->hits[i] += one.hits[i];
		sum->misses[i] += one.misses[i];
		sum->frees[i] += one.frees[i];
		sum->flushed[i] += one.flushed[i];
		sum->filled[i] += one.filled[i];
	}
	sum->cached_bytes += one.cached_bytes;
	sum->trims += one.trims;
	sum->buf_recycled += one.buf_recycled;
	sum->buf_allocs += one.buf_allocs;
}

/* @counter += @v, for sums that may not fit an unsigned long. */
static void counter_absorb(u64_stats_t *counter, u64 v)
{
	u64_stats_set(counter, u64_stats_read(counter) + v);
}

/**
 * bufpool_cache_absorb() - add a retiring cache's counters to @dst's
 * @dst: the cache that keeps them (a pool's retired_cache)
 * @src: the retiring cache, flushed, its owner gone
 *
 * Context: the caller owns @dst (userspace: under world.lock, which its
 * readers take too).
 */
void bufpool_cache_absorb(struct bufpool_cache *dst, const struct bufpool_cache *src)
{
	struct bufpool_cache_stats one;
	int i;

	cache_read_stats(src, &one);
	u64_stats_update_begin(&dst->syncp);
	for (i = 0; i < BUFPOOL_NR_CLASSES; i++) {
		counter_absorb(&dst->st.hits[i], one.hits[i]);
		counter_absorb(&dst->st.misses[i], one.misses[i]);
		counter_absorb(&dst->st.frees[i], one.frees[i]);
		counter_absorb(&dst->st.flushed[i], one.flushed[i]);
		counter_absorb(&dst->st.filled[i], one.filled[i]);
	}
	counter_absorb(&dst->st.cached_bytes, one.cached_bytes);
	counter_absorb(&dst->st.trims, one.trims);
	counter_absorb(&dst->st.buf_recycled, one.buf_recycled);
	counter_absorb(&dst->st.buf_allocs, one.buf_allocs);
	u64_stats_update_end(&dst->syncp);
}

/**
 * bufpool_pool_alloc_bulk() - @n allocations of @size bytes
 * @pool: the pool
 * @size: bytes each
 * @gfp: allocation flags; __GFP_ZERO zeroes each
 * @n: how many
 * @ptrs: filled with @n pointers
 *
 * What the cache holds comes out under one entry into it; the rest as
 * misses (which refill in batches).  All or nothing, as
 * kmem_cache_alloc_bulk().
 *
 * Context: as bufpool_fast_alloc() with @gfp.
 * Return: @n, or 0 with nothing allocated.
 */
size_t bufpool_pool_alloc_bulk(struct bufpool *pool, size_t size, gfp_t gfp, size_t n,
			       void **ptrs)
{
	unsigned long flags;
	struct bufpool_cache *c;
	size_t i = 0, k;
	bool trim = false;
	u8 bin = BUFPOOL_NO_BIN;

	if (size <= pool->fast_max)
		bin = bufpool_size_bin(pool, size);
	if (bin != BUFPOOL_NO_BIN && n) {
		c = bufpool_cache_enter_bind(pool, &flags);
		if (c) {
			struct bufpool_cache_bin *b = &c->bins[bin];

			k = min_t(size_t, n, bufpool_bin_count(c, bin));
			bufpool_bin_pop_many(b, ptrs, k);
			i = k;
			bufpool_cache_count(c, &b->hits, k);
			if (c->trim_left <= k) {
				trim = pool->cfg.cache_trim_interval;
				c->trim_left = trim ? 1 : U32_MAX;
			} else {
				c->trim_left -= k;
			}
			bufpool_cache_leave(pool, flags);
		}
		if (trim)
			bufpool_cache_trim(pool, NULL);
		for (k = 0; k < i && (BUFPOOL_SANITIZE || bufpool_want_zero(gfp)); k++)
			bufpool_san_hand_out(ptrs[k], size, bufpool_bin_size(pool, bin),
					     bufpool_want_zero(gfp), gfp, true);
	}
	for (; i < n; i++) {
		ptrs[i] = bufpool_alloc_slow(pool, size, gfp);
		if (unlikely(!ptrs[i])) {
			bufpool_pool_free_bulk(pool, i, ptrs);
			return 0;
		}
	}
	return n;
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_alloc_bulk, BUFPOOL_INTERNAL);

/* The bin's count and counter, for the entries pushed up to @top. */
static __always_inline void free_bulk_commit(struct bufpool_cache *c, struct bufpool_cache_bin *b,
					     void **top)
{
	bufpool_cache_count(c, &b->frees, top - b->top);
	WRITE_ONCE(b->top, top);
}

/**
 * bufpool_pool_free_bulk() - free @n pointers
 * @pool: the pool
 * @n: how many
 * @ptrs: the pointers; NULL entries are skipped
 *
 * Each is checked as by bufpool_fast_free(); those the cache can take go
 * in under one entry into it, the others through the slow path.
 *
 * While it stays inside the cache, the loop keeps the page and the chunk
 * of the entry before (a cached entry keeps its page's bin and its chunk:
 * nothing frees them meanwhile), so a run of neighbours is looked up once,
 * and the bin's top in a register, its count written once.  Leaving the
 * cache for the slow path forgets all of it.
 *
 * Context: as bufpool_fast_free().
 */
void bufpool_pool_free_bulk(struct bufpool *pool, size_t n, void **ptrs)
{
	const uintptr_t page_size = pool->geo.page_size;
	const struct bufpool_bin_info *bi = &pool->bin_infos[0];	/* no page yet */
	struct bufpool_cache_bin *b = NULL;
	struct bufpool_chunk *chunk = NULL;
	unsigned long flags, key = ULONG_MAX;
	struct bufpool_cache *c = NULL;
	void **top = NULL, **end = NULL;
	uintptr_t page = 1;	/* none: an offset from it is >= page_size */
	unsigned int cur_bin = 0;	/* page_bin of @b; 0: none, outside the cache */
	size_t i;

	if (!pool->cache_max)	/* no caches: nothing to push to */
		goto slow_all;
	for (i = 0; i < n; i++) {
		void *ptr = ptrs[i];
		uintptr_t in_page;
		unsigned long mark;

		if (!ptr)
			continue;
		in_page = (uintptr_t)ptr - page;
		if (in_page >= page_size) {
			/* Another page: its chunk (the one before, mostly), its bin. */
			unsigned long ptr_key = (uintptr_t)ptr >> pool->geo.chunk_shift;
			unsigned int page_bin;
			uintptr_t off;

			if (ptr_key != key) {
				chunk = bufpool_chunk_find(pool, ptr);
				if (!chunk)
					goto slow;
				key = ptr_key;
			}
			off = (uintptr_t)ptr & pool->geo.chunk_mask;
			page_bin = READ_ONCE(chunk->page_key[off >> pool->geo.page_shift]) /
				   BUFPOOL_BIN_KEY_SCALE;
			in_page = (uintptr_t)ptr & pool->geo.page_mask;
			page = (uintptr_t)ptr - in_page;
			if (page_bin != cur_bin) {	/* runs of one size: not again */
				if (!page_bin)
					goto slow;
				if (!c) {
					c = bufpool_cache_enter_bind(pool, &flags);
					if (!c)
						goto slow;
				}
				if (b)
					free_bulk_commit(c, b, top);
				b = &c->bins[page_bin - 1];
				top = b->top;
				end = b->limit;
				bi = &pool->bin_infos[page_bin];
				cur_bin = page_bin;
			}
		}
		/*
		 * bufpool_fast_locate() and bufpool_fast_push(), page in hand.
		 * A page's offset 0 starts its first element or its run in
		 * every bin: no multiply for runs, which start nowhere else.
		 */
		mark = bufpool_cache_mark(pool, ptr);
		if (unlikely((in_page && !bufpool_bin_elem_start(bi, in_page)) ||
			     bufpool_san_read_word(ptr) == mark || top == end))
			goto slow;
		bufpool_san_take_back(ptr, bufpool_bin_size(pool, cur_bin - 1));
		bufpool_san_write_word(ptr, mark);
		*top++ = ptr;
		continue;
slow:
		/* Checked in full there: refused, or into a full bin's place. */
		if (b)
			free_bulk_commit(c, b, top);
		if (c)
			bufpool_cache_leave(pool, flags);
		b = NULL;
		c = NULL;
		cur_bin = 0;
		key = ULONG_MAX;	/* the slow path may release a chunk */
		page = 1;
		bi = &pool->bin_infos[0];
		bufpool_free_slow(pool, ptr);
	}
	if (b)
		free_bulk_commit(c, b, top);
	if (c)
		bufpool_cache_leave(pool, flags);
	return;
slow_all:
	for (i = 0; i < n; i++) {
		if (ptrs[i])
			bufpool_free_slow(pool, ptrs[i]);
	}
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_free_bulk, BUFPOOL_INTERNAL);
