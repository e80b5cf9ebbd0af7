// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bufpoolstat - show a bufpool's counters, kernel or userspace, in one
 * table format.
 *
 * Sources, in the order tried by default:
 *   /dev/bufpool               ioctls INFO and STATS (bufpool.ko loaded;
 *                              the module's default pool)
 *   /sys/kernel/debug/bufpool/NAME/{stats,arenas}   any kernel pool
 *                              (--pool NAME; --list names them)
 * or, when asked:
 *   --file PATH                a library pool's stats file, as
 *                              bufpool_stats_dump_file() and
 *                              BUFPOOL_STATS_FILE write it ("[section]"
 *                              lines, each the debugfs text), or "key:
 *                              value" lines (bufpool_stats_format(), a
 *                              debugfs copy); re-read at each refresh, so
 *                              -w watches a live process
 *   --lib                      an in-process libbufpool pool running a short
 *                              mixed workload
 * Every source goes through the same "key: value" / debugfs text parser,
 * so a counter has one name everywhere (BUFPOOL_STATS() in
 * <bufpool_stats.h>).  Output: a per-class table (--sort COLUMN orders its
 * rows), or one JSON object (--json; strings escaped); --arenas prints the
 * per-arena view, as text or, with --json, as JSON.  -w SECONDS refreshes,
 * -n COUNT stops after COUNT refreshes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <dirent.h>
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

#define DEBUGFS_ROOT	"/sys/kernel/debug/bufpool"
#define MAX_KEYS	128
#define TEXT_MAX	(1 << 20)

