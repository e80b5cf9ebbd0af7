// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * buf_kunit.c - KUnit suites "bufpool_buf" (refcounted buffers: indexes
 * against a model, byte order, growth, slices, misuse, the recycler, the
 * seed's PoolBufTest) and "bufpool_leak" (leak detection levels).  The
 * same file runs in the debug kernel and, through the KUnit shim, in
 * userspace.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "pool.h"
#include "leak.h"
#include "buf_internal.h"

static struct bufpool *new_pool(struct kunit *test, unsigned int leak, unsigned int rate)
{
	struct bufpool_config cfg = {
		.name = "kunit-buf", .page_size = 4096, .max_order = 10,
		.nr_arenas = 1, .flags = BUFPOOL_F_MISUSE_COUNT,
		.tiny_cache_size = 512, .small_cache_size = 256, .normal_cache_size = 64,
		.max_cached_capacity = 32768, .cache_trim_interval = 8192,
		.leak_detection = leak, .leak_sample_rate = rate,
	};
	char why[128];
	struct bufpool *pool = bufpool_pool_create(&cfg, why, sizeof(why));

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	return pool;
}

static int buf_test_init(struct kunit *test)
{
	test->priv = new_pool(test, BUFPOOL_LEAK_DISABLED, 0);
	return 0;
}

static void buf_test_exit(struct kunit *test)
{
	if (test->priv)
		bufpool_pool_destroy(test->priv);
}

static u32 next_rand(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Netty 4.1.48's PooledByteBuf.maxLength for a buffer of @cap bytes in
 * new_pool()'s geometry (PoolArena.normalizeCapacity(); 4 MiB chunks): 0
 * for 0, then multiples of 16 below 512, powers of two up to the chunk,
 * and a huge buffer's own capacity - written out here, not taken from the
 * pool, so that it checks the pool too.
 */
static size_t netty_max_length(size_t cap)
{
	size_t norm = 512;

	if (cap < 512)
		return ALIGN(cap, 16);
	if (cap > (4 << 20))
		return cap;
	while (norm < cap)
		norm <<= 1;
	return norm;
}

#define MODEL_MAX	1024

/*
 * 3000 random operations on a buffer (max capacity 1024) and on a plain
 * array with two indexes; after each: the same result, indexes and
 * readable bytes, and reader <= writer <= capacity <= max.  The model
 * grows as Netty: into the rest of the element, else to the new capacity.
 */
static void buf_model_random_ops(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	struct bufpool_buf *b = bufpool_new_buf(pool, 16, MODEL_MAX, GFP_KERNEL, _RET_IP_);
	u8 *model = kunit_kzalloc(test, MODEL_MAX, GFP_KERNEL);
	u8 *tmp = kunit_kzalloc(test, MODEL_MAX, GFP_KERNEL);
	size_t r = 0, w = 0, cap = 16, room = netty_max_length(16);
	u32 seed = 12345;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, model);
	KUNIT_ASSERT_NOT_NULL(test, tmp);
	for (i = 0; i < 3000; i++) {
		u32 op = next_rand(&seed) % 7;
		size_t n = next_rand(&seed) % 80, idx = next_rand(&seed) % (cap + 8);
		int want, got;
		size_t k;

		for (k = 0; k < n; k++)
			tmp[k] = (u8)next_rand(&seed);
		switch (op) {
		case 0:	/* write */
			want = n > MODEL_MAX - w ? -ERANGE : 0;
			got = bufpool_buf_write(b, tmp, n);
			if (!want) {
				memcpy(model + w, tmp, n);
				w += n;
				if (w > cap && w <= min_t(size_t, room, MODEL_MAX)) {
					cap = min_t(size_t, room, MODEL_MAX);
				} else if (w > cap) {
					cap = bufpool_buf_new_capacity(w, MODEL_MAX);
					room = netty_max_length(cap);
				}
			}
			break;
		case 1:	/* read */
			want = n > w - r ? -ERANGE : 0;
			got = bufpool_buf_read(b, tmp, n);
			if (!want) {
				KUNIT_ASSERT_EQ(test, 0, memcmp(tmp, model + r, n));
				r += n;
			}
			break;
		case 2:	/* set */
			want = idx > cap || n > cap - idx ? -ERANGE : 0;
			got = bufpool_buf_set(b, idx, tmp, n);
			if (!want)
				memcpy(model + idx, tmp, n);
			break;
		case 3:	/* get */
			want = idx > cap || n > cap - idx ? -ERANGE : 0;
			got = bufpool_buf_get(b, idx, tmp, n);
			if (!want)
				KUNIT_ASSERT_EQ(test, 0, memcmp(tmp, model + idx, n));
			break;
		case 4:	/* skip */
			want = n > w - r ? -ERANGE : 0;
			got = bufpool_buf_skip(b, n);
			if (!want)
				r += n;
			break;
		case 5:	/* discard read bytes */
			want = 0;
			got = bufpool_buf_discard_read_bytes(b);
			memmove(model, model + r, w - r);
			w -= r;
			r = 0;
			break;
		default:	/* set_index, now and then clear */
			if (n < 8) {
				want = 0;
				got = bufpool_buf_clear(b);
				r = 0;
				w = 0;
			} else {
				size_t nr = idx, nw = idx + n;

				want = nr > nw || nw > cap ? -ERANGE : 0;
				got = bufpool_buf_set_index(b, nr, nw);
				if (!want) {
					r = nr;
					w = nw;
				}
			}
			break;
		}
		KUNIT_ASSERT_EQ_MSG(test, want, got, "op %u, step %d", op, i);
		KUNIT_ASSERT_EQ(test, r, bufpool_buf_reader_index(b));
		KUNIT_ASSERT_EQ(test, w, bufpool_buf_writer_index(b));
		KUNIT_ASSERT_EQ(test, cap, bufpool_buf_capacity(b));
		KUNIT_ASSERT_LE(test, bufpool_buf_capacity(b), bufpool_buf_max_capacity(b));
		KUNIT_ASSERT_EQ(test, w - r, bufpool_buf_readable(b));
		KUNIT_ASSERT_EQ(test, 0, memcmp(bufpool_buf_data(b) + r, model + r, w - r));
	}
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
}

