/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: kernel integer types.  u64 is unsigned long long as in the kernel,
 * so "%llu" formats it in both worlds. */
#ifndef _BUFPOOL_SHIM_LINUX_TYPES_H
#define _BUFPOOL_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>	/* __u8 .. __u64 from the uapi headers */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int32_t s32;
typedef long long s64;
typedef unsigned int gfp_t;

#endif
