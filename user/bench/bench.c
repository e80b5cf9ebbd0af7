// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bench.c - userspace allocator benchmark.  One source, compiled once per
 * allocator (BENCH_ALLOC = bufpool, bufpool-malloc, glibc, jemalloc,
 * tcmalloc, mimalloc, floor), so every peer runs the same workload code;
 * scripts/bench runs them all in one go and collects the rows.
 *
 * Two modes:
 *
 *   bench-<alloc> WORKLOAD [REPS]      timing: nanoseconds per operation,
 *	median/min/max of REPS runs after a warm-up, peak RSS (each run's
 *	own: the run with the median peak RSS / peak live); also user-space
 *	instructions from perf_event_open when the machine has a PMU
 *	("n/a" otherwise).  Output: CSV rows, see print_row().
 *   valgrind --tool=callgrind bench-<alloc> --callgrind WORKLOAD
 *	instructions: each row runs twice more after its warm-up, with K1
 *	and then K2 operations, each run between CALLGRIND_ZERO_STATS and
 *	CALLGRIND_DUMP_STATS_AT("bench|<row>|<ops>"); scripts/bench reads the
 *	two dumps and reports (Ir2 - Ir1) / (ops2 - ops1), so whatever a run
 *	costs once (loop entry, the client requests, a setup) cancels.
 *	Valgrind's count is of the program's own instructions, deterministic,
 *	the same with or without a PMU, and callgrind (unlike memcheck) does
 *	not replace malloc, so each allocator runs its own code.
 *
 * One operation = one allocation and the free that matches it (per object
 * for the bulk rows).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

/* --- the allocator under test ------------------------------------------- */

#define STR2(x) #x
#define STR(x) STR2(x)

/*
 * The wrappers below are always inlined, so that every workload calls the
 * allocator's own entry point directly and no allocator pays for a
 * wrapper call another one is spared (the floor is all inline).
 */
#define WRAP static inline __attribute__((always_inline))

#if defined(BENCH_BUFPOOL)
#include <bufpool.h>
static struct bufpool *pool;
static void alloc_init(void) { pool = bufpool_create(NULL); }
WRAP void *xalloc(size_t n) { return bufpool_alloc(pool, n); }
WRAP void xfree(void *p) { bufpool_free(pool, p); }
WRAP void xfree_sized(void *p, size_t n) { bufpool_free_sized(pool, p, n); }
static void alloc_trim(void) { bufpool_trim(pool); }
#define HAVE_BULK
WRAP size_t xalloc_bulk(size_t size, size_t n, void **p)
{
	return bufpool_alloc_bulk(pool, size, n, p);
}
WRAP void xfree_bulk(size_t n, void **p) { bufpool_free_bulk(pool, n, p); }
#elif defined(BENCH_MIMALLOC)
#include <mimalloc.h>
static void alloc_init(void) { }
WRAP void *xalloc(size_t n) { return mi_malloc(n); }
WRAP void xfree(void *p) { mi_free(p); }
WRAP void xfree_sized(void *p, size_t n) { mi_free_size(p, n); }
static void alloc_trim(void) { mi_collect(true); }
#elif defined(BENCH_TCMALLOC)
#include <gperftools/malloc_extension_c.h>
#include <gperftools/tcmalloc.h>
static void alloc_init(void) { }
WRAP void *xalloc(size_t n) { return tc_malloc(n); }
WRAP void xfree(void *p) { tc_free(p); }
WRAP void xfree_sized(void *p, size_t n) { tc_free_sized(p, n); }
static void alloc_trim(void) { MallocExtension_ReleaseFreeMemory(); }
#elif defined(BENCH_JEMALLOC)
#include <jemalloc/jemalloc.h>
static void alloc_init(void)
{
	const char *v;
	size_t len = sizeof(v);

	/* Make sure malloc really is jemalloc's. */
	if (mallctl("version", &v, &len, NULL, 0)) {
		fprintf(stderr, "bench: jemalloc not linked\n");
		exit(1);
	}
}
WRAP void *xalloc(size_t n) { return malloc(n); }
WRAP void xfree(void *p) { free(p); }
WRAP void xfree_sized(void *p, size_t n) { sdallocx(p, n, 0); }
static void alloc_trim(void)
{
	mallctl("arena." STR(4096) ".purge", NULL, NULL, NULL, 0);	/* MALLCTL_ARENAS_ALL */
}
#elif defined(BENCH_BUFPOOL_MALLOC)
/* libbufpool-malloc.so: the pool behind plain malloc()/free(). */
static void alloc_init(void) { }
WRAP void *xalloc(size_t n) { return malloc(n); }
WRAP void xfree(void *p) { free(p); }
/* No sized free in the malloc interface: plain free(). */
WRAP void xfree_sized(void *p, size_t n) { free(p); }
static void alloc_trim(void) { }
#elif defined(BENCH_GLIBC)
#include <malloc.h>
static void alloc_init(void) { }
WRAP void *xalloc(size_t n) { return malloc(n); }
WRAP void xfree(void *p) { free(p); }
/* glibc 2.36 has no free_sized(): its "sized" rows are plain free(). */
WRAP void xfree_sized(void *p, size_t n) { free(p); }
static void alloc_trim(void) { malloc_trim(0); }
#elif defined(BENCH_FLOOR)
/*
 * The floor: a bare thread-local free list per 16-byte class, refilled from
 * malloc, never giving memory back.  No allocator can be much cheaper.
 */
