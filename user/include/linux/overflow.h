/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: overflow-checked arithmetic, as in the kernel (compiler builtins). */
#ifndef _BUFPOOL_SHIM_LINUX_OVERFLOW_H
#define _BUFPOOL_SHIM_LINUX_OVERFLOW_H

#include <stddef.h>
#include <stdint.h>

#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

/* Bytes for a struct with @n trailing array elements, SIZE_MAX on overflow. */
#define struct_size(p, member, n)					\
	({ size_t __b;							\
	   __builtin_mul_overflow((size_t)(n), sizeof(*(p)->member), &__b) || \
	   __builtin_add_overflow(__b, sizeof(*(p)), &__b) ? SIZE_MAX : __b; })

#endif
