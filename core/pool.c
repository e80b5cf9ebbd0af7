// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * pool.c - a pool: validation of its configuration, its arenas, and the
 * entry points both worlds wrap (kmod/main.c, user/bufpool.c).
 *
 * Free by pointer: the chunk table says which chunk, if any, contains the
 * pointer; the chunk's buddy tree and bitmaps say whether it is the start of
 * a live allocation.  A pointer in no chunk may be a huge allocation; if it
 * is not that either, it is misuse.  Misuse is counted here and reported by
 * the world's bufpool_misuse() with no lock held.
 *
 * Locks: each arena lock, the huge lock and the table lock alone (the
 * lookup of a pointer takes none); the order is in design.rst.
 */
#include "geometry.h"
#include "chunk.h"
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "leak.h"
#include "buf_internal.h"
#include "world.h"
#include "fastpath.h"

#define BUFPOOL_KNOWN_FLAGS	(BUFPOOL_F_MISUSE_COUNT | BUFPOOL_F_LEAK_REPORT_AT_EXIT)

/**
 * bufpool_config_check() - validate a configuration
 * @cfg: the configuration
 * @why: on failure, one line naming the field, its value and what is accepted
 * @len: size of @why
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
int bufpool_config_check(const struct bufpool_config *cfg, char *why, size_t len)
{
	struct bufpool_geometry geo;
	int ret;

	ret = bufpool_geometry_init(&geo, cfg->page_size, cfg->max_order,
				    bufpool_chunk_max(), why, len);
	if (ret)
		return ret;
	if (cfg->nr_arenas > BUFPOOL_NR_ARENAS_MAX) {
		scnprintf(why, len, "nr_arenas=%u invalid: must be in 0..%u (0 = one per CPU)",
			  cfg->nr_arenas, BUFPOOL_NR_ARENAS_MAX);
		return -EINVAL;
	}
	if (cfg->flags & ~BUFPOOL_KNOWN_FLAGS) {
		scnprintf(why, len, "flags=%#x invalid: known flags are %#x",
			  cfg->flags, BUFPOOL_KNOWN_FLAGS);
		return -EINVAL;
	}
	if (cfg->max_cached_capacity > (size_t)cfg->page_size << (BUFPOOL_CACHE_NORMAL_BINS - 1)) {
		scnprintf(why, len, "max_cached_capacity=%u invalid: must be in 0..%zu (page_size << %u)",
			  cfg->max_cached_capacity,
			  (size_t)cfg->page_size << (BUFPOOL_CACHE_NORMAL_BINS - 1),
			  BUFPOOL_CACHE_NORMAL_BINS - 1);
		return -EINVAL;
	}
	if (cfg->buf_recycler_size > BUFPOOL_BUF_RECYCLER_MAX) {
		scnprintf(why, len, "buf_recycler_size=%u invalid: must be in 0..%u (0 = %u)",
			  cfg->buf_recycler_size, BUFPOOL_BUF_RECYCLER_MAX,
			  BUFPOOL_BUF_RECYCLER_DEFAULT);
		return -EINVAL;
	}
	if (cfg->leak_detection >= BUFPOOL_NR_LEAK_LEVELS) {
		scnprintf(why, len, "leak_detection=%u invalid: must be 0 (simple), 1 (disabled), 2 (advanced) or 3 (paranoid)",
			  cfg->leak_detection);
		return -EINVAL;
	}
	if (cfg->leak_sample_rate > (1u << 20)) {
		scnprintf(why, len, "leak_sample_rate=%u invalid: must be in 0..%u (0 = %u)",
			  cfg->leak_sample_rate, 1u << 20, BUFPOOL_LEAK_SAMPLE_DEFAULT);
		return -EINVAL;
	}
	if (cfg->tiny_cache_size > BUFPOOL_CACHE_SIZE_MAX ||
	    cfg->small_cache_size > BUFPOOL_CACHE_SIZE_MAX ||
	    cfg->normal_cache_size > BUFPOOL_CACHE_SIZE_MAX) {
		scnprintf(why, len, "cache sizes %u/%u/%u invalid: each must be in 0..%u",
			  cfg->tiny_cache_size, cfg->small_cache_size,
			  cfg->normal_cache_size, BUFPOOL_CACHE_SIZE_MAX);
		return -EINVAL;
	}
	if (cfg->cache_refill > BUFPOOL_REFILL_MAX) {
		scnprintf(why, len, "cache_refill=%u invalid: must be in 0..%u (0 = a quarter of the bin, at most %u)",
			  cfg->cache_refill, BUFPOOL_REFILL_MAX, BUFPOOL_REFILL_MAX);
		return -EINVAL;
	}
	if (cfg->name && (!cfg->name[0] || strlen(cfg->name) >= BUFPOOL_NAME_MAX ||
			  strchr(cfg->name, '/'))) {
		scnprintf(why, len, "name invalid: must be 1..%d characters without '/'",
			  BUFPOOL_NAME_MAX - 1);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(bufpool_config_check, BUFPOOL_INTERNAL);

/**
 * bufpool_pool_create() - a pool with no chunks yet
 * @cfg: a configuration; checked here, @cfg->name is copied
 * @why: for a bad @cfg, the reason (see bufpool_config_check())
 * @len: size of @why
 *
 * Context: may sleep.
 * Return: the pool, ERR_PTR(-EINVAL) for a bad @cfg, or ERR_PTR(-ENOMEM).
 */
