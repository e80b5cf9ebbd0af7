/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: atomic_t and atomic_long_t over the compiler's __atomic builtins.
 * Read-modify-write operations are sequentially consistent (the kernel's
 * value-returning ones are fully ordered, the void ones unordered: stronger
 * here, never weaker). */
#ifndef _BUFPOOL_SHIM_LINUX_ATOMIC_H
#define _BUFPOOL_SHIM_LINUX_ATOMIC_H

#include <stdbool.h>

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }
#define atomic_read(v)		__atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_set(v, i)	__atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_inc(v)		((void)__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_dec(v)		((void)__atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_inc_return(v)	__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_dec_return(v)	__atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_try_cmpxchg(v, old, new)						\
	__atomic_compare_exchange_n(&(v)->counter, (old), (new), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)
/* Add 1 unless the value is 0; true if it added. */
static inline bool atomic_inc_not_zero(atomic_t *v)
{
	int old = atomic_read(v);

	do {
		if (!old)
			return false;
	} while (!atomic_try_cmpxchg(v, &old, old + 1));
	return true;
}
#define atomic_long_add(i, v)	((void)__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_long_sub(i, v)	((void)__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_long_add_return(i, v) __atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_long_dec(v)	atomic_dec(v)
#define atomic_long_read	atomic_read
#define atomic_long_set		atomic_set
#define atomic_long_inc		atomic_inc
#define atomic_long_inc_return	atomic_inc_return
#define atomic_long_try_cmpxchg	atomic_try_cmpxchg

#endif
