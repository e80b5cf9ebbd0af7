/* SPDX-License-Identifier: GPL-2.0 OR MIT */
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
#include "../bufpool_buf.h"
#include "../bufpool_recv.h"
#include "../bufpool_stats.h"

struct bufpool;

/* Misuse policy flag; the kernel always WARNs once and counts, so it only
 * matters to the userspace library, but the config is one format. */
#define BUFPOOL_F_MISUSE_COUNT	0x1u
#define BUFPOOL_F_LEAK_REPORT_AT_EXIT	0x2u	/* userspace only */

/**
 * struct bufpool_config - geometry and policy of a pool
 * @name: shown in warnings and as the debugfs directory (NULL: "pool")
 * @page_size: bytes per page; power of two, 4096..65536 (required)
 * @max_order: chunk = page_size << max_order; chunk <= 4 MiB in the kernel
 *             (9 with 8 KiB pages)
 * @nr_arenas: number of arenas (0: one per possible CPU)
 * @flags: BUFPOOL_F_* (no effect in the kernel)
 * @tiny_cache_size: per-CPU cache entries per tiny class (0: no cache)
 * @small_cache_size: per-CPU cache entries per small class (0: no cache)
 * @normal_cache_size: per-CPU cache entries per normal class (0: no cache)
 * @max_cached_capacity: largest size cached (0: no normal class cached)
 * @cache_trim_interval: trim a cache every that many allocations through it
 *                       (0: never by count)
 * @cache_trim_interval_ms: also trim every CPU's cache this often, from
 *                          delayed work and on misses (0: off)
 * @buf_recycler_size: buffer descriptors a CPU keeps for reuse (0: 256)
 * @leak_detection: enum bufpool_leak_level (0: simple)
 * @leak_sample_rate: simple/advanced track 1 buffer in this many (0: 128)
 * @cache_refill: allocations a cache miss takes from the arena under one
 *                lock, one for the caller and the rest cached (0: a
 *                quarter of the bin, at most 64 below 512 bytes and 32
 *                from there; 1: one at a time, as Netty; at most 64)
 * @chunk_retention_ms: keep a chunk that empties this long, for reuse before
 *                      a new one is allocated (0: release it at once)
 */
struct bufpool_config {
	const char *name;
	unsigned int page_size;
	unsigned int max_order;
	unsigned int nr_arenas;
	unsigned int flags;
	unsigned int tiny_cache_size;
	unsigned int small_cache_size;
	unsigned int normal_cache_size;
	unsigned int max_cached_capacity;
	unsigned int cache_trim_interval;
	unsigned int cache_trim_interval_ms;
	unsigned int buf_recycler_size;
	unsigned int leak_detection;
	unsigned int leak_sample_rate;
	unsigned int chunk_retention_ms;
	unsigned int cache_refill;
};

/*
 * struct bufpool_stats - a snapshot of a pool's counters (not kernel-doc:
 * its members come from a macro, which kernel-doc cannot parse).
 *
 * One u64 per counter of BUFPOOL_STATS() in <bufpool_stats.h>, in that
 * order, each described there; the names are the keys of the debugfs
 * "stats" file and the fields of the library's struct bufpool_stats.
 */
#define BUFPOOL_STAT_MEMBER(name)	u64 name;
struct bufpool_stats {
	BUFPOOL_STATS(BUFPOOL_STAT_MEMBER)
};
#undef BUFPOOL_STAT_MEMBER

struct bufpool *bufpool_create(const struct bufpool_config *cfg);
void bufpool_destroy(struct bufpool *pool);
void *bufpool_alloc(struct bufpool *pool, size_t size, gfp_t gfp);
void bufpool_free(struct bufpool *pool, const void *ptr);
void bufpool_free_sized(struct bufpool *pool, const void *ptr, size_t size);
size_t bufpool_alloc_bulk(struct bufpool *pool, size_t size, gfp_t gfp, size_t n,
			  void **ptrs);
void bufpool_free_bulk(struct bufpool *pool, size_t n, void **ptrs);
size_t bufpool_usable_size(struct bufpool *pool, const void *ptr);
int bufpool_get_stats(struct bufpool *pool, struct bufpool_stats *st);
int bufpool_trim(struct bufpool *pool);
struct bufpool *bufpool_default_pool(void);
struct bufpool_buf *bufpool_buf_alloc(struct bufpool *pool, size_t initial, size_t max,
				      gfp_t gfp);

#endif /* _LINUX_BUFPOOL_H */
