/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: spinlock_t is a pthread mutex and rwlock_t a pthread rwlock.
 * Same mutual exclusion; unlike the kernel, holding one does not disable
 * preemption (a thread holding it can be descheduled), so a mutex, which
 * sleeps instead of spinning, is the honest equivalent.  There are no
 * softirqs or interrupts in userspace: the _bh and _irqsave variants are
 * the plain ones (the saved flags are 0). */
#ifndef _BUFPOOL_SHIM_LINUX_SPINLOCK_H
#define _BUFPOOL_SHIM_LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/lockdep.h>

typedef pthread_mutex_t spinlock_t;
typedef pthread_rwlock_t rwlock_t;

/* A default mutex, as pthread_mutex_init(l, NULL) makes, without the call. */
#define spin_lock_init(l)	\
	do { *(l) = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER; } while (0)
#define spin_lock(l)		pthread_mutex_lock(l)
#define spin_unlock(l)		pthread_mutex_unlock(l)
#define spin_trylock(l)		(pthread_mutex_trylock(l) == 0)
#define spin_trylock_bh(l)	spin_trylock(l)
#define rwlock_init(l)		pthread_rwlock_init((l), NULL)
#define read_lock(l)		pthread_rwlock_rdlock(l)
#define read_unlock(l)		pthread_rwlock_unlock(l)
#define write_lock(l)		pthread_rwlock_wrlock(l)
#define write_unlock(l)		pthread_rwlock_unlock(l)
#define spin_lock_bh(l)		spin_lock(l)
#define spin_unlock_bh(l)	spin_unlock(l)
/* No interrupts either: the saved state is a 0 nobody reads. */
#define spin_lock_irqsave(l, f)	\
	do { (f) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f)	\
	do { (void)(f); spin_unlock(l); } while (0)
#define spin_trylock_irqsave(l, f)	((f) = 0, spin_trylock(l))
#define read_lock_bh(l)		read_lock(l)
#define read_unlock_bh(l)	read_unlock(l)
#define write_lock_bh(l)	write_lock(l)
#define write_unlock_bh(l)	write_unlock(l)

#endif
