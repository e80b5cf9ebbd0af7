// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bufpool_bench.c - in-kernel benchmark for `make bench`: alloc+free pairs
 * of bufpool against kmalloc, a kmem_cache, page_frag_alloc and
 * alloc_pages at the same sizes, on one CPU and (with more than one) on
 * every online CPU at once, plus a burst variant (64 allocations, then 64
 * frees) and, for bufpool and the kmem_cache, the bulk calls
 * (bufpool_alloc_bulk/free_bulk, kmem_cache_alloc_bulk/free_bulk) of 64
 * objects, reported per object.  A "loop" peer that allocates nothing
 * measures what the loop itself costs per pair.  Each measurement follows
 * an untimed warm-up run of the same loop.
 *
 * Run under qemu -icount shift=0, guest time counts guest instructions
 * (1 ns per instruction), so ns per pair here are instructions per pair;
 * the "calibration" line checks that with a loop of known length.  Results
 * go to the kernel log as "bufpool_bench: ..." lines; the module then
 * stays loaded, doing nothing, until rmmod.  (It does not fail its load
 * on purpose: busybox insmod retries a failed load, running it all twice.)
 *
 * remote=1 runs only the cross-CPU measurement instead: CPU 0 allocates,
 * CPU 1 frees.  qemu -icount does not boot with two vCPUs here, so that
 * run is wall time under plain TCG: its ratios between allocators mean
 * something, its absolute numbers do not.
 */
#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/bufpool.h>

static bool remote;
module_param(remote, bool, 0444);
MODULE_PARM_DESC(remote, "only the cross-CPU run: CPU 0 allocates, CPU 1 frees (needs 2 CPUs)");

static unsigned int iters = 20000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "alloc+free pairs per measurement (default 20000, 100..1000000)");

#define BURST	64

enum peer { P_BUFPOOL, P_KMALLOC, P_KMEM_CACHE, P_PAGE_FRAG, P_PAGES, P_LOOP, NR_PEERS };
static const char *const peer_name[NR_PEERS] = {
	"bufpool", "kmalloc", "kmem_cache", "page_frag", "alloc_pages", "loop",
};

/* What the loop peer hands out: never touched, never freed. */
static char loop_dummy;
static const size_t sizes[] = { 64, 256, 1024, 4096, 8192, 16384, 32768, 65536 };

struct run {
	enum peer peer;
	size_t size;
	bool burst;
	bool bulk;	/* bufpool and kmem_cache only */
	struct kmem_cache *cache;
	struct page_frag_cache frag;
	u64 ns;
	bool failed;
	struct completion done;
};

/* Give the frag cache's page back (6.1 has no page_frag_cache_drain()). */
static void page_frag_cache_drain_compat(struct page_frag_cache *nc)
{
	if (nc->va)
		__page_frag_cache_drain(virt_to_head_page(nc->va), nc->pagecnt_bias);
	nc->va = NULL;
}

static void *peer_alloc(struct run *r)
{
	struct page *page;

	switch (r->peer) {
	case P_BUFPOOL:
		return bufpool_alloc(bufpool_default_pool(), r->size, GFP_KERNEL);
	case P_KMALLOC:
		return kmalloc(r->size, GFP_KERNEL);
	case P_KMEM_CACHE:
		return kmem_cache_alloc(r->cache, GFP_KERNEL);
	case P_PAGE_FRAG:
		return page_frag_alloc(&r->frag, r->size, GFP_KERNEL);
	case P_PAGES:
		page = alloc_pages(GFP_KERNEL, get_order(r->size));
		return page ? page_address(page) : NULL;
	case P_LOOP:
		return &loop_dummy;
	default:
		return NULL;
	}
}

static void peer_free(struct run *r, void *p)
{
	switch (r->peer) {
	case P_BUFPOOL:
		bufpool_free(bufpool_default_pool(), p);
		break;
	case P_KMALLOC:
		kfree(p);
		break;
	case P_KMEM_CACHE:
		kmem_cache_free(r->cache, p);
		break;
	case P_PAGE_FRAG:
		page_frag_free(p);
		break;
	case P_PAGES:
		__free_pages(virt_to_page(p), get_order(r->size));
		break;
	default:
		break;
	}
}

/* BURST objects in one call each way; false if the allocation failed. */
static bool peer_bulk(struct run *r, void **p)
{
	if (r->peer == P_BUFPOOL) {
		if (bufpool_alloc_bulk(bufpool_default_pool(), r->size, GFP_KERNEL, BURST,
				       p) != BURST)
			return false;
		bufpool_free_bulk(bufpool_default_pool(), BURST, p);
		return true;
	}
	if (kmem_cache_alloc_bulk(r->cache, GFP_KERNEL, BURST, p) != BURST)
		return false;
	kmem_cache_free_bulk(r->cache, BURST, p);
	return true;
}

