/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_cache_world.h (userspace) - how the fast path (core/fastpath.h)
 * reaches the calling thread's cache: one initial-exec TLS slot, also in
 * the shared library (no __tls_get_addr call), that remembers the last
 * pool this thread used.  Anything else - first use, another pool - makes
 * the hit path take the slow path, whose bufpool_cache_enter_bind() binds
 * the thread (user/arena_select.c), out of line.
 *
 * A thread's cache is its own: entering and leaving it is free.
 */
#ifndef _BUFPOOL_CACHE_WORLD_H
#define _BUFPOOL_CACHE_WORLD_H

#include "cache.h"
#include "pool.h"

/*
 * Entries given back per step of a flush or trim, which a slow path holds
 * on its stack (2 KiB here): half a tiny bin at Netty's sizes, so a full
 * bin's flush takes one step, and the entries left in the bin move down
 * once rather than once per step of 64 (callgrind: bursts of 10,000 went
 * from 141.3 to 131.5 instructions per op, producer/consumer from 133.0
 * to 125.8).
 */
#define BUFPOOL_FLUSH_BATCH	256u

/**
 * struct bufpool_tls - the calling thread's memo
 * @pool_id: world.id of the pool it last used (ids are never reused)
 * @cache: its cache of that pool
 */
struct bufpool_tls {
	unsigned long pool_id;
	struct bufpool_cache *cache;
};

struct bufpool_cache *bufpool_cache_bind(struct bufpool *pool);

extern __thread struct bufpool_tls bufpool_tls __attribute__((tls_model("initial-exec")));

/* The hit path's: NULL unless the memo is this pool's (then: slow path). */
static __always_inline struct bufpool_cache *
bufpool_cache_enter(struct bufpool *pool, unsigned long *flags)
{
	struct bufpool_cache *c;

	*flags = 0;	/* nothing to save: the kernel's local_lock_irqsave() has */
	if (unlikely(bufpool_tls.pool_id != pool->world.id))
		return NULL;
	c = bufpool_tls.cache;
	if (!c)		/* never: the memo is only ever set with a cache */
		__builtin_unreachable();
	return c;
}

/* The slow paths': binds the thread on its first use; NULL without memory. */
static __always_inline struct bufpool_cache *
bufpool_cache_enter_bind(struct bufpool *pool, unsigned long *flags)
{
	*flags = 0;
	if (likely(bufpool_tls.pool_id == pool->world.id))
		return bufpool_tls.cache;
	return bufpool_cache_bind(pool);
}

static __always_inline void bufpool_cache_leave(struct bufpool *pool,
						unsigned long flags)
{
}

#endif /* _BUFPOOL_CACHE_WORLD_H */
