// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * view.c - the text of the debugging views, for both worlds.
 *
 * The kernel's debugfs files arenas, chunks, sizeclasses and caches
 * (kmod/debugfs.c) and the library's bufpool_stats_print()
 * (user/stats_print.c) print through these functions, so a pool reads the
 * same in both worlds; Documentation/module.rst shows each format.  The
 * data comes from the snapshots of introspect.c; lines are built here with
 * scnprintf and handed whole to the world's sink (a seq_file, a FILE),
 * one call per line.  Nothing here prints an address.
 *
 * Lock order: none taken here; the walks of introspect.c take one arena
 * lock at a time.
 */
#include <linux/sched.h>
#include "geometry.h"
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "introspect.h"

static const char * const usage_bucket_names[BUFPOOL_USAGE_BUCKETS] = {
	"0-24%", "25-49%", "50-74%", "75-99%", "100%",
};

/**
 * bufpool_arena_view_read() - an arena's chunk lists, histogram and subpages
 * @arena: the arena
 * @v: filled
 * @snap: scratch for BUFPOOL_WALK_CHUNKS snapshots
 *
 * Context: process context; takes the arena lock a bounded time per step
 * (introspect.c) and may reschedule between steps.
 */
void bufpool_arena_view_read(struct bufpool_arena *arena, struct bufpool_arena_view *v,
			     struct bufpool_chunk_snap *snap)
{
	struct bufpool_chunk_walk w;
	unsigned int n, i;

	memset(v, 0, sizeof(*v));
	bufpool_chunk_walk_init(&w, arena, &v->census);
	while ((n = bufpool_chunk_walk_next(&w, snap, BUFPOOL_WALK_CHUNKS))) {
		for (i = 0; i < n; i++) {
			v->count[snap[i].list]++;
			v->hist[snap[i].list][bufpool_usage_bucket(snap[i].usage)]++;
		}
		cond_resched();
	}
	v->nr_chunks = bufpool_arena_nr_chunks(arena);
}

/**
 * bufpool_usage_bucket_name() - "0-24%" .. "100%"
 * @b: a bucket, below BUFPOOL_USAGE_BUCKETS
 *
 * Context: any.
 * Return: its name, "?" out of range.
 */
const char *bufpool_usage_bucket_name(unsigned int b)
{
	return b < BUFPOOL_USAGE_BUCKETS ? usage_bucket_names[b] : "?";
}

/**
 * bufpool_view_arena() - the "arenas" record of one arena
 * @out: the sink
 * @arena: the arena
 * @scratch: per reader, not on the stack (it is large)
 *
 * Context: process context, as bufpool_arena_view_read().
 */
void bufpool_view_arena(const struct bufpool_view_out *out, struct bufpool_arena *arena,
			struct bufpool_view_scratch *scratch)
{
	struct bufpool_arena_view *v = &scratch->arena;
	struct bufpool_subpage_census *cs = &v->census;
	char *line = scratch->line;
	const size_t len = sizeof(scratch->line);
	unsigned int i, b;
	int n;

	bufpool_arena_view_read(arena, v, scratch->snap);
	scnprintf(line, len, "arena %u: chunks %llu\n", arena->index, v->nr_chunks);
	out->puts(out->ctx, line);
	n = scnprintf(line, len, "  %-6s %6s", "list", "chunks");
	for (b = 0; b < BUFPOOL_USAGE_BUCKETS; b++)
		n += scnprintf(line + n, len - n, " %6s", usage_bucket_names[b]);
	scnprintf(line + n, len - n, "\n");
	out->puts(out->ctx, line);
	for (i = 0; i < BUFPOOL_NR_QLISTS; i++) {
		n = scnprintf(line, len, "  %-6s %6u", arena->lists[i].name, v->count[i]);
		for (b = 0; b < BUFPOOL_USAGE_BUCKETS; b++)
			n += scnprintf(line + n, len - n, " %6u", v->hist[i][b]);
		scnprintf(line + n, len - n, "\n");
		out->puts(out->ctx, line);
	}
	scnprintf(line, len, "  %-6s %6s %8s %7s %s\n", "class", "size", "subpages",
		  "in_pool", "elems_used/total");
	out->puts(out->ctx, line);
	for (i = 0; i < BUFPOOL_NR_SUBPAGE_CLASSES; i++) {
		size_t size = bufpool_subpage_class_size(i);

		if (!cs->subpages[i])
			continue;
		scnprintf(line, len, "  %-6s %6zu %8u %7u %llu/%llu\n",
			  size < BUFPOOL_TINY_LIMIT ? "tiny" : "small", size,
			  cs->subpages[i], cs->in_pool[i],
			  cs->elems_used[i], cs->elems_total[i]);
		out->puts(out->ctx, line);
	}
}

/**
 * bufpool_view_chunks_header() - the first line of the "chunks" view
 * @out: the sink
 *
 * Context: any.
 */
void bufpool_view_chunks_header(const struct bufpool_view_out *out)
{
	out->puts(out->ctx, "# arena list  usage free_bytes largest_free subpages\n");
}

/**
 * bufpool_view_chunks() - the "chunks" lines of one arena, one per chunk
 * @out: the sink
 * @arena: the arena
 * @scratch: per reader
 *
 * Context: process context; takes the arena lock a bounded time per step.
 */
void bufpool_view_chunks(const struct bufpool_view_out *out, struct bufpool_arena *arena,
			 struct bufpool_view_scratch *scratch)
{
	struct bufpool_chunk_walk w;
	unsigned int n, i;

