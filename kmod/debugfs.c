// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/bufpool/<pool>/{stats,arenas,chunks,
 * sizeclasses,caches}
 *
 *   stats        "key: value" lines printed through the core's stats table,
 *                so the names are those of struct bufpool_stats and of the
 *                userspace library
 *   arenas       per arena: chunks per usage list with a usage histogram,
 *                and the subpages of each tiny and small size
 *   chunks       one line per chunk: arena, list, usage, free bytes,
 *                largest free run, subpages
 *   sizeclasses  the geometry and the class table
 *   caches       per possible CPU: its cache's counters per class, and
 *                each bin that holds entries or served hits since its trim
 *
 * Documentation/module.rst shows each format.  All are seq_files of mode
 * 0400 and print no address (arenas, lists, classes, bins and CPUs are
 * indexes).  As is the kernel convention, debugfs return values are not
 * checked: a missing file is no reason to fail.
 *
 * Readers do not stall allocators for long.  arenas and chunks are one
 * seq_file record per arena, filled by the core's bounded chunk walk
 * (core/introspect.c): each arena lock is taken for at most
 * BUFPOOL_WALK_CHUNKS (8) chunks' snapshots, stopping early once they
 * total BUFPOOL_WALK_PAGES (2048) pages (one chunk, at most 1024 pages in
 * the kernel, is always taken), then dropped; formatting runs with no lock
 * held.  If the last chunk copied moved meanwhile, the next hold first
 * skips the chunks already copied from its list (a pointer load each).  A
 * view is therefore exact only while the pool is quiet.  caches reads other
 * CPUs' caches with no lock at all: their counts and counters, each once
 * with READ_ONCE, never their entries - racy by design.  Per-bin hit and
 * miss counters do not exist (the hit path keeps per-class ones); a bin
 * shows its hits since the last trim, which trim uses.
 *
 * Lock order: no lock is taken in this file; the core helpers take one
 * arena lock at a time (see core/introspect.c and core/stats.c).
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <bufpool_cache_world.h>
#include "geometry.h"
#include "chunk.h"
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "leak.h"
#include "introspect.h"
#include "debugfs.h"

static struct dentry *bufpool_debugfs_root;


