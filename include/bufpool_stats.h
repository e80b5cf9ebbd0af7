/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <bufpool_stats.h> - every counter of struct bufpool_stats, named once.
 *
 * BUFPOOL_STATS(X) expands X(name) once per counter, in the order of the
 * struct.  The kernel's <linux/bufpool.h> and the library's <bufpool.h>
 * build struct bufpool_stats from it (u64 / uint64_t members); the core's
 * name table (core/stats.c, the debugfs "stats" file and
 * bufpool_stats_format()), the /dev/bufpool STATS copy (kmod/dev.c, checked
 * field by field against the uapi struct) and bufpoolstat's reading of the
 * ioctl all expand it too.  Adding a counter: append one line here, append
 * the same __u64 to struct bufpool_ioc_stats in <linux/bufpool.h> (uapi;
 * the build fails until both agree) and compute it in bufpool_stats_read().
 *
 * New counters only ever go at the end: userspace callers that were built
 * with a shorter struct pass its size to bufpool_stats_get().
 *
 * This header has no types and no include: it is valid C and C++ in both
 * worlds.
 */
#ifndef _BUFPOOL_STATS_H
#define _BUFPOOL_STATS_H

#define BUFPOOL_STATS(X)						\
	X(allocations)		/* successful allocations */		\
	X(frees)		/* successful frees */			\
	X(active)		/* allocations - frees */		\
	X(active_bytes)		/* usable bytes live, huge included */	\
	X(chunks)		/* chunks held from pages/mmap */	\
	X(chunk_bytes)		/* chunks x chunk size */		\
	X(huge_active)		/* live unpooled allocations */		\
	X(huge_bytes)		/* their bytes, page-rounded */		\
	X(invalid_frees)	/* frees refused as misuse */		\
	X(tiny_allocations)	/* allocations served as tiny */	\
	X(tiny_frees)							\
	X(small_allocations)	/* ... as small */			\
	X(small_frees)							\
	X(normal_allocations)	/* ... as normal (runs of pages) */	\
	X(normal_frees)							\
	X(huge_allocations)	/* unpooled allocations */		\
	X(huge_frees)							\
	X(cache_hits)		/* served by a per-CPU/thread cache */	\
	X(cache_misses)		/* cacheable, not served by it */	\
	X(cache_frees)		/* frees kept in a cache */		\
	X(cache_flushed)	/* cached entries given back */		\
	X(cache_trims)		/* trims run */				\
	X(cached_bytes)		/* bytes held in caches now */		\
	X(shrinker_scans)	/* memory pressure scans (kernel) */	\
	X(shrinker_freed)	/* pages they gave back (kernel) */	\
	X(tiny_cache_hits)	/* cache_hits of tiny sizes */		\
	X(tiny_cache_misses)						\
	X(small_cache_hits)						\
	X(small_cache_misses)						\
	X(normal_cache_hits)						\
	X(normal_cache_misses)						\
	X(arena_locks)		/* arena lock acquisitions */		\
	X(arena_lock_contended)	/* of which found it taken */		\
	X(buf_allocs)		/* refcounted buffers allocated */	\
	X(buf_recycled)		/* buffer descriptors reused */		\
	X(buf_refcnt_errors)	/* refcount misuse caught */		\
	X(buf_leaks_tracked)	/* buffers leak detection tracks now */	\
	X(retained_chunks)	/* emptied chunks kept for reuse */	\
	X(purge_calls)		/* madvise calls giving free pages back */ \
	X(purged_bytes)		/* bytes they gave back, in all */

/* How many counters BUFPOOL_STATS() names. */
#define BUFPOOL_STATS_ONE(name)	+ 1
#define BUFPOOL_NR_STATS	(0 BUFPOOL_STATS(BUFPOOL_STATS_ONE))

#endif /* _BUFPOOL_STATS_H */
