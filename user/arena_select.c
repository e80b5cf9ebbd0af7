// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * arena_select.c (userspace) - each thread binds to the least used arena on
 * its first allocation (Netty's leastUsedArena) and gets its own cache.
 *
 * The binding is a struct bufpool_thread under a per-pool pthread key; its
 * destructor gives the cache back and unbinds the thread when it exits, so
 * thread churn leaks nothing and the arena counts follow the live threads.
 * Memory freed by another thread goes back to the arena of its chunk, or
 * into the freeing thread's cache.  Every thread's cache is on the pool's
 * list, under world.lock, for stats and destroy.
 */
#include <time.h>
#include <unistd.h>
#include <bufpool_cache_world.h>
#include "arena.h"
#include "cache.h"
#include "pool.h"
#include "world.h"

struct bufpool_thread {
	struct bufpool_arena *arena;
	struct bufpool_cache cache;
};

/*
 * The last pool this thread used and its cache (bufpool_cache_world.h), to
 * skip pthread_getspecific() on the fast path; @last_thread is its
 * binding.  Pools are told apart by a process-wide id that is never reused,
 * so a destroyed pool's entry can never match a new pool at the same
 * address.  Initial-exec: a fixed offset from the thread pointer, in the
 * shared library too (it takes a little of the static TLS surplus, which
 * is what it is for).
 */
__thread struct bufpool_tls bufpool_tls __attribute__((tls_model("initial-exec")));
static __thread struct bufpool_thread *last_thread __attribute__((tls_model("initial-exec")));
static atomic_long_t next_pool_id = ATOMIC_INIT(0);

static void thread_exit(void *arg)
{
	struct bufpool_thread *t = arg;
	struct bufpool *pool = t->cache.pool;

	/* All under world.lock, so that a stats reader sees the cache either
	 * live or retired, never half flushed or in neither place. */
	pthread_mutex_lock(&pool->world.lock);
	bufpool_cache_release(&t->cache);
	list_del(&t->cache.node);
	bufpool_cache_absorb(&pool->retired_cache, &t->cache);
	pthread_mutex_unlock(&pool->world.lock);
	atomic_dec(&t->arena->nr_users);
	if (last_thread == t) {
		bufpool_tls.pool_id = 0;
		bufpool_tls.cache = NULL;
		last_thread = NULL;
	}
	free(t);
}

/**
 * bufpool_default_nr_arenas() - one arena per configured CPU
 *
 * Context: any.
 * Return: sysconf(_SC_NPROCESSORS_CONF), at least 1.
 */
unsigned int bufpool_default_nr_arenas(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n < 1 ? 1 : n > BUFPOOL_NR_ARENAS_MAX ? BUFPOOL_NR_ARENAS_MAX : n;
}

/**
 * bufpool_chunk_refill_kick() - never called: a thread may always map
 * @arena: unused
 *
 * gfpflags_allow_blocking() is true for every flag in userspace (no thread
 * runs in an atomic context), so no allocation ever kicks a refill.
 *
 * Context: any thread.
 */
void bufpool_chunk_refill_kick(struct bufpool_arena *arena)
{
}

/**
 * bufpool_chunk_refill_wait() - nothing is ever kicked
 * @pool: unused
 *
 * Context: any thread.
 */
void bufpool_chunk_refill_wait(struct bufpool *pool)
{
}

/**
 * bufpool_world_init() - create the pool's thread key and cache list
 * @pool: the pool
 *
 * Context: any thread.
 * Return: 0, or -ENOMEM if the process ran out of thread keys (a pool each).
 */
int bufpool_world_init(struct bufpool *pool)
{
	INIT_LIST_HEAD(&pool->world.threads);
	pthread_mutex_init(&pool->world.lock, NULL);
	pool->world.id = atomic_long_inc_return(&next_pool_id);
	return pthread_key_create(&pool->world.key, thread_exit) ? -ENOMEM : 0;
}

/**
 * bufpool_world_exit() - delete the key, free every thread's binding
 * @pool: the pool; its caches are flushed already
 *
 * Context: any thread; no thread may use @pool any more.
 */
void bufpool_world_exit(struct bufpool *pool)
{
	struct bufpool_cache *c, *tmp;

	pthread_key_delete(pool->world.key);
	list_for_each_entry_safe(c, tmp, &pool->world.threads, node) {
		list_del(&c->node);
		bufpool_cache_bins_free(c);
		free(container_of(c, struct bufpool_thread, cache));
	}
	pthread_mutex_destroy(&pool->world.lock);
}

static noinline struct bufpool_thread *thread_bind(struct bufpool *pool)
{
	struct bufpool_arena *best = &pool->arenas[0];
	struct bufpool_thread *t;
	unsigned int i;

	t = aligned_alloc(SMP_CACHE_BYTES, ALIGN(sizeof(*t), SMP_CACHE_BYTES));
	if (!t)
		return NULL;
	for (i = 1; i < pool->nr_arenas; i++)
		if (atomic_read(&pool->arenas[i].nr_users) < atomic_read(&best->nr_users))
			best = &pool->arenas[i];
	atomic_inc(&best->nr_users);
	t->arena = best;
	bufpool_cache_init(&t->cache, pool);
	/* Without bins (no memory) the thread still works, uncached. */
	bufpool_cache_bins_alloc(&t->cache, GFP_KERNEL, NUMA_NO_NODE);
	pthread_mutex_lock(&pool->world.lock);
	list_add(&t->cache.node, &pool->world.threads);
	pthread_mutex_unlock(&pool->world.lock);
	pthread_setspecific(pool->world.key, t);
	return t;
}

static struct bufpool_thread *thread_get(struct bufpool *pool)
{
	struct bufpool_thread *t;

	if (likely(bufpool_tls.pool_id == pool->world.id))
		return last_thread;
	t = pthread_getspecific(pool->world.key);
	if (!t)
		t = thread_bind(pool);
	if (t) {
		bufpool_tls.pool_id = pool->world.id;
		bufpool_tls.cache = &t->cache;
		last_thread = t;
	}
	return t;
}

/**
 * bufpool_arena_select() - the calling thread's arena, bound on first use
 * @pool: the pool
 *
 * Context: any thread.
 * Return: the arena (arena 0 if the binding could not be allocated).
 */
struct bufpool_arena *bufpool_arena_select(struct bufpool *pool)
{
	struct bufpool_thread *t = thread_get(pool);

	return likely(t) ? t->arena : &pool->arenas[0];
}

/**
 * bufpool_cache_bind() - the calling thread's cache when the TLS memo misses
 * @pool: the pool
 *
 * The thread's binding to @pool (made now on its first use), remembered
 * in the memo for the next call.
 *
 * Context: any thread.
 * Return: the cache, or NULL if the binding could not be allocated.
 */
noinline struct bufpool_cache *bufpool_cache_bind(struct bufpool *pool)
{
	struct bufpool_thread *t = thread_get(pool);

	return likely(t) ? &t->cache : NULL;
}

/**
 * bufpool_cache_for_each() - call @fn on every live thread's cache, then on
 *                            the pool's retired counters
 * @pool: the pool
 * @fn: the callback; must not take world.lock
 * @arg: passed to @fn
 *
 * Context: any thread; takes world.lock.  A thread that has not been
 * joined may still be exiting: destroy a pool only after its threads are
 * done with it.
 */
void bufpool_cache_for_each(struct bufpool *pool,
			    void (*fn)(struct bufpool_cache *c, void *arg), void *arg)
{
	struct bufpool_cache *c;

	pthread_mutex_lock(&pool->world.lock);
	list_for_each_entry(c, &pool->world.threads, node)
		fn(c, arg);
	fn(&pool->retired_cache, arg);
	pthread_mutex_unlock(&pool->world.lock);
}

/**
 * bufpool_now_ms() - a monotonic clock in milliseconds
 *
 * Context: any.
 * Return: CLOCK_MONOTONIC in ms.
 */
u64 bufpool_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
