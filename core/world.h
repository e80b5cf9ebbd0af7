/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * world.h - the functions the core calls that each world defines: the
 * kernel module under kmod/, the library under user/.
 *
 * The core sees the rest of a world through two headers of its own:
 * <bufpool_seam.h> (kmod/bufpool_seam.h pulls in the real kernel headers,
 * user/bufpool_seam.h the small userspace shims under user/include/) and
 * <bufpool_cache_world.h>, how the hit path enters the caller's cache
 * (see fastpath.h).
 */
#ifndef _BUFPOOL_WORLD_H
#define _BUFPOOL_WORLD_H

#include <bufpool_seam.h>
#include "pool.h"	/* enum bufpool_misuse_kind */

struct bufpool_arena;
struct bufpool_cache;

/*
 * Per-world interface, defined in same-named files under kmod/ and user/.
 *
 * page_source.c: where chunk and huge memory comes from.
 *   bufpool_chunk_memory_alloc() returns @size bytes aligned to @size
 *   (a power of two, >= PAGE_SIZE) or NULL; bufpool_chunk_max() is the
 *   largest chunk the source can supply; bufpool_chunk_memory_purge()
 *   gives the pages of a free range inside a chunk back to the system
 *   (they read as zero when touched again) where
 *   bufpool_chunk_memory_purgeable() says the source can (userspace:
 *   madvise(); the kernel: no, a chunk is one high-order block).
 * arena_select.c: which arena serves the caller; per-pool world state;
 *   bufpool_chunk_refill_kick(): an allocation that may not sleep found
 *   @arena without a chunk: map one from process context soon
 *   (bufpool_arena_refill()), never from the caller's; callable with
 *   bottom halves off; bufpool_chunk_refill_wait() waits for what was
 *   kicked (tests);
 *   the caller's cache (bufpool_cache_enter/leave in <bufpool_cache_world.h>:
 *   per-CPU under a local_lock in the kernel, per-thread through one
 *   initial-exec TLS slot in userspace; NULL if there is none) and
 *   every cache of a pool, then its retired counters (bufpool_cache_for_each,
 *   for stats and destroy).
 * misuse.c: what a refused free does (WARN in the kernel, abort or count
 *   in userspace).  Called with no lock held.
 * stack.c: the caller's stack for leak records (stack_trace_save() in the
 *   kernel, backtrace() in userspace) and an address as "symbol+off".
 */
void *bufpool_chunk_memory_alloc(size_t size, gfp_t gfp);
void bufpool_chunk_memory_free(void *mem, size_t size);
bool bufpool_chunk_memory_purgeable(void);
void bufpool_chunk_memory_purge(void *mem, size_t size);
void *bufpool_huge_memory_alloc(size_t size, gfp_t gfp);
void bufpool_huge_memory_free(void *mem, size_t size);
size_t bufpool_chunk_max(void);
size_t bufpool_huge_round(size_t size);

unsigned int bufpool_default_nr_arenas(void);
void bufpool_cache_for_each(struct bufpool *pool,
			    void (*fn)(struct bufpool_cache *c, void *arg), void *arg);
u64 bufpool_now_ms(void);
int bufpool_world_init(struct bufpool *pool);
void bufpool_world_exit(struct bufpool *pool);
struct bufpool_arena *bufpool_arena_select(struct bufpool *pool);
void bufpool_chunk_refill_kick(struct bufpool_arena *arena);
void bufpool_chunk_refill_wait(struct bufpool *pool);

void bufpool_misuse(struct bufpool *pool, const void *ptr,
		    enum bufpool_misuse_kind kind);
void bufpool_buf_misuse(struct bufpool *pool, const char *what);

unsigned int bufpool_stack_save(unsigned long *entries, unsigned int max, unsigned int skip);
void bufpool_stack_symbol(char *buf, size_t len, unsigned long addr);

#endif /* _BUFPOOL_WORLD_H */
