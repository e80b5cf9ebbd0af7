/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_cache_world.h (kernel) - how the fast path (core/fastpath.h)
 * reaches this CPU's cache: a local_lock with interrupts saved, as SLUB
 * guards its per-CPU slab.  On !PREEMPT_RT that is pushf/cli .. popf - no
 * LOCK-prefixed instruction, no bottom-half accounting - and safe against
 * softirq users of the pool on the same CPU; on PREEMPT_RT it is a per-CPU
 * sleeping lock that keeps the task on its CPU.
 *
 * Nothing that takes an arena lock or allocates runs inside: the slow
 * paths (core/cache.c) leave the cache first, do their work, and enter
 * again.
 */
#ifndef _BUFPOOL_CACHE_WORLD_H
#define _BUFPOOL_CACHE_WORLD_H

#include <linux/local_lock.h>
#include "cache.h"
#include "pool.h"

/*
 * Entries given back per step of a flush or trim, which a slow path holds
 * on its stack: 512 bytes here, a quarter of the 2 KiB that
 * -Wframe-larger-than allows a kernel function (userspace: 256).
 */
#define BUFPOOL_FLUSH_BATCH	64u

/**
 * struct bufpool_pcpu - a CPU's cache of a pool and the lock around it
 * @lock: taken by bufpool_cache_enter()
 * @cache: the cache
 */
struct bufpool_pcpu {
	local_lock_t lock;
	struct bufpool_cache cache;
};

static __always_inline struct bufpool_cache *
bufpool_cache_enter(struct bufpool *pool, unsigned long *flags)
{
	struct bufpool_cache *c;

	local_lock_irqsave(&pool->world.pcpu->lock, *flags);
	c = this_cpu_ptr(&pool->world.pcpu->cache);
	if (!c)		/* never: the hit path then tests nothing for it */
		__builtin_unreachable();
	return c;
}

/* Every CPU has its cache: the slow paths' variant is the same. */
#define bufpool_cache_enter_bind(pool, flags)	bufpool_cache_enter(pool, flags)

static __always_inline void bufpool_cache_leave(struct bufpool *pool,
						unsigned long flags)
{
	local_unlock_irqrestore(&pool->world.pcpu->lock, flags);
}

#endif /* _BUFPOOL_CACHE_WORLD_H */
