// SPDX-License-Identifier: GPL-2.0
/*
 * bufpool.c - libbufpool's public API (<bufpool.h>) over the core: errno
 * instead of ERR_PTR, no gfp flags.
 */
#include "bufpool_internal.h"

/* The seed's userspace default: 8 KiB << 11 = 16 MiB chunks. */
#define BUFPOOL_USER_MAX_ORDER	11

void bufpool_config_init(struct bufpool_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->page_size = BUFPOOL_PAGE_SIZE_DEFAULT;
	cfg->max_order = BUFPOOL_USER_MAX_ORDER;
}

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

struct bufpool *bufpool_create(const struct bufpool_config *cfg)
{
	struct bufpool_config defaults;
	struct bufpool *pool;
	char why[128];

	if (!cfg) {
		bufpool_config_init(&defaults);
		cfg = &defaults;
	}
	pool = bufpool_pool_create(cfg, why, sizeof(why));
	if (IS_ERR(pool)) {
		errno = -PTR_ERR(pool);
		return NULL;
	}
	return pool;
}

void bufpool_destroy(struct bufpool *pool)
{
	if (pool)
		bufpool_pool_destroy(pool);
}

void *bufpool_alloc(struct bufpool *pool, size_t size)
{
	void *ptr;

	if (unlikely(!pool)) {
		errno = EINVAL;
		return NULL;
	}
	ptr = bufpool_pool_alloc(pool, size, GFP_KERNEL);
	if (unlikely(!ptr))
		errno = ENOMEM;
	return ptr;
}

void bufpool_free(struct bufpool *pool, void *ptr)
{
	if (ptr && pool)
		bufpool_pool_free(pool, ptr);
}

size_t bufpool_usable_size(struct bufpool *pool, const void *ptr)
{
	return pool ? bufpool_pool_usable_size(pool, ptr) : 0;
}

int bufpool_get_stats(struct bufpool *pool, struct bufpool_stats *st)
{
	if (!pool || !st)
		return -EINVAL;
	bufpool_stats_read(pool, st);
	return 0;
}
