// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * stress_test.c - many threads allocating and freeing at once, frees
 * crossing threads; built with ThreadSanitizer.  Each thread runs a mix of
 * sizes (mostly tiny and small, some runs, rare huge), fills what it gets,
 * and hands about half of it to the next thread through a mutex-protected
 * mailbox, which checks the pattern and frees it.  At the end every
 * counter must balance and no misuse may have been seen.  Meanwhile a
 * fifth thread trims the pool every few milliseconds: its purges give free
 * pages back without the arena locks while the workers use those arenas.
 * A second test
 * passes refcounted buffers between threads (retain in one, release in
 * another).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bufpool.h>
#include "kselftest_harness.h"

#define THREADS		4
#define OPS_PER_THREAD	300000	/* x 4 threads, alloc + free each: 2.4 M calls */
#define MAILBOX		256
#define LOCAL		64

struct mailbox {
	pthread_mutex_t lock;
	void *slot[MAILBOX];
	size_t len[MAILBOX];
	unsigned int n;
};

struct worker {
	struct bufpool *pool;
	struct mailbox *in, *out;
	unsigned int id;
	unsigned long bad, ops;
	unsigned long foreign;	/* frees of another thread's allocations */
};

static void fill(unsigned char *p, size_t n)
{
	memset(p, (unsigned char)n, n < 64 ? n : 64);
	p[n - 1] = (unsigned char)(n >> 3);
}

static int intact(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < (n < 64 ? n : 64); i++)
		if (p[i] != (unsigned char)n && !(i == n - 1))
			return 0;
	return p[n - 1] == (unsigned char)(n >> 3);
}

static size_t pick_size(unsigned int *seed)
{
	unsigned int r;

	*seed = *seed * 1664525 + 1013904223;
	r = *seed >> 8;
	if (r % 1000 == 0)
		return (64u << 20) / 32 + r % 100000;	/* > 1 MiB chunk: huge */
	if (r % 50 == 0)
		return 8192 + r % 100000;		/* runs */
	if (r % 4 == 0)
		return 512 + r % 3584;			/* small */
	return 1 + r % 511;				/* tiny */
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned int seed = 0x1234 + w->id * 7919;
	void *mine[LOCAL] = { 0 };
	size_t len[LOCAL] = { 0 };
	unsigned long i;

	for (i = 0; i < OPS_PER_THREAD; i++) {
		unsigned int k = (seed >> 3) % LOCAL;

		if (mine[k]) {
			/* Hand it to the next thread, or free it here. */
			if (seed & 0x100) {
				pthread_mutex_lock(&w->out->lock);
				if (w->out->n < MAILBOX) {
					w->out->slot[w->out->n] = mine[k];
					w->out->len[w->out->n++] = len[k];
					mine[k] = NULL;
				}
				pthread_mutex_unlock(&w->out->lock);
			}
			if (mine[k]) {
				w->bad += !intact(mine[k], len[k]);
				bufpool_free(w->pool, mine[k]);
				mine[k] = NULL;
			}
			w->ops++;
		}
		len[k] = pick_size(&seed);
		mine[k] = bufpool_alloc(w->pool, len[k]);
		if (!mine[k]) {
			w->bad++;
			continue;
		}
		fill(mine[k], len[k]);
		w->ops++;

		/* Drain what the previous thread sent. */
		if ((i & 15) == 0) {
			pthread_mutex_lock(&w->in->lock);
			while (w->in->n) {
				w->in->n--;
				w->bad += !intact(w->in->slot[w->in->n], w->in->len[w->in->n]);
				bufpool_free(w->pool, w->in->slot[w->in->n]);
				w->ops++;
				w->foreign++;
			}
			pthread_mutex_unlock(&w->in->lock);
		}
	}
	for (i = 0; i < LOCAL; i++) {
		if (mine[i]) {
			w->bad += !intact(mine[i], len[i]);
			bufpool_free(w->pool, mine[i]);
		}
	}
	return NULL;
}

struct trimmer {
	struct bufpool *pool;
	int stop;		/* __atomic */
	unsigned long trims;
};

