/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/bufpool.h> - the in-kernel API of the bufpool module.
 *
 * Other modules allocate from a bufpool pool with bufpool_alloc() and give
 * memory back with bufpool_free(); bufpool_default_pool() is the pool the
 * module creates at load time from its module parameters.  Field names of
 * struct bufpool_stats are the keys of the debugfs "stats" file and match the
 * userspace library's <bufpool.h> one for one.
 */
#ifndef _LINUX_BUFPOOL_H
#define _LINUX_BUFPOOL_H

#include <linux/types.h>
#include <linux/gfp.h>

struct bufpool;

/* Misuse policy flag; the kernel always WARNs once and counts, so it only
 * matters to the userspace library, but the config is one format. */
#define BUFPOOL_F_MISUSE_COUNT	0x1u

/**
 * struct bufpool_config - geometry and policy of a pool
 * @name: shown in warnings and as the debugfs directory (NULL: "pool")
 * @page_size: bytes per page; power of two, 4096..65536 (required)
 * @max_order: chunk = page_size << max_order; chunk <= 4 MiB in the kernel
 *             (9 with 8 KiB pages)
 * @nr_arenas: number of arenas (0: one per possible CPU)
 * @flags: BUFPOOL_F_* (no effect in the kernel)
 */
struct bufpool_config {
	const char *name;
	unsigned int page_size;
	unsigned int max_order;
	unsigned int nr_arenas;
	unsigned int flags;
};

/**
 * struct bufpool_stats - a snapshot of a pool's counters
 * @allocations: successful bufpool_alloc() calls
 * @frees: successful bufpool_free() calls
 * @active: allocations - frees
 * @active_bytes: usable bytes of live allocations, huge ones included
 * @chunks: chunks held from the page allocator
 * @chunk_bytes: chunks x chunk size
 * @huge_active: live unpooled allocations
 * @huge_bytes: their bytes, page-rounded
 * @invalid_frees: frees refused as misuse (foreign, interior, double)
 * @tiny_allocations: allocations served as tiny
 * @tiny_frees: frees of tiny allocations
 * @small_allocations: allocations served as small
 * @small_frees: frees of small allocations
 * @normal_allocations: allocations served as normal (runs of pages)
 * @normal_frees: frees of normal allocations
 * @huge_allocations: unpooled allocations
 * @huge_frees: frees of unpooled allocations
 */
struct bufpool_stats {
	u64 allocations;
	u64 frees;
	u64 active;
	u64 active_bytes;
	u64 chunks;
	u64 chunk_bytes;
	u64 huge_active;
	u64 huge_bytes;
	u64 invalid_frees;
	u64 tiny_allocations;
	u64 tiny_frees;
	u64 small_allocations;
	u64 small_frees;
	u64 normal_allocations;
	u64 normal_frees;
	u64 huge_allocations;
	u64 huge_frees;
};

struct bufpool *bufpool_create(const struct bufpool_config *cfg);
void bufpool_destroy(struct bufpool *pool);
void *bufpool_alloc(struct bufpool *pool, size_t size, gfp_t gfp);
void bufpool_free(struct bufpool *pool, const void *ptr);
size_t bufpool_usable_size(struct bufpool *pool, const void *ptr);
int bufpool_get_stats(struct bufpool *pool, struct bufpool_stats *st);
struct bufpool *bufpool_default_pool(void);

#endif /* _LINUX_BUFPOOL_H */
