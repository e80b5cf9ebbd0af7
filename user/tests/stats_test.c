// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * stats_test.c - libbufpool's stats API: the sized calls (older and newer
 * callers' structs, stats and config), bufpool_stats_print()'s sections
 * against the counters
 * and against each other, the stats file (bufpool_stats_dump_file() and
 * BUFPOOL_STATS_FILE).  kselftest harness, ASan + UBSan.  JSON is parsed
 * by python3 in scripts/check-bufpoolstat.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bufpool.h>
#include "kselftest_harness.h"

#define NAMES(name)	#name,
static const char *const stat_names[] = { BUFPOOL_STATS(NAMES) };

static struct bufpool *new_pool(const char *name, unsigned int nr_arenas)
{
	struct bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.name = name;
	cfg.nr_arenas = nr_arenas;
	return bufpool_create(&cfg);
}

/* @n allocations of 16 << (i % 12) bytes, the first @nfree freed. */
static void traffic(struct bufpool *pool, void **v, int n, int nfree)
{
	int i;

	for (i = 0; i < n; i++)
		v[i] = bufpool_alloc(pool, (size_t)16 << (i % 12));
	for (i = 0; i < nfree; i++)
		bufpool_free(pool, v[i]);
}

/* Everything bufpool_stats_print() writes with @flags, NUL-terminated. */
static char *print_to_string(struct bufpool *pool, unsigned int flags, int *ret)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*ret = bufpool_stats_print(pool, f, flags);
	fclose(f);
	return text;
}

static unsigned long long value_of(const char *text, const char *key)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s: ", key);
	p = strstr(text, pat);
	return p ? strtoull(p + strlen(pat), NULL, 10) : ~0ULL;
}

static int count_lines(const char *from, const char *to, const char *prefix)
{
	int n = 0;

	for (; from && from < to; from = strchr(from, '\n') + 1) {
		if (!strncmp(from, prefix, strlen(prefix)))
			n++;
		if (!strchr(from, '\n'))
			break;
	}
	return n;
}

TEST(one_name_per_counter)
{
	struct bufpool_stats st;
	char text[4096];
	unsigned int i;
	uint64_t *v = (uint64_t *)&st;

	/* The struct is the list: as many u64 as names, each in its place. */
	EXPECT_EQ(BUFPOOL_NR_STATS * sizeof(uint64_t), sizeof(st));
	EXPECT_GE(sizeof(st), BUFPOOL_STATS_SIZE_V1);
	for (i = 0; i < BUFPOOL_NR_STATS; i++)
		v[i] = 1000 + i;
	text[0] = '\n';	/* value_of() looks for "\nkey: " */
	ASSERT_LT(0, bufpool_stats_format(&st, text + 1, sizeof(text) - 1));
	for (i = 0; i < BUFPOOL_NR_STATS; i++)
		EXPECT_EQ(1000 + i, value_of(text, stat_names[i])) TH_LOG("%s", stat_names[i]);
	EXPECT_EQ(BUFPOOL_NR_STATS, count_lines(text + 1, text + strlen(text), ""));
}

TEST(sized_get)
{
	struct bufpool *pool = new_pool("sized", 1);
	struct bufpool_stats st;
	uint64_t big[BUFPOOL_NR_STATS + 4];
	void *v[64];
	unsigned int i;

	ASSERT_NE(NULL, pool);
	traffic(pool, v, 64, 16);
	/* An older caller's struct of two counters: nothing written past it. */
	memset(&st, 0xab, sizeof(st));
	ASSERT_EQ(0, bufpool_stats_get(pool, &st, 2 * sizeof(uint64_t)));
	EXPECT_EQ(64, st.allocations);
	EXPECT_EQ(16, st.frees);
	EXPECT_EQ(0xababababababababULL, st.active);
	/* A newer caller's struct: what the library does not know reads 0. */
	memset(big, 0xab, sizeof(big));
	ASSERT_EQ(0, bufpool_stats_get(pool, (struct bufpool_stats *)big, sizeof(big)));
	EXPECT_EQ(48, big[2]);	/* active */
	for (i = BUFPOOL_NR_STATS; i < BUFPOOL_NR_STATS + 4; i++)
		EXPECT_EQ(0, big[i]);
	/* The compiled-in size through the macro; the old symbol writes V1. */
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	EXPECT_EQ(48, st.active);
	memset(&st, 0xab, sizeof(st));
	ASSERT_EQ(0, (bufpool_get_stats)(pool, &st));
	EXPECT_EQ(64, st.allocations);
	if (sizeof(st) > BUFPOOL_STATS_SIZE_V1)
		EXPECT_EQ(0xab, ((unsigned char *)&st)[BUFPOOL_STATS_SIZE_V1]);
	/* Bad arguments. */
	EXPECT_EQ(-EINVAL, bufpool_stats_get(NULL, &st, sizeof(st)));
	EXPECT_EQ(-EINVAL, bufpool_stats_get(pool, NULL, sizeof(st)));
	EXPECT_EQ(-EINVAL, bufpool_stats_get(pool, &st, 0));
	EXPECT_EQ(-EINVAL, bufpool_stats_get(pool, &st, 12));
	bufpool_destroy(pool);
}

