// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * malloc.c (libbufpool-malloc.so) - malloc(), free() and the rest of the
 * C allocation functions over one process-wide pool, for LD_PRELOAD.
 *
 * The pool is made by the library's constructor, or by an earlier call
 * once libc has set up the environment, with a NULL configuration (so
 * BUFPOOL_CONF applies to it where the library reads it), and lives until
 * the process ends: it is never destroyed, since atexit handlers and
 * library destructors still free after any point we could pick.
 *
 * Whose pointer is it?  Not every pointer free() sees is the pool's: the
 * calls made while the pool is being made (dlsym(), pthread_atfork() and
 * pthread_key_create() may allocate), the ones of a thread that is binding
 * to the pool (pthread_setspecific() may), those of a thread the pool has
 * let go at its exit, aligned requests no class can give, and whatever
 * glibc's allocator handed out before the preload took over are glibc's.
 * The pool's chunk map answers "is it in one of my chunks?" without a lock
 * (two loads), and the huge table answers for the page-aligned rest; every
 * other pointer goes to glibc (__libc_free(), __libc_realloc(), glibc's
 * malloc_usable_size()).  So a foreign free is not an error here: it is
 * glibc's memory, given back to glibc.  A pointer inside a chunk that is
 * not a live allocation (interior, double free) is the pool's misuse
 * report: one line on stderr and abort(), as glibc's "free(): invalid
 * pointer".
 *
 * Recursion.  The pool's metadata comes from glibc (user/malloc_meta.c),
 * so the core never calls back in here; but libc calls it may make do:
 * pthread_setspecific() when a thread binds to its arena, for one.  A
 * thread's state says where it stands: NEW until its first allocation
 * through the pool, BINDING while that allocation binds it (a nested
 * malloc() is then glibc's, a nested free() of a pool pointer goes to its
 * arena under the lock), BOUND after.  A BOUND thread whose cache memo no
 * longer names the pool has been through the pool's thread-exit
 * destructor: whatever it allocates or frees from then on (glibc's
 * thread teardown does both) must not bind it again, or the new binding
 * would never be released; its frees go to the arenas under their lock,
 * its allocations to glibc.
 *
 * Alignment.  Every class is a multiple of 16 bytes and starts at a
 * multiple of its size within a page (subpages) or within a chunk aligned
 * to its own size (runs of pages): malloc() is 16-byte aligned at every
 * size, and a power-of-two class is aligned to its size.  A request for
 * alignment A above 16 is served from the power-of-two class that holds
 * max(size, A): the pointer is the allocation's start, and free() finds it
 * as any other.  Huge allocations (above the chunk size) are page-aligned;
 * a larger alignment at such a size, or one above the chunk size, comes
 * from glibc's memalign().
 *
 * Fork: the pool registers with user/fork.c when made, so a child of a
 * multithreaded parent finds its locks free.  Stats: with
 * BUFPOOL_MALLOC_STATS=1 in the environment the pool's counters are
 * printed to stderr at exit, in the debugfs "stats" format (through a copy
 * of file descriptor 2 taken at start, numbered 100 or above: programs
 * such as ls close stderr in their own exit handlers); with
 * BUFPOOL_MALLOC_STATS=/path they are appended to that file instead, for
 * programs whose stderr is checked (test suites) and process trees.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "geometry.h"
#include "cache.h"
#include "pool.h"
#include "fastpath.h"

/* glibc's allocator, under the internal names glibc exports for this. */
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void *__libc_memalign(size_t align, size_t size);
void __libc_free(void *ptr);

/* What malloc() promises at every size: max_align_t on x86-64. */
#define MALLOC_ALIGN	16u

enum malloc_pool_state { POOL_NONE, POOL_MAKING, POOL_READY, POOL_FAILED };
enum malloc_thread_state { THREAD_NEW, THREAD_BINDING, THREAD_BOUND };

static struct bufpool *malloc_pool;
static int pool_state = POOL_NONE;
static size_t (*libc_usable_size)(void *ptr);
static size_t sys_page_size;
/* A copy of stderr made at start: programs may close theirs before exit. */
static int stats_fd = -1;
static __thread unsigned char thread_state
	__attribute__((tls_model("initial-exec")));	/* enum malloc_thread_state */

/*
 * The pool, or NULL before it is made.  Acquire: pairs with pool_make()'s
 * release, so that a thread that sees the pointer sees the pool made.
 */
static __always_inline struct bufpool *pool_peek(void)
{
	return smp_load_acquire(&malloc_pool);	/* see above */
}

