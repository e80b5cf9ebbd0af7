/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * cache_work.h - work on every CPU's cache (kmod/cache_work.c).
 */
#ifndef _BUFPOOL_CACHE_WORK_H
#define _BUFPOOL_CACHE_WORK_H

struct bufpool;

int bufpool_cache_work_init(void);
void bufpool_cache_work_exit(void);
void bufpool_drain_all_cpus(struct bufpool *pool);
void bufpool_trim_timer_start(struct bufpool *pool);
void bufpool_trim_timer_stop(struct bufpool *pool);

#endif /* _BUFPOOL_CACHE_WORK_H */