TEST(sized_format)
{
	struct bufpool_stats st;
	char text[4096];

	memset(&st, 0, sizeof(st));
	st.allocations = 7;
	st.frees = 5;
	st.active = 2;
	/* One counter known to the caller: the rest print as 0, all named. */
	ASSERT_LT(0, bufpool_stats_format_sized(&st, sizeof(uint64_t), text, sizeof(text)));
	EXPECT_EQ(0, strncmp(text, "allocations: 7\nfrees: 0\nactive: 0\n", 34));
	EXPECT_EQ(BUFPOOL_NR_STATS, count_lines(text, text + strlen(text), ""));
	EXPECT_EQ(-EINVAL, bufpool_stats_format_sized(&st, 9, text, sizeof(text)));
	EXPECT_EQ(-EINVAL, bufpool_stats_format_sized(NULL, sizeof(st), text, sizeof(text)));
}

TEST(print_sections_agree)
{
	struct bufpool *pool = new_pool("agree", 1);
	struct bufpool_stats st;
	char fmt[4096];
	void *v[300];
	char *text, *arenas, *chunks, *sizes, *caches;
	int ret;

	ASSERT_NE(NULL, pool);
	traffic(pool, v, 300, 100);
	ASSERT_EQ(0, bufpool_get_stats(pool, &st));
	text = print_to_string(pool, 0, &ret);
	ASSERT_EQ(0, ret);
	/* Every section, in order, under the pool's name. */
	ASSERT_EQ(0, strncmp(text, "pool: agree\n[stats]\n", 20));
	arenas = strstr(text, "\n[arenas]\n");
	chunks = strstr(text, "\n[chunks]\n");
	sizes = strstr(text, "\n[sizeclasses]\n");
	caches = strstr(text, "\n[caches]\n");
	ASSERT_TRUE(arenas && chunks && sizes && caches);
	ASSERT_TRUE(arenas < chunks && chunks < sizes && sizes < caches);
	/* [stats] is bufpool_stats_format()'s text of the same counters. */
	bufpool_stats_format(&st, fmt, sizeof(fmt));
	EXPECT_EQ(0, strncmp(text + 20, fmt, strlen(fmt)));
	/* One arena: its chunk count is the counter, one [chunks] line each. */
	EXPECT_EQ(st.chunks, strtoull(arenas + strlen("\n[arenas]\narena 0: chunks "), NULL, 10));
	EXPECT_EQ(st.chunks, count_lines(chunks + 1, sizes, "      0 "));
	EXPECT_EQ(1, count_lines(chunks + 1, sizes, "# arena list"));
	/* 48 classes with 8 KiB pages and max_order 11, the last huge. */
	EXPECT_EQ(48, value_of(sizes, "classes"));
	EXPECT_EQ(1, count_lines(sizes, caches, "   47 huge   >16777216"));
	/* The allocating thread's cache and the exited threads' counters. */
	EXPECT_EQ(1, count_lines(caches, caches + strlen(caches), "thread 0: cached_bytes "));
	EXPECT_EQ(1, count_lines(caches, caches + strlen(caches), "exited: cached_bytes 0 "));
	free(text);
	bufpool_destroy(pool);
}

TEST(print_flags)
{
	struct bufpool *pool = new_pool("flags", 2);
	void *v[24];
	char *text;
	int ret;

	ASSERT_NE(NULL, pool);
	traffic(pool, v, 24, 0);
	text = print_to_string(pool, BUFPOOL_PRINT_ARENAS, &ret);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(NULL, strstr(text, "[stats]"));
	EXPECT_NE(NULL, strstr(text, "[arenas]\narena 0: chunks "));
	EXPECT_NE(NULL, strstr(text, "\narena 1: chunks "));
	EXPECT_EQ(NULL, strstr(text, "[chunks]"));
	free(text);
	text = print_to_string(pool, BUFPOOL_PRINT_STATS | BUFPOOL_PRINT_JSON, &ret);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, strncmp(text, "{\"pool\": \"flags\", \"stats\": {\"allocations\": 24, ", 47));
	EXPECT_EQ(NULL, strstr(text, "\"arenas\""));
	free(text);
	text = print_to_string(pool, 0x200, &ret);
	EXPECT_EQ(-EINVAL, ret);
	free(text);
	EXPECT_EQ(-EINVAL, bufpool_stats_print(NULL, stdout, 0));
	bufpool_destroy(pool);
}

