/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shrinker.h - memory-pressure release (kmod/shrinker.c) and the pool list
 * it and the CPU-hotplug callback walk (kmod/main.c).
 */
#ifndef _BUFPOOL_SHRINKER_H
#define _BUFPOOL_SHRINKER_H

struct bufpool;

int bufpool_shrinker_init(void);
void bufpool_shrinker_exit(void);
void bufpool_shrinker_pool_init(struct bufpool *pool);
void bufpool_shrinker_pool_exit(struct bufpool *pool);

bool bufpool_pools_trylock(void);
void bufpool_pools_hold(void);
void bufpool_pools_unlock(void);
struct bufpool *bufpool_pools_next(void **iter);

#endif /* _BUFPOOL_SHRINKER_H */
