// SPDX-License-Identifier: GPL-2.0
/*
 * bufpoolstat - show a bufpool's counters, kernel or userspace, in one
 * table format.
 *
 * Sources, in the order tried by default:
 *   /dev/bufpool               ioctls INFO and STATS (bufpool.ko loaded)
 *   /sys/kernel/debug/bufpool/default/stats   the same counters via debugfs
 * or, when asked:
 *   --file PATH                "key: value" lines as written by the
 *                              library's bufpool_stats_format() (a process
 *                              can expose its pool's stats that way) or
 *                              copied from debugfs
 *   --lib                      an in-process libbufpool pool running a short
 *                              mixed workload: the userspace side, same table
 * Options: -w SECONDS (watch, refreshes like slabtop and shows rates),
 * --json, --classes (per-class table, the default), --arenas (the
 * per-arena debugfs view, kernel only), -h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/bufpool.h>	/* the uapi header: include/uapi/linux/ */
#include <bufpool.h>		/* the library */

#define DEBUGFS	"/sys/kernel/debug/bufpool/default"
#define MAX_KEYS 64

struct snapshot {
	char source[160];
	int nkeys;
	char keys[MAX_KEYS][64];
	unsigned long long vals[MAX_KEYS];
	struct bufpool_ioc_info info;
	int have_info;
};

static void put(struct snapshot *s, const char *key, unsigned long long v)
{
	int i;

	for (i = 0; i < s->nkeys; i++)
		if (!strcmp(s->keys[i], key)) {
			s->vals[i] = v;
			return;
		}
	if (s->nkeys == MAX_KEYS)
		return;
	snprintf(s->keys[s->nkeys], sizeof(s->keys[0]), "%s", key);
	s->vals[s->nkeys++] = v;
}

static unsigned long long get(const struct snapshot *s, const char *key)
{
	int i;

	for (i = 0; i < s->nkeys; i++)
		if (!strcmp(s->keys[i], key))
			return s->vals[i];
	return 0;
}

/* "key: value" lines: debugfs and bufpool_stats_format() alike. */
static int parse_kv(struct snapshot *s, FILE *f)
{
	char line[256], key[64];
	unsigned long long v;
	int n = 0;

	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63[a-z_0-9]: %llu", key, &v) == 2) {
			put(s, key, v);
			n++;
		}
	return n ? 0 : -EINVAL;
}

/* Counters through the library's own "key: value" format: one set of names. */
static int from_stats(struct snapshot *s, const struct bufpool_stats *st)
{
	char text[4096];
	FILE *f;
	int ret;

	bufpool_stats_format(st, text, sizeof(text));
	f = fmemopen(text, strlen(text), "r");
	if (!f)
		return -errno;
	ret = parse_kv(s, f);
	fclose(f);
	return ret;
}

#define PUT_IOC_STAT(name)	put(s, #name, st.name);

static int from_device(struct snapshot *s)
{
	struct bufpool_ioc_stats st = { .size = sizeof(st) };
	int fd = open("/dev/bufpool", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ioctl(fd, BUFPOOL_IOC_INFO, &s->info) || ioctl(fd, BUFPOOL_IOC_STATS, &st)) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	s->have_info = 1;
	/* The uapi struct has every counter of BUFPOOL_STATS(), by name. */
	BUFPOOL_STATS(PUT_IOC_STAT)
	snprintf(s->source, sizeof(s->source), "kernel, /dev/bufpool (ABI %u)", s->info.abi_version);
	return 0;
}

static int from_file(struct snapshot *s, const char *path, const char *what)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return -errno;
	ret = parse_kv(s, f);
	fclose(f);
	if (!ret)
		snprintf(s->source, sizeof(s->source), "%s, %s", what, path);
	return ret;
}

/* The userspace side: a pool in this process with some traffic. */
static struct bufpool *lib_pool;

