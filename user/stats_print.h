/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * stats_print.h - what user/bufpool.c calls of user/stats_print.c.
 */
#ifndef _BUFPOOL_USER_STATS_PRINT_H
#define _BUFPOOL_USER_STATS_PRINT_H

struct bufpool;

void bufpool_stats_env_dump(struct bufpool *pool);

#endif /* _BUFPOOL_USER_STATS_PRINT_H */
