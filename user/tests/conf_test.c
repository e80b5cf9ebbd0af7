// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * conf_test.c - bufpool_config_parse(), BUFPOOL_CONF and
 * bufpool_get_config(), with the kernel's kselftest harness (each test runs
 * in its own child process, so setenv() and stderr redirections stay
 * there).  Built with ASan + UBSan.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bufpool.h>
#include "kselftest_harness.h"

/* Every unsigned field: its key, a value that is not its default, the
 * largest value the parser takes for it, and the field. */
static const struct {
	const char *key;
	unsigned int value;
	unsigned long long max;
	size_t offset;
} fields[] = {
#define F(f, v, m) { #f, v, m, offsetof(struct bufpool_config, f) }
	F(page_size, 4096, 65536),
	F(max_order, 9, 14),
	F(nr_arenas, 3, 1024),
	F(flags, 3, 3),
	F(tiny_cache_size, 17, 65536),
	F(small_cache_size, 18, 65536),
	F(normal_cache_size, 19, 65536),
	F(max_cached_capacity, 16384, 65536u << 7),
	F(cache_trim_interval, 1000, UINT_MAX),
	F(cache_trim_interval_ms, 250, UINT_MAX),
	F(buf_recycler_size, 100, 65536),
	F(leak_detection, 2, 3),
	F(leak_sample_rate, 64, 1u << 20),
	F(chunk_retention_ms, 0, UINT_MAX),
	F(cache_refill, 5, 64),
#undef F
};

#define NR_FIELDS	(sizeof(fields) / sizeof(fields[0]))

/* Through a function: -Wformat-overflow sees a NULL past the table. */
static __attribute__((noinline)) const char *key(unsigned int i)
{
	return i < NR_FIELDS ? fields[i].key : "?";
}

static unsigned int field(const struct bufpool_config *cfg, size_t offset)
{
	return *(const unsigned int *)((const char *)cfg + offset);
}

static int parse(struct bufpool_config *cfg, const char *s, char *why, size_t len)
{
	char copy[1024];

	snprintf(copy, sizeof(copy), "%s", s);
	return bufpool_config_parse(cfg, copy, why, len);
}

TEST(every_key_alone)
{
	struct bufpool_config def, cfg;
	char s[128], why[256];
	unsigned int i, j;

	bufpool_config_init(&def);
	for (i = 0; i < NR_FIELDS; i++) {
		cfg = def;
		snprintf(s, sizeof(s), "%s:%u", fields[i].key, fields[i].value);
		ASSERT_EQ(0, parse(&cfg, s, why, sizeof(why))) TH_LOG("%s: %s", s, why);
		EXPECT_EQ(fields[i].value, field(&cfg, fields[i].offset)) TH_LOG("%s", s);
		ASSERT_NE(field(&def, fields[i].offset), fields[i].value) TH_LOG("%s", s);
		/* ... and nothing else changed. */
		for (j = 0; j < NR_FIELDS; j++)
			if (j != i)
				EXPECT_EQ(field(&def, fields[j].offset),
					  field(&cfg, fields[j].offset)) TH_LOG("%s changed %s", s, key(j));
	}
}

TEST(all_keys_at_once)
{
	struct bufpool_config cfg;
	char s[1024], name[] = "name:conf-test", why[256];
	size_t n = 0;
	unsigned int i;

	bufpool_config_init(&cfg);
	for (i = 0; i < NR_FIELDS; i++)
		n += snprintf(s + n, sizeof(s) - n, "%s:%u,", fields[i].key, fields[i].value);
	snprintf(s + n, sizeof(s) - n, "%s", name);
	ASSERT_EQ(0, bufpool_config_parse(&cfg, s, why, sizeof(why))) TH_LOG("%s", why);
	for (i = 0; i < NR_FIELDS; i++)
		EXPECT_EQ(fields[i].value, field(&cfg, fields[i].offset)) TH_LOG("%s", key(i));
	ASSERT_NE(NULL, cfg.name);
	EXPECT_STREQ("conf-test", cfg.name);
	/* The parsed string is a valid configuration as a whole. */
	EXPECT_EQ(0, bufpool_config_validate(&cfg, why, sizeof(why))) TH_LOG("%s", why);
}