static int from_lib(struct snapshot *s)
{
	static void *live[4096];
	static unsigned int round;
	struct bufpool_stats st;
	unsigned int i;
	int ret;

	if (!lib_pool) {
		lib_pool = bufpool_create(NULL);
		if (!lib_pool)
			return -errno;
	}
	for (i = 0; i < 4096; i++) {
		size_t size = (size_t)16 << ((i + round) % 14);

		bufpool_free(lib_pool, live[i]);
		live[i] = (i + round) % 3 ? bufpool_alloc(lib_pool, size) : NULL;
	}
	round++;
	bufpool_get_stats(lib_pool, &st);
	ret = from_stats(s, &st);
	snprintf(s->source, sizeof(s->source), "userspace, libbufpool in this process");
	return ret;
}

static void human(char *out, size_t len, unsigned long long b)
{
	const char *unit = "BKMGT";

	while (b >= 10240 && unit[1]) {
		b >>= 10;
		unit++;
	}
	snprintf(out, len, "%llu%c", b, *unit);
}

static double rate(const struct snapshot *now, const struct snapshot *prev,
		   const char *key, double secs)
{
	return prev && secs > 0 ? (get(now, key) - get(prev, key)) / secs : 0;
}

static void print_table(const struct snapshot *s, const struct snapshot *prev, double secs)
{
	static const char *const cls[] = { "tiny", "small", "normal", "huge" };
	char a[32], b[32], c[32];
	unsigned long long active = get(s, "active_bytes"), held = get(s, "chunk_bytes");
	int i;

	printf("bufpool: %s\n", s->source);
	if (s->have_info)
		printf("page_size %u  max_order %u  chunk %llu KiB  arenas %u  per-fd limits %llu handles / %llu bytes\n",
		       s->info.page_size, s->info.max_order,
		       (unsigned long long)s->info.chunk_size >> 10, s->info.nr_arenas,
		       (unsigned long long)s->info.max_handles_per_fd,
		       (unsigned long long)s->info.max_bytes_per_fd);
	printf("%-7s %12s %12s %10s %12s %12s%s\n", "class", "allocations", "frees", "active",
	       "cache_hits", "cache_misses", prev ? "   allocs/s" : "");
	for (i = 0; i < 4; i++) {
		char k[64];
		unsigned long long al, fr, hits = 0, miss = 0;

		snprintf(k, sizeof(k), "%s_allocations", cls[i]);
		al = get(s, k);
		snprintf(k, sizeof(k), "%s_frees", cls[i]);
		fr = get(s, k);
		if (i < 3) {
			snprintf(k, sizeof(k), "%s_cache_hits", cls[i]);
			hits = get(s, k);
			snprintf(k, sizeof(k), "%s_cache_misses", cls[i]);
			miss = get(s, k);
		}
		snprintf(k, sizeof(k), "%s_allocations", cls[i]);
		printf("%-7s %12llu %12llu %10llu %12llu %12llu", cls[i], al, fr, al - fr, hits, miss);
		if (prev)
			printf(" %11.0f", rate(s, prev, k, secs));
		printf("\n");
	}
	printf("%-7s %12llu %12llu %10llu %12llu %12llu", "total", get(s, "allocations"),
	       get(s, "frees"), get(s, "active"), get(s, "cache_hits"), get(s, "cache_misses"));
	if (prev)
		printf(" %11.0f", rate(s, prev, "allocations", secs));
	printf("\n");
	human(a, sizeof(a), held);
	human(b, sizeof(b), active);
	human(c, sizeof(c), get(s, "cached_bytes"));
	printf("chunks %llu (%s held)  live %s  cached %s  held/live %.2f  huge %llu  invalid_frees %llu  trims %llu  shrinker %llu/%llu\n",
	       get(s, "chunks"), a, b, c, active ? (double)held / active : 0.0,
	       get(s, "huge_active"), get(s, "invalid_frees"), get(s, "cache_trims"),
	       get(s, "shrinker_scans"), get(s, "shrinker_freed"));
	printf("arena locks %llu, contended %llu\n", get(s, "arena_locks"),
	       get(s, "arena_lock_contended"));
}

