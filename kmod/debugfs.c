// SPDX-License-Identifier: GPL-2.0 OR MIT
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
 * The text of arenas, chunks, caches and sizeclasses comes from core/view.c,
 * which the library's bufpool_stats_print() prints through too.
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
	bufpool_stats_text(&st, buf, BUFPOOL_STATS_TEXT_MAX);
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
	struct bufpool_view_out out;		/* to the seq_file */
	struct bufpool_view_scratch scratch;
};

static void view_puts(void *m, const char *line)
{
	seq_puts(m, line);
}

static int view_open(struct inode *inode, struct file *file,
		     const struct seq_operations *ops)
{
	struct view_iter *it = __seq_open_private(file, ops, sizeof(*it));

	if (!it)
		return -ENOMEM;
	it->pool = inode->i_private;
	it->out.puts = view_puts;
	it->out.ctx = file->private_data;	/* the seq_file */
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

static int arenas_show(struct seq_file *m, void *v)
{
	struct view_iter *it = m->private;

	bufpool_view_arena(&it->out, v, &it->scratch);
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

	if (v == SEQ_START_TOKEN)
		bufpool_view_chunks_header(&it->out);
	else
		bufpool_view_chunks(&it->out, v, &it->scratch);
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
	char label[24];

	snprintf(label, sizeof(label), "cpu %d", it->cpu);
	bufpool_cache_view_read(it->pool, v, &it->scratch.cache);
	bufpool_view_cache(&it->out, label, &it->scratch.cache, it->scratch.line);
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
	const struct bufpool_view_out out = { .puts = view_puts, .ctx = m };
	char *line = kmalloc(BUFPOOL_VIEW_LINE, GFP_KERNEL);

	if (!line)
		return -ENOMEM;
	bufpool_view_sizeclasses(&out, m->private, line);
	kfree(line);
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
