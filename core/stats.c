// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * stats.c - one counter format for both worlds.
 *
 * The table below is generated from BUFPOOL_STATS() (<bufpool_stats.h>),
 * which also generates struct bufpool_stats in both worlds; the kernel's
 * debugfs "stats" file and the library's bufpool_stats_format() both print
 * through it, so the two worlds cannot drift apart.
 *
 * Lock order: each arena lock in turn, then the huge lock; never two at once,
 * so a reader stalls one arena for a few dozen loads at a time.
 */
#define pr_fmt(fmt) "bufpool: " fmt

#include "geometry.h"
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "world.h"

#define STAT_FIELD(field) { #field, offsetof(struct bufpool_stats, field) },

/* Generated from <bufpool_stats.h>: the names are the struct's. */
static const struct {
	const char *name;
	size_t offset;
} stat_fields[] = {
	BUFPOOL_STATS(STAT_FIELD)
};

static void stats_add_cache(struct bufpool_cache *c, void *sum)
{
	bufpool_cache_add_stats(sum, c);
}

/**
 * bufpool_stats_read() - a snapshot of @pool's counters
 * @pool: the pool
 * @st: filled
 *
 * Each arena is read under its own lock, then each cache counter once:
 * the totals are exact when no allocation runs concurrently.  A cached
 * allocation is still allocated for its arena but free for its user: the
 * user's view is the arena's plus cache hits, minus what caches hold.
 * While other threads run, the figures come from slightly different
 * instants; a class's frees are then capped at its allocations (and live
 * bytes at 0) rather than wrapping around.
 *
 * Context: may take spinlocks; does not sleep.
 */
void bufpool_stats_read(struct bufpool *pool, struct bufpool_stats *st)
{
	unsigned long irqflags;
	u64 allocs[BUFPOOL_NR_CLASSES] = { 0 }, frees[BUFPOOL_NR_CLASSES] = { 0 };
	u64 chunks = 0, live_bytes = 0;
	struct bufpool_cache_stats cs = { 0 };
	unsigned int i, c;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < pool->nr_arenas; i++) {
		struct bufpool_arena *arena = &pool->arenas[i];

		spin_lock_irqsave(&arena->lock, irqflags);
		for (c = 0; c < BUFPOOL_NR_CLASSES; c++) {
			allocs[c] += arena->allocations[c];
			frees[c] += arena->frees[c];
			live_bytes += arena->active_bytes[c];
		}
		chunks += arena->nr_chunks;
		st->retained_chunks += arena->nr_retained;
		st->purge_calls += arena->purge_calls;
		st->purged_bytes += arena->purged_bytes;
		st->arena_locks += arena->lock_acquired;
		st->arena_lock_contended += arena->lock_contended;
		spin_unlock_irqrestore(&arena->lock, irqflags);
	}
	spin_lock_irqsave(&pool->huge.lock, irqflags);
	allocs[BUFPOOL_CLASS_HUGE] = pool->huge.allocations;
	frees[BUFPOOL_CLASS_HUGE] = pool->huge.frees;
	st->huge_active = pool->huge.active;
	st->huge_bytes = pool->huge.bytes;
	spin_unlock_irqrestore(&pool->huge.lock, irqflags);

	/* Caches after arenas: a flush counts itself before it frees. */
	bufpool_cache_for_each(pool, stats_add_cache, &cs);
	for (c = 0; c < BUFPOOL_NR_CLASSES; c++) {
		/* Refilled entries are the arena's allocations, not a user's yet. */
		allocs[c] += cs.hits[c] - min(cs.filled[c], allocs[c] + cs.hits[c]);
		frees[c] += cs.frees[c] - cs.flushed[c];
		st->cache_hits += cs.hits[c];
		st->cache_misses += cs.misses[c];
		st->cache_frees += cs.frees[c];
		st->cache_flushed += cs.flushed[c];
	}
	st->cache_trims = cs.trims;
	st->buf_recycled = cs.buf_recycled;
	st->buf_allocs = atomic_long_read(&pool->buf_allocs) + cs.buf_allocs;
	st->buf_refcnt_errors = atomic_long_read(&pool->buf_refcnt_errors);
	st->buf_leaks_tracked = atomic_long_read(&pool->nr_leaks);
	st->cached_bytes = cs.cached_bytes;
	live_bytes = live_bytes > cs.cached_bytes ? live_bytes - cs.cached_bytes : 0;
	st->tiny_cache_hits = cs.hits[BUFPOOL_CLASS_TINY];
	st->tiny_cache_misses = cs.misses[BUFPOOL_CLASS_TINY];
	st->small_cache_hits = cs.hits[BUFPOOL_CLASS_SMALL];
	st->small_cache_misses = cs.misses[BUFPOOL_CLASS_SMALL];
	st->normal_cache_hits = cs.hits[BUFPOOL_CLASS_NORMAL];
	st->normal_cache_misses = cs.misses[BUFPOOL_CLASS_NORMAL];

	for (c = 0; c < BUFPOOL_NR_CLASSES; c++)
		frees[c] = min(frees[c], allocs[c]);

	st->tiny_allocations = allocs[BUFPOOL_CLASS_TINY];
	st->tiny_frees = frees[BUFPOOL_CLASS_TINY];
	st->small_allocations = allocs[BUFPOOL_CLASS_SMALL];
	st->small_frees = frees[BUFPOOL_CLASS_SMALL];
	st->normal_allocations = allocs[BUFPOOL_CLASS_NORMAL];
	st->normal_frees = frees[BUFPOOL_CLASS_NORMAL];
	st->huge_allocations = allocs[BUFPOOL_CLASS_HUGE];
	st->huge_frees = frees[BUFPOOL_CLASS_HUGE];
	for (c = 0; c < BUFPOOL_NR_CLASSES; c++) {
		st->allocations += allocs[c];
		st->frees += frees[c];
	}
	st->active = st->allocations - st->frees;
	st->active_bytes = live_bytes + st->huge_bytes;
	st->chunks = chunks;
	st->chunk_bytes = chunks * pool->geo.chunk_size;
	st->invalid_frees = atomic_long_read(&pool->invalid_frees);
	st->shrinker_scans = atomic_long_read(&pool->shrinker_scans);
	st->shrinker_freed = atomic_long_read(&pool->shrinker_freed);
}
EXPORT_SYMBOL_NS_GPL(bufpool_stats_read, BUFPOOL_INTERNAL);