/* Every width and byte order: the bytes in memory and the value back. */
static void buf_byte_order(struct kunit *test)
{
	struct bufpool_buf *b = bufpool_new_buf(test->priv, 64, 64, GFP_KERNEL, _RET_IP_);
	u8 raw[8];
	u16 v16;
	u32 v32;
	uint64_t v64;
	u8 v8;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u8(b, 0xa5));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u16(b, 0x0102));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u16_le(b, 0x0102));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u32(b, 0x01020304));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u32_le(b, 0x01020304));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u64(b, 0x0102030405060708ull));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u64_le(b, 0x0102030405060708ull));
	KUNIT_ASSERT_EQ(test, 1 + 2 + 2 + 4 + 4 + 8 + 8, bufpool_buf_readable(b));

	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get(b, 1, raw, 2));
	KUNIT_EXPECT_TRUE(test, raw[0] == 1 && raw[1] == 2);		/* big-endian */
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get(b, 3, raw, 2));
	KUNIT_EXPECT_TRUE(test, raw[0] == 2 && raw[1] == 1);		/* little */
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get(b, 5, raw, 4));
	KUNIT_EXPECT_TRUE(test, raw[0] == 1 && raw[3] == 4);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get(b, 9, raw, 4));
	KUNIT_EXPECT_TRUE(test, raw[0] == 4 && raw[3] == 1);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get(b, 13, raw, 8));
	KUNIT_EXPECT_TRUE(test, raw[0] == 1 && raw[7] == 8);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get(b, 21, raw, 8));
	KUNIT_EXPECT_TRUE(test, raw[0] == 8 && raw[7] == 1);

	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u8(b, &v8));
	KUNIT_EXPECT_EQ(test, 0xa5, v8);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u16(b, &v16));
	KUNIT_EXPECT_EQ(test, 0x0102, v16);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u16_le(b, &v16));
	KUNIT_EXPECT_EQ(test, 0x0102, v16);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u32(b, &v32));
	KUNIT_EXPECT_EQ(test, 0x01020304, v32);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u32_le(b, &v32));
	KUNIT_EXPECT_EQ(test, 0x01020304, v32);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u64(b, &v64));
	KUNIT_EXPECT_EQ(test, 0x0102030405060708ull, v64);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u64_le(b, &v64));
	KUNIT_EXPECT_EQ(test, 0x0102030405060708ull, v64);
	KUNIT_EXPECT_EQ(test, -ERANGE, bufpool_buf_read_u8(b, &v8));	/* nothing left */

	/* get/set at absolute indexes move nothing. */
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_set_u32_le(b, 40, 0xdeadbeef));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get_u32(b, 40, &v32));
	KUNIT_EXPECT_EQ(test, 0xefbeadde, v32);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_set_u64(b, 56, 7));
	KUNIT_EXPECT_EQ(test, -ERANGE, bufpool_buf_set_u64(b, 57, 7));	/* past 64 */
	KUNIT_EXPECT_EQ(test, -ERANGE, bufpool_buf_get_u16_le(b, 63, &v16));
	KUNIT_EXPECT_EQ(test, 29, bufpool_buf_writer_index(b));
	KUNIT_EXPECT_EQ(test, 29, bufpool_buf_reader_index(b));
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
}

/*
 * Netty's calculateNewCapacity, and the capacities writes go through.
 * Every want is what Netty 4.1.48 returns (NettyGrowth.java prints them)
 * but { 1000, 700 }: Netty throws IllegalArgumentException for min > max,
 * bufpool_buf_new_capacity() returns max (growth never asks it that).
 */
static void buf_growth_rule(struct kunit *test)
{
	static const struct { size_t min, max, want; } cases[] = {
		{ 0, 1 << 30, 64 }, { 1, 1 << 30, 64 }, { 64, 1 << 30, 64 },
		{ 65, 1 << 30, 128 }, { 1000, 1 << 30, 1024 }, { 1000, 700, 700 },
		{ (4 << 20) - 1, 1 << 30, 4 << 20 }, { 4 << 20, 1 << 30, 4 << 20 },
		{ (4 << 20) + 1, 1 << 30, 8 << 20 }, { 8 << 20, 1 << 30, 12 << 20 },
		{ (8 << 20) + 5, 1 << 30, 12 << 20 }, { (8 << 20) + 5, 10 << 20, 10 << 20 },
		{ 700, 700, 700 }, { 9 << 20, 10 << 20, 10 << 20 },
	};
	struct bufpool_buf *b;
	size_t last = 0, seen[16], n = 0, i;
	u8 byte = 1;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, cases[i].want,
				    bufpool_buf_new_capacity(cases[i].min, cases[i].max),
				    "min %zu max %zu", cases[i].min, cases[i].max);

	b = bufpool_new_buf(test->priv, 0, 5000, GFP_KERNEL, _RET_IP_);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 5000; i++) {
		KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write(b, &byte, 1));
		if (bufpool_buf_capacity(b) != last && n < ARRAY_SIZE(seen)) {
			last = bufpool_buf_capacity(b);
			seen[n++] = last;
		}
	}
	KUNIT_ASSERT_EQ(test, 8, n);
	KUNIT_EXPECT_EQ(test, 64, seen[0]);
	KUNIT_EXPECT_EQ(test, 128, seen[1]);
	KUNIT_EXPECT_EQ(test, 4096, seen[6]);
	KUNIT_EXPECT_EQ(test, 5000, seen[7]);	/* capped at the maximum */
	KUNIT_EXPECT_EQ(test, -ERANGE, bufpool_buf_write(b, &byte, 1));
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
}

