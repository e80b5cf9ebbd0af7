/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: the helpers of <linux/kernel.h> the core uses. */
#ifndef _BUFPOOL_SHIM_LINUX_KERNEL_H
#define _BUFPOOL_SHIM_LINUX_KERNEL_H

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>
#include <linux/types.h>

/* A thread keeps its cache wherever it runs: nothing to pin. */
#define migrate_disable()	do { } while (0)
#define migrate_enable()	do { } while (0)
#define U32_MAX			((u32)~0U)
#define U64_MAX			((u64)~0ULL)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* As the kernel's, each argument is evaluated once (GNU statement
 * expressions); unlike it, min() and max() do not insist on one type. */
#define min(a, b)		({ __auto_type __min_a = (a); __auto_type __min_b = (b); \
				   __min_a < __min_b ? __min_a : __min_b; })
#define max(a, b)		({ __auto_type __max_a = (a); __auto_type __max_b = (b); \
				   __max_a > __max_b ? __max_a : __max_b; })
#define min_t(t, a, b)		({ t __min_ta = (a); t __min_tb = (b); \
				   __min_ta < __min_tb ? __min_ta : __min_tb; })
#define min3(a, b, c)		min(min(a, b), c)
#define clamp_t(t, v, lo, hi)	({ t __clamp_v = (v); t __clamp_lo = (lo); \
				   min_t(t, __clamp_v < __clamp_lo ? __clamp_lo : __clamp_v, hi); })
#define swap(a, b)		do { typeof(a) __swap_tmp = (a); (a) = (b); (b) = __swap_tmp; } while (0)

/* Like the kernel's: returns the characters written, never more than
 * size - 1, and 0 for size 0. */
static inline int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!size)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return (size_t)n >= size ? (int)(size - 1) : n;
}

static inline long strscpy(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size);

	if (!size)
		return -7;	/* -E2BIG */
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -7;
	}
	memcpy(dst, src, len + 1);
	return len;
}

#endif
