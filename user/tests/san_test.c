// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * san_test.c - memory checkers see pooled memory (core/sanitize.h).
 *
 * One source, two builds:
 *
 *   build/asan/san_test      library and test under AddressSanitizer
 *   build/valgrind/san_test  library with -DBUFPOOL_VALGRIND (memcheck
 *                            client requests); each plant runs under
 *                            `valgrind` (from PATH)
 *
 * Without arguments it is the TAP runner: each planted bug - for every
 * class (tiny, small, normal, huge) a read after free and a one-byte write
 * past the requested size - runs as a child (`san_test plant CLASS BUG`)
 * that must be reported by the checker, as the kind of bug expected (ASan
 * also stops it there; memcheck goes on and exits with status 99).  A clean child (the same allocations used
 * within bounds, reused from the cache, the usable size asked for and
 * used, a pool destroyed with live allocations) must run without one
 * report: the hooks must not cry wolf.  Under valgrind a leaked buffer
 * must show as definitely lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bufpool.h>

#ifdef BUFPOOL_VALGRIND
#define CHECKER "valgrind"
#else
#define CHECKER "asan"
#endif

struct plant_class {
	const char *name;
	size_t size;		/* requested; chunk-relative for huge */
	int huge;
};

static const struct plant_class classes[] = {
	/* Odd sizes: the redzone starts inside an 8-byte shadow granule. */
	{ "tiny", 33, 0 },	/* 48-byte element */
	{ "small", 1001, 0 },	/* 1 KiB element */
	{ "normal", 9001, 0 },	/* 16 KiB run */
	{ "huge", 101, 1 },	/* chunk size + 101: page-rounded mapping */
};

static struct bufpool *new_pool(size_t *chunk)
{
	struct bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	cfg.max_order = 6;	/* 512 KiB chunks: less for memcheck to map */
	*chunk = (size_t)cfg.page_size << cfg.max_order;
	return bufpool_create(&cfg);
}

static size_t class_size(const struct plant_class *c, size_t chunk)
{
	return c->huge ? chunk + c->size : c->size;
}

/*
 * An allocation nothing points to once this returns: the pool's second
 * one, or with @first its first, which starts its chunk (the chunk's
 * record keeps that address, hidden from memcheck: see userspace.rst).
 */
static void *volatile kept;	/* volatile: a store the compiler keeps */

static __attribute__((noinline)) void leak_one(struct bufpool *pool, size_t size, bool first)
{
	void *p;

	if (!first)
		kept = bufpool_alloc(pool, size);
	p = bufpool_alloc(pool, size);
	if (p)
		memset(p, 0x5a, size);
	if (first)
		kept = bufpool_alloc(pool, size);
}

/* The child: do one planted bug; returns only if nothing stopped it. */
static int plant(const char *cls, const char *bug)
{
	const struct plant_class *c = NULL;
	volatile char *p;
	struct bufpool *pool;
	size_t chunk, size;
	unsigned int i;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(cls, classes[i].name))
			c = &classes[i];
	pool = new_pool(&chunk);
	if (!c || !pool)
		return 2;
	size = class_size(c, chunk);
	if (!strcmp(bug, "leak") || !strcmp(bug, "leak-first")) {
		leak_one(pool, size, !strcmp(bug, "leak-first"));
		fprintf(stderr, "PLANT-LEAKED %zu\n", size);
		return 0;
	}
	p = bufpool_alloc(pool, size);
	if (!p)
		return 2;
	memset((char *)p, 0x5a, size);	/* all of the request: fine */
	if (!strcmp(bug, "uaf")) {
		bufpool_free(pool, (void *)p);
		(void)p[size / 2];
	} else if (!strcmp(bug, "overflow")) {
		p[size] = 1;
	} else {
		return 2;
	}
	fprintf(stderr, "PLANT-SURVIVED\n");
	return 0;
}

/* The child: everything within bounds, every class, cache reuse included. */
static int clean(void)
{
	size_t chunk, i, n, usable;
	struct bufpool *pool = new_pool(&chunk);
	void *bulk[16];
	char *p[4][8];
	unsigned int c, k;

	if (!pool)
		return 2;
	for (k = 0; k < 3; k++) {	/* rounds 2 and 3 come from the caches */
		for (c = 0; c < 4; c++)
			for (i = 0; i < 8; i++) {
				n = class_size(&classes[c], chunk) + i;
				p[c][i] = bufpool_alloc(pool, n);
				if (!p[c][i])
					return 2;
				memset(p[c][i], (int)(c + i), n);
			}
		for (c = 0; c < 4; c++)
			for (i = 0; i < 8; i++) {
				n = class_size(&classes[c], chunk) + i;
				if (p[c][i][n - 1] != (char)(c + i))
					return 3;
				if (i & 1) {
					bufpool_free_sized(pool, p[c][i], n);
					continue;
				}
				usable = bufpool_usable_size(pool, p[c][i]);
				memset(p[c][i], 1, usable);	/* all of it, once asked */
				bufpool_free(pool, p[c][i]);
			}
	}
	if (bufpool_alloc_bulk(pool, 100, 16, bulk) != 16)
		return 2;
	for (i = 0; i < 16; i++)
		memset(bulk[i], 2, 100);
	bufpool_free_bulk(pool, 16, bulk);
	/* Destroyed with live allocations: the checkers forget them. */
	for (c = 0; c < 4; c++)
		memset(bufpool_alloc(pool, classes[c].size), 3, classes[c].size);
	bufpool_destroy(pool);
	fprintf(stderr, "CLEAN-DONE\n");
	return 0;
}

