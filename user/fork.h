/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* fork.h - pools stay usable in a forked child (user/fork.c). */
#ifndef _BUFPOOL_USER_FORK_H
#define _BUFPOOL_USER_FORK_H

struct bufpool;

void bufpool_fork_track(struct bufpool *pool, bool track);

#endif
