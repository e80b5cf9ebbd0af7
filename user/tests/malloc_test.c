// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * malloc_test.c - libbufpool-malloc.so's malloc family at its edges, with
 * the kselftest harness (each test in its own child process).  Linked
 * against the library, so malloc() here is the pool's; run with the
 * default configuration (BUFPOOL_CONF unset): 8 KiB pages, 16 MiB chunks.
 *
 * That the pool, and not glibc, answered is told by the usable sizes: a
 * 100-byte request is a 112-byte element here and 104 bytes in glibc.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"

#define CHUNK	((size_t)16 << 20)

void *__libc_malloc(size_t size);
void *__libc_memalign(size_t align, size_t size);

static void fill(void *p, size_t n, unsigned int seed)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = (unsigned char)(seed * 131 + i * 7);
}

static int check(const void *p, size_t n, unsigned int seed)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i] != (unsigned char)(seed * 131 + i * 7))
			return 0;
	return 1;
}

/* Sizes and offsets the compiler must not see through (its warnings). */
static size_t opaque(size_t n)
{
	volatile size_t v = n;

	return v;
}

/* The pool's class for @n: 16-byte steps below 512, then powers of two. */
static size_t pool_class(size_t n)
{
	size_t c = 512;

	if (n < 512)
		return n ? (n + 15) & ~(size_t)15 : 16;
	while (c < n)
		c <<= 1;
	return c;
}

TEST(malloc_aligned_and_sized_by_the_pool)
{
	size_t n;

	for (n = 0; n <= 70000; n += (n < 1100 ? 1 : 997)) {
		char *p = malloc(n);

		ASSERT_NE(NULL, p);
		ASSERT_EQ(0, (uintptr_t)p % 16) TH_LOG("malloc(%zu) = %p", n, p);
		ASSERT_EQ(pool_class(n), malloc_usable_size(p)) TH_LOG("size %zu", n);
		/* All of the usable size is the caller's. */
		fill(p, malloc_usable_size(p), n);
		ASSERT_TRUE(check(p, malloc_usable_size(p), n));
		free(p);
	}
	free(NULL);
	ASSERT_EQ(0, malloc_usable_size(NULL));
}

TEST(huge_allocations)
{
	size_t sizes[] = { CHUNK + 1, 3 * CHUNK + 12345 };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		char *p = malloc(sizes[i]);

		ASSERT_NE(NULL, p);
		ASSERT_EQ(0, (uintptr_t)p % 4096);
		ASSERT_GE(malloc_usable_size(p), sizes[i]);
		ASSERT_LT(malloc_usable_size(p), sizes[i] + 4096);
		p[0] = 1;
		p[sizes[i] - 1] = 2;
		free(p);
	}
	errno = 0;
	ASSERT_EQ(NULL, malloc(opaque(SIZE_MAX - 100)));
	ASSERT_EQ(ENOMEM, errno);
}

TEST(alignments)
{
	size_t sizes[] = { 0, 1, 15, 16, 17, 100, 511, 512, 4097, 8192, 100000, 1 << 20, CHUNK,
			   CHUNK + 1 };
	size_t align;
	unsigned int i;

	for (align = 1; align <= 2 * CHUNK; align <<= 1) {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t n = sizes[i];
			void *p = NULL, *q, *r;

			if (align >= sizeof(void *)) {
				ASSERT_EQ(0, posix_memalign(&p, align, n));
				ASSERT_EQ(0, (uintptr_t)p % align) TH_LOG("%zu/%zu: %p", align, n, p);
				ASSERT_GE(malloc_usable_size(p), n);
				fill(p, n < 4096 ? n : 4096, 3);
			}
			q = aligned_alloc(align, n);
			r = memalign(align, n);
			ASSERT_NE(NULL, q);
			ASSERT_NE(NULL, r);
			ASSERT_EQ(0, (uintptr_t)q % align);
			ASSERT_EQ(0, (uintptr_t)r % align);
			ASSERT_GE(malloc_usable_size(q), n);
			free(p);
			free(q);
			free(r);
		}
	}
}

