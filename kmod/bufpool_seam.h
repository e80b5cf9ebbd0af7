/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_seam.h (kernel) - what the core sees of the kernel: the real
 * headers.  Its userspace twin, user/bufpool_seam.h, provides the same
 * names from the shims in user/include/.
 */
#ifndef _BUFPOOL_SEAM_H
#define _BUFPOOL_SEAM_H

#include <asm/byteorder.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/local_lock.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/bufpool.h>

struct dentry;
struct bufpool_pcpu;

/**
 * struct bufpool_world - per-pool state of the kernel world
 * @debugfs: the pool's directory under /sys/kernel/debug/bufpool/
 * @pcpu: one cache per CPU and its local_lock (kmod/bufpool_cache_world.h)
 * @trim_work: the time-based cache trim (kmod/cache_work.c)
 * @reclaim_work: the drain a shrinker scan queues (kmod/shrinker.c)
 * @reclaim_lock: a scan and that drain, one at a time (kmod/shrinker.c)
 * @refill_work: maps chunks for arenas that atomic allocations found
 *               empty (kmod/arena_select.c)
 */
struct bufpool_world {
	struct dentry *debugfs;
	struct bufpool_pcpu __percpu *pcpu;
	struct delayed_work trim_work;
	struct work_struct reclaim_work;
	struct mutex reclaim_lock;	/* a scan and its drain, one at a time */
	struct work_struct refill_work;
};

/*
 * Where chunks can be: the direct map (they come from alloc_pages).  See
 * core/chunk_table.c.
 */
#define BUFPOOL_ADDR_BASE	PAGE_OFFSET
#define BUFPOOL_ADDR_BITS	MAX_PHYSMEM_BITS
#define BUFPOOL_ADDR_LIMIT	BIT(BUFPOOL_ADDR_BITS)

/*
 * Zero what is handed out: __GFP_ZERO, or the kernel's init_on_alloc
 * hardening (Debian's default), as the slab and page allocators do.
 */
#define bufpool_want_zero(gfp)	want_init_on_alloc(gfp)

/* An allocation failed: NULL says it all in the kernel. */
#define bufpool_alloc_failed()	do { } while (0)

/*
 * The core exports with <linux/export.h>'s own macros, right after each
 * function (kernel-doc -export sees them): EXPORT_SYMBOL_GPL for the public
 * API, EXPORT_SYMBOL_NS_GPL(sym, BUFPOOL_INTERNAL) for the internals the
 * KUnit module (bufpool_test.ko) calls, and nobody else.
 */

#endif /* _BUFPOOL_SEAM_H */
