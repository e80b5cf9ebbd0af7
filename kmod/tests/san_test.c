// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * san_test.c - bufpool_san_test.ko: planted bugs that KASAN and kmemleak
 * must report (kmod/bufpool_sanitize.h).  Built only against a kernel with
 * generic KASAN (Kbuild) and loaded only by scripts/guest/sanitize.sh in
 * the debug-kernel VM: elsewhere its plants would be real memory
 * corruption.
 *
 * At load: first correct use of every class (no report may follow), then
 * for each class (tiny, small, normal, huge) a read after free and a
 * one-byte write past the requested size, and that write past a huge one
 * large enough to be vmalloc'd (KASAN_VMALLOC), each after a marker line
 * ("bufpool_san_test: == plant CLASS BUG") so the guest can tie each KASAN
 * report to its plant; then three leaked buffers that kmemleak must
 * report: one of 200 bytes, a huge one (264 KiB), and the first element of
 * a second pool's first chunk (300 bytes).  The pools live until unload,
 * which destroys them with the leaked buffers still allocated.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <linux/bufpool.h>

#define SAN_PAGE	4096u
#define SAN_ORDER	6u	/* 256 KiB chunks: a huge allocation fits alloc_pages */
#define SAN_CHUNK	(SAN_PAGE << SAN_ORDER)
#define SAN_LEAK_SIZE	200
#define SAN_HUGE_LEAK_SIZE	(SAN_CHUNK + 2 * SAN_PAGE)	/* page-rounded already */
#define SAN_FIRST_LEAK_SIZE	300
/* Above the page allocator's largest block: vmalloc'd (KASAN_VMALLOC). */
#define SAN_VHUGE_SIZE		((PAGE_SIZE << MAX_ORDER) + 101)

static const struct {
	const char *name;
	size_t size;	/* odd: the redzone starts inside a granule, a whole one follows */
} classes[] = {
	{ "tiny", 33 }, { "small", 1001 }, { "normal", 9001 }, { "huge", SAN_CHUNK + 101 },
};

static struct bufpool *pool, *pool2;
/*
 * A chunk's first element, live all along: this variable (module data,
 * which kmemleak scans) is its reference - not the chunk's record, which
 * is not scanned.  Freed at unload, so that the store is not optimised out.
 */
static void *kept;

static noinline void san_plant_uaf(char *p, size_t size)
{
	bufpool_free(pool, p);
	pr_info("bufpool_san_test: read %d\n", READ_ONCE(p[size / 2]));
}

static noinline void san_plant_overflow(char *p, size_t size)
{
	WRITE_ONCE(p[size], 1);
	bufpool_free(pool, p);
}

static noinline void san_plant_leak(void)
{
	char *p = bufpool_alloc(pool, SAN_LEAK_SIZE, GFP_KERNEL);

	if (p)
		memset(p, 0x5a, SAN_LEAK_SIZE);
	pr_info("bufpool_san_test: leaked %d bytes\n", SAN_LEAK_SIZE);
}

/*
 * A chunk's first element: a second pool's first allocation.  The chunk's
 * record holds that address, and must not count as a reference.
 */
static noinline void san_plant_first_leak(void)
{
	struct bufpool_config cfg = {
		.name = "san-first", .page_size = SAN_PAGE, .max_order = SAN_ORDER,
		.nr_arenas = 1,
	};
	char *p;

	pool2 = bufpool_create(&cfg);
	if (IS_ERR_OR_NULL(pool2)) {
		pool2 = NULL;
		return;
	}
	p = bufpool_alloc(pool2, SAN_FIRST_LEAK_SIZE, GFP_KERNEL);
	if (p)
		memset(p, 0x5a, SAN_FIRST_LEAK_SIZE);
	pr_info("bufpool_san_test: leaked %d bytes (a chunk's first element)\n",
		SAN_FIRST_LEAK_SIZE);
}

/* A huge one too: its record in the pool must not count as a reference. */
static noinline void san_plant_huge_leak(void)
{
	char *p = bufpool_alloc(pool, SAN_HUGE_LEAK_SIZE, GFP_KERNEL);

	if (p)
		memset(p, 0x5a, SAN_HUGE_LEAK_SIZE);
	pr_info("bufpool_san_test: leaked %u bytes (huge)\n", SAN_HUGE_LEAK_SIZE);
}

