/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * chunk.h - chunks and what hangs off them: subpages (subpage.c), the
 * chunk itself (chunk.c), the usage lists (chunk_list.c) and the chunk
 * table that maps a pointer to its chunk (chunk_table.c).
 */
#ifndef _BUFPOOL_CHUNK_H
#define _BUFPOOL_CHUNK_H

#include <bufpool_seam.h>
#include <bufpool_sanitize.h>
#include "buddy.h"

struct bufpool;
struct bufpool_arena;

/**
 * struct bufpool_subpage - one page split into equal elements (PoolSubpage)
 * @chunk: the chunk the page belongs to
 * @node: link in the arena's pool list of its element size, or, while it
 *        is kept entirely free for reuse, in its arena's list of those
 *        (struct bufpool_arena's @empty_subpages)
 * @mm_idx: memoryMap index (leaf) of the page
 * @page_offset: byte offset of the page in the chunk
 * @elem_size: bytes per element; 0 before the first use
 * @max_elems: page_size / elem_size
 * @num_avail: free elements
 * @next_avail: a known free index or -1 (Netty's nextAvail hint)
 * @do_not_destroy: the page is in use as a subpage; cleared when it goes
 *                  back to the buddy tree
 * @empty_ms: bufpool_now_ms() (low 32 bits) when it was kept entirely
 *            free (bufpool_arena_keep_subpage())
 * @bitmap: bit i set = element i allocated (a cached element stays
 *          allocated); max_elems bits.  Written under the arena lock one
 *          word at a time with WRITE_ONCE (not __set_bit()): the free path
 *          reads it without the lock (fastpath.h)
 */
struct bufpool_subpage {
	struct bufpool_chunk *chunk;
	struct list_head node;
	unsigned int mm_idx;
	unsigned int page_offset;
	unsigned int elem_size;
	unsigned int max_elems;
	unsigned int num_avail;
	int next_avail;
	bool do_not_destroy;
	u32 empty_ms;
	unsigned long bitmap[];
};

/**
 * struct bufpool_chunk - one chunk_size-aligned block of pages (PoolChunk)
 * @arena: owner; frees from any CPU or thread go back to it
 * @base: first byte, aligned to the chunk size, as bufpool_san_hide()
 *        keeps it (a leak checker must not take the record for a reference
 *        to the chunk's first element): read it with bufpool_chunk_base()
 * @free_bytes: bytes not handed to runs or subpages
 * @list: the usage list the chunk is on; NULL while it is being created,
 *        released or retired
 *
 * @arena, @base and @list are read without a lock by bufpool_pool_free_slow()
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
 * @page_key: per page, the key (bufpool_bin_key(), cache.h) of its
 *            page_bin: 1 + the cache bin of the allocation that starts on
 *            it (a subpage's element size, or a cacheable run); 0 if none.
 *            Written under the arena lock, read locklessly by cache frees.
 * @dirty: pages free in @buddy that may still be resident: set as runs go
 *         back to the tree, cleared as they are taken or purged; NULL where
 *         the page source cannot purge (the kernel) or retention is off
 * @dirty_old: @dirty as it was at the last purge pass (bufpool_chunk_purge_take())
 * @purging: the ranges a purge took out of @buddy and is giving back to the
 *           system without the arena lock, or NULL; frees inside them are
 *           refused (bufpool_chunk_resolve())
 * @purge_pass: the arena's purge pass (arena->purge_pass) that last took
 *              ranges of this chunk or looked at it
 * @purge_done: the pass that has nothing more to take of it
 */
struct bufpool_chunk {
	struct bufpool_arena *arena;
	unsigned long base;
	size_t free_bytes;
	struct bufpool_chunk_list *list;
	struct list_head list_node;
	u64 retained_ms;
	struct bufpool_buddy buddy;
	void *subpages;
	size_t subpage_stride;
	u8 *page_key;
	unsigned long *dirty;
	unsigned long *dirty_old;
	const struct bufpool_purge_batch *purging;
	unsigned long purge_pass;
	unsigned long purge_done;
};

/* Ranges a purge takes out of a chunk's tree per release of the arena lock. */
#define BUFPOOL_PURGE_RANGES	16

/**
 * struct bufpool_purge_batch - ranges of one chunk a purge took out of its tree
 * @nr: ranges in @page and @pages
 * @page: the first page of each
 * @pages: the pages of each
 * @bytes: the bytes of all
 * @done: the chunk has nothing more to take in this pass
 */
