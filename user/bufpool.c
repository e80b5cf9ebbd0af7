// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bufpool.c - libbufpool's public API (<bufpool.h>) over the core: errno
 * instead of ERR_PTR, no gfp flags.
 */
#include <stdlib.h>
#include "stats_print.h"
#include "geometry.h"
#include "cache.h"
#include "pool.h"
#include "leak.h"
#include "buf_internal.h"
#include "fastpath.h"
#include "fork.h"
#include "conf.h"

/* This file defines the unsized functions the header's macros replace
 * (see user/config_sized.c and bufpool_stats_get()). */
#undef bufpool_config_init
#undef bufpool_config_validate
#undef bufpool_create
#undef bufpool_get_stats
#undef bufpool_stats_format

/* The seed's userspace default: 8 KiB << 11 = 16 MiB chunks. */
#define BUFPOOL_USER_MAX_ORDER	11

/**
 * bufpool_version() - the library's version
 *
 * Context: any thread.
 * Return: BUFPOOL_VERSION as the library was built (the header a program
 * was compiled with may be older).
 */
int bufpool_version(void)
{
	return BUFPOOL_VERSION;
}

/**
 * bufpool_config_init() - fill @cfg with the defaults
 * @cfg: the configuration
 *
 * 8 KiB pages, max_order 11 (16 MiB chunks), one arena per CPU, abort on
 * misuse, name "pool", Netty's cache sizes up to 64 KiB (Netty's: 32 KiB),
 * refills in batches, emptied chunks retained for a second.
 *
 * Context: any thread.
 */
void bufpool_config_init(struct bufpool_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->page_size = BUFPOOL_PAGE_SIZE_DEFAULT;
	cfg->max_order = BUFPOOL_USER_MAX_ORDER;
	/* Netty's PooledByteBufAllocator defaults, but for the largest size cached. */
	cfg->tiny_cache_size = 512;
	cfg->small_cache_size = 256;
	cfg->normal_cache_size = 64;
	/*
	 * Not Netty's 32 KiB: a 64 KiB request served by the buddy tree costs
	 * about 1200 instructions a pair, a cached one under 100.
	 */
	cfg->max_cached_capacity = 64 << 10;
	cfg->cache_trim_interval = 8192;
	/* Not Netty's: an emptied chunk stays mapped for a second, for reuse. */
	cfg->chunk_retention_ms = 1000;
}

/**
 * bufpool_config_validate() - would bufpool_create() accept @cfg?
 * @cfg: the configuration
 * @why: for a bad @cfg, one line naming the field, its value and the range
 *       (may be NULL)
 * @len: size of @why
 *
 * Context: any thread.
 * Return: 0 or -EINVAL.
 */
int bufpool_config_validate(const struct bufpool_config *cfg, char *why, size_t len)
{
	char buf[128];

	if (!cfg)
		return -EINVAL;
	if (!why || !len) {
		why = buf;
		len = sizeof(buf);
	}
	return bufpool_config_check(cfg, why, len);
}

/* Pools created with BUFPOOL_F_LEAK_REPORT_AT_EXIT and not destroyed yet. */
#define EXIT_POOLS	64
static struct bufpool *exit_pools[EXIT_POOLS];
static pthread_mutex_t exit_lock = PTHREAD_MUTEX_INITIALIZER;

static void report_at_exit(void)
{
	unsigned int i;

	pthread_mutex_lock(&exit_lock);
	for (i = 0; i < EXIT_POOLS; i++)
		if (exit_pools[i])
			bufpool_leak_report(exit_pools[i], stderr);
	pthread_mutex_unlock(&exit_lock);
}

static void exit_pools_update(struct bufpool *add, struct bufpool *remove)
{
	static bool registered;
	unsigned int i;

	pthread_mutex_lock(&exit_lock);
	if (add && !registered)
		registered = !atexit(report_at_exit);
	for (i = 0; i < EXIT_POOLS; i++) {
		if (remove && exit_pools[i] == remove) {
			exit_pools[i] = NULL;
			break;
		}
		if (add && !exit_pools[i]) {
			exit_pools[i] = add;
			break;
		}
	}
	pthread_mutex_unlock(&exit_lock);
}

/**
 * bufpool_create() - a new pool
 * @cfg: the configuration; NULL for the defaults with the environment's
 *       BUFPOOL_CONF applied (user/conf.c)
 *
 * The pool stays usable in the child of a fork() made while other threads
 * use it (user/fork.c).
 *
 * Context: any thread.
 * Return: the pool, or NULL with errno EINVAL (bad @cfg) or ENOMEM.
 */
struct bufpool *bufpool_create(const struct bufpool_config *cfg)
{
	struct bufpool_config defaults;
	char env[BUFPOOL_CONF_BUF];
	struct bufpool *pool;
	char why[128];

	if (!cfg) {
		bufpool_conf_from_env(&defaults, env);
		cfg = &defaults;
	}
	pool = bufpool_pool_create(cfg, why, sizeof(why));
	if (IS_ERR(pool)) {
		errno = -PTR_ERR(pool);
		return NULL;
	}
	if (cfg->flags & BUFPOOL_F_LEAK_REPORT_AT_EXIT)
		exit_pools_update(pool, NULL);
	bufpool_fork_track(pool, true);
	return pool;
}

