/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <linux/u64_stats_sync.h> shim: 64-bit counters with one writer each,
 * read by anyone, never torn.
 *
 * The kernel's contract is kept: a counter has one writer at a time (here
 * the thread that owns the cache), which brackets its updates with
 * u64_stats_update_begin()/_end(); readers loop on u64_stats_fetch_begin()/
 * _retry().  Where a long is 64 bits, as in the kernel, the sync is empty
 * and a counter is a relaxed atomic (one plain load or store on the usual
 * machines, like local64_t); elsewhere it is a seqcount, as the kernel's
 * 32-bit build has, with the memory-model fences a seqlock needs in C11.
 * Like the kernel's, u64_stats_add() is not atomic against another writer.
 */
#ifndef _BUFPOOL_SHIM_LINUX_U64_STATS_SYNC_H
#define _BUFPOOL_SHIM_LINUX_U64_STATS_SYNC_H

#include <stdbool.h>
#include <linux/types.h>

typedef struct {
	u64 v;
} u64_stats_t;

static inline u64 u64_stats_read(const u64_stats_t *p)
{
	return __atomic_load_n(&p->v, __ATOMIC_RELAXED);
}

static inline void u64_stats_set(u64_stats_t *p, u64 val)
{
	__atomic_store_n(&p->v, val, __ATOMIC_RELAXED);
}

/*
 * The writer's own read-modify-write: no other writer, so no RMW atomic.
 * On x86-64 one non-LOCK add to memory, as the kernel's local64_add() is
 * there (a relaxed load and store compile to three instructions); under
 * ThreadSanitizer, which does not see inside asm, the relaxed pair.
 */
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
static inline void u64_stats_add(u64_stats_t *p, unsigned long val)
{
	asm volatile("addq %1, %0" : "+m" (p->v) : "er" (val));
}
#else
static inline void u64_stats_add(u64_stats_t *p, unsigned long val)
{
	u64_stats_set(p, u64_stats_read(p) + val);
}
#endif

static inline void u64_stats_inc(u64_stats_t *p)
{
	u64_stats_add(p, 1);
}

#if __SIZEOF_LONG__ == 8

struct u64_stats_sync {
};

static inline void u64_stats_init(struct u64_stats_sync *syncp)
{
}

static inline void u64_stats_update_begin(struct u64_stats_sync *syncp)
{
}

static inline void u64_stats_update_end(struct u64_stats_sync *syncp)
{
}

static inline unsigned int u64_stats_fetch_begin(const struct u64_stats_sync *syncp)
{
	return 0;
}

static inline bool u64_stats_fetch_retry(const struct u64_stats_sync *syncp,
					 unsigned int start)
{
	return false;
}

#else /* a 32-bit long: a seqcount */

struct u64_stats_sync {
	unsigned int seq;
};

static inline void u64_stats_init(struct u64_stats_sync *syncp)
{
	syncp->seq = 0;
}

static inline void u64_stats_update_begin(struct u64_stats_sync *syncp)
{
	__atomic_store_n(&syncp->seq, syncp->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void u64_stats_update_end(struct u64_stats_sync *syncp)
{
	__atomic_store_n(&syncp->seq, syncp->seq + 1, __ATOMIC_RELEASE);
}

static inline unsigned int u64_stats_fetch_begin(const struct u64_stats_sync *syncp)
{
	unsigned int seq;

	while ((seq = __atomic_load_n(&syncp->seq, __ATOMIC_ACQUIRE)) & 1)
		;	/* a writer is between begin and end */
	return seq;
}

static inline bool u64_stats_fetch_retry(const struct u64_stats_sync *syncp,
					 unsigned int start)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&syncp->seq, __ATOMIC_RELAXED) != start;
}

#endif

#endif /* _BUFPOOL_SHIM_LINUX_U64_STATS_SYNC_H */