static void print_stats(void)
{
	struct bufpool_stats st;
	char buf[16384];	/* the format promises 4096 is enough */
	int len;

	if (bufpool_get_stats(malloc_pool, &st))
		return;
	len = snprintf(buf, 512, "bufpool-malloc: stats of pid %d at exit\n", (int)getpid());
	len += bufpool_stats_format(&st, buf + len, sizeof(buf) - len);
	/* One write: processes appending to one file do not interleave. */
	if (write(stats_fd, buf, len) < 0)
		return;
}

/* BUFPOOL_MALLOC_STATS: 1 for stderr, or an absolute path to append to. */
static void stats_setup(void)
{
	const char *v = secure_getenv("BUFPOOL_MALLOC_STATS");
	int fd;

	if (!v || !*v || !strcmp(v, "0"))
		return;
	if (*v == '/')
		fd = open(v, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	else
		fd = dup(STDERR_FILENO);
	if (fd < 0)
		return;
	stats_fd = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	close(fd);
	if (stats_fd >= 0)
		atexit(print_stats);
}

/*
 * Make the pool, once.  Calls made meanwhile - by this thread through libc,
 * or by other threads - see POOL_MAKING and are served by glibc.
 */
static noinline struct bufpool *pool_make(void)
{
	int expect = POOL_NONE;
	struct bufpool *pool;

	/*
	 * Before libc is initialised (the dynamic loader's own calls) the
	 * environment, with BUFPOOL_CONF in it, is not readable yet.
	 */
	if (!environ)
		return NULL;
	if (!__atomic_compare_exchange_n(&pool_state, &expect, POOL_MAKING, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
		return expect == POOL_READY ? pool_peek() : NULL;
	sys_page_size = (size_t)sysconf(_SC_PAGESIZE);
	libc_usable_size = (size_t (*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");
	pool = bufpool_create(NULL);
	if (!pool) {
		fprintf(stderr, "bufpool-malloc: no pool (%s): glibc's malloc serves this process\n",
			strerror(errno));
		__atomic_store_n(&pool_state, POOL_FAILED, __ATOMIC_RELEASE);
		return NULL;
	}
	stats_setup();
	smp_store_release(&malloc_pool, pool);	/* pairs with pool_peek() */
	__atomic_store_n(&pool_state, POOL_READY, __ATOMIC_RELEASE);
	return pool;
}

/* At the latest when the library's constructors run (calls before are glibc's). */
static __attribute__((constructor)) void pool_make_early(void)
{
	if (!pool_peek())
		pool_make();
}

static __always_inline struct bufpool *pool_get(void)
{
	struct bufpool *pool = pool_peek();

	return likely(pool) ? pool : pool_make();
}

/* The thread's cache memo names the pool: the fast path may run. */
static __always_inline bool thread_bound(const struct bufpool *pool)
{
	return bufpool_tls.pool_id == pool->world.id;
}

/* Is @ptr the pool's (in a chunk, or a huge allocation)?  @chunk: its chunk. */
static bool pool_owns(struct bufpool *pool, const void *ptr, struct bufpool_chunk **chunk)
{
	*chunk = bufpool_chunk_find(pool, ptr);
	if (*chunk)
		return true;
	return !((uintptr_t)ptr & (sys_page_size - 1)) && bufpool_huge_usable_size(pool, ptr);
}

/*
 * What calloc() asks of the pool: zeroing, except for huge sizes, which are
 * freshly mapped every time (user/page_source.c) and so already zero;
 * writing them would only fault every page in.
 */
static __always_inline gfp_t calloc_gfp(const struct bufpool *pool, size_t size)
{
	return size > pool->geo.chunk_size ? 0 : __GFP_ZERO;
}

static noinline void *malloc_slow(size_t size, bool zero)
{
	struct bufpool *pool = pool_get();
	gfp_t gfp;
	void *ptr;

	if (!pool || (!thread_bound(pool) && thread_state != THREAD_NEW))
		return zero ? __libc_calloc(1, size) : __libc_malloc(size);
	gfp = zero ? calloc_gfp(pool, size) : 0;
	if (thread_bound(pool))
		return bufpool_fast_alloc(pool, size, gfp);
	thread_state = THREAD_BINDING;
	ptr = bufpool_fast_alloc(pool, size, gfp);
	thread_state = thread_bound(pool) ? THREAD_BOUND : THREAD_NEW;
	return ptr;
}

/* Free a pool pointer without a cache: to its arena, under the lock. */
static void free_locked(struct bufpool *pool, void *ptr)
{
	if (unlikely(bufpool_cache_marked(pool, ptr)))
		bufpool_pool_refuse(pool, ptr, BUFPOOL_MISUSE_DOUBLE_FREE);
	else
		bufpool_pool_free_slow(pool, ptr);
}

static noinline void free_slow(void *ptr)
{
	struct bufpool *pool = pool_peek();
	struct bufpool_chunk *chunk;

	if (!ptr)
		return;
	if (!pool || !pool_owns(pool, ptr, &chunk)) {
		__libc_free(ptr);
		return;
	}
	if (thread_bound(pool)) {
		bufpool_fast_free(pool, ptr);
	} else if (thread_state == THREAD_NEW) {
		thread_state = THREAD_BINDING;
		bufpool_fast_free(pool, ptr);
		thread_state = thread_bound(pool) ? THREAD_BOUND : THREAD_NEW;
	} else {
		free_locked(pool, ptr);
	}
}

/**
 * malloc() - @size bytes from the pool, 16-byte aligned
 * @size: bytes; 0 gets the smallest class
 *
 * Context: any thread; not async-signal-safe (neither is glibc's).
 * Return: the memory, or NULL with errno ENOMEM.
 */
__bufpool_hot_entry void *malloc(size_t size)
{
	struct bufpool *pool = pool_peek();

	if (likely(pool && thread_bound(pool)))
		return bufpool_fast_alloc(pool, size, 0);
	return malloc_slow(size, false);
}

/**
 * free() - give back memory from malloc() and the rest
 * @ptr: the pointer; NULL is a no-op; glibc's pointers go back to glibc
 *
 * Context: any thread, not only the allocating one.
 */
__bufpool_hot_entry void free(void *ptr)
{
	struct bufpool *pool = pool_peek();
	unsigned long key;

	/*
	 * bufpool_fast_free(), but what its hit path cannot take may be
	 * glibc's: only a pointer in one of the pool's chunks goes to the
	 * pool's slow path.
	 */
	if (likely(pool && thread_bound(pool))) {
		key = bufpool_page_key_find(pool, ptr);
		if (likely(bufpool_page_key_elem(pool, key, ptr) &&
			   bufpool_fast_push(pool, ptr, key)))
			return;
		if (bufpool_chunk_find(pool, ptr)) {
			bufpool_free_slow(pool, ptr);
			return;
		}
	}
	free_slow(ptr);
}

/**
 * calloc() - @n zeroed elements of @size bytes
 * @n: elements
 * @size: bytes each
 *
 * Context: any thread.
 * Return: the memory, or NULL with errno ENOMEM (also when @n * @size
 * overflows).
 */
void *calloc(size_t n, size_t size)
{
	struct bufpool *pool = pool_peek();
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes))) {
		errno = ENOMEM;
		return NULL;
	}
	if (likely(pool && thread_bound(pool)))
		return bufpool_fast_alloc(pool, bytes, calloc_gfp(pool, bytes));
	return malloc_slow(bytes, true);
}

/*
 * Usable bytes of a pool pointer: the cache bin's size without a lock
 * when it is a live cacheable allocation, else the locked lookup.
 */
static size_t owned_usable_size(struct bufpool *pool, struct bufpool_chunk *chunk,
				const void *ptr)
{
	int bin = chunk ? bufpool_fast_locate(pool, chunk, ptr) : -1;

	if (bin >= 0 && !bufpool_cache_marked(pool, ptr))
		return bufpool_bin_size(pool, bin);
	return bufpool_pool_usable_size(pool, ptr);
}

/**
 * malloc_usable_size() - bytes usable at @ptr
 * @ptr: from malloc() and the rest, or NULL
 *
 * Context: any thread.
 * Return: the size of its class (at least what was asked), glibc's answer
 * for glibc's pointers, 0 for NULL.
 */
size_t malloc_usable_size(void *ptr)
{
	struct bufpool *pool = pool_peek();
	struct bufpool_chunk *chunk;

	if (!ptr)
		return 0;
	if (pool && pool_owns(pool, ptr, &chunk))
		return owned_usable_size(pool, chunk, ptr);
	return libc_usable_size ? libc_usable_size(ptr) : 0;
}

/**
 * realloc() - resize @ptr to @size bytes, keeping its contents
 * @ptr: the pointer, or NULL (then: malloc(@size))
 * @size: bytes; 0 frees @ptr and returns NULL, as glibc does
 *
 * Kept in place while @size fits its class and uses at least half of it;
 * else moved to the class of @size.  glibc's pointers stay glibc's.
 *
 * Context: any thread.
 * Return: the memory, or NULL with errno ENOMEM (@ptr untouched).
 */
void *realloc(void *ptr, size_t size)
{
	struct bufpool *pool = pool_get();
	struct bufpool_chunk *chunk;
	size_t old;
	void *p;

	if (!ptr)
		return malloc(size);
	if (!size) {
		free(ptr);
		return NULL;
	}
	if (!pool || !pool_owns(pool, ptr, &chunk))
		return __libc_realloc(ptr, size);
	old = owned_usable_size(pool, chunk, ptr);
	if (unlikely(!old)) {
		free(ptr);	/* not live: reported as misuse */
		errno = EINVAL;
		return NULL;
	}
	if (size <= old && size >= old / 2)
		return ptr;
	p = malloc(size);
	if (!p)
		return NULL;
	memcpy(p, ptr, min(old, size));
	free(ptr);
	return p;
}

/*
 * @size bytes aligned to @align, a power of two.  The pool serves it from
 * the power-of-two class holding max(size, align) (aligned to its size),
 * or as a huge allocation (page-aligned); glibc serves the rest.
 */
static void *aligned_malloc(size_t align, size_t size)
{
	struct bufpool *pool;
	size_t want;
	void *ptr;

	if (align <= MALLOC_ALIGN)
		return malloc(size);
	pool = pool_get();
	if (!pool)
		return __libc_memalign(align, size);
	want = max(size, align);
	if (want > pool->geo.chunk_size) {
		if (align > sys_page_size || align > pool->geo.chunk_size)
			return __libc_memalign(align, size);
		return malloc(size);	/* huge: page-aligned */
	}
	ptr = malloc(roundup_pow_of_two(want));
	if (unlikely(ptr && ((uintptr_t)ptr & (align - 1)))) {
		/* Not the pool's (a nested or exiting thread's call): glibc's. */
		free(ptr);
		return __libc_memalign(align, size);
	}
	return ptr;
}

/**
 * posix_memalign() - @size bytes aligned to @align, into *@memptr
 * @memptr: where the pointer goes (untouched on failure)
 * @align: a power of two, a multiple of sizeof(void *)
 * @size: bytes
 *
 * Context: any thread.
 * Return: 0, EINVAL (bad @align) or ENOMEM; errno is not changed.
 */
int posix_memalign(void **memptr, size_t align, size_t size)
{
	int saved = errno;
	void *ptr;

	if (!is_power_of_2(align) || align % sizeof(void *))
		return EINVAL;
	ptr = aligned_malloc(align, size);
	errno = saved;
	if (!ptr)
		return ENOMEM;
	*memptr = ptr;
	return 0;
}

/**
 * aligned_alloc() - @size bytes aligned to @align (C11)
 * @align: a power of two
 * @size: bytes
 *
 * Context: any thread.
 * Return: the memory, or NULL with errno EINVAL (@align not a power of
 * two, as glibc 2.38 and later) or ENOMEM.
 */
void *aligned_alloc(size_t align, size_t size)
{
	if (!is_power_of_2(align)) {
		errno = EINVAL;
		return NULL;
	}
	return aligned_malloc(align, size);
}

/**
 * memalign() - @size bytes aligned to @align (obsolete)
 * @align: rounded up to a power of two, as glibc does
 * @size: bytes
 *
 * Context: any thread.
 * Return: the memory, or NULL with errno EINVAL (@align above half the
 * address space) or ENOMEM.
 */
void *memalign(size_t align, size_t size)
{
	if (align > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	if (!is_power_of_2(align))
		align = align ? roundup_pow_of_two(align) : 1;
	return aligned_malloc(align, size);
}

/**
 * valloc() - @size bytes aligned to the system page (obsolete)
 * @size: bytes
 *
 * Context: any thread.
 * Return: the memory, or NULL with errno ENOMEM.
 */
void *valloc(size_t size)
{
	return aligned_malloc((size_t)sysconf(_SC_PAGESIZE), size);
}

/**
 * pvalloc() - @size rounded up to whole system pages, page-aligned (obsolete)
 * @size: bytes
 *
 * Context: any thread.
 * Return: the memory, or NULL with errno ENOMEM (also when rounding
 * overflows).
 */
void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (size > SIZE_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	return aligned_malloc(page, ALIGN(size ? size : 1, page));
}
