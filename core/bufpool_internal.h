/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bufpool_internal.h - the types of the bufpool core, one comment per field,
 * and the interfaces between its files.
 *
 * The core is kernel code.  It includes one seam header, <bufpool_seam.h>:
 * kmod/bufpool_seam.h pulls in the real kernel headers, user/bufpool_seam.h
 * the small userspace shims under user/include/.  What differs per world is
 * declared at the bottom of this file ("per-world interface") and defined in
 * same-named files under kmod/ and user/.
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
#ifndef _BUFPOOL_INTERNAL_H
#define _BUFPOOL_INTERNAL_H

#include <bufpool_seam.h>

/* Netty's tiny/small boundary: below 512 B sizes are multiples of 16. */
#define BUFPOOL_TINY_LIMIT	512u
#define BUFPOOL_TINY_QUANTUM	16u
/* One pool list per multiple of 16 below 512; index 0 stays unused. */
#define BUFPOOL_NR_TINY_POOLS	(BUFPOOL_TINY_LIMIT / BUFPOOL_TINY_QUANTUM)
/* Small classes are 512 << i up to page_size / 2: 7 with 64 KiB pages. */
#define BUFPOOL_NR_SMALL_POOLS_MAX	7u

#define BUFPOOL_PAGE_SIZE_MIN	4096u
#define BUFPOOL_PAGE_SIZE_MAX	65536u
#define BUFPOOL_PAGE_SIZE_DEFAULT	8192u
/* Netty caps max_order at 14: 2^15 memoryMap bytes per chunk. */
#define BUFPOOL_MAX_ORDER_MAX	14u
#define BUFPOOL_NR_ARENAS_MAX	1024u
#define BUFPOOL_NAME_MAX	32

/* Subpage handles carry this flag above the bitmap index (Netty's 0x4000...). */
#define BUFPOOL_HANDLE_SUBPAGE	(1ULL << 62)
#define BUFPOOL_HANDLE_IDX_MASK	0x3fffffffu

enum bufpool_class {
	BUFPOOL_CLASS_TINY,
	BUFPOOL_CLASS_SMALL,
	BUFPOOL_CLASS_NORMAL,
	BUFPOOL_CLASS_HUGE,
	BUFPOOL_NR_CLASSES,
};

/**
 * struct bufpool_geometry - sizes derived from page_size and max_order
 * @page_size: bytes per page (power of two)
 * @page_shift: log2(page_size)
 * @max_order: depth of the buddy tree's leaves
 * @chunk_shift: log2(chunk_size) = page_shift + max_order
 * @chunk_size: bytes per chunk
 * @nr_small_pools: number of small classes, page_shift - 9
 */
struct bufpool_geometry {
	unsigned int page_size;
	unsigned int page_shift;
	unsigned int max_order;
	unsigned int chunk_shift;
	size_t chunk_size;
	unsigned int nr_small_pools;
};

/**
 * struct bufpool_buddy - Netty's memoryMap/depthMap over one chunk's pages
 * @memory_map: per node, the depth of the shallowest free node in its
 *              subtree; @unusable once nothing below is free
 * @depth_map: per node, its depth; never changes
 * @max_order: depth of the leaves (one leaf per page)
 * @unusable: max_order + 1
 *
 * Nodes are numbered from 1 (the root, depth 0); node id has children 2id
 * and 2id+1, parent id/2 and buddy id^1.  Depth d holds ids [2^d, 2^(d+1)).
 */
struct bufpool_buddy {
	u8 *memory_map;
	u8 *depth_map;
	unsigned int max_order;
	u8 unusable;
};

/**
 * struct bufpool_subpage - one page split into equal elements (PoolSubpage)
 * @chunk: the chunk the page belongs to
 * @node: link in the arena's pool list of its element size
 * @mm_idx: memoryMap index (leaf) of the page
 * @page_offset: byte offset of the page in the chunk
 * @elem_size: bytes per element; 0 before the first use
 * @max_elems: page_size / elem_size
 * @num_avail: free elements
 * @bitmap_len: u64 words in use, ceil(max_elems / 64)
 * @next_avail: a known free index or -1 (Netty's nextAvail hint)
 * @do_not_destroy: the page is in use as a subpage; cleared when it goes
 *                  back to the buddy tree
 * @bitmap: bit i set = element i allocated (a cached element stays allocated)
 */
struct bufpool_subpage {
	struct bufpool_chunk *chunk;
	struct list_head node;
	unsigned int mm_idx;
	unsigned int page_offset;
	unsigned int elem_size;
	unsigned int max_elems;
	unsigned int num_avail;
	unsigned int bitmap_len;
	int next_avail;
	bool do_not_destroy;
	u64 bitmap[];
};

