// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - per-CPU (kernel) / per-thread (userspace) caches in front of
 * the arenas (Netty's PoolThreadCache and MemoryRegionCache).
 *
 * A cache has one bin per cacheable size: each tiny and small class and the
 * normal sizes up to max_cached_capacity.  A bin is a stack of allocations
 * that were freed by its owner and are still allocated in their chunk, so
 * the hit path takes no arena lock: pop on allocation, push on free.  The
 * world gives the caller its cache (bufpool_cache_get/put): with bottom
 * halves off on the current CPU in the kernel, from thread-local storage in
 * userspace; nobody else touches it except the pool's destroy.
 *
 * The hit path takes no lock and no LOCK-prefixed instruction: the cache
 * is the caller's alone, its counters are plain stores, and misuse stays
 * detected without atomics.  A cached allocation holds a mark in its first
 * word, bufpool_cache_mark(): a second free of it finds the mark, a free
 * of memory that is not allocated finds the bitmap bit clear, a pointer
 * that is not the start of an allocation finds no page bin or the wrong
 * offset; all of these are refused (the last two by the locked slow path).
 * Two frees of one pointer racing on two CPUs may both pass (as in SLUB):
 * that is a race in the caller, and the mark does not claim to catch it.
 *
 * Trim (Netty semantics): every cache_trim_interval allocations through a
 * cache, each bin keeps as many entries as it served since the last trim
 * and gives the rest back, oldest first; also when cache_trim_interval_ms
 * has passed, checked on a miss.  Entries go back through the slow path.
 *
 * Lock order: the caller's cache is held (bufpool_cache_get()) while a
 * flush takes arena locks, never the other way round.
 */
#include "bufpool_internal.h"

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

static size_t bin_size(const struct bufpool *pool, int bin)
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
 * bufpool_cache_setup() - bin capacities from the pool's configuration
 * @pool: the pool, config checked
 *
 * Context: pool not yet shared.
 */
void bufpool_cache_setup(struct bufpool *pool)
{
	const struct bufpool_config *cfg = &pool->cfg;
	size_t max = min_t(size_t, cfg->max_cached_capacity, pool->geo.chunk_size);
	int bin;

	pool->cache_max = 0;
	pool->cache_cookie = get_random_long();
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
		size_t size = bin_size(pool, bin);
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
		if (n && size > pool->cache_max)
			pool->cache_max = size;
	}
}

/**
 * bufpool_cache_init() - an empty cache
 * @c: the cache
 * @pool: its pool
 *
 * Context: not yet shared.
 */
void bufpool_cache_init(struct bufpool_cache *c, struct bufpool *pool)
{
	int bin;

	memset(c, 0, sizeof(*c));
	c->pool = pool;
	c->last_trim_ms = bufpool_now_ms();
	INIT_LIST_HEAD(&c->node);
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++)
		c->bins[bin].size = pool->cache_sizes[bin];
}

static void cache_add(u64 *counter, u64 n)
{
	WRITE_ONCE(*counter, *counter + n);	/* owner-only; stats read it */
}

/*
 * Free @n entries to their arenas, taking each arena lock once per run of
 * entries from the same arena rather than once per entry.  Chunks that
 * become empty are released after the last unlock.
 */
static void cache_free_batch(struct bufpool *pool, struct bufpool_cache_entry *e, u32 n)
{
	struct bufpool_arena *held = NULL;
	struct bufpool_chunk *chunk, *tmp;
	LIST_HEAD(released);
	u32 i;

	for (i = 0; i < n; i++) {
		const void *ptr = e[i].ptr;
		struct bufpool_arena *arena;

		WRITE_ONCE(*(unsigned long *)ptr, 0);	/* leaves the cache */
		chunk = bufpool_chunk_table_find_rcu(pool, ptr);
		arena = chunk ? READ_ONCE(chunk->arena) : NULL;
		if (arena != held) {
			if (held)
				spin_unlock_bh(&held->lock);
			held = arena;
			if (held)
				bufpool_arena_lock(held);
		}
		if (!chunk || !bufpool_chunk_live(chunk, held, ptr) ||
		    bufpool_arena_free_locked(chunk, ptr) < 0) {
			/* Not as cached: let the careful path decide and report. */
			if (held)
				spin_unlock_bh(&held->lock);
			held = NULL;
			bufpool_pool_free_slow(pool, ptr);
			continue;
		}
		if (!READ_ONCE(chunk->list))	/* emptied on q000 */
			list_add(&chunk->list_node, &released);
	}
	if (held)
		spin_unlock_bh(&held->lock);
	list_for_each_entry_safe(chunk, tmp, &released, list_node) {
		list_del_init(&chunk->list_node);
		bufpool_chunk_release(pool, chunk);
	}
}

