// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bufpool_stress.c - cross-CPU stress of bufpool's exported API, run at
 * load time; insmod fails (-EIO) if anything was wrong.
 *
 * A pool of its own, made from bufpool's module parameters.  One kthread per
 * online CPU, bound to it, allocates buffers of mixed sizes (tiny, small,
 * cached and uncached normal), fills each with a pattern derived from a
 * per-buffer seed, and hands most of them to the next CPU's inbox; each
 * thread also takes its own inbox, checks every byte pattern and frees the
 * buffer there - so most frees are of another CPU's allocation and land in
 * this CPU's cache.  One more thread hops between CPUs
 * (set_cpus_allowed_ptr) every few operations, allocating and freeing
 * across its own migrations.  At the end: every pattern intact, the pool's
 * stats balanced per class (allocations - frees = 0, nothing refused), and
 * a trim returns every chunk.
 *
 * Lock order: an inbox lock alone (never held across a bufpool call).
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/bufpool.h>

static unsigned int ops = 200000;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "allocations per thread (default 200000)");

#define INBOX_SLOTS	512

struct item {
	u64 *p;
	u32 words;
	u32 seed;
};

struct inbox {
	spinlock_t lock;	/* @head, @count, @slots */
	unsigned int head, count;
	struct item slots[INBOX_SLOTS];
};

struct worker {
	struct task_struct *task;
	struct inbox *in;		/* ours */
	struct inbox *next;		/* the next CPU's */
	unsigned int cpu;
	bool migrate;
	u32 rng;
	u64 cross, local, bad;
	struct completion done;
};

static struct bufpool *pool;
static struct worker *workers;
static unsigned int nr_workers;

