/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: kmalloc and friends over malloc; kvmalloc is the same as kmalloc
 * (there is no vmalloc fallback to distinguish). */
#ifndef _BUFPOOL_SHIM_LINUX_SLAB_H
#define _BUFPOOL_SHIM_LINUX_SLAB_H

#include <stdlib.h>
#include <string.h>
#include <linux/gfp.h>
#include <linux/overflow.h>

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	return (gfp & __GFP_ZERO) ? calloc(1, size) : malloc(size);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

static inline void kfree(const void *p) { free((void *)p); }

#define kvmalloc(size, gfp)		kmalloc(size, gfp)
#define kvmalloc_array(n, size, gfp)	kmalloc_array(n, size, gfp)
#define kvcalloc(n, size, gfp)		kcalloc(n, size, gfp)
#define kvfree(p)			kfree(p)

#endif