#define FLOOR_CLASSES	(65536 / 16 + 1)
struct floor_hdr { size_t cls; void *next; };
static __thread void *floor_head[FLOOR_CLASSES];
static void alloc_init(void) { }
WRAP void *xalloc(size_t n)
{
	size_t cls = (n + 15) / 16;
	struct floor_hdr *h;

	if (cls >= FLOOR_CLASSES) {
		h = malloc(sizeof(*h) + n);
		h->cls = cls;
		return h + 1;
	}
	h = floor_head[cls];
	if (h) {
		floor_head[cls] = h->next;
		return h + 1;
	}
	h = malloc(sizeof(*h) + cls * 16);
	h->cls = cls;
	return h + 1;
}
WRAP void xfree(void *p)
{
	struct floor_hdr *h = (struct floor_hdr *)p - 1;

	if (h->cls >= FLOOR_CLASSES) {
		free(h);
		return;
	}
	h->next = floor_head[h->cls];
	floor_head[h->cls] = h;
}
/* The size is in the header: nothing to gain from being told it. */
WRAP void xfree_sized(void *p, size_t n) { xfree(p); }
static void alloc_trim(void) { }
#else
#error "define BENCH_<ALLOCATOR>"
#endif

/* Keeps the compiler from pairing an allocation with its free and dropping both. */
static void *volatile sink;

#ifndef HAVE_BULK
/* No bulk API: what a caller without one writes, a loop. */
WRAP size_t xalloc_bulk(size_t size, size_t n, void **p)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = xalloc(size);
	return n;
}

WRAP void xfree_bulk(size_t n, void **p)
{
	size_t i;

	for (i = 0; i < n; i++)
		xfree(p[i]);
}
#endif

/* --- measurement -------------------------------------------------------- */

static int perf_fd = -1;

static void perf_open(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.disabled = 1;
	a.inherit = 1;		/* threads created while counting */
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	perf_fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (perf_fd < 0)
		fprintf(stderr, "bench: perf_event_open: %s (PMU instructions n/a)\n",
			strerror(errno));
}

static void perf_start(void)
{
	if (perf_fd >= 0) {
		ioctl(perf_fd, PERF_EVENT_IOC_RESET, 0);
		ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0);
	}
}

static uint64_t perf_stop(void)
{
	uint64_t v = 0;

	if (perf_fd >= 0) {
		ioctl(perf_fd, PERF_EVENT_IOC_DISABLE, 0);
		if (read(perf_fd, &v, sizeof(v)) != sizeof(v))
			v = 0;
	}
	return v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static long rss_kb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/*
 * Peak RSS since the last hwm_reset(): the kernel's VmHWM, which writing
 * 5 to /proc/self/clear_refs sets back to the current RSS (Linux 4.0 on),
 * so that each run's peak is its own; ru_maxrss where that fails.
 */
static void hwm_reset(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");

	if (f) {
		fputs("5", f);
		fclose(f);
	}
}

static long hwm_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	if (kb < 0) {
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		kb = ru.ru_maxrss;
	}
	return kb;
}

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 32;
}

