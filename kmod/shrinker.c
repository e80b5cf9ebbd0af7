// SPDX-License-Identifier: GPL-2.0
/*
 * shrinker.c - give memory back under memory pressure.
 *
 * count_objects reports, in pages, what every pool could give back now:
 * the bytes held in per-CPU caches and the chunks that are entirely free.
 * scan_objects drains every online CPU's cache (kmod/cache_work.c: each
 * on its own CPU) and then releases every empty chunk (bufpool_pool_trim()).
 *
 * Lock order: bufpool_pools_lock -> drain_lock (cache_work.c) -> arena
 * locks; from reclaim both mutexes are only tried, never waited for.
 */
#include "pool.h"
#include <linux/shrinker.h>
#include "cache_work.h"
#include "shrinker.h"

static unsigned long bufpool_shrink_count(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long pages = 0;
	struct bufpool *pool;
	void *iter = NULL;

	if (!bufpool_pools_trylock())
		return 0;
	while ((pool = bufpool_pools_next(&iter)))
		pages += bufpool_pool_reclaimable(pool) >> PAGE_SHIFT;
	bufpool_pools_unlock();
	return pages ? pages : SHRINK_EMPTY;
}

static unsigned long bufpool_shrink_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long freed = 0;
	struct bufpool *pool;
	void *iter = NULL;

	if (!bufpool_pools_trylock())
		return SHRINK_STOP;
	while ((pool = bufpool_pools_next(&iter))) {
		unsigned long pages, before = bufpool_pool_unmapped(pool);

		/* What the drain empties counts as much as what the trim finds. */
		bufpool_drain_all_cpus(pool, true);
		bufpool_pool_trim(pool);
		pages = (bufpool_pool_unmapped(pool) - before) * (pool->geo.chunk_size >> PAGE_SHIFT);
		atomic_long_inc(&pool->shrinker_scans);
		atomic_long_add(pages, &pool->shrinker_freed);
		freed += pages;
	}
	bufpool_pools_unlock();
	return freed ? freed : SHRINK_STOP;
}

static struct shrinker bufpool_shrinker = {
	.count_objects = bufpool_shrink_count,
	.scan_objects = bufpool_shrink_scan,
	.seeks = DEFAULT_SEEKS,
};

/**
 * bufpool_shrinker_init() - register the shrinker
 *
 * Context: module init, after bufpool_cache_work_init().
 * Return: 0 or -ENOMEM.
 */
int bufpool_shrinker_init(void)
{
	return register_shrinker(&bufpool_shrinker, "bufpool") ? -ENOMEM : 0;
}

/**
 * bufpool_shrinker_exit() - undo bufpool_shrinker_init()
 *
 * Context: module exit.
 */
void bufpool_shrinker_exit(void)
{
	unregister_shrinker(&bufpool_shrinker);
}
