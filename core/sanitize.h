/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * sanitize.h - what memory checkers are told about pooled memory.
 *
 * To KASAN, ASan or memcheck a chunk is one big allocation: a buffer freed
 * into a cache, or a byte written past what was asked for, touches memory
 * they think is live.  So the core says where elements change hands, and
 * each world tells its checkers (<bufpool_sanitize.h>: kmod/ for KASAN and
 * kmemleak, user/ for ASan and valgrind's memcheck):
 *
 *   chunk mapped            whole chunk poisoned (page_source.c)
 *   hand-out  (any path)    [0, size) accessible, [size, usable) a redzone,
 *                           the allocation tracked (kmemleak, memcheck)
 *   take-back (user free)   untracked, whole element poisoned - before it
 *                           enters a cache or its arena, so no other owner
 *                           can have it yet
 *   chunk unmapped          live elements untracked (pool destroyed with
 *                           allocations), the chunk unpoisoned
 *
 * The core's own word in a cached element - the cache mark - is read and
 * written through bufpool_san_read_word()/bufpool_san_write_word(), which
 * the checkers do not watch.  Huge allocations are the page source's own
 * mappings: they get the redzone and, in userspace, memcheck tracking;
 * their freed memory is unmapped, which the checkers see by themselves.
 *
 * Without a checker (BUFPOOL_SANITIZE is 0: the stock kernel, the release
 * library) every hook is empty and the hit paths compile as before.
 */
#ifndef _BUFPOOL_SANITIZE_H
#define _BUFPOOL_SANITIZE_H

#include <bufpool_seam.h>
#include <bufpool_sanitize.h>

/*
 * @ptr goes to its user: @size bytes accessible, @usable zeroed first if
 * @zero, the rest of it a redzone; @pooled: an element of a chunk (not huge).
 */
static __always_inline void *bufpool_san_hand_out(void *ptr, size_t size, size_t usable,
						  bool zero, gfp_t gfp, bool pooled)
{
	if (!BUFPOOL_SANITIZE)
		return zero ? memset(ptr, 0, usable) : ptr;
	bufpool_san_unpoison(ptr, usable);
	if (zero)
		memset(ptr, 0, usable);
	bufpool_san_redzone(ptr, size, usable);
	bufpool_san_alloc(ptr, size, zero, gfp, pooled);
	return ptr;
}

/* The user gave @ptr, an element of @usable bytes, back: no access any more. */
static __always_inline void bufpool_san_take_back(const void *ptr, size_t usable)
{
	if (!BUFPOOL_SANITIZE)
		return;
	bufpool_san_free(ptr, true);
	bufpool_san_poison(ptr, usable);
}

#endif /* _BUFPOOL_SANITIZE_H */
