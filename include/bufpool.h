/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <bufpool.h> - libbufpool, the userspace build of the bufpool allocator.
 *
 * A pool hands out memory from chunks it maps from the kernel: requests up
 * to the chunk size (page_size << max_order, 16 MiB by default) come from a
 * buddy tree of pages and, up to half a page, from per-page bitmaps; larger
 * ones are mapped on their own.  All functions are thread-safe.
 *
 * Field names of struct bufpool_stats match the kernel module's debugfs
 * "stats" keys one for one.
 */
#ifndef _BUFPOOL_H
#define _BUFPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bufpool_buf.h"
#include "bufpool_recv.h"
#include "bufpool_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bufpool;

/* The version of this header; bufpool_version() gives the library's. */
#define BUFPOOL_VERSION_MAJOR	0
#define BUFPOOL_VERSION_MINOR	1
#define BUFPOOL_VERSION_PATCH	0
#define BUFPOOL_VERSION		(BUFPOOL_VERSION_MAJOR * 10000 + \
				 BUFPOOL_VERSION_MINOR * 100 + BUFPOOL_VERSION_PATCH)

/* BUFPOOL_VERSION of the library running (which may be newer than the
 * header a program was compiled with). */
int bufpool_version(void);

/* On a misused free (foreign, interior or double), count it and go on
 * instead of printing one line on stderr and calling abort(). */
#define BUFPOOL_F_MISUSE_COUNT	0x1u
/* At exit, report the pool's leaked buffers (if it is still alive). */
#define BUFPOOL_F_LEAK_REPORT_AT_EXIT	0x2u

/**
 * struct bufpool_config - geometry and policy of a pool
 * @name: shown in misuse messages (NULL: "pool")
 * @page_size: bytes per page; power of two, 4096..65536
 * @max_order: chunk = page_size << max_order, at most 1 GiB (0..14)
 * @nr_arenas: number of arenas, 0 = one per CPU (at most 1024)
 * @flags: BUFPOOL_F_*
 * @tiny_cache_size: per-thread cache entries per tiny class (512; 0: none)
 * @small_cache_size: per-thread cache entries per small class (256; 0: none)
 * @normal_cache_size: per-thread cache entries per normal class (64; 0: none)
 * @max_cached_capacity: largest size cached (64 KiB; at most page_size << 7)
 * @cache_trim_interval: trim a thread's cache every that many allocations
 *                       through it (8192; 0: never by count)
 * @cache_trim_interval_ms: also trim when that long has passed, checked on a
 *                          cache miss (0: off, the default)
 * @buf_recycler_size: buffer descriptors a thread keeps for reuse (0: 256)
 * @leak_detection: enum bufpool_leak_level (0: simple)
 * @leak_sample_rate: simple/advanced track 1 buffer in this many (0: 128)
 * @cache_refill: allocations a cache miss takes from the arena under one
 *                lock, one for the caller and the rest cached (0: a
 *                quarter of the bin, at most 64 below 512 bytes and 32
 *                from there; 1: one at a time, as Netty; at most 64)
 * @chunk_retention_ms: keep a chunk that empties this long, for reuse before
 *                      a new one is mapped, and subpages that empty (up to
 *                      1/16 of a chunk per arena) for the next subpage of
 *                      their size (1000; 0: release them at once, Netty's
 *                      behaviour)
 */
struct bufpool_config {
	const char *name;
	unsigned int page_size;
	unsigned int max_order;
	unsigned int nr_arenas;
	unsigned int flags;
	unsigned int tiny_cache_size;
	unsigned int small_cache_size;
	unsigned int normal_cache_size;
	unsigned int max_cached_capacity;
	unsigned int cache_trim_interval;
	unsigned int cache_trim_interval_ms;
	unsigned int buf_recycler_size;
	unsigned int leak_detection;
	unsigned int leak_sample_rate;
	unsigned int chunk_retention_ms;
	unsigned int cache_refill;
};

/*
 * A pool's counters: one uint64_t per counter of BUFPOOL_STATS() in
 * <bufpool_stats.h>, in that order, described there; the kernel's struct
 * and debugfs "stats" keys have the same names.  The struct only grows at
 * its end: bufpool_get_stats() passes the size the caller was compiled
 * with (see bufpool_stats_get()).
 */
#define BUFPOOL_STAT_MEMBER(name)	uint64_t name;
struct bufpool_stats {
	BUFPOOL_STATS(BUFPOOL_STAT_MEMBER)
};
#undef BUFPOOL_STAT_MEMBER

