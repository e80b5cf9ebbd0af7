/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: bit search, and the kernel's atomic bitops over __atomic builtins
 * (test_and_set_bit is fully ordered, as in the kernel). */
#ifndef _BUFPOOL_SHIM_LINUX_BITOPS_H
#define _BUFPOOL_SHIM_LINUX_BITOPS_H

#include <stdbool.h>
#include <linux/types.h>

/* Index of the lowest set bit; undefined for 0, as in the kernel. */
static inline unsigned int __ffs64(u64 word)
{
	return __builtin_ctzll(word);
}

/* Index of the lowest set bit of a long; undefined for 0, as in the kernel. */
static inline unsigned long __ffs(unsigned long word)
{
	return (unsigned int)__builtin_ctzl(word);	/* 0..63: no sign extension */
}

#define BITS_PER_LONG		64
#define BIT(nr)			(1UL << (nr))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))

/* As the kernel's: compilers make one rotate instruction of it. */
static inline u32 ror32(u32 word, unsigned int shift)
{
	return (word >> (shift & 31)) | (word << ((-shift) & 31));
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return (__atomic_load_n(&addr[nr / BITS_PER_LONG], __ATOMIC_RELAXED) >>
		(nr % BITS_PER_LONG)) & 1;
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(&addr[nr / BITS_PER_LONG], mask, __ATOMIC_SEQ_CST) & mask;
}

static inline void clear_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_and(&addr[nr / BITS_PER_LONG], ~(1UL << (nr % BITS_PER_LONG)),
			   __ATOMIC_RELAXED);
}

#endif
