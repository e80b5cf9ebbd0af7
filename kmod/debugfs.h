/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* debugfs.h - the module's debugfs views (kmod/debugfs.c). */
#ifndef _BUFPOOL_DEBUGFS_H
#define _BUFPOOL_DEBUGFS_H

struct bufpool;

void bufpool_debugfs_init(void);
void bufpool_debugfs_exit(void);
void bufpool_debugfs_add(struct bufpool *pool);
void bufpool_debugfs_remove(struct bufpool *pool);

#endif /* _BUFPOOL_DEBUGFS_H */