TEST(aligned_from_the_pool_class)
{
	void *p;

	/* 64-aligned 100 bytes: the 128-byte class, itself 128-aligned. */
	ASSERT_EQ(0, posix_memalign(&p, 64, 100));
	ASSERT_EQ(128, malloc_usable_size(p));
	free(p);
	/* A page-aligned page: the 8 KiB run... of a 4 KiB request: 4 KiB class. */
	ASSERT_EQ(0, posix_memalign(&p, 4096, 4096));
	ASSERT_EQ(4096, malloc_usable_size(p));
	free(p);
	ASSERT_EQ(0, posix_memalign(&p, 1 << 20, 10));
	ASSERT_EQ(1 << 20, malloc_usable_size(p));
	free(p);
}

TEST(bad_alignments)
{
	void *p = (void *)1;
	int e;

	errno = 1234;
	ASSERT_EQ(EINVAL, posix_memalign(&p, 24, 10));
	ASSERT_EQ(EINVAL, posix_memalign(&p, 4, 10));	/* not a multiple of void * */
	ASSERT_EQ(EINVAL, posix_memalign(&p, 0, 10));
	ASSERT_EQ((void *)1, p);
	ASSERT_EQ(ENOMEM, posix_memalign(&p, 64, opaque(SIZE_MAX - 10)));
	ASSERT_EQ((void *)1, p);
	ASSERT_EQ(1234, errno);
	errno = 0;
	ASSERT_EQ(NULL, aligned_alloc(24, 10));
	ASSERT_EQ(EINVAL, errno);
	/* memalign rounds a non-power of two up, as glibc does. */
	p = memalign(24, 10);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, (uintptr_t)p % 32);
	free(p);
	errno = 0;
	e = 0;
	p = memalign(opaque(SIZE_MAX), 10);
	e = errno;
	ASSERT_EQ(NULL, p);
	ASSERT_EQ(EINVAL, e);
}

TEST(valloc_pvalloc)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *p = valloc(100), *q = pvalloc(page + 1), *r = pvalloc(0);

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, q);
	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, (uintptr_t)p % page);
	ASSERT_EQ(0, (uintptr_t)q % page);
	ASSERT_GE(malloc_usable_size(q), 2 * page);
	ASSERT_GE(malloc_usable_size(r), page);
	memset(q, 1, 2 * page);
	free(p);
	free(q);
	free(r);
	errno = 0;
	ASSERT_EQ(NULL, pvalloc(opaque(SIZE_MAX - 10)));
	ASSERT_EQ(ENOMEM, errno);
}

TEST(calloc_zeroes_reused_memory)
{
	size_t sizes[] = { 1, 100, 496, 3000, 20000, 100000, CHUNK + 5 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i], j;
		unsigned char *p = malloc(n);

		memset(p, 0xa5, malloc_usable_size(p));
		free(p);
		p = calloc(n, 1);
		ASSERT_NE(NULL, p);
		for (j = 0; j < n; j++)
			ASSERT_EQ(0, p[j]) TH_LOG("size %zu byte %zu", n, j);
		free(p);
	}
	errno = 0;
	ASSERT_EQ(NULL, calloc(opaque(SIZE_MAX / 2), 3));
	ASSERT_EQ(ENOMEM, errno);
	errno = 0;
	ASSERT_EQ(NULL, calloc(opaque((size_t)1 << 33), (size_t)1 << 33));
	ASSERT_EQ(ENOMEM, errno);
	free(calloc(0, 10));
}

/* Resident pages of the process, from /proc/self/statm. */
static long resident_pages(void)
{
	long size = 0, resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = -1;
		fclose(f);
	}
	return resident;
}

