// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * arena_select.c (kernel) - the current CPU's arena and cache.
 *
 * With one arena per possible CPU (the default), each CPU allocates from
 * its own arena and the arena lock is contended only by frees from other
 * CPUs.  The CPU number is read without disabling preemption: if the task
 * migrates right after, it uses another CPU's arena, which is correct (the
 * arena is locked), merely not local.
 *
 * Each CPU has its own cache, entered with its local_lock held
 * (bufpool_cache_world.h): interrupts off on !PREEMPT_RT, so the hit path
 * owns the CPU's cache against softirq users on the same CPU too.  The
 * slow paths never take an arena lock inside it.
 *
 * An allocation that may not sleep and finds its arena without a chunk
 * fails at once and kicks the pool's refill work, which maps a chunk onto
 * the arena's retained list with GFP_KERNEL (core/arena.c).
 */
#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include <bufpool_cache_world.h>
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "world.h"

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

static void refill_fn(struct work_struct *work)
{
	struct bufpool *pool = container_of(work, struct bufpool, world.refill_work);
	unsigned int i;

	for (i = 0; i < pool->nr_arenas; i++)
		if (test_and_clear_bit(0, &pool->arenas[i].refill_wanted))
			bufpool_arena_refill(&pool->arenas[i], GFP_KERNEL);
}

/**
 * bufpool_chunk_refill_kick() - map a chunk for @arena from a work item
 * @arena: an arena an atomic allocation found without a chunk
 *
 * Context: any; does not sleep.
 */
void bufpool_chunk_refill_kick(struct bufpool_arena *arena)
{
	if (!test_and_set_bit(0, &arena->refill_wanted))
		queue_work(system_unbound_wq, &arena->pool->world.refill_work);
}

/**
 * bufpool_chunk_refill_wait() - wait until the kicked refills are done
 * @pool: the pool
 *
 * Context: process context; sleeps.
 */
void bufpool_chunk_refill_wait(struct bufpool *pool)
{
	flush_work(&pool->world.refill_work);
}
EXPORT_SYMBOL_NS_GPL(bufpool_chunk_refill_wait, BUFPOOL_INTERNAL);

/**
 * bufpool_world_init() - every possible CPU's cache, its bins allocated
 *                        now on the CPU's node (debugfs: kmod/debugfs.c)
 * @pool: the pool
 *
 * The bins are allocated here, once, so that no free and no miss ever
 * allocates: a CPU that comes online later already has its cache.
 *
 * Context: may sleep.
 * Return: 0, or -ENOMEM.
 */
int bufpool_world_init(struct bufpool *pool)
{
	int cpu;

	pool->world.debugfs = NULL;
	INIT_WORK(&pool->world.refill_work, refill_fn);
	pool->world.pcpu = alloc_percpu(struct bufpool_pcpu);
	if (!pool->world.pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct bufpool_pcpu *p = per_cpu_ptr(pool->world.pcpu, cpu);

		local_lock_init(&p->lock);
		bufpool_cache_init(&p->cache, pool);
		if (bufpool_cache_bins_alloc(&p->cache, GFP_KERNEL, cpu_to_node(cpu))) {
			bufpool_world_exit(pool);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * bufpool_world_exit() - undo bufpool_world_init()
 * @pool: the pool; its caches are flushed
 *
 * Context: may sleep.
 */
void bufpool_world_exit(struct bufpool *pool)
{
	int cpu;

	cancel_work_sync(&pool->world.refill_work);
	for_each_possible_cpu(cpu)
		bufpool_cache_bins_free(&per_cpu_ptr(pool->world.pcpu, cpu)->cache);
	free_percpu(pool->world.pcpu);
	pool->world.pcpu = NULL;
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
		fn(&per_cpu_ptr(pool->world.pcpu, cpu)->cache, arg);
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
