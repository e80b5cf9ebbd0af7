/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: the few bitmap operations bufpool uses, with the kernel's
 * contracts: find_next_zero_bit() returns @size when every bit from
 * @offset on is set, and reads the words plainly (callers serialise
 * writers, as in the kernel). */
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

static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
					       unsigned long offset)
{
	unsigned long i;

	for (i = BIT_WORD(offset); i * BITS_PER_LONG < size; i++) {
		unsigned long bits = ~addr[i];

		if (i == BIT_WORD(offset))
			bits &= ~0UL << (offset % BITS_PER_LONG);
		if (bits) {
			unsigned long nr = i * BITS_PER_LONG + __builtin_ctzl(bits);

			return nr < size ? nr : size;
		}
	}
	return size;
}

#endif
