/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * leak.h - leak detection for pooled buffers (leak.c): the per-call-site
 * stacks a pool keeps, and what buf.c and the pool call.  A tracked
 * buffer's record, struct bufpool_leak, is private to leak.c.
 */
#ifndef _BUFPOOL_LEAK_H
#define _BUFPOOL_LEAK_H

#include <bufpool_seam.h>
#include <linux/stackdepot.h>

struct bufpool;
struct bufpool_buf;
struct bufpool_leak;

#define BUFPOOL_LEAK_SAMPLE_DEFAULT	128u
#define BUFPOOL_LEAK_STACK	8
#define BUFPOOL_LEAK_SITE_BITS		6

/**
 * struct bufpool_leak_site - an allocating call site's stack, taken once
 * @ip: the call site; 0 for an empty slot
 * @stack: the stack first seen there, in the stack depot (0: none stored)
 */
struct bufpool_leak_site {
	unsigned long ip;
	depot_stack_handle_t stack;
};

/* leak.c */
void bufpool_leak_track(struct bufpool *pool, struct bufpool_buf *b, unsigned long ip);
void bufpool_leak_untrack(struct bufpool *pool, struct bufpool_buf *b);
void bufpool_leak_touch(struct bufpool_leak *l, unsigned long ip);
unsigned long bufpool_leak_report_lines(struct bufpool *pool,
					void (*emit)(void *ctx, const char *line), void *ctx);
void bufpool_leak_destroy(struct bufpool *pool);
const char *bufpool_leak_level_name(unsigned int level);

#endif /* _BUFPOOL_LEAK_H */
