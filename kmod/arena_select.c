// SPDX-License-Identifier: GPL-2.0
/*
 * arena_select.c (kernel) - the current CPU's arena and cache.
 *
 * With one arena per possible CPU (the default), each CPU allocates from
 * its own arena and the arena lock is contended only by frees from other
 * CPUs.  The CPU number is read without disabling preemption: if the task
 * migrates right after, it uses another CPU's arena, which is correct (the
 * arena is locked), merely not local.
 *
 * Each CPU has its own cache.  bufpool_cache_get() disables bottom halves
 * (and so preemption and migration) until bufpool_cache_put(): the hit path
 * then owns the CPU's cache with no lock.  Softirq users of the pool on
 * that CPU wait for the put; hardirq users are not supported at all.
 */
#include <linux/bottom_half.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/smp.h>
#include "bufpool_internal.h"

/**
 * bufpool_default_nr_arenas() - one arena per possible CPU
 *
 * Context: any.
 * Return: num_possible_cpus().
 */
unsigned int bufpool_default_nr_arenas(void)
{
	return num_possible_cpus();
}

/**
 * bufpool_arena_select() - the arena for the calling CPU
 * @pool: the pool
 *
 * Context: any.
 * Return: &pool->arenas[cpu % nr_arenas].
 */
struct bufpool_arena *bufpool_arena_select(struct bufpool *pool)
{
	return &pool->arenas[raw_smp_processor_id() % pool->nr_arenas];
}

/**
 * bufpool_world_init() - nothing per pool in the kernel beyond debugfs,
 *                        which kmod/debugfs.c sets up
 * @pool: the pool
 *
 * Context: may sleep.
 * Return: 0.
 */
int bufpool_world_init(struct bufpool *pool)
{
	int cpu;

	pool->world.debugfs = NULL;
	pool->world.caches = alloc_percpu(struct bufpool_cache);
	if (!pool->world.caches)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		bufpool_cache_init(per_cpu_ptr(pool->world.caches, cpu), pool);
	return 0;
}

/**
 * bufpool_world_exit() - undo bufpool_world_init()
 * @pool: the pool
 *
 * Context: may sleep.
 */
void bufpool_world_exit(struct bufpool *pool)
{
	free_percpu(pool->world.caches);
	pool->world.caches = NULL;
}

/**
 * bufpool_cache_get() - this CPU's cache, bottom halves off
 * @pool: the pool
 *
 * Context: process or softirq; pair with bufpool_cache_put().
 * Return: the cache.
 */
struct bufpool_cache *bufpool_cache_get(struct bufpool *pool)
{
	local_bh_disable();
	return this_cpu_ptr(pool->world.caches);
}

/**
 * bufpool_cache_put() - done with this CPU's cache
 * @pool: the pool
 * @c: from bufpool_cache_get()
 *
 * Context: after bufpool_cache_get().
 */
void bufpool_cache_put(struct bufpool *pool, struct bufpool_cache *c)
{
	local_bh_enable();
}

/**
 * bufpool_cache_for_each() - call @fn on every CPU's cache, then on the
 *                            pool's retired counters
 * @pool: the pool
 * @fn: the callback
 * @arg: passed to @fn
 *
 * Context: for stats (reads only) any time; for anything else nobody may be
 * using the pool.
 */
void bufpool_cache_for_each(struct bufpool *pool,
			    void (*fn)(struct bufpool_cache *c, void *arg), void *arg)
{
	int cpu;

	for_each_possible_cpu(cpu)
		fn(per_cpu_ptr(pool->world.caches, cpu), arg);
	fn(&pool->retired_cache, arg);	/* unused in the kernel: all zero */
}

/**
 * bufpool_now_ms() - a monotonic clock in milliseconds
 *
 * Context: any.
 * Return: jiffies in ms.
 */
u64 bufpool_now_ms(void)
{
	return jiffies64_to_msecs(get_jiffies_64());	/* no 32-bit wrap */
}