/* Give the @n oldest entries of @bin back to their arenas. */
static noinline void cache_flush_bin(struct bufpool_cache *c, int bin, u32 n)
{
	struct bufpool_cache_bin *b = &c->bins[bin];
	enum bufpool_class cls = bin_class(bin);

	if (n > b->count)
		n = b->count;
	if (!n)
		return;
	/*
	 * Count first: a concurrent stats reader then sees these entries as
	 * neither cached nor freed to their arena yet (active briefly high),
	 * never as both (frees above allocations).
	 */
	cache_add(&c->st.flushed[cls], n);
	cache_add(&c->st.cached_bytes, -(u64)n * bin_size(c->pool, bin));
	cache_free_batch(c->pool, b->entries, n);
	memmove(b->entries, b->entries + n, (b->count - n) * sizeof(*b->entries));
	b->count -= n;
}

/**
 * bufpool_cache_flush_all() - give every cached entry back
 * @c: the cache, held by the caller
 *
 * Context: the caller owns @c; takes arena locks.
 */
void bufpool_cache_flush_all(struct bufpool_cache *c)
{
	int bin;

	bufpool_recycler_drain(c);	/* descriptors are pool allocations */
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++)
		cache_flush_bin(c, bin, c->bins[bin].count);
}

/**
 * bufpool_cache_release() - flush @c and free its bins
 * @c: the cache, no longer reachable by its owner
 *
 * Context: may sleep.
 */
void bufpool_cache_release(struct bufpool_cache *c)
{
	int bin;

	bufpool_cache_flush_all(c);
	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
		kfree(c->bins[bin].entries);
		c->bins[bin].entries = NULL;
	}
}

/**
 * bufpool_cache_trim() - keep per bin what it served since the last trim
 * @c: the cache, held by the caller
 *
 * Context: the caller owns @c; takes arena locks.
 */
void bufpool_cache_trim(struct bufpool_cache *c)
{
	int bin;

	for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++) {
		struct bufpool_cache_bin *b = &c->bins[bin];

		if (b->count > b->allocations)
			cache_flush_bin(c, bin, b->count - b->allocations);
		b->allocations = 0;
	}
	c->allocations = 0;
	c->last_trim_ms = bufpool_now_ms();
	cache_add(&c->st.trims, 1);
}

static noinline void cache_maybe_trim(struct bufpool_cache *c, bool miss)
{
	const struct bufpool_config *cfg = &c->pool->cfg;

	if (cfg->cache_trim_interval && c->allocations >= cfg->cache_trim_interval)
		bufpool_cache_trim(c);
	else if (miss && cfg->cache_trim_interval_ms &&
		 bufpool_now_ms() - c->last_trim_ms >= cfg->cache_trim_interval_ms)
		bufpool_cache_trim(c);
}

static bool cache_bin_ready(struct bufpool_cache_bin *b)
{
	if (likely(b->entries))
		return true;
	b->entries = kmalloc_array(b->size, sizeof(*b->entries), GFP_ATOMIC | __GFP_NOWARN);
	return b->entries;
}

/**
 * bufpool_cache_alloc() - the fast path: a cached allocation of @norm bytes
 * @pool: the pool
 * @norm: normalized size, at most pool->cache_max
 *
 * Context: any the pool may be used in.
 * Return: the memory, or NULL on a miss (the caller goes to the arena).
 */
void *bufpool_cache_alloc(struct bufpool *pool, size_t norm)
{
	int bin = bufpool_cache_bin(pool, norm);
	struct bufpool_cache *c;
	struct bufpool_cache_bin *b;
	void *ptr = NULL;

	if (bin < 0)
		return NULL;
	c = bufpool_cache_get(pool);
	if (unlikely(!c))
		return NULL;
	b = &c->bins[bin];
	if (likely(b->count)) {
		ptr = b->entries[--b->count].ptr;
		WRITE_ONCE(*(unsigned long *)ptr, 0);	/* leaves the cache */
		b->allocations++;
		cache_add(&c->st.hits[bin_class(bin)], 1);
		cache_add(&c->st.cached_bytes, -(u64)norm);
	} else {
		cache_add(&c->st.misses[bin_class(bin)], 1);
	}
	c->allocations++;
	if (unlikely((pool->cfg.cache_trim_interval &&
		      c->allocations >= pool->cfg.cache_trim_interval) ||
		     (!ptr && pool->cfg.cache_trim_interval_ms)))
		cache_maybe_trim(c, !ptr);
	bufpool_cache_put(pool, c);
	return ptr;
}

