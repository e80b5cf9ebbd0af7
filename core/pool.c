// SPDX-License-Identifier: GPL-2.0
/*
 * pool.c - a pool: validation of its configuration, its arenas, and the
 * entry points both worlds wrap (kmod/main.c, user/bufpool.c).
 *
 * Free by pointer: the chunk table says which chunk, if any, contains the
 * pointer; the chunk's buddy tree and bitmaps say whether it is the start of
 * a live allocation.  A pointer in no chunk may be a huge allocation; if it
 * is not that either, it is misuse.  Misuse is counted here and reported by
 * the world's bufpool_misuse() with no lock held.
 *
 * Lock order: table lock (read, only when the lockless lookup missed) ->
 * arena lock; huge lock alone.  See arena.c and chunk_table.c.
 */
#include "bufpool_internal.h"

#define BUFPOOL_KNOWN_FLAGS	BUFPOOL_F_MISUSE_COUNT

/**
 * bufpool_config_check() - validate a configuration
 * @cfg: the configuration
 * @why: on failure, one line naming the field, its value and what is accepted
 * @len: size of @why
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
int bufpool_config_check(const struct bufpool_config *cfg, char *why, size_t len)
{
	struct bufpool_geometry geo;
	int ret;

	ret = bufpool_geometry_init(&geo, cfg->page_size, cfg->max_order,
				    bufpool_chunk_max(), why, len);
	if (ret)
		return ret;
	if (cfg->nr_arenas > BUFPOOL_NR_ARENAS_MAX) {
		scnprintf(why, len, "nr_arenas=%u invalid: must be in 0..%u (0 = one per CPU)",
			  cfg->nr_arenas, BUFPOOL_NR_ARENAS_MAX);
		return -EINVAL;
	}
	if (cfg->flags & ~BUFPOOL_KNOWN_FLAGS) {
		scnprintf(why, len, "flags=%#x invalid: known flags are %#x",
			  cfg->flags, BUFPOOL_KNOWN_FLAGS);
		return -EINVAL;
	}
	if (cfg->name && (!cfg->name[0] || strlen(cfg->name) >= BUFPOOL_NAME_MAX ||
			  strchr(cfg->name, '/'))) {
		scnprintf(why, len, "name invalid: must be 1..%d characters without '/'",
			  BUFPOOL_NAME_MAX - 1);
		return -EINVAL;
	}
	return 0;
}
BUFPOOL_EXPORT_INTERNAL(bufpool_config_check);

/**
 * bufpool_pool_create() - a pool with no chunks yet
 * @cfg: a configuration; checked here, @cfg->name is copied
 * @why: for a bad @cfg, the reason (see bufpool_config_check())
 * @len: size of @why
 *
 * Context: may sleep.
 * Return: the pool, ERR_PTR(-EINVAL) for a bad @cfg, or ERR_PTR(-ENOMEM).
 */
struct bufpool *bufpool_pool_create(const struct bufpool_config *cfg,
				    char *why, size_t len)
{
	struct bufpool *pool;
	unsigned int i;
	int ret;

	ret = bufpool_config_check(cfg, why, len);
	if (ret)
		return ERR_PTR(ret);
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	strscpy(pool->name, cfg->name ? cfg->name : "pool", sizeof(pool->name));
	pool->cfg = *cfg;
	pool->cfg.name = pool->name;
	bufpool_geometry_init(&pool->geo, cfg->page_size, cfg->max_order,
			      bufpool_chunk_max(), why, len);
	pool->nr_arenas = cfg->nr_arenas ? cfg->nr_arenas : bufpool_default_nr_arenas();
	pool->cfg.nr_arenas = pool->nr_arenas;
	/* Up to 1024 arenas of a few cache lines each: kvcalloc, not kcalloc. */
	pool->arenas = kvcalloc(pool->nr_arenas, sizeof(*pool->arenas), GFP_KERNEL);
	if (!pool->arenas)
		goto err_pool;
	for (i = 0; i < pool->nr_arenas; i++)
		bufpool_arena_init(&pool->arenas[i], pool, i);
	bufpool_chunk_table_init(&pool->table);
	bufpool_huge_init(&pool->huge);
	atomic_long_set(&pool->invalid_frees, 0);
	if (bufpool_world_init(pool))
		goto err_arenas;
	return pool;

err_arenas:
	kvfree(pool->arenas);
err_pool:
	kfree(pool);
	return ERR_PTR(-ENOMEM);
}
BUFPOOL_EXPORT_INTERNAL(bufpool_pool_create);

/**
 * bufpool_pool_destroy() - release every chunk and huge allocation
 * @pool: the pool; no other caller may use it any more
 *
 * Live allocations are freed with it; report them first if that matters
 * (bufpool_report_live()).
 *
 * Context: may sleep.
 */
