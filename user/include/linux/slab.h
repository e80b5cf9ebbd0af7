/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: kmalloc and friends over malloc; kvmalloc is the same as kmalloc
 * (there is no vmalloc fallback to distinguish).  Like the kernel's
 * power-of-two caches, blocks of 64 bytes or more are cache-line aligned,
 * which ____cacheline_aligned_in_smp structs rely on. */
#ifndef _BUFPOOL_SHIM_LINUX_SLAB_H
#define _BUFPOOL_SHIM_LINUX_SLAB_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/gfp.h>
#include <linux/overflow.h>

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (size < 64)
		return (gfp & __GFP_ZERO) ? calloc(1, size) : malloc(size);
	if (size > SIZE_MAX - 63)
		return NULL;
	p = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, size);
	return p;
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
/* One memory node here: the node is ignored. */
#define NUMA_NO_NODE			(-1)
#define kvmalloc_node(size, gfp, node)	kmalloc(size, gfp)

#endif
