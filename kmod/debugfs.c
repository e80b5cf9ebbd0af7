// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/bufpool/<pool>/stats
 *
 * "key: value" lines printed through the core's stats table, so the names
 * are those of struct bufpool_stats and of the userspace library.  Mode
 * 0400; no addresses.  As is the kernel convention, debugfs return values
 * are not checked: a missing file is no reason to fail.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "bufpool_internal.h"
#include "debugfs.h"

static struct dentry *bufpool_debugfs_root;

/* Large enough for every counter at 20 digits with its name. */
#define STATS_BUF_SIZE	1024

static int stats_show(struct seq_file *m, void *unused)
{
	struct bufpool *pool = m->private;
	struct bufpool_stats st;
	char *buf;

	buf = kmalloc(STATS_BUF_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	bufpool_stats_read(pool, &st);
	bufpool_stats_format(&st, buf, STATS_BUF_SIZE);
	seq_puts(m, buf);
	kfree(buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

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
	pool->world.debugfs = debugfs_create_dir(pool->name, bufpool_debugfs_root);
	debugfs_create_file("stats", 0400, pool->world.debugfs, pool, &stats_fops);
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
