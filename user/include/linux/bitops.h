/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: bit search. */
#ifndef _BUFPOOL_SHIM_LINUX_BITOPS_H
#define _BUFPOOL_SHIM_LINUX_BITOPS_H

#include <linux/types.h>

/* Index of the lowest set bit; undefined for 0, as in the kernel. */
static inline unsigned int __ffs64(u64 word)
{
	return __builtin_ctzll(word);
}

#endif
