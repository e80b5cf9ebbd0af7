// SPDX-License-Identifier: GPL-2.0
/*
 * arena_select.c (kernel) - the current CPU's arena.
 *
 * With one arena per possible CPU (the default), each CPU allocates from
 * its own arena and the arena lock is contended only by frees from other
 * CPUs.  The CPU number is read without disabling preemption: if the task
 * migrates right after, it uses another CPU's arena, which is correct (the
 * arena is locked), merely not local.
 */
#include <linux/cpumask.h>
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
	pool->world.debugfs = NULL;
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
}
