// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * misuse.c (userspace) - a refused free prints one line on stderr and
 * aborts, as glibc does for "double free detected", unless the pool was
 * created with BUFPOOL_F_MISUSE_COUNT: then it is only counted (the core
 * has counted it already in invalid_frees).  Memory is never touched.
 */
#include <stdlib.h>
#include "pool.h"
#include "world.h"

/**
 * bufpool_misuse() - report a refused bufpool_free()
 * @pool: the pool
 * @ptr: the pointer
 * @kind: what was wrong
 *
 * Context: no bufpool lock held.
 */
void bufpool_misuse(struct bufpool *pool, const void *ptr,
		    enum bufpool_misuse_kind kind)
{
	if (pool->cfg.flags & BUFPOOL_F_MISUSE_COUNT)
		return;
	fprintf(stderr, "bufpool: invalid free: %s: %p (pool '%s')\n",
		bufpool_misuse_what(kind), ptr, pool->name);
	abort();
}

/**
 * bufpool_buf_misuse() - a retain or release of a released buffer
 * @pool: the pool
 * @what: "retain" or "release"
 *
 * Nothing to do: the caller gets -EINVAL (Netty's
 * IllegalReferenceCountException) and buf_refcnt_errors counts it.
 *
 * Context: any thread.
 */
void bufpool_buf_misuse(struct bufpool *pool, const char *what)
{
}
