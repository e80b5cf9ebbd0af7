// SPDX-License-Identifier: GPL-2.0
/*
 * shrinker.c - give memory back under memory pressure.
 *
 * count_objects reports, in pages, what every pool could give back now:
 * the bytes held in per-CPU caches and the chunks that are entirely free.
 * scan_objects drains every online CPU's cache - each on its own CPU, from
 * a work item on a WQ_MEM_RECLAIM workqueue, since a CPU's cache is only
 * ever touched by its owner with bottom halves off - and then releases
 * every empty chunk (bufpool_pool_trim()).
 *
 * Lock order: bufpool_pools_lock -> drain_lock -> the per-CPU work (arena
 * locks); from reclaim both mutexes are only tried, never waited for, and
 * the CPU hotplug lock is not taken (hotplug may allocate while holding it).
 */
#include <linux/cpu.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/shrinker.h>
#include <linux/workqueue.h>
#include "bufpool_internal.h"
#include "shrinker.h"

struct drain_work {
	struct work_struct work;
	struct bufpool *pool;
};

static DEFINE_PER_CPU(struct drain_work, drain_works);
static DEFINE_MUTEX(drain_lock);
static struct workqueue_struct *bufpool_wq;

static void drain_fn(struct work_struct *work)
{
	struct drain_work *d = container_of(work, struct drain_work, work);
	struct bufpool_cache *c = bufpool_cache_get(d->pool);

	bufpool_cache_flush_all(c);
	bufpool_cache_put(d->pool, c);
}

/**
 * bufpool_drain_all_cpus() - flush every online CPU's cache of @pool
 * @pool: the pool
 * @reclaim: called from reclaim: do not wait for another drain
 *
 * No CPU hotplug lock, as drain_all_pages(): a work item that lands on
 * another CPU because its own went offline drains that CPU's cache
 * instead, which is just as safe (each runs with bottom halves off on the
 * CPU whose cache it touches).
 *
 * Context: process context; sleeps until every CPU has drained.
 */
void bufpool_drain_all_cpus(struct bufpool *pool, bool reclaim)
{
	int cpu;

	if (reclaim) {
		if (!mutex_trylock(&drain_lock))
			return;
	} else {
		mutex_lock(&drain_lock);
	}
	for_each_online_cpu(cpu) {
		struct drain_work *d = per_cpu_ptr(&drain_works, cpu);

		d->pool = pool;
		INIT_WORK(&d->work, drain_fn);
		queue_work_on(cpu, bufpool_wq, &d->work);
	}
	for_each_online_cpu(cpu)
		flush_work(&per_cpu_ptr(&drain_works, cpu)->work);
	mutex_unlock(&drain_lock);
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
	struct bufpool *pool;
	void *iter = NULL;

	if (!bufpool_pools_trylock())
		return SHRINK_STOP;
	while ((pool = bufpool_pools_next(&iter))) {
		unsigned long pages;

		bufpool_drain_all_cpus(pool, true);
		pages = (unsigned long)bufpool_pool_trim(pool) * (pool->geo.chunk_size >> PAGE_SHIFT);
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
 * bufpool_shrinker_init() - the workqueue and the shrinker
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int bufpool_shrinker_init(void)
{
	bufpool_wq = alloc_workqueue("bufpool", WQ_MEM_RECLAIM, 0);
	if (!bufpool_wq)
		return -ENOMEM;
	if (register_shrinker(&bufpool_shrinker, "bufpool")) {
		destroy_workqueue(bufpool_wq);
		return -ENOMEM;
	}
	return 0;
}

/**
 * bufpool_shrinker_exit() - undo bufpool_shrinker_init()
 *
 * Context: module exit.
 */
void bufpool_shrinker_exit(void)
{
	unregister_shrinker(&bufpool_shrinker);
	destroy_workqueue(bufpool_wq);
}