/* Every class within bounds, twice (the second time from the caches). */
static int san_clean(void)
{
	unsigned int round, i;
	size_t usable;
	char *p;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < ARRAY_SIZE(classes); i++) {
			p = bufpool_alloc(pool, classes[i].size, GFP_KERNEL);
			if (!p)
				return -ENOMEM;
			memset(p, 1, classes[i].size);
			usable = bufpool_usable_size(pool, p);
			memset(p, 2, usable);	/* all of it, once asked */
			bufpool_free(pool, p);
			p = bufpool_alloc(pool, classes[i].size, GFP_KERNEL | __GFP_ZERO);
			if (!p)
				return -ENOMEM;
			if (p[classes[i].size - 1])
				pr_err("bufpool_san_test: __GFP_ZERO left a byte\n");
			bufpool_free(pool, p);
		}
		p = bufpool_alloc(pool, SAN_VHUGE_SIZE, GFP_KERNEL);	/* vmalloc'd */
		if (!p)
			return -ENOMEM;
		memset(p, 1, SAN_VHUGE_SIZE);
		memset(p, 2, bufpool_usable_size(pool, p));
		bufpool_free(pool, p);
	}
	return 0;
}

/*
 * A one-byte overflow of a vmalloc'd huge allocation (KASAN_VMALLOC).  No
 * read after free: vfree() unmaps at once, so the read would fault after
 * KASAN's report.
 */
static noinline int san_plant_vhuge_overflow(void)
{
	char *p = bufpool_alloc(pool, SAN_VHUGE_SIZE, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	memset(p, 0x5a, SAN_VHUGE_SIZE);
	pr_info("bufpool_san_test: == plant vhuge overflow (%s)\n",
		is_vmalloc_addr(p) ? "vmalloc'd" : "NOT vmalloc'd");
	san_plant_overflow(p, SAN_VHUGE_SIZE);
	return 0;
}

static int __init san_test_init(void)
{
	struct bufpool_config cfg = {
		.name = "san_test",
		.page_size = SAN_PAGE,
		.max_order = SAN_ORDER,
		.nr_arenas = 1,
		.tiny_cache_size = 512,
		.small_cache_size = 256,
		.normal_cache_size = 64,
		.max_cached_capacity = 32768,
	};
	unsigned int i, bug;
	int ret;

	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		return -EOPNOTSUPP;
	pool = bufpool_create(&cfg);
	if (IS_ERR_OR_NULL(pool))
		return pool ? PTR_ERR(pool) : -ENOMEM;
	kept = bufpool_alloc(pool, SAN_LEAK_SIZE, GFP_KERNEL);
	/*
	 * First of the leaks: everything after it overwrites the stack that
	 * held its address (a cached task stack is memory kmemleak scans).
	 */
	san_plant_first_leak();
	pr_info("bufpool_san_test: == clean start\n");
	ret = san_clean();
	if (ret)
		goto fail;
	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		for (bug = 0; bug < 2; bug++) {
			char *p = bufpool_alloc(pool, classes[i].size, GFP_KERNEL);

			if (!p) {
				ret = -ENOMEM;
				goto fail;
			}
			memset(p, 0x5a, classes[i].size);
			pr_info("bufpool_san_test: == plant %s %s\n", classes[i].name,
				bug ? "overflow" : "uaf");
			if (bug)
				san_plant_overflow(p, classes[i].size);
			else
				san_plant_uaf(p, classes[i].size);
		}
	}
	ret = san_plant_vhuge_overflow();
	if (ret)
		goto fail;
	pr_info("bufpool_san_test: == plants done\n");
	san_plant_leak();
	san_plant_huge_leak();
	return 0;
fail:
	if (pool2)
		bufpool_destroy(pool2);
	bufpool_destroy(pool);
	return ret;
}

static void __exit san_test_exit(void)
{
	bufpool_free(pool, kept);
	bufpool_destroy(pool);	/* with the leaked buffers */
	if (pool2)
		bufpool_destroy(pool2);	/* with its leaked first element */
}

module_init(san_test_init);
module_exit(san_test_exit);
MODULE_DESCRIPTION("bufpool: planted bugs for KASAN and kmemleak (debug kernel only)");
MODULE_LICENSE("Dual MIT/GPL");
