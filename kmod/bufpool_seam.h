/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bufpool_seam.h (kernel) - what the core sees of the kernel: the real
 * headers.  Its userspace twin, user/bufpool_seam.h, provides the same
 * names from the shims in user/include/.
 */
#ifndef _BUFPOOL_SEAM_H
#define _BUFPOOL_SEAM_H

#include <asm/byteorder.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/bufpool.h>

struct dentry;
struct bufpool_cache;

/**
 * struct bufpool_world - per-pool state of the kernel world
 * @debugfs: the pool's directory under /sys/kernel/debug/bufpool/
 * @caches: one cache per CPU (kmod/arena_select.c)
 * @trim_work: the time-based cache trim (kmod/cache_work.c)
 */
struct bufpool_world {
	struct dentry *debugfs;
	struct bufpool_cache __percpu *caches;
	struct delayed_work trim_work;
};

/* Public API defined in the core (the buffer layer). */
#define BUFPOOL_EXPORT(sym)	EXPORT_SYMBOL_GPL(sym)
/* Core internals the KUnit module (bufpool_test.ko) calls, and nobody else. */
#define BUFPOOL_EXPORT_INTERNAL(sym)	EXPORT_SYMBOL_NS_GPL(sym, BUFPOOL_INTERNAL)

#endif /* _BUFPOOL_SEAM_H */