/*
 * The timed loop: @iters pairs, one by one, in bursts of BURST or in bulk
 * calls of BURST.  cond_resched() only every 64 pairs, so that its cost
 * is not in every single pair.
 */
static void run_loop(struct run *r)
{
	void *p[BURST];
	unsigned int i, j, n = (r->burst || r->bulk) ? BURST : 1;
	u64 t0;

	t0 = ktime_get_ns();
	if (r->bulk) {
		for (i = 0; i < iters; i += BURST) {
			if (!peer_bulk(r, p)) {
				r->failed = true;
				break;
			}
			cond_resched();
		}
		r->ns = ktime_get_ns() - t0;
		return;
	}
	for (i = 0; i < iters; i += n) {
		for (j = 0; j < n; j++) {
			p[j] = peer_alloc(r);
			if (!p[j]) {
				r->failed = true;
				break;
			}
		}
		while (j--)
			peer_free(r, p[j]);
		if (r->failed)
			break;
		if ((i & 63) == 0)
			cond_resched();
	}
	r->ns = ktime_get_ns() - t0;
}

static int run_thread(void *arg)
{
	struct run *r = arg;

	run_loop(r);	/* warm-up */
	run_loop(r);
	complete(&r->done);
	return 0;
}

static void report(const char *mode, struct run *r, unsigned int cpus, u64 ns)
{
	pr_info("bufpool_bench: %s size=%zu mode=%s cpus=%u ns_per_pair=%llu%s\n",
		peer_name[r->peer], r->size, mode, cpus,
		div64_u64(ns, iters), r->failed ? " FAILED" : "");
}

/* The same run on every online CPU at once; reports the mean per CPU. */
static void run_all_cpus(struct run *tmpl, const char *mode)
{
	unsigned int cpu, n = 0;
	struct run *runs;
	u64 sum = 0;
	bool failed = false;

	runs = kcalloc(nr_cpu_ids, sizeof(*runs), GFP_KERNEL);
	if (!runs)
		return;
	for_each_online_cpu(cpu) {
		struct run *r = &runs[cpu];
		struct task_struct *t;

		*r = *tmpl;
		memset(&r->frag, 0, sizeof(r->frag));
		init_completion(&r->done);
		t = kthread_create_on_cpu(run_thread, r, cpu, "bufpool_bench/%u");
		if (IS_ERR(t))
			continue;
		wake_up_process(t);
		n++;
	}
	for_each_online_cpu(cpu) {
		wait_for_completion(&runs[cpu].done);
		sum += runs[cpu].ns;
		failed |= runs[cpu].failed;
		if (runs[cpu].peer == P_PAGE_FRAG)
			page_frag_cache_drain_compat(&runs[cpu].frag);
	}
	tmpl->failed = failed;
	if (n)
		report(mode, tmpl, n, div64_u64(sum, n));
	kfree(runs);
}

/*
 * Cross-CPU: a producer on CPU 0 allocates and passes each pointer through
 * a single-producer single-consumer ring to a consumer on CPU 1, which
 * frees it.  Reports the time for @iters pairs, producer start to
 * consumer end.
 */
#define RING	256

struct xrun {
	struct run *r;
	void *ring[RING];
	unsigned int head, tail;	/* head: producer, tail: consumer */
	struct completion done[2];
	u64 t0, t1;
};

static int producer_fn(void *arg)
{
	struct xrun *x = arg;
	unsigned int i;

	x->t0 = ktime_get_ns();
	for (i = 0; i < iters; i++) {
		void *p = peer_alloc(x->r);

		if (!p) {
			x->r->failed = true;
			p = ERR_PTR(-ENOMEM);
		}
		/* acquire: the consumer is done with the slot we reuse */
		while (i - smp_load_acquire(&x->tail) >= RING)
			cpu_relax();
		x->ring[i % RING] = p;
		/* release: the slot is written before the consumer sees it */
		smp_store_release(&x->head, i + 1);
	}
	complete(&x->done[0]);
	return 0;
}

static int consumer_fn(void *arg)
{
	struct xrun *x = arg;
	unsigned int i;

	for (i = 0; i < iters; i++) {
		void *p;

		/* acquire: pairs with the producer's release of head */
		while (smp_load_acquire(&x->head) == i)
			cpu_relax();
		p = x->ring[i % RING];
		/* release: the slot is read before the producer may reuse it */
		smp_store_release(&x->tail, i + 1);
		if (!IS_ERR(p))
			peer_free(x->r, p);
	}
	x->t1 = ktime_get_ns();
	complete(&x->done[1]);
	return 0;
}