struct bufpool *bufpool_pool_create(const struct bufpool_config *cfg,
				    char *why, size_t len)
{
	struct bufpool *pool;
	unsigned int i;
	int ret;

	ret = bufpool_config_check(cfg, why, len);
	if (ret)
		return ERR_PTR(ret);
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	strscpy(pool->name, cfg->name ? cfg->name : "pool", sizeof(pool->name));
	pool->cfg = *cfg;
	pool->cfg.name = pool->name;
	bufpool_geometry_init(&pool->geo, cfg->page_size, cfg->max_order,
			      bufpool_chunk_max(), why, len);
	pool->nr_arenas = cfg->nr_arenas ? cfg->nr_arenas : bufpool_default_nr_arenas();
	pool->cfg.nr_arenas = pool->nr_arenas;
	/* Up to 1024 arenas of a few cache lines each: kvcalloc, not kcalloc. */
	pool->arenas = kvcalloc(pool->nr_arenas, sizeof(*pool->arenas), GFP_KERNEL);
	if (!pool->arenas)
		goto err_pool;
	for (i = 0; i < pool->nr_arenas; i++)
		bufpool_arena_init(&pool->arenas[i], pool, i);
	if (bufpool_chunk_table_init(pool))
		goto err_table;
	bufpool_huge_init(&pool->huge);
	bufpool_cache_setup(pool);
	for (i = 0; i < pool->nr_arenas; i++)
		if (bufpool_arena_xfer_init(&pool->arenas[i]))
			goto err_table;
	pool->leak_level = cfg->leak_detection;
	pool->leak_sample_rate = cfg->leak_sample_rate ? cfg->leak_sample_rate :
				 BUFPOOL_LEAK_SAMPLE_DEFAULT;
	bufpool_cache_init(&pool->retired_cache, pool);
	atomic_long_set(&pool->invalid_frees, 0);
	atomic_long_set(&pool->shrinker_scans, 0);
	atomic_long_set(&pool->shrinker_freed, 0);
	atomic_long_set(&pool->chunks_unmapped, 0);
	atomic_long_set(&pool->empty_chunks, 0);
	atomic_long_set(&pool->shrink_credit, 0);
	atomic_long_set(&pool->purge_ms, (long)bufpool_now_ms());
	pool->buf_recycler_max = cfg->buf_recycler_size ? cfg->buf_recycler_size :
				 BUFPOOL_BUF_RECYCLER_DEFAULT;
	spin_lock_init(&pool->buf_desc_lock);
	spin_lock_init(&pool->leak_lock);
	INIT_LIST_HEAD(&pool->leaks);
	if (bufpool_world_init(pool))
		goto err_table;
	return pool;

err_table:
	bufpool_chunk_table_destroy(pool);
	for (i = 0; i < pool->nr_arenas; i++)
		kvfree(pool->arenas[i].xfer_mem);
	kvfree(pool->arenas);
err_pool:
	kfree(pool);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_create, BUFPOOL_INTERNAL);