TEST(huge_calloc_is_not_written)
{
	size_t n = (size_t)256 << 20;
	long page = sysconf(_SC_PAGESIZE), before = resident_pages();
	unsigned char *p = calloc(n, 1);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, p[0]);
	ASSERT_EQ(0, p[n / 2]);
	ASSERT_EQ(0, p[n - 1]);
	/* Freshly mapped: zero without 256 MiB faulted in. */
	ASSERT_LT((resident_pages() - before) * page, 16 << 20);
	free(p);
}

TEST(realloc_keeps_contents)
{
	size_t n, prev = 0;
	char *p = realloc(NULL, 1);
	uintptr_t addr;

	ASSERT_NE(NULL, p);
	fill(p, 1, 9);
	/* Growth through every kind of class, then back down. */
	for (n = 2; n <= 3 * CHUNK; n = n * 3 / 2 + 1) {
		p = realloc(p, n);
		ASSERT_NE(NULL, p);
		ASSERT_EQ(0, (uintptr_t)p % 16);
		ASSERT_TRUE(check(p, n / 2 > prev ? prev : n / 2, 9)) TH_LOG("grow to %zu", n);
		fill(p, n, 9);
		ASSERT_GE(malloc_usable_size(p), n);
		prev = n;
	}
	for (n = prev; n > 1; n /= 3) {
		p = realloc(p, n);
		ASSERT_NE(NULL, p);
		ASSERT_TRUE(check(p, n, 9)) TH_LOG("shrink to %zu", n);
		ASSERT_GE(malloc_usable_size(p), n);
		/* Shrunk to under half its class: moved to a smaller one. */
		ASSERT_LT(malloc_usable_size(p), pool_class(2 * n + 32));
	}
	/* In place while it fits and fills half (compared as integers: the
	 * compiler may not see a pointer used after realloc()). */
	p = realloc(p, 100);
	addr = (uintptr_t)p;
	p = realloc(p, 112);
	ASSERT_EQ(addr, (uintptr_t)p);
	p = realloc(p, 60);
	ASSERT_EQ(addr, (uintptr_t)p);
	errno = 0;
	ASSERT_EQ(NULL, realloc(p, opaque(SIZE_MAX - 100)));
	ASSERT_EQ(ENOMEM, errno);
	/* realloc(p, 0) frees p, as glibc's. */
	ASSERT_EQ(NULL, realloc(p, 0));
}

TEST(glibc_pointers_go_back_to_glibc)
{
	char *p = __libc_malloc(100), *q = __libc_memalign(4096, 5000);

	ASSERT_NE(NULL, p);
	fill(p, 100, 4);
	ASSERT_GE(malloc_usable_size(p), 100);
	ASSERT_NE(112, malloc_usable_size(p));	/* glibc's size, not a class */
	p = realloc(p, 5000);
	ASSERT_NE(NULL, p);
	ASSERT_TRUE(check(p, 100, 4));
	free(p);
	ASSERT_GE(malloc_usable_size(q), 5000);
	free(q);	/* page-aligned, not the pool's: glibc's too */
}

struct xfer {
	pthread_mutex_t lock;
	void *slot[64];
	int stop;
};

static void *churn(void *arg)
{
	struct xfer *x = arg;
	unsigned int seed = (unsigned int)(uintptr_t)pthread_self(), i;

	for (i = 0; i < 100000; i++) {
		size_t n = (seed = seed * 1103515245 + 12345) >> 16 & 4095;
		unsigned int k = seed % 64;
		char *p = malloc(n + 1), *old;

		if (!p)
			return (void *)1;
		memset(p, (int)(n & 0xff), n + 1);
		p[0] = (char)(n & 0x7f);
		pthread_mutex_lock(&x->lock);
		old = x->slot[k];
		x->slot[k] = p;
		pthread_mutex_unlock(&x->lock);
		if (old)	/* most likely another thread's */
			free(old);
	}
	return NULL;
}