/**
 * bufpool_stats_text() - "key: value" lines, one per counter
 * @st: the counters, a whole struct bufpool_stats
 * @buf: output, NUL-terminated
 * @len: size of @buf
 *
 * Context: any.
 * Return: characters written, excluding the NUL.
 */
int bufpool_stats_text(const struct bufpool_stats *st, char *buf, size_t len)
{
	size_t i;
	int n = 0;

	/* name < 24 + ": " + 20 digits + "\n" per counter */
	BUILD_BUG_ON(ARRAY_SIZE(stat_fields) * (24 + 2 + 20 + 1) + 1 > BUFPOOL_STATS_TEXT_MAX);
	BUILD_BUG_ON(ARRAY_SIZE(stat_fields) * sizeof(u64) != sizeof(*st));
	if (len)
		buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(stat_fields); i++) {
		u64 v;

		/* The userspace struct uses uint64_t: same size, maybe another type. */
		memcpy(&v, (const char *)st + stat_fields[i].offset, sizeof(v));

		n += scnprintf(buf + n, len - n, "%s: %llu\n", stat_fields[i].name,
			       (unsigned long long)v);
	}
	return n;
}

/**
 * bufpool_report_live() - log what is still allocated, per class
 * @pool: the pool
 *
 * For a pool about to be destroyed: count and bytes of live allocations in
 * each class, with pr_warn; nothing is logged when everything was freed.
 *
 * Context: may take spinlocks.
 */
void bufpool_report_live(struct bufpool *pool)
{
	unsigned long irqflags;
	u64 count[BUFPOOL_NR_CLASSES] = { 0 }, bytes[BUFPOOL_NR_CLASSES] = { 0 };
	unsigned int i, c;

	for (i = 0; i < pool->nr_arenas; i++) {
		struct bufpool_arena *arena = &pool->arenas[i];

		spin_lock_irqsave(&arena->lock, irqflags);
		for (c = 0; c < BUFPOOL_NR_CLASSES; c++) {
			count[c] += arena->allocations[c] - arena->frees[c];
			bytes[c] += arena->active_bytes[c];
		}
		spin_unlock_irqrestore(&arena->lock, irqflags);
	}
	spin_lock_irqsave(&pool->huge.lock, irqflags);
	count[BUFPOOL_CLASS_HUGE] = pool->huge.active;
	bytes[BUFPOOL_CLASS_HUGE] = pool->huge.bytes;
	spin_unlock_irqrestore(&pool->huge.lock, irqflags);

	if (!(count[0] | count[1] | count[2] | count[3]))
		return;
	pr_warn("pool '%s' destroyed with live allocations: tiny %llu (%llu bytes), small %llu (%llu bytes), normal %llu (%llu bytes), huge %llu (%llu bytes)\n",
		pool->name,
		count[0], bytes[0], count[1], bytes[1],
		count[2], bytes[2], count[3], bytes[3]);
}