/* --- workloads: each returns the number of operations it did ------------- */

/* Operations the next run is asked for (each workload rounds to its unit). */
static uint64_t ops_req;
static size_t arg_size = 64, arg_n;
static int arg_fifo;
static size_t peak_live, rss_after;

static uint64_t w_pingpong(void)
{
	uint64_t i;

	for (i = 0; i < ops_req; i++) {
		void *p = xalloc(arg_size);

		sink = p;
		xfree(p);
	}
	return ops_req;
}

/* The same with the free that is told the size (sdallocx() and the like). */
static uint64_t w_pingpong_sized(void)
{
	uint64_t i;

	for (i = 0; i < ops_req; i++) {
		void *p = xalloc(arg_size);

		sink = p;
		xfree_sized(p, arg_size);
	}
	return ops_req;
}

/* BULK objects in one call and back in one call (a loop for the peers). */
#define BULK	64

static uint64_t w_bulk(void)
{
	void *p[BULK];
	uint64_t done;

	for (done = 0; done < ops_req; done += BULK) {
		if (xalloc_bulk(arg_size, BULK, p) != BULK) {
			fprintf(stderr, "bench: bulk allocation failed\n");
			exit(1);
		}
		sink = p[BULK - 1];
		xfree_bulk(BULK, p);
	}
	return done;
}

#if defined(BENCH_BUFPOOL)
/*
 * Buffer ping-pong: a refcounted buffer, writeInt, readInt, release, per
 * op.  bufping runs it once per leak detection level (64 bytes growing to
 * 1 KiB) to show what tracking costs; bufloop is the Netty comparison
 * (a 256-byte buffer with Netty's maximum, Integer.MAX_VALUE, in the pool
 * with default settings, leak detection "simple" like Netty's default).
 */
static struct bufpool *buf_pool;
static size_t buf_initial = 64, buf_max = 1024;

static uint64_t w_bufping(void)
{
	uint64_t i;

	for (i = 0; i < ops_req; i++) {
		struct bufpool_buf *b = bufpool_buf_alloc(buf_pool, buf_initial, buf_max);
		uint32_t v;

		bufpool_buf_write_u32(b, (uint32_t)i);
		bufpool_buf_read_u32(b, &v);
		sink = b;
		bufpool_buf_release(b);
	}
	return ops_req;
}
#endif

static void **slots;

/* arg_n allocations of arg_size, then their frees, LIFO or FIFO. */
static uint64_t w_burst(void)
{
	uint64_t done = 0;
	size_t i;

	while (done < ops_req) {
		for (i = 0; i < arg_n; i++)
			slots[i] = xalloc(arg_size);
		sink = slots[arg_n - 1];
		if (arg_fifo) {
			for (i = 0; i < arg_n; i++)
				xfree(slots[i]);
		} else {
			for (i = arg_n; i-- > 0;)
				xfree(slots[i]);
		}
		done += arg_n;
	}
	return done;
}

/* Netty's benchmark: 8192 live slots, each op replaces one. */
static uint64_t w_replace(void)
{
	static const size_t sizes[] = { 0, 256, 1024, 4096, 16384, 65536 };
	uint64_t i;

	for (i = 0; i < ops_req; i++) {
		uint32_t r = rnd();
		size_t k = r % 8192;

		xfree(slots[k]);
		slots[k] = xalloc(sizes[(r >> 16) % 6]);
	}
	return ops_req;
}

static void replace_setup(void)
{
	size_t k;

	for (k = 0; k < 8192; k++)
		slots[k] = xalloc(256);
}

static void replace_teardown(void)
{
	size_t k;

	for (k = 0; k < 8192; k++)
		xfree(slots[k]);
}

/* Skewed sizes up to 32 KiB, rare 64 KiB .. 4 MiB; live set grows to ~64 MiB,
 * churns, then everything is freed. */
#define CHURN_SLOTS	40000
static size_t *churn_len;

/* Write a byte in every 4 KiB of a block: live bytes become resident bytes,
 * so that RSS / live compares allocators, not how much a test wrote. */
static void touch(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 4096)
		p[i] = 1;
	p[n - 1] = 1;
}

