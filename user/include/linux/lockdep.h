/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: lockdep_assert_held() checks that the calling thread owns the
 * lock (a spinlock_t is a pthread mutex here, see linux/spinlock.h) in the
 * test builds, which define BUFPOOL_LOCKDEP as the debug kernel sets
 * CONFIG_LOCKDEP; elsewhere it compiles to nothing, as without lockdep.
 * The owner is read from glibc's mutex (__data.__owner, the owner's thread
 * id, set by every pthread_mutex_lock() of a default mutex); there is no
 * lock-order validation. */
#ifndef _BUFPOOL_SHIM_LINUX_LOCKDEP_H
#define _BUFPOOL_SHIM_LINUX_LOCKDEP_H

#include <pthread.h>
#include <unistd.h>
#include <linux/bug.h>

#ifdef BUFPOOL_LOCKDEP
#define lockdep_assert_held(l)	\
	WARN_ONCE(__atomic_load_n(&(l)->__data.__owner, __ATOMIC_RELAXED) != gettid(), \
		  "lock %s not held\n", #l)
#else
#define lockdep_assert_held(l)	do { (void)(l); } while (0)
#endif

#endif