static void cache_release(struct bufpool_cache *c, void *unused)
{
	bufpool_cache_release(c);
}

/**
 * bufpool_pool_flush_caches() - give every cache's entries back, free bins
 * @pool: the pool; no other caller may use it any more
 *
 * The arenas' transfer stacks are drained too: everything cached is back
 * in the bitmaps.
 *
 * Context: may sleep.
 */
void bufpool_pool_flush_caches(struct bufpool *pool)
{
	bufpool_cache_for_each(pool, cache_release, NULL);
	bufpool_buf_descs_trim(pool);	/* not live: what caches drained */
	bufpool_cache_xfer_drain(pool, true);
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_flush_caches, BUFPOOL_INTERNAL);

/**
 * bufpool_pool_destroy() - release every chunk and huge allocation
 * @pool: the pool; no other caller may use it any more
 *
 * Live allocations are freed with it; report them first if that matters
 * (bufpool_report_live()).
 *
 * Context: may sleep.
 */
void bufpool_pool_destroy(struct bufpool *pool)
{
	unsigned int i;

	bufpool_pool_flush_caches(pool);
	bufpool_leak_destroy(pool);	/* leaked buffers go with the chunks */
	bufpool_world_exit(pool);
	for (i = 0; i < pool->nr_arenas; i++)
		bufpool_arena_destroy(&pool->arenas[i]);
	bufpool_huge_destroy(pool);
	bufpool_chunk_table_destroy(pool);
	kvfree(pool->arenas);
	kfree(pool);
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_destroy, BUFPOOL_INTERNAL);

/**
 * bufpool_pool_alloc() - allocate @size bytes
 * @pool: the pool
 * @size: bytes; 0 is served as the smallest class
 * @gfp: allocation flags; __GFP_ZERO zeroes the usable size
 *
 * The out-of-line form of bufpool_fast_alloc(), for the core's own users
 * (buffers, /dev/bufpool); the exported bufpool_alloc() inlines it.
 *
 * Context: may sleep if @gfp allows.
 * Return: the memory, or NULL.
 */
void *bufpool_pool_alloc(struct bufpool *pool, size_t size, gfp_t gfp)
{
	return bufpool_fast_alloc(pool, size, gfp);
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_alloc, BUFPOOL_INTERNAL);

/**
 * bufpool_pool_request_size() - what a request of @size would get
 * @pool: the pool
 * @size: bytes
 *
 * Context: any.
 * Return: the usable size bufpool_pool_alloc() would hand out for @size,
 * or 0 if no allocation can be that large.
 */
size_t bufpool_pool_request_size(const struct bufpool *pool, size_t size)
{
	size_t norm = bufpool_normalize(&pool->geo, size);

	return norm > pool->geo.chunk_size ? bufpool_huge_round(size) : norm;
}

/**
 * bufpool_misuse_what() - what a refused free was, in words
 * @kind: the misuse
 *
 * Context: any.
 * Return: a static string, the same in both worlds' messages.
 */
const char *bufpool_misuse_what(enum bufpool_misuse_kind kind)
{
	static const char *const what[] = {
		[BUFPOOL_MISUSE_FOREIGN] = "pointer not allocated from this pool (or freed twice)",
		[BUFPOOL_MISUSE_INTERIOR] = "pointer inside an allocation, not at its start",
		[BUFPOOL_MISUSE_DOUBLE_FREE] = "double free detected",
	};

	return kind < ARRAY_SIZE(what) ? what[kind] : "?";
}

