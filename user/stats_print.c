// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * stats_print.c - bufpool_stats_print() and the stats file: the kernel's
 * debugging views for a library pool.
 *
 * Text is the kernel's: the counters through the core's name table (the
 * debugfs "stats" file), arenas, chunks, sizeclasses and caches through
 * core/view.c (the debugfs files of those names), each under a "[section]"
 * line.  Caches are per thread here ("thread N", in the order threads
 * first used the pool, then "exited": what exited threads counted) where
 * the kernel's are per CPU.  JSON carries the same figures under the same
 * names, read through the same snapshots (core/introspect.c).
 *
 * A process shows its pool to bufpoolstat through a file: with
 * BUFPOOL_STATS_FILE set, bufpool_trim() and bufpool_destroy() rewrite it
 * (write a temporary file, rename it over: a reader never sees half of
 * one); "%p" in the path becomes the pid, "%n" the pool's name.  The
 * program decides when, no signal handler is involved.
 *
 * Lock order: the walks take one arena lock at a time; the caches section
 * holds world.lock (user/arena_select.c) while it copies every thread's
 * cache, without their locks as the kernel's debugfs reads them, into
 * memory allocated beforehand; nothing is printed or allocated under a lock
 * (stdio may allocate, and a thread's first allocation takes world.lock).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bufpool_seam.h>
#include "geometry.h"
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "world.h"
#include "introspect.h"
#include "stats_print.h"

static void file_puts(void *f, const char *line)
{
	fputs(line, f);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

#define JSON_STAT(name)	fprintf(f, "%s\"" #name "\": %llu", sep, \
				(unsigned long long)st.name), sep = ", ";

static void json_stats(FILE *f, struct bufpool *pool)
{
	struct bufpool_stats st;
	const char *sep = "";

	bufpool_stats_read(pool, &st);
	fputs("{", f);
	BUFPOOL_STATS(JSON_STAT)
	fputs("}", f);
}

static void json_arenas(FILE *f, struct bufpool *pool, struct bufpool_view_scratch *s)
{
	struct bufpool_arena_view *v = &s->arena;
	unsigned int a, i, b;

	fputs("[", f);
	for (a = 0; a < pool->nr_arenas; a++) {
		struct bufpool_arena *arena = &pool->arenas[a];
		const char *sep = "";

		bufpool_arena_view_read(arena, v, s->snap);
		fprintf(f, "%s{\"arena\": %u, \"chunks\": %llu, \"lists\": [", a ? ", " : "",
			arena->index, (unsigned long long)v->nr_chunks);
		for (i = 0; i < BUFPOOL_NR_QLISTS; i++) {
			fprintf(f, "%s{\"list\": ", i ? ", " : "");
			json_str(f, arena->lists[i].name);
			fprintf(f, ", \"chunks\": %u, \"usage\": {", v->count[i]);
			for (b = 0; b < BUFPOOL_USAGE_BUCKETS; b++) {
				fprintf(f, "%s", b ? ", " : "");
				json_str(f, bufpool_usage_bucket_name(b));
				fprintf(f, ": %u", v->hist[i][b]);
			}
			fputs("}}", f);
		}
		fputs("], \"subpages\": [", f);
		for (i = 0; i < BUFPOOL_NR_SUBPAGE_CLASSES; i++) {
			size_t size = bufpool_subpage_class_size(i);
			const struct bufpool_subpage_census *cs = &v->census;

			if (!cs->subpages[i])
				continue;
			fprintf(f, "%s{\"class\": \"%s\", \"size\": %zu, \"subpages\": %u, \"in_pool\": %u, \"elems_used\": %llu, \"elems_total\": %llu}",
				sep, size < BUFPOOL_TINY_LIMIT ? "tiny" : "small", size,
				cs->subpages[i], cs->in_pool[i],
				(unsigned long long)cs->elems_used[i],
				(unsigned long long)cs->elems_total[i]);
			sep = ", ";
		}
		fputs("]}", f);
	}
	fputs("]", f);
}

static void json_chunks(FILE *f, struct bufpool *pool, struct bufpool_view_scratch *s)
{
	struct bufpool_chunk_walk w;
	const char *sep = "";
	unsigned int a, n, i;

	fputs("[", f);
	for (a = 0; a < pool->nr_arenas; a++) {
		struct bufpool_arena *arena = &pool->arenas[a];

		bufpool_chunk_walk_init(&w, arena, NULL);
		while ((n = bufpool_chunk_walk_next(&w, s->snap, BUFPOOL_WALK_CHUNKS))) {
			for (i = 0; i < n; i++) {
				const struct bufpool_chunk_snap *c = &s->snap[i];

				fprintf(f, "%s{\"arena\": %u, \"list\": ", sep, c->arena);
				json_str(f, arena->lists[c->list].name);
				fprintf(f, ", \"usage\": %d, \"free_bytes\": %zu, \"largest_free\": %zu, \"subpages\": %u}",
					c->usage, c->free_bytes, c->largest_free, c->subpages);
				sep = ", ";
			}
		}
	}
	fputs("]", f);
}

static void json_sizeclasses(FILE *f, struct bufpool *pool)
{
	const struct bufpool_geometry *geo = &pool->geo;
	unsigned int i, nr = bufpool_nr_size_classes(geo);
	struct bufpool_class_info ci;

	fprintf(f, "{\"page_size\": %u, \"max_order\": %u, \"chunk_size\": %zu, \"classes\": [",
		geo->page_size, geo->max_order, geo->chunk_size);
	for (i = 0; i < nr; i++) {
		if (bufpool_size_class_info(pool, i, &ci))
			break;
		fprintf(f, "%s{\"index\": %u, \"class\": \"%s\", \"size\": %zu, \"elems_per_page\": %u, \"cache_size\": %u}",
			i ? ", " : "", i, bufpool_class_name(ci.cls), ci.size, ci.elems,
			ci.cls == BUFPOOL_CLASS_HUGE ? 0 : ci.cache_size);
	}
	fputs("]}", f);
}

/*
 * The caches, copied under world.lock into memory allocated before it is
 * taken, then printed with no lock held: printing may allocate (stdio),
 * and an allocation may need world.lock (a thread's first one binds it).
 */
struct cache_snaps {
	const struct bufpool *pool;
	unsigned int n, cap;
	struct bufpool_cache_view *v;
	bool *exited;
};

static void count_cache(struct bufpool_cache *c, void *arg)
{
	((struct cache_snaps *)arg)->n++;
}

static void copy_cache(struct bufpool_cache *c, void *arg)
{
	struct cache_snaps *cs = arg;

	if (cs->n < cs->cap) {
		bufpool_cache_view_read(cs->pool, c, &cs->v[cs->n]);
		cs->exited[cs->n] = c == &c->pool->retired_cache;
	}
	cs->n++;
}

/* Room for as many caches as there are now, and a few threads more. */
static int caches_read(struct bufpool *pool, struct cache_snaps *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->pool = pool;
	bufpool_cache_for_each(pool, count_cache, cs);
	cs->cap = cs->n + 16;
	cs->n = 0;
	cs->v = malloc(cs->cap * sizeof(*cs->v));
	cs->exited = malloc(cs->cap * sizeof(*cs->exited));
	if (!cs->v || !cs->exited) {
		free(cs->v);
		free(cs->exited);
		return -ENOMEM;
	}
	bufpool_cache_for_each(pool, copy_cache, cs);
	return 0;
}

static void caches_label(const struct cache_snaps *cs, unsigned int i, char *label, size_t len)
{
	if (cs->exited[i])
		snprintf(label, len, "exited");
	else
		snprintf(label, len, "thread %u", i);
}

static void json_cache(FILE *f, const char *label, const struct bufpool_cache_view *v)
{
	const struct bufpool_cache_stats *st = &v->st;
	enum bufpool_class cls;
	unsigned int i;

	fputs("{\"cache\": ", f);
	json_str(f, label);
	fprintf(f, ", \"cached_bytes\": %llu, \"trims\": %llu, \"classes\": {",
		(unsigned long long)st->cached_bytes, (unsigned long long)st->trims);
	for (cls = BUFPOOL_CLASS_TINY; cls < BUFPOOL_CLASS_HUGE; cls++)
		fprintf(f, "%s\"%s\": {\"hits\": %llu, \"misses\": %llu, \"frees\": %llu, \"flushed\": %llu}",
			cls ? ", " : "", bufpool_class_name(cls),
			(unsigned long long)st->hits[cls], (unsigned long long)st->misses[cls],
			(unsigned long long)st->frees[cls], (unsigned long long)st->flushed[cls]);
	fputs("}, \"bins\": [", f);
	for (i = 0; i < v->nr_bins; i++)
		fprintf(f, "%s{\"bin\": %d, \"size\": %zu, \"held\": %u, \"capacity\": %u, \"hits_since_trim\": %u}",
			i ? ", " : "", v->bins[i].bin, v->bins[i].size, v->bins[i].snap.count,
			v->bins[i].snap.size, v->bins[i].snap.hits);
	fputs("]}", f);
}

/* The caches section, text or JSON; -ENOMEM if there was no room to copy. */
static int print_caches(struct bufpool *pool, FILE *f, bool json, char *line)
{
	const struct bufpool_view_out out = { .puts = file_puts, .ctx = f };
	struct cache_snaps cs;
	unsigned int i;
	char label[32];

	if (caches_read(pool, &cs))
		return -ENOMEM;
	for (i = 0; i < min(cs.n, cs.cap); i++) {
		caches_label(&cs, i, label, sizeof(label));
		if (json) {
			fputs(i ? ", " : "", f);
			json_cache(f, label, &cs.v[i]);
		} else {
			bufpool_view_cache(&out, label, &cs.v[i], line);
		}
	}
	free(cs.v);
	free(cs.exited);
	return 0;
}

static int print_text(struct bufpool *pool, FILE *f, unsigned int flags,
		      struct bufpool_view_scratch *s)
{
	const struct bufpool_view_out out = { .puts = file_puts, .ctx = f };
	unsigned int a;

	fprintf(f, "pool: %s\n", pool->name);
	if (flags & BUFPOOL_PRINT_STATS) {
		struct bufpool_stats st;
		char text[BUFPOOL_STATS_TEXT_MAX];

		bufpool_stats_read(pool, &st);
		bufpool_stats_text(&st, text, sizeof(text));
		fprintf(f, "[stats]\n%s", text);
	}
	if (flags & BUFPOOL_PRINT_ARENAS) {
		fputs("[arenas]\n", f);
		for (a = 0; a < pool->nr_arenas; a++)
			bufpool_view_arena(&out, &pool->arenas[a], s);
	}
	if (flags & BUFPOOL_PRINT_CHUNKS) {
		fputs("[chunks]\n", f);
		bufpool_view_chunks_header(&out);
		for (a = 0; a < pool->nr_arenas; a++)
			bufpool_view_chunks(&out, &pool->arenas[a], s);
	}
	if (flags & BUFPOOL_PRINT_SIZECLASSES) {
		fputs("[sizeclasses]\n", f);
		bufpool_view_sizeclasses(&out, pool, s->line);
	}
	if (flags & BUFPOOL_PRINT_CACHES) {
		fputs("[caches]\n", f);
		return print_caches(pool, f, false, s->line);
	}
	return 0;
}

static int print_json(struct bufpool *pool, FILE *f, unsigned int flags,
		      struct bufpool_view_scratch *s)
{
	int ret = 0;

	fputs("{\"pool\": ", f);
	json_str(f, pool->name);
	if (flags & BUFPOOL_PRINT_STATS) {
		fputs(", \"stats\": ", f);
		json_stats(f, pool);
	}
	if (flags & BUFPOOL_PRINT_ARENAS) {
		fputs(", \"arenas\": ", f);
		json_arenas(f, pool, s);
	}
	if (flags & BUFPOOL_PRINT_CHUNKS) {
		fputs(", \"chunks\": ", f);
		json_chunks(f, pool, s);
	}
	if (flags & BUFPOOL_PRINT_SIZECLASSES) {
		fputs(", \"sizeclasses\": ", f);
		json_sizeclasses(f, pool);
	}
	if (flags & BUFPOOL_PRINT_CACHES) {
		fputs(", \"caches\": [", f);
		ret = print_caches(pool, f, true, s->line);
		fputs("]", f);
	}
	fputs("}\n", f);
	return ret;
}

/**
 * bufpool_stats_print() - print a pool's counters and views
 * @pool: the pool
 * @out: where (stderr if NULL)
 * @flags: BUFPOOL_PRINT_* sections (none: all of them), BUFPOOL_PRINT_JSON
 *         for one JSON object instead of text
 *
 * Context: any thread but the pool's own fork handlers; takes each arena
 * lock in turn, and world.lock for the caches.
 * Return: 0; -EINVAL for a NULL pool or an unknown flag; -ENOMEM; -EIO if
 * writing @out failed.
 */
int bufpool_stats_print(struct bufpool *pool, FILE *out, unsigned int flags)
{
	struct bufpool_view_scratch *s;
	int ret;

	if (!pool || (flags & ~(BUFPOOL_PRINT_ALL | BUFPOOL_PRINT_JSON)))
		return -EINVAL;
	if (!(flags & BUFPOOL_PRINT_ALL))
		flags |= BUFPOOL_PRINT_ALL;
	if (!out)
		out = stderr;
	s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (flags & BUFPOOL_PRINT_JSON)
		ret = print_json(pool, out, flags, s);
	else
		ret = print_text(pool, out, flags, s);
	free(s);
	if (fflush(out) || ferror(out))
		return -EIO;
	return ret;
}

/**
 * bufpool_stats_dump_file() - bufpool_stats_print() into a file, atomically
 * @pool: the pool
 * @path: the file; replaced by rename(), so a reader sees the old or the
 *        new contents, never part of one
 * @flags: as for bufpool_stats_print()
 *
 * Context: any thread; as bufpool_stats_print().
 * Return: 0, or a negative errno (-EINVAL for a NULL argument or a path
 * too long).
 */
int bufpool_stats_dump_file(struct bufpool *pool, const char *path, unsigned int flags)
{
	char tmp[4096];
	FILE *f;
	int ret, n;

	if (!pool || !path)
		return -EINVAL;
	n = snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	if (n < 0 || n >= (int)sizeof(tmp))
		return -EINVAL;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	ret = bufpool_stats_print(pool, f, flags);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/**
 * bufpool_stats_env_dump() - refresh $BUFPOOL_STATS_FILE, if it is set
 * @pool: the pool
 *
 * "%p" in the path is the pid, "%n" the pool's name, "%%" a '%'.  Errors
 * are ignored: the file is a convenience for watchers.
 *
 * Context: any thread; as bufpool_stats_print().
 */
void bufpool_stats_env_dump(struct bufpool *pool)
{
	const char *tmpl = getenv("BUFPOOL_STATS_FILE");
	char path[4096];
	size_t n = 0;

	if (!tmpl || !*tmpl)
		return;
	for (; *tmpl && n < sizeof(path) - 1; tmpl++) {
		if (*tmpl == '%' && tmpl[1] == 'p') {
			n += snprintf(path + n, sizeof(path) - n, "%d", (int)getpid());
			tmpl++;
		} else if (*tmpl == '%' && tmpl[1] == 'n') {
			n += snprintf(path + n, sizeof(path) - n, "%s", pool->name);
			tmpl++;
		} else if (*tmpl == '%' && tmpl[1] == '%') {
			path[n++] = '%';
			tmpl++;
		} else {
			path[n++] = *tmpl;
		}
	}
	if (n >= sizeof(path) - 1)
		return;		/* too long, or truncated */
	path[n] = '\0';
	bufpool_stats_dump_file(pool, path, 0);
}