struct snapshot {
	char source[512];
	int nkeys;
	char keys[MAX_KEYS][64];
	unsigned long long vals[MAX_KEYS];
	struct bufpool_ioc_info info;
	int have_info;
	char *arenas;		/* the "arenas" text, when asked for */
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

/* A whole file in memory (NUL-terminated), or NULL with errno set. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(TEXT_MAX + 1);
	if (!buf) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	n = fread(buf, 1, TEXT_MAX, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * The body of "[name]" in a sectioned text (bufpool_stats_print()), as a
 * new string; a text without sections is all "stats".  NULL if absent.
 */
static char *section(const char *text, const char *name)
{
	char mark[64];
	const char *start, *end;

	if (strncmp(text, "pool: ", 6) && !strstr(text, "\n[stats]\n"))
		return strcmp(name, "stats") ? NULL : strdup(text);
	snprintf(mark, sizeof(mark), "\n[%s]\n", name);
	start = strstr(text, mark);
	if (!start)
		return NULL;
	start += strlen(mark);
	end = strstr(start, "\n[");
	return strndup(start, end ? (size_t)(end - start + 1) : strlen(start));
}

/* "key: value" lines: debugfs, bufpool_stats_format(), a [stats] section. */
static int parse_kv(struct snapshot *s, const char *text)
{
	char key[64];
	unsigned long long v;
	int n = 0;

	for (; text && *text; text = strchr(text, '\n') ? strchr(text, '\n') + 1 : "")
		if (sscanf(text, "%63[a-z_0-9]: %llu", key, &v) == 2) {
			put(s, key, v);
			n++;
		}
	return n ? 0 : -EINVAL;
}

/* A sectioned or plain stats text: counters, the pool's name, arenas. */
static int from_text(struct snapshot *s, const char *text, int want_arenas)
{
	char *stats = section(text, "stats");
	char name[256];
	int ret;

	ret = parse_kv(s, stats);
	free(stats);
	if (sscanf(text, "pool: %255[^\n]", name) == 1)
		snprintf(s->source + strlen(s->source), sizeof(s->source) - strlen(s->source),
			 ", pool %s", name);
	if (want_arenas) {
		s->arenas = section(text, "arenas");
		if (!s->arenas)
			return -ENOENT;
	}
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

static int from_file(struct snapshot *s, const char *path, const char *what, int want_arenas)
{
	char *text = slurp(path);
	int ret;

	if (!text)
		return -errno;
	snprintf(s->source, sizeof(s->source), "%s, %s", what, path);
	ret = from_text(s, text, want_arenas);
	free(text);
	return ret;
}

/* A kernel pool through debugfs: stats, and arenas if asked. */
static int from_debugfs(struct snapshot *s, const char *pool, int want_arenas)
{
	char path[512];
	int ret;

	snprintf(path, sizeof(path), DEBUGFS_ROOT "/%s/stats", pool);
	ret = from_file(s, path, "kernel, debugfs", 0);
	if (ret || !want_arenas)
		return ret;
	snprintf(path, sizeof(path), DEBUGFS_ROOT "/%s/arenas", pool);
	s->arenas = slurp(path);
	return s->arenas ? 0 : -errno;
}

/* The userspace side: a pool in this process with some traffic. */
static struct bufpool *lib_pool;

static int from_lib(struct snapshot *s, int want_arenas)
{
	static void *live[4096];
	static unsigned int round;
	char *text = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f;
	int ret;

	if (!lib_pool) {
		struct bufpool_config cfg;

		bufpool_config_init(&cfg);
		cfg.name = "bufpoolstat";
		lib_pool = bufpool_create(&cfg);
		if (!lib_pool)
			return -errno;
	}
	for (i = 0; i < 4096; i++) {
		size_t size = (size_t)16 << ((i + round) % 14);

		bufpool_free(lib_pool, live[i]);
		live[i] = (i + round) % 3 ? bufpool_alloc(lib_pool, size) : NULL;
	}
	round++;
	f = open_memstream(&text, &len);
	if (!f)
		return -errno;
	ret = bufpool_stats_print(lib_pool, f, BUFPOOL_PRINT_STATS |
				  (want_arenas ? BUFPOOL_PRINT_ARENAS : 0));
	fclose(f);
	snprintf(s->source, sizeof(s->source), "userspace, libbufpool in this process");
	if (!ret)
		ret = from_text(s, text, want_arenas);
	free(text);
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

/* One row of the class table. */
struct class_row {
	const char *name;
	unsigned long long allocations, frees, active, cache_hits, cache_misses;
	double rate;
};

static const char *const sort_keys[] = {
	"class", "allocations", "frees", "active", "cache_hits", "cache_misses", "rate", NULL,
};

static unsigned long long row_key(const struct class_row *r, int key)
{
	switch (key) {
	case 1: return r->allocations;
	case 2: return r->frees;
	case 3: return r->active;
	case 4: return r->cache_hits;
	case 5: return r->cache_misses;
	case 6: return (unsigned long long)r->rate;
	}
	return 0;
}

/* The four class rows, in class order or by @sort (descending, stable). */
static void class_rows(const struct snapshot *s, const struct snapshot *prev, double secs,
		       int sort, struct class_row rows[4])
{
	static const char *const cls[] = { "tiny", "small", "normal", "huge" };
	char k[64];
	int i, j;

	for (i = 0; i < 4; i++) {
		struct class_row *r = &rows[i];

		memset(r, 0, sizeof(*r));
		r->name = cls[i];
		snprintf(k, sizeof(k), "%s_frees", cls[i]);
		r->frees = get(s, k);
		if (i < 3) {
			snprintf(k, sizeof(k), "%s_cache_hits", cls[i]);
			r->cache_hits = get(s, k);
			snprintf(k, sizeof(k), "%s_cache_misses", cls[i]);
			r->cache_misses = get(s, k);
		}
		snprintf(k, sizeof(k), "%s_allocations", cls[i]);
		r->allocations = get(s, k);
		r->active = r->allocations - r->frees;
		r->rate = rate(s, prev, k, secs);
	}
	for (i = 1; sort && i < 4; i++)		/* insertion sort: stable */
		for (j = i; j > 0 && row_key(&rows[j], sort) > row_key(&rows[j - 1], sort); j--) {
			struct class_row t = rows[j];

			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
}

static void print_table(const struct snapshot *s, const struct snapshot *prev, double secs,
			int sort)
{
	char a[32], b[32], c[32];
	unsigned long long active = get(s, "active_bytes"), held = get(s, "chunk_bytes");
	struct class_row rows[4];
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
	class_rows(s, prev, secs, sort, rows);
	for (i = 0; i < 4; i++) {
		printf("%-7s %12llu %12llu %10llu %12llu %12llu", rows[i].name,
		       rows[i].allocations, rows[i].frees, rows[i].active,
		       rows[i].cache_hits, rows[i].cache_misses);
		if (prev)
			printf(" %11.0f", rows[i].rate);
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

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_str(const char *str)
{
	const unsigned char *p = (const unsigned char *)str;

	putchar('"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/*
 * The debugfs "arenas" text (core/view.c) as a JSON array: per arena its
 * chunk count, per usage list its chunks and histogram, per subpage size
 * its counts; the names are the text's column headers.
 */
static void json_arenas(const char *text)
{
	char line[512], *tok[16], buckets[8][16];
	int nb = 0, in_class = 0, narena = 0, nrow = 0, n, i;
	const char *p = text;

	putchar('[');
	while (*p) {
		size_t len = strcspn(p, "\n");
		unsigned int idx;
		unsigned long long chunks;

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		if (sscanf(line, "arena %u: chunks %llu", &idx, &chunks) == 2) {
			printf("%s{\"arena\": %u, \"chunks\": %llu, \"lists\": [",
			       narena++ ? "]}, " : "", idx, chunks);
			in_class = 0;
			nrow = 0;
			continue;
		}
		for (n = 0, tok[0] = strtok(line, " "); tok[n] && n < 15; tok[++n] = strtok(NULL, " "))
			;
		if (!n || !narena)
			continue;
		if (!strcmp(tok[0], "list")) {
			for (nb = 0; nb + 2 < n && nb < 8; nb++)
				snprintf(buckets[nb], sizeof(buckets[0]), "%s", tok[nb + 2]);
		} else if (!strcmp(tok[0], "class")) {
			printf("], \"subpages\": [");
			in_class = 1;
			nrow = 0;
		} else if (in_class && n == 5) {
			unsigned long long used = 0, total = 0;

			sscanf(tok[4], "%llu/%llu", &used, &total);
			printf("%s{\"class\": ", nrow++ ? ", " : "");
			json_str(tok[0]);
			printf(", \"size\": %s, \"subpages\": %s, \"in_pool\": %s, \"elems_used\": %llu, \"elems_total\": %llu}",
			       tok[1], tok[2], tok[3], used, total);
		} else if (!in_class && n == nb + 2) {
			printf("%s{\"list\": ", nrow++ ? ", " : "");
			json_str(tok[0]);
			printf(", \"chunks\": %llu, \"usage\": {", strtoull(tok[1], NULL, 10));
			for (i = 0; i < nb; i++) {
				printf("%s", i ? ", " : "");
				json_str(buckets[i]);
				printf(": %llu", strtoull(tok[i + 2], NULL, 10));
			}
			printf("}}");
		}
	}
	if (narena)
		printf("%s]}", in_class ? "" : "], \"subpages\": [");
	putchar(']');
}

static void print_json(const struct snapshot *s, const struct snapshot *prev, double secs,
		       int sort, int arenas)
{
	struct class_row rows[4];
	int i;

	printf("{\"source\": ");
	json_str(s->source);
	if (s->have_info)
		printf(", \"info\": {\"abi_version\": %u, \"page_size\": %u, \"max_order\": %u, \"chunk_size\": %llu, \"nr_arenas\": %u, \"max_handles_per_fd\": %llu, \"max_bytes_per_fd\": %llu}",
		       s->info.abi_version, s->info.page_size, s->info.max_order,
		       (unsigned long long)s->info.chunk_size, s->info.nr_arenas,
		       (unsigned long long)s->info.max_handles_per_fd,
		       (unsigned long long)s->info.max_bytes_per_fd);
	if (arenas) {
		printf(", \"arenas\": ");
		json_arenas(s->arenas);
		printf("}\n");
		return;
	}
	printf(", \"stats\": {");
	for (i = 0; i < s->nkeys; i++) {
		printf("%s", i ? ", " : "");
		json_str(s->keys[i]);
		printf(": %llu", s->vals[i]);
	}
	printf("}, \"classes\": [");
	class_rows(s, prev, secs, sort, rows);
	for (i = 0; i < 4; i++) {
		printf("%s{\"class\": \"%s\", \"allocations\": %llu, \"frees\": %llu, \"active\": %llu, \"cache_hits\": %llu, \"cache_misses\": %llu",
		       i ? ", " : "", rows[i].name, rows[i].allocations, rows[i].frees,
		       rows[i].active, rows[i].cache_hits, rows[i].cache_misses);
		if (prev)
			printf(", \"allocs_per_s\": %.1f", rows[i].rate);
		printf("}");
	}
	printf("]}\n");
}

static int list_pools(void)
{
	DIR *d = opendir(DEBUGFS_ROOT);
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "bufpoolstat: %s: %s (kernel pools need bufpool.ko, debugfs and root)\n",
			DEBUGFS_ROOT, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			printf("%s\n", e->d_name);
	closedir(d);
	return 0;
}

enum src { SRC_AUTO, SRC_FILE, SRC_LIB };

struct options {
	enum src src;
	const char *file;
	const char *pool;	/* a kernel pool by name; NULL: default */
	int arenas;
};

static int take(struct snapshot *s, const struct options *o)
{
	int dev_err = -ENOENT, ret;

	free(s->arenas);
	memset(s, 0, sizeof(*s));
	if (o->src == SRC_LIB)
		return from_lib(s, o->arenas);
	if (o->src == SRC_FILE)
		return from_file(s, o->file, "file", o->arenas);
	/* /dev/bufpool serves the default pool's counters, not its views. */
	if (!o->arenas && (!o->pool || !strcmp(o->pool, "default"))) {
		dev_err = from_device(s);
		if (!dev_err)
			return 0;
		memset(s, 0, sizeof(*s));
	}
	ret = from_debugfs(s, o->pool ? o->pool : "default", o->arenas);
	if (!ret)
		return 0;
	if (o->pool && ret == -ENOENT && !access(DEBUGFS_ROOT, F_OK))
		fprintf(stderr, "bufpoolstat: no kernel pool '%s' (bufpoolstat --list names them)\n",
			o->pool);
	else if (dev_err == -ENOENT && ret == -ENOENT)
		fprintf(stderr, "bufpoolstat: no /dev/bufpool and no %s/%s: is bufpool.ko loaded? (insmod kmod/bufpool.ko; debugfs mounted on /sys/kernel/debug?)\n",
			DEBUGFS_ROOT, o->pool ? o->pool : "default");
	else if (dev_err == -EACCES)
		fprintf(stderr, "bufpoolstat: /dev/bufpool: permission denied (mode 0600 by default): run as root, or load bufpool.ko with dev_mode=0644\n");
	else
		fprintf(stderr, "bufpoolstat: %s/%s: %s\n", DEBUGFS_ROOT,
			o->pool ? o->pool : "default", strerror(-ret));
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: bufpoolstat [-w SECONDS] [-n COUNT] [--json] [--classes | --arenas]\n"
		"                   [--sort COLUMN] [--pool NAME | --file PATH | --lib | --list]\n"
		"  (default)      the module's default pool: /dev/bufpool, else debugfs\n"
		"  --pool NAME    a kernel pool by name (debugfs, root)\n"
		"  --list         the kernel pools' names\n"
		"  --file PATH    a library pool's stats file (BUFPOOL_STATS_FILE,\n"
		"                 bufpool_stats_dump_file()) or \"key: value\" lines\n"
		"  --lib          an in-process libbufpool pool with a short workload\n"
		"  -w SECONDS     refresh every SECONDS, with rates (Ctrl-C to stop)\n"
		"  -n COUNT       stop after COUNT refreshes (-w 1 if no -w)\n"
		"  --json         one JSON object per refresh\n"
		"  --arenas       the per-arena view (debugfs \"arenas\"), text or JSON\n"
		"  --sort COLUMN  order class rows by allocations, frees, active,\n"
		"                 cache_hits, cache_misses or rate (descending)\n"
		"  --version      versions of this tool, the ioctl ABI and the counters\n");
}

static void version(void)
{
	printf("bufpoolstat");
#ifdef BUFPOOL_VERSION_MAJOR
	printf(" %d.%d.%d", BUFPOOL_VERSION_MAJOR, BUFPOOL_VERSION_MINOR, BUFPOOL_VERSION_PATCH);
#endif
	printf(" (ioctl ABI %u, %d counters)\n", BUFPOOL_ABI_VERSION, BUFPOOL_NR_STATS);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "file", required_argument, NULL, 'f' },
		{ "lib", no_argument, NULL, 'l' }, { "classes", no_argument, NULL, 'c' },
		{ "arenas", no_argument, NULL, 'a' }, { "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' }, { "pool", required_argument, NULL, 'p' },
		{ "sort", required_argument, NULL, 's' }, { "list", no_argument, NULL, 'L' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct snapshot cur = { 0 }, prev = { 0 };
	struct options o = { .src = SRC_AUTO };
	int json = 0, opt, have_prev = 0, sort = 0, i;
	long count = 0, done = 0;
	double watch = 0;
	char *end;

	while ((opt = getopt_long(argc, argv, "w:n:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'f': o.src = SRC_FILE; o.file = optarg; break;
		case 'l': o.src = SRC_LIB; break;
		case 'p': o.pool = optarg; break;
		case 'c': o.arenas = 0; break;
		case 'a': o.arenas = 1; break;
		case 'L': return list_pools();
		case 'V': version(); return 0;
		case 'w':
			watch = strtod(optarg, &end);
			if (*end || !(watch > 0 && watch <= 3600)) {
				fprintf(stderr, "bufpoolstat: -w %s invalid: seconds in (0, 3600]\n", optarg);
				return 2;
			}
			break;
		case 'n':
			count = strtol(optarg, &end, 10);
			if (*end || count < 1) {
				fprintf(stderr, "bufpoolstat: -n %s invalid: a count >= 1\n", optarg);
				return 2;
			}
			break;
		case 's':
			for (i = 0; sort_keys[i] && strcmp(sort_keys[i], optarg); i++)
				;
			if (!sort_keys[i]) {
				fprintf(stderr, "bufpoolstat: --sort %s invalid: one of allocations, frees, active, cache_hits, cache_misses, rate, class\n",
					optarg);
				return 2;
			}
			sort = i;
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
	if (o.pool && o.src != SRC_AUTO) {
		fprintf(stderr, "bufpoolstat: --pool names a kernel pool; a library pool's file names its pool\n");
		return 2;
	}
	if (count && !watch)
		watch = 1;
	for (;;) {
		int ret = take(&cur, &o);

		if (ret) {
			if (o.src == SRC_FILE)
				fprintf(stderr, "bufpoolstat: %s: %s\n", o.file,
					ret == -EINVAL ? "no \"key: value\" lines" :
					ret == -ENOENT && o.arenas ? "no [arenas] section" :
					strerror(-ret));
			return 1;
		}
		if (json) {
			print_json(&cur, have_prev ? &prev : NULL, watch, sort, o.arenas);
		} else {
			if (watch && isatty(STDOUT_FILENO))
				printf("\033[H\033[2J");
			if (o.arenas)
				fputs(cur.arenas, stdout);
			else
				print_table(&cur, have_prev ? &prev : NULL, watch, sort);
		}
		fflush(stdout);
		if (!watch || (count && ++done >= count))
			break;
		free(prev.arenas);
		prev = cur;
		cur.arenas = NULL;
		have_prev = 1;
		usleep((useconds_t)(watch * 1e6));
	}
	free(cur.arenas);
	free(prev.arenas);
	return 0;
}