/**
 * struct bufpool_chunk - one chunk_size-aligned block of pages (PoolChunk)
 * @arena: owner; frees from any CPU or thread go back to it
 * @base: first byte; aligned to the chunk size
 * @free_bytes: bytes not handed to runs or subpages
 * @list: the usage list the chunk is on; NULL while it is being created,
 *        released or retired
 *
 * @arena, @base and @list are read without a lock by bufpool_chunk_table_lock()
 * (READ_ONCE/WRITE_ONCE); everything else only under the arena lock.  A
 * chunk's metadata outlives its memory: released chunks are retired and
 * reused, and freed only with the pool, so a lockless reader never touches
 * freed memory.
 * @list_node: link in @list, in the arena's retained list, or in the
 *             table's retired list
 * @retained_ms: when it was retained (arena->retained), bufpool_now_ms()
 * @buddy: the page tree
 * @subpages: page i's descriptor at @subpages + i * @subpage_stride
 * @subpage_stride: bytes per descriptor (header + bitmap)
 * @page_bin: per page, 1 + the cache bin of the allocation that starts on
 *            it (a subpage's element size, or a cacheable run); 0 if none.
 *            Written under the arena lock, read locklessly by cache frees.
 */
struct bufpool_chunk {
	struct bufpool_arena *arena;
	void *base;
	size_t free_bytes;
	struct bufpool_chunk_list *list;
	struct list_head list_node;
	u64 retained_ms;
	struct bufpool_buddy buddy;
	void *subpages;
	size_t subpage_stride;
	u8 *page_bin;
};

enum bufpool_qlist {
	BUFPOOL_Q_INIT,
	BUFPOOL_Q_000,
	BUFPOOL_Q_025,
	BUFPOOL_Q_050,
	BUFPOOL_Q_075,
	BUFPOOL_Q_100,
	BUFPOOL_NR_QLISTS,
};

/**
 * struct bufpool_chunk_list - chunks whose usage is in [min, max) (PoolChunkList)
 * @chunks: the chunks
 * @next: where a chunk goes when its usage reaches @max_usage
 * @prev: where it goes below @min_usage; NULL = release it (q000)
 * @min_usage: lower bound in percent (INT_MIN for qinit: never released)
 * @max_usage: upper bound in percent (INT_MAX for q100)
 * @max_capacity: largest request a chunk on this list can still serve
 * @name: "qinit", "q000", ... for stats and debugging
 */
struct bufpool_chunk_list {
	struct list_head chunks;
	struct bufpool_chunk_list *next;
	struct bufpool_chunk_list *prev;
	int min_usage;
	int max_usage;
	size_t max_capacity;
	const char *name;
};

/**
 * struct bufpool_arena - an independent allocator with its own lock (PoolArena)
 * @lock: protects everything below but @nr_users
 * @pool: owner
 * @index: position in pool->arenas
 * @tiny_pools: per 16-byte class, subpages with free elements
 * @small_pools: per power-of-two class 512 .. page_size/2
 * @lists: chunk usage lists, indexed by enum bufpool_qlist
 * @nr_chunks: chunks owned
 * @allocations: per class, successful allocations served here
 * @frees: per class, frees of memory of this arena
 * @active_bytes: per class, usable bytes of live allocations
 * @lock_acquired: lock acquisitions on the allocation and free paths
 * @lock_contended: those that found the lock taken
 * @retained: emptied chunks kept for reuse (chunk_retention_ms), oldest
 *            last; still mapped and in the chunk map, on no usage list
 * @nr_retained: how many
 * @nr_users: threads bound to this arena (userspace leastUsedArena)
 */
struct bufpool_arena {
	spinlock_t lock;
	struct bufpool *pool;
	unsigned int index;
	struct list_head tiny_pools[BUFPOOL_NR_TINY_POOLS];
	struct list_head small_pools[BUFPOOL_NR_SMALL_POOLS_MAX];
	struct bufpool_chunk_list lists[BUFPOOL_NR_QLISTS];
	u64 nr_chunks;
	u64 allocations[BUFPOOL_NR_CLASSES];
	u64 frees[BUFPOOL_NR_CLASSES];
	u64 active_bytes[BUFPOOL_NR_CLASSES];
	u64 lock_acquired;
	u64 lock_contended;
	struct list_head retained;
	u64 nr_retained;
	atomic_t nr_users;
} ____cacheline_aligned_in_smp;