/* A write past max_capacity fails and leaves the buffer as it was. */
static void buf_max_capacity(struct kunit *test)
{
	struct bufpool_buf *b = bufpool_new_buf(test->priv, 16, 100, GFP_KERNEL, _RET_IP_);
	u8 data[101], back[100];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 101; i++)
		data[i] = i;
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write(b, data, 60));
	KUNIT_EXPECT_EQ(test, -ERANGE, bufpool_buf_write(b, data, 41));
	KUNIT_EXPECT_EQ(test, 60, bufpool_buf_writer_index(b));
	KUNIT_EXPECT_EQ(test, -ERANGE, bufpool_buf_ensure_writable(b, 41));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write(b, data + 60, 40));
	KUNIT_EXPECT_EQ(test, 100, bufpool_buf_capacity(b));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read(b, back, 100));
	KUNIT_EXPECT_EQ(test, 0, memcmp(data, back, 100));
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_writable(b));
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
	KUNIT_EXPECT_NULL(test, bufpool_new_buf(test->priv, 101, 100, GFP_KERNEL, _RET_IP_));
}

/*
 * A write past the capacity first takes the rest of the buffer's element,
 * without moving (Netty's maxFastWritableBytes() path): 100 bytes sit in
 * a 112-byte tiny element, so 12 more fit in place and the capacity is
 * then all 112 of them, as Netty's capacity() reports after the same
 * writes (NettyGrowth.java, "100 in 112").  The 113th byte moves the
 * buffer to calculateNewCapacity(113) = 128, content and indexes kept.
 */
static void buf_grow_in_element(struct kunit *test)
{
	struct bufpool_buf *b = bufpool_new_buf(test->priv, 100, 1024, GFP_KERNEL, _RET_IP_);
	u8 data[113], back[113];
	void *mem;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 113; i++)
		data[i] = i * 7 + 1;
	mem = bufpool_buf_data(b);
	KUNIT_EXPECT_EQ(test, 112, bufpool_buf_max_fast_writable_bytes(b));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write(b, data, 100));
	KUNIT_EXPECT_EQ(test, 100, bufpool_buf_capacity(b));
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_writable(b));
	KUNIT_EXPECT_EQ(test, 12, bufpool_buf_max_fast_writable_bytes(b));

	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write(b, data + 100, 1));
	KUNIT_EXPECT_PTR_EQ(test, mem, bufpool_buf_data(b));	/* not moved */
	KUNIT_EXPECT_EQ(test, 112, bufpool_buf_capacity(b));	/* all of it */
	KUNIT_EXPECT_EQ(test, 11, bufpool_buf_max_fast_writable_bytes(b));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write(b, data + 101, 11));
	KUNIT_EXPECT_PTR_EQ(test, mem, bufpool_buf_data(b));
	KUNIT_EXPECT_EQ(test, 112, bufpool_buf_capacity(b));
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_max_fast_writable_bytes(b));

	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_skip(b, 3));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write(b, data + 112, 1));
	KUNIT_EXPECT_PTR_NE(test, mem, bufpool_buf_data(b));	/* moved */
	KUNIT_EXPECT_EQ(test, 128, bufpool_buf_capacity(b));
	KUNIT_EXPECT_EQ(test, 3, bufpool_buf_reader_index(b));
	KUNIT_EXPECT_EQ(test, 113, bufpool_buf_writer_index(b));
	KUNIT_EXPECT_EQ(test, 15, bufpool_buf_max_fast_writable_bytes(b));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get(b, 0, back, 113));
	KUNIT_EXPECT_EQ(test, 0, memcmp(data, back, 113));
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
}

struct growth_step {
	size_t n;		/* ensure_writable(n), then writer index += n */
	size_t cap;		/* capacity after it */
	bool moved;		/* the memory moved */
	bool refused;		/* -ERANGE, nothing changed */
	size_t fast;		/* max_fast_writable_bytes after it */
};

/*
 * Generated by NettyGrowth.java (this directory) against Debian 12's
 * libnetty-java 4.1.48: each row is what Netty's pooled heap buffer
 * reported for the same steps, in an allocator of new_pool()'s geometry
 * (page 4096, max order 10).  Do not edit by hand: change the scenarios
 * there, run it and paste its output.
 */
