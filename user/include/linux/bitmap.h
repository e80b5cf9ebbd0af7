/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: the few bitmap operations bufpool uses, with the kernel's
 * contracts: find_next_bit() and find_next_zero_bit() return @size when
 * no bit from @offset on qualifies, and read the words plainly (callers
 * serialise writers, as in the kernel). */
#ifndef _BUFPOOL_SHIM_LINUX_BITMAP_H
#define _BUFPOOL_SHIM_LINUX_BITMAP_H

#include <string.h>
#include <linux/bitops.h>

/* The bits of a bitmap's last word that are in its first @nbits. */
#define BITMAP_LAST_WORD_MASK(nbits)	(~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* @dst = @a & @b; whether any bit is set in it. */
static inline bool bitmap_and(unsigned long *dst, const unsigned long *a,
			      const unsigned long *b, unsigned int nbits)
{
	unsigned long any = 0;
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		any |= dst[i] = a[i] & b[i];
	return any != 0;
}

/* How many of the first @nbits bits are set. */
static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		if (src[i])	/* mostly zero words where bufpool counts */
			w += __builtin_popcountl(src[i]);
	if (nbits % BITS_PER_LONG)
		w += __builtin_popcountl(src[i] & BITMAP_LAST_WORD_MASK(nbits));
	return w;
}

/*
 * The mask of the bits [@start, @end) that lie in @start's word, and in
 * *@next where the next word's bits begin.
 */
static inline unsigned long bitmap_span_mask(unsigned int start, unsigned int end,
					     unsigned int *next)
{
	unsigned int lo = start % BITS_PER_LONG;
	unsigned int n = end - start < BITS_PER_LONG - lo ? end - start : BITS_PER_LONG - lo;

	*next = start + n;
	return (n == BITS_PER_LONG ? ~0UL : (1UL << n) - 1) << lo;
}

/* Whole words at a time, as the kernel's. */
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int nbits)
{
	unsigned int end = start + nbits, next;

	for (; start < end; start = next)
		map[BIT_WORD(start)] |= bitmap_span_mask(start, end, &next);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nbits)
{
	unsigned int end = start + nbits, next;

	for (; start < end; start = next)
		map[BIT_WORD(start)] &= ~bitmap_span_mask(start, end, &next);
}

/* The first bit from @offset on that is set in the words ^ @invert, or @size. */
static inline unsigned long bitmap_find_next(const unsigned long *addr, unsigned long size,
					     unsigned long offset, unsigned long invert)
{
	unsigned long i;

	for (i = BIT_WORD(offset); i * BITS_PER_LONG < size; i++) {
		unsigned long bits = addr[i] ^ invert;

		if (i == BIT_WORD(offset))
			bits &= ~0UL << (offset % BITS_PER_LONG);
		if (bits) {
			unsigned long nr = i * BITS_PER_LONG + __builtin_ctzl(bits);

			return nr < size ? nr : size;
		}
	}
	return size;
}

static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
					  unsigned long offset)
{
	return bitmap_find_next(addr, size, offset, 0);
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
					       unsigned long offset)
{
	return bitmap_find_next(addr, size, offset, ~0UL);
}

#endif
