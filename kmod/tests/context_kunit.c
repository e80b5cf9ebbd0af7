// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * context_kunit.c - KUnit suite "bufpool_context": the calling contexts
 * Documentation/module.rst promises, run for real in the kernel (a timer
 * and a tasklet in softirq, process context under a spinlock and with hard
 * interrupts off, a hard-irq hrtimer; the debug kernel has
 * DEBUG_ATOMIC_SLEEP, lockdep - which also checks that no lock taken in
 * hardirq is ever taken with interrupts on - and KASAN watching):
 *
 *   - GFP_ATOMIC allocations of every class up to a whole chunk, a bulk
 *     allocation, frees into full cache bins and to the arena, the free of
 *     a vmalloc'd huge allocation and a stats read, all in that context;
 *   - an atomic allocation never maps a chunk itself: on a pool without
 *     chunks the first one fails with no chunk mapped, and succeeds once
 *     the refill work has mapped the reserve (each round maps one);
 *   - everything balances afterwards (no allocation left active).
 *
 * In userspace (bufpool_test_context.h runs the function in the calling
 * thread) no flag is atomic, so the first round succeeds.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <bufpool_test_context.h>
#include "geometry.h"
#include "chunk.h"
#include "cache.h"
#include "pool.h"
#include "world.h"

/* Tiny, small, normal up to a whole 4 MiB chunk (each of the two largest maps one). */
static const size_t ctx_sizes[] = {
	16, 100, 496, 512, 2000, 4096, 8192, 32768, 65536, 1 << 20, 4 << 20,
};

/* More than a bin holds (8): frees overflow the bin into the arena. */
#define CTX_BURST	24

struct context_state {
	struct bufpool *pool;
	void *p[ARRAY_SIZE(ctx_sizes)];
	void *burst[CTX_BURST];
	size_t burst_got;
	void *huge;
	u64 active_after;
};

static size_t ctx_missing(const struct context_state *s)
{
	size_t i, n = !s->burst_got;

	for (i = 0; i < ARRAY_SIZE(ctx_sizes); i++)
		n += !s->p[i];
	return n;
}

/* In the context under test: allocate what is still missing. */
static void ctx_alloc(void *arg)
{
	struct context_state *s = arg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctx_sizes); i++) {
		if (s->p[i])
			continue;
		s->p[i] = bufpool_pool_alloc(s->pool, ctx_sizes[i], GFP_ATOMIC);
		if (s->p[i])
			memset(s->p[i], 0x5a, ctx_sizes[i]);
	}
	if (!s->burst_got)
		s->burst_got = bufpool_pool_alloc_bulk(s->pool, 100, GFP_ATOMIC, CTX_BURST,
						       s->burst);
}

/* In the context under test: free everything, read the counters. */
static void ctx_free(void *arg)
{
	struct context_state *s = arg;
	struct bufpool_stats st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctx_sizes); i++)
		bufpool_pool_free(s->pool, s->p[i]);
	bufpool_pool_free_bulk(s->pool, s->burst_got, s->burst);
	bufpool_pool_free(s->pool, s->huge);	/* vmalloc'd: vfree deferred */
	bufpool_stats_read(s->pool, &st);
	s->active_after = st.active;
}

static const enum bufpool_test_ctx ctx_params[] = {
	BUFPOOL_CTX_TIMER, BUFPOOL_CTX_TASKLET, BUFPOOL_CTX_SPINLOCK,
	BUFPOOL_CTX_IRQS_OFF, BUFPOOL_CTX_HARDIRQ,
};

static void ctx_desc(const enum bufpool_test_ctx *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", bufpool_test_ctx_names[*c]);
}

KUNIT_ARRAY_PARAM(ctx, ctx_params, ctx_desc);

static void context_alloc_free(struct kunit *test)
{
	enum bufpool_test_ctx ctx = *(const enum bufpool_test_ctx *)test->param_value;
	struct bufpool_config cfg = {
		.name = "kunit-ctx", .page_size = 8192, .max_order = 9, .nr_arenas = 1,
		.tiny_cache_size = 8, .small_cache_size = 8, .normal_cache_size = 8,
		.max_cached_capacity = 32768, .cache_refill = 4,
	};
	struct context_state s = {};
	struct bufpool_stats st;
	char why[128];
	size_t i, j, bad = 0;
	int round;

	s.pool = bufpool_pool_create(&cfg, why, sizeof(why));
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(s.pool), "%s", why);
	s.huge = bufpool_pool_alloc(s.pool, 5 << 20, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, s.huge);

	KUNIT_EXPECT_TRUE(test, bufpool_test_run_in(ctx, ctx_alloc, &s));
	bufpool_stats_read(s.pool, &st);
	if (!gfpflags_allow_blocking(GFP_ATOMIC)) {
		/* Nothing mapped on the atomic path: every request failed. */
		KUNIT_EXPECT_EQ(test, st.chunks, 0);
		KUNIT_EXPECT_EQ(test, ctx_missing(&s), ARRAY_SIZE(ctx_sizes) + 1);
	} else {
		KUNIT_EXPECT_EQ(test, ctx_missing(&s), 0);
	}
	/* Each round the refill work maps a reserve chunk, so each round gains. */
	for (round = 0; round <= ARRAY_SIZE(ctx_sizes) + 1 && ctx_missing(&s); round++) {
		bufpool_chunk_refill_wait(s.pool);
		bufpool_test_run_in(ctx, ctx_alloc, &s);
	}
	KUNIT_EXPECT_EQ(test, ctx_missing(&s), 0);
	kunit_info(test, "%s: everything allocated after %d refill rounds\n",
		   bufpool_test_ctx_names[ctx], round);
	for (i = 0; i < ARRAY_SIZE(ctx_sizes); i++)
		for (j = 0; s.p[i] && j < ctx_sizes[i]; j++)
			bad += ((u8 *)s.p[i])[j] != 0x5a;
	KUNIT_EXPECT_EQ(test, bad, 0);

	KUNIT_EXPECT_TRUE(test, bufpool_test_run_in(ctx, ctx_free, &s));
	KUNIT_EXPECT_EQ(test, s.active_after, 0);
	bufpool_stats_read(s.pool, &st);
	KUNIT_EXPECT_EQ(test, st.huge_active, 0);
	KUNIT_EXPECT_EQ(test, st.invalid_frees, 0);
	bufpool_pool_destroy(s.pool);
}

static struct kunit_case context_cases[] = {
	KUNIT_CASE_PARAM(context_alloc_free, ctx_gen_params),
	{}
};

static struct kunit_suite context_suite = {
	.name = "bufpool_context",
	.test_cases = context_cases,
};

kunit_test_suites(&context_suite);
