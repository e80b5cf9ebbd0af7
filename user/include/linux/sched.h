/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <linux/sched.h> shim: cond_resched() only.  The kernel offers a voluntary
 * preemption point there; userspace threads are preempted by the scheduler
 * anyway, so it does nothing.
 */
#ifndef _BUFPOOL_SHIM_LINUX_SCHED_H
#define _BUFPOOL_SHIM_LINUX_SCHED_H

static inline void cond_resched(void)
{
}

#endif