/* Fill @cfg with the defaults: 8 KiB pages, max_order 11 (16 MiB chunks),
 * one arena per CPU, abort on misuse, per-thread caches of 512/256/64
 * entries per tiny/small/normal class up to 64 KiB, trimmed every 8192
 * allocations, refilled in batches, emptied chunks retained for 1 s (and
 * free pages of chunks in use given back after 1-2 s unused, or sooner
 * where they pass a sixteenth of the pages in use). */
void bufpool_config_init(struct bufpool_config *cfg);
/* 0 if @cfg is acceptable, else -EINVAL with the reason (naming the field,
 * its value and the accepted range) in @why, if given. */
int bufpool_config_validate(const struct bufpool_config *cfg, char *why, size_t len);
/* Apply "key:value,key:value" to @cfg (keys: the fields below; values:
 * unsigned numbers, decimal or 0x hex, a name for "name", also simple,
 * disabled, advanced or paranoid for "leak_detection"; the last of a key
 * given twice wins).  @str is modified in place, as getsubopt(3) does, and
 * cfg->name may point into it.  0, or -EINVAL with the reason (naming the
 * key and the accepted values) in @why, if given.  See BUFPOOL_CONF. */
int bufpool_config_parse(struct bufpool_config *cfg, char *str, char *why, size_t len);
/* NULL cfg = defaults, with the environment variable BUFPOOL_CONF applied
 * ("key:value,..." as bufpool_config_parse(); if it is bad, one line on
 * stderr per process and the defaults).  Returns NULL with errno EINVAL
 * (bad config) or ENOMEM. */
struct bufpool *bufpool_create(const struct bufpool_config *cfg);
/*
 * Versioned config.  struct bufpool_config only grows at its end; the three
 * calls above are macros passing sizeof(struct bufpool_config) as the
 * caller was compiled to their _sized forms: fields a newer library has
 * and the caller does not know take their defaults, fields the caller sets
 * that an older library does not know give E2BIG, a size below the first
 * release's (BUFPOOL_CONFIG_SIZE_V1) EINVAL.  Binaries built before the
 * macros call the functions of the plain names.
 */
#define BUFPOOL_CONFIG_SIZE_V1 \
	(offsetof(struct bufpool_config, cache_refill) + sizeof(unsigned int))
void bufpool_config_init_sized(struct bufpool_config *cfg, size_t size);
int bufpool_config_validate_sized(const struct bufpool_config *cfg, size_t size, char *why,
				  size_t len);
struct bufpool *bufpool_create_sized(const struct bufpool_config *cfg, size_t size);
#define bufpool_config_init(cfg) \
	bufpool_config_init_sized((cfg), sizeof(struct bufpool_config))
#define bufpool_config_validate(cfg, why, len) \
	bufpool_config_validate_sized((cfg), sizeof(struct bufpool_config), (why), (len))
#define bufpool_create(cfg) \
	bufpool_create_sized((cfg), sizeof(struct bufpool_config))

/* Unmaps every chunk, live allocations included. */
void bufpool_destroy(struct bufpool *pool);
/* Returns NULL with errno ENOMEM (out of memory) or EINVAL (NULL @pool);
 * size 0 gets the smallest class. */
void *bufpool_alloc(struct bufpool *pool, size_t size);
/* NULL is a no-op. */
void bufpool_free(struct bufpool *pool, void *ptr);
/* Free with the size that was asked for (or any size up to the usable
 * size), for callers that have one, like C++ sized delete or sdallocx().
 * It frees as bufpool_free() does, checking the pointer in full: the size
 * changes nothing, and a wrong one is harmless. */
void bufpool_free_sized(struct bufpool *pool, void *ptr, size_t size);
/* Allocate @n blocks of @size bytes into @ptrs.  Returns @n, or 0 with
 * errno EINVAL/ENOMEM and nothing allocated (as kmem_cache_alloc_bulk). */
size_t bufpool_alloc_bulk(struct bufpool *pool, size_t size, size_t n, void **ptrs);
/* Free the @n pointers of @ptrs (NULL entries are skipped). */
void bufpool_free_bulk(struct bufpool *pool, size_t n, void **ptrs);
/* Bytes usable at @ptr (>= the requested size), 0 if @ptr is not live. */
size_t bufpool_usable_size(struct bufpool *pool, const void *ptr);
/* Fill @cfg with the configuration @pool runs with (nr_arenas resolved,
 * name pointing to the pool's copy).  0, or -EINVAL for a NULL argument. */