/**
 * bufpool_pool_refuse() - count and report a refused free
 * @pool: the pool
 * @ptr: the pointer
 * @kind: what was wrong
 *
 * Context: no bufpool lock held.
 */
void bufpool_pool_refuse(struct bufpool *pool, const void *ptr,
			 enum bufpool_misuse_kind kind)
{
	atomic_long_inc(&pool->invalid_frees);
	bufpool_misuse(pool, ptr, kind);
}

/**
 * bufpool_pool_free() - free what bufpool_pool_alloc() returned
 * @pool: the pool
 * @ptr: the pointer; NULL is a no-op
 *
 * A pointer the pool did not hand out, one inside an allocation, or one
 * already freed is refused: counted in invalid_frees, reported by
 * bufpool_misuse(), memory untouched.  Cacheable sizes go to the caller's
 * cache when it has room.
 *
 * Context: may sleep (a chunk or huge allocation may be unmapped).
 */
void bufpool_pool_free(struct bufpool *pool, const void *ptr)
{
	if (ptr)
		bufpool_fast_free(pool, ptr);
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_free, BUFPOOL_INTERNAL);

/* Unmap a chunk on no list, retire its metadata. */
static void chunk_unmap(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	bufpool_chunk_table_remove(pool, chunk);
	bufpool_chunk_destroy(chunk);
	bufpool_chunk_table_retire(pool, chunk);
	atomic_long_inc(&pool->chunks_unmapped);
}

/**
 * bufpool_pool_unmapped() - chunks given back to the page source so far
 * @pool: the pool
 *
 * A trim, a drain and the shrinker release chunks on several paths (a
 * cache flush empties some, the trim itself others, retained ones age
 * out): what one of them gave back is the difference of this count.
 *
 * Context: any.
 * Return: the count.
 */
unsigned long bufpool_pool_unmapped(struct bufpool *pool)
{
	return atomic_long_read(&pool->chunks_unmapped);
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_unmapped, BUFPOOL_INTERNAL);

/* Take @arena's retained chunks emptied before @before_ms onto @out. */
static void arena_take_retained(struct bufpool_arena *arena, u64 before_ms,
				struct list_head *out)
{
	struct bufpool_chunk *chunk, *tmp;

	/* Newest first: the old ones are at the tail. */
	list_for_each_entry_safe_reverse(chunk, tmp, &arena->retained, list_node) {
		if (chunk->retained_ms >= before_ms)
			break;
		list_move(&chunk->list_node, out);
		WRITE_ONCE(arena->nr_retained, arena->nr_retained - 1);
	}
}

static int unmap_list(struct bufpool *pool, struct list_head *head)
{
	struct bufpool_chunk *chunk, *tmp;
	int n = 0;

	list_for_each_entry_safe(chunk, tmp, head, list_node) {
		list_del_init(&chunk->list_node);
		chunk_unmap(pool, chunk);
		n++;
	}
	return n;
}

/**
 * bufpool_arena_release_retained() - unmap retained chunks emptied before a time
 * @arena: the arena
 * @before_ms: bufpool_now_ms() bound; U64_MAX for all of them
 *
 * Context: no bufpool lock held; may sleep in process context.
 * Return: the number of chunks unmapped.
 */
int bufpool_arena_release_retained(struct bufpool_arena *arena, u64 before_ms)
{
	unsigned long irqflags;
	LIST_HEAD(old);

	if (!READ_ONCE(arena->nr_retained))
		return 0;
	spin_lock_irqsave(&arena->lock, irqflags);
	arena_take_retained(arena, before_ms, &old);
	spin_unlock_irqrestore(&arena->lock, irqflags);
	return unmap_list(arena->pool, &old);
}

/* bufpool_now_ms() bound: chunks retained before it are too old to keep. */
static u64 retention_cutoff(const struct bufpool *pool, u64 now)
{
	return now - min_t(u64, now, pool->cfg.chunk_retention_ms);
}

/*
 * Give back the pages of the subpages the arenas kept entirely free for at
 * least @age_ms (U32_MAX: all of them), and release the chunks that empties.
 */