static size_t churn_size(void)
{
	uint32_t r = rnd();

	if (r % 1000 == 0)
		return (64u << 10) << ((r >> 10) % 7);		/* 64 KiB .. 4 MiB */
	if (r % 8 == 0)
		return 1 + (r >> 8) % 32768;
	return 1 + (r >> 8) % 512;				/* mostly tiny */
}

static uint64_t w_churn(void)
{
	size_t live = 0, k;
	uint64_t i;

	for (i = 0; i < ops_req; i++) {
		k = rnd() % CHURN_SLOTS;
		if (slots[k]) {
			xfree(slots[k]);
			live -= churn_len[k];
			slots[k] = NULL;
		}
		churn_len[k] = churn_size();
		slots[k] = xalloc(churn_len[k]);
		touch(slots[k], churn_len[k]);
		live += churn_len[k];
		if (live > peak_live)
			peak_live = live;
	}
	for (k = 0; k < CHURN_SLOTS; k++) {
		if (slots[k]) {
			xfree(slots[k]);
			slots[k] = NULL;
		}
	}
	alloc_trim();
	rss_after = rss_kb();
	return ops_req;
}

/*
 * Producer allocates, consumer frees, in batches of XBATCH handed over
 * through two buffers and semaphores: the waiting happens in the kernel, so
 * no spin loop inflates the instruction count.
 */
#define XBATCH	1024
static void *xbuf[2][XBATCH];
static sem_t xfull[2], xempty[2];
static uint64_t xthread_ops;

static void *consumer(void *arg)
{
	uint64_t n;
	int b, i;

	for (n = 0, b = 0; n < xthread_ops; n += XBATCH, b ^= 1) {
		sem_wait(&xfull[b]);
		for (i = 0; i < XBATCH; i++)
			xfree(xbuf[b][i]);
		sem_post(&xempty[b]);
	}
	return NULL;
}

static uint64_t w_xthread(void)
{
	pthread_t t;
	uint64_t n;
	int b, i;

	xthread_ops = (ops_req + XBATCH - 1) / XBATCH * XBATCH;
	for (b = 0; b < 2; b++) {
		sem_init(&xfull[b], 0, 0);
		sem_init(&xempty[b], 0, 1);
	}
	pthread_create(&t, NULL, consumer, NULL);
	for (n = 0, b = 0; n < xthread_ops; n += XBATCH, b ^= 1) {
		sem_wait(&xempty[b]);
		for (i = 0; i < XBATCH; i++)
			xbuf[b][i] = xalloc(64 + rnd() % 448);
		sem_post(&xfull[b]);
	}
	pthread_join(t, NULL);
	return xthread_ops;
}

/* Short-lived threads leave long-lived objects behind; main frees them. */
#define CHURN_THREADS	100
#define PER_THREAD	1000

static void *short_lived(void *arg)
{
	void **mine = arg;
	int i;

	for (i = 0; i < PER_THREAD; i++)
		mine[i] = xalloc(32 + (i % 16) * 16);
	return NULL;
}

static uint64_t w_threads(void)
{
	uint64_t nr = (ops_req + PER_THREAD - 1) / PER_THREAD;
	pthread_t t;
	uint64_t i, j;

	if (nr > CHURN_THREADS)
		nr = CHURN_THREADS;
	for (i = 0; i < nr; i++) {
		pthread_create(&t, NULL, short_lived, &slots[i * PER_THREAD]);
		pthread_join(t, NULL);
	}
	for (i = 0; i < nr; i++)
		for (j = 0; j < PER_THREAD; j++)
			xfree(slots[i * PER_THREAD + j]);
	return nr * PER_THREAD;
}

/* --- driver --------------------------------------------------------------- */

static int vg_mode;	/* --callgrind: count instructions under valgrind */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One run's memory: its own peak RSS and peak live bytes, RSS after it. */
struct run_mem {
	long hwm_kb;
	size_t live;
	size_t after_kb;
};

/* By peak RSS / peak live (by peak RSS where nothing counts live bytes). */
static int cmp_mem(const void *a, const void *b)
{
	const struct run_mem *x = a, *y = b;
	double rx = x->live ? (double)x->hwm_kb / x->live : x->hwm_kb;
	double ry = y->live ? (double)y->hwm_kb / y->live : y->hwm_kb;

	return rx < ry ? -1 : rx > ry;
}