static int stats_show(struct seq_file *m, void *unused)
{
	struct bufpool *pool = m->private;
	struct bufpool_stats st;
	char *buf;

	buf = kmalloc(BUFPOOL_STATS_TEXT_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	bufpool_stats_read(pool, &st);
	bufpool_stats_format(&st, buf, BUFPOOL_STATS_TEXT_MAX);
	seq_puts(m, buf);
	kfree(buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static void leaks_emit(void *ctx, const char *line)
{
	seq_printf(ctx, "%s\n", line);
}

/* Buffers leak detection still tracks, by allocation site (leak.c). */
static int leaks_show(struct seq_file *m, void *unused)
{
	struct bufpool *pool = m->private;

	if (!bufpool_leak_report_lines(pool, leaks_emit, m))
		seq_printf(m, "no tracked buffer is live (%s tracking)\n",
			   bufpool_leak_level_name(pool->leak_level));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(leaks);

/* Per open file of arenas, chunks and caches. */
struct view_iter {
	struct bufpool *pool;
	int cpu;				/* caches: the CPU shown */
	struct bufpool_chunk_snap snap[BUFPOOL_WALK_CHUNKS];
	struct bufpool_subpage_census census;
};

static int view_open(struct inode *inode, struct file *file,
		     const struct seq_operations *ops)
{
	struct view_iter *it = __seq_open_private(file, ops, sizeof(*it));

	if (!it)
		return -ENOMEM;
	it->pool = inode->i_private;
	return 0;
}

/* arenas and chunks: record n is arena n. */
static void *arena_start(struct seq_file *m, loff_t *pos)
{
	struct view_iter *it = m->private;

	if (*pos >= it->pool->nr_arenas)
		return NULL;
	return &it->pool->arenas[*pos];
}

static void *arena_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return arena_start(m, pos);
}

static void view_stop(struct seq_file *m, void *v)
{
}

static const char * const usage_bucket_names[BUFPOOL_USAGE_BUCKETS] = {
	"0-24%", "25-49%", "50-74%", "75-99%", "100%",
};

static int arenas_show(struct seq_file *m, void *v)
{
	struct view_iter *it = m->private;
	struct bufpool_arena *arena = v;
	struct bufpool_subpage_census *cs = &it->census;
	u32 hist[BUFPOOL_NR_QLISTS][BUFPOOL_USAGE_BUCKETS] = { };
	u32 count[BUFPOOL_NR_QLISTS] = { };
	struct bufpool_chunk_walk w;
	unsigned int n, i, b;

	memset(cs, 0, sizeof(*cs));
	bufpool_chunk_walk_init(&w, arena, cs);
	while ((n = bufpool_chunk_walk_next(&w, it->snap, ARRAY_SIZE(it->snap)))) {
		for (i = 0; i < n; i++) {
			count[it->snap[i].list]++;
			hist[it->snap[i].list][bufpool_usage_bucket(it->snap[i].usage)]++;
		}
		cond_resched();
	}

	seq_printf(m, "arena %u: chunks %llu\n", arena->index,
		   bufpool_arena_nr_chunks(arena));
	seq_printf(m, "  %-6s %6s", "list", "chunks");
	for (b = 0; b < BUFPOOL_USAGE_BUCKETS; b++)
		seq_printf(m, " %6s", usage_bucket_names[b]);
	seq_putc(m, '\n');
	for (i = 0; i < BUFPOOL_NR_QLISTS; i++) {
		seq_printf(m, "  %-6s %6u", arena->lists[i].name, count[i]);
		for (b = 0; b < BUFPOOL_USAGE_BUCKETS; b++)
			seq_printf(m, " %6u", hist[i][b]);
		seq_putc(m, '\n');
	}
	seq_printf(m, "  %-6s %6s %8s %7s %s\n", "class", "size", "subpages",
		   "in_pool", "elems_used/total");
	for (i = 0; i < BUFPOOL_NR_SUBPAGE_CLASSES; i++) {
		size_t size = bufpool_subpage_class_size(i);

		if (!cs->subpages[i])
			continue;
		seq_printf(m, "  %-6s %6zu %8u %7u %llu/%llu\n",
			   size < BUFPOOL_TINY_LIMIT ? "tiny" : "small", size,
			   cs->subpages[i], cs->in_pool[i],
			   cs->elems_used[i], cs->elems_total[i]);
	}
	return 0;
}

static const struct seq_operations arenas_sops = {
	.start = arena_start,
	.next = arena_next,
	.stop = view_stop,
	.show = arenas_show,
};

/* chunks: a header, then arena n at record n + 1. */
static void *chunks_start(struct seq_file *m, loff_t *pos)
{
	struct view_iter *it = m->private;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (*pos > it->pool->nr_arenas)
		return NULL;
	return &it->pool->arenas[*pos - 1];
}

static void *chunks_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return chunks_start(m, pos);
}

static int chunks_show(struct seq_file *m, void *v)
{
	struct view_iter *it = m->private;
	struct bufpool_chunk_walk w;
	unsigned int n, i;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "# arena list  usage free_bytes largest_free subpages\n");
		return 0;
	}
	bufpool_chunk_walk_init(&w, v, NULL);
	while ((n = bufpool_chunk_walk_next(&w, it->snap, ARRAY_SIZE(it->snap)))) {
		for (i = 0; i < n; i++) {
			const struct bufpool_chunk_snap *s = &it->snap[i];

			seq_printf(m, "%7u %-5s %5d %10zu %12zu %8u\n", s->arena,
				   it->pool->arenas[s->arena].lists[s->list].name,
				   s->usage, s->free_bytes, s->largest_free, s->subpages);
		}
		cond_resched();
	}
	return 0;
}

static const struct seq_operations chunks_sops = {
	.start = chunks_start,
	.next = chunks_next,
	.stop = view_stop,
	.show = chunks_show,
};

/* caches: record n is possible CPU n; *pos jumps over impossible ones. */
static void *caches_start(struct seq_file *m, loff_t *pos)
{
	struct view_iter *it = m->private;
	int cpu;

	if (*pos >= nr_cpu_ids)
		return NULL;
	cpu = cpumask_next((int)*pos - 1, cpu_possible_mask);
	if (cpu >= nr_cpu_ids)
		return NULL;
	*pos = cpu;
	it->cpu = cpu;
	return &per_cpu_ptr(it->pool->world.pcpu, cpu)->cache;
}

static void *caches_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct view_iter *it = m->private;

	*pos = it->cpu + 1;
	return caches_start(m, pos);
}