TEST(threads_and_cross_thread_frees)
{
	struct xfer x = { .lock = PTHREAD_MUTEX_INITIALIZER };
	pthread_t t[4];
	void *rv;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn, &x));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &rv));
		ASSERT_EQ(NULL, rv);
	}
	for (i = 0; i < 64; i++)
		free(x.slot[i]);
}

static void *short_lived(void *arg)
{
	void *p = malloc((uintptr_t)arg);

	free(malloc(100));
	return p;	/* freed by the main thread after the exit */
}

TEST(thread_churn)
{
	int i;

	for (i = 0; i < 300; i++) {
		pthread_t t;
		void *p;

		ASSERT_EQ(0, pthread_create(&t, NULL, short_lived, (void *)(uintptr_t)(i * 37 + 1)));
		ASSERT_EQ(0, pthread_join(t, &p));
		ASSERT_NE(NULL, p);
		ASSERT_EQ(pool_class(i * 37 + 1), malloc_usable_size(p));
		free(p);
	}
}

/*
 * A key made after the pool's has its destructor run after the pool's
 * (glibc runs them in key order): the thread is unbound by then, and what
 * it allocates and frees must neither crash nor bind it again.  Its
 * allocation is glibc's (a glibc usable size, not a class).
 */
static pthread_key_t late_key;
static void *late_malloc;

static void late_destructor(void *arg)
{
	free(arg);			/* a pool pointer: to its arena, locked */
	late_malloc = malloc(100);	/* glibc's */
	free(malloc(3000));
}

static void *late_thread(void *arg)
{
	free(malloc(64));		/* binds the thread */
	pthread_setspecific(late_key, malloc(200));
	return NULL;
}

TEST(thread_teardown_after_the_pool_destructor)
{
	pthread_t t;
	int i;

	free(malloc(1));		/* the pool (and its key) exist */
	ASSERT_EQ(0, pthread_key_create(&late_key, late_destructor));
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, pthread_create(&t, NULL, late_thread, NULL));
		ASSERT_EQ(0, pthread_join(t, NULL));
		ASSERT_NE(NULL, late_malloc);
		ASSERT_NE(pool_class(100), malloc_usable_size(late_malloc));
		ASSERT_GE(malloc_usable_size(late_malloc), 100);
		free(late_malloc);
		late_malloc = NULL;
	}
}

static void *fork_churn(void *arg)
{
	volatile int *stop = arg;

	while (!*stop) {
		void *p[16];
		int i;

		for (i = 0; i < 16; i++)
			p[i] = malloc(i * 700 + 1);
		for (i = 0; i < 16; i++)
			free(p[i]);
	}
	return NULL;
}

TEST(fork_while_threads_allocate)
{
	volatile int stop = 0;
	pthread_t t[2];
	int i, status;

	ASSERT_EQ(0, pthread_create(&t[0], NULL, fork_churn, (void *)&stop));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, fork_churn, (void *)&stop));
	for (i = 0; i < 100; i++) {
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (!pid) {
			char *p = malloc(3000), *q = realloc(NULL, 40000);

			alarm(10);	/* a hang is a failure, not a stuck suite */
			memset(p, 1, 3000);
			memset(q, 2, 40000);
			free(p);
			free(q);
			_exit(malloc_usable_size(p = malloc(100)) == 112 ? 0 : 3);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status)) TH_LOG("child %d: status %#x", i, status);
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
	stop = 1;
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
}

/* Run @misuse in a child: it must die of SIGABRT (the harness keeps that
 * signal for its own assertions, so the test forks itself). */
static int dies_of_abort(void (*misuse)(void))
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		misuse();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void *volatile keep;

static void double_free(void)
{
	keep = malloc(100);
	free(keep);
	free(keep);
}

static void interior_free(void)
{
	keep = malloc(100);
	free((char *)keep + opaque(16));
}

TEST(misuse_aborts_as_glibc_does)
{
	ASSERT_TRUE(dies_of_abort(double_free));
	ASSERT_TRUE(dies_of_abort(interior_free));
}

TEST_HARNESS_MAIN