static void release_kept_subpages(struct bufpool *pool, u32 age_ms)
{
	struct bufpool_chunk *chunk, *tmp;
	unsigned long irqflags;
	LIST_HEAD(released);
	unsigned int i;

	for (i = 0; i < pool->nr_arenas; i++) {
		struct bufpool_arena *arena = &pool->arenas[i];

		if (!READ_ONCE(arena->nr_empty_subpages))
			continue;
		spin_lock_irqsave(&arena->lock, irqflags);
		bufpool_arena_release_kept(arena, age_ms, &released);
		spin_unlock_irqrestore(&arena->lock, irqflags);
	}
	list_for_each_entry_safe(chunk, tmp, &released, list_node) {
		list_del_init(&chunk->list_node);
		bufpool_chunk_release(pool, chunk);
	}
}

/*
 * One purge pass per chunk_retention_ms, made by the first decay that finds
 * it due: a pass purges what stayed free since the pass before, so free
 * pages go back after one to two retention periods unused.
 */
static bool purge_due(struct bufpool *pool)
{
	long last = atomic_long_read(&pool->purge_ms), now = (long)bufpool_now_ms();

	if ((unsigned long)(now - last) < pool->cfg.chunk_retention_ms)
		return false;
	return atomic_long_try_cmpxchg(&pool->purge_ms, &last, now);
}

/**
 * bufpool_pool_decay() - unmap the chunks retained longer than chunk_retention_ms
 * @pool: the pool
 *
 * Called at each cache trim (and on every chunk release, for its arena),
 * so that retained memory goes back while the pool is in use.  First, what
 * the arenas kept for refills and no refill took since the decay before
 * goes back to their bitmaps (bufpool_cache_xfer_drain()), and subpages
 * kept entirely free longer than chunk_retention_ms give their pages back
 * (bufpool_arena_keep_subpage()).  Last, where the page source can, the
 * pages of chunks in use that stayed free since the last pass go back to
 * the system (bufpool_arena_purge()): in every arena once per
 * chunk_retention_ms, and in between in an arena whose free pages that may
 * be resident exceed its share of the pages in use.  With
 * chunk_retention_ms 0 (Netty's behaviour) it only drains.
 *
 * Context: no bufpool lock held; not inside a cache.
 */
void bufpool_pool_decay(struct bufpool *pool)
{
	unsigned int i;
	u64 cutoff;

	bufpool_cache_xfer_drain(pool, false);
	if (!pool->cfg.chunk_retention_ms)
		return;
	release_kept_subpages(pool, min_t(u32, pool->cfg.chunk_retention_ms, U32_MAX - 1));
	cutoff = retention_cutoff(pool, bufpool_now_ms());
	for (i = 0; i < pool->nr_arenas; i++)
		bufpool_arena_release_retained(&pool->arenas[i], cutoff);
	if (bufpool_chunk_memory_purgeable()) {
		enum bufpool_purge how = purge_due(pool) ? BUFPOOL_PURGE_AGED :
							   BUFPOOL_PURGE_EXCESS;

		for (i = 0; i < pool->nr_arenas; i++)
			bufpool_arena_purge(&pool->arenas[i], how);
	}
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_decay, BUFPOOL_INTERNAL);

/**
 * bufpool_chunk_release() - an emptied chunk: retain it or unmap it
 * @pool: the pool
 * @chunk: off every list (chunk->list NULL), its arena unlocked
 *
 * With chunk_retention_ms, the chunk stays mapped and in the chunk map on
 * its arena's retained list, to serve the next chunk the arena needs
 * before a new one is mapped (jemalloc's retained extents); chunks retained
 * longer than chunk_retention_ms go now.  Without it (Netty), the chunk is
 * removed from the map, unmapped and its metadata retired for reuse.
 *
 * Context: no bufpool lock held; may sleep in process context.
 */
