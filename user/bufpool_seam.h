/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_seam.h (userspace) - what the core sees of "the kernel" when it
 * is built as libbufpool: the same names as kmod/bufpool_seam.h, from the
 * shim headers in user/include/linux/ (see user/README.md for every place
 * they differ from the kernel).
 */
#ifndef _BUFPOOL_SEAM_H
#define _BUFPOOL_SEAM_H

#include <errno.h>
#include <pthread.h>
#include <asm/byteorder.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <bufpool.h>

/**
 * struct bufpool_world - per-pool state of the userspace world
 * @key: each thread's binding (arena and cache), made on first use
 *       (user/arena_select.c)
 * @lock: protects @threads
 * @threads: every live thread's cache
 * @id: never reused in the process; tells pools apart in thread-local memos
 * @node: on the list of pools whose locks fork() takes (user/fork.c)
 * @page_map: root of the page map the free's hit path reads: per root
 *            entry its leaf's address, biased by the entry's first granule
 *            (user/page_map.c)
 */
struct bufpool_world {
	unsigned long id;
	pthread_key_t key;
	pthread_mutex_t lock;
	struct list_head threads;
	struct list_head node;
	uintptr_t *page_map;
};

/*
 * Where chunks can be: the user address space (48 bits on x86-64 and
 * arm64 with 4-level page tables; mmap hands out nothing above it unless
 * asked).  See core/chunk_table.c.
 */
#define BUFPOOL_ADDR_BASE	0UL
#define BUFPOOL_ADDR_BITS	48u
#define BUFPOOL_ADDR_LIMIT	(1UL << BUFPOOL_ADDR_BITS)

/* Zero what is handed out: only when asked (the kernel also for init_on_alloc). */
#define bufpool_want_zero(gfp)	((gfp) & __GFP_ZERO)

/* An allocation failed: <bufpool.h> promises errno ENOMEM. */
#define bufpool_alloc_failed()	(errno = ENOMEM)

/*
 * The library's hit-path entry points (bufpool_alloc(), bufpool_free(),
 * bufpool_free_sized(), and malloc() and free() of the preload) start on
 * a cache line: each then spans the fewest lines, and the same fetch and
 * decoded-instruction windows however the code around it moves.
 */
#define __bufpool_hot_entry	__attribute__((__aligned__(SMP_CACHE_BYTES)))

/*
 * The core's EXPORT_SYMBOL_GPL and EXPORT_SYMBOL_NS_GPL expand to nothing
 * (user/include/linux/module.h): libbufpool.map says what the library
 * exports, and nothing of its internals.
 */

#endif /* _BUFPOOL_SEAM_H */
