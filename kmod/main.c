// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * main.c - the bufpool module: parameters, the default pool, and the API
 * exported to other modules (<linux/bufpool.h>).
 *
 * At load the parameters are validated (a bad value fails insmod with
 * -EINVAL and one line naming it and the accepted range) and the default
 * pool is created.  Other modules create their own pools or use the default
 * one.  At unload live allocations are reported per class and every chunk
 * goes back to the page allocator.
 *
 * Lock order: bufpool_pools_lock (mutex) is taken alone, around pool
 * creation and destruction only.
 */
#define pr_fmt(fmt) "bufpool: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include "geometry.h"
#include "cache.h"
#include "pool.h"
#include "leak.h"
#include "buf_internal.h"
#include "fastpath.h"
#include "debugfs.h"
#include "cache_work.h"
#include "page_source.h"
#include "dev.h"
#include "shrinker.h"

/* Not "page_size": <linux/mm.h> has a function of that name. */
static unsigned int param_page_size = BUFPOOL_PAGE_SIZE_DEFAULT;
module_param_named(page_size, param_page_size, uint, 0444);
MODULE_PARM_DESC(page_size, "bytes per page of the default pool: power of two, 4096..65536 (default 8192)");

/* 8 KiB << 9 = 4 MiB chunks: the largest block alloc_pages() gives on x86-64. */
static unsigned int max_order = 9;
module_param(max_order, uint, 0444);
MODULE_PARM_DESC(max_order, "chunk = page_size << max_order, at most 4 MiB (default 9)");

static unsigned int nr_arenas;
module_param(nr_arenas, uint, 0444);
MODULE_PARM_DESC(nr_arenas, "arenas of the default pool, 0..possible CPUs, 0 = one per possible CPU (default 0)");

/* Netty's defaults for the per-CPU caches of the default pool. */
static unsigned int tiny_cache_size = 512;
module_param(tiny_cache_size, uint, 0444);
MODULE_PARM_DESC(tiny_cache_size, "per-CPU cache entries per tiny class, 0 = none (default 512)");
static unsigned int small_cache_size = 256;
module_param(small_cache_size, uint, 0444);
MODULE_PARM_DESC(small_cache_size, "per-CPU cache entries per small class, 0 = none (default 256)");
static unsigned int normal_cache_size = 64;
module_param(normal_cache_size, uint, 0444);
MODULE_PARM_DESC(normal_cache_size, "per-CPU cache entries per normal class, 0 = none (default 64)");
static unsigned int max_cached_capacity = 32768;
module_param(max_cached_capacity, uint, 0444);
MODULE_PARM_DESC(max_cached_capacity, "largest size cached (default 32768)");
static unsigned int cache_trim_interval = 8192;
module_param(cache_trim_interval, uint, 0444);
MODULE_PARM_DESC(cache_trim_interval, "trim a cache every N allocations through it, 0 = never (default 8192)");
static unsigned int buf_recycler_size = 256;
module_param(buf_recycler_size, uint, 0444);
MODULE_PARM_DESC(buf_recycler_size, "buffer descriptors each CPU keeps for reuse, 1..65536 (default 256)");
static char *leak_detection = "simple";
module_param(leak_detection, charp, 0444);
MODULE_PARM_DESC(leak_detection, "disabled, simple (default: 1 buffer in leak_sample_rate), advanced or paranoid");
static unsigned int leak_sample_rate = 128;
module_param(leak_sample_rate, uint, 0444);
MODULE_PARM_DESC(leak_sample_rate, "simple/advanced track 1 buffer in this many, 1..1048576 (default 128)");
static unsigned int cache_trim_interval_ms;
module_param(cache_trim_interval_ms, uint, 0444);
MODULE_PARM_DESC(cache_trim_interval_ms, "also trim every CPU's cache every N ms (delayed work), 0 = off (default 0)");
static unsigned int cache_refill;
module_param(cache_refill, uint, 0444);
MODULE_PARM_DESC(cache_refill, "allocations a cache miss takes from its arena under one lock, 0..64 (default 0: a quarter of the bin, at most 64 below 512 bytes and 32 from there; 1: one at a time, as Netty)");
static unsigned int chunk_retention_ms;
module_param(chunk_retention_ms, uint, 0444);
MODULE_PARM_DESC(chunk_retention_ms, "keep an emptied chunk (and emptied subpages, up to 1/16 of a chunk) this long for reuse before freeing its pages (default 0: free at once, as Netty)");

static struct bufpool *default_pool;
static LIST_HEAD(bufpool_pools);
DEFINE_MUTEX(bufpool_pools_lock);	/* @bufpool_pools */

