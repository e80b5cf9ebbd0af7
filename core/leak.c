// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * leak.c - leak detection for pooled buffers (Netty's ResourceLeakDetector).
 *
 * Levels (struct bufpool_config.leak_detection): disabled; simple, the
 * default, tracks 1 buffer in leak_sample_rate (128); advanced tracks as
 * many and records the last accesses of each; paranoid tracks every
 * buffer, with its accesses.  Sampling counts allocations per cache (per
 * CPU or thread), so it is exact: the n-th, 2n-th... buffer of each cache.
 *
 * A tracked buffer has a record with its allocation stack and time, on
 * the pool's list while the buffer lives.  The stack (the world's
 * bufpool_stack_save()) is kept in the stack depot (<linux/stackdepot.h>:
 * the kernel's, or user/stack.c's behind the shim), which stores each
 * distinct stack once; the record keeps its 32-bit handle.  Unwinding
 * costs thousands of instructions (userspace backtrace() about 20000), so
 * the stack is taken once per allocating call site - the caller of
 * bufpool_buf_alloc() - and its handle reused for every later buffer
 * allocated there (a direct-mapped table of 64 sites; a site evicted by
 * another is unwound again, and finds its stack in the depot).  Two paths
 * into one call site share a stack.
 * A leak is a record still on the list: bufpool_leak_report_lines() groups
 * them by allocation stack, with count, bytes and the oldest age, and hands
 * each line to a callback (printk, a seq_file, a FILE).
 *
 * Lock order: the leak lock alone (never with a cache held).
 */
#include "pool.h"
#include "leak.h"
#include "buf_internal.h"
#include "world.h"

#define BUFPOOL_LEAK_ACCESS	4

/**
 * struct bufpool_leak - a tracked buffer's record; private to leak.c
 * @node: on the pool's leak list
 * @buf: the root buffer
 * @alloc_ms: when it was allocated
 * @stack: the allocation's call stack, in the stack depot (0: none stored)
 * @record_access: advanced/paranoid: remember accesses
 * @nr_access: accesses recorded so far (@access is a ring)
 * @access: the last accesses' return addresses
 */
struct bufpool_leak {
	struct list_head node;
	struct bufpool_buf *buf;
	u64 alloc_ms;
	depot_stack_handle_t stack;
	bool record_access;
	atomic_t nr_access;
	unsigned long access[BUFPOOL_LEAK_ACCESS];
};

/*
 * The stack from the allocating call site @ip outwards: bufpool's own
 * frames (however many, whatever was inlined or tail-called) dropped by
 * finding @ip among the return addresses; @ip alone if it is not there.
 */
static unsigned int leak_stack(unsigned long *out, unsigned long ip)
{
	unsigned long raw[BUFPOOL_LEAK_STACK + 8];
	unsigned int n = bufpool_stack_save(raw, ARRAY_SIZE(raw), 0), i, k;

	for (i = 0; i < n && raw[i] != ip; i++)
		;
	if (i == n) {
		out[0] = ip;
		return 1;
	}
	for (k = 0; i < n && k < BUFPOOL_LEAK_STACK; k++, i++)
		out[k] = raw[i];
	return k;
}

/**
 * bufpool_leak_track() - start tracking @b
 * @pool: the pool
 * @b: a new root buffer that desc_get() sampled (b->sampled: the caller
 *     checks it, so that the unsampled ones make no call)
 * @ip: the allocating call site (the caller of bufpool_buf_alloc())
 *
 * Context: any the pool may be used in; takes the leak lock.
 */