TEST(numbers_names_and_repeats)
{
	struct bufpool_config cfg;
	char why[256];
	unsigned int i;
	static const char *const levels[] = { "simple", "disabled", "advanced", "paranoid" };

	bufpool_config_init(&cfg);
	ASSERT_EQ(0, parse(&cfg, "page_size:0x4000,flags:0X1", why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(16384, cfg.page_size);
	EXPECT_EQ(1, cfg.flags);
	/* Decimal with a leading zero is decimal, not octal. */
	ASSERT_EQ(0, parse(&cfg, "max_order:010", why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(10, cfg.max_order);
	/* The last of a repeated key wins. */
	ASSERT_EQ(0, parse(&cfg, "nr_arenas:1,nr_arenas:7", why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(7, cfg.nr_arenas);
	for (i = 0; i < 4; i++) {
		char s[64];

		snprintf(s, sizeof(s), "leak_detection:%s", levels[i]);
		ASSERT_EQ(0, parse(&cfg, s, why, sizeof(why))) TH_LOG("%s", why);
		EXPECT_EQ(i, cfg.leak_detection);
	}
	/* The largest values each key takes. */
	for (i = 0; i < NR_FIELDS; i++) {
		char s[64];

		snprintf(s, sizeof(s), "%s:%llu", fields[i].key, fields[i].max);
		EXPECT_EQ(0, parse(&cfg, s, why, sizeof(why))) TH_LOG("%s: %s", s, why);
		EXPECT_EQ(fields[i].max, field(&cfg, fields[i].offset)) TH_LOG("%s", s);
	}
}

TEST(errors_name_the_key_and_range)
{
	static const struct {
		const char *in, *why;
	} bad[] = {
		{ "bogus:1", "unknown key 'bogus'" },
		{ "page_size:12x", "page_size: '12x' is not a number; accepted: a power of two in 4096..65536" },
		{ "page_size:", "page_size: '' is not a number" },
		{ "page_size:-1", "page_size: '-1' is not a number" },
		{ "page_size: 4096", "page_size: ' 4096' is not a number" },
		{ "page_size:0x", "page_size: '0x' is not a number" },
		{ "page_size:1024", "page_size: 1024 out of range; accepted: a power of two in 4096..65536" },
		{ "max_order:15", "max_order: 15 out of range; accepted: 0..14" },
		{ "nr_arenas:1025", "nr_arenas: 1025 out of range; accepted: 0..1024" },
		{ "cache_refill:65", "cache_refill: 65 out of range; accepted: 0..64" },
		{ "cache_trim_interval:4294967296", "cache_trim_interval: 4294967296 out of range" },
		{ "chunk_retention_ms:99999999999999999999999", "chunk_retention_ms: '99999999999999999999999' is not a number" },
		{ "leak_detection:4", "leak_detection: 4 out of range; accepted: simple, disabled, advanced, paranoid or 0..3" },
		{ "leak_detection:loud", "leak_detection: 'loud' is not a number; accepted: simple, disabled, advanced, paranoid or 0..3" },
		{ "name:", "name: '' invalid" },
		{ "name:a/b", "name: 'a/b' invalid" },
		{ "name:0123456789012345678901234567890123", "name: '0123456789012345678901234567890123' invalid: accepted: 1..31 characters" },
		{ "", "empty string" },
		{ "page_size:4096,", "empty entry" },
		{ ",page_size:4096", "empty entry" },
		{ "page_size:4096,,max_order:9", "empty entry" },
		{ ",", "empty entry" },
		{ "page_size", "'page_size' has no ':'" },
		{ "max_order:9,page_size", "'page_size' has no ':'" },
		{ "max_order:9,bogus:2", "unknown key 'bogus'" },
	};
	struct bufpool_config cfg;
	char why[512];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bufpool_config_init(&cfg);
		why[0] = '\0';
		EXPECT_EQ(-EINVAL, parse(&cfg, bad[i].in, why, sizeof(why))) TH_LOG("'%s'", bad[i].in);
		EXPECT_NE(NULL, strstr(why, bad[i].why)) TH_LOG("'%s': got '%s'", bad[i].in, why);
	}
	/* Every key one past its largest value: out of range, naming it. */
	for (i = 0; i < NR_FIELDS; i++) {
		char s[64], want[64];

		snprintf(s, sizeof(s), "%s:%llu", fields[i].key, fields[i].max + 1);
		snprintf(want, sizeof(want), "%s: %llu out of range; accepted: ", fields[i].key,
			 fields[i].max + 1);
		EXPECT_EQ(-EINVAL, parse(&cfg, s, why, sizeof(why))) TH_LOG("%s", s);
		EXPECT_NE(NULL, strstr(why, want)) TH_LOG("%s: got '%s'", s, why);
	}
	/* NULL arguments; no room for the reason. */
	EXPECT_EQ(-EINVAL, bufpool_config_parse(NULL, why, NULL, 0));
	EXPECT_EQ(-EINVAL, bufpool_config_parse(&cfg, NULL, why, sizeof(why)));
	EXPECT_EQ(-EINVAL, parse(&cfg, "bogus:1", NULL, 0));
}

/* Random strings over the parser's alphabet: 0 or -EINVAL with a reason,
 * never a crash (ASan and UBSan watch). */
TEST(random_input_never_crashes)
{
	static const char *const parts[] = {
		"page_size", "max_order", "name", "leak_detection", "flags", "cache_refill",
		":", ":", ",", ",", "0", "1", "4096", "0x", "ff", "99999999999", "-", "/",
		"paranoid", " ", "nr_arenas", "bogus",
	};
	unsigned int i, j, ok = 0, bad = 0;
	struct bufpool_config cfg;
	char s[256], why[256];

	srand(12);
	for (i = 0; i < 20000; i++) {
		size_t n = 0;

		for (j = rand() % 12; j; j--)
			n += snprintf(s + n, sizeof(s) - n, "%s",
				      parts[rand() % (sizeof(parts) / sizeof(parts[0]))]);
		s[n] = '\0';
		bufpool_config_init(&cfg);
		why[0] = '\0';
		if (!bufpool_config_parse(&cfg, s, why, sizeof(why))) {
			ok++;
		} else {
			ASSERT_NE('\0', why[0]);
			bad++;
		}
	}
	/* Both outcomes happened: the generator reaches valid strings too. */
	EXPECT_LT(0, ok);
	EXPECT_LT(0, bad);
}

/* Redirect stderr into a file; returns the saved fd. */
static int stderr_to(FILE *f)
{
	int saved = dup(2);

	fflush(stderr);
	dup2(fileno(f), 2);
	return saved;
}

static size_t stderr_back(int saved, FILE *f, char *buf, size_t len)
{
	size_t n;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	return n;
}

TEST(env_applies_to_null_config_only)
{
	struct bufpool_config cfg, got;
	struct bufpool *pool;
	void *p;

	ASSERT_EQ(0, setenv("BUFPOOL_CONF", "page_size:4096,max_order:9,nr_arenas:3,name:fromenv,leak_detection:disabled", 1));
	pool = bufpool_create(NULL);
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, bufpool_get_config(pool, &got));
	EXPECT_EQ(4096, got.page_size);
	EXPECT_EQ(9, got.max_order);
	EXPECT_EQ(3, got.nr_arenas);
	EXPECT_EQ(BUFPOOL_LEAK_DISABLED, got.leak_detection);
	EXPECT_STREQ("fromenv", got.name);
	/* The rest are the defaults. */
	bufpool_config_init(&cfg);
	EXPECT_EQ(cfg.tiny_cache_size, got.tiny_cache_size);
	EXPECT_EQ(cfg.chunk_retention_ms, got.chunk_retention_ms);
	/* The pool really runs with it: a 3000-byte request takes a page. */
	p = bufpool_alloc(pool, 3000);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(4096, bufpool_usable_size(pool, p));
	bufpool_free(pool, p);
	bufpool_destroy(pool);

	/* Precedence: an explicit config is used as given. */
	cfg.page_size = 16384;
	cfg.max_order = 8;
	cfg.nr_arenas = 2;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, bufpool_get_config(pool, &got));
	EXPECT_EQ(16384, got.page_size);
	EXPECT_EQ(8, got.max_order);
	EXPECT_EQ(2, got.nr_arenas);
	EXPECT_EQ(BUFPOOL_LEAK_SIMPLE, got.leak_detection);
	EXPECT_STREQ("pool", got.name);
	bufpool_destroy(pool);
}

TEST(bad_env_reported_once_defaults_used)
{
	static const struct {
		const char *env, *why;
	} bad[] = {
		{ "max_order:99", "bufpool: BUFPOOL_CONF: max_order: 99 out of range; accepted: 0..14, page_size << max_order <= 1 GiB; BUFPOOL_CONF ignored, the defaults apply\n" },
		{ "page_size:4096,", "bufpool: BUFPOOL_CONF: empty entry" },
		{ "", "bufpool: BUFPOOL_CONF: empty string" },
		/* Each key fine, the whole not: bufpool_config_validate()'s words. */
		{ "page_size:4096,max_cached_capacity:1048576", "bufpool: BUFPOOL_CONF: max_cached_capacity=1048576 invalid: must be in 0..524288" },
		{ "page_size:12288", "bufpool: BUFPOOL_CONF: page_size=12288 invalid: must be a power of two in 4096..65536" },
		{ NULL, "bufpool: BUFPOOL_CONF: longer than 1023 characters" },
	};
	char longest[1100];
	struct bufpool_config def, got;
	unsigned int i;

	/* Valid entries, but one character too many. */
	memset(longest, 0, sizeof(longest));
	while (strlen(longest) < 1024)
		strcat(longest, "max_order:9,");
	longest[1024] = '\0';
	longest[1023] = '9';
	bufpool_config_init(&def);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *env = bad[i].env ? bad[i].env : longest;
		struct bufpool *a, *b;
		char out[1024];
		FILE *f;
		int saved;
		pid_t pid;
		int status;

		/* A child each: "once per process". */
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid) {
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
			EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
				TH_LOG("BUFPOOL_CONF='%.40s': status %#x", env, status);
			continue;
		}
		f = tmpfile();
		if (!f || setenv("BUFPOOL_CONF", env, 1))
			_exit(10);
		saved = stderr_to(f);
		a = bufpool_create(NULL);
		b = bufpool_create(NULL);
		stderr_back(saved, f, out, sizeof(out));
		if (!a || !b) {
			fprintf(stderr, "no pool\n");
			_exit(11);
		}
		/* One line, naming the key and range, ... */
		if (strncmp(out, bad[i].why, strlen(bad[i].why)) || strchr(out, '\n') != strrchr(out, '\n') ||
		    !strchr(out, '\n')) {
			fprintf(stderr, "'%.40s': stderr '%s'\n", env, out);
			_exit(12);
		}
		/* ... and the defaults, all of them. */
		bufpool_get_config(a, &got);
		if (got.page_size != def.page_size || got.max_order != def.max_order ||
		    got.max_cached_capacity != def.max_cached_capacity) {
			fprintf(stderr, "'%.40s': not the defaults\n", env);
			_exit(13);
		}
		bufpool_destroy(a);
		bufpool_destroy(b);
		_exit(0);
	}
}

TEST(get_config)
{
	struct bufpool_config cfg, got, got2;
	struct bufpool *pool, *again;

	ASSERT_EQ(0, unsetenv("BUFPOOL_CONF"));
	bufpool_config_init(&cfg);
	cfg.name = "readback";
	cfg.nr_arenas = 0;	/* one per CPU: read back resolved */
	cfg.cache_refill = 4;
	cfg.flags = BUFPOOL_F_MISUSE_COUNT;
	pool = bufpool_create(&cfg);
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, bufpool_get_config(pool, &got));
	EXPECT_STREQ("readback", got.name);
	EXPECT_NE(cfg.name, got.name);	/* the pool's copy */
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_CONF) > 1024 ? 1024 : sysconf(_SC_NPROCESSORS_CONF),
		  got.nr_arenas);
	EXPECT_EQ(4, got.cache_refill);
	EXPECT_EQ(BUFPOOL_F_MISUSE_COUNT, got.flags);
	EXPECT_EQ(cfg.page_size, got.page_size);
	EXPECT_EQ(cfg.max_cached_capacity, got.max_cached_capacity);
	/* What it reads back creates the same pool. */
	again = bufpool_create(&got);
	ASSERT_NE(NULL, again);
	ASSERT_EQ(0, bufpool_get_config(again, &got2));
	EXPECT_STREQ(got.name, got2.name);
	got2.name = got.name;
	EXPECT_EQ(0, memcmp(&got, &got2, sizeof(got)));
	bufpool_destroy(again);
	EXPECT_EQ(-EINVAL, bufpool_get_config(NULL, &got));
	EXPECT_EQ(-EINVAL, bufpool_get_config(pool, NULL));
	bufpool_destroy(pool);
	/* Without BUFPOOL_CONF a NULL config is the defaults. */
	pool = bufpool_create(NULL);
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, bufpool_get_config(pool, &got));
	bufpool_config_init(&cfg);
	EXPECT_EQ(cfg.page_size, got.page_size);
	EXPECT_EQ(cfg.max_order, got.max_order);
	EXPECT_STREQ("pool", got.name);
	bufpool_destroy(pool);
}

TEST(version)
{
	EXPECT_EQ(BUFPOOL_VERSION, bufpool_version());
	EXPECT_EQ(BUFPOOL_VERSION_MAJOR * 10000 + BUFPOOL_VERSION_MINOR * 100 +
		  BUFPOOL_VERSION_PATCH, BUFPOOL_VERSION);
}

TEST_HARNESS_MAIN
