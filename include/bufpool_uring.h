/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <bufpool_uring.h> - pooled buffers as an io_uring provided-buffer ring
 * (libbufpool_uring, user/uring.c; needs liburing and Linux 5.19+).
 *
 * A receive that names a buffer group (IOSQE_BUFFER_SELECT, or a multishot
 * recv) holds no memory while it waits: the kernel takes a buffer from the
 * group's ring only when data arrives, and says which in the completion
 * (IORING_CQE_F_BUFFER, the buffer id above IORING_CQE_BUFFER_SHIFT).  So
 * an idle connection costs no buffer, whatever the number of connections.
 *
 * Here every slot of the ring is a struct bufpool_buf of @buf_size bytes
 * from the pool.  bufpool_uring_bufs_take() turns a completion into that
 * buffer, writer index at the bytes received, and hands it over: the
 * application owns its one reference, keeps it as long as it likes and
 * releases it with bufpool_buf_release() like any other.  The slot is
 * filled again at once from the pool, so the ring never waits for the
 * application; a buffer the application releases goes back to the pool's
 * per-thread cache, which the next refill takes it from - the same memory
 * cycles between the ring and the application through the cache, and the
 * ring holds at most @entries buffers whatever the application holds.
 *
 * One ring, one thread: the ring and the buffers' pool cache are the
 * caller's thread's (liburing's rings are not thread-safe either).
 * Errors are negative errnos.
 */
#ifndef _BUFPOOL_URING_H
#define _BUFPOOL_URING_H

#include <stddef.h>
#include <stdint.h>
#include <liburing.h>
#include <bufpool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bufpool_uring_bufs;

/**
 * struct bufpool_uring_stats - what a buffer ring did
 * @in_ring: slots holding a buffer the kernel may pick now
 * @taken: buffers handed to the application by completions
 * @returned: buffers a completion gave back unused (a zero-byte or failed
 *            receive that still consumed one), put back in the ring
 * @refill_failures: slots left empty because the pool had no memory (the
 *                   next bufpool_uring_bufs_refill() or take retries them)
 */
struct bufpool_uring_stats {
	unsigned int in_ring;
	uint64_t taken;
	uint64_t returned;
	uint64_t refill_failures;
};

/* 0 if this kernel lets this process use io_uring with provided-buffer
 * rings; else a negative errno and, in @why, what is missing (io_uring
 * compiled out, disabled by sysctl kernel.io_uring_disabled or a seccomp
 * filter, or a kernel older than 5.19). */
int bufpool_uring_supported(char *why, size_t len);

/* A ring of @entries (a power of two, 1..32768) buffers of @buf_size bytes
 * from @pool, registered with @ring as buffer group @bgid.  NULL with the
 * negative errno in *@err (may be NULL): -EINVAL for bad arguments, -ENOMEM,
 * or what io_uring_register_buf_ring() returned (-EINVAL before 5.19,
 * -EEXIST if @bgid is taken). */
struct bufpool_uring_bufs *bufpool_uring_bufs_create(struct io_uring *ring, struct bufpool *pool,
						     unsigned int entries, size_t buf_size,
						     unsigned short bgid, int *err);
/* Unregister the group and release the buffers still in the ring; those
 * the application took stay valid.  Call it after the last receive that
 * may select from the group has completed. */
void bufpool_uring_bufs_destroy(struct bufpool_uring_bufs *bufs);
unsigned short bufpool_uring_bufs_bgid(const struct bufpool_uring_bufs *bufs);
size_t bufpool_uring_bufs_buf_size(const struct bufpool_uring_bufs *bufs);

/* The buffer @cqe's receive filled, readable bytes [0, cqe->res), now the
 * caller's (one reference); its slot is refilled from the pool.  NULL if
 * @cqe carries no buffer of this ring, or res <= 0 (a buffer it carries
 * anyway goes back to the ring). */
struct bufpool_buf *bufpool_uring_bufs_take(struct bufpool_uring_bufs *bufs,
					    const struct io_uring_cqe *cqe);
/* Retry the slots a failed refill left empty.  Returns the slots still
 * empty (0: the ring is full). */
unsigned int bufpool_uring_bufs_refill(struct bufpool_uring_bufs *bufs);
void bufpool_uring_bufs_stats(const struct bufpool_uring_bufs *bufs,
			      struct bufpool_uring_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* _BUFPOOL_URING_H */
