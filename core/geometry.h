/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * geometry.h - size classes and the chunk geometry (sizeclass.c), and the
 * handles that name a run or a subpage element inside a chunk.
 */
#ifndef _BUFPOOL_GEOMETRY_H
#define _BUFPOOL_GEOMETRY_H

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
 * @chunk_mask: chunk_size - 1
 * @page_mask: page_size - 1
 * @nr_small_pools: number of small classes, page_shift - 9
 */
struct bufpool_geometry {
	unsigned int page_size;
	unsigned int page_shift;
	unsigned int max_order;
	unsigned int chunk_shift;
	size_t chunk_size;
	size_t chunk_mask;
	unsigned int page_mask;
	unsigned int nr_small_pools;
};

/* sizeclass.c */
int bufpool_geometry_init(struct bufpool_geometry *geo, unsigned int page_size,
			  unsigned int max_order, size_t chunk_max,
			  char *why, size_t why_len);
size_t bufpool_normalize(const struct bufpool_geometry *geo, size_t size);

/* The class of a normalized size (a value bufpool_normalize() returned). */
static inline enum bufpool_class bufpool_size_class(const struct bufpool_geometry *geo,
						    size_t norm)
{
	if (norm > geo->chunk_size)
		return BUFPOOL_CLASS_HUGE;
	if (norm >= geo->page_size)
		return BUFPOOL_CLASS_NORMAL;
	if (norm >= BUFPOOL_TINY_LIMIT)
		return BUFPOOL_CLASS_SMALL;
	return BUFPOOL_CLASS_TINY;
}

/* Pool list index of a tiny size, 16..496 (Netty's tinyIdx): 1..31. */
static inline unsigned int bufpool_tiny_idx(size_t norm)
{
	return norm / BUFPOOL_TINY_QUANTUM;
}

/* Pool list index of a small size 512 << i (Netty's smallIdx): i. */
static inline unsigned int bufpool_small_idx(size_t norm)
{
	return ilog2(norm) - ilog2(BUFPOOL_TINY_LIMIT);
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

#endif /* _BUFPOOL_GEOMETRY_H */