static const struct growth_case {
	const char *name;
	size_t initial, max;
	bool dup;		/* the steps go through a duplicate */
	struct growth_step steps[10];	/* up to n == 0 */
} growth_cases[] = {
	{ "100 in 112", 100, 1024, false, {
		{ 100, 100, false, false, 12 },
		{ 1, 112, false, false, 11 },
		{ 11, 112, false, false, 0 },
		{ 1, 128, true, false, 15 },
		{ 15, 128, false, false, 0 },
		{ 1, 256, true, false, 127 },
	} },
	{ "100 in 112, duplicate", 100, 1024, true, {
		{ 100, 100, false, false, 0 },
		{ 1, 128, true, false, 27 },
		{ 27, 128, false, false, 0 },
		{ 1, 256, true, false, 127 },
	} },
	{ "tiny 10 in 16", 10, 1024, false, {
		{ 10, 10, false, false, 6 },
		{ 6, 16, false, false, 0 },
		{ 1, 64, true, false, 47 },
		{ 48, 128, true, false, 63 },
		{ 1, 128, false, false, 62 },
	} },
	{ "small 600 in 1024", 600, 65536, false, {
		{ 600, 600, false, false, 424 },
		{ 1, 1024, false, false, 423 },
		{ 423, 1024, false, false, 0 },
		{ 1, 2048, true, false, 1023 },
	} },
	{ "normal 5000 in 8192", 5000, 65536, false, {
		{ 5000, 5000, false, false, 3192 },
		{ 1, 8192, false, false, 3191 },
		{ 3191, 8192, false, false, 0 },
		{ 1, 16384, true, false, 8191 },
	} },
	{ "from 0", 0, 5000, false, {
		{ 1, 64, true, false, 63 },
		{ 63, 64, false, false, 0 },
		{ 1, 128, true, false, 63 },
		{ 63, 128, false, false, 0 },
		{ 1, 256, true, false, 127 },
		{ 3967, 4096, true, false, 0 },
		{ 1, 5000, true, false, 903 },
		{ 903, 5000, false, false, 0 },
		{ 1, 5000, false, true, 0 },
	} },
	{ "from 0, max 10", 0, 10, false, {
		{ 1, 10, true, false, 9 },
		{ 9, 10, false, false, 0 },
		{ 1, 10, false, true, 0 },
	} },
	{ "threshold", (3UL << 20), (64UL << 20), false, {
		{ (3UL << 20), (3UL << 20), false, false, (1UL << 20) },
		{ 1, (4UL << 20), false, false, (1UL << 20) - 1 },
		{ (1UL << 20) - 1, (4UL << 20), false, false, 0 },
		{ 1, (8UL << 20), true, false, (4UL << 20) - 1 },
		{ (4UL << 20) - 1, (8UL << 20), false, false, 0 },
		{ 1, (12UL << 20), true, false, (4UL << 20) - 1 },
		{ (4UL << 20) - 1, (12UL << 20), false, false, 0 },
		{ 1, (16UL << 20), true, false, (4UL << 20) - 1 },
	} },
	{ "exactly 4 MiB", 0, (64UL << 20), false, {
		{ (4UL << 20), (4UL << 20), true, false, 0 },
		{ 1, (8UL << 20), true, false, (4UL << 20) - 1 },
	} },
	{ "huge 5 MiB + 100", (5UL << 20) + 100, (64UL << 20), false, {
		{ (5UL << 20) + 100, (5UL << 20) + 100, false, false, 0 },
		{ 1, (8UL << 20), true, false, (3UL << 20) - 101 },
	} },
	{ "huge, max 5 MiB + 200", (5UL << 20) + 100, (5UL << 20) + 200, false, {
		{ (5UL << 20) + 100, (5UL << 20) + 100, false, false, 0 },
		{ 1, (5UL << 20) + 200, true, false, 99 },
		{ 99, (5UL << 20) + 200, false, false, 0 },
		{ 1, (5UL << 20) + 200, false, true, 0 },
	} },
	{ "max 100", 16, 100, false, {
		{ 60, 64, true, false, 4 },
		{ 41, 64, false, true, 4 },
		{ 40, 100, true, false, 0 },
		{ 1, 100, false, true, 0 },
	} },
	{ "max 105 in 112", 100, 105, false, {
		{ 100, 100, false, false, 5 },
		{ 1, 105, false, false, 4 },
		{ 4, 105, false, false, 0 },
		{ 1, 105, false, true, 0 },
	} },
	{ "max 10 MiB", 0, (10UL << 20), false, {
		{ (9UL << 20), (10UL << 20), true, false, (1UL << 20) },
		{ (1UL << 20), (10UL << 20), false, false, 0 },
		{ 1, (10UL << 20), false, true, 0 },
	} },
};

/* Fill [from, to) of @b's memory with a pattern that depends on the index. */
static void growth_fill(struct bufpool_buf *b, size_t from, size_t to)
{
	u8 *p = bufpool_buf_data(b);

	for (; from < to; from++)
		p[from] = (u8)(from ^ (from >> 8) ^ (from >> 16));
}

static size_t growth_check(struct bufpool_buf *b, size_t to)
{
	const u8 *p = bufpool_buf_data(b);
	size_t i;

	for (i = 0; i < to; i++)
		if (p[i] != (u8)(i ^ (i >> 8) ^ (i >> 16)))
			break;
	return i;
}

/*
 * Every scenario of growth_cases[] step by step: the capacity, whether
 * the memory moved, refusal at max capacity and max_fast_writable_bytes
 * as Netty reports them; and the written bytes survive every move.
 */