/* Pools by name, for unique debugfs directories. */
struct bufpool_entry {
	struct list_head node;
	struct bufpool *pool;
};

/**
 * __bufpool_pools_trylock() - hold the list of pools, if it is free
 *
 * Description: called through bufpool_pools_trylock(), which tells sparse
 * that the lock is held when it returns true.
 *
 * Context: may not sleep on the lock (reclaim may run while it is held).
 * Return: true if it is now held.
 */
bool __bufpool_pools_trylock(void)
{
	return mutex_trylock(&bufpool_pools_lock);
}

/**
 * bufpool_pools_hold() - hold the list of pools, waiting for it
 *
 * Context: process context, may sleep; not from reclaim (use the trylock).
 */
void bufpool_pools_hold(void)
	__acquires(&bufpool_pools_lock)
{
	mutex_lock(&bufpool_pools_lock);
	__acquire(&bufpool_pools_lock);	/* mutexes carry no sparse context */
}

/**
 * bufpool_pools_unlock() - release the list of pools
 *
 * Context: after bufpool_pools_hold() or a bufpool_pools_trylock() that
 * succeeded.
 */
void bufpool_pools_unlock(void)
	__releases(&bufpool_pools_lock)
{
	__release(&bufpool_pools_lock);
	mutex_unlock(&bufpool_pools_lock);
}

/**
 * bufpool_pools_next() - walk the pools
 * @iter: NULL to start; the walk's position
 *
 * Context: the list of pools held.
 * Return: the next pool, or NULL at the end.
 */
struct bufpool *bufpool_pools_next(void **iter)
	__must_hold(&bufpool_pools_lock)
{
	struct list_head *pos = *iter ? *iter : &bufpool_pools;

	lockdep_assert_held(&bufpool_pools_lock);
	pos = pos->next;
	if (pos == &bufpool_pools)
		return NULL;
	*iter = pos;
	return list_entry(pos, struct bufpool_entry, node)->pool;
}

/* leak_detection by name; BUFPOOL_NR_LEAK_LEVELS if unknown. */
static unsigned int leak_level_param(void)
{
	unsigned int level;

	for (level = 0; level < BUFPOOL_NR_LEAK_LEVELS; level++)
		if (sysfs_streq(leak_detection, bufpool_leak_level_name(level)))
			return level;
	return BUFPOOL_NR_LEAK_LEVELS;
}

/* A configuration from the module parameters. */
static void params_config(struct bufpool_config *cfg, const char *name)
{
	*cfg = (struct bufpool_config){
		.page_size = param_page_size, .max_order = max_order, .nr_arenas = nr_arenas,
		.tiny_cache_size = tiny_cache_size, .small_cache_size = small_cache_size,
		.normal_cache_size = normal_cache_size,
		.max_cached_capacity = max_cached_capacity,
		.cache_trim_interval = cache_trim_interval,
		.cache_trim_interval_ms = cache_trim_interval_ms,
		.cache_refill = cache_refill,
		.chunk_retention_ms = chunk_retention_ms,
		.buf_recycler_size = buf_recycler_size,
		.leak_detection = leak_level_param(),
		.leak_sample_rate = leak_sample_rate,
		.name = name,
	};
}

/**
 * bufpool_create() - create a pool
 * @cfg: geometry, caches and name; see struct bufpool_config.  NULL: the
 *       module parameters' geometry and caches, named "pool".
 *
 * The pool appears under /sys/kernel/debug/bufpool/<name>/.
 *
 * Context: process context; may sleep.
 * Return: the pool; ERR_PTR(-EINVAL) for a bad @cfg (the reason is logged),
 * ERR_PTR(-EEXIST) if a pool of that name exists, ERR_PTR(-ENOMEM).
 */
struct bufpool *bufpool_create(const struct bufpool_config *cfg)
{
	struct bufpool_config defaults;
	struct bufpool_entry *e, *entry;
	struct bufpool *pool;
	char why[128];

	if (!cfg) {
		params_config(&defaults, "pool");
		cfg = &defaults;
	}
	entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return ERR_PTR(-ENOMEM);
	pool = bufpool_pool_create(cfg, why, sizeof(why));
	if (IS_ERR(pool)) {
		if (PTR_ERR(pool) == -EINVAL)
			pr_err("%s\n", why);
		kfree(entry);
		return pool;
	}
	mutex_lock(&bufpool_pools_lock);
	list_for_each_entry(e, &bufpool_pools, node) {
		if (!strcmp(e->pool->name, pool->name)) {
			mutex_unlock(&bufpool_pools_lock);
			pr_err("a pool named '%s' exists already\n", pool->name);
			bufpool_pool_destroy(pool);
			kfree(entry);
			return ERR_PTR(-EEXIST);
		}
	}
	entry->pool = pool;
	bufpool_shrinker_pool_init(pool);
	list_add_tail(&entry->node, &bufpool_pools);
	bufpool_debugfs_add(pool);
	mutex_unlock(&bufpool_pools_lock);
	bufpool_trim_timer_start(pool);
	return pool;
}
EXPORT_SYMBOL_GPL(bufpool_create);

