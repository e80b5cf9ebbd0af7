/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_io.h - file descriptor I/O on pooled buffers (userspace only):
 * read or recv into a buffer's writable bytes, write or send its readable
 * bytes, the regions as struct iovec arrays, and several buffers read or
 * written with one readv/writev (Netty's ByteBuf.writeBytes(channel, n),
 * readBytes(channel, n) and CompositeByteBuf.nioBuffers()).
 *
 * Return values, all the same way:
 *   > 0   bytes transferred; the writer index (reads) or the reader index
 *         (writes) moved by as much - possibly fewer bytes than asked (a
 *         short read or write, not an error: call again)
 *   0     end of file on a read: the peer closed (the buffer is unchanged);
 *         on a write, only when there was nothing to write (no system call)
 *   < 0   a negative errno, the buffer unchanged: -EAGAIN (non-blocking fd,
 *         nothing to read or no room to write), -EINTR (a signal arrived
 *         before anything was transferred: call again), -ECONNRESET,
 *         -EPIPE (write to a closed peer; use bufpool_buf_send() with
 *         MSG_NOSIGNAL or ignore SIGPIPE, else the signal kills first),
 *         any other errno of the system call; or the buffer's own errors:
 *         -ERANGE (the read would go past the buffer's max capacity, or
 *         a slice's capacity: nothing is read), -ENOMEM (growth failed),
 *         -EINVAL (a released buffer, or a read of 0 bytes, which could not
 *         be told from end of file).  errno is left as the call set it.
 *
 * A read of @len bytes first makes room as a write of @len bytes would
 * (bufpool_buf_ensure_writable(): it may grow the buffer up to its max
 * capacity), then makes one system call of @len bytes.  A write makes one
 * system call of all the readable bytes.  Nothing here retries on EINTR or
 * EAGAIN: the caller's event loop decides.
 *
 * The functions taking an array of buffers treat it as one sequence of
 * bytes (Netty's CompositeByteBuf): buffers in order, each one's readable
 * (or writable) region one iovec, empty regions skipped; at most
 * BUFPOOL_IOV_MAX iovecs per call (the rest waits for the next call).  A
 * short transfer moves the indexes of the first buffers only, in order.
 */
#ifndef _BUFPOOL_IO_H
#define _BUFPOOL_IO_H

#include <sys/types.h>
#include <sys/uio.h>
#include <bufpool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Iovecs per readv/writev call (Linux's UIO_MAXIOV is 1024). */
#define BUFPOOL_IOV_MAX	64

ssize_t bufpool_buf_read_fd(struct bufpool_buf *b, int fd, size_t len);
ssize_t bufpool_buf_recv(struct bufpool_buf *b, int fd, size_t len, int flags);
ssize_t bufpool_buf_write_fd(struct bufpool_buf *b, int fd);
ssize_t bufpool_buf_send(struct bufpool_buf *b, int fd, int flags);

int bufpool_buf_readable_iov(struct bufpool_buf *const *bufs, unsigned int nr,
			     struct iovec *iov, unsigned int max_iov);
int bufpool_buf_writable_iov(struct bufpool_buf *const *bufs, unsigned int nr,
			     struct iovec *iov, unsigned int max_iov);
int bufpool_buf_advance_reader(struct bufpool_buf *const *bufs, unsigned int nr, size_t bytes);
int bufpool_buf_advance_writer(struct bufpool_buf *const *bufs, unsigned int nr, size_t bytes);
ssize_t bufpool_buf_writev(int fd, struct bufpool_buf *const *bufs, unsigned int nr);
ssize_t bufpool_buf_readv(int fd, struct bufpool_buf *const *bufs, unsigned int nr);

#ifdef __cplusplus
}
#endif

#endif /* _BUFPOOL_IO_H */
