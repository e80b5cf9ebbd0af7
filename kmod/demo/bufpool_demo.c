// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bufpool_demo.c - another module using bufpool's exported API, for
 * `make run`: at load it allocates @count buffers of each of a few sizes
 * (one per class) from the default pool, writes and checks them, and keeps
 * them; at unload it frees them.  Between the two the pool's debugfs stats
 * show them live.  For the tests: leak=1 keeps them at unload (bufpool
 * must report and reclaim them when it unloads), misuse=1 tries a double
 * free, an interior free and a foreign free at load (each must be refused),
 * atomic=1 also allocates and frees from a timer (softirq, GFP_ATOMIC):
 * an atomic allocation never maps a chunk itself, so a round that finds
 * its arena without one fails and is tried again on a later tick, once
 * bufpool's work item has mapped the reserve.
 */
#include <linux/completion.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/bufpool.h>

static unsigned int count = 8;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "buffers per size (default 8, at most 1024)");

/* One tiny, one small, one normal, one huge for the default geometry. */
static const size_t demo_sizes[] = { 100, 2000, 20000, 5 << 20 };

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "do not free at unload (default no)");

static bool misuse;
module_param(misuse, bool, 0444);
MODULE_PARM_DESC(misuse, "try three invalid frees at load (default no)");

static bool buf;
module_param(buf, bool, 0444);
MODULE_PARM_DESC(buf, "run the seed's PoolBufTest on refcounted buffers at load; with leak=1 also leak one buffer (default no)");

static bool atomic;
module_param(atomic, bool, 0444);
MODULE_PARM_DESC(atomic, "also allocate and free from a timer (softirq) at load (default no)");

struct demo_timer {
	struct timer_list timer;
	struct completion done;
	int rounds;
	int ticks;
	bool failed;
};

/* Ticks the timer may take for its rounds: the refill work runs meanwhile. */
#define DEMO_MAX_TICKS	200

/*
 * Softirq: allocate and free the pooled sizes with GFP_ATOMIC; a round in
 * which every allocation succeeded counts.
 */
static void demo_timer_fn(struct timer_list *t)
{
	struct demo_timer *dt = from_timer(dt, t, timer);
	struct bufpool *pool = bufpool_default_pool();
	bool round_failed = false;
	void *p[3][8];
	unsigned int i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < 8; j++) {
			p[i][j] = bufpool_alloc(pool, demo_sizes[i], GFP_ATOMIC);
			if (p[i][j])
				memset(p[i][j], 0x5a, demo_sizes[i]);
			else
				round_failed = true;
		}
	}
	for (i = 0; i < 3; i++)
		for (j = 0; j < 8; j++)
			bufpool_free(pool, p[i][j]);
	if (!round_failed)
		dt->rounds--;
	if (dt->rounds > 0 && ++dt->ticks < DEMO_MAX_TICKS) {
		mod_timer(&dt->timer, jiffies + 1);
	} else {
		dt->failed = dt->rounds > 0;
		complete(&dt->done);
	}
}

static int demo_atomic(void)
{
	struct demo_timer dt = { .rounds = 4 };

	init_completion(&dt.done);
	timer_setup_on_stack(&dt.timer, demo_timer_fn, 0);
	mod_timer(&dt.timer, jiffies + 1);
	wait_for_completion(&dt.done);
	del_timer_sync(&dt.timer);
	destroy_timer_on_stack(&dt.timer);
	pr_info("bufpool_demo: 4 rounds of 24 GFP_ATOMIC allocations in softirq: %s (%d ticks)\n",
		dt.failed ? "some failed" : "all succeeded", dt.ticks + 1);
	return dt.failed ? -ENOMEM : 0;
}

static void demo_misuse(struct bufpool *pool)
{
	char *p = bufpool_alloc(pool, 64, GFP_KERNEL);
	char *foreign = kmalloc(64, GFP_KERNEL);
	char *q = bufpool_alloc(pool, 64, GFP_KERNEL);
	bool intact;

	if (!p || !q || !foreign)
		goto out;
	memset(q, 0x3c, 64);
	memset(foreign, 0x3c, 64);
	bufpool_free(pool, p);
	bufpool_free(pool, p);		/* double free */
	bufpool_free(pool, q + 8);	/* interior */
	bufpool_free(pool, foreign);	/* not from the pool */
	intact = !memchr_inv(q, 0x3c, 64) && !memchr_inv(foreign, 0x3c, 64) &&
		 bufpool_usable_size(pool, q) == 64;
	pr_info("bufpool_demo: misuse left memory %s\n", intact ? "intact" : "CHANGED");
out:
	bufpool_free(pool, q);
	kfree(foreign);
}

/*
 * The seed's PoolBufTest: a buffer, writeInt(10), readInt() == 10,
 * release - twice; the second round gets the recycled descriptor; a write
 * after release fails.  With leak=1 one more buffer is never released:
 * bufpool reports it (debugfs "leaks", and at unload).
 */
static noinline int demo_buf(struct bufpool *pool)	/* not init: named in leak reports */
{
	struct bufpool_buf *first = NULL, *b;
	int i, bad = 0;

	migrate_disable();	/* both rounds on one CPU's recycler */
	for (i = 0; i < 2; i++) {
		u32 v = 0;
		int w;

		b = bufpool_buf_alloc(pool, 256, INT_MAX, GFP_KERNEL);
		if (!b) {
			migrate_enable();
			return -ENOMEM;
		}
		bufpool_buf_write_u32(b, 10);
		bufpool_buf_read_u32(b, &v);
		pr_info("bufpool_demo: buf round %d: descriptor %s, readInt() = %u\n", i + 1,
			!first ? "new" : b == first ? "recycled" : "different", v);
		bad |= v != 10 || (first && b != first);
		first = b;
		bufpool_buf_release(b);
		w = bufpool_buf_write_u32(b, 11);
		pr_info("bufpool_demo: buf round %d: write after release = %d\n", i + 1, w);
		bad |= w != -EINVAL;
	}
	migrate_enable();
	if (leak) {
		b = bufpool_buf_alloc(pool, 100, 1000, GFP_KERNEL);
		if (b)
			bufpool_buf_write(b, "leaked by bufpool_demo", 22);
	}
	pr_info("bufpool_demo: PoolBufTest %s\n", bad ? "FAILED" : "passed");
	return bad ? -EIO : 0;
}

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
	if (atomic && demo_atomic())
		goto fail;
	if (buf && demo_buf(pool))
		goto fail;
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
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("bufpool demo: allocates through the exported API");