/**
 * bufpool_destroy() - unmap every chunk and huge allocation of @pool
 * @pool: the pool (NULL: no-op); no thread may use it any more
 *
 * Live allocations go with it.  Buffers that leak detection still tracks
 * are reported on stderr first (bufpool_leak_report()).
 *
 * Context: any thread.
 */
void bufpool_destroy(struct bufpool *pool)
{
	if (!pool)
		return;
	bufpool_fork_track(pool, false);
	if (pool->cfg.flags & BUFPOOL_F_LEAK_REPORT_AT_EXIT)
		exit_pools_update(NULL, pool);
	bufpool_leak_report(pool, stderr);
	bufpool_stats_env_dump(pool);
	bufpool_pool_destroy(pool);
}

/**
 * bufpool_buf_alloc() - a refcounted buffer
 * @pool: the pool
 * @initial: capacity
 * @max: the largest capacity growth may reach
 *
 * Context: any thread.
 * Return: the buffer (one reference), or NULL with errno EINVAL (NULL
 * @pool, @initial > @max) or ENOMEM.
 */
struct bufpool_buf *bufpool_buf_alloc(struct bufpool *pool, size_t initial, size_t max)
{
	struct bufpool_buf *b;

	if (!pool || initial > max) {
		errno = EINVAL;
		return NULL;
	}
	b = bufpool_new_buf(pool, initial, max, GFP_KERNEL, _RET_IP_);
	if (!b)
		errno = ENOMEM;
	return b;
}

/* Each line with the prefix the kernel's pr_fmt gives its lines. */
static void emit_file(void *ctx, const char *line)
{
	fprintf(ctx, "bufpool: %s\n", line);
}

/**
 * bufpool_leak_report() - print the buffers leak detection still tracks
 * @pool: the pool
 * @out: where to (NULL: stderr)
 *
 * Context: any thread.
 * Return: how many buffers were reported.
 */
unsigned long bufpool_leak_report(struct bufpool *pool, FILE *out)
{
	if (!pool)
		return 0;
	return bufpool_leak_report_lines(pool, emit_file, out ? out : stderr);
}

/**
 * bufpool_alloc() - allocate @size bytes
 * @pool: the pool
 * @size: bytes; 0 gets the smallest class (16 bytes)
 *
 * Context: any thread.
 * Return: the memory, or NULL with errno EINVAL (NULL @pool) or ENOMEM.
 */
__bufpool_hot_entry void *bufpool_alloc(struct bufpool *pool, size_t size)
{
	if (unlikely(!pool)) {
		errno = EINVAL;
		return NULL;
	}
	return bufpool_fast_alloc(pool, size, GFP_KERNEL);	/* errno set by the slow path */
}

/* A pointer with no pool to count it in: always fatal.  Out of line. */
static noinline __attribute__((noreturn)) void null_pool_free(const void *ptr)
{
	fprintf(stderr, "bufpool: invalid free: NULL pool for %p\n", ptr);
	abort();
}

/**
 * bufpool_free() - give memory back
 * @pool: the pool it came from
 * @ptr: from bufpool_alloc(); NULL is a no-op
 *
 * A pointer that is not the start of a live allocation of @pool prints one
 * line and aborts, or with BUFPOOL_F_MISUSE_COUNT is only counted.  A NULL
 * @pool with a pointer has no pool to count in: it always aborts.
 *
 * Context: any thread, not only the allocating one.
 */
__bufpool_hot_entry void bufpool_free(struct bufpool *pool, void *ptr)
{
	if (unlikely(!pool)) {
		if (ptr)
			null_pool_free(ptr);
		return;
	}
	bufpool_fast_free(pool, ptr);	/* NULL: no page bin, a no-op in the slow path */
}

/**
 * bufpool_usable_size() - bytes usable at @ptr
 * @pool: the pool
 * @ptr: a pointer
 *
 * Context: any thread.
 * Return: the live allocation's usable size (>= what was asked), else 0.
 */
size_t bufpool_usable_size(struct bufpool *pool, const void *ptr)
{
	return pool ? bufpool_pool_usable_size(pool, ptr) : 0;
}

/**
 * bufpool_trim() - give the calling thread's cache back, release empty chunks
 * @pool: the pool
 *
 * Then rewrites $BUFPOOL_STATS_FILE if it is set (user/stats_print.c).
 *
 * Context: any thread.
 * Return: the number of chunks given back while it ran (those the flush of
 * the cache emptied included, as the kernel's bufpool_trim() counts them),
 * or -EINVAL for a NULL pool.
 */
int bufpool_trim(struct bufpool *pool)
{
	unsigned long before;

	if (!pool)
		return -EINVAL;
	before = bufpool_pool_unmapped(pool);
	bufpool_pool_trim(pool);
	bufpool_stats_env_dump(pool);
	return min_t(unsigned long, bufpool_pool_unmapped(pool) - before, INT_MAX);
}

