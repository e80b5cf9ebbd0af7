/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: power-of-two helpers.  Functions, not the kernel's constant-folding
 * macros; the same results for the non-zero arguments the core passes. */
#ifndef _BUFPOOL_SHIM_LINUX_LOG2_H
#define _BUFPOOL_SHIM_LINUX_LOG2_H

#include <stdbool.h>

static inline int ilog2(unsigned long long n)
{
	return 63 - __builtin_clzll(n);
}

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

#endif