struct bufpool_purge_batch {
	unsigned int nr;
	unsigned int page[BUFPOOL_PURGE_RANGES];
	unsigned int pages[BUFPOOL_PURGE_RANGES];
	size_t bytes;
	bool done;
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

/**
 * struct bufpool_chunk_table - chunk base address → chunk
 * @lock: taken by writers when a chunk comes or goes (and a map leaf is
 *        allocated) and around @retired; lookups take no lock
 * @map: the radix map lookups read
 * @retired: metadata of released chunks, kept for reuse
 */
struct bufpool_chunk_table {
	spinlock_t lock;	/* writers: a chunk comes or goes */
	struct bufpool_chunk_map map;
	struct list_head retired;
};

/* subpage.c */
size_t bufpool_subpage_struct_size(unsigned int page_size);
void bufpool_subpage_init(struct bufpool_subpage *sp, struct list_head *head,
			  unsigned int page_size, unsigned int elem_size);
int bufpool_subpage_alloc(struct bufpool_subpage *sp);
unsigned int bufpool_subpage_alloc_bulk(struct bufpool_subpage *sp, char *base, void **out,
					unsigned int n);
int bufpool_subpage_free(struct bufpool_subpage *sp, struct list_head *head,
			 unsigned int idx);

/*
 * Is element @idx of @sp allocated: @sp in use and bit @idx set?  Inline:
 * the flush path asks it for every entry.  Context: arena lock held.
 */
static inline bool bufpool_subpage_test(const struct bufpool_subpage *sp, unsigned int idx)
{
	return sp->do_not_destroy && idx < sp->max_elems &&
	       (READ_ONCE(sp->bitmap[BIT_WORD(idx)]) & BIT_MASK(idx));
}

/*
 * Element @idx of @sp, allocated, goes back to the bitmap; a subpage that
 * was full rejoins @head.  What bufpool_subpage_free() does for every
 * element but the last, for callers that have checked @idx already.
 * Context: arena lock held.
 */
static inline void bufpool_subpage_put(struct bufpool_subpage *sp, struct list_head *head,
				       unsigned int idx)
{
	/* Cache frees read the bitmap without the lock. */
	WRITE_ONCE(sp->bitmap[BIT_WORD(idx)], sp->bitmap[BIT_WORD(idx)] & ~BIT_MASK(idx));
	sp->next_avail = idx;
	if (sp->num_avail++ == 0)
		list_add(&sp->node, head);
}

/* @chunk's first byte (lockless readers: see struct bufpool_chunk). */
static inline void *bufpool_chunk_base(const struct bufpool_chunk *chunk)
{
	return bufpool_san_unhide(READ_ONCE(chunk->base));
}

/* Page @page's subpage descriptor. */
static inline struct bufpool_subpage *
bufpool_chunk_subpage(const struct bufpool_chunk *chunk, unsigned int page)
{
	return (struct bufpool_subpage *)((char *)chunk->subpages +
					  page * chunk->subpage_stride);
}

/* The memory of element @idx of @sp.  Inline: refills and flushes ask it per element. */
static inline void *bufpool_chunk_subpage_ptr(const struct bufpool_subpage *sp,
					      unsigned int idx)
{
	return (char *)bufpool_chunk_base(sp->chunk) + sp->page_offset +
	       (size_t)idx * sp->elem_size;
}

/* chunk.c */
struct bufpool_chunk *bufpool_chunk_create(struct bufpool_arena *arena, gfp_t gfp);
void bufpool_chunk_destroy(struct bufpool_chunk *chunk);
void bufpool_chunk_free_metadata(struct bufpool_chunk *chunk);
int bufpool_chunk_usage(const struct bufpool_chunk *chunk)
	__must_hold(&chunk->arena->lock);
unsigned long bufpool_chunk_used_pages(const struct bufpool_chunk *chunk)
	__must_hold(&chunk->arena->lock);
unsigned long bufpool_chunk_dirty_pages(const struct bufpool_chunk *chunk)
	__must_hold(&chunk->arena->lock);
void *bufpool_chunk_alloc(struct bufpool_chunk *chunk, size_t norm)
	__must_hold(&chunk->arena->lock);
int bufpool_chunk_resolve(const struct bufpool_chunk *chunk, const void *ptr,
			  u64 *handle, size_t *usable)
	__must_hold(&chunk->arena->lock);
void bufpool_chunk_free(struct bufpool_chunk *chunk, u64 handle)
	__must_hold(&chunk->arena->lock);
size_t bufpool_chunk_purge_take(struct bufpool_chunk *chunk, bool all, bool first, size_t budget,
				struct bufpool_purge_batch *pb)
	__must_hold(&chunk->arena->lock);
void bufpool_chunk_purge_put(struct bufpool_chunk *chunk, struct bufpool_purge_batch *pb)
	__must_hold(&chunk->arena->lock);

/* chunk_list.c */
void bufpool_chunk_lists_init(struct bufpool_arena *arena);
void *bufpool_chunk_list_alloc(struct bufpool_chunk_list *list, size_t norm);
void bufpool_chunk_list_add(struct bufpool_chunk_list *list,
			    struct bufpool_chunk *chunk)
	__must_hold(&chunk->arena->lock);
bool bufpool_chunk_list_free(struct bufpool_chunk *chunk, u64 handle)
	__must_hold(&chunk->arena->lock);
bool bufpool_chunk_list_purged(struct bufpool_chunk *chunk, struct bufpool_purge_batch *pb)
	__must_hold(&chunk->arena->lock);

/* chunk_table.c */
int bufpool_chunk_table_init(struct bufpool *pool);
int bufpool_chunk_table_insert(struct bufpool *pool, struct bufpool_chunk *chunk, gfp_t gfp);
void bufpool_chunk_table_remove(struct bufpool *pool, struct bufpool_chunk *chunk);
void bufpool_chunk_table_retire(struct bufpool *pool, struct bufpool_chunk *chunk);
struct bufpool_chunk *bufpool_chunk_table_reuse(struct bufpool *pool);
void bufpool_chunk_table_destroy(struct bufpool *pool);
bool bufpool_chunk_live(struct bufpool_chunk *chunk, struct bufpool_arena *arena,
			const void *ptr)
	__must_hold(&arena->lock);

#endif /* _BUFPOOL_CHUNK_H */
