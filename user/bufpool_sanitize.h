/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_sanitize.h (userspace) - core/sanitize.h's hooks for the
 * checkers a program can run the library under:
 *
 *   AddressSanitizer  when the library is compiled with -fsanitize=address
 *                     (detected: __SANITIZE_ADDRESS__, or clang's
 *                     __has_feature(address_sanitizer)): manual poisoning,
 *                     <sanitizer/asan_interface.h>.  A freed or cached
 *                     element reads as "use-after-poison", a byte past the
 *                     requested size too.
 *   memcheck          when compiled with -DBUFPOOL_VALGRIND (`make
 *                     valgrind`: build/valgrind/libbufpool.a): client
 *                     requests, <valgrind/memcheck.h>.  Allocations are
 *                     heap blocks to memcheck (MALLOCLIKE/FREELIKE):
 *                     "Invalid read/write", leaks at exit.  Off by
 *                     default: each request is a few instructions and a
 *                     stack frame on the hit path even outside valgrind.
 *
 * Neither: BUFPOOL_SANITIZE is 0 and nothing here generates code.
 */
#ifndef _BUFPOOL_SANITIZE_WORLD_H
#define _BUFPOOL_SANITIZE_WORLD_H

#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/types.h>

#if defined(__SANITIZE_ADDRESS__)
#define BUFPOOL_SAN_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BUFPOOL_SAN_ASAN	1
#endif
#endif

#if defined(BUFPOOL_SAN_ASAN) && defined(BUFPOOL_VALGRIND)
#error "bufpool: ASan and valgrind exclude each other; build one or the other"
#endif

#if defined(BUFPOOL_SAN_ASAN)
#include <sanitizer/asan_interface.h>

#define BUFPOOL_SANITIZE	1

static inline void bufpool_san_poison(const void *p, size_t n)
{
	ASAN_POISON_MEMORY_REGION(p, n);
}

static inline void bufpool_san_unpoison(const void *p, size_t n)
{
	ASAN_UNPOISON_MEMORY_REGION(p, n);
}

/* [size, usable) after an unpoison: ASan keeps the first size % 8 bytes of a granule. */
static inline void bufpool_san_redzone(const void *p, size_t size, size_t usable)
{
	ASAN_POISON_MEMORY_REGION((const char *)p + size, usable - size);
}

/* The user asked for the usable size (bufpool_usable_size()): all of it is theirs. */
static inline void bufpool_san_widen(const void *p, size_t usable)
{
	ASAN_UNPOISON_MEMORY_REGION(p, usable);
}

/* LeakSanitizer knows malloc only: nothing to track. */
static inline void bufpool_san_alloc(const void *p, size_t size, bool zeroed, gfp_t gfp,
				     bool pooled)
{
}

static inline void bufpool_san_free(const void *p, bool pooled)
{
}

/* LeakSanitizer does not see the pool: nothing to hide from it. */
static inline void bufpool_san_not_a_reference(const void *obj)
{
}

static inline unsigned long bufpool_san_hide(const void *p)
{
	return (unsigned long)p;
}

static inline void *bufpool_san_unhide(unsigned long v)
{
	return (void *)v;
}

/* Out of line (an unsanitized function is not inlined into a sanitized one). */
static inline __attribute__((no_sanitize_address)) unsigned long
bufpool_san_read_word(const void *p)
{
	return READ_ONCE(*(const unsigned long *)p);
}

static inline __attribute__((no_sanitize_address)) void
bufpool_san_write_word(void *p, unsigned long v)
{
	WRITE_ONCE(*(unsigned long *)p, v);
}

#elif defined(BUFPOOL_VALGRIND)
#include <valgrind/memcheck.h>

#define BUFPOOL_SANITIZE	1

static inline void bufpool_san_poison(const void *p, size_t n)
{
	VALGRIND_MAKE_MEM_NOACCESS(p, n);
}

static inline void bufpool_san_unpoison(const void *p, size_t n)
{
	VALGRIND_MAKE_MEM_UNDEFINED(p, n);
}

static inline void bufpool_san_redzone(const void *p, size_t size, size_t usable)
{
	VALGRIND_MAKE_MEM_NOACCESS((const char *)p + size, usable - size);
}

/*
 * The redzone found from its end: memcheck has the block's size but no
 * request to read it.  Only after bufpool_usable_size(): rare, and
 * at most the element's tail.
 */
