// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bufpool_client.c - a module of its own that uses bufpool.ko's exported
 * API, built out of tree as any third-party module would be: against the
 * installed headers (<linux/bufpool.h> from /usr/src/bufpool-VERSION) and
 * with bufpool.ko's Module.symvers in KBUILD_EXTRA_SYMBOLS (the Makefile
 * beside it; Documentation/module.rst, "A module of your own").
 *
 * At load it creates a pool of its own, allocates a few sizes from it and
 * from the module's default pool, writes and reads them back, uses a
 * refcounted buffer, and prints one line with what it saw; a failed check
 * fails the load.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/bufpool.h>

static struct bufpool *client_pool;

static int __init bufpool_client_check(struct bufpool *pool, size_t size)
{
	unsigned char *p = bufpool_alloc(pool, size, GFP_KERNEL);
	size_t i;

	if (!p)
		return -ENOMEM;
	memset(p, 0xa5, size);
	for (i = 0; i < size; i++)
		if (p[i] != 0xa5)
			break;
	if (i != size || bufpool_usable_size(pool, p) < size) {
		bufpool_free(pool, p);
		return -EIO;
	}
	bufpool_free(pool, p);
	return 0;
}

static int __init bufpool_client_init(void)
{
	static const size_t sizes[] = { 64, 3000, 40000 };
	struct bufpool_config cfg = {
		.name = "client",
		.page_size = PAGE_SIZE,
		.max_order = 9,
		.tiny_cache_size = 64,
		.small_cache_size = 32,
		.normal_cache_size = 8,
		.max_cached_capacity = 32 << 10,
	};
	struct bufpool_stats st;
	struct bufpool_buf *b;
	u32 v = 0;
	unsigned int i;
	int ret;

	client_pool = bufpool_create(&cfg);
	if (IS_ERR(client_pool))
		return PTR_ERR(client_pool);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ret = bufpool_client_check(client_pool, sizes[i]);
		if (!ret)
			ret = bufpool_client_check(bufpool_default_pool(), sizes[i]);
		if (ret)
			goto err;
	}
	b = bufpool_buf_alloc(client_pool, 16, 256, GFP_KERNEL);
	if (!b) {
		ret = -ENOMEM;
		goto err;
	}
	ret = bufpool_buf_write_u32(b, 0xc0ffee);
	if (!ret)
		ret = bufpool_buf_read_u32(b, &v);
	bufpool_buf_release(b);
	if (!ret && v != 0xc0ffee)
		ret = -EIO;
	if (ret)
		goto err;
	bufpool_get_stats(client_pool, &st);
	pr_info("bufpool_client: ok: %llu allocations, %llu frees in pool 'client'\n",
		st.allocations, st.frees);
	return 0;
err:
	pr_err("bufpool_client: check failed: %d\n", ret);
	bufpool_destroy(client_pool);
	return ret;
}

static void __exit bufpool_client_exit(void)
{
	bufpool_destroy(client_pool);
}

module_init(bufpool_client_init);
module_exit(bufpool_client_exit);
MODULE_DESCRIPTION("bufpool client: a separate module using bufpool.ko's API");
MODULE_LICENSE("Dual MIT/GPL");
