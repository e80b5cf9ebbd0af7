/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * shrinker.h - memory-pressure release (kmod/shrinker.c) and the pool list
 * it and the CPU-hotplug callback walk (kmod/main.c).
 */
#ifndef _BUFPOOL_SHRINKER_H
#define _BUFPOOL_SHRINKER_H

#include <linux/mutex.h>

struct bufpool;

int bufpool_shrinker_init(void);
void bufpool_shrinker_exit(void);
void bufpool_shrinker_pool_init(struct bufpool *pool);
void bufpool_shrinker_pool_exit(struct bufpool *pool);

/* The list of pools (kmod/main.c): see design.rst for the lock order. */
extern struct mutex bufpool_pools_lock;
bool __bufpool_pools_trylock(void);
#define bufpool_pools_trylock()	__cond_lock(&bufpool_pools_lock, __bufpool_pools_trylock())
/* (name): checkpatch takes "(void) __acquires(" for a definition with a cast. */
void (bufpool_pools_hold)(void) __acquires(&bufpool_pools_lock);
void (bufpool_pools_unlock)(void) __releases(&bufpool_pools_lock);
struct bufpool *bufpool_pools_next(void **iter) __must_hold(&bufpool_pools_lock);

#endif /* _BUFPOOL_SHRINKER_H */