/*
 * The cache bin of @ptr, if @ptr is the start of a live cacheable
 * allocation of @chunk.  Lockless: the page bin and bitmap of a live
 * allocation cannot change under its owner; anything doubtful says no and
 * leaves the verdict to the locked slow path.
 */
static int cache_locate(struct bufpool *pool, struct bufpool_chunk *chunk,
			const void *ptr)
{
	const struct bufpool_geometry *geo = &pool->geo;
	size_t offset = (const char *)ptr - (const char *)READ_ONCE(chunk->base);
	unsigned int page = offset >> geo->page_shift;
	unsigned int in_page = offset & (geo->page_size - 1);
	int bin = (int)READ_ONCE(chunk->page_bin[page]) - 1;
	struct bufpool_subpage *sp;
	unsigned int idx;
	size_t size;

	if (bin < 0 || !READ_ONCE(chunk->list))
		return -1;
	size = bin_size(pool, bin);
	if (size >= geo->page_size)
		return in_page ? -1 : bin;
	sp = bufpool_chunk_subpage(chunk, page);
	idx = in_page / size;
	if (in_page % size || idx >= geo->page_size / size ||
	    !(READ_ONCE(sp->bitmap[idx / 64]) & (1ULL << (idx % 64))))
		return -1;
	return bin;
}

/**
 * bufpool_cache_free() - the fast path: keep a freed allocation in the cache
 * @pool: the pool
 * @ptr: what is being freed
 *
 * Context: any the pool may be used in.
 * Return: true if @ptr was taken care of (cached, or refused as a double
 * free of a cached allocation); false to go the slow path.
 */
bool bufpool_cache_free(struct bufpool *pool, const void *ptr)
{
	struct bufpool_chunk *chunk = bufpool_chunk_table_find_rcu(pool, ptr);
	struct bufpool_cache_bin *b;
	struct bufpool_cache *c;
	int bin;

	/* Chunk metadata is never freed while the pool lives: safe to read. */
	if (!chunk)
		return false;
	bin = cache_locate(pool, chunk, ptr);
	if (bin < 0)
		return false;
	if (unlikely(bufpool_cache_marked(pool, ptr))) {
		bufpool_pool_refuse(pool, ptr, BUFPOOL_MISUSE_DOUBLE_FREE);
		return true;
	}
	c = bufpool_cache_get(pool);
	if (unlikely(!c))
		return false;
	b = &c->bins[bin];
	if (unlikely(!cache_bin_ready(b)))
		goto slow;
	if (unlikely(b->count == b->size))
		cache_flush_bin(c, bin, b->size / 2 ? b->size / 2 : 1);
	WRITE_ONCE(*(unsigned long *)ptr, bufpool_cache_mark(pool, ptr));
	b->entries[b->count++].ptr = (void *)ptr;
	cache_add(&c->st.frees[bin_class(bin)], 1);
	cache_add(&c->st.cached_bytes, bin_size(pool, bin));
	bufpool_cache_put(pool, c);
	return true;
slow:
	bufpool_cache_put(pool, c);
	return false;
}

/**
 * bufpool_cache_add_stats() - add @c's counters to @sum
 * @sum: the running total
 * @c: a cache
 *
 * Context: any; the owner may be updating @c (each counter is read once).
 */
void bufpool_cache_add_stats(struct bufpool_cache_stats *sum, const struct bufpool_cache *c)
{
	int i;

	for (i = 0; i < BUFPOOL_NR_CLASSES; i++) {
		sum->hits[i] += READ_ONCE(c->st.hits[i]);
		sum->misses[i] += READ_ONCE(c->st.misses[i]);
		sum->frees[i] += READ_ONCE(c->st.frees[i]);
		sum->flushed[i] += READ_ONCE(c->st.flushed[i]);
	}
	sum->cached_bytes += READ_ONCE(c->st.cached_bytes);
	sum->trims += READ_ONCE(c->st.trims);
	sum->buf_recycled += READ_ONCE(c->st.buf_recycled);
}