static u32 next_rand(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Mostly cached sizes, some larger than max_cached_capacity (64 KiB). */
static size_t pick_size(u32 r)
{
	switch (r % 16) {
	case 0 ... 6:	return 1 + (r >> 8) % 496;		/* tiny */
	case 7 ... 10:	return 512 + (r >> 8) % 3584;		/* small */
	case 11 ... 14:	return 8192 + (r >> 8) % 24576;		/* normal, cached */
	default:	return 32769 + (r >> 8) % 32768;	/* normal, not */
	}
}

static void fill(u64 *p, u32 words, u32 seed)
{
	u32 i;

	for (i = 0; i < words; i++)
		p[i] = ((u64)seed << 32) ^ (i * 0x9E3779B97F4A7C15ull);
}

static bool intact(const u64 *p, u32 words, u32 seed)
{
	u32 i;

	for (i = 0; i < words; i++)
		if (p[i] != (((u64)seed << 32) ^ (i * 0x9E3779B97F4A7C15ull)))
			return false;
	return true;
}

static void check_free(struct worker *w, const struct item *it)
{
	if (!intact(it->p, it->words, it->seed))
		w->bad++;
	bufpool_free(pool, it->p);
}

static bool inbox_put(struct inbox *in, const struct item *it)
{
	bool ok;

	spin_lock(&in->lock);
	ok = in->count < INBOX_SLOTS;
	if (ok) {
		in->slots[(in->head + in->count) % INBOX_SLOTS] = *it;
		in->count++;
	}
	spin_unlock(&in->lock);
	return ok;
}

static bool inbox_take(struct inbox *in, struct item *it)
{
	bool ok;

	spin_lock(&in->lock);
	ok = in->count > 0;
	if (ok) {
		*it = in->slots[in->head];
		in->head = (in->head + 1) % INBOX_SLOTS;
		in->count--;
	}
	spin_unlock(&in->lock);
	return ok;
}

/* Move the calling thread to the next online CPU. */
static void hop(void)
{
	unsigned int cpu = cpumask_next(raw_smp_processor_id(), cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	set_cpus_allowed_ptr(current, cpumask_of(cpu));
}

/* A migrating thread keeps a few buffers across its hops. */
#define HELD	8

static int worker_fn(void *arg)
{
	struct worker *w = arg;
	struct item held[HELD] = {};
	unsigned int i, j;
	struct item it;

	for (i = 0; i < ops; i++) {
		u32 r = next_rand(&w->rng);
		size_t size = pick_size(r);

		it.p = bufpool_alloc(pool, size, GFP_KERNEL);
		if (!it.p) {
			w->bad++;
			continue;
		}
		it.words = size / 8;
		it.seed = next_rand(&w->rng);
		fill(it.p, it.words, it.seed);
		if (w->migrate) {
			j = r % HELD;
			if (held[j].p) {
				check_free(w, &held[j]);
				w->local++;
			}
			held[j] = it;
			if (i % 4 == 0)
				hop();
		} else if ((r >> 4) % 4 && inbox_put(w->next, &it)) {
			w->cross++;
		} else {
			check_free(w, &it);
			w->local++;
		}
		while (!w->migrate && inbox_take(w->in, &it))
			check_free(w, &it);
		if (i % 256 == 0)
			cond_resched();
	}
	for (j = 0; j < HELD; j++)
		if (held[j].p)
			check_free(w, &held[j]);
	/* Not return: the module may be gone as soon as done completes. */
	kthread_complete_and_exit(&w->done, 0);
}

static int check_stats(u64 cross, u64 bad)
{
	struct bufpool_stats st;
	int trimmed, tries = 0;

	/*
	 * Nothing allocates any more, but a time-based trim may be flushing a
	 * cache right now: its entries then count as neither cached nor
	 * freed for a moment (active briefly high).  A real leak stays.
	 */
	do {
		if (tries)
			msleep(20);
		bufpool_get_stats(pool, &st);
	} while (st.active && ++tries < 50);
	pr_info("bufpool_stress: allocations %llu frees %llu active %llu invalid_frees %llu cache_hits %llu cache_frees %llu\n",
		st.allocations, st.frees, st.active, st.invalid_frees,
		st.cache_hits, st.cache_frees);
	if (bad || st.active || st.invalid_frees || st.allocations != st.frees ||
	    st.tiny_allocations != st.tiny_frees || st.small_allocations != st.small_frees ||
	    st.normal_allocations != st.normal_frees || st.allocations != (u64)ops * nr_workers ||
	    !cross)
		return -EIO;
	trimmed = bufpool_trim(pool);
	bufpool_get_stats(pool, &st);
	pr_info("bufpool_stress: trim released %d chunks, %llu left\n", trimmed, st.chunks);
	return st.chunks || st.cached_bytes ? -EIO : 0;
}

static int __init bufpool_stress_init(void)
{
	u64 cross = 0, local = 0, bad = 0;
	struct item it;
	unsigned int i, n = 0, cpu;
	int ret;

	/* bufpool's module parameters (caches included), a pool of our own. */
	pool = bufpool_create(NULL);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	nr_workers = num_online_cpus() + 1;
	workers = kcalloc(nr_workers, sizeof(*workers), GFP_KERNEL);
	if (!workers) {
		bufpool_destroy(pool);
		return -ENOMEM;
	}
	for_each_online_cpu(cpu) {
		workers[n].cpu = cpu;
		workers[n].in = kzalloc(sizeof(*workers[n].in), GFP_KERNEL);
		if (!workers[n].in) {
			ret = -ENOMEM;
			goto out;
		}
		spin_lock_init(&workers[n].in->lock);
		n++;
	}
	workers[n].migrate = true;	/* the last one hops */
	for (i = 0; i < nr_workers; i++) {
		struct worker *w = &workers[i];

		w->rng = 0x12345u + i * 7919u;
		w->next = workers[(i + 1) % (nr_workers - 1)].in;
		init_completion(&w->done);
		w->task = w->migrate ?
			kthread_create(worker_fn, w, "bufpool_stress/m") :
			kthread_create_on_cpu(worker_fn, w, w->cpu, "bufpool_stress/%u");
		if (IS_ERR(w->task)) {
			ret = PTR_ERR(w->task);
			w->task = NULL;
			goto out;
		}
	}
	for (i = 0; i < nr_workers; i++)
		wake_up_process(workers[i].task);
	for (i = 0; i < nr_workers; i++) {
		wait_for_completion(&workers[i].done);
		workers[i].task = NULL;		/* exited */
	}
	for (i = 0; i < nr_workers; i++) {
		struct worker *w = &workers[i];

		while (w->in && inbox_take(w->in, &it))
			check_free(w, &it);
		cross += w->cross;
		local += w->local;
		bad += w->bad;
	}
	pr_info("bufpool_stress: %u threads x %u ops: %llu cross-CPU frees, %llu local, %llu bad\n",
		nr_workers, ops, cross, local, bad);
	ret = check_stats(cross, bad);
	pr_info("bufpool_stress: %s\n", ret ? "FAILED" : "passed");
out:
	for (i = 0; i < nr_workers; i++) {
		if (workers[i].task)
			kthread_stop(workers[i].task);	/* created, never woken */
		kfree(workers[i].in);
	}
	kfree(workers);
	bufpool_destroy(pool);
	return ret;
}

static void __exit bufpool_stress_exit(void)
{
}

module_init(bufpool_stress_init);
module_exit(bufpool_stress_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("bufpool: cross-CPU stress with content checks");