	bufpool_chunk_walk_init(&w, arena, NULL);
	while ((n = bufpool_chunk_walk_next(&w, scratch->snap, BUFPOOL_WALK_CHUNKS))) {
		for (i = 0; i < n; i++) {
			const struct bufpool_chunk_snap *s = &scratch->snap[i];

			scnprintf(scratch->line, sizeof(scratch->line),
				  "%7u %-5s %5d %10zu %12zu %8u\n", s->arena,
				  arena->lists[s->list].name, s->usage, s->free_bytes,
				  s->largest_free, s->subpages);
			out->puts(out->ctx, scratch->line);
		}
		cond_resched();
	}
}

/**
 * bufpool_cache_view_read() - what the "caches" view shows of one cache
 * @pool: its pool
 * @c: the cache, read without a lock (each counter once)
 * @v: filled
 *
 * Context: any; racy by design, as the owner may be running.
 */
void bufpool_cache_view_read(const struct bufpool *pool, const struct bufpool_cache *c,
			     struct bufpool_cache_view *v)
{
	unsigned int i, nr = bufpool_nr_size_classes(&pool->geo);
	struct bufpool_class_info ci;
	struct bufpool_cache_bin_snap b;

	memset(&v->st, 0, sizeof(v->st));
	bufpool_cache_add_stats(&v->st, c);
	v->nr_bins = 0;
	for (i = 0; i < nr && v->nr_bins < BUFPOOL_CACHE_BINS; i++) {
		if (bufpool_size_class_info(pool, i, &ci) || ci.cache_bin < 0)
			continue;
		bufpool_cache_bin_read(c, ci.cache_bin, &b);
		if (!b.count && !b.hits)
			continue;
		v->bins[v->nr_bins].bin = ci.cache_bin;
		v->bins[v->nr_bins].size = ci.size;
		v->bins[v->nr_bins].snap = b;
		v->nr_bins++;
	}
}

/**
 * bufpool_view_cache() - the "caches" record of one cache
 * @out: the sink
 * @label: what the cache belongs to: "cpu 3", "thread 2"
 * @v: the cache, as bufpool_cache_view_read() saw it
 * @line: scratch, BUFPOOL_VIEW_LINE bytes
 *
 * Context: any.
 */
void bufpool_view_cache(const struct bufpool_view_out *out, const char *label,
			const struct bufpool_cache_view *v, char *line)
{
	const size_t len = BUFPOOL_VIEW_LINE;
	const struct bufpool_cache_stats *st = &v->st;
	enum bufpool_class cls;
	unsigned int i;
	char held[24];

	scnprintf(line, len, "%s: cached_bytes %llu trims %llu\n", label,
		  st->cached_bytes, st->trims);
	out->puts(out->ctx, line);
	scnprintf(line, len, "  %-6s %10s %10s %10s %10s\n", "class", "hits", "misses",
		  "frees", "flushed");
	out->puts(out->ctx, line);
	for (cls = BUFPOOL_CLASS_TINY; cls < BUFPOOL_CLASS_HUGE; cls++) {
		scnprintf(line, len, "  %-6s %10llu %10llu %10llu %10llu\n",
			  bufpool_class_name(cls), st->hits[cls], st->misses[cls],
			  st->frees[cls], st->flushed[cls]);
		out->puts(out->ctx, line);
	}
	scnprintf(line, len, "  %-6s %7s %13s %15s\n", "bin", "size", "held/capacity",
		  "hits_since_trim");
	out->puts(out->ctx, line);
	for (i = 0; i < v->nr_bins; i++) {
		const struct bufpool_cache_bin_snap *b = &v->bins[i].snap;

		scnprintf(held, sizeof(held), "%u/%u", b->count, b->size);
		scnprintf(line, len, "  %-6d %7zu %13s %15u\n", v->bins[i].bin, v->bins[i].size,
			  held, b->hits);
		out->puts(out->ctx, line);
	}
}

/**
 * bufpool_view_sizeclasses() - the "sizeclasses" view: geometry, class table
 * @out: the sink
 * @pool: the pool
 * @line: scratch, BUFPOOL_VIEW_LINE bytes
 *
 * Context: any.
 */
void bufpool_view_sizeclasses(const struct bufpool_view_out *out, const struct bufpool *pool,
			      char *line)
{
	const size_t len = BUFPOOL_VIEW_LINE;
	const struct bufpool_geometry *geo = &pool->geo;
	unsigned int i, nr = bufpool_nr_size_classes(geo);
	struct bufpool_class_info ci;

	scnprintf(line, len, "page_size: %u\nmax_order: %u\nchunk_size: %zu\nclasses: %u\n",
		  geo->page_size, geo->max_order, geo->chunk_size, nr);
	out->puts(out->ctx, line);
	scnprintf(line, len, "# %3s %-6s %8s %14s %10s\n", "index", "class", "size",
		  "elems_per_page", "cache_size");
	out->puts(out->ctx, line);
	for (i = 0; i < nr; i++) {
		if (bufpool_size_class_info(pool, i, &ci))
			break;
		if (ci.cls == BUFPOOL_CLASS_HUGE)
			scnprintf(line, len, "%5u %-6s >%7zu %14s %10u\n", i, "huge",
				  geo->chunk_size, "-", 0u);
		else if (ci.elems)
			scnprintf(line, len, "%5u %-6s %8zu %14u %10u\n", i,
				  bufpool_class_name(ci.cls), ci.size, ci.elems,
				  ci.cache_size);
		else
			scnprintf(line, len, "%5u %-6s %8zu %14s %10u\n", i,
				  bufpool_class_name(ci.cls), ci.size, "-",
				  ci.cache_size);
		out->puts(out->ctx, line);
	}
}