static void buf_growth_like_netty(struct kunit *test)
{
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(growth_cases); i++) {
		const struct growth_case *c = &growth_cases[i];
		struct bufpool_buf *root, *b;

		root = bufpool_new_buf(test->priv, c->initial, c->max, GFP_KERNEL, _RET_IP_);
		KUNIT_ASSERT_NOT_NULL(test, root);
		b = c->dup ? bufpool_buf_duplicate(root) : root;
		KUNIT_ASSERT_NOT_NULL(test, b);
		for (k = 0; k < ARRAY_SIZE(c->steps) && c->steps[k].n; k++) {
			const struct growth_step *s = &c->steps[k];
			size_t w = bufpool_buf_writer_index(b);
			void *mem = bufpool_buf_data(root);
			int ret = bufpool_buf_ensure_writable(b, s->n);

			KUNIT_EXPECT_EQ_MSG(test, s->refused ? -ERANGE : 0, ret,
					    "%s, step %zu", c->name, k);
			if (!ret) {
				growth_fill(b, w, w + s->n);
				KUNIT_ASSERT_EQ(test, 0, bufpool_buf_set_index(b, 0, w + s->n));
			}
			KUNIT_EXPECT_EQ_MSG(test, s->cap, bufpool_buf_capacity(b),
					    "%s, step %zu", c->name, k);
			KUNIT_EXPECT_EQ_MSG(test, s->moved, (bool)(mem != bufpool_buf_data(root)),
					    "%s, step %zu", c->name, k);
			KUNIT_EXPECT_EQ_MSG(test, s->fast, bufpool_buf_max_fast_writable_bytes(b),
					    "%s, step %zu", c->name, k);
			KUNIT_EXPECT_LE(test, bufpool_buf_capacity(b), c->max);
		}
		KUNIT_EXPECT_EQ_MSG(test, bufpool_buf_writer_index(b),
				    growth_check(b, bufpool_buf_writer_index(b)), "%s", c->name);
		KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(root));
	}
}

/* Slices and duplicates: shared memory and count, own indexes. */
static void buf_slices_share(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	struct bufpool_buf *b = bufpool_new_buf(pool, 64, 1 << 16, GFP_KERNEL, _RET_IP_);
	struct bufpool_buf *s, *rs, *d;
	struct bufpool_stats st;
	u32 v;
	u8 x;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 16; i++)
		KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u32(b, i));
	s = bufpool_buf_slice(b, 8, 8);		/* values 2 and 3 */
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_refcnt(b));	/* slice: no reference */
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_reader_index(s));
	KUNIT_EXPECT_EQ(test, 8, bufpool_buf_writer_index(s));
	KUNIT_EXPECT_EQ(test, 8, bufpool_buf_max_capacity(s));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u32(s, &v));
	KUNIT_EXPECT_EQ(test, 2, v);
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_reader_index(b));	/* b's indexes untouched */
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_set_u32(s, 4, 333));	/* visible in b */
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get_u32(b, 12, &v));
	KUNIT_EXPECT_EQ(test, 333, v);
	KUNIT_EXPECT_EQ(test, -ERANGE, bufpool_buf_set_u32(s, 5, 1));	/* past the slice */
	KUNIT_EXPECT_EQ(test, -ERANGE, bufpool_buf_ensure_writable(s, 1));	/* no growth */
	KUNIT_EXPECT_NULL(test, bufpool_buf_slice(b, 60, 8));	/* out of range */

	rs = bufpool_buf_retained_slice(b, 0, 4);
	KUNIT_ASSERT_NOT_NULL(test, rs);
	KUNIT_EXPECT_EQ(test, 2, bufpool_buf_refcnt(b));
	d = bufpool_buf_duplicate(b);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_skip(d, 60));
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_reader_index(b));

	/* Growth through the duplicate moves the memory; everyone follows. */
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u8(d, 0x77));
	KUNIT_EXPECT_GE(test, bufpool_buf_capacity(b), 1064);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get_u32(s, 4, &v));
	KUNIT_EXPECT_EQ(test, 333, v);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get_u8(b, 1063, &x));
	KUNIT_EXPECT_EQ(test, 0x77, x);

	/* The count is shared: releasing b leaves the memory to rs. */
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_release(b));
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get_u32(rs, 0, &v));
	KUNIT_EXPECT_EQ(test, 0, v);
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(rs));
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_refcnt(s));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_read_u32(s, &v));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_write_u8(d, 1));
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, 0, st.invalid_frees);
}