int bufpool_get_config(struct bufpool *pool, struct bufpool_config *cfg);
/* The same into a caller's struct of @size bytes (see "Versioned config"
 * above); bufpool_get_config() is a macro passing sizeof(struct
 * bufpool_config).  0, or -EINVAL (NULL argument, @size too small). */
int bufpool_get_config_sized(struct bufpool *pool, struct bufpool_config *cfg, size_t size);
#define bufpool_get_config(pool, cfg) \
	bufpool_get_config_sized((pool), (cfg), sizeof(struct bufpool_config))
/*
 * Versioned stats.  struct bufpool_stats only grows at its end, so the
 * caller says how large its struct is: bufpool_stats_get() fills @size
 * bytes of @st, counters the library does not know (a newer header) read
 * 0, counters the caller does not know (an older header) are left out.
 * 0, or -EINVAL for a NULL argument or a @size that is 0 or not a multiple
 * of 8.  bufpool_get_stats() and bufpool_stats_format() are macros passing
 * sizeof(struct bufpool_stats) as the caller was compiled; binaries built
 * before they were macros call the functions of those names, which assume
 * the first release's struct (BUFPOOL_STATS_SIZE_V1 bytes).
 */
#define BUFPOOL_STATS_SIZE_V1	(38 * 8)
int bufpool_stats_get(struct bufpool *pool, struct bufpool_stats *st, size_t size);
int bufpool_get_stats(struct bufpool *pool, struct bufpool_stats *st);
#define bufpool_get_stats(pool, st) \
	bufpool_stats_get((pool), (st), sizeof(struct bufpool_stats))
/* Give the calling thread's cached memory back to its arenas and release
 * every chunk that is then empty.  Returns the number of chunks released
 * (those the cache's flush emptied included), or -EINVAL for a NULL pool. */
int bufpool_trim(struct bufpool *pool);
/* Write @st (@size bytes, see bufpool_stats_get()) as "key: value" lines,
 * like the kernel's debugfs stats file; 4096 bytes always hold all of it.
 * Returns the length written (truncated to @len - 1), or -EINVAL. */
int bufpool_stats_format_sized(const struct bufpool_stats *st, size_t size, char *buf,
			       size_t len);
int bufpool_stats_format(const struct bufpool_stats *st, char *buf, size_t len);
#define bufpool_stats_format(st, buf, len) \
	bufpool_stats_format_sized((st), sizeof(struct bufpool_stats), (buf), (len))

/* Sections of bufpool_stats_print(), as the kernel's debugfs files: */
#define BUFPOOL_PRINT_STATS		0x01u	/* counters, "key: value" */
#define BUFPOOL_PRINT_ARENAS		0x02u	/* chunk lists, usage histogram, subpages */
#define BUFPOOL_PRINT_CHUNKS		0x04u	/* one line per chunk */
#define BUFPOOL_PRINT_SIZECLASSES	0x08u	/* geometry and class table */
#define BUFPOOL_PRINT_CACHES		0x10u	/* per thread cache, per class and bin */
#define BUFPOOL_PRINT_ALL		0x1fu
#define BUFPOOL_PRINT_JSON		0x100u	/* one JSON object instead of text */
/* Print @pool's sections in @flags (none: all) to @out (NULL: stderr): text
 * under "[section]" lines, each the kernel's debugfs text, or JSON with the
 * same names.  0, -EINVAL (NULL pool, unknown flag), -ENOMEM or -EIO. */
int bufpool_stats_print(struct bufpool *pool, FILE *out, unsigned int flags);
/* bufpool_stats_print() into @path, replaced atomically (temporary file and
 * rename).  0 or a negative errno.  With the environment variable
 * BUFPOOL_STATS_FILE set, bufpool_trim() and bufpool_destroy() do this to
 * that path ("%p": pid, "%n": pool name), all sections, text: bufpoolstat
 * --file reads it. */
int bufpool_stats_dump_file(struct bufpool *pool, const char *path, unsigned int flags);

/* A refcounted buffer (see bufpool_buf.h) of @initial bytes that may grow
 * to @max.  NULL with errno EINVAL (NULL @pool, initial > max) or ENOMEM. */
struct bufpool_buf *bufpool_buf_alloc(struct bufpool *pool, size_t initial, size_t max);
/* Print every buffer still tracked by leak detection, grouped by where it
 * was allocated, to @out (stderr if NULL).  Returns how many there are. */
unsigned long bufpool_leak_report(struct bufpool *pool, FILE *out);


#ifdef __cplusplus
}
#endif

#endif /* _BUFPOOL_H */