void bufpool_chunk_release(struct bufpool *pool, struct bufpool_chunk *chunk)
{
	unsigned long irqflags;
	struct bufpool_arena *arena = chunk->arena;
	LIST_HEAD(old);
	u64 now;

	if (!pool->cfg.chunk_retention_ms) {
		chunk_unmap(pool, chunk);
		return;
	}
	now = bufpool_now_ms();
	spin_lock_irqsave(&arena->lock, irqflags);
	arena_take_retained(arena, retention_cutoff(pool, now), &old);
	chunk->retained_ms = now;
	list_add(&chunk->list_node, &arena->retained);
	WRITE_ONCE(arena->nr_retained, arena->nr_retained + 1);
	spin_unlock_irqrestore(&arena->lock, irqflags);
	unmap_list(pool, &old);
}

/**
 * bufpool_pool_free_slow() - free @ptr to its arena (or as a huge allocation)
 * @pool: the pool
 * @ptr: the pointer, not NULL
 *
 * Context: may sleep in process context; callable with bottom halves off.
 */
void bufpool_pool_free_slow(struct bufpool *pool, const void *ptr)
{
	struct bufpool_chunk *chunk = bufpool_chunk_find(pool, ptr);
	struct bufpool_arena *arena;
	int ret;

	if (!chunk)
		goto not_pooled;
	arena = READ_ONCE(chunk->arena);
	bufpool_arena_lock(arena);
	if (!bufpool_chunk_live(chunk, arena, ptr)) {
		bufpool_arena_unlock(arena);
		goto not_pooled;
	}
	if (BUFPOOL_SANITIZE) {	/* checkers hear of it while it is still ours */
		size_t usable;
		u64 handle;

		if (!bufpool_chunk_resolve(chunk, ptr, &handle, &usable))
			bufpool_san_take_back(ptr, usable);
	}
	ret = bufpool_arena_free_locked(chunk, ptr);
	bufpool_arena_unlock(arena);
	if (likely(ret == 0))
		return;
	if (ret == 1) {
		bufpool_chunk_release(pool, chunk);
		return;
	}
	bufpool_pool_refuse(pool, ptr, ret == -EINVAL ? BUFPOOL_MISUSE_INTERIOR :
							BUFPOOL_MISUSE_DOUBLE_FREE);
	return;
not_pooled:
	if (bufpool_huge_free(pool, ptr))
		bufpool_pool_refuse(pool, ptr, BUFPOOL_MISUSE_FOREIGN);
}

/*
 * Entirely free subpages kept for their size (doNotDestroy) give their page
 * back; chunks that end up empty go onto @out.
 */
static void arena_trim_subpages(struct bufpool_arena *arena, struct list_head *head,
				struct list_head *out)
{
	struct bufpool_subpage *sp, *tmp;

	list_for_each_entry_safe(sp, tmp, head, node)
		if (sp->num_avail == sp->max_elems)
			bufpool_arena_release_subpage(arena, sp, out);
}

/* Take the empty chunks of @arena off its lists, onto @out. */
static void arena_take_empty(struct bufpool_arena *arena, struct list_head *out)
{
	unsigned long irqflags;
	struct bufpool_chunk *chunk, *tmp;
	unsigned int i;

	spin_lock_irqsave(&arena->lock, irqflags);
	bufpool_arena_release_kept(arena, U32_MAX, out);
	for (i = 0; i < BUFPOOL_NR_TINY_POOLS; i++)
		arena_trim_subpages(arena, &arena->tiny_pools[i], out);
	for (i = 0; i < BUFPOOL_NR_SMALL_POOLS_MAX; i++)
		arena_trim_subpages(arena, &arena->small_pools[i], out);
	for (i = 0; i < BUFPOOL_NR_QLISTS; i++) {
		list_for_each_entry_safe(chunk, tmp, &arena->lists[i].chunks, list_node) {
			if (chunk->free_bytes != arena->pool->geo.chunk_size)
				continue;
			list_move(&chunk->list_node, out);
			WRITE_ONCE(chunk->list, NULL);
			arena->nr_chunks--;
		}
	}
	spin_unlock_irqrestore(&arena->lock, irqflags);
}

