// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sizeclass_kunit.c - KUnit suite "bufpool_sizeclass": normalization of
 * request sizes, class boundaries, pool-list indexes, geometry checks.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "geometry.h"

struct norm_case {
	unsigned int page_size, max_order;
	size_t request, norm;
	enum bufpool_class cls;
};

/* Every boundary of the seed's geometry (8 KiB << 9 = 4 MiB) and of 4 KiB pages. */
static const struct norm_case norm_cases[] = {
	{ 8192, 9, 0, 16, BUFPOOL_CLASS_TINY },
	{ 8192, 9, 1, 16, BUFPOOL_CLASS_TINY },
	{ 8192, 9, 15, 16, BUFPOOL_CLASS_TINY },
	{ 8192, 9, 16, 16, BUFPOOL_CLASS_TINY },
	{ 8192, 9, 17, 32, BUFPOOL_CLASS_TINY },
	{ 8192, 9, 496, 496, BUFPOOL_CLASS_TINY },
	{ 8192, 9, 497, 512, BUFPOOL_CLASS_SMALL },	/* 512 is not tiny */
	{ 8192, 9, 511, 512, BUFPOOL_CLASS_SMALL },
	{ 8192, 9, 512, 512, BUFPOOL_CLASS_SMALL },
	{ 8192, 9, 513, 1024, BUFPOOL_CLASS_SMALL },
	{ 8192, 9, 4096, 4096, BUFPOOL_CLASS_SMALL },
	{ 8192, 9, 4097, 8192, BUFPOOL_CLASS_NORMAL },
	{ 8192, 9, 8192, 8192, BUFPOOL_CLASS_NORMAL },
	{ 8192, 9, 8193, 16384, BUFPOOL_CLASS_NORMAL },
	{ 8192, 9, 4 << 20, 4 << 20, BUFPOOL_CLASS_NORMAL },
	{ 8192, 9, (4 << 20) + 1, (4 << 20) + 1, BUFPOOL_CLASS_HUGE },
	{ 4096, 10, 2048, 2048, BUFPOOL_CLASS_SMALL },
	{ 4096, 10, 2049, 4096, BUFPOOL_CLASS_NORMAL },
	{ 4096, 0, 4096, 4096, BUFPOOL_CLASS_NORMAL },
	{ 4096, 0, 4097, 4097, BUFPOOL_CLASS_HUGE },
	{ 65536, 6, 32768, 32768, BUFPOOL_CLASS_SMALL },
	{ 65536, 6, 32769, 65536, BUFPOOL_CLASS_NORMAL },
};

static void norm_desc(const struct norm_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes, page %u order %u",
		 c->request, c->page_size, c->max_order);
}

KUNIT_ARRAY_PARAM(norm, norm_cases, norm_desc);

static void sizeclass_normalize(struct kunit *test)
{
	const struct norm_case *c = test->param_value;
	struct bufpool_geometry geo;
	char why[128];
	size_t norm;

	KUNIT_ASSERT_EQ(test, bufpool_geometry_init(&geo, c->page_size, c->max_order,
						    4 << 20, why, sizeof(why)), 0);
	norm = bufpool_normalize(&geo, c->request);
	KUNIT_EXPECT_EQ(test, norm, c->norm);
	KUNIT_EXPECT_EQ(test, bufpool_size_class(&geo, norm), c->cls);
	KUNIT_EXPECT_GE(test, norm, c->request);
}

/* Pool-list indexes: tiny by 16s from 1, small by powers of two from 0. */
static void sizeclass_indexes(struct kunit *test)
{
	size_t s;
	unsigned int i = 1;

	for (s = 16; s < BUFPOOL_TINY_LIMIT; s += 16)
		KUNIT_EXPECT_EQ(test, bufpool_tiny_idx(s), i++);
	KUNIT_EXPECT_EQ(test, i, BUFPOOL_NR_TINY_POOLS);
	for (s = 512, i = 0; s <= 32768; s *= 2)
		KUNIT_EXPECT_EQ(test, bufpool_small_idx(s), i++);
	KUNIT_EXPECT_EQ(test, i, BUFPOOL_NR_SMALL_POOLS_MAX);
}

struct geo_case {
	unsigned int page_size, max_order;
	int ret;
	const char *names;	/* what the message must mention */
};

static const struct geo_case geo_cases[] = {
	{ 8192, 9, 0, NULL },
	{ 4096, 10, 0, NULL },
	{ 65536, 6, 0, NULL },
	{ 4096, 0, 0, NULL },
	{ 8192, 10, -EINVAL, "max_order=10" },		/* 8 MiB > 4 MiB */
	{ 65536, 7, -EINVAL, "max_order=7" },
	{ 4095, 9, -EINVAL, "page_size=4095" },
	{ 2048, 9, -EINVAL, "page_size=2048" },
	{ 131072, 0, -EINVAL, "page_size=131072" },
	{ 12288, 2, -EINVAL, "page_size=12288" },	/* not a power of two */
	{ 0, 9, -EINVAL, "page_size=0" },
	{ 4096, 15, -EINVAL, "max_order=15" },
};

static void geo_desc(const struct geo_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "page_size %u max_order %u",
		 c->page_size, c->max_order);
}

KUNIT_ARRAY_PARAM(geo, geo_cases, geo_desc);

/* With a 4 MiB chunk limit (the kernel's), as a module parameter would be. */
static void sizeclass_geometry_check(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct bufpool_geometry geo;
	char why[128] = "";
	int ret = bufpool_geometry_init(&geo, c->page_size, c->max_order, 4 << 20,
					why, sizeof(why));

	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_TRUE_MSG(test, strstr(why, c->names), "message: %s", why);
		KUNIT_EXPECT_TRUE_MSG(test, strstr(why, ".."), "no range in: %s", why);
	} else {
		KUNIT_EXPECT_EQ(test, geo.chunk_size, (size_t)c->page_size << c->max_order);
		KUNIT_EXPECT_EQ(test, 1u << geo.page_shift, c->page_size);
		KUNIT_EXPECT_EQ(test, geo.nr_small_pools, geo.page_shift - 9);
	}
}

static struct kunit_case sizeclass_cases[] = {
	KUNIT_CASE_PARAM(sizeclass_normalize, norm_gen_params),
	KUNIT_CASE(sizeclass_indexes),
	KUNIT_CASE_PARAM(sizeclass_geometry_check, geo_gen_params),
	{}
};

static struct kunit_suite sizeclass_suite = {
	.name = "bufpool_sizeclass",
	.test_cases = sizeclass_cases,
};

kunit_test_suites(&sizeclass_suite);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("KUnit suites for bufpool's buddy tree, bitmaps and size classes");
MODULE_IMPORT_NS(BUFPOOL_INTERNAL);
