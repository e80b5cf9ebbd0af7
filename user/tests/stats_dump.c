// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * stats_dump.c - a library pool for scripts/check-bufpoolstat to read.
 *
 *   stats_dump NAME TEXT JSON   a pool named NAME (2 arenas, two threads'
 *                               traffic) printed by bufpool_stats_print()
 *                               into TEXT and, at the same instant, JSON
 *   stats_dump --live ROUNDS    a pool named "live" that allocates 100
 *                               more blocks and calls bufpool_trim() (which
 *                               rewrites $BUFPOOL_STATS_FILE) every 50 ms
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bufpool.h>

static struct bufpool *pool;

static void *traffic(void *arg)
{
	static void *v[2][600];
	void **mine = v[arg != NULL];
	int i;

	for (i = 0; i < 600; i++)
		mine[i] = bufpool_alloc(pool, (size_t)16 << (i % 13));
	for (i = 0; i < 600; i += 3)
		bufpool_free(pool, mine[i]);
	return NULL;
}

static struct bufpool *make(const char *name)
{
	struct bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.name = name;
	cfg.nr_arenas = 2;
	return bufpool_create(&cfg);
}

int main(int argc, char **argv)
{
	pthread_t t;
	FILE *f;
	int i;

	if (argc == 3 && !strcmp(argv[1], "--live")) {
		pool = make("live");
		for (i = 0; pool && i < atoi(argv[2]); i++) {
			int k;

			for (k = 0; k < 100; k++)
				bufpool_alloc(pool, 64);
			bufpool_trim(pool);
			usleep(50000);
		}
		return !pool;
	}
	if (argc != 4)
		return 2;
	pool = make(argv[1]);
	if (!pool)
		return 1;
	traffic(NULL);
	pthread_create(&t, NULL, traffic, pool);	/* a second thread's cache */
	pthread_join(t, NULL);
	f = fopen(argv[2], "w");
	if (!f || bufpool_stats_print(pool, f, 0) || fclose(f))
		return 1;
	f = fopen(argv[3], "w");
	if (!f || bufpool_stats_print(pool, f, BUFPOOL_PRINT_JSON) || fclose(f))
		return 1;
	return 0;
}
