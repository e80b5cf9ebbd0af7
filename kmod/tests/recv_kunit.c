// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * recv_kunit.c - KUnit suite "bufpool_recv": the adaptive receive handle's
 * size table, Netty's table search, and every move of the index (up four
 * on a full read or a large loop, down one after two small loops, clamps),
 * the read loop's stop conditions and the refused bounds.  The expected
 * values are Netty 4.1.48's (scripts/recv-diff checks the same code against
 * the jar on random traces).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/bufpool.h>

#define NR_ENTRIES	53	/* 31 steps of 16, then 512 .. 2^30 */

static void recv_size_table(struct kunit *test)
{
	int i;

	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(0), 16);
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(30), 496);
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(31), 512);
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(32), 1024);	/* the default initial */
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(38), 65536);	/* the default maximum */
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(NR_ENTRIES - 1), 1 << 30);
	for (i = 1; i < 31; i++)
		KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(i) -
				bufpool_recv_size_table(i - 1), 16);
	for (i = 32; i < NR_ENTRIES; i++)
		KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(i),
				2 * bufpool_recv_size_table(i - 1));
	/* Out of range indexes are clamped, not read past the table. */
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(-1), 16);
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(NR_ENTRIES), 1 << 30);
	/* Every entry is found at its own index. */
	for (i = 0; i < NR_ENTRIES; i++)
		KUNIT_EXPECT_EQ(test, bufpool_recv_size_table_index(bufpool_recv_size_table(i)), i);
}

struct index_case {
	int size, entry;	/* entry = size_table[size_table_index(size)] */
};

/* Netty's binary search, answers taken from the jar: between two entries it
 * mostly answers the upper one, but for some sizes the lower one.
 */
static const struct index_case index_cases[] = {
	{ 1, 16 }, { 16, 16 }, { 17, 32 }, { 33, 32 }, { 49, 64 },
	{ 496, 496 }, { 497, 512 }, { 513, 512 }, { 700, 512 }, { 1023, 512 },
	{ 1025, 2048 }, { 2049, 4096 }, { 4097, 4096 }, { 65537, 65536 },
	{ (1 << 30) + 1, 1 << 30 }, { 0x7fffffff, 1 << 30 },
};

static void index_desc(const struct index_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %d", c->size);
}

KUNIT_ARRAY_PARAM(index, index_cases, index_desc);

static void recv_table_index(struct kunit *test)
{
	const struct index_case *c = test->param_value;
	int i = bufpool_recv_size_table_index(c->size);

	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(i), c->entry);
}

static void recv_defaults(struct kunit *test)
{
	struct bufpool_recv_config cfg;
	struct bufpool_recv_handle h;

	bufpool_recv_config_init(&cfg);
	KUNIT_EXPECT_EQ(test, cfg.minimum, 64);
	KUNIT_EXPECT_EQ(test, cfg.initial, 1024);
	KUNIT_EXPECT_EQ(test, cfg.maximum, 65536);
	KUNIT_EXPECT_EQ(test, cfg.max_reads, 16);
	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, NULL), 0);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 1024);
	KUNIT_EXPECT_EQ(test, h.min_index, 3);		/* 64 */
	KUNIT_EXPECT_EQ(test, h.max_index, 38);		/* 65536 */
	KUNIT_EXPECT_EQ(test, h.index, 32);
	KUNIT_EXPECT_EQ(test, bufpool_recv_messages_read(&h), 0);
	KUNIT_EXPECT_EQ(test, bufpool_recv_total_bytes_read(&h), 0);
}

/* Bounds between entries: the minimum rounds up, the maximum down. */
static void recv_bounds_rounding(struct kunit *test)
{
	struct bufpool_recv_config cfg = { .minimum = 100, .initial = 100,
					   .maximum = 3000, .max_reads = 1 };
	struct bufpool_recv_handle h;

	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, &cfg), 0);
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(h.min_index), 112);
	KUNIT_EXPECT_EQ(test, bufpool_recv_size_table(h.max_index), 2048);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 112);
}