TEST(stats_file)
{
	char dir[] = "/tmp/bufpool-stats-XXXXXX", path[256], want[256];
	struct bufpool *pool;
	void *v[40];
	FILE *f;
	char text[8192];
	size_t n;

	ASSERT_NE(NULL, mkdtemp(dir));
	pool = new_pool("live", 1);
	ASSERT_NE(NULL, pool);
	traffic(pool, v, 40, 10);
	/* Explicitly. */
	snprintf(path, sizeof(path), "%s/direct", dir);
	ASSERT_EQ(0, bufpool_stats_dump_file(pool, path, BUFPOOL_PRINT_STATS));
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	EXPECT_EQ(0, strncmp(text, "pool: live\n[stats]\nallocations: 40\nfrees: 10\n", 45));
	EXPECT_EQ(-ENOENT, bufpool_stats_dump_file(pool, "/nonexistent/dir/x", 0));
	/* On each trim, with %p and %n expanded, %% kept as one. */
	snprintf(path, sizeof(path), "%s/%%p-%%n-%%%%.stats", dir);
	ASSERT_EQ(0, setenv("BUFPOOL_STATS_FILE", path, 1));
	ASSERT_EQ(0, bufpool_trim(pool));
	snprintf(want, sizeof(want), "%s/%d-live-%%.stats", dir, (int)getpid());
	f = fopen(want, "r");
	ASSERT_NE(NULL, f) TH_LOG("%s", want);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	EXPECT_EQ(30, value_of(text, "active"));
	EXPECT_NE(NULL, strstr(text, "\n[caches]\n"));
	/* Refreshed by the next trim. */
	bufpool_free(pool, v[10]);
	ASSERT_EQ(0, bufpool_trim(pool));
	f = fopen(want, "r");
	ASSERT_NE(NULL, f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	EXPECT_EQ(29, value_of(text, "active"));
	unsetenv("BUFPOOL_STATS_FILE");
	bufpool_destroy(pool);
	unlink(want);
	snprintf(path, sizeof(path), "%s/direct", dir);
	unlink(path);
	EXPECT_EQ(0, rmdir(dir));	/* no temporary file left behind */
}

TEST(config_sized)
{
	struct {
		struct bufpool_config cfg;
		unsigned char newer[16];	/* fields of a future header */
	} big;
	struct bufpool_config cfg;
	struct bufpool *pool;
	char why[160] = "";

	/* A newer caller's struct: defaults, the unknown tail zeroed. */
	memset(&big, 0xab, sizeof(big));
	bufpool_config_init_sized(&big.cfg, sizeof(big));
	EXPECT_EQ(8192, big.cfg.page_size);
	EXPECT_EQ(0, big.newer[0]);
	EXPECT_EQ(0, big.newer[15]);
	big.cfg.nr_arenas = 1;
	pool = bufpool_create_sized(&big.cfg, sizeof(big));
	ASSERT_NE(NULL, pool);
	/* Read back into the newer struct: its unknown tail zeroed again. */
	memset(&big, 0xab, sizeof(big));
	ASSERT_EQ(0, bufpool_get_config_sized(pool, &big.cfg, sizeof(big)));
	EXPECT_EQ(1, big.cfg.nr_arenas);
	EXPECT_EQ(8192, big.cfg.page_size);
	EXPECT_EQ(0, big.newer[0]);
	EXPECT_EQ(0, big.newer[15]);
	/* The first release's struct: the fields it has. */
	ASSERT_EQ(0, bufpool_get_config_sized(pool, &cfg, BUFPOOL_CONFIG_SIZE_V1));
	EXPECT_EQ(1, cfg.nr_arenas);
	EXPECT_EQ(-EINVAL, bufpool_get_config_sized(pool, &cfg, BUFPOOL_CONFIG_SIZE_V1 - 4));
	EXPECT_EQ(-EINVAL, bufpool_get_config_sized(NULL, &cfg, sizeof(cfg)));
	bufpool_destroy(pool);
	/* ... asking for something this library does not know: E2BIG. */
	big.newer[3] = 1;
	errno = 0;
	EXPECT_EQ(NULL, bufpool_create_sized(&big.cfg, sizeof(big)));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-E2BIG, bufpool_config_validate_sized(&big.cfg, sizeof(big), why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "does not know")) TH_LOG("%s", why);
	/* A struct smaller than the first release's: EINVAL, said so. */
	bufpool_config_init(&cfg);
	errno = 0;
	EXPECT_EQ(NULL, bufpool_create_sized(&cfg, BUFPOOL_CONFIG_SIZE_V1 - 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, bufpool_config_validate_sized(&cfg, 8, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "smaller than the first release")) TH_LOG("%s", why);
	/* Bad values are still found through the sized call. */
	cfg.page_size = 1000;
	EXPECT_EQ(-EINVAL, bufpool_config_validate(&cfg, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "page_size")) TH_LOG("%s", why);
	/* The plain names as old binaries call them. */
	pool = (bufpool_create)(NULL);
	ASSERT_NE(NULL, pool);
	bufpool_destroy(pool);
	(bufpool_config_init)(&cfg);
	EXPECT_EQ(0, (bufpool_config_validate)(&cfg, NULL, 0));
}

TEST_HARNESS_MAIN
