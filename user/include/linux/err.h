/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: error pointers, as in the kernel (the top 4095 addresses). */
#ifndef _BUFPOOL_SHIM_LINUX_ERR_H
#define _BUFPOOL_SHIM_LINUX_ERR_H

#include <errno.h>
#include <stdbool.h>

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }

#endif
