/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: 64-bit division (native here). */
#ifndef _BUFPOOL_SHIM_LINUX_MATH64_H
#define _BUFPOOL_SHIM_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

#endif