static void emit_warn(void *ctx, const char *line)
{
	pr_warn("%s\n", line);
}

/**
 * bufpool_destroy() - destroy a pool
 * @pool: from bufpool_create(); NULL is a no-op
 *
 * Buffers that leak detection still tracks are reported by allocation
 * site; live allocations are reported (count and bytes per class); all of
 * it is freed with the pool.
 *
 * Context: process context; may sleep.  Nobody may use @pool concurrently.
 */
void bufpool_destroy(struct bufpool *pool)
{
	struct bufpool_entry *e;

	if (!pool)
		return;
	bufpool_trim_timer_stop(pool);
	mutex_lock(&bufpool_pools_lock);
	list_for_each_entry(e, &bufpool_pools, node) {
		if (e->pool == pool) {
			list_del(&e->node);
			kfree(e);
			break;
		}
	}
	bufpool_debugfs_remove(pool);
	mutex_unlock(&bufpool_pools_lock);
	bufpool_shrinker_pool_exit(pool);	/* no scan can queue it now */
	bufpool_pool_flush_caches(pool);	/* cached memory is not live */
	bufpool_leak_report_lines(pool, emit_warn, NULL);
	bufpool_report_live(pool);
	bufpool_pool_destroy(pool);
}
EXPORT_SYMBOL_GPL(bufpool_destroy);

/*
 * What every allocating entry point refuses: no pool, or zone modifiers
 * (memory comes from the pool's chunks whatever zone the caller wants).
 *
 * might_alloc() here only where sleeping in atomic context is checked
 * (CONFIG_DEBUG_ATOMIC_SLEEP, as the debug kernel has): there a GFP_KERNEL
 * call from atomic context is caught on every call, hit or miss.  In
 * other kernels its only effect is a voluntary preemption point, which a
 * cache hit - a few dozen instructions that never wait - does not need;
 * every miss, which may map a chunk, calls it (bufpool_alloc_slow()).
 */
static bool alloc_args_ok(struct bufpool *pool, gfp_t gfp)
{
	if (WARN_ON_ONCE(!pool))
		return false;
	if (WARN_ONCE(gfp & GFP_ZONEMASK,
		      "bufpool: pool '%s': zone modifiers in gfp %#x are not supported\n",
		      pool->name, gfp))
		return false;
	if (IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP))
		might_alloc(gfp);
	return true;
}

/**
 * bufpool_alloc() - allocate memory from a pool
 * @pool: the pool
 * @size: bytes; 0 is served as the smallest class (16 bytes)
 * @gfp: GFP_KERNEL, GFP_ATOMIC, ...; __GFP_ZERO zeroes the memory;
 *       __GFP_ACCOUNT charges huge allocations to the caller's memcg (pooled
 *       chunks are shared and never charged)
 *
 * Requests up to the chunk size are pooled; larger ones come from the page
 * allocator (or vmalloc) directly.  Memory comes from the pool's chunks
 * whatever zone the caller would like: zone modifiers (__GFP_DMA,
 * __GFP_DMA32, __GFP_HIGHMEM, __GFP_MOVABLE) are refused.
 *
 * A @gfp that may not sleep (GFP_ATOMIC, GFP_NOWAIT) never maps a chunk
 * here: a request that finds no room takes the arena's reserve chunk or
 * fails at once, and a work item maps the next reserve.  __GFP_NOWARN,
 * __GFP_NORETRY and __GFP_RETRY_MAYFAIL are passed to the page allocator
 * and vmalloc.
 *
 * Context: process context; softirq, hardirq or with interrupts off with a
 * @gfp that may not sleep (GFP_ATOMIC, GFP_NOWAIT).  A huge request that needs vmalloc
 * fails unless @gfp may block.
 * Return: the memory, or NULL.
 */
void *bufpool_alloc(struct bufpool *pool, size_t size, gfp_t gfp)
{
	if (!alloc_args_ok(pool, gfp))
		return NULL;
	return bufpool_fast_alloc(pool, size, gfp);
}
EXPORT_SYMBOL_GPL(bufpool_alloc);

