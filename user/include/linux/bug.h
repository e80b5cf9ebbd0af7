/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: WARN_* print once per call site to stderr and go on, like the
 * kernel's; there is no taint and no backtrace.  Test builds define
 * BUFPOOL_WARN_FATAL: there a WARN aborts, so that no test passes over
 * one (the VM runner fails on kernel WARNs the same way). */
#ifndef _BUFPOOL_SHIM_LINUX_BUG_H
#define _BUFPOOL_SHIM_LINUX_BUG_H

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

#include <stdio.h>
#include <linux/compiler.h>

#include <stdlib.h>

#ifdef BUFPOOL_WARN_FATAL
#define __warn_end()	abort()
#else
#define __warn_end()	do { } while (0)
#endif

#define WARN_ONCE(cond, fmt, ...) ({					\
	static bool __warned;						\
	int __ret = !!(cond);						\
	if (unlikely(__ret) && !__atomic_exchange_n(&__warned, true, __ATOMIC_RELAXED)) { \
		fprintf(stderr, "WARNING: %s:%d: " fmt, __FILE__, __LINE__, ##__VA_ARGS__); \
		__warn_end();						\
	}								\
	unlikely(__ret);						\
})
#define WARN_ON_ONCE(cond)	WARN_ONCE(cond, "%s\n", #cond)
#define BUG_ON(cond)		do { if (unlikely(cond)) __builtin_trap(); } while (0)

#endif
