// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * uring.c - pooled buffers as an io_uring provided-buffer ring
 * (<bufpool_uring.h>, libbufpool_uring).  Only the public API of
 * libbufpool is used: this file is an application of the pool, kept out of
 * libbufpool so that the library does not depend on liburing.
 *
 * The ring (struct io_uring_buf_ring, 16 bytes a slot, page-aligned as the
 * kernel wants it) is a queue the kernel consumes at its head and we fill
 * at its tail; a buffer id (bid) names the slot's buffer in @slot[].  A
 * completion consumes one entry; bufpool_uring_bufs_take() adds one back
 * (a new buffer under the same bid), so the queue never holds more than
 * @entries and never overflows.  A refill that finds the pool out of
 * memory leaves its bid on @empty[] for bufpool_uring_bufs_refill().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bufpool_uring.h>

#define URING_MAX_ENTRIES	32768u	/* the kernel's limit for a buffer ring */

/**
 * struct bufpool_uring_bufs - a pool-backed provided-buffer ring
 * @ring: the io_uring it is registered with
 * @pool: where the buffers come from
 * @br: the shared ring (mmap'd, page-aligned)
 * @br_bytes: its size
 * @slot: per bid, the buffer the kernel may fill; NULL while empty
 * @empty: bids whose refill failed, @nr_empty of them
 * @entries: slots, a power of two
 * @buf_size: bytes per buffer
 * @bgid: the buffer group id receives name
 * @st: counters
 */
struct bufpool_uring_bufs {
	struct io_uring *ring;
	struct bufpool *pool;
	struct io_uring_buf_ring *br;
	size_t br_bytes;
	struct bufpool_buf **slot;
	unsigned short *empty;
	unsigned int nr_empty;
	unsigned int entries;
	size_t buf_size;
	unsigned short bgid;
	struct bufpool_uring_stats st;
};

/**
 * bufpool_uring_supported() - can this process use buffer rings?
 * @why: where to say what is missing (may be NULL)
 * @len: its size
 *
 * Sets up a two-entry io_uring and registers a one-slot buffer ring, the
 * two things a bufpool_uring_bufs needs.
 *
 * Context: any thread; makes and closes an io_uring.
 * Return: 0; -ENOSYS (io_uring compiled out), -EPERM (disabled by the
 * kernel.io_uring_disabled sysctl or refused by a seccomp filter), -EINVAL
 * (no buffer rings: Linux older than 5.19), or another setup error.
 */
int bufpool_uring_supported(char *why, size_t len)
{
	struct io_uring_buf_reg reg = { .ring_entries = 1, .bgid = 0 };
	struct io_uring ring;
	long page = sysconf(_SC_PAGESIZE);
	void *mem;
	int err;

	err = io_uring_queue_init(2, &ring, 0);
	if (err) {
		if (why)
			snprintf(why, len, "io_uring_setup: %s (%s)", strerror(-err),
				 err == -ENOSYS ? "kernel built without io_uring" :
				 err == -EPERM ? "disabled by sysctl kernel.io_uring_disabled or a seccomp filter" :
				 "cannot set up a ring");
		return err;
	}
	mem = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		io_uring_queue_exit(&ring);
		if (why)
			snprintf(why, len, "mmap: %s", strerror(errno));
		return -ENOMEM;
	}
	reg.ring_addr = (unsigned long)mem;
	err = io_uring_register_buf_ring(&ring, &reg, 0);
	if (!err)
		io_uring_unregister_buf_ring(&ring, 0);
	else if (why)
		snprintf(why, len, "io_uring_register_buf_ring: %s (%s)", strerror(-err),
			 err == -EINVAL ? "provided-buffer rings need Linux 5.19" :
			 "refused by the kernel");
	munmap(mem, page);
	io_uring_queue_exit(&ring);
	if (!err && why && len)
		why[0] = '\0';
	return err;
}

/* Put @b in the ring under @bid; the kernel sees it at the next advance. */
static void ring_add(struct bufpool_uring_bufs *bufs, struct bufpool_buf *b, unsigned short bid)
{
	bufs->slot[bid] = b;
	io_uring_buf_ring_add(bufs->br, bufpool_buf_data(b), bufs->buf_size, bid,
			      io_uring_buf_ring_mask(bufs->entries), 0);
	io_uring_buf_ring_advance(bufs->br, 1);
	bufs->st.in_ring++;
}

/* A new buffer from the pool under @bid, or @bid on the empty list. */
static bool ring_fill(struct bufpool_uring_bufs *bufs, unsigned short bid)
{
	struct bufpool_buf *b = bufpool_buf_alloc(bufs->pool, bufs->buf_size, bufs->buf_size);

	if (!b) {
		bufs->slot[bid] = NULL;
		bufs->empty[bufs->nr_empty++] = bid;
		bufs->st.refill_failures++;
		return false;
	}
	ring_add(bufs, b, bid);
	return true;
}

/**
 * bufpool_uring_bufs_create() - a provided-buffer ring of pooled buffers
 * @ring: the io_uring to register it with
 * @pool: where the buffers come from
 * @entries: slots, a power of two, 1..32768
 * @buf_size: bytes per buffer, 1..UINT_MAX
 * @bgid: the buffer group id receives will name
 * @err: where to put the negative errno on failure (may be NULL)
 *
 * Context: the thread that submits to @ring; allocates @entries buffers.
 * Return: the ring, every slot filled; NULL on failure (see the header).
 */
