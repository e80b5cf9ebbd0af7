// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * misuse.c (kernel) - a refused free warns once, naming the pool.
 *
 * The core has already counted it in invalid_frees and left the memory
 * untouched; the address is printed hashed (%p), as a WARN may be read by
 * anyone with dmesg access.
 */
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
	WARN_ONCE(1, "bufpool: pool '%s': invalid free of %p: %s\n",
		  pool->name, ptr, bufpool_misuse_what(kind));
}

/**
 * bufpool_buf_misuse() - report a retain or release of a released buffer
 * @pool: the pool
 * @what: "retain" or "release"
 *
 * The core has refused it (nothing freed twice) and counted it in
 * buf_refcnt_errors.
 *
 * Context: any the pool may be used in.
 */
void bufpool_buf_misuse(struct bufpool *pool, const char *what)
{
	WARN_ONCE(1, "bufpool: pool '%s': %s of a released buffer (refcount 0)\n",
		  pool->name, what);
}
