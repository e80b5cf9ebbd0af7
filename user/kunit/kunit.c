// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * kunit.c - runs the KUnit suites compiled into this program (see
 * user/include/kunit/test.h) and prints KTAP in the kernel executor's
 * layout: suites at the top level, cases indented four spaces, parameters
 * eight.  Exit status 1 if any case failed.
 *
 * Usage: bufpool_kunit [SUITE-GLOB]
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <kunit/test.h>

#define MAX_SUITES	64

static struct kunit_suite *all_suites[MAX_SUITES];
static int nr_suites;

struct kunit_mem {
	struct kunit_mem *next;
	/* the caller's memory follows, aligned like malloc's */
	max_align_t data[];
};

/**
 * kunit_register_suites() - add suites to the run (kunit_test_suites())
 * @suites: NULL-terminated array
 *
 * Context: a constructor, before main().
 */
void kunit_register_suites(struct kunit_suite **suites)
{
	for (; *suites; suites++) {
		if (nr_suites == MAX_SUITES) {
			fprintf(stderr, "kunit: more than %d suites\n", MAX_SUITES);
			exit(2);
		}
		all_suites[nr_suites++] = *suites;
	}
}

/**
 * kunit_kmalloc_array() - memory freed when the current case ends
 * @test: the case
 * @n: elements
 * @size: bytes each
 * @gfp: __GFP_ZERO zeroes it
 *
 * Context: a test case.
 * Return: the memory, or NULL on overflow or exhaustion.
 */
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	struct kunit_mem *m;
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes) ||
	    __builtin_add_overflow(bytes, sizeof(*m), &bytes))
		return NULL;
	m = (gfp & __GFP_ZERO) ? calloc(1, bytes) : malloc(bytes);
	if (!m)
		return NULL;
	m->next = test->mem;
	test->mem = m;
	return m->data;
}

/**
 * kunit_fail() - record a failed expectation or assertion
 * @test: the case
 * @is_assert: an assertion: leave the case now
 * @file: where
 * @line: where
 * @fmt: what, printf-style
 *
 * Context: a test case.
 */
void kunit_fail(struct kunit *test, bool is_assert, const char *file, int line,
		const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_FAILURE;
	printf(KUNIT_SUBTEST_INDENT "# %s: %s FAILED at %s:%d\n" KUNIT_SUBTEST_INDENT,
	       test->name, is_assert ? "ASSERTION" : "EXPECTATION", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (is_assert)
		longjmp(*test->abort, 1);
}

/**
 * kunit_do_skip() - mark the case skipped and leave it (kunit_skip())
 * @test: the case
 * @fmt: why, printf-style
 *
 * Context: a test case.
 */
void kunit_do_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	longjmp(*test->abort, 1);
}

/* One run of a case (one parameter), with init/exit and its memory. */
static enum kunit_status run_one(struct kunit_suite *suite, struct kunit_case *c,
				 const void *param, char *comment, size_t len)
{
	struct kunit test = { .name = c->name, .param_value = param };
	jmp_buf env;

	test.abort = &env;
	if (!setjmp(env)) {
		if (suite->init && suite->init(&test)) {
			test.status = KUNIT_FAILURE;
		} else {
			c->run_case(&test);
		}
	}
	if (suite->exit)
		suite->exit(&test);
	while (test.mem) {
		struct kunit_mem *m = test.mem;

		test.mem = m->next;
		free(m);
	}
	snprintf(comment, len, "%s", test.status_comment);
	return test.status;
}

static const char *ok_str(enum kunit_status s)
{
	return s == KUNIT_FAILURE ? "not ok" : "ok";
}

static void print_result(const char *indent, enum kunit_status s, int n,
			 const char *name, const char *comment)
{
	printf("%s%s %d %s%s%s\n", indent, ok_str(s), n, name,
	       s == KUNIT_SKIPPED ? " # SKIP " : "",
	       s == KUNIT_SKIPPED ? comment : "");
}

static enum kunit_status run_case(struct kunit_suite *suite, struct kunit_case *c,
				  int n, unsigned long *counts)
{
	char comment[256] = "";
	enum kunit_status s;

	if (!c->generate_params) {
		s = run_one(suite, c, NULL, comment, sizeof(comment));
	} else {
		char desc[KUNIT_PARAM_DESC_SIZE];
		const void *param;
		int p = 0, fails = 0, runs = 0, skips = 0;

		printf(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "KTAP version 1\n");
		printf(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "# Subtest: %s\n", c->name);
		for (param = c->generate_params(NULL, desc); param;
		     param = c->generate_params(param, desc)) {
			enum kunit_status ps = run_one(suite, c, param, comment, sizeof(comment));

			print_result(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT, ps, ++p,
				     desc, comment);
			runs++;
			fails += ps == KUNIT_FAILURE;
			skips += ps == KUNIT_SKIPPED;
			desc[0] = '\0';
		}
		s = fails ? KUNIT_FAILURE : (runs && skips == runs) ? KUNIT_SKIPPED : KUNIT_SUCCESS;
		comment[0] = '\0';
	}
	counts[s]++;
	print_result(KUNIT_SUBTEST_INDENT, s, n, c->name, comment);
	return s;
}

int main(int argc, char **argv)
{
	const char *glob = argc > 1 ? argv[1] : "*";
	unsigned long totals[3] = { 0 };
	int i, n = 0, selected = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < nr_suites; i++)
		selected += !fnmatch(glob, all_suites[i]->name, 0);
	printf("KTAP version 1\n1..%d\n", selected);
	for (i = 0; i < nr_suites; i++) {
		struct kunit_suite *suite = all_suites[i];
		unsigned long counts[3] = { 0 };
		struct kunit_case *c;
		int ncases = 0, k = 0;

		if (fnmatch(glob, suite->name, 0))
			continue;
		for (c = suite->test_cases; c->run_case; c++)
			ncases++;
		printf(KUNIT_SUBTEST_INDENT "KTAP version 1\n");
		printf(KUNIT_SUBTEST_INDENT "# Subtest: %s\n", suite->name);
		printf(KUNIT_SUBTEST_INDENT "1..%d\n", ncases);
		if (suite->suite_init && suite->suite_init(suite)) {
			printf("not ok %d %s # suite_init failed\n", ++n, suite->name);
			totals[KUNIT_FAILURE]++;
			continue;
		}
		for (c = suite->test_cases; c->run_case; c++)
			run_case(suite, c, ++k, counts);
		if (suite->suite_exit)
			suite->suite_exit(suite);
		printf("# %s: pass:%lu fail:%lu skip:%lu total:%d\n", suite->name,
		       counts[KUNIT_SUCCESS], counts[KUNIT_FAILURE], counts[KUNIT_SKIPPED], ncases);
		printf("%s %d %s\n", counts[KUNIT_FAILURE] ? "not ok" : "ok", ++n, suite->name);
		for (k = 0; k < 3; k++)
			totals[k] += counts[k];
	}
	printf("# Totals: pass:%lu fail:%lu skip:%lu\n",
	       totals[KUNIT_SUCCESS], totals[KUNIT_FAILURE], totals[KUNIT_SKIPPED]);
	return totals[KUNIT_FAILURE] ? 1 : 0;
}