void bufpool_leak_track(struct bufpool *pool, struct bufpool_buf *b, unsigned long ip)
{
	unsigned long irqflags;
	unsigned long stack[BUFPOOL_LEAK_STACK];
	struct bufpool_leak_site *site;
	depot_stack_handle_t handle;
	struct bufpool_leak *l;
	unsigned int nr;

	l = kzalloc(sizeof(*l), GFP_NOWAIT | __GFP_NOWARN);
	if (!l)
		return;		/* untracked: leak detection is best effort */
	l->buf = b;
	l->alloc_ms = bufpool_now_ms();
	l->record_access = pool->leak_level >= BUFPOOL_LEAK_ADVANCED;
	site = &pool->leak_sites[hash_long(ip, BUFPOOL_LEAK_SITE_BITS)];
	spin_lock_irqsave(&pool->leak_lock, irqflags);
	if (site->ip != ip) {
		/*
		 * Unwinding costs thousands of instructions: once per site.
		 * The depot takes its own lock: not under the leak lock.
		 */
		spin_unlock_irqrestore(&pool->leak_lock, irqflags);
		nr = leak_stack(stack, ip);
		handle = stack_depot_save(stack, nr, GFP_NOWAIT | __GFP_NOWARN);
		spin_lock_irqsave(&pool->leak_lock, irqflags);
		site->ip = ip;
		site->stack = handle;
	}
	l->stack = site->stack;
	list_add_tail(&l->node, &pool->leaks);
	atomic_long_inc(&pool->nr_leaks);
	spin_unlock_irqrestore(&pool->leak_lock, irqflags);
	b->leak = l;
}

/**
 * bufpool_leak_untrack() - @b was released: forget it
 * @pool: the pool
 * @b: a root buffer whose count reached zero, tracked (b->leak set: the
 *     caller checks it)
 *
 * Context: any the pool may be used in; takes the leak lock.
 */
void bufpool_leak_untrack(struct bufpool *pool, struct bufpool_buf *b)
{
	unsigned long irqflags;
	struct bufpool_leak *l = b->leak;

	spin_lock_irqsave(&pool->leak_lock, irqflags);
	list_del(&l->node);
	atomic_long_dec(&pool->nr_leaks);
	spin_unlock_irqrestore(&pool->leak_lock, irqflags);
	b->leak = NULL;
	kfree(l);
}

/**
 * bufpool_leak_touch() - remember an access point (advanced, paranoid)
 * @l: the buffer's record
 * @ip: where from
 *
 * Context: a holder of a reference; no lock (a racing reporter may read a
 * slot being replaced, never a freed record: reports hold the leak lock
 * and records leave the list under it before they are freed).
 */
void bufpool_leak_touch(struct bufpool_leak *l, unsigned long ip)
{
	unsigned int n;

	if (!l->record_access)
		return;
	/* Holders of one buffer in several threads may touch it at once. */
	n = (unsigned int)atomic_inc_return(&l->nr_access) - 1;
	WRITE_ONCE(l->access[n % BUFPOOL_LEAK_ACCESS], ip);
}

struct leak_group {
	depot_stack_handle_t stack;
	unsigned long access[BUFPOOL_LEAK_ACCESS];
	unsigned int nr_access;
	u64 count, bytes, oldest_ms;
};

#define LEAK_GROUPS	32

/* The depot stores a stack once: equal stacks have equal handles. */
static bool same_stack(const struct leak_group *g, const struct bufpool_leak *l)
{
	return g->stack == l->stack;
}

static void emit_frames(const unsigned long *ip, unsigned int n, const char *prefix,
			void (*emit)(void *ctx, const char *line), void *ctx)
{
	char sym[160], line[224];
	unsigned int i;

	for (i = 0; i < n; i++) {
		bufpool_stack_symbol(sym, sizeof(sym), ip[i]);
		scnprintf(line, sizeof(line), "%s#%u %s", prefix, i, sym);
		emit(ctx, line);
	}
}

/**
 * bufpool_leak_report_lines() - describe every buffer still tracked
 * @pool: the pool
 * @emit: called with each line (no newline), no lock held
 * @ctx: passed to @emit
 *
 * Groups by allocation stack (at most 32 groups; the rest are summed in a
 * last line): count, bytes (capacity), oldest age, the stack, and for
 * advanced/paranoid the last accesses of the oldest buffer of the group.
 *
 * Context: any; allocates with GFP_NOWAIT.
 * Return: the number of leaked (still tracked) buffers.
 */
