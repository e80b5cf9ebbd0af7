/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * pool.h - a pool (pool.c): its arenas, chunk table, huge allocations
 * (huge.c), caches' configuration and counters (stats.c).
 *
 * Structure (Netty's PooledByteBufAllocator before 4.1.52):
 *
 *   bufpool ── arenas[nr_arenas] ── q050 → q025 → q000 → qinit → q075 (+q100)
 *      │            │                  └─ chunk ─ chunk ─ ...   (usage lists)
 *      │            ├─ tiny_pools[32]  ─ subpage ⇄ subpage ...  (by elem size)
 *      │            └─ small_pools[7]  ─ subpage ⇄ subpage ...
 *      ├─ chunk table: chunk base address → chunk        (free by pointer)
 *      └─ huge table:  pointer → unpooled allocation
 *
 *   chunk: [page 0][page 1] ... [page 2^max_order - 1]   chunk_size aligned
 *          buddy tree memory_map/depth_map over the pages; per page one
 *          subpage descriptor used when the page is split into elements.
 */
#ifndef _BUFPOOL_POOL_H
#define _BUFPOOL_POOL_H

#include <bufpool_seam.h>
#include "geometry.h"
#include "chunk.h"
#include "cache.h"
#include "leak.h"
#include "sanitize.h"

struct bufpool_arena;

#define BUFPOOL_NR_ARENAS_MAX	1024u
#define BUFPOOL_NAME_MAX	32

/* Huge allocations: 1024 hash buckets. */
#define BUFPOOL_TABLE_BITS	10

/**
 * struct bufpool_huge - unpooled allocations larger than a chunk
 * @lock: protects all fields
 * @buckets: hash of the pointer
 * @active: live allocations
 * @bytes: bytes mapped for them
 * @allocations: successful huge allocations
 * @frees: huge frees
 */
struct bufpool_huge {
	spinlock_t lock;	/* all fields */
	struct hlist_head buckets[1 << BUFPOOL_TABLE_BITS];
	u64 active;
	u64 bytes;
	u64 allocations;
	u64 frees;
};

/**
 * struct bufpool - a pool
 * @name: for messages and debugfs
 * @cfg: the configuration it was created with (@cfg.name points to @name)
 * @geo: sizes
 * @nr_arenas: number of arenas
 * @arenas: the arenas
 * @table: chunk lookup for free by pointer
 * @huge: unpooled allocations
 * @invalid_frees: misuse detected and refused
 * @shrinker_scans: times memory pressure asked the pool to shrink (kernel)
 * @shrinker_freed: pages given back then
 * @chunks_unmapped: chunks given back to the page source so far, by any
 *                   path (a trim's count is its difference)
 * @empty_chunks: mapped chunks that are entirely free, retained ones
 *                included; kept by chunk.c as chunks fill and empty, so the
 *                shrinker's count reads one number (no lock, no walk)
 * @shrink_credit: bytes reclaim asked for and not yet given (less than a
 *                 chunk), see bufpool_pool_shrink()
 * @purge_ms: bufpool_now_ms() of the last pass that gave free pages back
 *            (bufpool_pool_decay(); userspace only)
 * @cache_sizes: capacity of each cache bin (0: not cached)
 * @cache_max: largest normalized size cached; 0 if caches are off
 * @cache_cookie: random secret; see bufpool_cache_mark()
 * @fast_max: largest request the fast path serves (table lookup); 0 if
 *            caches are off
 * @bin_infos: per page_bin value: [0] for pages without a cacheable
 *             allocation (all zero), [bin + 1] for cache bin bin: its
 *             element check (bufpool_bin_info(), fastpath.h)
 * @bin_sizes: per cache bin, its normalized size (bufpool_bin_size())
 * @bin_magic: per cache bin below a page, ceil(2^32 / size): the
 *             quotient by a multiply (bufpool_bin_magic())
 * @size_key: request size (in 16 bytes, rounded up) to the key of its
 *            cache bin, or of BUFPOOL_NO_BIN (bufpool_bin_key(), cache.h);
 *            for requests up to @fast_max
 * @buf_recycler_max: descriptors a cache keeps for reuse (buf.c)
 * @buf_desc_lock: protects @buf_descs
 * @buf_descs: released buffer descriptors beyond what caches keep: they
 *             stay descriptors for the pool's life (buf.c)
 * @buf_allocs: buffers allocated (bufpool_new_buf()) whose descriptor did
 *              not come from a cache's recycler; the caches count the rest
 *              (no shared atomic on the common path)
 * @buf_refcnt_errors: retain/release of released buffers
 * @leak_level: enum bufpool_leak_level (leak.c)
 * @leak_sample_rate: simple/advanced track 1 buffer in this many
 * @leak_lock: protects @leaks and @leak_sites
 * @leaks: records of tracked live buffers
 * @nr_leaks: how many; changed under @leak_lock, read without it (stats)
 * @leak_sites: stacks by allocating call site, under @leak_lock
 * @retired_cache: holds in .st the counters of caches that are gone
 *                 (exited threads); visited last by bufpool_cache_for_each()
 * @world: per-world state (debugfs dentry, thread key), see the seam
 */
struct bufpool {
	struct bufpool_bin_info bin_infos[BUFPOOL_CACHE_BINS + 1];
	char name[BUFPOOL_NAME_MAX];
	struct bufpool_config cfg;
	struct bufpool_geometry geo;
	unsigned int nr_arenas;
	struct bufpool_arena *arenas;
	struct bufpool_chunk_table table;
	struct bufpool_huge huge;
	atomic_long_t invalid_frees;
	atomic_long_t shrinker_scans;
	atomic_long_t shrinker_freed;
	atomic_long_t chunks_unmapped;
	atomic_long_t empty_chunks;
	atomic_long_t shrink_credit;
	atomic_long_t purge_ms;
	u32 cache_sizes[BUFPOOL_CACHE_BINS];
	size_t cache_max;
	unsigned long cache_cookie;
	size_t fast_max;
	u32 bin_sizes[BUFPOOL_CACHE_BINS];
	u32 bin_magic[BUFPOOL_CACHE_BINS];
	u8 size_key[BUFPOOL_FAST_SLOTS];
	u32 buf_recycler_max;
	spinlock_t buf_desc_lock;	/* @buf_descs */
	struct bufpool_buf *buf_descs;
	atomic_long_t buf_allocs;
	atomic_long_t buf_refcnt_errors;
	unsigned int leak_level;
	unsigned int leak_sample_rate;
	spinlock_t leak_lock;	/* @leaks, @leak_sites, writes of @nr_leaks */
	struct list_head leaks;
	atomic_long_t nr_leaks;
	struct bufpool_leak_site leak_sites[1 << BUFPOOL_LEAK_SITE_BITS];
	struct bufpool_cache retired_cache;
	struct bufpool_world world;
};

/* What the fast path knows of cache bin @bin (struct bufpool_bin_info). */
static __always_inline const struct bufpool_bin_info *
bufpool_bin_info(const struct bufpool *pool, unsigned int bin)
{
	return &pool->bin_infos[bin + 1];
}

/* Cache bin @bin's normalized size (the size of its elements or runs). */
static __always_inline u32 bufpool_bin_size(const struct bufpool *pool, unsigned int bin)
{
	return pool->bin_sizes[bin];
}

/*
 * Cache bin @bin's division magic, for sizes below a page: for every
 * offset in a page (up to 64 KiB), in_page * magic >> 32 is
 * in_page / size, and the low 32 bits of that product are below magic
 * exactly when size divides in_page (Lemire's divisibility test; KUnit
 * checks every offset).  1 for runs.
 */
static __always_inline u32 bufpool_bin_magic(const struct bufpool *pool, unsigned int bin)
{
	return pool->bin_magic[bin];
}

/*
 * The chunk whose memory contains @ptr, or NULL.  Lockless: a hint that the
 * caller validates (bufpool_chunk_live() under the arena lock, or
 * bufpool_fast_locate() for a live allocation).  Chunk metadata stays valid
 * memory while the pool lives.
 */
static __always_inline struct bufpool_chunk *
bufpool_chunk_find(const struct bufpool *pool, const void *ptr)
{
	const struct bufpool_chunk_map *m = &pool->table.map;
	uintptr_t addr = (uintptr_t)ptr - BUFPOOL_ADDR_BASE;
	unsigned long key = addr >> pool->geo.chunk_shift;
	struct bufpool_chunk **leaf;

	/* Below the limit, the key is below 2^key_bits: in the root's range. */
	if (unlikely(addr >= BUFPOOL_ADDR_LIMIT))
		return NULL;
	/* Acquire pairs with the insert's release: a plain load on x86. */
	leaf = smp_load_acquire(&m->root[key >> m->leaf_bits]);
	if (unlikely(!leaf))
		return NULL;
	/* Pairs with the release that published the chunk's metadata. */
	return smp_load_acquire(&leaf[key & m->leaf_mask]);
}

/*
 * What an element that is not live holds in its first word: the pool's
 * secret cookie XOR its own address.  A free that finds it there is a
 * second free.  Plain loads and stores (the hit path takes no LOCK-prefixed
 * instruction); user data matches only by a 2^-64 chance without knowing
 * the cookie.  The mark is written when an allocation enters a cache, when
 * a subpage element goes back to its arena and on every element of a new
 * subpage of a cacheable size; it is wiped when the arena or a cache hands
 * the memory out.  A pool without caches writes none.
 */
static inline unsigned long bufpool_cache_mark(const struct bufpool *pool, const void *ptr)
{
	return pool->cache_cookie ^ (unsigned long)ptr;
}

static inline bool bufpool_cache_marked(const struct bufpool *pool, const void *ptr)
{
	return pool->cache_max &&
	       bufpool_san_read_word(ptr) == bufpool_cache_mark(pool, ptr);
}

/*
 * Buffers a cache allocates from one leak sample to the next (buf.c): one
 * in leak_sample_rate (simple, advanced), every one (paranoid), none
 * (disabled: the count runs out only to start again).
 */
static inline u32 bufpool_leak_interval(const struct bufpool *pool)
{
	switch (pool->leak_level) {
	case BUFPOOL_LEAK_PARANOID:
		return 1;
	case BUFPOOL_LEAK_SIMPLE:
	case BUFPOOL_LEAK_ADVANCED:
		return pool->leak_sample_rate;
	default:
		return U32_MAX;
	}
}

/*
 * The request-size table's key for @size, which must be at most fast_max:
 * the key of a cache bin, or of BUFPOOL_NO_BIN (the always-empty extra bin).
 */
static __always_inline unsigned long bufpool_size_key(const struct bufpool *pool, size_t size)
{
	return pool->size_key[(size + BUFPOOL_TINY_QUANTUM - 1) / BUFPOOL_TINY_QUANTUM];
}

/* bufpool_size_key()'s bin: a bin, or BUFPOOL_NO_BIN. */
static __always_inline unsigned int bufpool_size_bin(const struct bufpool *pool, size_t size)
{
	return bufpool_size_key(pool, size) / BUFPOOL_BIN_KEY_SCALE - 1;
}

/* Why a free was refused; see bufpool_misuse(). */
enum bufpool_misuse_kind {
	BUFPOOL_MISUSE_FOREIGN,		/* not handed out by this pool */
	BUFPOOL_MISUSE_INTERIOR,	/* inside an element or run, not its start */
	BUFPOOL_MISUSE_DOUBLE_FREE,	/* already free */
};

/* huge.c */
void bufpool_huge_init(struct bufpool_huge *huge);
void *bufpool_huge_alloc(struct bufpool *pool, size_t size, gfp_t gfp);
int bufpool_huge_free(struct bufpool *pool, const void *ptr);
size_t bufpool_huge_usable_size(struct bufpool *pool, const void *ptr);
void bufpool_huge_destroy(struct bufpool *pool);

/* pool.c */
int bufpool_config_check(const struct bufpool_config *cfg, char *why, size_t len);
struct bufpool *bufpool_pool_create(const struct bufpool_config *cfg,
				    char *why, size_t len);
void bufpool_pool_destroy(struct bufpool *pool);
void *bufpool_pool_alloc(struct bufpool *pool, size_t size, gfp_t gfp);
void bufpool_pool_free(struct bufpool *pool, const void *ptr);
size_t bufpool_pool_usable_size(struct bufpool *pool, const void *ptr);
const char *bufpool_misuse_what(enum bufpool_misuse_kind kind);
size_t bufpool_pool_request_size(const struct bufpool *pool, size_t size);
void bufpool_pool_free_slow(struct bufpool *pool, const void *ptr);
void bufpool_pool_refuse(struct bufpool *pool, const void *ptr,
			 enum bufpool_misuse_kind kind);
int bufpool_pool_trim(struct bufpool *pool);
unsigned long bufpool_pool_unmapped(struct bufpool *pool);
void bufpool_pool_flush_caches(struct bufpool *pool);
size_t bufpool_pool_reclaimable(struct bufpool *pool);
size_t bufpool_pool_shrink(struct bufpool *pool, size_t bytes);
void bufpool_chunk_release(struct bufpool *pool, struct bufpool_chunk *chunk);
int bufpool_arena_release_retained(struct bufpool_arena *arena, u64 before_ms);
void bufpool_pool_decay(struct bufpool *pool);

/* stats.c */
void bufpool_stats_read(struct bufpool *pool, struct bufpool_stats *st);
/* Room for bufpool_stats_text(): every counter, 20 digits, a name < 24. */
#define BUFPOOL_STATS_TEXT_MAX	4096
int bufpool_stats_text(const struct bufpool_stats *st, char *buf, size_t len);
void bufpool_report_live(struct bufpool *pool);

#endif /* _BUFPOOL_POOL_H */
