// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * demo.c - libbufpool in a few lines: a pool, allocations of every class,
 * the stats, a refused double free, and the pool gone.
 *
 *   cc -o demo demo.c $(pkg-config --cflags --libs bufpool)
 */
#include <stdio.h>
#include <string.h>
#include <bufpool.h>

int main(void)
{
	static const size_t sizes[] = { 0, 100, 2000, 20000, 3 << 20, 40 << 20 };
	struct bufpool_config cfg;
	struct bufpool_stats st;
	struct bufpool *pool;
	void *p[6];
	char buf[1024];
	size_t i;

	bufpool_config_init(&cfg);
	cfg.name = "demo";
	cfg.flags = BUFPOOL_F_MISUSE_COUNT;	/* count misuse instead of abort() */
	pool = bufpool_create(&cfg);
	if (!pool) {
		perror("bufpool_create");
		return 1;
	}
	printf("pool 'demo': page_size %u, chunk %u KiB\n", cfg.page_size,
	       (cfg.page_size << cfg.max_order) >> 10);
	for (i = 0; i < 6; i++) {
		p[i] = bufpool_alloc(pool, sizes[i]);
		if (!p[i]) {
			perror("bufpool_alloc");
			return 1;
		}
		memset(p[i], 0xa5, sizes[i]);
		printf("  alloc %9zu bytes -> usable %9zu\n", sizes[i],
		       bufpool_usable_size(pool, p[i]));
	}
	bufpool_get_stats(pool, &st);
	bufpool_stats_format(&st, buf, sizeof(buf));
	printf("stats with 6 live allocations:\n%s", buf);

	for (i = 0; i < 6; i++)
		bufpool_free(pool, p[i]);
	bufpool_free(pool, p[1]);		/* a double free: refused, counted */
	bufpool_get_stats(pool, &st);
	printf("after freeing all and one double free: active %llu, invalid_frees %llu, chunks %llu\n",
	       (unsigned long long)st.active, (unsigned long long)st.invalid_frees,
	       (unsigned long long)st.chunks);
	bufpool_destroy(pool);
	return st.active == 0 && st.invalid_frees == 1 ? 0 : 1;
}
