// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * buf.c - refcounted pooled buffers (Netty's ByteBuf) on top of the pool:
 * indexes, typed reads and writes, growth, slices and duplicates, and the
 * descriptor recycler.  API and rules: include/bufpool_buf.h.
 *
 * A root buffer owns an allocation from the pool and the reference count;
 * a derived buffer (slice or duplicate) points at its root and reaches the
 * memory through it, at an offset, so that growth of the root - which
 * moves the memory - never leaves a derived buffer behind.  Derived
 * descriptors hang off their root and go away with it when the count
 * reaches zero.
 *
 * Descriptors come from a bounded free list in the caller's cache (per CPU
 * in the kernel, per thread in userspace; Netty's Recycler), so a buffer
 * allocated, released and allocated again gets the same descriptor back.
 * The list holds at most buf_recycler_size descriptors (default 256) and
 * empties when the cache is flushed (bufpool_trim(), the shrinker, thread
 * exit, destroy).
 *
 * The count is a refcount_t: a retain that would overflow is refused
 * (-EOVERFLOW) when it can be seen coming, and one that races past
 * INT_MAX saturates the count (the buffer is never freed, refcount_t
 * warns) rather than wrapping to a free while in use.
 *
 * Descriptors are type-stable: once a pool allocated one for a buffer it
 * stays a buffer descriptor until the pool is destroyed or trimmed (an
 * explicit trim gives the spares below back) - in a cache's
 * recycler, on the pool's list of spare descriptors (when a recycler is
 * full, or a cache is flushed), or in use.  Its memory never goes back to
 * the arenas as anything else, so a stale pointer always reads a
 * descriptor, never freed or reused memory.  A released descriptor has
 * count 0 (its root is itself), and every operation on it returns -EINVAL
 * and counts the misuse - until the descriptor is handed out again for a
 * new buffer.  From then on the stale pointer is that buffer's: misuse
 * through it is not seen (the pointer carries no generation, as a pointer
 * to a SLAB_TYPESAFE_BY_RCU object does not), as for double frees of
 * memory, or after a trim.  The cost: a pool keeps as many descriptors as
 * it ever had buffers at once, until it is trimmed or destroyed.
 *
 * Slices and duplicates live until their root is freed, except retained
 * slices, whose release gives their descriptor back at once (Netty's
 * retainedSlice(), used once per message on a long-lived buffer).  The
 * derived list has its own lock, so views may be made in any thread.
 *
 * Lock order: the caller's cache (bufpool_cache_enter()) alone; the leak
 * list lock (leak.c) is never taken with it held.
 */
#include <bufpool_cache_world.h>
#include "cache.h"
#include "pool.h"
#include "fastpath.h"
#include "leak.h"
#include "buf_internal.h"
#include "world.h"

#define BUF_ROOT	0
#define BUF_SLICE	1
#define BUF_DUP		2

/* Netty's AbstractByteBufAllocator.CALCULATE_THRESHOLD. */
#define BUF_GROW_THRESHOLD	((size_t)4 << 20)

static bool buf_dead(const struct bufpool_buf *b)
{
	return !refcount_read(&b->root->refcnt);
}

static u8 *buf_mem(const struct bufpool_buf *b)
{
	return b->root->mem + b->offset;
}

static size_t buf_cap(const struct bufpool_buf *b)
{
	return b->kind == BUF_DUP ? b->root->cap : b->cap;
}

static void buf_touch(const struct bufpool_buf *b)
{
	if (unlikely(b->root->leak))
		bufpool_leak_touch(b->root->leak, _RET_IP_);
}

/*
 * Netty's PooledByteBuf.maxLength for an allocation of @cap bytes: the
 * usable size of its element, which growth may take without moving.  A
 * 0-byte buffer has none (Netty gives it a 0-byte element) and a huge
 * one none beyond @cap (Netty's unpooled chunk is exactly the request;
 * the page rounding of bufpool's huge allocations is not used).
 */
static size_t buf_room(const struct bufpool *pool, size_t cap)
{
	if (!cap || cap > pool->geo.chunk_size)
		return cap;
	if (cap <= pool->fast_max) {	/* a cached size: its bin's, from the table */
		unsigned int bin = bufpool_size_bin(pool, cap);

		if (bin != BUFPOOL_NO_BIN)
			return bufpool_bin_size(pool, bin);
	}
	return bufpool_pool_request_size(pool, cap);
}

/*
 * A root's memory: @room bytes (buf_room() of its capacity), through the
 * hit path; given back knowing that size (bufpool_fast_free_own()).
 */
static __always_inline u8 *buf_mem_alloc(struct bufpool *pool, size_t room, gfp_t gfp)
{
	return bufpool_fast_alloc(pool, room, gfp);
}

static __always_inline void buf_mem_free(struct bufpool *pool, const u8 *mem, size_t room)
{
	bufpool_fast_free_own(pool, mem, room);
}

/* --- descriptors ---------------------------------------------------------- */

/* One of the pool's spare descriptors, or NULL. */
static noinline struct bufpool_buf *desc_spare(struct bufpool *pool)
{
	unsigned long irqflags;
	struct bufpool_buf *b;

	if (!READ_ONCE(pool->buf_descs))
		return NULL;
	spin_lock_irqsave(&pool->buf_desc_lock, irqflags);
	b = pool->buf_descs;
	if (b)
		WRITE_ONCE(pool->buf_descs, b->next);	/* read unlocked above */
	spin_unlock_irqrestore(&pool->buf_desc_lock, irqflags);
	return b;
}

/* Give a list of dead descriptors, @first to @last, to the pool's spares. */
static void desc_spare_put(struct bufpool *pool, struct bufpool_buf *first,
			   struct bufpool_buf *last)
{
	unsigned long irqflags;

