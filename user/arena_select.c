// SPDX-License-Identifier: GPL-2.0
/*
 * arena_select.c (userspace) - each thread binds to the least used arena on
 * its first allocation (Netty's leastUsedArena) and keeps it.
 *
 * The binding is a thread-specific value under a per-pool pthread key; its
 * destructor unbinds the thread when it exits, so the arena counts follow
 * the live threads.  Memory freed by another thread goes back to the arena
 * of its chunk, whichever thread frees it.
 */
#include <unistd.h>
#include "bufpool_internal.h"

static void arena_unbind(void *arg)
{
	struct bufpool_arena *arena = arg;

	atomic_dec(&arena->nr_users);
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
 * bufpool_world_init() - create the pool's thread key
 * @pool: the pool
 *
 * Context: any thread.
 * Return: 0, or -ENOMEM if the process ran out of thread keys (a pool each).
 */
int bufpool_world_init(struct bufpool *pool)
{
	return pthread_key_create(&pool->world.arena_key, arena_unbind) ? -ENOMEM : 0;
}

/**
 * bufpool_world_exit() - delete the pool's thread key
 * @pool: the pool
 *
 * Context: any thread; no thread may use @pool any more.
 */
void bufpool_world_exit(struct bufpool *pool)
{
	pthread_key_delete(pool->world.arena_key);
}

static noinline struct bufpool_arena *arena_bind(struct bufpool *pool)
{
	struct bufpool_arena *best = &pool->arenas[0];
	unsigned int i;

	for (i = 1; i < pool->nr_arenas; i++)
		if (atomic_read(&pool->arenas[i].nr_users) < atomic_read(&best->nr_users))
			best = &pool->arenas[i];
	atomic_inc(&best->nr_users);
	pthread_setspecific(pool->world.arena_key, best);
	return best;
}

/**
 * bufpool_arena_select() - the calling thread's arena, bound on first use
 * @pool: the pool
 *
 * Context: any thread.
 * Return: the arena.
 */
struct bufpool_arena *bufpool_arena_select(struct bufpool *pool)
{
	struct bufpool_arena *arena = pthread_getspecific(pool->world.arena_key);

	return likely(arena) ? arena : arena_bind(pool);
}
