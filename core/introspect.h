/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * introspect.h - the snapshot types and walks of introspect.c, which
 * kmod/debugfs.c formats.
 */
#ifndef _BUFPOOL_INTROSPECT_H
#define _BUFPOOL_INTROSPECT_H

#include <bufpool_seam.h>
#include "geometry.h"
#include "chunk.h"
#include "cache.h"

struct bufpool;
struct bufpool_arena;
struct bufpool_chunk;

/*
 * introspect.c: read-only snapshots for debugging views; no addresses, no
 * printing.  view.c: their text, for kmod/debugfs.c and the library's
 * bufpool_stats_print().  A chunk walk holds the arena lock for at
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

/**
 * struct bufpool_arena_view - what the "arenas" view shows of one arena
 * @nr_chunks: chunks the arena holds (its counter)
 * @count: chunks per usage list, as the walk found them
 * @hist: per list, chunks per usage bucket (BUFPOOL_USAGE_BUCKETS)
 * @census: subpages per element size
 */
struct bufpool_arena_view {
	u64 nr_chunks;
	u32 count[BUFPOOL_NR_QLISTS];
	u32 hist[BUFPOOL_NR_QLISTS][BUFPOOL_USAGE_BUCKETS];
	struct bufpool_subpage_census census;
};

/**
 * struct bufpool_cache_view - what the "caches" view shows of one cache
 * @st: its counters, per class
 * @nr_bins: entries of @bins in use
 * @bins: the bins that hold entries or served hits since their trim, in
 *        size class order
 * @bins.bin: the bin's index
 * @bins.size: its element size
 * @bins.snap: its counts
 */
struct bufpool_cache_view {
	struct bufpool_cache_stats st;
	unsigned int nr_bins;
	struct {
		int bin;
		size_t size;
		struct bufpool_cache_bin_snap snap;
	} bins[BUFPOOL_CACHE_BINS];
};

/**
 * struct bufpool_view_out - where view.c's lines go
 * @puts: called once per whole line, '\n' included
 * @ctx: passed to @puts (a seq_file, a FILE)
 */
struct bufpool_view_out {
	void (*puts)(void *ctx, const char *line);
	void *ctx;
};

/* A view line, the longest (a usage-list row) is about 60 characters. */
#define BUFPOOL_VIEW_LINE	160

/**
 * struct bufpool_view_scratch - a reader's working space (about 2.5 KiB:
 * keep it off the kernel stack)
 * @snap: chunk snapshots of one walk step
 * @arena: the arena being shown
 * @cache: the cache being shown
 * @line: the line being built
 */
struct bufpool_view_scratch {
	struct bufpool_chunk_snap snap[BUFPOOL_WALK_CHUNKS];
	struct bufpool_arena_view arena;
	struct bufpool_cache_view cache;
	char line[BUFPOOL_VIEW_LINE];
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

/* view.c */
void bufpool_arena_view_read(struct bufpool_arena *arena, struct bufpool_arena_view *v,
			     struct bufpool_chunk_snap *snap);
const char *bufpool_usage_bucket_name(unsigned int b);
void bufpool_view_arena(const struct bufpool_view_out *out, struct bufpool_arena *arena,
			struct bufpool_view_scratch *scratch);
void bufpool_view_chunks_header(const struct bufpool_view_out *out);
void bufpool_view_chunks(const struct bufpool_view_out *out, struct bufpool_arena *arena,
			 struct bufpool_view_scratch *scratch);
void bufpool_cache_view_read(const struct bufpool *pool, const struct bufpool_cache *c,
			     struct bufpool_cache_view *v);
void bufpool_view_cache(const struct bufpool_view_out *out, const char *label,
			const struct bufpool_cache_view *v, char *line);
void bufpool_view_sizeclasses(const struct bufpool_view_out *out, const struct bufpool *pool,
			      char *line);

#endif /* _BUFPOOL_INTROSPECT_H */