static void *trim_until_stopped(void *arg)
{
	struct trimmer *tr = arg;
	const struct timespec pause = { .tv_nsec = 3 * 1000 * 1000 };

	while (!__atomic_load_n(&tr->stop, __ATOMIC_RELAXED)) {
		bufpool_trim(tr->pool);
		tr->trims++;
		nanosleep(&pause, NULL);
	}
	return NULL;
}

FIXTURE(stress) {
	struct bufpool *pool;
};

FIXTURE_SETUP(stress)
{
	struct bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.max_order = 7;		/* 1 MiB chunks: more chunk churn */
	cfg.nr_arenas = 2;		/* fewer arenas than threads: contention */
	self->pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, self->pool);
}

FIXTURE_TEARDOWN(stress)
{
	bufpool_destroy(self->pool);
}

TEST_F_TIMEOUT(stress, cross_thread_frees, 600)
{
	struct trimmer tr = { .pool = self->pool };
	struct mailbox box[THREADS];
	struct worker w[THREADS];
	pthread_t t[THREADS], trim_thread;
	struct bufpool_stats st;
	unsigned long ops = 0, bad = 0, foreign = 0;
	int i;

	for (i = 0; i < THREADS; i++) {
		pthread_mutex_init(&box[i].lock, NULL);
		box[i].n = 0;
	}
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .pool = self->pool, .id = i,
					.in = &box[i], .out = &box[(i + 1) % THREADS] };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, work, &w[i]));
	}
	ASSERT_EQ(0, pthread_create(&trim_thread, NULL, trim_until_stopped, &tr));
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		ops += w[i].ops;
		bad += w[i].bad;
		foreign += w[i].foreign;
	}
	__atomic_store_n(&tr.stop, 1, __ATOMIC_RELAXED);
	pthread_join(trim_thread, NULL);
	/* Whatever is left in the mailboxes. */
	for (i = 0; i < THREADS; i++) {
		while (box[i].n) {
			box[i].n--;
			bad += !intact(box[i].slot[box[i].n], box[i].len[box[i].n]);
			bufpool_free(self->pool, box[i].slot[box[i].n]);
			ops++;
		}
	}
	TH_LOG("%lu operations, %lu frees of another thread's memory, %lu trims", ops, foreign,
	       tr.trims);
	EXPECT_GE(ops, 1000000);
	EXPECT_GT(tr.trims, 0);
	EXPECT_GE(foreign, ops / 10);
	EXPECT_EQ(0, bad);
	ASSERT_EQ(0, bufpool_get_stats(self->pool, &st));
	EXPECT_EQ(st.allocations, st.frees);
	EXPECT_EQ(0, st.active);
	EXPECT_EQ(0, st.active_bytes);
	EXPECT_EQ(0, st.huge_active);
	EXPECT_EQ(0, st.invalid_frees);
	EXPECT_GT(st.huge_allocations, 0);
}

/*
 * Refcounted buffers crossing threads: each thread allocates a buffer,
 * writes a sequence number and a pattern, retains it, hands it to the next
 * thread and drops its own reference; the receiver checks the content
 * through the buffer and through a retained slice, and drops both.  Which
 * thread frees the memory is a race every time; paranoid leak tracking
 * runs throughout.
 */
#define BUF_OPS		50000

struct buf_box {
	pthread_mutex_t lock;
	struct bufpool_buf *slot[MAILBOX];
	unsigned int n;
};

struct buf_worker {
	struct bufpool *pool;
	struct buf_box *in, *out;
	unsigned int id;
	unsigned long bad, sent, received;
};

static unsigned long check_buf(struct bufpool_buf *b)
{
	struct bufpool_buf *s;
	uint32_t seq, v;
	unsigned long bad = 0;
	size_t i, n;

	bad += bufpool_buf_read_u32(b, &seq) != 0;
	n = bufpool_buf_readable(b);
	for (i = 0; i < n; i++) {
		uint8_t x;

		bad += bufpool_buf_get_u8(b, 4 + i, &x) != 0 || x != (uint8_t)(seq + i);
	}
	s = bufpool_buf_retained_slice(b, 0, 4);
	bad += !s || bufpool_buf_get_u32(s, 0, &v) != 0 || v != seq;
	bad += s && bufpool_buf_release(s) != 0;	/* b still holds one */
	bad += bufpool_buf_release(b) < 0;
	return bad;
}