/**
 * bufpool_stats_get() - a snapshot of the pool's counters, versioned
 * @pool: the pool
 * @st: filled, @size bytes of it
 * @size: sizeof the caller's struct bufpool_stats
 *
 * Counters past the library's struct read 0; the library's past @size are
 * not written.
 *
 * Context: any thread; takes each arena lock briefly.
 * Return: 0, or -EINVAL for a NULL argument or a @size that is 0 or not a
 * whole number of counters.
 */
int bufpool_stats_get(struct bufpool *pool, struct bufpool_stats *st, size_t size)
{
	struct bufpool_stats full;

	BUILD_BUG_ON(sizeof(full) < BUFPOOL_STATS_SIZE_V1);
	if (!pool || !st || !size || size % sizeof(u64))
		return -EINVAL;
	bufpool_stats_read(pool, &full);
	memcpy(st, &full, min(size, sizeof(full)));
	if (size > sizeof(full))
		memset((char *)st + sizeof(full), 0, size - sizeof(full));
	return 0;
}

/**
 * bufpool_get_stats() - bufpool_stats_get() for the first release's struct
 * @pool: the pool
 * @st: filled, BUFPOOL_STATS_SIZE_V1 bytes of it
 *
 * Binaries compiled before <bufpool.h> made this name a macro call it.
 *
 * Context: any thread; takes each arena lock briefly.
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int bufpool_get_stats(struct bufpool *pool, struct bufpool_stats *st)
{
	return bufpool_stats_get(pool, st, BUFPOOL_STATS_SIZE_V1);
}

/**
 * bufpool_stats_format_sized() - "key: value" lines, one per counter
 * @st: the counters, @size bytes
 * @size: sizeof the caller's struct bufpool_stats
 * @buf: output, NUL-terminated
 * @len: size of @buf
 *
 * Context: any thread.
 * Return: characters written, excluding the NUL; -EINVAL for a NULL @st
 * or a bad @size.
 */
int bufpool_stats_format_sized(const struct bufpool_stats *st, size_t size, char *buf,
			       size_t len)
{
	struct bufpool_stats full = { 0 };

	if (!st || !size || size % sizeof(u64) || (!buf && len))
		return -EINVAL;
	memcpy(&full, st, min(size, sizeof(full)));
	return bufpool_stats_text(&full, buf, len);
}

/**
 * bufpool_stats_format() - bufpool_stats_format_sized() for the first
 *                          release's struct
 * @st: the counters, BUFPOOL_STATS_SIZE_V1 bytes
 * @buf: output, NUL-terminated
 * @len: size of @buf
 *
 * Context: any thread.
 * Return: characters written, excluding the NUL.
 */
int bufpool_stats_format(const struct bufpool_stats *st, char *buf, size_t len)
{
	return bufpool_stats_format_sized(st, BUFPOOL_STATS_SIZE_V1, buf, len);
}

/**
 * bufpool_free_sized() - give memory back, saying its size
 * @pool: the pool it came from
 * @ptr: from bufpool_alloc(); NULL is a no-op
 * @size: the size asked for, or any size up to bufpool_usable_size();
 *        taken for callers that have one, it changes nothing (the pointer
 *        is checked in full, as by bufpool_free())
 *
 * Context: any thread.
 */
__bufpool_hot_entry void bufpool_free_sized(struct bufpool *pool, void *ptr, size_t size)
{
	if (unlikely(!pool)) {
		if (ptr)
			null_pool_free(ptr);
		return;
	}
	/* The size adds nothing (design.rst); NULL is a no-op in the slow path. */
	bufpool_fast_free(pool, ptr);
}

/**
 * bufpool_alloc_bulk() - allocate @n blocks of @size bytes
 * @pool: the pool
 * @size: bytes each
 * @n: how many
 * @ptrs: filled with @n pointers
 *
 * Context: any thread.
 * What the thread's cache holds comes out in one go; the rest as misses.
 *
 * Return: @n, or 0 with errno EINVAL (NULL @pool or @ptrs) or ENOMEM, and
 * nothing allocated.
 */
size_t bufpool_alloc_bulk(struct bufpool *pool, size_t size, size_t n, void **ptrs)
{
	if (!pool || (n && !ptrs)) {
		errno = EINVAL;
		return 0;
	}
	if (bufpool_pool_alloc_bulk(pool, size, GFP_KERNEL, n, ptrs) != n) {
		errno = ENOMEM;
		return 0;
	}
	return n;
}

/**
 * bufpool_free_bulk() - free @n pointers
 * @pool: the pool they came from
 * @n: how many
 * @ptrs: the pointers; NULL entries are skipped
 *
 * Context: any thread.
 */
void bufpool_free_bulk(struct bufpool *pool, size_t n, void **ptrs)
{
	if (!n)
		return;
	if (unlikely(!pool || !ptrs)) {
		fprintf(stderr, "bufpool: invalid bulk free: NULL %s\n", pool ? "array" : "pool");
		abort();
	}
	bufpool_pool_free_bulk(pool, n, ptrs);
}
