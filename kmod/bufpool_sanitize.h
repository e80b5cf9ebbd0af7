/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_sanitize.h (kernel) - core/sanitize.h's hooks for KASAN and
 * kmemleak.
 *
 * KASAN (generic mode, CONFIG_KASAN_GENERIC): 6.1 exports no mempool-style
 * hook a module can use on its own memory - kasan_unpoison_range() calls
 * __kasan_unpoison_range(), which is not exported;
 * kasan_slab_free_mempool() and kasan_poison_object_data() want slab
 * objects; kasan_mempool_poison_object() came in 6.8.  What is exported is
 * kasan_poison() (mm/kasan/shadow.c, EXPORT_SYMBOL, declared only in
 * mm/kasan/kasan.h): it sets the shadow of whole 8-byte granules to a
 * value.  Value 0 is accessible, 1..7 the number of accessible bytes of a
 * granule (what a one-byte overflow trips on), 0xFB a freed slab object
 * ("use-after-free"), 0xFC a slab redzone ("slab-out-of-bounds"), the
 * values of mm/kasan/kasan.h.  The tag-based modes are not covered.
 * vmalloc'd memory (huge allocations past the largest page order) has
 * shadow only with CONFIG_KASAN_VMALLOC; otherwise it is left alone.
 *
 * kmemleak (CONFIG_DEBUG_KMEMLEAK): every pooled allocation handed out is
 * a kmemleak object (kmemleak_alloc(), min_count 1) until it is freed, so
 * kmemleak reports a lost one and scans live ones for references; chunks
 * are not objects themselves (kmod/page_source.c), or they would overlap
 * the allocations and hold references to everything in them.  Huge
 * allocations are the page source's objects (alloc_pages, vmalloc).
 *
 * Neither configured (Debian's stock kernel): BUFPOOL_SANITIZE is 0 and
 * nothing here generates code.
 */
#ifndef _BUFPOOL_SANITIZE_WORLD_H
#define _BUFPOOL_SANITIZE_WORLD_H

#include <linux/compiler.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/types.h>

#define BUFPOOL_SANITIZE	(IS_ENABLED(CONFIG_KASAN_GENERIC) || \
				 IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))

#ifdef CONFIG_KASAN_GENERIC
void kasan_poison(const void *addr, size_t size, u8 value, bool init);

#define BUFPOOL_KASAN_GRANULE	8UL	/* 1 << KASAN_SHADOW_SCALE_SHIFT */
#define BUFPOOL_KASAN_FREE	0xFB	/* KASAN_SLAB_FREE */
#define BUFPOOL_KASAN_REDZONE	0xFC	/* KASAN_SLAB_REDZONE */

static inline bool bufpool_kasan_covers(const void *p)
{
	return IS_ENABLED(CONFIG_KASAN_VMALLOC) || !is_vmalloc_addr(p);
}

/* @p granule-aligned (elements are 16-byte aligned); @n rounded up. */
static inline void bufpool_san_poison(const void *p, size_t n)
{
	if (bufpool_kasan_covers(p))
		kasan_poison(p, round_up(n, BUFPOOL_KASAN_GRANULE), BUFPOOL_KASAN_FREE, false);
}

static inline void bufpool_san_unpoison(const void *p, size_t n)
{
	if (bufpool_kasan_covers(p))
		kasan_poison(p, round_up(n, BUFPOOL_KASAN_GRANULE), 0, false);
}

static inline void bufpool_san_redzone(const void *p, size_t size, size_t usable)
{
	size_t whole = round_up(size, BUFPOOL_KASAN_GRANULE);

	if (!bufpool_kasan_covers(p))
		return;
	if (size % BUFPOOL_KASAN_GRANULE)	/* the granule's first size % 8 bytes */
		kasan_poison((const char *)p + whole - BUFPOOL_KASAN_GRANULE,
			     BUFPOOL_KASAN_GRANULE, size % BUFPOOL_KASAN_GRANULE, false);
	if (usable > whole)
		kasan_poison((const char *)p + whole,
			     round_up(usable, BUFPOOL_KASAN_GRANULE) - whole,
			     BUFPOOL_KASAN_REDZONE, false);
}

/* The caller asked for the usable size (bufpool_usable_size()): all of it is theirs. */
static inline void bufpool_san_widen(const void *p, size_t usable)
{
	bufpool_san_unpoison(p, usable);
}
#else
static inline void bufpool_san_poison(const void *p, size_t n) { }
static inline void bufpool_san_widen(const void *p, size_t usable) { }
static inline void bufpool_san_unpoison(const void *p, size_t n) { }
static inline void bufpool_san_redzone(const void *p, size_t size, size_t usable) { }
#endif

/*
 * A 0-byte request still gets an element, and an object of one byte: kmemleak
 * can never look up (so never free) an object of size 0.
 */
static inline void bufpool_san_alloc(const void *p, size_t size, bool zeroed, gfp_t gfp,
				     bool pooled)
{
	if (pooled)
		kmemleak_alloc(p, max_t(size_t, size, 1), 1, gfp);
}

static inline void bufpool_san_free(const void *p, bool pooled)
{
	if (pooled)
		kmemleak_free(p);
}

/*
 * @obj (kmalloc'd or kvmalloc'd) is bookkeeping that holds a pointer to an
 * allocation the user owns (a huge allocation's record, a chunk's record
 * and the base it holds): kmemleak must neither scan it - else that pointer
 * keeps a lost allocation "referenced" - nor report it (it is on the
 * pool's lists, which kmemleak cannot follow once they are not scanned).
 */
static inline void bufpool_san_not_a_reference(const void *obj)
{
	kmemleak_ignore(obj);
}

/*
 * A record's copy of a pooled address (a chunk's base, a huge
 * allocation's): kept as it is, the records being left out of kmemleak's
 * scan above.  Userspace complements it for memcheck, which has no such way.
 */
static inline unsigned long bufpool_san_hide(const void *p)
{
	return (unsigned long)p;
}

static inline void *bufpool_san_unhide(unsigned long v)
{
	return (void *)v;
}

/*
 * The cache mark in a cached (poisoned) element: not a KASAN-checked
 * access.  Without KASAN these are plain inline loads and stores.
 */
static __no_kasan_or_inline unsigned long bufpool_san_read_word(const void *p)
{
	return READ_ONCE(*(const unsigned long *)p);
}

static __no_kasan_or_inline void bufpool_san_write_word(void *p, unsigned long v)
{
	WRITE_ONCE(*(unsigned long *)p, v);
}

#endif /* _BUFPOOL_SANITIZE_WORLD_H */