/* What @pool's arenas keep for refills (struct bufpool_xfer), lock-free. */
static size_t xfer_bytes(const struct bufpool *pool)
{
	size_t bytes = 0;
	unsigned int i;
	int bin;

	for (i = 0; i < pool->nr_arenas; i++)
		for (bin = 0; bin < BUFPOOL_CACHE_BINS; bin++)
			bytes += (size_t)READ_ONCE(pool->arenas[i].xfer[bin].count) *
				 bufpool_bin_size(pool, bin);
	return bytes;
}

static void add_cached_bytes(struct bufpool_cache *c, void *arg)
{
	const struct bufpool *pool = c->pool;
	size_t *bytes = arg;
	int i;

	for (i = 0; i < BUFPOOL_CACHE_BINS; i++)
		*bytes += (size_t)bufpool_bin_count(c, i) * bufpool_bin_size(pool, i);
}

/**
 * bufpool_pool_reclaimable() - bytes a shrink could give back
 * @pool: the pool
 *
 * The entirely free chunks, retained ones included (one counter, kept by
 * chunk.c), plus what the caches hold, what the arenas keep for refills
 * and the pages of the subpages they keep entirely free (bin, transfer
 * stack and kept subpage counts, read without a lock: a snapshot, as for
 * stats).  No arena lock, no walk of
 * chunks: the shrinker's count_objects calls it on every reclaim pass.
 *
 * Context: any the stats may be read in; takes no bufpool lock in the
 * kernel.
 * Return: the bytes.
 */
size_t bufpool_pool_reclaimable(struct bufpool *pool)
{
	long empty = atomic_long_read(&pool->empty_chunks);
	size_t bytes = 0;
	unsigned int i;

	bufpool_cache_for_each(pool, add_cached_bytes, &bytes);
	for (i = 0; i < pool->nr_arenas; i++)
		bytes += (size_t)READ_ONCE(pool->arenas[i].nr_empty_subpages) *
			 pool->geo.page_size;
	return bytes + xfer_bytes(pool) + (size_t)max(empty, 0L) * pool->geo.chunk_size;
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_reclaimable, BUFPOOL_INTERNAL);

/* Take up to @max entirely free chunks of @arena, oldest retained first. */
static unsigned int arena_take_some_empty(struct bufpool_arena *arena, unsigned int max,
					  struct list_head *out)
{
	unsigned long irqflags;
	struct bufpool_chunk *chunk, *tmp;
	unsigned int n = 0, q;

	spin_lock_irqsave(&arena->lock, irqflags);
	list_for_each_entry_safe_reverse(chunk, tmp, &arena->retained, list_node) {
		if (n == max)
			break;
		list_move(&chunk->list_node, out);
		WRITE_ONCE(arena->nr_retained, arena->nr_retained - 1);
		n++;
	}
	for (q = 0; q < BUFPOOL_NR_QLISTS && n < max; q++) {
		list_for_each_entry_safe(chunk, tmp, &arena->lists[q].chunks, list_node) {
			if (n == max)
				break;
			if (chunk->free_bytes != arena->pool->geo.chunk_size)
				continue;
			list_move(&chunk->list_node, out);
			WRITE_ONCE(chunk->list, NULL);
			arena->nr_chunks--;
			n++;
		}
	}
	spin_unlock_irqrestore(&arena->lock, irqflags);
	return n;
}

/**
 * bufpool_pool_shrink() - give back at most @bytes of entirely free chunks
 * @pool: the pool
 * @bytes: what reclaim asks for
 *
 * Only whole chunks can go, so requests smaller than a chunk add up (in
 * @pool->shrink_credit) until they make one: a chunk is released once
 * reclaim has asked for that much in all, never before.  Retained chunks
 * go first (oldest first), then empty ones on the usage lists.  Credit
 * that finds no empty chunk is dropped (there is nothing it could buy).
 * Caches are not touched: draining them runs on each CPU (kmod/shrinker.c).
 *
 * Context: process context (reclaim included); takes arena locks.
 * Return: the bytes released.
 */