static void print_row(const char *workload, const char *param, int reps,
		      uint64_t *instr, uint64_t *ns, struct run_mem *mem, uint64_t ops)
{
	const struct run_mem *m;

	qsort(instr, reps, sizeof(*instr), cmp_u64);
	qsort(ns, reps, sizeof(*ns), cmp_u64);
	qsort(mem, reps, sizeof(*mem), cmp_mem);
	m = &mem[reps / 2];
	/* alloc,workload,param,ops,pmu instr/op median,min,max,ns/op median,
	 * min,max,peak rss KiB,peak live KiB,rss after free-all(+trim) KiB:
	 * the memory figures of the run whose peak RSS / peak live is the
	 * median of the runs', each run's peak its own */
	printf("%s,%s,%s,%llu,", STR(BENCH_NAME), workload, param, (unsigned long long)ops);
	if (perf_fd >= 0)
		printf("%.1f,%.1f,%.1f,", (double)instr[reps / 2] / ops,
		       (double)instr[0] / ops, (double)instr[reps - 1] / ops);
	else
		printf("n/a,n/a,n/a,");
	printf("%.1f,%.1f,%.1f,%ld,%zu,%zu\n",
	       (double)ns[reps / 2] / ops, (double)ns[0] / ops, (double)ns[reps - 1] / ops,
	       m->hwm_kb, m->live >> 10, m->after_kb);
	fflush(stdout);
}

/*
 * Under callgrind: a warm-up run of @k1 operations, then runs of @k1 and
 * @k2, each alone between zeroed counters and a dump named after the row
 * and the operations it did.  Both windows are multiples of 8192
 * operations where the workload allows, the period of bufpool's
 * count-based cache trim, so each window holds a whole number of trims.
 */
static void run_vg(const char *workload, const char *param, uint64_t (*fn)(void),
		   uint64_t k1, uint64_t k2)
{
	char label[128];
	uint64_t ops;

	ops_req = k1;
	fn();	/* warm-up */
	CALLGRIND_ZERO_STATS;
	ops = fn();
	snprintf(label, sizeof(label), "bench|%s|%s|%s|%llu", STR(BENCH_NAME), workload,
		 param, (unsigned long long)ops);
	CALLGRIND_DUMP_STATS_AT(label);
	ops_req = k2;
	CALLGRIND_ZERO_STATS;
	ops = fn();
	snprintf(label, sizeof(label), "bench|%s|%s|%s|%llu", STR(BENCH_NAME), workload,
		 param, (unsigned long long)ops);
	CALLGRIND_DUMP_STATS_AT(label);
}

