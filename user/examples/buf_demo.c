// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * buf_demo.c - the seed's PoolBufTest with libbufpool's buffers: allocate
 * a buffer, writeInt(10), readInt() == 10, release - twice; the second
 * time the recycler hands back the same descriptor, and a write after
 * release fails.  Then a planted leak, reported by paranoid leak detection
 * at bufpool_destroy().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bufpool.h>

static struct bufpool_buf *leaky(struct bufpool *pool)
{
	struct bufpool_buf *b = bufpool_buf_alloc(pool, 64, 1024);

	bufpool_buf_write(b, "never released", 14);
	return b;
}

int main(void)
{
	struct bufpool_config cfg;
	struct bufpool_buf *first = NULL;
	struct bufpool *pool;
	int i, bad = 0;

	bufpool_config_init(&cfg);
	cfg.name = "buf-demo";
	cfg.leak_detection = BUFPOOL_LEAK_PARANOID;
	pool = bufpool_create(&cfg);
	if (!pool) {
		perror("bufpool_create");
		return 1;
	}
	for (i = 0; i < 2; i++) {
		struct bufpool_buf *b = bufpool_buf_alloc(pool, 256, SIZE_MAX);
		uint32_t v = 0;
		int w;

		bufpool_buf_write_u32(b, 10);
		bufpool_buf_read_u32(b, &v);
		printf("round %d: descriptor %s, readInt() = %u, refcnt %u\n", i + 1,
		       !first ? "new" : b == first ? "recycled (same as round 1)" : "different",
		       v, bufpool_buf_refcnt(b));
		bad |= v != 10 || (first && b != first);
		first = b;
		printf("round %d: release() = %d\n", i + 1, bufpool_buf_release(b));
		w = bufpool_buf_write_u32(b, 11);
		printf("round %d: write after release = %d (%s)\n", i + 1, w, strerror(-w));
		bad |= w != -EINVAL;
	}
	leaky(pool);
	printf("leak report (paranoid) before bufpool_destroy():\n");
	bufpool_leak_report(pool, stdout);
	bufpool_destroy(pool);	/* reports it again on stderr */
	return bad;
}
