/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: allocation flags.  Userspace memory never sleeps on reclaim the
 * kernel's way, so only __GFP_ZERO has an effect; the rest are accepted and
 * ignored so that the core passes them through unchanged. */
#ifndef _BUFPOOL_SHIM_LINUX_GFP_H
#define _BUFPOOL_SHIM_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_ZERO	0x100u
#define __GFP_NOWARN	0x200u
#define __GFP_ACCOUNT	0x400u
#define GFP_NOWAIT	0x4u
#define GFP_ATOMIC	0x1u
#define GFP_KERNEL	0x2u

/* No userspace thread is atomic: every flag may "block" (map memory). */
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return true;
}

#endif
