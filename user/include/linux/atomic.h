/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: atomic_t and atomic_long_t over the compiler's __atomic builtins.
 * Read-modify-write operations are sequentially consistent (the kernel's
 * value-returning ones are fully ordered, the void ones unordered: stronger
 * here, never weaker). */
#ifndef _BUFPOOL_SHIM_LINUX_ATOMIC_H
#define _BUFPOOL_SHIM_LINUX_ATOMIC_H

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }
#define atomic_read(v)		__atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_set(v, i)	__atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_inc(v)		((void)__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_dec(v)		((void)__atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_inc_return(v)	__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_long_read	atomic_read
#define atomic_long_set		atomic_set
#define atomic_long_inc		atomic_inc
#define atomic_long_inc_return	atomic_inc_return

#endif