/* Retain or release after the last release: an error, nothing freed twice. */
static void buf_misuse(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	struct bufpool_buf *b = bufpool_new_buf(pool, 100, 100, GFP_KERNEL, _RET_IP_);
	struct bufpool_stats before, after;
	u8 x = 1;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, 1, bufpool_buf_release(b));
	bufpool_stats_read(pool, &before);
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_release(b));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_retain(b));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_write(b, &x, 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_read(b, &x, 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_get(b, 0, &x, 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_set(b, 0, &x, 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_skip(b, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_clear(b));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_discard_read_bytes(b));
	KUNIT_EXPECT_NULL(test, bufpool_buf_data(b));
	KUNIT_EXPECT_NULL(test, bufpool_buf_slice(b, 0, 1));
	KUNIT_EXPECT_NULL(test, bufpool_buf_duplicate(b));
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_refcnt(b));
	bufpool_stats_read(pool, &after);
	KUNIT_EXPECT_EQ(test, before.buf_refcnt_errors + 2, after.buf_refcnt_errors);
	KUNIT_EXPECT_EQ(test, before.frees, after.frees);	/* nothing freed again */
	KUNIT_EXPECT_EQ(test, before.invalid_frees, after.invalid_frees);
	KUNIT_EXPECT_EQ(test, 0, after.invalid_frees);
}

/*
 * The seed's PoolBufTest: a buffer, writeInt(10), readInt() == 10,
 * release; twice.  The second time gets the same descriptor back from the
 * recycler; a write after release fails.
 */
static void buf_seed_pool_buf_test(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	struct bufpool_buf *first = NULL;
	struct bufpool_stats st;
	int round;

	migrate_disable();	/* one CPU's recycler (userspace: one thread's) */
	for (round = 0; round < 2; round++) {
		struct bufpool_buf *b = bufpool_new_buf(pool, 256, INT_MAX, GFP_KERNEL, _RET_IP_);
		u32 v = 0;

		KUNIT_ASSERT_NOT_NULL(test, b);
		if (!first)
			first = b;
		else
			KUNIT_EXPECT_PTR_EQ(test, first, b);
		KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u32(b, 10));
		KUNIT_ASSERT_EQ(test, 0, bufpool_buf_read_u32(b, &v));
		KUNIT_EXPECT_EQ(test, 10, v);
		KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
		KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_write_u32(b, 11));
	}
	migrate_enable();
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, 2, st.buf_allocs);
	KUNIT_EXPECT_EQ(test, 1, st.buf_recycled);
}

/* The pool's spare descriptors (those no cache's recycler holds). */
static unsigned int spare_descs(struct bufpool *pool)
{
	unsigned long irqflags;
	struct bufpool_buf *d;
	unsigned int n = 0;

	spin_lock_irqsave(&pool->buf_desc_lock, irqflags);
	for (d = pool->buf_descs; d; d = d->next)
		n++;
	spin_unlock_irqrestore(&pool->buf_desc_lock, irqflags);
	return n;
}

/* The recycler keeps at most buf_recycler_size descriptors per cache. */
static void buf_recycler_bounded(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	struct bufpool_buf **bufs = kunit_kcalloc(test, 1000, sizeof(*bufs), GFP_KERNEL);
	struct bufpool_stats st;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, bufs);
	migrate_disable();
	for (i = 0; i < 1000; i++) {
		bufs[i] = bufpool_new_buf(pool, 32, 32, GFP_KERNEL, _RET_IP_);
		if (!bufs[i])
			break;
	}
	KUNIT_EXPECT_EQ(test, 1000, i);
	while (i--)
		bufpool_buf_release(bufs[i]);
	migrate_enable();
	bufpool_stats_read(pool, &st);
	/* Descriptors stay descriptors: none went back to an arena. */
	KUNIT_EXPECT_EQ(test, 1000, st.active);
	/* Those beyond the recycler's bound are the pool's spares. */
	KUNIT_EXPECT_EQ(test, 1000 - BUFPOOL_BUF_RECYCLER_DEFAULT, spare_descs(pool));
	bufpool_pool_flush_caches(pool);	/* as at destroy */
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, 0, st.active);
	KUNIT_EXPECT_EQ(test, 0, spare_descs(pool));
	/* The descriptors went to their arena, not into another cache. */
	KUNIT_EXPECT_EQ(test, 0, st.cached_bytes);
}

/*
 * A released buffer's descriptor never becomes other memory: allocations
 * of its size after every cache was flushed do not get it, and a second
 * release through the stale pointer is refused and counted instead of
 * reading what the memory became.  Until the descriptor serves a new
 * buffer: then the stale pointer is that buffer's (not detected).
 */
static void buf_released_descriptor_stays_one(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	struct bufpool_buf *b = bufpool_new_buf(pool, 64, 64, GFP_KERNEL, _RET_IP_), *again;
	void **p = kunit_kcalloc(test, 512, sizeof(*p), GFP_KERNEL);
	struct bufpool_stats before, after;
	int i, same = 0;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, b);
	migrate_disable();	/* b in this CPU's recycler, then a spare */
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
	bufpool_recycler_drain(pool, NULL);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, 1, spare_descs(pool));
	for (i = 0; i < 512; i++) {
		p[i] = bufpool_pool_alloc(pool, sizeof(*b), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		same += p[i] == (void *)b;
		memset(p[i], 0x01, sizeof(*b));	/* what a reuse would leave */
	}
	KUNIT_EXPECT_EQ(test, 0, same);
	bufpool_stats_read(pool, &before);
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_release(b));
	KUNIT_EXPECT_EQ(test, -EINVAL, bufpool_buf_retain(b));
	KUNIT_EXPECT_EQ(test, 0, bufpool_buf_refcnt(b));
	bufpool_stats_read(pool, &after);
	KUNIT_EXPECT_EQ(test, before.buf_refcnt_errors + 2, after.buf_refcnt_errors);
	for (i = 0; i < 512; i++)
		bufpool_pool_free(pool, p[i]);

	/* The next buffer gets the spare: the stale pointer is its now. */
	again = bufpool_new_buf(pool, 64, 64, GFP_KERNEL, _RET_IP_);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_EXPECT_PTR_EQ(test, again, b);
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_refcnt(b));
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(again));
}

/* At INT_MAX a retain is refused and the count stays. */
static void buf_retain_at_max(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	struct bufpool_buf *b = bufpool_new_buf(pool, 64, 64, GFP_KERNEL, _RET_IP_);

	KUNIT_ASSERT_NOT_NULL(test, b);
	refcount_set(&b->refcnt, REFCOUNT_MAX);
	KUNIT_EXPECT_EQ(test, -EOVERFLOW, bufpool_buf_retain(b));
	KUNIT_EXPECT_EQ(test, REFCOUNT_MAX, bufpool_buf_refcnt(b));
	refcount_set(&b->refcnt, 1);
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
}

