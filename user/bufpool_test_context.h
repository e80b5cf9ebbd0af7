/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_test_context.h (userspace) - the kernel's version runs a test
 * function in softirq (a timer, a tasklet) and under a spinlock.
 * Userspace has no softirq and no atomic context: the function runs in
 * the calling thread, under a lock for the spinlock case, and what the
 * suite checks there is that the same calls work and balance.
 */
#ifndef _BUFPOOL_TEST_CONTEXT_H
#define _BUFPOOL_TEST_CONTEXT_H

#include <linux/spinlock.h>
#include <linux/types.h>

enum bufpool_test_ctx {
	BUFPOOL_CTX_TIMER,
	BUFPOOL_CTX_TASKLET,
	BUFPOOL_CTX_SPINLOCK,
	BUFPOOL_NR_CTX,
};

static const char *const bufpool_test_ctx_names[BUFPOOL_NR_CTX] = {
	"timer (softirq)", "tasklet (softirq)", "under a spinlock",
};

/* Run @fn(@arg) in the calling thread.  Return: true. */
static inline bool bufpool_test_run_in(enum bufpool_test_ctx ctx, void (*fn)(void *arg),
				       void *arg)
{
	static spinlock_t held = PTHREAD_MUTEX_INITIALIZER;

	if (ctx == BUFPOOL_CTX_SPINLOCK)
		spin_lock(&held);
	fn(arg);
	if (ctx == BUFPOOL_CTX_SPINLOCK)
		spin_unlock(&held);
	return true;
}

#endif /* _BUFPOOL_TEST_CONTEXT_H */