static void run(const char *workload, const char *param, int reps, uint64_t ops_n,
		uint64_t (*fn)(void), void (*setup)(void), void (*teardown)(void))
{
	uint64_t instr[64], ns[64], ops = 0;
	struct run_mem mem[64];
	int r;

	if (setup)
		setup();
	if (vg_mode) {
		/* Churn starts empty each run: longer windows, same ratio. */
		if (fn == w_churn)
			run_vg(workload, param, fn, 32768, 98304);
		else
			run_vg(workload, param, fn, 16384, 49152);
		if (teardown)
			teardown();
		return;
	}
	/* One warm-up run so that first-touch costs are not measured. */
	ops_req = ops_n;
	fn();
	for (r = 0; r < reps; r++) {
		uint64_t t0;

		peak_live = 0;
		rss_after = 0;
		hwm_reset();
		perf_start();
		t0 = now_ns();
		ops = fn();
		ns[r] = now_ns() - t0;
		instr[r] = perf_stop();
		mem[r] = (struct run_mem){ hwm_kb(), peak_live, rss_after };
	}
	if (teardown)
		teardown();
	print_row(workload, param, reps, instr, ns, mem, ops);
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--callgrind] pingpong|pingpong-sized|bulk|burst|replace|churn|xthread|threads|netty|bufping [REPS]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static const size_t netty_sizes[] = { 64, 1024, 8192, 32768 };
	static const size_t netty_n[] = { 1, 100, 10000 };
	const char *w;
	char param[32];
	int reps;
	size_t i, j;

	if (argc > 1 && !strcmp(argv[1], "--callgrind")) {
		if (!RUNNING_ON_VALGRIND) {
			fprintf(stderr, "bench: --callgrind: run me under valgrind --tool=callgrind\n");
			return 2;
		}
		vg_mode = 1;
		argv++;
		argc--;
	}
	if (argc < 2)
		usage(argv[0]);
	w = argv[1];
	reps = argc > 2 ? atoi(argv[2]) : 7;
	if (reps < 1 || reps > 64) {
		fprintf(stderr, "bench: REPS must be 1..64\n");
		return 2;
	}
	alloc_init();
	if (!vg_mode)
		perf_open();
	slots = calloc(CHURN_THREADS * PER_THREAD > CHURN_SLOTS ?
		       CHURN_THREADS * PER_THREAD : CHURN_SLOTS, sizeof(*slots));
	churn_len = calloc(CHURN_SLOTS, sizeof(*churn_len));
	if (!slots || !churn_len)
		return 1;

	if (!strcmp(w, "pingpong") || !strcmp(w, "pingpong-sized") || !strcmp(w, "bulk")) {
		uint64_t (*fn)(void) = !strcmp(w, "pingpong") ? w_pingpong :
				       !strcmp(w, "bulk") ? w_bulk : w_pingpong_sized;

		for (arg_size = 16; arg_size <= 32768; arg_size *= 2) {
			snprintf(param, sizeof(param), "%zu", arg_size);
			run(w, param, reps, 196608, fn, NULL, NULL);
		}
#if defined(BENCH_BUFPOOL)
	} else if (!strcmp(w, "bufping")) {
		static const char *const level[] = { "simple", "disabled", "advanced", "paranoid" };
		static const unsigned int order[] = { 1, 0, 2, 3 };

		for (i = 0; i < 4; i++) {
			struct bufpool_config cfg;

			bufpool_config_init(&cfg);
			cfg.leak_detection = order[i];
			buf_pool = bufpool_create(&cfg);
			if (!buf_pool)
				return 1;
			run(w, level[order[i]], reps, 200000, w_bufping, NULL, NULL);
			bufpool_destroy(buf_pool);
		}
#endif
	} else if (!strcmp(w, "burst")) {
		static const size_t ns_[] = { 1, 16, 256, 1000, 10000 };

		for (arg_fifo = 0; arg_fifo < 2; arg_fifo++) {
			for (i = 0; i < 5; i++) {
				arg_n = ns_[i];
				snprintf(param, sizeof(param), "%s-%zu",
					 arg_fifo ? "fifo" : "lifo", arg_n);
				run(w, param, reps, 200000, w_burst, NULL, NULL);
			}
		}
	} else if (!strcmp(w, "netty")) {
		/*
		 * The rows of bench/netty/NettyBench.java, same shapes and
		 * counts: ping-pong and LIFO bursts at Netty's size classes,
		 * then the buffer loop.
		 */
		for (i = 0; i < 4; i++) {
			arg_size = netty_sizes[i];
			snprintf(param, sizeof(param), "pingpong-%zu", arg_size);
			run(w, param, reps, 200000, w_pingpong, NULL, NULL);
			for (j = 0; j < 3; j++) {
				arg_n = netty_n[j];
				snprintf(param, sizeof(param), "burst%zu-%zu", arg_n, arg_size);
				run(w, param, reps, 200000, w_burst, NULL, NULL);
			}
		}
#if defined(BENCH_BUFPOOL)
		buf_pool = bufpool_create(NULL);
		if (!buf_pool)
			return 1;
		buf_initial = 256;
		buf_max = INT32_MAX;
		run(w, "bufloop-256", reps, 200000, w_bufping, NULL, NULL);
		bufpool_destroy(buf_pool);
#endif
	} else if (!strcmp(w, "replace")) {
		run(w, "8192-slots", reps, 100000, w_replace, replace_setup, replace_teardown);
	} else if (!strcmp(w, "churn")) {
		run(w, "skewed", reps, 200000, w_churn, NULL, NULL);
	} else if (!strcmp(w, "xthread")) {
		run(w, "producer-consumer", reps, 200 * XBATCH, w_xthread, NULL, NULL);
	} else if (!strcmp(w, "threads")) {
		run(w, "100x1000", reps, CHURN_THREADS * PER_THREAD, w_threads, NULL, NULL);
	} else {
		usage(argv[0]);
	}
	return 0;
}