static void recv_refused(struct kunit *test)
{
	static const struct bufpool_recv_config bad[] = {
		{ 0, 1024, 65536, 16 }, { -1, 1024, 65536, 16 },
		{ 64, 63, 65536, 16 }, { 64, 1024, 1023, 16 },
		{ 64, 1024, 65536, 0 }, { 64, 1024, 65536, -1 },
	};
	struct bufpool_recv_handle h;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&h, 0x5a, sizeof(h));
		KUNIT_EXPECT_EQ(test, bufpool_recv_init(&h, &bad[i]), -EINVAL);
		KUNIT_EXPECT_EQ(test, h.next_size, 0x5a5a5a5a);	/* untouched */
	}
}

/* One read loop of reads of @n[0..nr-1] bytes, each into a buffer of guess()
 * bytes, as the read loop in bufpool_recv.h; returns the reads made.
 */
static int run_loop(struct bufpool_recv_handle *h, const int *n, int nr)
{
	int i;

	bufpool_recv_reset(h);
	for (i = 0; i < nr; i++) {
		bufpool_recv_set_attempted_bytes(h, bufpool_recv_guess(h));
		bufpool_recv_set_last_bytes_read(h, n[i]);
		if (n[i] <= 0) {
			i++;
			break;
		}
		bufpool_recv_inc_messages_read(h, 1);
		if (!bufpool_recv_continue_reading(h)) {
			i++;
			break;
		}
	}
	bufpool_recv_read_complete(h);
	return i;
}

/* A read that fills the guess moves it up four entries at once. */
static void recv_full_read_moves_up(struct kunit *test)
{
	struct bufpool_recv_handle h;
	int reads[] = { 1024, 100 };

	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, NULL), 0);
	bufpool_recv_reset(&h);
	bufpool_recv_set_attempted_bytes(&h, 1024);
	bufpool_recv_set_last_bytes_read(&h, 1024);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 16384);	/* 32 + 4 */
	bufpool_recv_inc_messages_read(&h, 1);
	KUNIT_EXPECT_TRUE(test, bufpool_recv_continue_reading(&h));
	KUNIT_EXPECT_EQ(test, bufpool_recv_attempted_bytes(&h), 1024);
	KUNIT_EXPECT_EQ(test, bufpool_recv_last_bytes_read(&h), 1024);

	/* Same again, through the loop: 1024 filled, then a short read. */
	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, NULL), 0);
	KUNIT_EXPECT_EQ(test, run_loop(&h, reads, 2), 2);
	/* 1124 in total is <= 8192, the entry below 16384: a first small loop. */
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 16384);
	KUNIT_EXPECT_TRUE(test, h.decrease_now);
}

/* A loop whose total reaches the guess moves it up four, even when no one
 * read filled its buffer.
 */
static void recv_large_loop_moves_up(struct kunit *test)
{
	struct bufpool_recv_handle h;

	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, NULL), 0);
	bufpool_recv_reset(&h);
	bufpool_recv_set_attempted_bytes(&h, 1024);
	bufpool_recv_set_last_bytes_read(&h, 1000);
	bufpool_recv_inc_messages_read(&h, 1);
	bufpool_recv_set_attempted_bytes(&h, 1024);
	bufpool_recv_set_last_bytes_read(&h, 1000);
	bufpool_recv_inc_messages_read(&h, 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 1024);
	bufpool_recv_read_complete(&h);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 16384);
}

/* Down one entry only on the second small loop in a row; a loop between
 * small and large leaves the pending decrease as it was.
 */
static void recv_moves_down(struct kunit *test)
{
	struct bufpool_recv_handle h;
	int small[] = { 512 }, medium[] = { 600 };

	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, NULL), 0);
	run_loop(&h, small, 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 1024);
	KUNIT_EXPECT_TRUE(test, h.decrease_now);
	run_loop(&h, medium, 1);	/* 512 < 600 < 1024: no move */
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 1024);
	KUNIT_EXPECT_TRUE(test, h.decrease_now);
	run_loop(&h, small, 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 512);	/* 32 - 1 */
	KUNIT_EXPECT_FALSE(test, h.decrease_now);

	/* A large loop cancels a pending decrease: small, large, small is
	 * one small loop since the last move, not two.
	 */
	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, NULL), 0);
	small[0] = 1;
	run_loop(&h, small, 1);
	KUNIT_EXPECT_TRUE(test, h.decrease_now);
	bufpool_recv_reset(&h);		/* two short reads, 2000 >= 1024 */
	bufpool_recv_set_attempted_bytes(&h, 1024);
	bufpool_recv_set_last_bytes_read(&h, 1000);
	bufpool_recv_set_attempted_bytes(&h, 1024);
	bufpool_recv_set_last_bytes_read(&h, 1000);
	bufpool_recv_read_complete(&h);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 16384);
	KUNIT_EXPECT_FALSE(test, h.decrease_now);
	run_loop(&h, small, 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 16384);
	run_loop(&h, small, 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 8192);
}

