// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fork.c (userspace) - a process that forks while other threads use a pool
 * gets a child whose pools work.
 *
 * fork() copies the memory of every lock as it is, held or not, but only
 * the calling thread: a pool lock another thread held at that instant would
 * stay locked in the child forever, and the child's next allocation that
 * needs it would hang (glibc, jemalloc, tcmalloc and mimalloc all guard
 * against this).  So, as they do, every pool's locks are taken before the
 * fork (pthread_atfork's prepare), in the order the core takes them - the
 * world lock (it is held around cache flushes, which take arena locks),
 * each arena's purge lock (held through a purge pass, which gives pages
 * back without the arena lock: the child must not inherit ranges a purge
 * took out of a tree and would never put back), the table lock, each
 * arena lock, the huge lock, the leak lock, the buffer descriptors' lock
 * (bufpool_trim() and buffer allocations take it); then the
 * stack depot's lock (user/stack.c), a leaf - and let go after it:
 * released in the parent, made anew in the child (where the thread that
 * took them is not the one that runs).
 *
 * The child keeps the other threads' caches as they were: what they hold
 * stays allocated for them and goes back when the pool is destroyed.
 *
 * Lock order: pools_lock -> each pool's locks as above.  Pools register at
 * create and leave at destroy (bufpool_fork_track()).
 */
#include <linux/stackdepot.h>
#include "arena.h"
#include "pool.h"
#include "fork.h"

static LIST_HEAD(pools);
static pthread_mutex_t pools_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

static void pool_lock_all(struct bufpool *pool)
{
	unsigned int i;

	pthread_mutex_lock(&pool->world.lock);
	for (i = 0; i < pool->nr_arenas; i++)
		mutex_lock(&pool->arenas[i].purge_lock);
	spin_lock(&pool->table.lock);
	for (i = 0; i < pool->nr_arenas; i++)
		spin_lock(&pool->arenas[i].lock);
	spin_lock(&pool->huge.lock);
	spin_lock(&pool->leak_lock);
	spin_lock(&pool->buf_desc_lock);
}

static void pool_unlock_all(struct bufpool *pool)
{
	unsigned int i;

	spin_unlock(&pool->buf_desc_lock);
	spin_unlock(&pool->leak_lock);
	spin_unlock(&pool->huge.lock);
	for (i = pool->nr_arenas; i-- > 0;)
		spin_unlock(&pool->arenas[i].lock);
	spin_unlock(&pool->table.lock);
	for (i = pool->nr_arenas; i-- > 0;)
		mutex_unlock(&pool->arenas[i].purge_lock);
	pthread_mutex_unlock(&pool->world.lock);
}

/* In the child: the locks are held by a thread that does not exist here. */
static void pool_reinit_all(struct bufpool *pool)
{
	unsigned int i;

	spin_lock_init(&pool->buf_desc_lock);
	spin_lock_init(&pool->leak_lock);
	spin_lock_init(&pool->huge.lock);
	for (i = 0; i < pool->nr_arenas; i++)
		spin_lock_init(&pool->arenas[i].lock);
	spin_lock_init(&pool->table.lock);
	for (i = 0; i < pool->nr_arenas; i++)
		mutex_init(&pool->arenas[i].purge_lock);
	pthread_mutex_init(&pool->world.lock, NULL);
}

static void fork_prepare(void)
{
	struct bufpool *pool;

	pthread_mutex_lock(&pools_lock);
	list_for_each_entry(pool, &pools, world.node)
		pool_lock_all(pool);
	bufpool_depot_fork(0);	/* a leaf lock: last */
}

static void fork_parent(void)
{
	struct bufpool *pool;

	bufpool_depot_fork(1);
	list_for_each_entry(pool, &pools, world.node)
		pool_unlock_all(pool);
	pthread_mutex_unlock(&pools_lock);
}

static void fork_child(void)
{
	struct bufpool *pool;

	bufpool_depot_fork(2);
	list_for_each_entry(pool, &pools, world.node)
		pool_reinit_all(pool);
	pthread_mutex_init(&pools_lock, NULL);
}

static void register_handlers(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/**
 * bufpool_fork_track() - make @pool safe across fork(), or stop
 * @pool: a pool, created and not yet used; or being destroyed
 * @track: true at create, false at destroy
 *
 * Context: any thread; takes pools_lock (so never while a fork prepares).
 */
void bufpool_fork_track(struct bufpool *pool, bool track)
{
	pthread_once(&handlers_once, register_handlers);
	pthread_mutex_lock(&pools_lock);
	if (track)
		list_add(&pool->world.node, &pools);
	else
		list_del_init(&pool->world.node);
	pthread_mutex_unlock(&pools_lock);
}