	spin_lock_irqsave(&pool->buf_desc_lock, irqflags);
	last->next = pool->buf_descs;
	WRITE_ONCE(pool->buf_descs, first);
	spin_unlock_irqrestore(&pool->buf_desc_lock, irqflags);
}

/*
 * Does the root allocated now through @c get tracked for leaks?  Simple
 * and advanced track one in leak_sample_rate, paranoid every one: the
 * cache counts down to the next (bufpool_leak_interval()).  Inline: it
 * runs on every root.
 */
static bool buf_should_track(const struct bufpool *pool, struct bufpool_cache *c)
{
	if (likely(--c->leak_left))
		return false;
	c->leak_left = bufpool_leak_interval(pool);
	return pool->leak_level != BUFPOOL_LEAK_DISABLED;
}

/*
 * A descriptor: from the caller's recycler, else a spare of the pool,
 * else a new pool allocation (so that a pool's destroy takes leaked
 * descriptors with it).  For a root, also the leak sampling decision,
 * counted per cache, and the buffer counted as allocated (the caller has
 * its memory already): in the cache when the recycler had a descriptor,
 * else in the pool's atomic.
 */
static __always_inline struct bufpool_buf *desc_get(struct bufpool *pool, gfp_t gfp, bool root)
{
	unsigned long flags;
	struct bufpool_cache *c = bufpool_cache_enter_bind(pool, &flags);
	struct bufpool_buf *b = NULL;
	bool sampled = false;

	if (c) {
		if (c->buf_free) {
			b = c->buf_free;
			c->buf_free = b->next;
			c->nr_buf_free--;
			bufpool_cache_count(c, &c->st.buf_recycled, 1);
			if (root)
				bufpool_cache_count(c, &c->st.buf_allocs, 1);
		}
		if (root)
			sampled = buf_should_track(pool, c);
		bufpool_cache_leave(pool, flags);
	} else if (root) {
		sampled = pool->leak_level == BUFPOOL_LEAK_PARANOID;
	}
	if (!b) {
		b = desc_spare(pool);
		if (!b)
			b = bufpool_pool_alloc(pool, sizeof(*b), gfp & ~__GFP_ZERO);
		if (b && root)
			atomic_long_inc(&pool->buf_allocs);
	}
	if (b && !root)
		memset(b, 0, sizeof(*b));
	else if (b)
		b->sampled = sampled;	/* bufpool_new_buf() sets every other field */
	return b;
}

/* @b is dead and unreachable for its owner: keep it for reuse or free it. */
static __always_inline void desc_put(struct bufpool *pool, struct bufpool_buf *b)
{
	unsigned long flags;
	struct bufpool_cache *c;

	/* Until it is handed out again, a stale pointer finds a dead root. */
	b->root = b;
	b->kind = BUF_ROOT;
	b->retained = false;
	b->derived = NULL;
	refcount_set(&b->refcnt, 0);
	c = bufpool_cache_enter_bind(pool, &flags);

	if (c && c->nr_buf_free < pool->buf_recycler_max) {
		b->next = c->buf_free;
		c->buf_free = b;
		c->nr_buf_free++;
		b = NULL;
	}
	if (c)
		bufpool_cache_leave(pool, flags);
	if (b)
		desc_spare_put(pool, b, b);	/* type-stable: never to the arena */
}

/**
 * bufpool_recycler_drain() - hand the descriptors a cache keeps to the pool
 * @pool: the pool
 * @owned: a cache the caller owns outright, or NULL for the caller's own
 *
 * The list is taken out of the cache, then joins the pool's spares: the
 * descriptors stay descriptors (see the file comment).
 *
 * Context: not inside a cache; takes the pool's descriptor lock.
 */
void bufpool_recycler_drain(struct bufpool *pool, struct bufpool_cache *owned)
{
	unsigned long flags;
	struct bufpool_cache *c = owned ? owned : bufpool_cache_enter_bind(pool, &flags);
	struct bufpool_buf *list = NULL, *last;

	if (c) {
		list = c->buf_free;
		c->buf_free = NULL;
		c->nr_buf_free = 0;
		if (!owned)
			bufpool_cache_leave(pool, flags);
	}
	if (!list)
		return;
	for (last = list; last->next; last = last->next)
		;
	desc_spare_put(pool, list, last);
}
EXPORT_SYMBOL_NS_GPL(bufpool_recycler_drain, BUFPOOL_INTERNAL);

/**
 * bufpool_buf_descs_trim() - give the pool's spare descriptors back
 * @pool: the pool
 *
 * Straight to their arenas (the cache path would take a cache).  Called by
 * the pool's flush at destroy and by every explicit trim (bufpool_trim(),
 * TRIM, the shrinker's drain), which asks for every byte the pool can
 * spare: a stale pointer to a spare is no longer caught after that (see
 * the file comment).  Descriptors in the caches' recyclers stay.
 *
 * Context: not inside a cache; takes the pool's descriptor lock.
 */
void bufpool_buf_descs_trim(struct bufpool *pool)
{
	unsigned long irqflags;
	struct bufpool_buf *list;

	if (!READ_ONCE(pool->buf_descs))
		return;
	spin_lock_irqsave(&pool->buf_desc_lock, irqflags);
	list = pool->buf_descs;
	WRITE_ONCE(pool->buf_descs, NULL);
	spin_unlock_irqrestore(&pool->buf_desc_lock, irqflags);
	while (list) {
		struct bufpool_buf *b = list;

		list = b->next;
		bufpool_pool_free_slow(pool, b);
	}
}

/* --- allocation and reference counting ----------------------------------- */

/**
 * bufpool_new_buf() - a buffer of @initial bytes that may grow to @max
 * @pool: the pool
 * @initial: capacity, at most @max
 * @max: largest capacity growth may reach
 * @gfp: allocation flags
 * @caller: the allocating call site, for leak reports (_RET_IP_ of the API)
 *
 * Context: as bufpool_alloc() with @gfp.
 * Return: the buffer with one reference, reader and writer index 0; NULL
 * if @initial > @max or memory ran out.
 */
