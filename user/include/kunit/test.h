/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Shim: the subset of KUnit's <kunit/test.h> bufpool's suites use, so that
 * kmod/tests/ suites compile unchanged into a userspace program
 * (user/kunit/kunit.c runs them and prints KTAP like the kernel's executor).
 *
 * Differences from the kernel: an ASSERT or kunit_skip() leaves the case
 * with longjmp() instead of ending the case's kthread; resources are only
 * kunit_kzalloc()/kunit_kmalloc_array() memory; values in failure messages
 * are printed as long long (pointers as %p).
 */
#ifndef _BUFPOOL_SHIM_KUNIT_TEST_H
#define _BUFPOOL_SHIM_KUNIT_TEST_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/kernel.h>

#define KUNIT_PARAM_DESC_SIZE	128
#define KUNIT_SUBTEST_INDENT	"    "

enum kunit_status { KUNIT_SUCCESS, KUNIT_FAILURE, KUNIT_SKIPPED };

struct kunit_mem;

struct kunit {
	const char *name;
	enum kunit_status status;
	const void *param_value;
	void *priv;
	jmp_buf *abort;
	struct kunit_mem *mem;
	char status_comment[256];
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(test_name)	{ .run_case = test_name, .name = #test_name }
#define KUNIT_CASE_PARAM(test_name, gen)				\
	{ .run_case = test_name, .name = #test_name, .generate_params = gen }

#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		__typeof__((array)[0]) *__next = prev ? ((__typeof__(__next))prev) + 1 : (array); \
		if ((size_t)(__next - (array)) < ARRAY_SIZE((array))) {	\
			void (*__get_desc)(__typeof__(__next), char *) = get_desc; \
			if (__get_desc)					\
				__get_desc(__next, desc);		\
			return __next;					\
		}							\
		return NULL;						\
	}

void kunit_register_suites(struct kunit_suite **suites);

#define kunit_test_suites(...)						\
	static struct kunit_suite *__kunit_suites[] = { __VA_ARGS__, NULL }; \
	__attribute__((constructor)) static void __kunit_register(void)	\
	{								\
		kunit_register_suites(__kunit_suites);			\
	}
#define kunit_test_suite(suite)	kunit_test_suites(&suite)

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp);
static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp | __GFP_ZERO);
}
static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

void kunit_fail(struct kunit *test, bool is_assert, const char *file, int line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void kunit_do_skip(struct kunit *test, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define kunit_info(test, fmt, ...)					\
	printf(KUNIT_SUBTEST_INDENT "# %s: " fmt "\n", (test)->name, ##__VA_ARGS__)
#define kunit_skip(test, fmt, ...)	kunit_do_skip(test, fmt, ##__VA_ARGS__)

#define __KUNIT_BINARY(test, is_assert, l, op, r, fmt, ...) do {	\
	__typeof__(l) __l = (l);					\
	__typeof__(r) __r = (r);					\
	if (!(__l op __r))						\
		kunit_fail(test, is_assert, __FILE__, __LINE__,		\
			   "Expected %s %s %s, but %s == %lld, %s == %lld" fmt, \
			   #l, #op, #r, #l, (long long)__l, #r, (long long)__r, \
			   ##__VA_ARGS__);				\
} while (0)

#define __KUNIT_PTR(test, is_assert, l, op, r, fmt, ...) do {		\
	const void *__l = (l), *__r = (r);				\
	if (!(__l op __r))						\
		kunit_fail(test, is_assert, __FILE__, __LINE__,		\
			   "Expected %s %s %s, but %s == %p, %s == %p" fmt, \
			   #l, #op, #r, #l, __l, #r, __r, ##__VA_ARGS__);	\
} while (0)

#define __KUNIT_COND(test, is_assert, cond, fmt, ...) do {		\
	if (!(cond))							\
		kunit_fail(test, is_assert, __FILE__, __LINE__,		\
			   "Expected %s to be true" fmt, #cond, ##__VA_ARGS__); \
} while (0)

#define __KUNIT_NL	"\n" KUNIT_SUBTEST_INDENT

#define KUNIT_EXPECT_TRUE(t, c)		__KUNIT_COND(t, false, c, "")
#define KUNIT_EXPECT_FALSE(t, c)	__KUNIT_COND(t, false, !(c), "")
#define KUNIT_EXPECT_EQ(t, l, r)	__KUNIT_BINARY(t, false, l, ==, r, "")
#define KUNIT_EXPECT_NE(t, l, r)	__KUNIT_BINARY(t, false, l, !=, r, "")
#define KUNIT_EXPECT_LT(t, l, r)	__KUNIT_BINARY(t, false, l, <, r, "")
#define KUNIT_EXPECT_LE(t, l, r)	__KUNIT_BINARY(t, false, l, <=, r, "")
#define KUNIT_EXPECT_GT(t, l, r)	__KUNIT_BINARY(t, false, l, >, r, "")
#define KUNIT_EXPECT_GE(t, l, r)	__KUNIT_BINARY(t, false, l, >=, r, "")
#define KUNIT_EXPECT_PTR_EQ(t, l, r)	__KUNIT_PTR(t, false, l, ==, r, "")
#define KUNIT_EXPECT_PTR_NE(t, l, r)	__KUNIT_PTR(t, false, l, !=, r, "")
#define KUNIT_EXPECT_NULL(t, p)		__KUNIT_PTR(t, false, p, ==, NULL, "")
#define KUNIT_EXPECT_NOT_NULL(t, p)	__KUNIT_PTR(t, false, p, !=, NULL, "")
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p) \
	__KUNIT_COND(t, false, (p) && !IS_ERR(p), "")
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...) \
	__KUNIT_COND(t, false, c, __KUNIT_NL fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...) \
	__KUNIT_COND(t, false, !(c), __KUNIT_NL fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...) \
	__KUNIT_BINARY(t, false, l, ==, r, __KUNIT_NL fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, fmt, ...) \
	__KUNIT_BINARY(t, false, l, !=, r, __KUNIT_NL fmt, ##__VA_ARGS__)

#define KUNIT_ASSERT_TRUE(t, c)		__KUNIT_COND(t, true, c, "")
#define KUNIT_ASSERT_FALSE(t, c)	__KUNIT_COND(t, true, !(c), "")
#define KUNIT_ASSERT_EQ(t, l, r)	__KUNIT_BINARY(t, true, l, ==, r, "")
#define KUNIT_ASSERT_NE(t, l, r)	__KUNIT_BINARY(t, true, l, !=, r, "")
#define KUNIT_ASSERT_LT(t, l, r)	__KUNIT_BINARY(t, true, l, <, r, "")
#define KUNIT_ASSERT_LE(t, l, r)	__KUNIT_BINARY(t, true, l, <=, r, "")
#define KUNIT_ASSERT_GT(t, l, r)	__KUNIT_BINARY(t, true, l, >, r, "")
#define KUNIT_ASSERT_GE(t, l, r)	__KUNIT_BINARY(t, true, l, >=, r, "")
#define KUNIT_ASSERT_NOT_NULL(t, p)	__KUNIT_PTR(t, true, p, !=, NULL, "")
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p) \
	__KUNIT_COND(t, true, (p) && !IS_ERR(p), "")
#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...) \
	__KUNIT_BINARY(t, true, l, ==, r, __KUNIT_NL fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...) \
	__KUNIT_COND(t, true, c, __KUNIT_NL fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(t, c, fmt, ...) \
	__KUNIT_COND(t, true, !(c), __KUNIT_NL fmt, ##__VA_ARGS__)
#define KUNIT_FAIL(t, fmt, ...) \
	kunit_fail(t, false, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

#endif