/**
 * bufpool_free() - give memory back to its pool
 * @pool: the pool it came from
 * @ptr: from bufpool_alloc(); NULL is a no-op
 *
 * A pointer that is not the start of a live allocation of @pool is refused:
 * WARN_ONCE naming the pool, counted in invalid_frees, memory untouched.
 *
 * Never sleeps and never allocates: a chunk goes back with __free_pages(),
 * a vmalloc'd huge allocation freed where the caller cannot sleep goes to
 * a work item for vfree(); cache bins were allocated with the pool.
 *
 * Context: any: process, softirq or hardirq context, under a spinlock, with
 * interrupts off.
 */
void bufpool_free(struct bufpool *pool, const void *ptr)
{
	if (WARN_ON_ONCE(!pool))
		return;
	bufpool_fast_free(pool, ptr);	/* NULL: no page bin, a no-op in the slow path */
}
EXPORT_SYMBOL_GPL(bufpool_free);

/**
 * bufpool_free_sized() - give memory back, saying its size
 * @pool: the pool it came from
 * @ptr: from bufpool_alloc(); NULL is a no-op
 * @size: the size asked for, or any size up to bufpool_usable_size();
 *        taken for callers that have one, it changes nothing (the pointer
 *        is checked in full, as by bufpool_free())
 *
 * Context: as bufpool_free().
 */
void bufpool_free_sized(struct bufpool *pool, const void *ptr, size_t size)
{
	if (WARN_ON_ONCE(!pool))
		return;
	/* The size adds nothing (design.rst); NULL is a no-op in the slow path. */
	bufpool_fast_free(pool, ptr);
}
EXPORT_SYMBOL_GPL(bufpool_free_sized);

/**
 * bufpool_alloc_bulk() - allocate @n blocks of @size bytes
 * @pool: the pool
 * @size: bytes each
 * @gfp: as for bufpool_alloc()
 * @n: how many
 * @ptrs: filled with @n pointers
 *
 * Context: as bufpool_alloc() with @gfp.
 * Return: @n, or 0 with nothing allocated (as kmem_cache_alloc_bulk()).
 */
size_t bufpool_alloc_bulk(struct bufpool *pool, size_t size, gfp_t gfp, size_t n,
			  void **ptrs)
{
	if (!alloc_args_ok(pool, gfp))
		return 0;
	return bufpool_pool_alloc_bulk(pool, size, gfp, n, ptrs);
}
EXPORT_SYMBOL_GPL(bufpool_alloc_bulk);

/**
 * bufpool_free_bulk() - free @n pointers
 * @pool: the pool they came from
 * @n: how many
 * @ptrs: the pointers; NULL entries are skipped
 *
 * Context: as bufpool_free().
 */
void bufpool_free_bulk(struct bufpool *pool, size_t n, void **ptrs)
{
	if (WARN_ON_ONCE(!pool))
		return;
	bufpool_pool_free_bulk(pool, n, ptrs);
}
EXPORT_SYMBOL_GPL(bufpool_free_bulk);

/**
 * bufpool_usable_size() - bytes usable at @ptr
 * @pool: the pool
 * @ptr: a pointer from bufpool_alloc()
 *
 * Context: any.
 * Return: the usable size, at least the requested one; 0 if @ptr is not a
 * live allocation of @pool.
 */
size_t bufpool_usable_size(struct bufpool *pool, const void *ptr)
{
	return pool ? bufpool_pool_usable_size(pool, ptr) : 0;
}
EXPORT_SYMBOL_GPL(bufpool_usable_size);

/**
 * bufpool_get_stats() - a snapshot of a pool's counters
 * @pool: the pool
 * @st: filled
 *
 * Context: any; takes each arena lock briefly.
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int bufpool_get_stats(struct bufpool *pool, struct bufpool_stats *st)
{
	if (!pool || !st)
		return -EINVAL;
	bufpool_stats_read(pool, st);
	return 0;
}
EXPORT_SYMBOL_GPL(bufpool_get_stats);

/**
 * bufpool_trim() - give this CPU's cached memory back, release empty chunks
 * @pool: the pool
 *
 * Every online CPU's cache is flushed (each on its CPU), then every
 * arena's entirely free subpages and chunks are released, retained ones
 * included.
 *
 * Context: process context; may sleep.
 * Return: the number of chunks given back while it ran (those the drain
 * emptied included), or -EINVAL for a NULL pool.
 */
int bufpool_trim(struct bufpool *pool)
{
	unsigned long before;

	if (!pool)
		return -EINVAL;
	might_sleep();
	before = bufpool_pool_unmapped(pool);
	bufpool_drain_all_cpus(pool);
	bufpool_pool_trim(pool);
	return min_t(unsigned long, bufpool_pool_unmapped(pool) - before, INT_MAX);
}
EXPORT_SYMBOL_GPL(bufpool_trim);