static inline void bufpool_san_widen(const void *p, size_t usable)
{
	const char *c = p;
	unsigned char vbits;
	size_t end = usable;

	while (end > 0 && VALGRIND_GET_VBITS(c + end - 1, &vbits, 1) == 3)
		end--;
	VALGRIND_MAKE_MEM_UNDEFINED(c + end, usable - end);
}

/* Pooled and huge alike: each a heap block to memcheck. */
static inline void bufpool_san_alloc(const void *p, size_t size, bool zeroed, gfp_t gfp,
				     bool pooled)
{
	VALGRIND_MALLOCLIKE_BLOCK(p, size, 0, zeroed);
}

static inline void bufpool_san_free(const void *p, bool pooled)
{
	VALGRIND_FREELIKE_BLOCK(p, 0);
}

/*
 * memcheck has no way to leave a block out of its reachability scan, so
 * the records that hold a pooled address - a chunk's base, which is its
 * first element, and a huge allocation's - keep it complemented
 * (bufpool_san_hide()): not a pointer into any block, and a lost first
 * element or huge allocation is "definitely lost" as any other.
 */
static inline void bufpool_san_not_a_reference(const void *obj)
{
}

static inline unsigned long bufpool_san_hide(const void *p)
{
	return ~(unsigned long)p;
}

static inline void *bufpool_san_unhide(unsigned long v)
{
	return (void *)~v;
}

/*
 * The word at @p made accessible for the core's own access, then put back
 * exactly as it was, byte by byte (a live element may end inside it).
 */
struct bufpool_san_word {
	unsigned char vbits[sizeof(unsigned long)];
	bool noaccess[sizeof(unsigned long)];
};

static inline void bufpool_san_word_open(struct bufpool_san_word *w, const void *p)
{
	unsigned int i;

	for (i = 0; i < sizeof(unsigned long); i++)
		w->noaccess[i] = VALGRIND_GET_VBITS((const char *)p + i, &w->vbits[i], 1) == 3;
	VALGRIND_MAKE_MEM_DEFINED(p, sizeof(unsigned long));
}

static inline void bufpool_san_word_close(const struct bufpool_san_word *w, const void *p)
{
	unsigned int i;

	for (i = 0; i < sizeof(unsigned long); i++) {
		if (w->noaccess[i])
			VALGRIND_MAKE_MEM_NOACCESS((const char *)p + i, 1);
		else
			VALGRIND_SET_VBITS((const char *)p + i, &w->vbits[i], 1);
	}
}

static inline unsigned long bufpool_san_read_word(const void *p)
{
	struct bufpool_san_word w;
	unsigned long v;

	bufpool_san_word_open(&w, p);
	v = READ_ONCE(*(const unsigned long *)p);
	bufpool_san_word_close(&w, p);
	return v;
}

static inline void bufpool_san_write_word(void *p, unsigned long v)
{
	struct bufpool_san_word w;

	bufpool_san_word_open(&w, p);
	WRITE_ONCE(*(unsigned long *)p, v);
	bufpool_san_word_close(&w, p);
}

#else

#define BUFPOOL_SANITIZE	0

static inline void bufpool_san_poison(const void *p, size_t n) { }
static inline void bufpool_san_unpoison(const void *p, size_t n) { }
static inline void bufpool_san_redzone(const void *p, size_t size, size_t usable) { }
static inline void bufpool_san_widen(const void *p, size_t usable) { }
static inline void bufpool_san_alloc(const void *p, size_t size, bool zeroed, gfp_t gfp,
				     bool pooled) { }
static inline void bufpool_san_free(const void *p, bool pooled) { }
static inline void bufpool_san_not_a_reference(const void *obj) { }
static inline unsigned long bufpool_san_hide(const void *p) { return (unsigned long)p; }
static inline void *bufpool_san_unhide(unsigned long v) { return (void *)v; }

static __always_inline unsigned long bufpool_san_read_word(const void *p)
{
	return READ_ONCE(*(const unsigned long *)p);
}

static __always_inline void bufpool_san_write_word(void *p, unsigned long v)
{
	WRITE_ONCE(*(unsigned long *)p, v);
}

#endif

#endif /* _BUFPOOL_SANITIZE_WORLD_H */
