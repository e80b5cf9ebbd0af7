// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * conf.c - a pool's configuration as text: bufpool_config_parse() reads
 * "key:value,key:value" (every field of struct bufpool_config), the
 * BUFPOOL_CONF environment variable uses it for pools created with a NULL
 * config, and bufpool_get_config() reads a pool's configuration back.
 *
 * A bad BUFPOOL_CONF is reported once per process on stderr and ignored as
 * a whole (the defaults apply, nothing of it is half-applied): a typo in
 * the environment must neither stop a program nor crash it.  An explicit
 * config given to bufpool_create() is used as it is: BUFPOOL_CONF does not
 * touch it.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include "geometry.h"
#include "cache.h"
#include "pool.h"
#include "leak.h"
#include "buf_internal.h"
#include "conf.h"

/**
 * struct bufpool_conf_key - one key of the configuration string
 * @key: its name, the field's
 * @offset: the unsigned int field in struct bufpool_config
 * @min: smallest value accepted here
 * @max: largest (bufpool_config_validate() checks what depends on other
 *       fields: page_size a power of two, max_cached_capacity against
 *       page_size, the chunk size)
 * @range: the accepted values, as error messages say them
 */
struct bufpool_conf_key {
	const char *key;
	size_t offset;
	unsigned int min;
	unsigned int max;
	const char *range;
};

#define KEY(f, lo, hi, r) { #f, offsetof(struct bufpool_config, f), lo, hi, r }
static const struct bufpool_conf_key conf_keys[] = {
	KEY(page_size, BUFPOOL_PAGE_SIZE_MIN, BUFPOOL_PAGE_SIZE_MAX,
	    "a power of two in 4096..65536"),
	KEY(max_order, 0, BUFPOOL_MAX_ORDER_MAX, "0..14, page_size << max_order <= 1 GiB"),
	KEY(nr_arenas, 0, BUFPOOL_NR_ARENAS_MAX, "0..1024, 0 = one per CPU"),
	KEY(flags, 0, BUFPOOL_F_MISUSE_COUNT | BUFPOOL_F_LEAK_REPORT_AT_EXIT,
	    "0..3 (1 = misuse_count, 2 = leak_report_at_exit)"),
	KEY(tiny_cache_size, 0, BUFPOOL_CACHE_SIZE_MAX, "0..65536"),
	KEY(small_cache_size, 0, BUFPOOL_CACHE_SIZE_MAX, "0..65536"),
	KEY(normal_cache_size, 0, BUFPOOL_CACHE_SIZE_MAX, "0..65536"),
	KEY(max_cached_capacity, 0, BUFPOOL_PAGE_SIZE_MAX << (BUFPOOL_CACHE_NORMAL_BINS - 1),
	    "0..page_size << 7"),
	KEY(cache_trim_interval, 0, UINT_MAX, "0..4294967295, 0 = never by count"),
	KEY(cache_trim_interval_ms, 0, UINT_MAX, "0..4294967295, 0 = off"),
	KEY(buf_recycler_size, 0, BUFPOOL_BUF_RECYCLER_MAX, "0..65536, 0 = 256"),
	KEY(leak_detection, 0, BUFPOOL_NR_LEAK_LEVELS - 1,
	    "simple, disabled, advanced, paranoid or 0..3"),
	KEY(leak_sample_rate, 0, 1u << 20, "0..1048576, 0 = 128"),
	KEY(chunk_retention_ms, 0, UINT_MAX, "0..4294967295, 0 = release at once"),
	KEY(cache_refill, 0, BUFPOOL_REFILL_MAX, "0..64, 0 = a quarter of the bin"),
};
#undef KEY

static const char *const leak_levels[BUFPOOL_NR_LEAK_LEVELS] = {
	[BUFPOOL_LEAK_SIMPLE] = "simple",
	[BUFPOOL_LEAK_DISABLED] = "disabled",
	[BUFPOOL_LEAK_ADVANCED] = "advanced",
	[BUFPOOL_LEAK_PARANOID] = "paranoid",
};

/* A whole unsigned number, decimal or 0x hex, no sign, no blanks. */
static bool conf_number(const char *s, unsigned long long *v)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	char *end;

	if (hex)
		s += 2;
	if (!(hex ? isxdigit((unsigned char)s[0]) : isdigit((unsigned char)s[0])))
		return false;
	errno = 0;
	*v = strtoull(s, &end, hex ? 16 : 10);
	return !errno && !*end;
}