static int caches_show(struct seq_file *m, void *v)
{
	struct view_iter *it = m->private;
	struct bufpool *pool = it->pool;
	const struct bufpool_cache *c = v;
	struct bufpool_cache_stats st = { };
	struct bufpool_class_info ci;
	struct bufpool_cache_bin_snap b;
	unsigned int i, nr = bufpool_nr_size_classes(&pool->geo);
	enum bufpool_class cls;
	char held[24];

	bufpool_cache_add_stats(&st, c);	/* each counter read once */
	seq_printf(m, "cpu %d: cached_bytes %llu trims %llu\n", it->cpu,
		   st.cached_bytes, st.trims);
	seq_printf(m, "  %-6s %10s %10s %10s %10s\n", "class", "hits", "misses",
		   "frees", "flushed");
	for (cls = BUFPOOL_CLASS_TINY; cls < BUFPOOL_CLASS_HUGE; cls++)
		seq_printf(m, "  %-6s %10llu %10llu %10llu %10llu\n",
			   bufpool_class_name(cls), st.hits[cls], st.misses[cls],
			   st.frees[cls], st.flushed[cls]);
	seq_printf(m, "  %-6s %7s %13s %15s\n", "bin", "size", "held/capacity",
		   "hits_since_trim");
	for (i = 0; i < nr; i++) {
		if (bufpool_size_class_info(pool, i, &ci) || ci.cache_bin < 0)
			continue;
		bufpool_cache_bin_read(c, ci.cache_bin, &b);
		if (!b.count && !b.hits)
			continue;
		snprintf(held, sizeof(held), "%u/%u", b.count, b.size);
		seq_printf(m, "  %-6d %7zu %13s %15u\n", ci.cache_bin, ci.size,
			   held, b.hits);
	}
	return 0;
}

static const struct seq_operations caches_sops = {
	.start = caches_start,
	.next = caches_next,
	.stop = view_stop,
	.show = caches_show,
};

#define DEFINE_VIEW_FOPS(name)						\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return view_open(inode, file, &name##_sops);			\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = seq_release_private,					\
}

DEFINE_VIEW_FOPS(arenas);
DEFINE_VIEW_FOPS(chunks);
DEFINE_VIEW_FOPS(caches);

static int sizeclasses_show(struct seq_file *m, void *unused)
{
	struct bufpool *pool = m->private;
	const struct bufpool_geometry *geo = &pool->geo;
	unsigned int i, nr = bufpool_nr_size_classes(geo);
	struct bufpool_class_info ci;

	seq_printf(m, "page_size: %u\nmax_order: %u\nchunk_size: %zu\nclasses: %u\n",
		   geo->page_size, geo->max_order, geo->chunk_size, nr);
	seq_printf(m, "# %3s %-6s %8s %14s %10s\n", "index", "class", "size",
		   "elems_per_page", "cache_size");
	for (i = 0; i < nr; i++) {
		if (bufpool_size_class_info(pool, i, &ci))
			break;
		if (ci.cls == BUFPOOL_CLASS_HUGE) {
			seq_printf(m, "%5u %-6s >%7zu %14s %10u\n", i, "huge",
				   geo->chunk_size, "-", 0u);
			continue;
		}
		if (ci.elems)
			seq_printf(m, "%5u %-6s %8zu %14u %10u\n", i,
				   bufpool_class_name(ci.cls), ci.size, ci.elems,
				   ci.cache_size);
		else
			seq_printf(m, "%5u %-6s %8zu %14s %10u\n", i,
				   bufpool_class_name(ci.cls), ci.size, "-",
				   ci.cache_size);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sizeclasses);

/**
 * bufpool_debugfs_init() - create /sys/kernel/debug/bufpool/
 *
 * Context: process context.
 */
void bufpool_debugfs_init(void)
{
	bufpool_debugfs_root = debugfs_create_dir("bufpool", NULL);
}

/**
 * bufpool_debugfs_exit() - remove /sys/kernel/debug/bufpool/
 *
 * Context: process context.
 */
void bufpool_debugfs_exit(void)
{
	debugfs_remove_recursive(bufpool_debugfs_root);
	bufpool_debugfs_root = NULL;
}

/**
 * bufpool_debugfs_add() - the pool's directory and files
 * @pool: the pool
 *
 * Context: process context.
 */
void bufpool_debugfs_add(struct bufpool *pool)
{
	struct dentry *dir = debugfs_create_dir(pool->name, bufpool_debugfs_root);

	pool->world.debugfs = dir;
	debugfs_create_file("stats", 0400, dir, pool, &stats_fops);
	debugfs_create_file("arenas", 0400, dir, pool, &arenas_fops);
	debugfs_create_file("chunks", 0400, dir, pool, &chunks_fops);
	debugfs_create_file("sizeclasses", 0400, dir, pool, &sizeclasses_fops);
	debugfs_create_file("caches", 0400, dir, pool, &caches_fops);
	debugfs_create_file("leaks", 0400, dir, pool, &leaks_fops);
}

/**
 * bufpool_debugfs_remove() - remove the pool's directory; waits for readers
 * @pool: the pool
 *
 * Context: process context.
 */
void bufpool_debugfs_remove(struct bufpool *pool)
{
	debugfs_remove_recursive(pool->world.debugfs);
	pool->world.debugfs = NULL;
}