/* Run "san_test ARGS..." (under valgrind in that build); its stderr into @err. */
static int run_child(const char *self, char *err, size_t len, const char *a1,
		     const char *a2, const char *a3)
{
	char path[] = "/tmp/bufpool-san-XXXXXX";
	int fd = mkstemp(path), status;
	ssize_t got;
	pid_t pid;

	if (fd < 0)
		return -1;
	unlink(path);
	pid = fork();
	if (pid == 0) {
		dup2(fd, 2);
		dup2(open("/dev/null", O_WRONLY), 1);
#ifdef BUFPOOL_VALGRIND
		execlp("valgrind", "valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
		       "--show-leak-kinds=definite", self, a1, a2, a3, (char *)NULL);
#else
		execl(self, self, a1, a2, a3, (char *)NULL);
#endif
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	got = pread(fd, err, len - 1, 0);
	err[got > 0 ? got : 0] = '\0';
	close(fd);
	return status;
}

/* What each checker says about each planted bug. */
static const char *expected(const struct plant_class *c, const char *bug)
{
#ifdef BUFPOOL_VALGRIND
	return !strcmp(bug, "uaf") ? "Invalid read of size 1" : "Invalid write of size 1";
#else
	if (c->huge && !strcmp(bug, "uaf"))	/* unmapped at once */
		return "AddressSanitizer: SEGV";
	return "AddressSanitizer: use-after-poison";
#endif
}

static int n_test, n_failed;

static void report(int ok, const char *what, const char *err)
{
	n_test++;
	if (!ok) {
		n_failed++;
		fprintf(stdout, "# child stderr:\n");
		for (const char *l = err; *l;) {
			const char *nl = strchr(l, '\n');
			int w = nl ? (int)(nl - l) : (int)strlen(l);

			fprintf(stdout, "#   %.*s\n", w, l);
			l += w + (nl != NULL);
		}
	}
	printf("%sok %d - %s %s\n", ok ? "" : "not ", n_test, CHECKER, what);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static char err[1 << 16];
	const char *bugs[] = { "uaf", "overflow" };
	char what[128];
	unsigned int c, b;
	int st;

	if (argc == 4 && !strcmp(argv[1], "plant"))
		return plant(argv[2], argv[3]);
	if (argc == 2 && !strcmp(argv[1], "clean"))
		return clean();
	if (argc != 1) {
		fprintf(stderr, "usage: %s [plant CLASS uaf|overflow|leak|leak-first | clean]\n",
			argv[0]);
		return 2;
	}
#ifdef BUFPOOL_VALGRIND
	printf("1..%zu\n", 2 * sizeof(classes) / sizeof(classes[0]) + 4);
#else
	printf("1..%zu\n", 2 * sizeof(classes) / sizeof(classes[0]) + 1);
#endif
	fflush(stdout);
	for (c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		for (b = 0; b < 2; b++) {
			const char *want = expected(&classes[c], bugs[b]);

			st = run_child(argv[0], err, sizeof(err), "plant", classes[c].name, bugs[b]);
			snprintf(what, sizeof(what), "reports %s %s (\"%s\")", classes[c].name,
				 bugs[b], want);
		#ifdef BUFPOOL_VALGRIND
			/* memcheck reports and goes on: exit 99 says it did (or the SIGSEGV of unmapped memory). */
			report(st != -1 && strstr(err, want) &&
			       ((WIFEXITED(st) && WEXITSTATUS(st) == 99) || WIFSIGNALED(st)),
			       what, err);
#else
			report(st != -1 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0) &&
			       strstr(err, want) && !strstr(err, "PLANT-SURVIVED") &&
			       !strstr(err, "usage:"), what, err);
#endif
		}
	}
	st = run_child(argv[0], err, sizeof(err), "clean", NULL, NULL);
	report(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(err, "CLEAN-DONE") &&
	       !strstr(err, "ERROR") && !strstr(err, "Invalid"),
	       "is silent on correct use of every class", err);
#ifdef BUFPOOL_VALGRIND
	st = run_child(argv[0], err, sizeof(err), "plant", "tiny", "leak");
	report(st != -1 && strstr(err, "PLANT-LEAKED") &&
	       strstr(err, "33 bytes in 1 blocks are definitely lost"),
	       "reports a leaked tiny buffer as definitely lost", err);
	st = run_child(argv[0], err, sizeof(err), "plant", "tiny", "leak-first");
	report(st != -1 && strstr(err, "PLANT-LEAKED") &&
	       strstr(err, "33 bytes in 1 blocks are definitely lost"),
	       "reports a leaked first element of a chunk as definitely lost", err);
	{
		char want[96];
		size_t chunk, n;

		bufpool_destroy(new_pool(&chunk));
		n = class_size(&classes[3], chunk);	/* valgrind writes 524,389 */
		snprintf(want, sizeof(want), "%zu,%03zu bytes in 1 blocks are definitely lost",
			 n / 1000, n % 1000);
		st = run_child(argv[0], err, sizeof(err), "plant", "huge", "leak");
		report(st != -1 && strstr(err, "PLANT-LEAKED") && strstr(err, want),
		       "reports a leaked huge allocation as definitely lost", err);
	}
#endif
	return n_failed ? 1 : 0;
}
