/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: multiplicative hash, the kernel's 64-bit golden-ratio constant. */
#ifndef _BUFPOOL_SHIM_LINUX_HASH_H
#define _BUFPOOL_SHIM_LINUX_HASH_H

#include <linux/types.h>

#define GOLDEN_RATIO_64	0x61C8864680B583EBull

static inline u32 hash_long(unsigned long val, unsigned int bits)
{
	return (u32)(((u64)val * GOLDEN_RATIO_64) >> (64 - bits));
}

#endif