size_t bufpool_pool_shrink(struct bufpool *pool, size_t bytes)
{
	size_t chunk = pool->geo.chunk_size;
	long credit = atomic_long_add_return((long)min_t(size_t, bytes, LONG_MAX / 2),
					     &pool->shrink_credit);
	unsigned int want, got = 0, i;
	LIST_HEAD(out);

	want = credit > 0 ? min_t(unsigned long, credit / chunk, UINT_MAX) : 0;
	for (i = 0; i < pool->nr_arenas && got < want; i++)
		got += arena_take_some_empty(&pool->arenas[i], want - got, &out);
	if (got < want)
		atomic_long_set(&pool->shrink_credit, 0);
	else if (got)
		atomic_long_sub((long)got * chunk, &pool->shrink_credit);
	unmap_list(pool, &out);
	return (size_t)got * chunk;
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_shrink, BUFPOOL_INTERNAL);

/**
 * bufpool_pool_trim() - flush the caller's cache, release empty chunks
 * @pool: the pool
 *
 * The pool's spare buffer descriptors go back to their arenas.  Every
 * arena's entirely free subpages give their pages back (kept ones too,
 * bufpool_arena_keep_subpage()), and entirely
 * free chunks go back to the page source, those on qinit too (both of
 * which Netty keeps), and so do retained chunks, whatever their age.
 * With chunk_retention_ms, where the page source can, every free page of
 * the chunks that stay goes back to the system too (bufpool_arena_purge()).
 *
 * Context: process context; may sleep.
 * Return: the number of chunks released.
 */
int bufpool_pool_trim(struct bufpool *pool)
{
	LIST_HEAD(empty);
	unsigned int i;
	int n = 0;

	bufpool_cache_flush_all(pool, NULL);
	bufpool_buf_descs_trim(pool);	/* what the flush drained included */
	bufpool_cache_xfer_drain(pool, true);
	for (i = 0; i < pool->nr_arenas; i++) {
		arena_take_empty(&pool->arenas[i], &empty);
		n += bufpool_arena_release_retained(&pool->arenas[i], U64_MAX);
	}
	n += unmap_list(pool, &empty);
	if (pool->cfg.chunk_retention_ms && bufpool_chunk_memory_purgeable())
		for (i = 0; i < pool->nr_arenas; i++)
			bufpool_arena_purge(&pool->arenas[i], BUFPOOL_PURGE_ALL);
	return n;
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_trim, BUFPOOL_INTERNAL);

/**
 * bufpool_pool_usable_size() - bytes usable at @ptr
 * @pool: the pool
 * @ptr: a pointer
 *
 * The whole usable size becomes accessible to memory checkers (the
 * redzone past the requested size goes).
 *
 * Context: any that may take a spinlock.
 * Return: the size of the live allocation starting at @ptr, else 0.
 */
size_t bufpool_pool_usable_size(struct bufpool *pool, const void *ptr)
{
	struct bufpool_chunk *chunk;
	struct bufpool_arena *arena;
	size_t usable = 0;
	u64 handle;

	if (!ptr)
		return 0;
	chunk = bufpool_chunk_find(pool, ptr);
	if (!chunk)
		goto huge;
	arena = READ_ONCE(chunk->arena);
	bufpool_arena_lock(arena);
	if (!bufpool_chunk_live(chunk, arena, ptr)) {
		bufpool_arena_unlock(arena);
		goto huge;
	}
	if (bufpool_chunk_resolve(chunk, ptr, &handle, &usable))
		usable = 0;
	bufpool_arena_unlock(arena);
	goto widen;
huge:
	usable = bufpool_huge_usable_size(pool, ptr);
widen:
	/* Told it may use all of it: memory checkers let it (sanitize.h). */
	bufpool_san_widen(ptr, usable);
	return usable;
}
EXPORT_SYMBOL_NS_GPL(bufpool_pool_usable_size, BUFPOOL_INTERNAL);