/* A retained slice per message on a long-lived buffer: nothing piles up. */
static void buf_retained_slices_do_not_pile_up(struct kunit *test)
{
	struct bufpool *pool = test->priv;
	struct bufpool_buf *b = bufpool_new_buf(pool, 4096, 4096, GFP_KERNEL, _RET_IP_);
	struct bufpool_stats before, after;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u64(b, 42));
	bufpool_stats_read(pool, &before);
	for (i = 0; i < 10000; i++) {
		struct bufpool_buf *s = bufpool_buf_retained_slice(b, 0, 8);
		uint64_t v;

		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_ASSERT_EQ(test, 0, bufpool_buf_get_u64(s, 0, &v));
		KUNIT_ASSERT_EQ(test, 42, v);
		KUNIT_ASSERT_EQ(test, 0, bufpool_buf_release(s));
		KUNIT_ASSERT_EQ(test, -EINVAL, bufpool_buf_release(s));	/* twice: refused */
	}
	bufpool_stats_read(pool, &after);
	KUNIT_EXPECT_LE(test, after.active, before.active + 1);
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_refcnt(b));
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b));
}

static struct kunit_case buf_cases[] = {
	KUNIT_CASE(buf_model_random_ops),
	KUNIT_CASE(buf_byte_order),
	KUNIT_CASE(buf_growth_rule),
	KUNIT_CASE(buf_max_capacity),
	KUNIT_CASE(buf_grow_in_element),
	KUNIT_CASE(buf_growth_like_netty),
	KUNIT_CASE(buf_slices_share),
	KUNIT_CASE(buf_misuse),
	KUNIT_CASE(buf_released_descriptor_stays_one),
	KUNIT_CASE(buf_retain_at_max),
	KUNIT_CASE(buf_seed_pool_buf_test),
	KUNIT_CASE(buf_recycler_bounded),
	KUNIT_CASE(buf_retained_slices_do_not_pile_up),
	{}
};

static struct kunit_suite buf_suite = {
	.name = "bufpool_buf",
	.init = buf_test_init,
	.exit = buf_test_exit,
	.test_cases = buf_cases,
};

/* --- leak detection -------------------------------------------------------- */

struct report {
	char text[4096];
	size_t len;
	unsigned int lines;
};

static void collect(void *ctx, const char *line)
{
	struct report *r = ctx;

	r->len += scnprintf(r->text + r->len, sizeof(r->text) - r->len, "%s\n", line);
	r->lines++;
}

/* Allocates for its caller: the caller is the site a report names. */
static noinline struct bufpool_buf *leak_site_alloc(struct bufpool *pool)
{
	return bufpool_new_buf(pool, 100, 100, GFP_KERNEL, _RET_IP_);
}

/*
 * The allocation site the leak report must name first.  Not static, so
 * that userspace's dladdr() finds it as the kernel's %pS does; it uses the
 * buffer after the call, so that the call is not a tail call.
 */
struct bufpool_buf *leak_planter(struct bufpool *pool);
noinline struct bufpool_buf *leak_planter(struct bufpool *pool)
{
	struct bufpool_buf *b = leak_site_alloc(pool);

	if (b)
		bufpool_buf_write_u8(b, 7);
	return b;
}

/* Paranoid: every planted leak is reported, with its site. */
static void leak_paranoid_reports_site(struct kunit *test)
{
	struct bufpool *pool = new_pool(test, BUFPOOL_LEAK_PARANOID, 0);
	struct bufpool_buf *b[5];
	struct report *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long n;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < 5; i++) {
		b[i] = leak_planter(pool);
		KUNIT_ASSERT_NOT_NULL(test, b[i]);
	}
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b[1]));
	KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b[3]));
	n = bufpool_leak_report_lines(pool, collect, r);
	KUNIT_EXPECT_EQ(test, 3, n);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(r->text, "LEAK: 3 buffers"), "%s", r->text);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(r->text, "3 buffers, 300 bytes"), "%s", r->text);
	/* The first frame is the allocating call site, not bufpool's own. */
	KUNIT_EXPECT_TRUE_MSG(test, strstr(r->text, "#0 leak_planter+"), "%s", r->text);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(r->text, "last accesses"), "%s", r->text);
	for (i = 0; i < 5; i += 2)
		KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(b[i]));
	r->len = 0;
	KUNIT_EXPECT_EQ(test, 0, bufpool_leak_report_lines(pool, collect, r));
	bufpool_pool_destroy(pool);
}

/* A second allocation site, for reports that must keep sites apart. */
struct bufpool_buf *leak_planter2(struct bufpool *pool);
noinline struct bufpool_buf *leak_planter2(struct bufpool *pool)
{
	struct bufpool_buf *b = leak_site_alloc(pool);

	if (b)
		bufpool_buf_write_u8(b, 9);
	return b;
}

/*
 * Stacks live in the stack depot: the same frames give the same handle,
 * other frames another, a handle gives its frames back, and 0 none; a
 * report keeps two sites apart and names each.
 */