struct bufpool_buf *bufpool_new_buf(struct bufpool *pool, size_t initial, size_t max, gfp_t gfp,
				    unsigned long caller)
{
	struct bufpool_buf *b;
	size_t room;
	u8 *mem;

	if (initial > max)
		return NULL;
	/* All of the element: growth takes it in place (memory checkers agree). */
	room = buf_room(pool, initial);
	mem = buf_mem_alloc(pool, room, gfp);
	if (!mem)
		return NULL;
	b = desc_get(pool, gfp, true);
	if (!b) {
		buf_mem_free(pool, mem, room);
		return NULL;
	}
	/*
	 * Every field but @sampled (desc_get()), in struct order: a recycled
	 * descriptor keeps nothing of its last life, without clearing all
	 * of it first (a string store, slow to start, on every buffer).
	 */
	b->next = NULL;
	b->root = b;
	b->pool = pool;
	b->reader = 0;
	b->writer = 0;
	b->offset = 0;
	b->cap = initial;
	b->max_cap = max;
	b->kind = BUF_ROOT;
	b->retained = false;
	b->gfp = gfp & ~__GFP_ZERO;
	b->mem = mem;
	b->room = room;
	refcount_set(&b->refcnt, 1);
	spin_lock_init(&b->derived_lock);
	b->derived = NULL;
	b->leak = NULL;
	if (unlikely(b->sampled))	/* the rest of leak.c only for them */
		bufpool_leak_track(pool, b, caller);
	return b;
}
EXPORT_SYMBOL_NS_GPL(bufpool_new_buf, BUFPOOL_INTERNAL);

static void buf_misuse(struct bufpool_buf *b, const char *what)
{
	atomic_long_inc(&b->pool->buf_refcnt_errors);
	bufpool_buf_misuse(b->pool, what);	/* the kernel warns once */
}

/**
 * bufpool_buf_retain() - add a reference
 * @b: the buffer (or a slice or duplicate: the count is shared)
 *
 * Context: any the pool may be used in.
 * Return: 0; -EINVAL if the count had reached zero, -EOVERFLOW at INT_MAX
 * (nothing changes; a retain racing past INT_MAX saturates the count, see
 * the file comment).
 */
int bufpool_buf_retain(struct bufpool_buf *b)
{
	refcount_t *r = &b->root->refcnt;

	/* Saturated counts read as huge too: refused, left saturated. */
	if (unlikely(refcount_read(r) >= REFCOUNT_MAX))
		return -EOVERFLOW;
	if (unlikely(!refcount_inc_not_zero(r))) {
		buf_misuse(b, "retain");
		return -EINVAL;
	}
	buf_touch(b);
	return 0;
}
EXPORT_SYMBOL_GPL(bufpool_buf_retain);

/* Take @d off @root's derived list; false if it was not on it. */
static bool unlink_derived(struct bufpool_buf *root, struct bufpool_buf *d)
{
	unsigned long irqflags;
	struct bufpool_buf **pp;
	bool found = false;

	spin_lock_irqsave(&root->derived_lock, irqflags);
	for (pp = &root->derived; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			d->retained = false;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&root->derived_lock, irqflags);
	return found;
}

static __always_inline void buf_free(struct bufpool_buf *root)
{
	struct bufpool *pool = root->pool;
	struct bufpool_buf *d, *next;

	if (unlikely(root->leak))
		bufpool_leak_untrack(pool, root);
	buf_mem_free(pool, root->mem, root->room);
	root->mem = NULL;
	for (d = root->derived; d; d = next) {
		next = d->next;
		desc_put(pool, d);
	}
	root->derived = NULL;
	desc_put(pool, root);
}

/**
 * bufpool_buf_release() - drop a reference; at zero, free it all
 * @b: the buffer (or a slice or duplicate)
 *
 * Context: any the pool may be used in.
 * Return: 1 if this released the memory, 0 if references remain, -EINVAL
 * if the count was already zero (nothing is freed twice).
 */
int bufpool_buf_release(struct bufpool_buf *b)
{
	struct bufpool_buf *root = b->root;
	bool drop = false, last;

	/*
	 * A released buffer has count 0: refused here, before refcount_t
	 * would call the decrement an underflow.  Two releases racing for
	 * the last reference are that underflow, and refcount_t warns.
	 */
	if (unlikely(!refcount_read(&root->refcnt))) {
		buf_misuse(b, "release");
		return -EINVAL;
	}
	buf_touch(b);	/* before dropping ours: then it may be freed */
	if (b->retained) {
		/*
		 * A retained slice is its holder's alone: unlink it while the
		 * reference it stands for still keeps the root alive, and give
		 * its descriptor back once that reference is dropped.
		 */
		drop = unlink_derived(root, b);
		if (!drop) {
			buf_misuse(b, "release");	/* released before */
			return -EINVAL;
		}
	}
	last = refcount_dec_and_test(&root->refcnt);
	if (drop)
		desc_put(b->pool, b);
	if (!last)
		return 0;
	buf_free(root);
	return 1;
}
EXPORT_SYMBOL_GPL(bufpool_buf_release);

/**
 * bufpool_buf_refcnt() - the shared reference count
 * @b: a buffer
 *
 * Context: any.
 * Return: the count; 0 once released.
 */
unsigned int bufpool_buf_refcnt(const struct bufpool_buf *b)
{
	unsigned int n = refcount_read(&b->root->refcnt);

	return n <= REFCOUNT_MAX ? n : REFCOUNT_MAX;	/* saturated */
}
EXPORT_SYMBOL_GPL(bufpool_buf_refcnt);

/* --- indexes --------------------------------------------------------------- */