/**
 * bufpool_buf_alloc() - a refcounted buffer (include/bufpool_buf.h)
 * @pool: the pool
 * @initial: capacity
 * @max: the largest capacity growth may reach
 * @gfp: as for bufpool_alloc()
 *
 * Context: as bufpool_alloc() with @gfp.
 * Return: the buffer with one reference, or NULL (@initial > @max, no
 * memory).
 */
struct bufpool_buf *bufpool_buf_alloc(struct bufpool *pool, size_t initial, size_t max,
				      gfp_t gfp)
{
	if (!alloc_args_ok(pool, gfp))
		return NULL;
	return bufpool_new_buf(pool, initial, max, gfp, _RET_IP_);
}
EXPORT_SYMBOL_GPL(bufpool_buf_alloc);

/**
 * bufpool_default_pool() - the pool created from the module parameters
 *
 * Context: any.
 * Return: the pool, valid until the module unloads (modules that use it
 * depend on bufpool, so it outlives them).
 */
struct bufpool *bufpool_default_pool(void)
{
	return default_pool;
}
EXPORT_SYMBOL_GPL(bufpool_default_pool);

static int __init bufpool_init(void)
{
	struct bufpool_config cfg;
	struct bufpool *pool;
	char why[128];
	int ret;

	params_config(&cfg, "default");
	if (cfg.leak_detection >= BUFPOOL_NR_LEAK_LEVELS) {
		pr_err("leak_detection=%s invalid: must be disabled, simple, advanced or paranoid\n",
		       leak_detection);
		return -EINVAL;
	}
	if (!buf_recycler_size || !leak_sample_rate) {
		pr_err("%s=0 invalid: must be at least 1\n",
		       buf_recycler_size ? "leak_sample_rate" : "buf_recycler_size");
		return -EINVAL;
	}
	/* CPU n allocates from arena n % nr_arenas: more would never be used. */
	if (nr_arenas > num_possible_cpus()) {
		pr_err("bufpool: nr_arenas=%u invalid: must be in 0..%u (0 = one per possible CPU; more are never used)\n",
		       nr_arenas, num_possible_cpus());
		return -EINVAL;
	}
	ret = bufpool_dev_check_params(why, sizeof(why));
	if (ret) {
		pr_err("%s\n", why);
		return ret;
	}
	/*
	 * Leak records keep their stacks in the stack depot, which a kernel
	 * without CONFIG_STACKDEPOT_ALWAYS_INIT sets up on first request.
	 * If it cannot, it disables itself and stores nothing: leak reports
	 * then say so instead of printing a stack.
	 */
	if (stack_depot_init())
		pr_warn("stack depot unavailable: leak reports will have no stacks\n");
	ret = bufpool_cache_work_init();
	if (ret)
		return ret;
	bufpool_debugfs_init();
	pool = bufpool_create(&cfg);
	if (IS_ERR(pool)) {
		ret = PTR_ERR(pool);
		goto err_debugfs;
	}
	ret = bufpool_shrinker_init();
	if (ret)
		goto err_pool;
	default_pool = pool;
	ret = bufpool_dev_init();
	if (ret) {
		pr_err("cannot register /dev/bufpool: %d\n", ret);
		default_pool = NULL;
		bufpool_shrinker_exit();
		goto err_pool;
	}
	pr_info("default pool: page_size=%u max_order=%u chunk=%zu KiB nr_arenas=%u\n",
		pool->geo.page_size, pool->geo.max_order, pool->geo.chunk_size >> 10,
		pool->nr_arenas);
	return 0;

err_pool:
	bufpool_destroy(pool);
err_debugfs:
	bufpool_debugfs_exit();
	bufpool_cache_work_exit();
	return ret;
}

static void __exit bufpool_exit(void)
{
	struct bufpool_entry *e, *tmp;

	bufpool_dev_exit();
	bufpool_shrinker_exit();
	bufpool_destroy(default_pool);
	default_pool = NULL;
	/* Pools their creators never destroyed: report and reclaim them too. */
	list_for_each_entry_safe(e, tmp, &bufpool_pools, node) {
		pr_warn("pool '%s' was never destroyed; destroying it\n",
			e->pool->name);
		bufpool_destroy(e->pool);
	}
	bufpool_debugfs_exit();
	bufpool_cache_work_exit();
	bufpool_page_source_exit();
}

module_init(bufpool_init);
module_exit(bufpool_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("bufpool: a pooled allocator after Netty's PooledByteBufAllocator");