/* Moves stop at the minimum and the maximum. */
static void recv_clamps(struct kunit *test)
{
	struct bufpool_recv_handle h;
	int one[] = { 1 }, i;

	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, NULL), 0);
	for (i = 0; i < 200; i++)
		run_loop(&h, one, 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 64);
	KUNIT_EXPECT_EQ(test, h.index, h.min_index);
	for (i = 0; i < 20; i++) {
		int full[] = { bufpool_recv_guess(&h) };

		run_loop(&h, full, 1);
	}
	KUNIT_EXPECT_EQ(test, bufpool_recv_guess(&h), 65536);
	KUNIT_EXPECT_EQ(test, h.index, h.max_index);
}

/* A loop stops after max_reads full reads, at a short read, at nothing read
 * and at EOF; messages and bytes are counted per loop.
 */
static void recv_continue_reading(struct kunit *test)
{
	struct bufpool_recv_config cfg = { 64, 1024, 1024, 3 };
	struct bufpool_recv_handle h;
	int full[5] = { 1024, 1024, 1024, 1024, 1024 };
	int huge[3] = { 1 << 30, 1 << 30, 1 << 30 };
	int short_read[] = { 100, 100 }, eof[] = { -1, 100 }, none[] = { 0, 100 };

	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, &cfg), 0);
	KUNIT_EXPECT_EQ(test, run_loop(&h, full, 5), 3);
	KUNIT_EXPECT_EQ(test, bufpool_recv_messages_read(&h), 3);
	KUNIT_EXPECT_EQ(test, bufpool_recv_total_bytes_read(&h), 3072);
	KUNIT_EXPECT_EQ(test, run_loop(&h, short_read, 2), 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_total_bytes_read(&h), 100);
	KUNIT_EXPECT_EQ(test, run_loop(&h, eof, 2), 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_last_bytes_read(&h), -1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_messages_read(&h), 0);
	KUNIT_EXPECT_FALSE(test, bufpool_recv_continue_reading(&h));
	KUNIT_EXPECT_EQ(test, run_loop(&h, none, 2), 1);
	KUNIT_EXPECT_EQ(test, bufpool_recv_total_bytes_read(&h), 0);
	KUNIT_EXPECT_FALSE(test, bufpool_recv_continue_reading(&h));

	/* 2 << 30 wraps as a Java int: the loop stops (the total is no longer
	 * > 0) and the total reads back as INT_MAX.
	 */
	cfg.initial = 1 << 30;
	cfg.maximum = 1 << 30;
	cfg.max_reads = 16;
	KUNIT_ASSERT_EQ(test, bufpool_recv_init(&h, &cfg), 0);
	KUNIT_EXPECT_EQ(test, run_loop(&h, huge, 3), 2);
	KUNIT_EXPECT_EQ(test, bufpool_recv_total_bytes_read(&h), 0x7fffffff);
}

static struct kunit_case recv_cases[] = {
	KUNIT_CASE(recv_size_table),
	KUNIT_CASE_PARAM(recv_table_index, index_gen_params),
	KUNIT_CASE(recv_defaults),
	KUNIT_CASE(recv_bounds_rounding),
	KUNIT_CASE(recv_refused),
	KUNIT_CASE(recv_full_read_moves_up),
	KUNIT_CASE(recv_large_loop_moves_up),
	KUNIT_CASE(recv_moves_down),
	KUNIT_CASE(recv_clamps),
	KUNIT_CASE(recv_continue_reading),
	{}
};

static struct kunit_suite recv_suite = {
	.name = "bufpool_recv",
	.test_cases = recv_cases,
};

kunit_test_suites(&recv_suite);