/**
 * bufpool_buf_reader_index() - where the next read starts
 * @b: a buffer
 *
 * Context: any.
 * Return: the index.
 */
size_t bufpool_buf_reader_index(const struct bufpool_buf *b)
{
	return b->reader;
}
EXPORT_SYMBOL_GPL(bufpool_buf_reader_index);

/**
 * bufpool_buf_writer_index() - where the next write starts
 * @b: a buffer
 *
 * Context: any.
 * Return: the index.
 */
size_t bufpool_buf_writer_index(const struct bufpool_buf *b)
{
	return b->writer;
}
EXPORT_SYMBOL_GPL(bufpool_buf_writer_index);

/**
 * bufpool_buf_capacity() - bytes addressable now
 * @b: a buffer
 *
 * Context: any.
 * Return: the capacity.
 */
size_t bufpool_buf_capacity(const struct bufpool_buf *b)
{
	return buf_cap(b);
}
EXPORT_SYMBOL_GPL(bufpool_buf_capacity);

/**
 * bufpool_buf_max_capacity() - the most growth may reach
 * @b: a buffer
 *
 * Context: any.
 * Return: the maximum capacity (a slice's is its length).
 */
size_t bufpool_buf_max_capacity(const struct bufpool_buf *b)
{
	return b->kind == BUF_DUP ? b->root->max_cap : b->max_cap;
}
EXPORT_SYMBOL_GPL(bufpool_buf_max_capacity);

/**
 * bufpool_buf_readable() - writer_index - reader_index
 * @b: a buffer
 *
 * Context: any.
 * Return: the bytes readable.
 */
size_t bufpool_buf_readable(const struct bufpool_buf *b)
{
	return b->writer - b->reader;
}
EXPORT_SYMBOL_GPL(bufpool_buf_readable);

/**
 * bufpool_buf_writable() - capacity - writer_index
 * @b: a buffer
 *
 * Context: any.
 * Return: the bytes writable without growing.
 */
size_t bufpool_buf_writable(const struct bufpool_buf *b)
{
	return buf_cap(b) - b->writer;
}
EXPORT_SYMBOL_GPL(bufpool_buf_writable);

/**
 * bufpool_buf_set_index() - set both indexes
 * @b: a buffer
 * @reader: new reader index
 * @writer: new writer index
 *
 * Context: any.
 * Return: 0; -ERANGE unless reader <= writer <= capacity; -EINVAL if
 * released.
 */
int bufpool_buf_set_index(struct bufpool_buf *b, size_t reader, size_t writer)
{
	if (buf_dead(b))
		return -EINVAL;
	if (reader > writer || writer > buf_cap(b))
		return -ERANGE;
	b->reader = reader;
	b->writer = writer;
	return 0;
}
EXPORT_SYMBOL_GPL(bufpool_buf_set_index);

/**
 * bufpool_buf_data() - the memory at index 0, for zero-copy use
 * @b: a buffer
 *
 * Valid until the buffer grows or is released.
 *
 * Context: any.
 * Return: the address; NULL if released.
 */
void *bufpool_buf_data(struct bufpool_buf *b)
{
	return buf_dead(b) ? NULL : buf_mem(b);
}
EXPORT_SYMBOL_GPL(bufpool_buf_data);

/* --- growth ---------------------------------------------------------------- */

/**
 * bufpool_buf_new_capacity() - Netty's calculateNewCapacity()
 * @min_capacity: what the write needs
 * @max_capacity: the buffer's maximum, >= @min_capacity
 *
 * Exactly 4 MiB: 4 MiB.  Below: the smallest power of two >= @min_capacity,
 * at least 64.  Above: @min_capacity rounded down to a multiple of 4 MiB,
 * plus 4 MiB (so 8 MiB gives 12 MiB).  Never above @max_capacity.  Growth
 * uses it when a write does not fit the buffer's element.  Netty throws
 * for @min_capacity > @max_capacity; this returns @max_capacity.
 *
 * Context: any.
 * Return: the new capacity.
 */
size_t bufpool_buf_new_capacity(size_t min_capacity, size_t max_capacity)
{
	size_t cap;

	if (min_capacity >= max_capacity)
		return max_capacity;
	if (min_capacity == BUF_GROW_THRESHOLD)
		return BUF_GROW_THRESHOLD;
	if (min_capacity > BUF_GROW_THRESHOLD) {
		cap = min_capacity / BUF_GROW_THRESHOLD * BUF_GROW_THRESHOLD;
		if (cap > max_capacity - BUF_GROW_THRESHOLD)
			return max_capacity;
		return cap + BUF_GROW_THRESHOLD;
	}
	cap = 64;
	while (cap < min_capacity)
		cap <<= 1;
	return min(cap, max_capacity);
}
EXPORT_SYMBOL_GPL(bufpool_buf_new_capacity);

/*
 * Netty's maxFastWritableBytes(): a root may fill its element, up to its
 * maximum; a slice or duplicate only its capacity (Netty's derived
 * buffers do not override ByteBuf's default, writableBytes()).
 */
static size_t buf_fast(const struct bufpool_buf *b)
{
	if (b->kind != BUF_ROOT)
		return buf_cap(b) - b->writer;
	return min(b->room, b->max_cap) - b->writer;
}

/*
 * Make room for @len more bytes at the writer index: Netty's
 * AbstractByteBuf.ensureWritable0() and PooledByteBuf.capacity(int).
 */