static void run_remote(struct run *r)
{
	struct task_struct *t[2];
	struct xrun *x;
	int round;

	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return;
	x->r = r;
	for (round = 0; round < 2; round++) {	/* warm-up, then measured */
		x->head = 0;
		x->tail = 0;
		init_completion(&x->done[0]);
		init_completion(&x->done[1]);
		t[0] = kthread_create_on_cpu(producer_fn, x, 0, "bufpool_bench_p/%u");
		t[1] = kthread_create_on_cpu(consumer_fn, x, 1, "bufpool_bench_c/%u");
		if (IS_ERR(t[0]) || IS_ERR(t[1])) {
			pr_err("bufpool_bench: cannot start the cross-CPU threads\n");
			if (!IS_ERR(t[0]))
				kthread_stop(t[0]);
			if (!IS_ERR(t[1]))
				kthread_stop(t[1]);
			break;
		}
		wake_up_process(t[1]);
		wake_up_process(t[0]);
		wait_for_completion(&x->done[0]);
		wait_for_completion(&x->done[1]);
	}
	if (round == 2)
		report("remote", r, 2, x->t1 - x->t0);
	kfree(x);
}

static int __init bufpool_bench_remote(void)
{
	static const size_t xsizes[] = { 64, 1024, 8192, 32768 };
	unsigned int i, p;

	if (num_online_cpus() < 2 || !cpu_online(1)) {
		pr_err("bufpool_bench: remote=1 needs CPUs 0 and 1 online\n");
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(xsizes); i++) {
		for (p = 0; p < NR_PEERS; p++) {
			struct run r = { .peer = p, .size = xsizes[i] };

			if (p == P_PAGE_FRAG || p == P_LOOP)
				continue;	/* one frag cache, one CPU */
			if (p == P_KMEM_CACHE) {
				r.cache = kmem_cache_create("bufpool_bench", xsizes[i], 0, 0, NULL);
				if (!r.cache)
					continue;
			}
			run_remote(&r);
			kmem_cache_destroy(r.cache);
		}
	}
	pr_info("bufpool_bench: done\n");
	return 0;
}

static int __init bufpool_bench_init(void)
{
	unsigned int i, p;
	u64 t0, loop;
	unsigned int spin;

	if (iters < 100 || iters > 1000000) {
		pr_err("bufpool_bench: iters=%u invalid: must be in 100..1000000\n", iters);
		return -EINVAL;
	}
	if (remote)
		return bufpool_bench_remote();
	/*
	 * Calibration: 10^6 turns of a loop of 4 instructions (the counter
	 * in memory: READ_ONCE/WRITE_ONCE, as a volatile would).
	 */
	t0 = ktime_get_ns();
	WRITE_ONCE(spin, 0);
	while (READ_ONCE(spin) < 1000000)
		WRITE_ONCE(spin, READ_ONCE(spin) + 1);
	loop = ktime_get_ns() - t0;
	pr_info("bufpool_bench: calibration ns_per_loop_turn=%llu (about 4-6 instructions under -icount shift=0)\n",
		div64_u64(loop, 1000000));
	/* Whether slab and page allocations are zeroed here (init_on_alloc=). */
	pr_info("bufpool_bench: init_on_alloc=%d\n", want_init_on_alloc(GFP_KERNEL));

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (p = 0; p < NR_PEERS; p++) {
			struct run r = { .peer = p, .size = sizes[i] };

			if (p == P_PAGE_FRAG && sizes[i] > PAGE_SIZE)
				continue;	/* page_frag serves at most a page well */
			if (p == P_KMEM_CACHE) {
				r.cache = kmem_cache_create("bufpool_bench", sizes[i], 0, 0, NULL);
				if (!r.cache)
					continue;
			}
			run_loop(&r);	/* warm-up */
			run_loop(&r);
			report("single", &r, 1, r.ns);
			r.failed = false;
			r.burst = true;
			run_loop(&r);
			run_loop(&r);
			report("burst", &r, 1, r.ns);
			r.burst = false;
			r.failed = false;
			if (p == P_BUFPOOL || p == P_KMEM_CACHE) {
				r.bulk = true;
				run_loop(&r);	/* warm-up */
				run_loop(&r);
				report("bulk", &r, 1, r.ns);
				r.bulk = false;
				r.failed = false;
			}
			if (p == P_PAGE_FRAG)
				page_frag_cache_drain_compat(&r.frag);
			/* One CPU: "allcpus" would repeat "single". */
			if (num_online_cpus() > 1 && p != P_LOOP)
				run_all_cpus(&r, "allcpus");
			kmem_cache_destroy(r.cache);
		}
	}
	pr_info("bufpool_bench: done\n");
	return 0;
}

/* Nothing to undo: the runs happened at load; rmmod right after. */
static void __exit bufpool_bench_exit(void)
{
}

module_init(bufpool_bench_init);
module_exit(bufpool_bench_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("bufpool in-kernel benchmark against kmalloc, kmem_cache, page_frag, alloc_pages");