void bufpool_pool_destroy(struct bufpool *pool)
{
	unsigned int i;

	bufpool_world_exit(pool);
	for (i = 0; i < pool->nr_arenas; i++)
		bufpool_arena_destroy(&pool->arenas[i]);
	bufpool_huge_destroy(pool);
	bufpool_chunk_table_destroy(pool);
	kvfree(pool->arenas);
	kfree(pool);
}
BUFPOOL_EXPORT_INTERNAL(bufpool_pool_destroy);

/**
 * bufpool_pool_alloc() - allocate @size bytes
 * @pool: the pool
 * @size: bytes; 0 is served as the smallest class
 * @gfp: allocation flags; __GFP_ZERO zeroes the usable size
 *
 * Context: may sleep if @gfp allows.
 * Return: the memory, or NULL.
 */
void *bufpool_pool_alloc(struct bufpool *pool, size_t size, gfp_t gfp)
{
	size_t norm = bufpool_normalize(&pool->geo, size);
	bool zero = gfp & __GFP_ZERO;
	void *ptr;

	gfp &= ~__GFP_ZERO;
	if (unlikely(norm > pool->geo.chunk_size))
		ptr = bufpool_huge_alloc(pool, size, gfp);
	else
		ptr = bufpool_arena_alloc(bufpool_arena_select(pool), norm, gfp);
	if (ptr && zero)
		memset(ptr, 0, norm);
	return ptr;
}
BUFPOOL_EXPORT_INTERNAL(bufpool_pool_alloc);

/**
 * bufpool_misuse_what() - what a refused free was, in words
 * @kind: the misuse
 *
 * Context: any.
 * Return: a static string, the same in both worlds' messages.
 */
const char *bufpool_misuse_what(enum bufpool_misuse_kind kind)
{
	static const char *const what[] = {
		[BUFPOOL_MISUSE_FOREIGN] = "pointer not allocated from this pool (or freed twice)",
		[BUFPOOL_MISUSE_INTERIOR] = "pointer inside an allocation, not at its start",
		[BUFPOOL_MISUSE_DOUBLE_FREE] = "double free detected",
	};

	return kind < ARRAY_SIZE(what) ? what[kind] : "?";
}

static void pool_refuse(struct bufpool *pool, const void *ptr,
			enum bufpool_misuse_kind kind)
{
	atomic_long_inc(&pool->invalid_frees);
	bufpool_misuse(pool, ptr, kind);
}

/**
 * bufpool_pool_free() - free what bufpool_pool_alloc() returned
 * @pool: the pool
 * @ptr: the pointer; NULL is a no-op
 *
 * A pointer the pool did not hand out, one inside an allocation, or one
 * already freed is refused: counted in invalid_frees, reported by
 * bufpool_misuse(), memory untouched.
 *
 * Context: may sleep (a chunk or huge allocation may be unmapped).
 */
void bufpool_pool_free(struct bufpool *pool, const void *ptr)
{
	struct bufpool_chunk *chunk;
	int ret;

	if (!ptr)
		return;
	chunk = bufpool_chunk_table_lock(pool, ptr);
	if (!chunk) {
		if (bufpool_huge_free(pool, ptr))
			pool_refuse(pool, ptr, BUFPOOL_MISUSE_FOREIGN);
		return;
	}
	ret = bufpool_arena_free_locked(chunk, ptr);
	spin_unlock_bh(&chunk->arena->lock);
	if (likely(ret == 0))
		return;
	if (ret == 1) {
		bufpool_chunk_table_remove(pool, chunk);
		bufpool_chunk_destroy(chunk);
		bufpool_chunk_table_retire(pool, chunk);
		return;
	}
	pool_refuse(pool, ptr, ret == -EINVAL ? BUFPOOL_MISUSE_INTERIOR :
						BUFPOOL_MISUSE_DOUBLE_FREE);
}
BUFPOOL_EXPORT_INTERNAL(bufpool_pool_free);

/**
 * bufpool_pool_usable_size() - bytes usable at @ptr
 * @pool: the pool
 * @ptr: a pointer
 *
 * Context: any that may take a spinlock.
 * Return: the size of the live allocation starting at @ptr, else 0.
 */
size_t bufpool_pool_usable_size(struct bufpool *pool, const void *ptr)
{
	struct bufpool_chunk *chunk;
	size_t usable = 0;
	u64 handle;

	if (!ptr)
		return 0;
	chunk = bufpool_chunk_table_lock(pool, ptr);
	if (!chunk)
		return bufpool_huge_usable_size(pool, ptr);
	if (bufpool_chunk_resolve(chunk, ptr, &handle, &usable))
		usable = 0;
	spin_unlock_bh(&chunk->arena->lock);
	return usable;
}
BUFPOOL_EXPORT_INTERNAL(bufpool_pool_usable_size);
