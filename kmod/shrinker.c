// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * shrinker.c - give memory back under memory pressure.
 *
 * count_objects reports, in pages, what every pool could give back:
 * its entirely free chunks, retained ones included, and what its per-CPU
 * caches hold (bufpool_pool_reclaimable()).  The first is one counter that
 * chunk.c keeps as chunks fill and empty, the second a lockless sum of the
 * caches' bin counts: no arena lock and no walk of chunks on a reclaim
 * pass, whatever the pool holds.
 *
 * scan_objects releases entirely free chunks, at most nr_to_scan pages'
 * worth (bufpool_pool_shrink(): requests smaller than a chunk add up until
 * they make one), and says exactly how many pages it released.  Memory in
 * per-CPU caches can only be taken out on each CPU: when the free chunks
 * did not cover the request and caches hold memory, the scan queues the
 * pool's drain work and returns without waiting for it (reclaim must not
 * wait for work items).  That work, on a WQ_MEM_RECLAIM workqueue of its
 * own, flushes every online CPU's cache (kmod/cache_work.c) and trims the
 * pool (bufpool_pool_trim(): empty subpages and chunks); the pages it
 * gives back are counted in shrinker_freed when it is done, not in the
 * scan's return value.  The drain takes back whole caches: memory in a
 * cache is not chunk-sized, and a partly drained cache pins its chunks.
 *
 * What a scan or a drain released is the chunks unmapped while it ran: a
 * scan counts its own, a drain the difference of the pool's unmapped count
 * (the frees it caused empty chunks in the free path).  world.reclaim_lock
 * keeps the two apart (a scan skips a pool whose drain is running).
 *
 * Lock order: bufpool_pools_lock -> world.reclaim_lock -> arena locks; the
 * drain work: world.reclaim_lock -> drain_lock (cache_work.c).  From
 * reclaim both mutexes are only tried, never waited for.
 */
#include "pool.h"
#include <linux/shrinker.h>
#include <linux/workqueue.h>
#include "cache_work.h"
#include "shrinker.h"

static struct workqueue_struct *reclaim_wq;

static unsigned long pool_pages(struct bufpool *pool, unsigned long chunks)
{
	return chunks * (pool->geo.chunk_size >> PAGE_SHIFT);
}

static void reclaim_work_fn(struct work_struct *work)
{
	struct bufpool *pool = container_of(work, struct bufpool, world.reclaim_work);
	unsigned long before;

	mutex_lock(&pool->world.reclaim_lock);
	before = bufpool_pool_unmapped(pool);
	bufpool_drain_all_cpus(pool);
	bufpool_pool_trim(pool);
	atomic_long_add(pool_pages(pool, bufpool_pool_unmapped(pool) - before),
			&pool->shrinker_freed);
	mutex_unlock(&pool->world.reclaim_lock);
}

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
	bool queued = false;
	struct bufpool *pool;
	void *iter = NULL;

	if (!bufpool_pools_trylock())
		return SHRINK_STOP;
	while (freed < sc->nr_to_scan && (pool = bufpool_pools_next(&iter))) {
		unsigned long want = sc->nr_to_scan - freed, pages;

		if (!mutex_trylock(&pool->world.reclaim_lock))
			continue;	/* its drain is running */
		atomic_long_inc(&pool->shrinker_scans);
		pages = bufpool_pool_shrink(pool, (size_t)want << PAGE_SHIFT) >> PAGE_SHIFT;
		atomic_long_add(pages, &pool->shrinker_freed);
		freed += pages;
		mutex_unlock(&pool->world.reclaim_lock);
		if (pages < want && bufpool_pool_reclaimable(pool) >> PAGE_SHIFT) {
			queue_work(reclaim_wq, &pool->world.reclaim_work);
			queued = true;
		}
	}
	bufpool_pools_unlock();
	/* 0 (not SHRINK_STOP) while a drain may still give memory back. */
	return freed || queued ? freed : SHRINK_STOP;
}

static struct shrinker bufpool_shrinker = {
	.count_objects = bufpool_shrink_count,
	.scan_objects = bufpool_shrink_scan,
	.seeks = DEFAULT_SEEKS,
};

/**
 * bufpool_shrinker_pool_init() - set up a new pool's reclaim drain
 * @pool: the pool, not yet on the list of pools
 *
 * Context: process context.
 */
void bufpool_shrinker_pool_init(struct bufpool *pool)
{
	INIT_WORK(&pool->world.reclaim_work, reclaim_work_fn);
	mutex_init(&pool->world.reclaim_lock);
}

/**
 * bufpool_shrinker_pool_exit() - wait for a pool's reclaim drain, for good
 * @pool: the pool, off the list of pools (no scan can queue it again)
 *
 * Context: process context; may sleep.
 */
void bufpool_shrinker_pool_exit(struct bufpool *pool)
{
	cancel_work_sync(&pool->world.reclaim_work);
	mutex_destroy(&pool->world.reclaim_lock);
}

/**
 * bufpool_shrinker_init() - the reclaim workqueue, then the shrinker
 *
 * Context: module init, after bufpool_cache_work_init().
 * Return: 0 or -ENOMEM.
 */
int bufpool_shrinker_init(void)
{
	/* Its own WQ_MEM_RECLAIM queue: the drain waits for cache_work.c's. */
	reclaim_wq = alloc_workqueue("bufpool_reclaim", WQ_MEM_RECLAIM | WQ_UNBOUND, 1);
	if (!reclaim_wq)
		return -ENOMEM;
	if (register_shrinker(&bufpool_shrinker, "bufpool")) {
		destroy_workqueue(reclaim_wq);
		return -ENOMEM;
	}
	return 0;
}

/**
 * bufpool_shrinker_exit() - undo bufpool_shrinker_init()
 *
 * Context: module exit; waits for drains still queued.
 */
void bufpool_shrinker_exit(void)
{
	unregister_shrinker(&bufpool_shrinker);
	destroy_workqueue(reclaim_wq);
}
