/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: struct mutex is a pthread mutex (as spinlock_t, linux/spinlock.h:
 * here both sleep).  Same mutual exclusion and the same rule that only a
 * context that may sleep takes one; no owner spinning, no debug checks
 * (mutex_destroy() is pthread_mutex_destroy()). */
#ifndef _BUFPOOL_SHIM_LINUX_MUTEX_H
#define _BUFPOOL_SHIM_LINUX_MUTEX_H

#include <pthread.h>

struct mutex {
	pthread_mutex_t m;
};

#define mutex_init(l)		pthread_mutex_init(&(l)->m, NULL)
#define mutex_destroy(l)	pthread_mutex_destroy(&(l)->m)
#define mutex_lock(l)		pthread_mutex_lock(&(l)->m)
#define mutex_unlock(l)		pthread_mutex_unlock(&(l)->m)
/* 1 if taken, as the kernel's. */
#define mutex_trylock(l)	(pthread_mutex_trylock(&(l)->m) == 0)

#endif