/*
 * Take @arena's lock on the allocation and free paths, counting the
 * acquisition and whether it had to wait (a failed trylock): the
 * arena_locks and arena_lock_contended counters.  Both are written under
 * the lock, in the arena's own cache lines.
 */
static inline void bufpool_arena_lock(struct bufpool_arena *arena)
{
	if (!spin_trylock_bh(&arena->lock)) {
		spin_lock_bh(&arena->lock);
		arena->lock_contended++;
	}
	arena->lock_acquired++;
}	/* one CPU's arena lock must not share a line with the next's */

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
 * @count: entries held; the top of the stack is @entries[@count - 1]
 * @cap: room in @entries: 0 until they are allocated (first free into it)
 * @entries: a stack of pointers, oldest at the bottom
 * @hits: allocations it served
 * @frees: frees it took
 * @hits_at_trim: @hits at the last trim (Netty's trim keeps what a bin
 *                served since then)
 *
 * The owner writes the counters with WRITE_ONCE and stats readers
 * READ_ONCE them: each is written by one CPU or thread only.
 */
struct bufpool_cache_bin {
	u32 count;
	u32 cap;
	void **entries;
	u64 hits;
	u64 frees;
	u64 hits_at_trim;
};

/**
 * struct bufpool_cache_stats - a cache's slow-path counters, per class
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
};

/**
 * struct bufpool_cache - a per-CPU (kernel) or per-thread (userspace) cache
 * @pool: owner
 * @trim_left: allocations through the cache until the next count trim
 * @last_trim_ms: when it was last trimmed (time-based trim)
 * @st: slow-path counters; only the owner writes them (WRITE_ONCE)
 * @node: link in the world's list of caches (userspace)
 * @buf_free: recycled buffer descriptors (buf.c)
 * @nr_buf_free: how many
 * @leak_tick: buffers allocated through this cache (leak sampling)
 * @bins: one per cacheable size
 */
struct bufpool_cache {
	struct bufpool *pool;
	u32 trim_left;
	u64 last_trim_ms;
	struct bufpool_cache_stats st;
	struct list_head node;
	struct bufpool_buf *buf_free;
	u32 nr_buf_free;
	u32 leak_tick;
	struct bufpool_cache_bin bins[BUFPOOL_CACHE_BINS];
};

/**
 * struct bufpool_bin_info - what the fast path needs to know of a cache bin
 * @size: its normalized size
 * @magic: for sizes below a page, ceil(2^32 / @size): in_page * @magic >> 32
 *         is in_page / @size for every offset in a page (up to 64 KiB),
 *         without a division
 * @cls: enum bufpool_class
 */
struct bufpool_bin_info {
	u32 size;
	u32 magic;
	u32 cls;
};

/* Requests up to this size find their cache bin in a table, by 16 bytes. */
#define BUFPOOL_FAST_MAX		65536u
/* Entries a cache miss takes from the arena at most (cache_refill). */
#define BUFPOOL_REFILL_MAX		32u
#define BUFPOOL_FAST_SLOTS		(BUFPOOL_FAST_MAX / BUFPOOL_TINY_QUANTUM + 1)
#define BUFPOOL_NO_BIN			0xff

/**
 * struct bufpool_chunk_map - pointer to chunk, a two-level radix map
 * @root: @root[key >> @leaf_bits][key & @leaf_mask] is the chunk whose
 *        memory starts at BUFPOOL_ADDR_BASE + (key << chunk_shift), or NULL
 * @key_bits: keys are below 2^@key_bits; a pointer whose key is not cannot
 *            be in a chunk of the pool
 * @leaf_bits: log2 of a leaf's entries
 * @leaf_mask: (1 << @leaf_bits) - 1
 *
 * Leaves are allocated when a chunk first needs one and freed only with
 * the pool, so a lockless reader never touches freed memory.
 */
struct bufpool_chunk_map {
	struct bufpool_chunk ***root;
	unsigned int key_bits;
	unsigned int leaf_bits;
	unsigned long leaf_mask;
};

/* Huge allocations: 1024 hash buckets. */
#define BUFPOOL_TABLE_BITS	10

/**
 * struct bufpool_chunk_table - chunk base address → chunk
 * @lock: taken by writers when a chunk comes or goes (and a map leaf is
 *        allocated) and around @retired; lookups take no lock
 * @map: the radix map lookups read
 * @retired: metadata of released chunks, kept for reuse
 */
struct bufpool_chunk_table {
	spinlock_t lock;
	struct bufpool_chunk_map map;
	struct list_head retired;
};

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
	spinlock_t lock;
	struct hlist_head buckets[1 << BUFPOOL_TABLE_BITS];
	u64 active;
	u64 bytes;
	u64 allocations;
	u64 frees;
};

