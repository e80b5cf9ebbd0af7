/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_test_context.h (userspace) - the kernel's version runs a test
 * function in softirq (a timer, a tasklet), under a spinlock, with hard
 * interrupts off and in hardirq (an hrtimer).  Userspace has no softirq,
 * no interrupts and no atomic context: the function runs in the calling
 * thread, under a lock for the two lock cases, and what the suite checks
 * there is that the same calls work and balance.
 */
#ifndef _BUFPOOL_TEST_CONTEXT_H
#define _BUFPOOL_TEST_CONTEXT_H

#include <linux/spinlock.h>
#include <linux/types.h>

enum bufpool_test_ctx {
	BUFPOOL_CTX_TIMER,
	BUFPOOL_CTX_TASKLET,
	BUFPOOL_CTX_SPINLOCK,
	BUFPOOL_CTX_IRQS_OFF,
	BUFPOOL_CTX_HARDIRQ,
	BUFPOOL_NR_CTX,
};

static const char *const bufpool_test_ctx_names[BUFPOOL_NR_CTX] = {
	"timer (softirq)", "tasklet (softirq)", "under a spinlock",
	"interrupts off (spin_lock_irqsave)", "hrtimer (hardirq)",
};

/* Run @fn(@arg) in the calling thread.  Return: true. */
static inline bool bufpool_test_run_in(enum bufpool_test_ctx ctx, void (*fn)(void *arg),
				       void *arg)
{
	static spinlock_t held = PTHREAD_MUTEX_INITIALIZER;

	bool locked = ctx == BUFPOOL_CTX_SPINLOCK || ctx == BUFPOOL_CTX_IRQS_OFF;

	if (locked)
		spin_lock(&held);
	fn(arg);
	if (locked)
		spin_unlock(&held);
	return true;
}

#endif /* _BUFPOOL_TEST_CONTEXT_H */