static void *buf_work(void *arg)
{
	struct buf_worker *w = arg;
	unsigned int seed = w->id * 7919 + 1;
	unsigned long i;

	for (i = 0; i < BUF_OPS; i++) {
		struct bufpool_buf *b, *got[MAILBOX];
		size_t len = rand_r(&seed) % 300, k;
		unsigned int n = 0, j;

		b = bufpool_buf_alloc(w->pool, 16, 4096);
		if (!b) {
			w->bad++;
			continue;
		}
		w->bad += bufpool_buf_write_u32(b, (uint32_t)i) != 0;
		for (k = 0; k < len; k++)
			w->bad += bufpool_buf_write_u8(b, (uint8_t)(i + k)) != 0;
		w->bad += bufpool_buf_retain(b) != 0;
		pthread_mutex_lock(&w->out->lock);
		if (w->out->n < MAILBOX) {
			w->out->slot[w->out->n++] = b;
			w->sent++;
		} else {
			w->bad += bufpool_buf_release(b) != 0;	/* not sent: drop that one */
		}
		pthread_mutex_unlock(&w->out->lock);
		w->bad += bufpool_buf_release(b) < 0;	/* ours */

		pthread_mutex_lock(&w->in->lock);
		while (w->in->n)
			got[n++] = w->in->slot[--w->in->n];
		pthread_mutex_unlock(&w->in->lock);
		for (j = 0; j < n; j++)
			w->bad += check_buf(got[j]);
		w->received += n;
	}
	return NULL;
}

/*
 * Reads the stats while the workers' tracked buffers come and go: the
 * leak count changes under the leak lock and is read without it, so TSan
 * sees a race here unless it is an atomic.
 */
struct stats_reader {
	struct bufpool *pool;
	int stop;
	unsigned long reads, bad;
};

static void *stats_work(void *arg)
{
	struct stats_reader *r = arg;
	struct bufpool_stats st;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		r->bad += bufpool_get_stats(r->pool, &st) != 0 ||
			  st.buf_leaks_tracked > (uint64_t)THREADS * (2 * MAILBOX + 2);
		r->reads++;
	}
	return NULL;
}

TEST_F_TIMEOUT(stress, buffers_across_threads, 600)
{
	struct stats_reader reader = { 0 };
	pthread_t reader_thread;
	struct bufpool_config cfg;
	struct bufpool *pool;
	struct buf_box box[THREADS];
	struct buf_worker w[THREADS];
	pthread_t t[THREADS];
	struct bufpool_stats st;
	unsigned long bad = 0, sent = 0, received = 0;
	int i;

	bufpool_config_init(&cfg);
	cfg.leak_detection = BUFPOOL_LEAK_PARANOID;
	cfg.nr_arenas = 2;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	for (i = 0; i < THREADS; i++) {
		pthread_mutex_init(&box[i].lock, NULL);
		box[i].n = 0;
	}
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct buf_worker){ .pool = pool, .id = i,
					    .in = &box[i], .out = &box[(i + 1) % THREADS] };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, buf_work, &w[i]));
	}
	reader.pool = pool;
	ASSERT_EQ(0, pthread_create(&reader_thread, NULL, stats_work, &reader));
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		bad += w[i].bad;
		sent += w[i].sent;
		received += w[i].received;
	}
	__atomic_store_n(&reader.stop, 1, __ATOMIC_RELEASE);
	pthread_join(reader_thread, NULL);
	TH_LOG("stats read %lu times while buffers were tracked", reader.reads);
	EXPECT_EQ(0, reader.bad);
	EXPECT_GT(reader.reads, 0);
	for (i = 0; i < THREADS; i++)
		while (box[i].n) {
			bad += check_buf(box[i].slot[--box[i].n]);
			received++;
		}
	TH_LOG("%lu buffers passed between threads", sent);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(sent, received);
	EXPECT_GE(sent, BUF_OPS * THREADS / 2);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ((uint64_t)BUF_OPS * THREADS, st.buf_allocs);
	EXPECT_EQ(0, st.buf_refcnt_errors);
	EXPECT_EQ(0, st.buf_leaks_tracked);	/* paranoid: all released */
	EXPECT_EQ(0, bufpool_leak_report(pool, NULL));
	EXPECT_EQ(0, st.invalid_frees);
	bufpool_destroy(pool);
}

TEST_HARNESS_MAIN
