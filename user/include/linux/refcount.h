/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: refcount_t with the kernel's semantics (include/linux/refcount.h
 * in 6.1, full checking, not the fast x86 variant): a count that would
 * overflow, or go below zero, or be raised from zero, is set to
 * REFCOUNT_SATURATED instead and a WARN says which - it then never reaches
 * zero again, so the object leaks rather than being freed while used.
 * Only what bufpool uses.  Orderings: __atomic seq_cst (stronger than the
 * kernel's release/acquire on dec_and_test, never weaker). */
#ifndef _BUFPOOL_SHIM_LINUX_REFCOUNT_H
#define _BUFPOOL_SHIM_LINUX_REFCOUNT_H

#include <limits.h>
#include <stdbool.h>
#include <linux/atomic.h>
#include <linux/bug.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n), }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_SUB_UAF,
};

static inline void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	atomic_set(&r->refs, REFCOUNT_SATURATED);
	switch (t) {
	case REFCOUNT_ADD_NOT_ZERO_OVF:
	case REFCOUNT_ADD_OVF:
		WARN_ONCE(1, "refcount_t: saturated; leaking memory.\n");
		break;
	case REFCOUNT_ADD_UAF:
		WARN_ONCE(1, "refcount_t: addition on 0; use-after-free.\n");
		break;
	case REFCOUNT_SUB_UAF:
		WARN_ONCE(1, "refcount_t: underflow; use-after-free.\n");
		break;
	}
}

/* old + i would be negative (saturated already, or overflowing): in
 * unsigned arithmetic, without the undefined signed overflow. */
static inline bool __refcount_bad_sum(int old, int i)
{
	return old < 0 || (int)((unsigned int)old + (unsigned int)i) < 0;
}

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)__atomic_load_n(&r->refs.counter, __ATOMIC_RELAXED);
}

/* Add 1 unless the count is 0; false if it was 0. */
static inline bool refcount_inc_not_zero(refcount_t *r)
{
	int old = atomic_read(&r->refs);

	do {
		if (!old)
			return false;
	} while (!atomic_try_cmpxchg(&r->refs, &old, (int)((unsigned int)old + 1u)));
	if (unlikely(__refcount_bad_sum(old, 1)))
		refcount_warn_saturate(r, REFCOUNT_ADD_NOT_ZERO_OVF);
	return true;
}

static inline void refcount_inc(refcount_t *r)
{
	int old = __atomic_fetch_add(&r->refs.counter, 1, __ATOMIC_SEQ_CST);

	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(__refcount_bad_sum(old, 1)))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

/* Subtract 1; true if that made it 0 (the caller frees). */
static inline bool refcount_dec_and_test(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs.counter, 1, __ATOMIC_SEQ_CST);

	if (old == 1)
		return true;
	if (unlikely(old <= 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

#endif
