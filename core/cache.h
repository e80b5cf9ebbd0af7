/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * cache.h - the per-CPU (kernel) or per-thread (userspace) caches in
 * front of the arenas (cache.c): bins, counters, and what the hit path
 * (fastpath.h) reads of a bin.
 */
#ifndef _BUFPOOL_CACHE_H
#define _BUFPOOL_CACHE_H

#include <bufpool_seam.h>
#include <linux/u64_stats_sync.h>
#include "geometry.h"

struct bufpool;
struct bufpool_buf;

/* Cache bins: 31 tiny, 7 small at most, 8 normal (page .. page << 7). */
#define BUFPOOL_CACHE_TINY_BINS		(BUFPOOL_NR_TINY_POOLS - 1)
#define BUFPOOL_CACHE_SMALL_BIN0	BUFPOOL_CACHE_TINY_BINS
#define BUFPOOL_CACHE_NORMAL_BIN0	(BUFPOOL_CACHE_SMALL_BIN0 + BUFPOOL_NR_SMALL_POOLS_MAX)
#define BUFPOOL_CACHE_NORMAL_BINS	8
#define BUFPOOL_CACHE_BINS		(BUFPOOL_CACHE_NORMAL_BIN0 + BUFPOOL_CACHE_NORMAL_BINS)
/* Entries per bin at most: a full bin of 64 Ki entries is 1.5 MiB of stack. */
#define BUFPOOL_CACHE_SIZE_MAX		65536u

/**
 * struct bufpool_cache_bin - cached allocations of one size (MemoryRegionCache)
 * @top: one past the newest entry of the bin's stack; the oldest is at the
 *       stack's base, bufpool_cache's @bin_base
 * @limit: the end of the stack's room: the pool's cache size for the bin
 *         past the base (the base itself: no room, the cache has no bins
 *         or the size is not cached)
 * @hits: allocations it served
 * @frees: frees it took
 *
 * The slot below every stack's base holds NULL, so that the allocation's
 * hit path tells an empty bin by the entry it would pop, top[-1], without
 * the base; a bin without room points at the cache's @no_entries.  A push
 * tests top against @limit.  32 bytes, so that the hit path indexes bins
 * with a shift.
 *
 * Only the owner writes the counters, inside the cache and between
 * u64_stats_update_begin()/_end() of the cache's @syncp (nothing on 64-bit
 * machines, a seqcount on 32-bit ones); stats readers use the fetch loop,
 * so a count never tears.
 */
struct bufpool_cache_bin {
	void **top;
	void **limit;
	u64_stats_t hits;
	u64_stats_t frees;
};

/**
 * struct bufpool_cache_counters - a cache's slow-path counters, per class
 * @hits: as in struct bufpool_cache_stats, which is what readers get of
 *        these (bufpool_cache_add_stats())
 * @misses: likewise
 * @frees: likewise
 * @flushed: likewise
 * @filled: likewise
 * @cached_bytes: likewise
 * @trims: likewise
 * @buf_recycled: likewise
 * @buf_allocs: likewise
 *
 * Only the owner writes them, as the bins' counters.
 */
struct bufpool_cache_counters {
	u64_stats_t hits[BUFPOOL_NR_CLASSES];
	u64_stats_t misses[BUFPOOL_NR_CLASSES];
	u64_stats_t frees[BUFPOOL_NR_CLASSES];
	u64_stats_t flushed[BUFPOOL_NR_CLASSES];
	u64_stats_t filled[BUFPOOL_NR_CLASSES];
	u64_stats_t cached_bytes;
	u64_stats_t trims;
	u64_stats_t buf_recycled;
	u64_stats_t buf_allocs;
};

/**
 * struct bufpool_cache_stats - a snapshot or a sum of caches' counters
 * @hits: allocations served from the cache (retired caches only: a live
 *        cache counts them per bin)
 * @misses: cacheable allocations it could not serve
 * @frees: frees kept in the cache (retired caches only, as @hits)
 * @flushed: entries given back to their arena
 * @filled: entries a miss took from the arena for later hits (a batch
 *          refill): allocated for the arena, not yet for any user
 * @cached_bytes: retired caches only (0); live ones count their bins
 * @trims: trims run
 * @buf_recycled: buffer descriptors reused
 * @buf_allocs: buffers allocated whose descriptor came from this cache
 *              (the pool counts the others)
 */
struct bufpool_cache_stats {
	u64 hits[BUFPOOL_NR_CLASSES];
	u64 misses[BUFPOOL_NR_CLASSES];
	u64 frees[BUFPOOL_NR_CLASSES];
	u64 flushed[BUFPOOL_NR_CLASSES];
	u64 filled[BUFPOOL_NR_CLASSES];
	u64 cached_bytes;
	u64 trims;
	u64 buf_recycled;
	u64 buf_allocs;
};