static noinline int buf_grow_slow(struct bufpool_buf *b, size_t len)
{
	struct bufpool_buf *root = b->root;
	size_t fast, cap, room;
	u8 *mem;

	if (b->kind == BUF_SLICE || len > bufpool_buf_max_capacity(b) - b->writer)
		return -ERANGE;
	fast = buf_fast(b);
	if (len <= fast)	/* a root: all of its element, at once */
		cap = b->writer + fast;
	else
		cap = bufpool_buf_new_capacity(b->writer + len, root->max_cap);
	if (cap <= root->room) {	/* in place: only the capacity changes */
		WRITE_ONCE(root->cap, cap);	/* leak reports read it */
		return 0;
	}
	room = buf_room(root->pool, cap);
	mem = buf_mem_alloc(root->pool, room, root->gfp);
	if (!mem)
		return -ENOMEM;
	/* Netty keeps the indexes: the whole old capacity moves. */
	memcpy(mem, root->mem, root->cap);
	buf_mem_free(root->pool, root->mem, root->room);
	root->mem = mem;
	WRITE_ONCE(root->cap, cap);
	root->room = room;
	return 0;
}

/* Room for @len more bytes at the writer index: usually there already is. */
static __always_inline int buf_grow(struct bufpool_buf *b, size_t len)
{
	if (likely(len <= buf_cap(b) - b->writer))
		return 0;
	return buf_grow_slow(b, len);
}

/*
 * The bodies of write and read, inline so that the typed accessors copy
 * their few bytes with a move rather than a memcpy() call.
 */
static __always_inline int buf_write(struct bufpool_buf *b, const void *src, size_t len)
{
	int ret;

	if (buf_dead(b))
		return -EINVAL;
	ret = buf_grow(b, len);
	if (ret)
		return ret;
	memcpy(buf_mem(b) + b->writer, src, len);
	b->writer += len;
	buf_touch(b);
	return 0;
}

static __always_inline int buf_read(struct bufpool_buf *b, void *dst, size_t len)
{
	if (buf_dead(b))
		return -EINVAL;
	if (len > b->writer - b->reader)
		return -ERANGE;
	memcpy(dst, buf_mem(b) + b->reader, len);
	b->reader += len;
	buf_touch(b);
	return 0;
}

/**
 * bufpool_buf_ensure_writable() - grow so that @len bytes can be written
 * @b: a buffer
 * @len: bytes
 *
 * Netty's ensureWritable(int): nothing if @len bytes fit the capacity;
 * else a root whose element holds them takes all of it in place (capacity
 * min(element, max capacity), see bufpool_buf_max_fast_writable_bytes());
 * else - and always through a duplicate - the capacity becomes
 * bufpool_buf_new_capacity(writer index + @len, max capacity), in place if
 * the element holds that, else by moving to a new allocation (the old
 * capacity is copied, indexes unchanged).
 *
 * Context: as the buffer's allocation: growth allocates with its gfp.
 * Return: 0; -ERANGE past the maximum capacity (or for a slice, which
 * cannot grow); -ENOMEM; -EINVAL if released.
 */
int bufpool_buf_ensure_writable(struct bufpool_buf *b, size_t len)
{
	if (buf_dead(b))
		return -EINVAL;
	return buf_grow(b, len);
}
EXPORT_SYMBOL_GPL(bufpool_buf_ensure_writable);

/**
 * bufpool_buf_max_fast_writable_bytes() - bytes writable without moving
 * @b: a buffer
 *
 * Netty's maxFastWritableBytes(): for a root, min(room, max capacity) -
 * writer index, where room is the usable size of its pool element (0 for
 * a buffer allocated with 0 bytes, the capacity itself for a huge one:
 * Netty's PooledByteBuf.maxLength).  A write of up to that many bytes
 * never copies: past the capacity it grows it in place to that bound.
 * For a slice or duplicate, capacity - writer index.
 *
 * Context: any.
 * Return: the bytes.
 */
size_t bufpool_buf_max_fast_writable_bytes(const struct bufpool_buf *b)
{
	return buf_fast(b);
}
EXPORT_SYMBOL_GPL(bufpool_buf_max_fast_writable_bytes);

/* --- bytes ----------------------------------------------------------------- */

static int buf_range(const struct bufpool_buf *b, size_t index, size_t len)
{
	if (buf_dead(b))
		return -EINVAL;
	return index > buf_cap(b) || len > buf_cap(b) - index ? -ERANGE : 0;
}

/**
 * bufpool_buf_write() - append @len bytes at the writer index
 * @b: a buffer
 * @src: the bytes
 * @len: how many
 *
 * Context: as the buffer's allocation (growth uses its gfp).
 * Return: 0; -ERANGE past the maximum capacity (nothing written); -ENOMEM;
 * -EINVAL if released.
 */
int bufpool_buf_write(struct bufpool_buf *b, const void *src, size_t len)
{
	return buf_write(b, src, len);
}
EXPORT_SYMBOL_GPL(bufpool_buf_write);

/**
 * bufpool_buf_read() - take @len bytes from the reader index
 * @b: a buffer
 * @dst: where to
 * @len: how many; at most readable
 *
 * Context: any.
 * Return: 0; -ERANGE if fewer are readable (nothing read); -EINVAL if
 * released.
 */
int bufpool_buf_read(struct bufpool_buf *b, void *dst, size_t len)
{
	return buf_read(b, dst, len);
}
EXPORT_SYMBOL_GPL(bufpool_buf_read);

/**
 * bufpool_buf_get() - copy bytes at an absolute index, indexes unchanged
 * @b: a buffer
 * @index: first byte, within the capacity
 * @dst: where to
 * @len: how many
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_get(const struct bufpool_buf *b, size_t index, void *dst, size_t len)
{
	int ret = buf_range(b, index, len);

	if (!ret)
		memcpy(dst, buf_mem(b) + index, len);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_get);

/**
 * bufpool_buf_set() - store bytes at an absolute index, indexes unchanged
 * @b: a buffer
 * @index: first byte, within the capacity
 * @src: the bytes
 * @len: how many
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_set(struct bufpool_buf *b, size_t index, const void *src, size_t len)
{
	int ret = buf_range(b, index, len);

	if (!ret)
		memcpy(buf_mem(b) + index, src, len);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_set);

/**
 * bufpool_buf_skip() - move the reader index forward
 * @b: a buffer
 * @len: bytes, at most readable
 *
 * Context: any.
 * Return: 0; -ERANGE; -EINVAL if released.
 */