#define BUFPOOL_LEAK_STACK	8
#define BUFPOOL_LEAK_SITE_BITS		6

/**
 * struct bufpool_leak_site - an allocating call site's stack, taken once
 * @ip: the call site; 0 for an empty slot
 * @nr_stack: frames in @stack
 * @stack: the stack first seen there
 */
struct bufpool_leak_site {
	unsigned long ip;
	unsigned int nr_stack;
	unsigned long stack[BUFPOOL_LEAK_STACK];
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
 * @cache_sizes: capacity of each cache bin (0: not cached)
 * @cache_max: largest normalized size cached; 0 if caches are off
 * @cache_cookie: random secret; see bufpool_cache_mark()
 * @fast_max: largest request the fast path serves (table lookup); 0 if
 *            caches are off
 * @refill: entries a miss takes from the arena at most (cache_refill;
 *          0: a quarter of the bin, at most BUFPOOL_REFILL_MAX)
 * @bin_info: per cache bin, size and division magic (fastpath.h)
 * @size_bin: request size (in 16 bytes, rounded up) to cache bin, or
 *            BUFPOOL_NO_BIN; for requests up to @fast_max
 * @buf_recycler_max: descriptors a cache keeps for reuse (buf.c)
 * @buf_allocs: buffers allocated (bufpool_new_buf())
 * @buf_refcnt_errors: retain/release of released buffers
 * @leak_level: enum bufpool_leak_level (leak.c)
 * @leak_sample_rate: simple/advanced track 1 buffer in this many
 * @leak_lock: protects @leaks and @nr_leaks
 * @leaks: records of tracked live buffers
 * @nr_leaks: how many
 * @leak_sites: stacks by allocating call site, under @leak_lock
 * @retired_cache: holds in .st the counters of caches that are gone
 *                 (exited threads); visited last by bufpool_cache_for_each()
 * @world: per-world state (debugfs dentry, thread key), see the seam
 */
struct bufpool {
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
	u32 cache_sizes[BUFPOOL_CACHE_BINS];
	size_t cache_max;
	unsigned long cache_cookie;
	size_t fast_max;
	u32 refill;
	struct bufpool_bin_info bin_info[BUFPOOL_CACHE_BINS];
	u8 size_bin[BUFPOOL_FAST_SLOTS];
	u32 buf_recycler_max;
	atomic_long_t buf_allocs;
	atomic_long_t buf_refcnt_errors;
	unsigned int leak_level;
	unsigned int leak_sample_rate;
	spinlock_t leak_lock;
	struct list_head leaks;
	unsigned long nr_leaks;
	struct bufpool_leak_site leak_sites[1 << BUFPOOL_LEAK_SITE_BITS];
	struct bufpool_cache retired_cache;
	struct bufpool_world world;
};

/*
 * What a cached allocation holds in its first word: the pool's secret
 * cookie XOR its own address.  A free that finds it there is the second
 * free of a cached allocation.  Plain loads and stores (the hit path takes
 * no LOCK-prefixed instruction); user data matches only by a 2^-64 chance
 * without knowing the cookie.  The mark is written when an allocation
 * enters a cache and wiped when it leaves, to its user or to its arena.
 */
static inline unsigned long bufpool_cache_mark(const struct bufpool *pool, const void *ptr)
{
	return pool->cache_cookie ^ (unsigned long)ptr;
}

static inline bool bufpool_cache_marked(const struct bufpool *pool, const void *ptr)
{
	return pool->cache_max &&
	       READ_ONCE(*(const unsigned long *)ptr) == bufpool_cache_mark(pool, ptr);
}

/* Why a free was refused; see bufpool_misuse(). */
enum bufpool_misuse_kind {
	BUFPOOL_MISUSE_FOREIGN,		/* not handed out by this pool */
	BUFPOOL_MISUSE_INTERIOR,	/* inside an element or run, not its start */
	BUFPOOL_MISUSE_DOUBLE_FREE,	/* already free */
};

/* sizeclass.c */
int bufpool_geometry_init(struct bufpool_geometry *geo, unsigned int page_size,
			  unsigned int max_order, size_t chunk_max,
			  char *why, size_t why_len);
size_t bufpool_normalize(const struct bufpool_geometry *geo, size_t size);
enum bufpool_class bufpool_size_class(const struct bufpool_geometry *geo,
				      size_t norm);
unsigned int bufpool_tiny_idx(size_t norm);
unsigned int bufpool_small_idx(size_t norm);

/* buddy.c */
int bufpool_buddy_init(struct bufpool_buddy *b, unsigned int max_order, gfp_t gfp);
void bufpool_buddy_reset(struct bufpool_buddy *b);
void bufpool_buddy_destroy(struct bufpool_buddy *b);
int bufpool_buddy_alloc(struct bufpool_buddy *b, unsigned int depth);
void bufpool_buddy_free(struct bufpool_buddy *b, unsigned int id);
unsigned int bufpool_buddy_find(const struct bufpool_buddy *b, unsigned int page);

/* Node helpers: the formulas of the buddy tree, used by chunk.c and tests. */
static inline unsigned int bufpool_buddy_depth(const struct bufpool_buddy *b,
					       unsigned int id)
{
	return b->depth_map[id];
}

static inline u8 bufpool_buddy_value(const struct bufpool_buddy *b, unsigned int id)
{
	return b->memory_map[id];
}

/* Pages covered by node @id: 2^(max_order - depth). */
static inline unsigned int bufpool_buddy_run_pages(const struct bufpool_buddy *b,
						   unsigned int id)
{
	return 1u << (b->max_order - bufpool_buddy_depth(b, id));
}

/* First page of node @id: (id ^ 2^depth) * run_pages. */
static inline unsigned int bufpool_buddy_first_page(const struct bufpool_buddy *b,
						    unsigned int id)
{
	unsigned int depth = bufpool_buddy_depth(b, id);

	return (id ^ (1u << depth)) << (b->max_order - depth);
}

/* Handles: encode and decode come in pairs. */
static inline u64 bufpool_handle_make(unsigned int mm_idx, int bitmap_idx)
{
	if (bitmap_idx < 0)
		return mm_idx;
	return BUFPOOL_HANDLE_SUBPAGE | (u64)bitmap_idx << 32 | mm_idx;
}

static inline unsigned int bufpool_handle_mm_idx(u64 handle)
{
	return (u32)handle;
}

static inline bool bufpool_handle_is_subpage(u64 handle)
{
	return handle & BUFPOOL_HANDLE_SUBPAGE;
}

static inline unsigned int bufpool_handle_bitmap_idx(u64 handle)
{
	return (handle >> 32) & BUFPOOL_HANDLE_IDX_MASK;
}

/* subpage.c */
size_t bufpool_subpage_struct_size(unsigned int page_size);
void bufpool_subpage_init(struct bufpool_subpage *sp, struct list_head *head,
			  unsigned int page_size, unsigned int elem_size);
int bufpool_subpage_alloc(struct bufpool_subpage *sp);
int bufpool_subpage_free(struct bufpool_subpage *sp, struct list_head *head,
			 unsigned int idx);
bool bufpool_subpage_test(const struct bufpool_subpage *sp, unsigned int idx);

/* Page @page's subpage descriptor. */
static inline struct bufpool_subpage *bufpool_chunk_subpage(const struct bufpool_chunk *chunk,
							     unsigned int page)
{
	return (struct bufpool_subpage *)((char *)chunk->subpages +
					  page * chunk->subpage_stride);
}

/* chunk.c */
struct bufpool_chunk *bufpool_chunk_create(struct bufpool_arena *arena, gfp_t gfp);
void bufpool_chunk_destroy(struct bufpool_chunk *chunk);
void bufpool_chunk_free_metadata(struct bufpool_chunk *chunk);
int bufpool_chunk_usage(const struct bufpool_chunk *chunk);
void *bufpool_chunk_alloc(struct bufpool_chunk *chunk, size_t norm);
int bufpool_chunk_resolve(const struct bufpool_chunk *chunk, const void *ptr,
			  u64 *handle, size_t *usable);
void bufpool_chunk_free(struct bufpool_chunk *chunk, u64 handle);
void *bufpool_chunk_subpage_ptr(const struct bufpool_subpage *sp, unsigned int idx);

/* chunk_list.c */
void bufpool_chunk_lists_init(struct bufpool_arena *arena);
void *bufpool_chunk_list_alloc(struct bufpool_chunk_list *list, size_t norm);
void bufpool_chunk_list_add(struct bufpool_chunk_list *list,
			    struct bufpool_chunk *chunk);
bool bufpool_chunk_list_free(struct bufpool_chunk *chunk, u64 handle);

/* chunk_table.c */
int bufpool_chunk_table_init(struct bufpool *pool);
int bufpool_chunk_table_insert(struct bufpool *pool, struct bufpool_chunk *chunk, gfp_t gfp);
void bufpool_chunk_table_remove(struct bufpool *pool, struct bufpool_chunk *chunk);
void bufpool_chunk_table_retire(struct bufpool *pool, struct bufpool_chunk *chunk);
struct bufpool_chunk *bufpool_chunk_table_reuse(struct bufpool *pool);
void bufpool_chunk_table_destroy(struct bufpool *pool);
struct bufpool_chunk *bufpool_chunk_table_lock(struct bufpool *pool, const void *ptr);
bool bufpool_chunk_live(struct bufpool_chunk *chunk, struct bufpool_arena *arena,
			const void *ptr);
void bufpool_chunk_release(struct bufpool *pool, struct bufpool_chunk *chunk);
int bufpool_arena_release_retained(struct bufpool_arena *arena, u64 before_ms);
void bufpool_pool_decay(struct bufpool *pool);

/* arena.c */
void bufpool_arena_init(struct bufpool_arena *arena, struct bufpool *pool,
			unsigned int index);
void bufpool_arena_destroy(struct bufpool_arena *arena);
void *bufpool_arena_alloc(struct bufpool_arena *arena, size_t norm, gfp_t gfp);
unsigned int bufpool_arena_alloc_batch(struct bufpool_arena *arena, size_t norm,
				       gfp_t gfp, void **out, unsigned int n);
int bufpool_arena_free_locked(struct bufpool_chunk *chunk, const void *ptr);
struct list_head *bufpool_arena_subpage_head(struct bufpool_arena *arena,
					     size_t norm);

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

/* cache.c (the hit path itself is in fastpath.h) */
void bufpool_cache_setup(struct bufpool *pool);
void bufpool_cache_init(struct bufpool_cache *c, struct bufpool *pool);
void bufpool_cache_flush_all(struct bufpool *pool, struct bufpool_cache *owned);
void bufpool_cache_release(struct bufpool_cache *c);
void bufpool_cache_trim(struct bufpool *pool, struct bufpool_cache *owned);
void bufpool_cache_add_stats(struct bufpool_cache_stats *sum, const struct bufpool_cache *c);
int bufpool_cache_bin(const struct bufpool *pool, size_t norm);
size_t bufpool_cache_bin_size(const struct bufpool *pool, int bin);
size_t bufpool_pool_alloc_bulk(struct bufpool *pool, size_t size, gfp_t gfp, size_t n,
			       void **ptrs);
void bufpool_pool_free_bulk(struct bufpool *pool, size_t n, void **ptrs);
void bufpool_pool_free_slow(struct bufpool *pool, const void *ptr);
void bufpool_pool_refuse(struct bufpool *pool, const void *ptr,
			 enum bufpool_misuse_kind kind);
int bufpool_pool_trim(struct bufpool *pool);
void bufpool_pool_flush_caches(struct bufpool *pool);
size_t bufpool_pool_reclaimable(struct bufpool *pool);

/* stats.c */
void bufpool_stats_read(struct bufpool *pool, struct bufpool_stats *st);
/* Room for bufpool_stats_format(): every counter, 20 digits, a name < 24. */
#define BUFPOOL_STATS_TEXT_MAX	4096
int bufpool_stats_format(const struct bufpool_stats *st, char *buf, size_t len);
void bufpool_report_live(struct bufpool *pool);

/*
 * introspect.c: read-only snapshots for debugging views (kmod/debugfs.c);
 * no addresses, no printing.  A chunk walk holds the arena lock for at
 * most BUFPOOL_WALK_CHUNKS chunks, stopping early at BUFPOOL_WALK_PAGES
 * pages (always one chunk at least), per call.
 */
#define BUFPOOL_WALK_CHUNKS		8
#define BUFPOOL_WALK_PAGES		2048
/* Usage histogram: 0-24, 25-49, 50-74, 75-99, 100 %. */
#define BUFPOOL_USAGE_BUCKETS		5
/* Subpage classes: the 31 tiny sizes, then the small ones (as cache bins). */
#define BUFPOOL_NR_SUBPAGE_CLASSES	(BUFPOOL_CACHE_TINY_BINS + BUFPOOL_NR_SMALL_POOLS_MAX)

/**
 * struct bufpool_chunk_snap - one chunk as a chunk walk saw it
 * @arena: index of its arena
 * @list: its usage list, enum bufpool_qlist
 * @usage: percent in use, bufpool_chunk_usage()
 * @free_bytes: bytes not handed to runs or subpages
 * @largest_free: bytes of the largest free run (chunk_size >> memory_map[1])
 * @subpages: pages split into elements
 */
struct bufpool_chunk_snap {
	unsigned int arena;
	unsigned int list;
	int usage;
	size_t free_bytes;
	size_t largest_free;
	unsigned int subpages;
};

/**
 * struct bufpool_subpage_census - an arena's subpages per element size
 * @subpages: pages in use as subpages of that size
 * @in_pool: of which with a free element (on the arena's pool list)
 * @elems_used: elements allocated (cached ones included)
 * @elems_total: elements in those pages
 *
 * Indexed by slot: tiny sizes 16..496 at 0..30, small 512 << i at 31 + i;
 * see bufpool_subpage_class_size().
 */
struct bufpool_subpage_census {
	u32 subpages[BUFPOOL_NR_SUBPAGE_CLASSES];
	u32 in_pool[BUFPOOL_NR_SUBPAGE_CLASSES];
	u64 elems_used[BUFPOOL_NR_SUBPAGE_CLASSES];
	u64 elems_total[BUFPOOL_NR_SUBPAGE_CLASSES];
};

/**
 * struct bufpool_chunk_walk - position of a bounded walk over an arena's chunks
 * @arena: the arena
 * @census: where subpages are added up, or NULL
 * @last: last chunk copied from @list, NULL at the list's start; only
 *        compared and followed under the arena lock
 * @list: the list being walked, enum bufpool_qlist; BUFPOOL_NR_QLISTS at the end
 * @done: chunks copied from @list so far
 */
struct bufpool_chunk_walk {
	struct bufpool_arena *arena;
	struct bufpool_subpage_census *census;
	struct bufpool_chunk *last;
	unsigned int list;
	unsigned int done;
};

/**
 * struct bufpool_class_info - one size class
 * @cls: tiny, small, normal or huge
 * @size: normalized size; for huge, the smallest huge request
 * @elems: elements per page (tiny, small); 0 otherwise
 * @cache_bin: its cache bin, or -1 if not cached
 * @cache_size: entries that bin holds at most per cache; 0 if not cached
 */
struct bufpool_class_info {
	enum bufpool_class cls;
	size_t size;
	unsigned int elems;
	int cache_bin;
	u32 cache_size;
};

/**
 * struct bufpool_cache_bin_snap - the counts of one cache bin
 * @count: entries held
 * @size: capacity
 * @hits: allocations it served since the cache's last trim
 */
struct bufpool_cache_bin_snap {
	u32 count;
	u32 size;
	u32 hits;
};

const char *bufpool_class_name(enum bufpool_class cls);
unsigned int bufpool_usage_bucket(int usage);
size_t bufpool_subpage_class_size(unsigned int slot);
void bufpool_chunk_walk_init(struct bufpool_chunk_walk *w,
			     struct bufpool_arena *arena,
			     struct bufpool_subpage_census *census);
unsigned int bufpool_chunk_walk_next(struct bufpool_chunk_walk *w,
				     struct bufpool_chunk_snap *snap,
				     unsigned int max);
u64 bufpool_arena_nr_chunks(struct bufpool_arena *arena);
unsigned int bufpool_nr_size_classes(const struct bufpool_geometry *geo);
int bufpool_size_class_info(const struct bufpool *pool, unsigned int index,
			    struct bufpool_class_info *ci);
void bufpool_cache_bin_read(const struct bufpool_cache *c, unsigned int bin,
			    struct bufpool_cache_bin_snap *s);

/* --- buf.c, leak.c: refcounted buffers ----------------------------------- */

#define BUFPOOL_LEAK_ACCESS	4
#define BUFPOOL_BUF_RECYCLER_DEFAULT	256u
#define BUFPOOL_BUF_RECYCLER_MAX	65536u
#define BUFPOOL_LEAK_SAMPLE_DEFAULT	128u

/**
 * struct bufpool_leak - a tracked buffer's record (leak.c)
 * @node: on the pool's leak list
 * @buf: the root buffer
 * @alloc_ms: when it was allocated
 * @nr_stack: frames in @stack
 * @stack: the allocation's call stack
 * @record_access: advanced/paranoid: remember accesses
 * @nr_access: accesses recorded so far (@access is a ring)
 * @access: the last accesses' return addresses
 */
struct bufpool_leak {
	struct list_head node;
	struct bufpool_buf *buf;
	u64 alloc_ms;
	unsigned int nr_stack;
	unsigned long stack[BUFPOOL_LEAK_STACK];
	bool record_access;
	atomic_t nr_access;
	unsigned long access[BUFPOOL_LEAK_ACCESS];
};

/**
 * struct bufpool_buf - a buffer descriptor (buf.c); opaque to users
 * @next: in a cache's free list, or in the root's derived list.  First:
 *        a descriptor that goes back to a cache bin gets the cache mark in
 *        its first word, and that must not be @root.
 * @root: the buffer owning memory and count; itself for a root
 * @pool: the pool
 * @reader: reader index
 * @writer: writer index
 * @offset: derived: where its index 0 is in the root's memory
 * @cap: capacity (a duplicate uses its root's)
 * @max_cap: maximum capacity
 * @kind: root, slice or duplicate
 * @sampled: root: picked for leak tracking
 * @retained: derived: made by retained_slice; its release frees it
 * @gfp: root: the allocation's flags, used again to grow and derive
 * @mem: root: the allocation
 * @room: root: Netty's maxLength, what growth may use without a copy
 * @refcnt: root: the shared count
 * @derived_lock: root: protects @derived
 * @derived: root: its slices and duplicates still linked to it
 * @leak: root: its leak record, if tracked
 */
struct bufpool_buf {
	struct bufpool_buf *next;
	struct bufpool_buf *root;
	struct bufpool *pool;
	size_t reader, writer;
	size_t offset;
	size_t cap, max_cap;
	u8 kind;
	bool sampled;
	bool retained;
	gfp_t gfp;
	u8 *mem;
	size_t room;
	atomic_t refcnt;
	spinlock_t derived_lock;
	struct bufpool_buf *derived;
	struct bufpool_leak *leak;
};

struct bufpool_buf *bufpool_new_buf(struct bufpool *pool, size_t initial, size_t max, gfp_t gfp,
				    unsigned long caller);
void bufpool_recycler_drain(struct bufpool *pool, struct bufpool_cache *owned);
bool bufpool_leak_should_track(const struct bufpool *pool, u32 tick);
void bufpool_leak_track(struct bufpool *pool, struct bufpool_buf *b, unsigned long ip);
void bufpool_leak_untrack(struct bufpool *pool, struct bufpool_buf *b);
void bufpool_leak_touch(struct bufpool_leak *l, unsigned long ip);
unsigned long bufpool_leak_report_lines(struct bufpool *pool,
				  void (*emit)(void *ctx, const char *line), void *ctx);
void bufpool_leak_destroy(struct bufpool *pool);
const char *bufpool_leak_level_name(unsigned int level);

/*
 * Per-world interface, defined in same-named files under kmod/ and user/.
 *
 * page_source.c: where chunk and huge memory comes from.
 *   bufpool_chunk_memory_alloc() returns @size bytes aligned to @size
 *   (a power of two, >= PAGE_SIZE) or NULL; bufpool_chunk_max() is the
 *   largest chunk the source can supply.
 * arena_select.c: which arena serves the caller; per-pool world state;
 *   the caller's cache (bufpool_cache_enter/leave in <bufpool_cache_world.h>:
 *   per-CPU under a local_lock in the kernel, per-thread through one
 *   initial-exec TLS slot in userspace; NULL if there is none) and
 *   every cache of a pool, then its retired counters (bufpool_cache_for_each,
 *   for stats and destroy).
 * misuse.c: what a refused free does (WARN in the kernel, abort or count
 *   in userspace).  Called with no lock held.
 * stack.c: the caller's stack for leak records (stack_trace_save() in the
 *   kernel, backtrace() in userspace) and an address as "symbol+off".
 */
void *bufpool_chunk_memory_alloc(size_t size, gfp_t gfp);
void bufpool_chunk_memory_free(void *mem, size_t size);
void *bufpool_huge_memory_alloc(size_t size, gfp_t gfp);
void bufpool_huge_memory_free(void *mem, size_t size);
size_t bufpool_chunk_max(void);
size_t bufpool_huge_round(size_t size);
size_t bufpool_pool_request_size(const struct bufpool *pool, size_t size);

unsigned int bufpool_default_nr_arenas(void);
void bufpool_cache_for_each(struct bufpool *pool,
			    void (*fn)(struct bufpool_cache *c, void *arg), void *arg);
u64 bufpool_now_ms(void);
int bufpool_world_init(struct bufpool *pool);
void bufpool_world_exit(struct bufpool *pool);
struct bufpool_arena *bufpool_arena_select(struct bufpool *pool);

void bufpool_misuse(struct bufpool *pool, const void *ptr,
		    enum bufpool_misuse_kind kind);
void bufpool_buf_misuse(struct bufpool *pool, const char *what);

unsigned int bufpool_stack_save(unsigned long *entries, unsigned int max, unsigned int skip);
void bufpool_stack_symbol(char *buf, size_t len, unsigned long addr);

#include "fastpath.h"

#endif /* _BUFPOOL_INTERNAL_H */
