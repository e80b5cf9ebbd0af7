/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_test_context.h (kernel) - run a test function in the calling
 * contexts bufpool's context contract names (Documentation/module.rst):
 * a timer and a tasklet (softirq), process context under a held spinlock
 * (preemption off) and under one taken with spin_lock_irqsave() (hard
 * interrupts off), and a hard-irq hrtimer (hardirq context).  The KUnit
 * suite bufpool_context uses it; the userspace build has its own, which
 * runs the function in the calling thread (userspace has no softirq).
 */
#ifndef _BUFPOOL_TEST_CONTEXT_H
#define _BUFPOOL_TEST_CONTEXT_H

#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

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

struct bufpool_test_call {
	void (*fn)(void *arg);
	void *arg;
	bool right_context;
	struct completion done;
	struct timer_list timer;
	struct tasklet_struct tasklet;
	struct hrtimer hrtimer;
};

static void bufpool_test_timer_fn(struct timer_list *t)
{
	struct bufpool_test_call *c = from_timer(c, t, timer);

	c->right_context = in_serving_softirq();
	c->fn(c->arg);
	complete(&c->done);
}

static void bufpool_test_tasklet_fn(struct tasklet_struct *t)
{
	struct bufpool_test_call *c = from_tasklet(c, t, tasklet);

	c->right_context = in_serving_softirq();
	c->fn(c->arg);
	complete(&c->done);
}

static enum hrtimer_restart bufpool_test_hrtimer_fn(struct hrtimer *t)
{
	struct bufpool_test_call *c = container_of(t, struct bufpool_test_call, hrtimer);

	c->right_context = in_hardirq() && irqs_disabled();
	c->fn(c->arg);
	complete(&c->done);
	return HRTIMER_NORESTART;
}

/*
 * Run @fn(@arg) in @ctx and wait for it.  Return: whether it ran in the
 * context asked for (in_serving_softirq() for the softirq ones).
 */
static inline bool bufpool_test_run_in(enum bufpool_test_ctx ctx, void (*fn)(void *arg),
				       void *arg)
{
	static DEFINE_SPINLOCK(held);
	struct bufpool_test_call c = { .fn = fn, .arg = arg };

	init_completion(&c.done);
	switch (ctx) {
	case BUFPOOL_CTX_TIMER:
		timer_setup_on_stack(&c.timer, bufpool_test_timer_fn, 0);
		mod_timer(&c.timer, jiffies + 1);
		wait_for_completion(&c.done);
		del_timer_sync(&c.timer);
		destroy_timer_on_stack(&c.timer);
		break;
	case BUFPOOL_CTX_TASKLET:
		tasklet_setup(&c.tasklet, bufpool_test_tasklet_fn);
		tasklet_schedule(&c.tasklet);
		wait_for_completion(&c.done);
		tasklet_kill(&c.tasklet);
		break;
	case BUFPOOL_CTX_IRQS_OFF: {
		unsigned long flags;

		spin_lock_irqsave(&held, flags);
		c.right_context = irqs_disabled();
		fn(arg);
		spin_unlock_irqrestore(&held, flags);
		break;
	}
	case BUFPOOL_CTX_HARDIRQ:
		/* _HARD: the callback runs in hardirq context, also on RT. */
		hrtimer_init_on_stack(&c.hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
		c.hrtimer.function = bufpool_test_hrtimer_fn;
		hrtimer_start(&c.hrtimer, ns_to_ktime(100 * NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
		wait_for_completion(&c.done);
		hrtimer_cancel(&c.hrtimer);
		destroy_hrtimer_on_stack(&c.hrtimer);
		break;
	default:
		spin_lock(&held);
		c.right_context = !preemptible();
		fn(arg);
		spin_unlock(&held);
		break;
	}
	return c.right_context;
}

#endif /* _BUFPOOL_TEST_CONTEXT_H */