static void leak_stacks_in_depot(struct kunit *test)
{
	unsigned long a[3] = { 0x1000, 0x2000, 0x3000 }, b[3] = { 0x1000, 0x2000, 0x3001 };
	struct bufpool *pool = new_pool(test, BUFPOOL_LEAK_PARANOID, 0);
	struct report *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	depot_stack_handle_t ha, ha2, hb;
	struct bufpool_buf *x[3];
	unsigned long *frames;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	ha = stack_depot_save(a, ARRAY_SIZE(a), GFP_KERNEL);
	ha2 = stack_depot_save(a, ARRAY_SIZE(a), GFP_KERNEL);
	hb = stack_depot_save(b, ARRAY_SIZE(b), GFP_KERNEL);
	KUNIT_ASSERT_NE(test, ha, 0);
	KUNIT_EXPECT_EQ(test, ha, ha2);
	KUNIT_EXPECT_NE(test, ha, hb);
	KUNIT_ASSERT_EQ(test, stack_depot_fetch(ha, &frames), 3u);
	KUNIT_EXPECT_EQ(test, frames[0], 0x1000UL);
	KUNIT_EXPECT_EQ(test, frames[2], 0x3000UL);
	KUNIT_ASSERT_EQ(test, stack_depot_fetch(hb, &frames), 3u);
	KUNIT_EXPECT_EQ(test, frames[2], 0x3001UL);
	KUNIT_EXPECT_EQ(test, stack_depot_fetch(0, &frames), 0u);

	x[0] = leak_planter(pool);
	x[1] = leak_planter2(pool);
	x[2] = leak_planter(pool);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_NOT_NULL(test, x[i]);
	KUNIT_EXPECT_EQ(test, 3, bufpool_leak_report_lines(pool, collect, r));
	KUNIT_EXPECT_TRUE_MSG(test, strstr(r->text, "2 buffers, 200 bytes"), "%s", r->text);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(r->text, "1 buffer, 100 bytes"), "%s", r->text);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(r->text, "#0 leak_planter+"), "%s", r->text);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(r->text, "#0 leak_planter2+"), "%s", r->text);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, 1, bufpool_buf_release(x[i]));
	bufpool_pool_destroy(pool);
}

/* Everything released: no report at any level. */
static void leak_no_false_report(struct kunit *test)
{
	unsigned int level;

	for (level = 0; level < BUFPOOL_NR_LEAK_LEVELS; level++) {
		struct bufpool *pool = new_pool(test, level, 4);
		struct report *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
		struct bufpool_buf *b;
		int i;

		KUNIT_ASSERT_NOT_NULL(test, r);
		for (i = 0; i < 100; i++) {
			b = bufpool_new_buf(pool, 64, 1 << 20, GFP_KERNEL, _RET_IP_);
			KUNIT_ASSERT_NOT_NULL(test, b);
			KUNIT_ASSERT_EQ(test, 0, bufpool_buf_write_u64(b, i));
			KUNIT_ASSERT_EQ(test, 1, bufpool_buf_release(b));
		}
		KUNIT_EXPECT_EQ_MSG(test, 0, bufpool_leak_report_lines(pool, collect, r),
				    "level %s: %s", bufpool_leak_level_name(level), r->text);
		KUNIT_EXPECT_EQ(test, 0, r->lines);
		bufpool_pool_destroy(pool);
	}
}

/* Simple: 1 in leak_sample_rate buffers tracked (wide tolerance). */
static void leak_simple_sample_rate(struct kunit *test)
{
	struct bufpool *pool = new_pool(test, BUFPOOL_LEAK_SIMPLE, 16);
	struct bufpool_buf **b = kunit_kcalloc(test, 1600, sizeof(*b), GFP_KERNEL);
	struct bufpool_stats st;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 1600; i++) {
		b[i] = bufpool_new_buf(pool, 16, 16, GFP_KERNEL, _RET_IP_);
		KUNIT_ASSERT_NOT_NULL(test, b[i]);
	}
	/* Per-cache counting: exact on one CPU or thread, 80..120 anyway. */
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_GE(test, st.buf_leaks_tracked, 80);
	KUNIT_EXPECT_LE(test, st.buf_leaks_tracked, 120);
	for (i = 0; i < 1600; i++)
		KUNIT_ASSERT_EQ(test, 1, bufpool_buf_release(b[i]));
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, 0, st.buf_leaks_tracked);
	bufpool_pool_destroy(pool);
}

/* Disabled: nothing tracked even when everything leaks. */
static void leak_disabled_tracks_nothing(struct kunit *test)
{
	struct bufpool *pool = new_pool(test, BUFPOOL_LEAK_DISABLED, 1);
	struct bufpool_stats st;
	int i;

	for (i = 0; i < 300; i++)
		KUNIT_ASSERT_NOT_NULL(test, bufpool_new_buf(pool, 16, 16, GFP_KERNEL, _RET_IP_));
	bufpool_stats_read(pool, &st);
	KUNIT_EXPECT_EQ(test, 0, st.buf_leaks_tracked);
	bufpool_pool_destroy(pool);	/* the leaked buffers go with it */
}

static struct kunit_case leak_cases[] = {
	KUNIT_CASE(leak_paranoid_reports_site),
	KUNIT_CASE(leak_stacks_in_depot),
	KUNIT_CASE(leak_no_false_report),
	KUNIT_CASE(leak_simple_sample_rate),
	KUNIT_CASE(leak_disabled_tracks_nothing),
	{}
};

static struct kunit_suite leak_suite = {
	.name = "bufpool_leak",
	.test_cases = leak_cases,
};

kunit_test_suites(&buf_suite, &leak_suite);
