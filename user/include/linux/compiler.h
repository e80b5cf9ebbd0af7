/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: compiler attributes and annotations. */
#ifndef _BUFPOOL_SHIM_LINUX_COMPILER_H
#define _BUFPOOL_SHIM_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define noinline	__attribute__((__noinline__))
#define __init
#define __exit
#define __maybe_unused	__attribute__((__unused__))
/* x86-64's line size; the kernel takes it from the CPU configuration. */
#define SMP_CACHE_BYTES	64
#define ____cacheline_aligned_in_smp	__attribute__((__aligned__(SMP_CACHE_BYTES)))
/* Sparse's lock-context annotations: nothing to the compiler, as in the
 * kernel outside __CHECKER__. */
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __acquire(x)	(void)0
#define __release(x)	(void)0
#define _RET_IP_	((unsigned long)__builtin_return_address(0))
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
/* The kernel's are barriers around plain accesses; C11 atomics here, so
 * that TSan sees the ordering. */
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, (v), __ATOMIC_RELEASE)

#endif
