// SPDX-License-Identifier: GPL-2.0
/*
 * bufpool_demo.c - another module using bufpool's exported API, for
 * `make run`: at load it allocates @count buffers of each of a few sizes
 * (one per class) from the default pool, writes and checks them, and keeps
 * them; at unload it frees them.  Between the two the pool's debugfs stats
 * show them live.  For the tests: leak=1 keeps them at unload (bufpool
 * must report and reclaim them when it unloads), misuse=1 tries a double
 * free, an interior free and a foreign free at load (each must be refused).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/bufpool.h>

static unsigned int count = 8;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "buffers per size (default 8, at most 1024)");

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "do not free at unload (default no)");

static bool misuse;
module_param(misuse, bool, 0444);
MODULE_PARM_DESC(misuse, "try three invalid frees at load (default no)");

static void demo_misuse(struct bufpool *pool)
{
	char *p = bufpool_alloc(pool, 64, GFP_KERNEL);
	void *foreign = kmalloc(64, GFP_KERNEL);
	char *q = bufpool_alloc(pool, 64, GFP_KERNEL);

	bufpool_free(pool, p);
	bufpool_free(pool, p);		/* double free */
	bufpool_free(pool, q + 8);	/* interior */
	bufpool_free(pool, foreign);	/* not from the pool */
	bufpool_free(pool, q);
	kfree(foreign);
}

/* One tiny, one small, one normal, one huge for the default geometry. */
static const size_t demo_sizes[] = { 100, 2000, 20000, 5 << 20 };

static void **demo_bufs;

static int __init bufpool_demo_init(void)
{
	struct bufpool *pool = bufpool_default_pool();
	unsigned int i, j, n = ARRAY_SIZE(demo_sizes);

	if (count > 1024) {
		pr_err("bufpool_demo: count=%u invalid: must be in 0..1024\n", count);
		return -EINVAL;
	}
	demo_bufs = kcalloc(n * count + 1, sizeof(*demo_bufs), GFP_KERNEL);
	if (!demo_bufs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		for (j = 0; j < count; j++) {
			u8 *p = bufpool_alloc(pool, demo_sizes[i], GFP_KERNEL);

			if (!p)
				goto fail;
			memset(p, j & 0xff, demo_sizes[i]);
			if (p[demo_sizes[i] - 1] != (j & 0xff))
				goto fail;
			demo_bufs[i * count + j] = p;
		}
		pr_info("bufpool_demo: %u x %zu bytes (usable %zu each)\n", count,
			demo_sizes[i], count ? bufpool_usable_size(pool, demo_bufs[i * count]) : 0);
	}
	if (misuse)
		demo_misuse(pool);
	return 0;
fail:
	for (i = 0; i < n * count; i++)
		bufpool_free(pool, demo_bufs[i]);
	kfree(demo_bufs);
	return -ENOMEM;
}

static void __exit bufpool_demo_exit(void)
{
	struct bufpool *pool = bufpool_default_pool();
	unsigned int i;

	if (!leak) {
		for (i = 0; i < ARRAY_SIZE(demo_sizes) * count; i++)
			bufpool_free(pool, demo_bufs[i]);
	}
	kfree(demo_bufs);
	pr_info("bufpool_demo: %s\n", leak ? "leaving the buffers to bufpool" : "freed everything");
}

module_init(bufpool_demo_init);
module_exit(bufpool_demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bufpool demo: allocates through the exported API");