struct bufpool_uring_bufs *bufpool_uring_bufs_create(struct io_uring *ring, struct bufpool *pool,
						     unsigned int entries, size_t buf_size,
						     unsigned short bgid, int *err)
{
	struct io_uring_buf_reg reg = { .ring_entries = entries, .bgid = bgid };
	long page = sysconf(_SC_PAGESIZE);
	struct bufpool_uring_bufs *bufs;
	unsigned int i;
	int ret = -ENOMEM;

	if (!ring || !pool || !entries || entries > URING_MAX_ENTRIES ||
	    (entries & (entries - 1)) || !buf_size || buf_size > 0xffffffffu) {
		ret = -EINVAL;
		goto fail;
	}
	bufs = calloc(1, sizeof(*bufs));
	if (!bufs)
		goto fail;
	bufs->ring = ring;
	bufs->pool = pool;
	bufs->entries = entries;
	bufs->buf_size = buf_size;
	bufs->bgid = bgid;
	bufs->br_bytes = (entries * sizeof(struct io_uring_buf) + page - 1) & ~(size_t)(page - 1);
	bufs->slot = calloc(entries, sizeof(*bufs->slot));
	bufs->empty = calloc(entries, sizeof(*bufs->empty));
	bufs->br = mmap(NULL, bufs->br_bytes, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bufs->br == MAP_FAILED)
		bufs->br = NULL;
	if (!bufs->slot || !bufs->empty || !bufs->br)
		goto free;
	io_uring_buf_ring_init(bufs->br);
	reg.ring_addr = (unsigned long)bufs->br;
	ret = io_uring_register_buf_ring(ring, &reg, 0);
	if (ret)
		goto free;
	for (i = 0; i < entries; i++)
		ring_fill(bufs, i);
	if (bufs->nr_empty) {	/* refuse a ring that starts short */
		ret = -ENOMEM;
		bufpool_uring_bufs_destroy(bufs);
		goto fail;
	}
	return bufs;
free:
	if (bufs->br)
		munmap(bufs->br, bufs->br_bytes);
	free(bufs->empty);
	free(bufs->slot);
	free(bufs);
fail:
	if (err)
		*err = ret;
	return NULL;
}

/**
 * bufpool_uring_bufs_destroy() - unregister the ring, release its buffers
 * @bufs: the ring (NULL: nothing)
 *
 * Context: the ring's thread, with no receive on the group in flight.
 */
void bufpool_uring_bufs_destroy(struct bufpool_uring_bufs *bufs)
{
	unsigned int i;

	if (!bufs)
		return;
	io_uring_unregister_buf_ring(bufs->ring, bufs->bgid);
	for (i = 0; i < bufs->entries; i++)
		if (bufs->slot[i])
			bufpool_buf_release(bufs->slot[i]);
	munmap(bufs->br, bufs->br_bytes);
	free(bufs->empty);
	free(bufs->slot);
	free(bufs);
}

/**
 * bufpool_uring_bufs_bgid() - the buffer group id
 * @bufs: the ring
 *
 * Context: any.
 * Return: the id given to bufpool_uring_bufs_create().
 */
unsigned short bufpool_uring_bufs_bgid(const struct bufpool_uring_bufs *bufs)
{
	return bufs->bgid;
}

/**
 * bufpool_uring_bufs_buf_size() - bytes per buffer
 * @bufs: the ring
 *
 * Context: any.
 * Return: the size given to bufpool_uring_bufs_create().
 */
size_t bufpool_uring_bufs_buf_size(const struct bufpool_uring_bufs *bufs)
{
	return bufs->buf_size;
}

/**
 * bufpool_uring_bufs_take() - the buffer a receive completion filled
 * @bufs: the ring
 * @cqe: a completion of a receive on @bufs's group
 *
 * Context: the ring's thread.
 * Return: the buffer, reader index 0 and writer index cqe->res, with one
 * reference the caller owns; NULL if @cqe has no buffer or res <= 0.
 */
struct bufpool_buf *bufpool_uring_bufs_take(struct bufpool_uring_bufs *bufs,
					    const struct io_uring_cqe *cqe)
{
	unsigned int bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	struct bufpool_buf *b;

	if (!(cqe->flags & IORING_CQE_F_BUFFER))
		return NULL;
	if (bid >= bufs->entries || !bufs->slot[bid])
		return NULL;	/* not ours: another group's completion */
	b = bufs->slot[bid];
	bufs->st.in_ring--;
	if (cqe->res <= 0) {
		bufs->st.returned++;
		bufpool_buf_set_index(b, 0, 0);
		ring_add(bufs, b, bid);
		return NULL;
	}
	bufpool_buf_set_index(b, 0, (size_t)cqe->res);
	bufs->st.taken++;
	if (ring_fill(bufs, bid) && bufs->nr_empty)
		bufpool_uring_bufs_refill(bufs);	/* memory is back: older gaps too */
	return b;
}

/**
 * bufpool_uring_bufs_refill() - retry the slots a failed refill left empty
 * @bufs: the ring
 *
 * Context: the ring's thread.
 * Return: the number of slots still empty.
 */
unsigned int bufpool_uring_bufs_refill(struct bufpool_uring_bufs *bufs)
{
	struct bufpool_buf *b;

	while (bufs->nr_empty) {
		b = bufpool_buf_alloc(bufs->pool, bufs->buf_size, bufs->buf_size);
		if (!b)
			break;
		ring_add(bufs, b, bufs->empty[--bufs->nr_empty]);
	}
	return bufs->nr_empty;
}

/**
 * bufpool_uring_bufs_stats() - the ring's counters
 * @bufs: the ring
 * @st: filled with them
 *
 * Context: the ring's thread.
 */
void bufpool_uring_bufs_stats(const struct bufpool_uring_bufs *bufs,
			      struct bufpool_uring_stats *st)
{
	*st = bufs->st;
}