/**
 * struct bufpool_cache - a per-CPU (kernel) or per-thread (userspace) cache
 * @pool: owner
 * @trim_left: allocations through the cache until the next count trim
 * @last_trim_ms: when it was last trimmed (time-based trim)
 * @syncp: brackets the owner's updates of @st, the bins' counters and
 *         @hits_at_trim, so that a reader on a 32-bit machine sees no torn
 *         count (empty on 64-bit ones)
 * @st: slow-path counters; only the owner writes them
 * @node: link in the world's list of caches (userspace)
 * @buf_free: recycled buffer descriptors (buf.c)
 * @nr_buf_free: how many
 * @leak_left: buffers this cache allocates until it samples one for leak
 *             tracking; counted down, no division per buffer (buf.c)
 * @bins: one per cacheable size (32 bytes each: the hit path indexes them
 *        with a shift), and one more, BUFPOOL_NO_BIN, that is always empty
 *        and full (no room): sizes the table gives no bin land there and
 *        miss, with no test of their own on the hit path
 * @bin_base: per bin, the base of its stack (the oldest entry)
 * @no_entries: NULL; every bin without room has its stack at
 *              &@no_entries + 1: empty (top[-1] is NULL) and full
 * @hits_at_trim: per bin, its hits at the last trim (Netty's trim keeps
 *                what a bin served since then)
 * @refill_end: per bin, its hits (low 32 bits) once its last refill's kept
 *              entries are all used: until then a full bin's flush gives
 *              back what that refill left unused, refill_end - hits,
 *              instead of half the bin (see cache.c); a flush sets it to
 *              the hits, so it is spent once (a value left stale for
 *              2^31 hits may give back one batch early: harmless)
 * @bins_mem: the one allocation that holds every bin's stack, each above
 *            a NULL slot (bufpool_cache_bins_alloc())
 */
struct bufpool_cache {
	struct bufpool *pool;
	u32 trim_left;
	u64 last_trim_ms;
	struct u64_stats_sync syncp;
	struct bufpool_cache_counters st;
	struct list_head node;
	struct bufpool_buf *buf_free;
	u32 nr_buf_free;
	u32 leak_left;
	struct bufpool_cache_bin bins[BUFPOOL_CACHE_BINS + 1];
	void **bin_base[BUFPOOL_CACHE_BINS + 1];
	void *no_entries;
	u64_stats_t hits_at_trim[BUFPOOL_CACHE_BINS];
	u32 refill_end[BUFPOOL_CACHE_BINS];
	void **bins_mem;
};

/*
 * Add @n to one of @c's counters.  The caller owns @c: it is inside the
 * cache (bufpool_cache_enter()), or the cache is its outright.
 */
static __always_inline void bufpool_cache_count(struct bufpool_cache *c, u64_stats_t *counter,
						unsigned long n)
{
	u64_stats_update_begin(&c->syncp);
	u64_stats_add(counter, n);
	u64_stats_update_end(&c->syncp);
}

/* Entries @c's @bin holds; read unlocked by stats readers. */
static __always_inline u32 bufpool_bin_count(const struct bufpool_cache *c, unsigned int bin)
{
	return READ_ONCE(c->bins[bin].top) - c->bin_base[bin];
}

/* Entries @c's @bin has room for. */
static __always_inline u32 bufpool_bin_cap(const struct bufpool_cache *c, unsigned int bin)
{
	return c->bins[bin].limit - c->bin_base[bin];
}

/**
 * struct bufpool_bin_info - what the free's hit path checks of a page of a cache bin
 * @inv: for sizes below a page, size = d * 2^@shift with d odd, and @inv
 *       is d's inverse mod 2^32; 1 for runs
 * @elems: elements in a page (page size / size); 1 for runs, 0 for entry 0
 *         (32 bits, so that the hit path compares with it in memory)
 * @shift: see @inv; 0 for runs
 * @pad: 0
 *
 * The element-start test is one multiply, one rotate and one compare:
 * ror32(in_page * @inv, @shift) is in_page / size when size divides
 * in_page, and above 2^32 / size - 1, so above every index of the page,
 * when it does not (Granlund and Montgomery's divisibility test; KUnit
 * checks every offset).  So "below @elems" is both tests at once: at an
 * element's start, and not in the page's tail past its last element.
 * For a run, offset 0 passes alone.
 *
 * 16 bytes, so that the hit path indexes the array with a bin key (four
 * times the page_bin) as a scaled index: the bin's size is in the pool's
 * bin_sizes[], the quotient magic the flushes use in bin_magic[].  The
 * pool's bin_infos[] is indexed by a page's page_bin (bin + 1); its entry
 * 0, for pages with no cacheable allocation, is all zero, so that no
 * offset passes there and the hit path needs no test of its own for such
 * pages.
 */
