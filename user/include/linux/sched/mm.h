/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <linux/sched/mm.h> shim: might_alloc() only.  The kernel's checks that
 * a caller that may not sleep did not pass a gfp that may, and offers a
 * voluntary preemption point; no userspace thread runs in an atomic
 * context, so it does nothing.
 */
#ifndef _BUFPOOL_SHIM_LINUX_SCHED_MM_H
#define _BUFPOOL_SHIM_LINUX_SCHED_MM_H

#include <linux/gfp.h>

static inline void might_alloc(gfp_t gfp)
{
}

#endif