static void print_json(const struct snapshot *s)
{
	int i;

	printf("{\"source\": \"%s\"", s->source);
	if (s->have_info)
		printf(", \"info\": {\"abi_version\": %u, \"page_size\": %u, \"max_order\": %u, \"chunk_size\": %llu, \"nr_arenas\": %u, \"max_handles_per_fd\": %llu, \"max_bytes_per_fd\": %llu}",
		       s->info.abi_version, s->info.page_size, s->info.max_order,
		       (unsigned long long)s->info.chunk_size, s->info.nr_arenas,
		       (unsigned long long)s->info.max_handles_per_fd,
		       (unsigned long long)s->info.max_bytes_per_fd);
	printf(", \"stats\": {");
	for (i = 0; i < s->nkeys; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", s->keys[i], s->vals[i]);
	printf("}}\n");
}

static int print_arenas(void)
{
	FILE *f = fopen(DEBUGFS "/arenas", "r");
	char line[512];

	if (!f) {
		fprintf(stderr, "bufpoolstat: %s/arenas: %s (the per-arena view needs bufpool.ko and root for debugfs)\n",
			DEBUGFS, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}

enum src { SRC_AUTO, SRC_FILE, SRC_LIB };

static int take(struct snapshot *s, enum src src, const char *file)
{
	int dev_err, ret;

	memset(s, 0, sizeof(*s));
	if (src == SRC_LIB)
		return from_lib(s);
	if (src == SRC_FILE)
		return from_file(s, file, "file");
	dev_err = from_device(s);
	if (!dev_err)
		return 0;
	ret = from_file(s, DEBUGFS "/stats", "kernel, debugfs");
	if (!ret)
		return 0;
	if (dev_err == -ENOENT && ret == -ENOENT)
		fprintf(stderr, "bufpoolstat: no /dev/bufpool and no %s: is bufpool.ko loaded? (insmod kmod/bufpool.ko; debugfs mounted on /sys/kernel/debug?)\n",
			DEBUGFS);
	else if (dev_err == -EACCES)
		fprintf(stderr, "bufpoolstat: /dev/bufpool: permission denied (mode 0600 by default): run as root, or load bufpool.ko with dev_mode=0644\n");
	else
		fprintf(stderr, "bufpoolstat: /dev/bufpool: %s; %s/stats: %s\n",
			strerror(-dev_err), DEBUGFS, strerror(-ret));
	return dev_err;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: bufpoolstat [-w SECONDS] [--json] [--classes | --arenas] [--file PATH | --lib]\n"
		"  (default)      the loaded module: /dev/bufpool, else debugfs\n"
		"  --file PATH    \"key: value\" stats (bufpool_stats_format() output or a debugfs copy)\n"
		"  --lib          an in-process libbufpool pool with a short workload\n"
		"  -w SECONDS     refresh every SECONDS, with rates (Ctrl-C to stop)\n"
		"  --json         one JSON object per refresh\n"
		"  --arenas       the module's per-arena view (debugfs)\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "file", required_argument, NULL, 'f' },
		{ "lib", no_argument, NULL, 'l' }, { "classes", no_argument, NULL, 'c' },
		{ "arenas", no_argument, NULL, 'a' }, { "watch", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct snapshot cur, prev;
	enum src src = SRC_AUTO;
	const char *file = NULL;
	int json = 0, arenas = 0, opt, have_prev = 0;
	double watch = 0;
	char *end;

	while ((opt = getopt_long(argc, argv, "w:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'f': src = SRC_FILE; file = optarg; break;
		case 'l': src = SRC_LIB; break;
		case 'c': arenas = 0; break;
		case 'a': arenas = 1; break;
		case 'w':
			watch = strtod(optarg, &end);
			if (*end || !(watch > 0 && watch <= 3600)) {
				fprintf(stderr, "bufpoolstat: -w %s invalid: seconds in (0, 3600]\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bufpoolstat: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (arenas)
		return print_arenas();
	for (;;) {
		if (take(&cur, src, file)) {
			if (src == SRC_FILE)
				fprintf(stderr, "bufpoolstat: %s: %s\n", file,
					errno ? strerror(errno) : "no \"key: value\" lines");
			return 1;
		}
		if (json) {
			print_json(&cur);
		} else {
			if (watch)
				printf("\033[H\033[2J");
			print_table(&cur, have_prev ? &prev : NULL, watch);
		}
		fflush(stdout);
		if (!watch)
			return 0;
		prev = cur;
		have_prev = 1;
		usleep((useconds_t)(watch * 1e6));
	}
}