int bufpool_buf_skip(struct bufpool_buf *b, size_t len)
{
	if (buf_dead(b))
		return -EINVAL;
	if (len > b->writer - b->reader)
		return -ERANGE;
	b->reader += len;
	return 0;
}
EXPORT_SYMBOL_GPL(bufpool_buf_skip);

/**
 * bufpool_buf_clear() - both indexes to 0 (the bytes stay)
 * @b: a buffer
 *
 * Context: any.
 * Return: 0; -EINVAL if released.
 */
int bufpool_buf_clear(struct bufpool_buf *b)
{
	if (buf_dead(b))
		return -EINVAL;
	b->reader = 0;
	b->writer = 0;
	return 0;
}
EXPORT_SYMBOL_GPL(bufpool_buf_clear);

/**
 * bufpool_buf_discard_read_bytes() - move the readable bytes to index 0
 * @b: a buffer
 *
 * Context: any.
 * Return: 0; -EINVAL if released.
 */
int bufpool_buf_discard_read_bytes(struct bufpool_buf *b)
{
	if (buf_dead(b))
		return -EINVAL;
	if (b->reader) {
		memmove(buf_mem(b), buf_mem(b) + b->reader, b->writer - b->reader);
		b->writer -= b->reader;
		b->reader = 0;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(bufpool_buf_discard_read_bytes);

/* --- typed values ---------------------------------------------------------- */

/*
 * Written out, not generated by a macro: kernel-doc -export documents each
 * exported function.  uint64_t, not u64, as in <bufpool_buf.h>: in
 * userspace u64 is unsigned long long and uint64_t may be unsigned long.
 */

/**
 * bufpool_buf_write_u8() - append an 8-bit value at the writer index
 * @b: a buffer
 * @v: the value
 *
 * Context: as the buffer's allocation (growth uses its gfp).
 * Return: 0; -ERANGE past the maximum capacity (nothing written); -ENOMEM;
 * -EINVAL if released.
 */
int bufpool_buf_write_u8(struct bufpool_buf *b, u8 v)
{
	u8 x = v;

	return buf_write(b, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_write_u8);

/**
 * bufpool_buf_read_u8() - take an 8-bit value from the reader index
 * @b: a buffer
 * @v: where to store it (unchanged on error)
 *
 * Context: any.
 * Return: 0; -ERANGE if fewer than 1 byte are readable (nothing read);
 * -EINVAL if released.
 */
int bufpool_buf_read_u8(struct bufpool_buf *b, u8 *v)
{
	u8 x;
	int ret = buf_read(b, &x, sizeof(x));

	if (!ret)
		*v = x;
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_read_u8);

/**
 * bufpool_buf_get_u8() - read an 8-bit value at an absolute index, indexes unchanged
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: where to store it (unchanged on error)
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_get_u8(const struct bufpool_buf *b, size_t index, u8 *v)
{
	u8 x;
	int ret = bufpool_buf_get(b, index, &x, sizeof(x));

	if (!ret)
		*v = x;
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_get_u8);

/**
 * bufpool_buf_set_u8() - store an 8-bit value at an absolute index, indexes unchanged
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: the value
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_set_u8(struct bufpool_buf *b, size_t index, u8 v)
{
	u8 x = v;

	return bufpool_buf_set(b, index, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_set_u8);

/**
 * bufpool_buf_write_u16() - append a big-endian 16-bit value at the writer index
 * @b: a buffer
 * @v: the value
 *
 * Context: as the buffer's allocation (growth uses its gfp).
 * Return: 0; -ERANGE past the maximum capacity (nothing written); -ENOMEM;
 * -EINVAL if released.
 */
int bufpool_buf_write_u16(struct bufpool_buf *b, u16 v)
{
	__be16 x = cpu_to_be16(v);

	return buf_write(b, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_write_u16);

/**
 * bufpool_buf_read_u16() - take a big-endian 16-bit value from the reader index
 * @b: a buffer
 * @v: where to store it (unchanged on error)
 *
 * Context: any.
 * Return: 0; -ERANGE if fewer than 2 bytes are readable (nothing read);
 * -EINVAL if released.
 */
int bufpool_buf_read_u16(struct bufpool_buf *b, u16 *v)
{
	__be16 x;
	int ret = buf_read(b, &x, sizeof(x));

	if (!ret)
		*v = be16_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_read_u16);

/**
 * bufpool_buf_get_u16() - read a big-endian 16-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: where to store it (unchanged on error)
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_get_u16(const struct bufpool_buf *b, size_t index, u16 *v)
{
	__be16 x;
	int ret = bufpool_buf_get(b, index, &x, sizeof(x));

	if (!ret)
		*v = be16_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_get_u16);

/**
 * bufpool_buf_set_u16() - store a big-endian 16-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: the value
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_set_u16(struct bufpool_buf *b, size_t index, u16 v)
{
	__be16 x = cpu_to_be16(v);

	return bufpool_buf_set(b, index, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_set_u16);

/**
 * bufpool_buf_write_u32() - append a big-endian 32-bit value at the writer index
 * @b: a buffer
 * @v: the value
 *
 * Context: as the buffer's allocation (growth uses its gfp).
 * Return: 0; -ERANGE past the maximum capacity (nothing written); -ENOMEM;
 * -EINVAL if released.
 */
int bufpool_buf_write_u32(struct bufpool_buf *b, u32 v)
{
	__be32 x = cpu_to_be32(v);

	return buf_write(b, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_write_u32);

/**
 * bufpool_buf_read_u32() - take a big-endian 32-bit value from the reader index
 * @b: a buffer
 * @v: where to store it (unchanged on error)
 *
 * Context: any.
 * Return: 0; -ERANGE if fewer than 4 bytes are readable (nothing read);
 * -EINVAL if released.
 */
int bufpool_buf_read_u32(struct bufpool_buf *b, u32 *v)
{
	__be32 x;
	int ret = buf_read(b, &x, sizeof(x));

	if (!ret)
		*v = be32_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_read_u32);

/**
 * bufpool_buf_get_u32() - read a big-endian 32-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: where to store it (unchanged on error)
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_get_u32(const struct bufpool_buf *b, size_t index, u32 *v)
{
	__be32 x;
	int ret = bufpool_buf_get(b, index, &x, sizeof(x));

	if (!ret)
		*v = be32_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_get_u32);

/**
 * bufpool_buf_set_u32() - store a big-endian 32-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: the value
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_set_u32(struct bufpool_buf *b, size_t index, u32 v)
{
	__be32 x = cpu_to_be32(v);

	return bufpool_buf_set(b, index, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_set_u32);

/**
 * bufpool_buf_write_u64() - append a big-endian 64-bit value at the writer index
 * @b: a buffer
 * @v: the value
 *
 * Context: as the buffer's allocation (growth uses its gfp).
 * Return: 0; -ERANGE past the maximum capacity (nothing written); -ENOMEM;
 * -EINVAL if released.
 */
int bufpool_buf_write_u64(struct bufpool_buf *b, uint64_t v)
{
	__be64 x = cpu_to_be64(v);

	return buf_write(b, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_write_u64);

/**
 * bufpool_buf_read_u64() - take a big-endian 64-bit value from the reader index
 * @b: a buffer
 * @v: where to store it (unchanged on error)
 *
 * Context: any.
 * Return: 0; -ERANGE if fewer than 8 bytes are readable (nothing read);
 * -EINVAL if released.
 */
int bufpool_buf_read_u64(struct bufpool_buf *b, uint64_t *v)
{
	__be64 x;
	int ret = buf_read(b, &x, sizeof(x));

	if (!ret)
		*v = be64_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_read_u64);

/**
 * bufpool_buf_get_u64() - read a big-endian 64-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: where to store it (unchanged on error)
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_get_u64(const struct bufpool_buf *b, size_t index, uint64_t *v)
{
	__be64 x;
	int ret = bufpool_buf_get(b, index, &x, sizeof(x));

	if (!ret)
		*v = be64_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_get_u64);

/**
 * bufpool_buf_set_u64() - store a big-endian 64-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: the value
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_set_u64(struct bufpool_buf *b, size_t index, uint64_t v)
{
	__be64 x = cpu_to_be64(v);

	return bufpool_buf_set(b, index, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_set_u64);

/**
 * bufpool_buf_write_u16_le() - append a little-endian 16-bit value at the writer index
 * @b: a buffer
 * @v: the value
 *
 * Context: as the buffer's allocation (growth uses its gfp).
 * Return: 0; -ERANGE past the maximum capacity (nothing written); -ENOMEM;
 * -EINVAL if released.
 */
int bufpool_buf_write_u16_le(struct bufpool_buf *b, u16 v)
{
	__le16 x = cpu_to_le16(v);

	return buf_write(b, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_write_u16_le);

/**
 * bufpool_buf_read_u16_le() - take a little-endian 16-bit value from the reader index
 * @b: a buffer
 * @v: where to store it (unchanged on error)
 *
 * Context: any.
 * Return: 0; -ERANGE if fewer than 2 bytes are readable (nothing read);
 * -EINVAL if released.
 */
int bufpool_buf_read_u16_le(struct bufpool_buf *b, u16 *v)
{
	__le16 x;
	int ret = buf_read(b, &x, sizeof(x));

	if (!ret)
		*v = le16_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_read_u16_le);

/**
 * bufpool_buf_get_u16_le() - read a little-endian 16-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: where to store it (unchanged on error)
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_get_u16_le(const struct bufpool_buf *b, size_t index, u16 *v)
{
	__le16 x;
	int ret = bufpool_buf_get(b, index, &x, sizeof(x));

	if (!ret)
		*v = le16_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_get_u16_le);

/**
 * bufpool_buf_set_u16_le() - store a little-endian 16-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: the value
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_set_u16_le(struct bufpool_buf *b, size_t index, u16 v)
{
	__le16 x = cpu_to_le16(v);

	return bufpool_buf_set(b, index, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_set_u16_le);

/**
 * bufpool_buf_write_u32_le() - append a little-endian 32-bit value at the writer index
 * @b: a buffer
 * @v: the value
 *
 * Context: as the buffer's allocation (growth uses its gfp).
 * Return: 0; -ERANGE past the maximum capacity (nothing written); -ENOMEM;
 * -EINVAL if released.
 */
int bufpool_buf_write_u32_le(struct bufpool_buf *b, u32 v)
{
	__le32 x = cpu_to_le32(v);

	return buf_write(b, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_write_u32_le);

/**
 * bufpool_buf_read_u32_le() - take a little-endian 32-bit value from the reader index
 * @b: a buffer
 * @v: where to store it (unchanged on error)
 *
 * Context: any.
 * Return: 0; -ERANGE if fewer than 4 bytes are readable (nothing read);
 * -EINVAL if released.
 */
int bufpool_buf_read_u32_le(struct bufpool_buf *b, u32 *v)
{
	__le32 x;
	int ret = buf_read(b, &x, sizeof(x));

	if (!ret)
		*v = le32_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_read_u32_le);

/**
 * bufpool_buf_get_u32_le() - read a little-endian 32-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: where to store it (unchanged on error)
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_get_u32_le(const struct bufpool_buf *b, size_t index, u32 *v)
{
	__le32 x;
	int ret = bufpool_buf_get(b, index, &x, sizeof(x));

	if (!ret)
		*v = le32_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_get_u32_le);

/**
 * bufpool_buf_set_u32_le() - store a little-endian 32-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: the value
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_set_u32_le(struct bufpool_buf *b, size_t index, u32 v)
{
	__le32 x = cpu_to_le32(v);

	return bufpool_buf_set(b, index, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_set_u32_le);

/**
 * bufpool_buf_write_u64_le() - append a little-endian 64-bit value at the writer index
 * @b: a buffer
 * @v: the value
 *
 * Context: as the buffer's allocation (growth uses its gfp).
 * Return: 0; -ERANGE past the maximum capacity (nothing written); -ENOMEM;
 * -EINVAL if released.
 */
int bufpool_buf_write_u64_le(struct bufpool_buf *b, uint64_t v)
{
	__le64 x = cpu_to_le64(v);

	return buf_write(b, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_write_u64_le);

/**
 * bufpool_buf_read_u64_le() - take a little-endian 64-bit value from the reader index
 * @b: a buffer
 * @v: where to store it (unchanged on error)
 *
 * Context: any.
 * Return: 0; -ERANGE if fewer than 8 bytes are readable (nothing read);
 * -EINVAL if released.
 */
int bufpool_buf_read_u64_le(struct bufpool_buf *b, uint64_t *v)
{
	__le64 x;
	int ret = buf_read(b, &x, sizeof(x));

	if (!ret)
		*v = le64_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_read_u64_le);

/**
 * bufpool_buf_get_u64_le() - read a little-endian 64-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: where to store it (unchanged on error)
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_get_u64_le(const struct bufpool_buf *b, size_t index, uint64_t *v)
{
	__le64 x;
	int ret = bufpool_buf_get(b, index, &x, sizeof(x));

	if (!ret)
		*v = le64_to_cpu(x);
	return ret;
}
EXPORT_SYMBOL_GPL(bufpool_buf_get_u64_le);

/**
 * bufpool_buf_set_u64_le() - store a little-endian 64-bit value at @index
 * @b: a buffer
 * @index: its first byte, within the capacity
 * @v: the value
 *
 * The indexes do not move.
 *
 * Context: any.
 * Return: 0; -ERANGE past the capacity; -EINVAL if released.
 */
int bufpool_buf_set_u64_le(struct bufpool_buf *b, size_t index, uint64_t v)
{
	__le64 x = cpu_to_le64(v);

	return bufpool_buf_set(b, index, &x, sizeof(x));
}
EXPORT_SYMBOL_GPL(bufpool_buf_set_u64_le);

/* --- derived buffers ------------------------------------------------------- */

static struct bufpool_buf *buf_derive(struct bufpool_buf *b, int kind, size_t index, size_t len)
{
	unsigned long irqflags;
	struct bufpool_buf *root = b->root, *d;

	if (buf_range(b, index, len))
		return NULL;
	/*
	 * Not the root's gfp: a slice may be taken in softirq of a buffer
	 * allocated with GFP_KERNEL.  A descriptor never needs to sleep for.
	 */
	d = desc_get(root->pool, GFP_NOWAIT | __GFP_NOWARN, false);
	if (!d)
		return NULL;
	d->root = root;
	d->pool = root->pool;
	d->kind = kind;
	d->offset = b->offset + index;
	if (kind == BUF_SLICE) {
		d->cap = len;
		d->max_cap = len;
		d->writer = len;
	} else {
		d->reader = b->reader;
		d->writer = b->writer;
	}
	spin_lock_irqsave(&root->derived_lock, irqflags);
	d->next = root->derived;
	root->derived = d;
	spin_unlock_irqrestore(&root->derived_lock, irqflags);
	return d;
}

/**
 * bufpool_buf_slice() - a view of [@index, @index + @len) of @b
 * @b: a buffer
 * @index: start, within @b's capacity
 * @len: length; the slice's capacity, fixed
 *
 * The slice shares @b's memory and reference count (no reference is
 * added); its reader index is 0 and its writer index @len.
 *
 * Context: any the pool may be used in.
 * Return: the slice; NULL if out of range, released, or out of memory.
 */
struct bufpool_buf *bufpool_buf_slice(struct bufpool_buf *b, size_t index, size_t len)
{
	return buf_derive(b, BUF_SLICE, index, len);
}
EXPORT_SYMBOL_GPL(bufpool_buf_slice);

/**
 * bufpool_buf_retained_slice() - bufpool_buf_slice() plus a reference
 * @b: a buffer
 * @index: start
 * @len: length
 *
 * Context: any the pool may be used in.
 * Return: the slice; NULL as bufpool_buf_slice() (no reference taken).
 */
struct bufpool_buf *bufpool_buf_retained_slice(struct bufpool_buf *b, size_t index, size_t len)
{
	struct bufpool_buf *s = bufpool_buf_slice(b, index, len);

	if (!s)
		return NULL;
	if (bufpool_buf_retain(s))
		return NULL;	/* freed with its root */
	s->retained = true;
	return s;
}
EXPORT_SYMBOL_GPL(bufpool_buf_retained_slice);

/**
 * bufpool_buf_duplicate() - all of @b, with its own copy of the indexes
 * @b: a buffer
 *
 * Shares memory, capacity and reference count with @b's root.
 *
 * Context: any the pool may be used in.
 * Return: the duplicate; NULL if released or out of memory.
 */
struct bufpool_buf *bufpool_buf_duplicate(struct bufpool_buf *b)
{
	struct bufpool_buf *d;

	if (b->kind == BUF_SLICE)	/* a slice's duplicate is a slice */
		d = buf_derive(b, BUF_SLICE, 0, b->cap);
	else
		d = buf_derive(b, BUF_DUP, 0, 0);
	if (d) {
		d->reader = b->reader;
		d->writer = b->writer;
	}
	return d;
}
EXPORT_SYMBOL_GPL(bufpool_buf_duplicate);