struct bufpool_bin_info {
	u32 inv;
	u32 elems;
	u8 shift;
	u8 pad[7];
};

/*
 * Is @in_page (below the page size) the start of an element of @bi's
 * page?  No division, no test for "no bin" (bin_infos[0] fails it).
 */
static __always_inline bool bufpool_bin_elem_start(const struct bufpool_bin_info *bi,
						   u32 in_page)
{
	return ror32(in_page * bi->inv, bi->shift) < bi->elems;
}

/*
 * A bin key is how the hit paths carry a cache bin: the page_bin a page of
 * the bin has (bin + 1; 0 for none) times BUFPOOL_BIN_KEY_SCALE.  Both
 * arrays the hit paths index are then reached with a scaled address and
 * no shift: the pool's bin_infos[] (16 bytes an entry: key * 4) and a
 * cache's bins[] (32 bytes: key * 8).  A key fits a byte, as the entries
 * of the size table and of the userspace page map that hold keys.
 */
#define BUFPOOL_BIN_KEY_SCALE		4u

/* @page_bin's key. */
static __always_inline unsigned long bufpool_bin_key(unsigned long page_bin)
{
	return page_bin * BUFPOOL_BIN_KEY_SCALE;
}

/* The cache bin whose key is @key (BUFPOOL_NO_BIN's included); UINT_MAX for 0. */
static __always_inline unsigned int bufpool_key_bin(unsigned long key)
{
	return key / BUFPOOL_BIN_KEY_SCALE - 1;
}

/* The bin_infos[] entry of the page_bin whose key is @key: no shift. */
static __always_inline const struct bufpool_bin_info *
bufpool_key_bin_info(const struct bufpool_bin_info *bin_infos, unsigned long key)
{
	BUILD_BUG_ON(sizeof(*bin_infos) % BUFPOOL_BIN_KEY_SCALE);
	return (const void *)((const char *)bin_infos +
			      key * (sizeof(*bin_infos) / BUFPOOL_BIN_KEY_SCALE));
}

/*
 * @c's bin whose key is @key: &@c->bins[@key / BUFPOOL_BIN_KEY_SCALE - 1],
 * written so that the - 1 folds into the address's displacement and the
 * key is the address's scaled index.
 */
static __always_inline struct bufpool_cache_bin *
bufpool_cache_key_bin(struct bufpool_cache *c, unsigned long key)
{
	BUILD_BUG_ON(sizeof(c->bins[0]) % BUFPOOL_BIN_KEY_SCALE);
	return (struct bufpool_cache_bin *)((char *)c->bins - sizeof(c->bins[0]) +
					    key * (sizeof(c->bins[0]) / BUFPOOL_BIN_KEY_SCALE));
}

/* Requests up to this size find their cache bin in a table, by 16 bytes. */
#define BUFPOOL_FAST_MAX		65536u
/*
 * Entries a cache miss takes from the arena at most (cache_refill); by
 * default 64 for tiny sizes, half that for larger ones (cache.c).
 */
#define BUFPOOL_REFILL_MAX		64u
#define BUFPOOL_FAST_SLOTS		(BUFPOOL_FAST_MAX / BUFPOOL_TINY_QUANTUM + 1)
/* The table's "no bin": the empty extra bin of every cache (struct bufpool_cache). */
#define BUFPOOL_NO_BIN			BUFPOOL_CACHE_BINS

/* cache.c (the hit path itself is in fastpath.h) */
void bufpool_cache_setup(struct bufpool *pool);
void bufpool_cache_init(struct bufpool_cache *c, struct bufpool *pool);
int bufpool_cache_bins_alloc(struct bufpool_cache *c, gfp_t gfp, int node);
void bufpool_cache_bins_free(struct bufpool_cache *c);
void bufpool_cache_flush_all(struct bufpool *pool, struct bufpool_cache *owned);
void bufpool_cache_xfer_drain(struct bufpool *pool, bool all);
void bufpool_cache_release(struct bufpool_cache *c);
void bufpool_cache_trim(struct bufpool *pool, struct bufpool_cache *owned);
void bufpool_cache_add_stats(struct bufpool_cache_stats *sum, const struct bufpool_cache *c);
void bufpool_cache_absorb(struct bufpool_cache *dst, const struct bufpool_cache *src);
int bufpool_cache_bin(const struct bufpool *pool, size_t norm);
size_t bufpool_pool_alloc_bulk(struct bufpool *pool, size_t size, gfp_t gfp, size_t n,
			       void **ptrs);
void bufpool_pool_free_bulk(struct bufpool *pool, size_t n, void **ptrs);

#endif /* _BUFPOOL_CACHE_H */