static int conf_set(struct bufpool_config *cfg, char *key, char *val, char *why, size_t len)
{
	const struct bufpool_conf_key *k;
	unsigned long long v;
	unsigned int i;

	if (!strcmp(key, "name")) {
		if (!val[0] || strlen(val) >= BUFPOOL_NAME_MAX || strchr(val, '/')) {
			scnprintf(why, len, "name: '%s' invalid: accepted: 1..%d characters without '/' or ','",
				  val, BUFPOOL_NAME_MAX - 1);
			return -EINVAL;
		}
		cfg->name = val;
		return 0;
	}
	for (k = conf_keys; k < conf_keys + ARRAY_SIZE(conf_keys); k++)
		if (!strcmp(key, k->key))
			break;
	if (k == conf_keys + ARRAY_SIZE(conf_keys)) {
		scnprintf(why, len, "unknown key '%s' (keys: name, page_size, max_order, nr_arenas, flags, tiny_cache_size, small_cache_size, normal_cache_size, max_cached_capacity, cache_trim_interval, cache_trim_interval_ms, buf_recycler_size, leak_detection, leak_sample_rate, chunk_retention_ms, cache_refill)",
			  key);
		return -EINVAL;
	}
	if (!strcmp(key, "leak_detection")) {
		for (i = 0; i < ARRAY_SIZE(leak_levels); i++)
			if (!strcmp(val, leak_levels[i])) {
				cfg->leak_detection = i;
				return 0;
			}
	}
	if (!conf_number(val, &v)) {
		scnprintf(why, len, "%s: '%s' is not a number; accepted: %s", key, val, k->range);
		return -EINVAL;
	}
	if (v < k->min || v > k->max) {
		scnprintf(why, len, "%s: %s out of range; accepted: %s", key, val, k->range);
		return -EINVAL;
	}
	*(unsigned int *)((char *)cfg + k->offset) = v;
	return 0;
}

/**
 * bufpool_config_parse() - apply a "key:value,..." string to a configuration
 * @cfg: the configuration; the keys named are set, the others kept
 * @str: e.g. "page_size:4096,max_order:9,name:web"; modified in place (as
 *       getsubopt(3) does: each ',' and ':' becomes a NUL) and @cfg->name
 *       may point into it
 * @why: on failure, one line naming the key and the accepted values (may
 *       be NULL)
 * @len: size of @why
 *
 * Keys are the fields of struct bufpool_config; values are unsigned
 * numbers (decimal or 0x hex), a name for "name", and also simple,
 * disabled, advanced or paranoid for "leak_detection".  A key given twice
 * takes its last value.  An empty string, an empty entry (",,", a trailing
 * ','), an entry without ':', an unknown key, a value that is not a number
 * or out of the key's range are errors; what depends on two fields is left
 * to bufpool_config_validate().  On error @cfg may have been partly set.
 *
 * Context: any thread.
 * Return: 0, or -EINVAL.
 */
int bufpool_config_parse(struct bufpool_config *cfg, char *str, char *why, size_t len)
{
	char buf[8], *entry, *next, *val;
	int ret;

	if (!why || !len) {
		why = buf;
		len = sizeof(buf);
	}
	if (!cfg || !str) {
		scnprintf(why, len, "NULL %s", cfg ? "string" : "config");
		return -EINVAL;
	}
	if (!*str) {
		scnprintf(why, len, "empty string; expected key:value[,key:value...]");
		return -EINVAL;
	}
	for (entry = str; entry; entry = next) {
		next = strchr(entry, ',');
		if (next)
			*next++ = '\0';
		if (!*entry) {
			scnprintf(why, len, "empty entry (',,' or a ',' at the start or end); expected key:value[,key:value...]");
			return -EINVAL;
		}
		val = strchr(entry, ':');
		if (!val) {
			scnprintf(why, len, "'%s' has no ':'; expected key:value", entry);
			return -EINVAL;
		}
		*val++ = '\0';
		ret = conf_set(cfg, entry, val, why, len);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * bufpool_conf_from_env() - the configuration for bufpool_create(NULL)
 * @cfg: filled: the defaults, with BUFPOOL_CONF applied if it is set and
 *       valid
 * @buf: holds the parsed copy of BUFPOOL_CONF (@cfg->name may point into
 *       it); at least BUFPOOL_CONF_BUF bytes
 *
 * A bad BUFPOOL_CONF is reported on stderr once per process, naming the
 * key and the accepted values, and ignored as a whole.
 *
 * Context: any thread.
 */
void bufpool_conf_from_env(struct bufpool_config *cfg, char *buf)
{
	static bool reported;
	struct bufpool_config c;
	const char *env;
	char why[512];
	int ret;

	bufpool_config_init(cfg);
	env = getenv("BUFPOOL_CONF");
	if (!env)
		return;
	c = *cfg;
	if (strlen(env) >= BUFPOOL_CONF_BUF) {
		scnprintf(why, sizeof(why), "longer than %u characters", BUFPOOL_CONF_BUF - 1);
		ret = -EINVAL;
	} else {
		strscpy(buf, env, BUFPOOL_CONF_BUF);
		ret = bufpool_config_parse(&c, buf, why, sizeof(why));
		if (!ret)
			ret = bufpool_config_check(&c, why, sizeof(why));
	}
	if (!ret) {
		*cfg = c;
		return;
	}
	if (!__atomic_exchange_n(&reported, true, __ATOMIC_RELAXED))
		fprintf(stderr, "bufpool: BUFPOOL_CONF: %s; BUFPOOL_CONF ignored, the defaults apply\n",
			why);
}

/**
 * bufpool_get_config() - the configuration a pool runs with
 * @pool: the pool
 * @cfg: filled: what the pool was created with (BUFPOOL_CONF applied for a
 *       NULL config), nr_arenas as resolved (never 0), name pointing to
 *       the pool's copy (valid as long as the pool)
 *
 * Context: any thread.
 * Return: 0, or -EINVAL if an argument is NULL.
 */
#undef bufpool_get_config	/* the function of that name, for old binaries */
int bufpool_get_config(struct bufpool *pool, struct bufpool_config *cfg)
{
	if (!pool || !cfg)
		return -EINVAL;
	*cfg = pool->cfg;
	return 0;
}
