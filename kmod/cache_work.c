// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * cache_work.c - work on every CPU's cache from outside it: drains (for
 * bufpool_trim() and the shrinker) and the time-based trim.
 *
 * A CPU's cache is touched only on that CPU, under its local_lock, so
 * anything done to all of them runs as one work item per online CPU, bound
 * to that CPU, on a WQ_MEM_RECLAIM workqueue (the shrinker's drain work
 * waits for them).  drain_lock serialises users of the per-CPU work items.
 *
 * The time-based trim (cache_trim_interval_ms) is a delayed work item per
 * pool: every interval it trims each online CPU's cache with Netty's rule
 * (keep what the bin served since the last trim), whether or not anybody
 * allocates - the core also checks the interval on misses, which is all
 * userspace has.
 *
 * A CPU that goes offline leaves its cache behind (the drains visit online
 * CPUs only): once the CPU is dead, a hotplug callback gives every pool's
 * cache of it back from the control CPU, as SLUB's slub_cpu_dead() does -
 * nothing can run on a dead CPU, so the cache is the callback's alone.
 *
 * Lock order: the CPU hotplug lock (held by the callback) ->
 * bufpool_pools_lock (callback) -> drain_lock -> the per-CPU work (arena
 * locks); the shrinker's drain work: its pool's reclaim_lock -> drain_lock.
 * Reclaim never waits here (the shrinker queues the drain and returns),
 * and bufpool never takes the CPU hotplug lock itself (hotplug may
 * allocate while holding it).
 */
#include <linux/cpu.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>
#include "cache.h"
#include "pool.h"
#include <bufpool_cache_world.h>
#include "cache_work.h"
#include "shrinker.h"

struct cpu_work {
	struct work_struct work;
	struct bufpool *pool;
	bool trim;
};

static DEFINE_PER_CPU(struct cpu_work, cpu_works);
static enum cpuhp_state dead_state;
static DEFINE_MUTEX(drain_lock);
/* The CPUs a round queued work on; under drain_lock. */
static struct cpumask queued;
static struct workqueue_struct *bufpool_wq;

static void cpu_work_fn(struct work_struct *work)
{
	struct cpu_work *w = container_of(work, struct cpu_work, work);

	/* This CPU's cache: the work item is bound to it. */
	if (w->trim)
		bufpool_cache_trim(w->pool, NULL);
	else
		bufpool_cache_flush_all(w->pool, NULL);
}

/*
 * Run a flush (or a trim) of @pool's cache on every online CPU and wait.
 * No CPU hotplug lock, as drain_all_pages(): a work item that lands on
 * another CPU because its own went offline works on that CPU's cache
 * instead, which is just as safe (each enters the cache of the CPU it runs
 * on, under that CPU's local_lock).  What is flushed is exactly what was
 * queued (a snapshot of the online mask), so no work item is still
 * pending when drain_lock is released, whatever CPUs came or went.
 */
static void each_cpu(struct bufpool *pool, bool trim)
{
	int cpu;

	mutex_lock(&drain_lock);
	cpumask_copy(&queued, cpu_online_mask);
	for_each_cpu(cpu, &queued) {
		struct cpu_work *w = per_cpu_ptr(&cpu_works, cpu);

		w->pool = pool;
		w->trim = trim;
		queue_work_on(cpu, bufpool_wq, &w->work);
	}
	for_each_cpu(cpu, &queued)
		flush_work(&per_cpu_ptr(&cpu_works, cpu)->work);
	mutex_unlock(&drain_lock);
}

/**
 * bufpool_drain_all_cpus() - flush every online CPU's cache of @pool
 * @pool: the pool
 *
 * Context: process context, not reclaim (the shrinker queues a work item
 * that calls this); sleeps until every CPU has drained.
 */
void bufpool_drain_all_cpus(struct bufpool *pool)
{
	each_cpu(pool, false);
}

static void trim_timer_fn(struct work_struct *work)
{
	struct bufpool *pool = container_of(to_delayed_work(work), struct bufpool,
					    world.trim_work);
	unsigned long delay = msecs_to_jiffies(pool->cfg.cache_trim_interval_ms);

	each_cpu(pool, true);
	queue_delayed_work(system_unbound_wq, &pool->world.trim_work, delay);
}

/**
 * bufpool_trim_timer_start() - start @pool's time-based cache trim
 * @pool: a new pool
 *
 * Nothing to do unless the pool has caches and cache_trim_interval_ms.
 *
 * Context: process context.
 */
void bufpool_trim_timer_start(struct bufpool *pool)
{
	INIT_DELAYED_WORK(&pool->world.trim_work, trim_timer_fn);
	if (!pool->cache_max || !pool->cfg.cache_trim_interval_ms)
		return;
	queue_delayed_work(system_unbound_wq, &pool->world.trim_work,
			   msecs_to_jiffies(pool->cfg.cache_trim_interval_ms));
}

/**
 * bufpool_trim_timer_stop() - stop it for good; no trim runs after this
 * @pool: a pool that bufpool_trim_timer_start() set up
 *
 * Context: process context; may sleep (waits for a running trim).
 */
void bufpool_trim_timer_stop(struct bufpool *pool)
{
	cancel_delayed_work_sync(&pool->world.trim_work);
}

/* @cpu is dead: give every pool's cache of it back to the arenas. */
static int cpu_dead(unsigned int cpu)
{
	struct bufpool *pool;
	void *iter = NULL;

	bufpool_pools_hold();
	while ((pool = bufpool_pools_next(&iter)))
		bufpool_cache_flush_all(pool, &per_cpu_ptr(pool->world.pcpu, cpu)->cache);
	bufpool_pools_unlock();
	return 0;
}

/**
 * bufpool_cache_work_init() - the per-CPU work items, the workqueue, the
 *                             CPU-hotplug callback
 *
 * Context: module init, before the first pool.
 * Return: 0 or -errno.
 */
int bufpool_cache_work_init(void)
{
	int cpu, ret;

	for_each_possible_cpu(cpu)
		INIT_WORK(&per_cpu_ptr(&cpu_works, cpu)->work, cpu_work_fn);
	bufpool_wq = alloc_workqueue("bufpool", WQ_MEM_RECLAIM, 0);
	if (!bufpool_wq)
		return -ENOMEM;
	/* A PREPARE state's teardown runs on a control CPU after the CPU died. */
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "bufpool:dead", NULL, cpu_dead);
	if (ret < 0) {
		destroy_workqueue(bufpool_wq);
		return ret;
	}
	dead_state = ret;
	return 0;
}

/**
 * bufpool_cache_work_exit() - undo bufpool_cache_work_init()
 *
 * Context: module exit, after the last pool.
 */
void bufpool_cache_work_exit(void)
{
	cpuhp_remove_state_nocalls(dead_state);
	destroy_workqueue(bufpool_wq);
}