unsigned long bufpool_leak_report_lines(struct bufpool *pool,
					void (*emit)(void *ctx, const char *line), void *ctx)
{
	unsigned long irqflags;
	struct leak_group *groups;
	unsigned long total = 0, other = 0, *frames;
	struct bufpool_leak *l;
	unsigned int n = 0, i, nr;
	u64 now = bufpool_now_ms();
	char line[224];

	groups = kcalloc(LEAK_GROUPS, sizeof(*groups), GFP_NOWAIT | __GFP_NOWARN);
	spin_lock_irqsave(&pool->leak_lock, irqflags);
	list_for_each_entry(l, &pool->leaks, node) {
		struct leak_group *g = NULL;

		total++;
		for (i = 0; groups && i < n; i++)
			if (same_stack(&groups[i], l))
				g = &groups[i];
		if (!g && groups && n < LEAK_GROUPS) {
			g = &groups[n++];
			g->stack = l->stack;
			g->oldest_ms = l->alloc_ms;
		}
		if (!g) {
			other++;
			continue;
		}
		g->count++;
		g->bytes += READ_ONCE(l->buf->cap);	/* it may be growing */
		if (l->alloc_ms <= g->oldest_ms) {
			unsigned int k, nr = atomic_read(&l->nr_access),
				     a = min_t(unsigned int, nr, BUFPOOL_LEAK_ACCESS);

			g->oldest_ms = l->alloc_ms;
			for (k = 0; k < a; k++)	/* most recent first */
				g->access[k] = READ_ONCE(l->access[(nr - 1 - k) %
								   BUFPOOL_LEAK_ACCESS]);
			g->nr_access = a;
		}
	}
	spin_unlock_irqrestore(&pool->leak_lock, irqflags);

	if (total) {
		scnprintf(line, sizeof(line),
			  "pool '%s': LEAK: %lu buffer%s never released (%s tracking)",
			  pool->name, total, total == 1 ? "" : "s",
			  bufpool_leak_level_name(pool->leak_level));
		emit(ctx, line);
	}
	for (i = 0; i < n; i++) {
		struct leak_group *g = &groups[i];

		scnprintf(line, sizeof(line),
			  "  %llu buffer%s, %llu bytes, oldest %llu ms old, allocated at:",
			  g->count, g->count == 1 ? "" : "s", g->bytes, now - g->oldest_ms);
		emit(ctx, line);
		nr = stack_depot_fetch(g->stack, &frames);
		if (nr)
			emit_frames(frames, nr, "    ", emit, ctx);
		else
			emit(ctx, "    (no stack: the stack depot could not store it)");
		if (g->nr_access) {
			emit(ctx, "   last accesses of the oldest, most recent first:");
			emit_frames(g->access, g->nr_access, "    ", emit, ctx);
		}
	}
	if (other) {
		scnprintf(line, sizeof(line), "  %lu more buffers from other sites", other);
		emit(ctx, line);
	}
	kfree(groups);
	return total;
}
EXPORT_SYMBOL_NS_GPL(bufpool_leak_report_lines, BUFPOOL_INTERNAL);

/**
 * bufpool_leak_destroy() - free every record (the pool is going away)
 * @pool: the pool
 *
 * Context: the pool's destroy; nobody uses it.
 */
void bufpool_leak_destroy(struct bufpool *pool)
{
	struct bufpool_leak *l, *tmp;

	list_for_each_entry_safe(l, tmp, &pool->leaks, node) {
		list_del(&l->node);
		l->buf->leak = NULL;
		kfree(l);
	}
	atomic_long_set(&pool->nr_leaks, 0);
}

/**
 * bufpool_leak_level_name() - a level as the module parameter spells it
 * @level: enum bufpool_leak_level
 *
 * Context: any.
 * Return: "disabled", "simple", "advanced", "paranoid" or "?".
 */
const char *bufpool_leak_level_name(unsigned int level)
{
	static const char *const names[] = {
		[BUFPOOL_LEAK_SIMPLE] = "simple", [BUFPOOL_LEAK_DISABLED] = "disabled",
		[BUFPOOL_LEAK_ADVANCED] = "advanced", [BUFPOOL_LEAK_PARANOID] = "paranoid",
	};

	return level < ARRAY_SIZE(names) ? names[level] : "?";
}
EXPORT_SYMBOL_NS_GPL(bufpool_leak_level_name, BUFPOOL_INTERNAL);
