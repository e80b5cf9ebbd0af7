// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * io.c - file descriptor I/O on pooled buffers, userspace only: the system
 * calls on a buffer's readable and writable regions, through the public
 * buffer API (bufpool_buf_data() and the indexes).  Return conventions:
 * include/bufpool_io.h.
 *
 * A buffer's bytes are contiguous (one pool element), so a buffer is one
 * iovec; arrays of buffers are the composite case.  Indexes move only by
 * what the kernel reported transferred, so an error leaves every buffer as
 * it was.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bufpool_io.h>

/* Room for @len more bytes at the writer index; 0 or a negative errno. */
static int io_make_room(struct bufpool_buf *b, size_t len)
{
	if (!bufpool_buf_data(b) || !len)
		return -EINVAL;
	if (len > SSIZE_MAX)
		return -ERANGE;
	return bufpool_buf_ensure_writable(b, len);
}

/* Account for @n bytes the kernel wrote after the writer index. */
static ssize_t io_read_done(struct bufpool_buf *b, ssize_t n)
{
	if (n < 0)
		return -errno;
	if (n > 0)
		bufpool_buf_set_index(b, bufpool_buf_reader_index(b),
				      bufpool_buf_writer_index(b) + n);
	return n;
}

static ssize_t io_write_done(struct bufpool_buf *b, ssize_t n)
{
	if (n < 0)
		return -errno;
	if (n > 0)
		bufpool_buf_skip(b, n);
	return n;
}

/**
 * bufpool_buf_read_fd() - read(2) into a buffer's writable bytes
 * @b: the buffer
 * @fd: the file descriptor
 * @len: bytes to read at most (> 0); the buffer grows to hold them if need be
 *
 * Context: thread; may block if @fd does.  The caller owns @b's indexes.
 * Return: bytes read (writer index moved), 0 at end of file, or a negative
 * errno (include/bufpool_io.h); on error @b is unchanged (it may have grown).
 */
ssize_t bufpool_buf_read_fd(struct bufpool_buf *b, int fd, size_t len)
{
	int ret = io_make_room(b, len);

	if (ret)
		return ret;
	return io_read_done(b, read(fd, (char *)bufpool_buf_data(b) +
				    bufpool_buf_writer_index(b), len));
}

/**
 * bufpool_buf_recv() - recv(2) into a buffer's writable bytes
 * @b: the buffer
 * @fd: a socket
 * @len: bytes to read at most (> 0); the buffer grows to hold them if need be
 * @flags: recv(2) flags (MSG_DONTWAIT, ...)
 *
 * Context: thread; may block unless the socket or @flags say not to.
 * Return: as bufpool_buf_read_fd().
 */
ssize_t bufpool_buf_recv(struct bufpool_buf *b, int fd, size_t len, int flags)
{
	int ret = io_make_room(b, len);

	if (ret)
		return ret;
	return io_read_done(b, recv(fd, (char *)bufpool_buf_data(b) +
				    bufpool_buf_writer_index(b), len, flags));
}

/**
 * bufpool_buf_write_fd() - write(2) a buffer's readable bytes
 * @b: the buffer
 * @fd: the file descriptor
 *
 * One write(2) of every readable byte; the reader index moves by what was
 * written (all of it, or a short count).
 *
 * Context: thread; may block if @fd does.
 * Return: bytes written; 0 if nothing was readable (no system call); a
 * negative errno (-EINVAL for a released buffer).
 */
ssize_t bufpool_buf_write_fd(struct bufpool_buf *b, int fd)
{
	const char *p = bufpool_buf_data(b);

	if (!p)
		return -EINVAL;
	if (!bufpool_buf_readable(b))
		return 0;
	return io_write_done(b, write(fd, p + bufpool_buf_reader_index(b),
				      bufpool_buf_readable(b)));
}

/**
 * bufpool_buf_send() - send(2) a buffer's readable bytes
 * @b: the buffer
 * @fd: a socket
 * @flags: send(2) flags (MSG_NOSIGNAL to get -EPIPE instead of SIGPIPE, ...)
 *
 * Context: thread; may block unless the socket or @flags say not to.
 * Return: as bufpool_buf_write_fd().
 */
ssize_t bufpool_buf_send(struct bufpool_buf *b, int fd, int flags)
{
	const char *p = bufpool_buf_data(b);

	if (!p)
		return -EINVAL;
	if (!bufpool_buf_readable(b))
		return 0;
	return io_write_done(b, send(fd, p + bufpool_buf_reader_index(b),
				     bufpool_buf_readable(b), flags));
}

/* One iovec per non-empty region, in order; @writable picks the region. */
static int io_fill_iov(struct bufpool_buf *const *bufs, unsigned int nr,
		       struct iovec *iov, unsigned int max_iov, bool writable)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr && n < max_iov; i++) {
		char *p = bufpool_buf_data(bufs[i]);
		size_t at, len;

		if (!p)
			return -EINVAL;
		at = writable ? bufpool_buf_writer_index(bufs[i]) : bufpool_buf_reader_index(bufs[i]);
		len = writable ? bufpool_buf_writable(bufs[i]) : bufpool_buf_readable(bufs[i]);
		if (!len)
			continue;
		iov[n].iov_base = p + at;
		iov[n].iov_len = len;
		n++;
	}
	return n;
}

/**
 * bufpool_buf_readable_iov() - buffers' readable bytes as iovecs
 * @bufs: buffers, in order
 * @nr: how many
 * @iov: filled with one iovec per buffer with readable bytes
 * @max_iov: room in @iov; later buffers are left out
 *
 * The iovecs are valid until a buffer grows or is released.
 *
 * Context: any.
 * Return: iovecs filled; -EINVAL if a buffer is released.
 */
int bufpool_buf_readable_iov(struct bufpool_buf *const *bufs, unsigned int nr,
			     struct iovec *iov, unsigned int max_iov)
{
	return io_fill_iov(bufs, nr, iov, max_iov, false);
}

/**
 * bufpool_buf_writable_iov() - buffers' writable bytes as iovecs
 * @bufs: buffers, in order
 * @nr: how many
 * @iov: filled with one iovec per buffer with writable bytes (up to its
 *       capacity: no growth)
 * @max_iov: room in @iov; later buffers are left out
 *
 * Context: any.
 * Return: iovecs filled; -EINVAL if a buffer is released.
 */
int bufpool_buf_writable_iov(struct bufpool_buf *const *bufs, unsigned int nr,
			     struct iovec *iov, unsigned int max_iov)
{
	return io_fill_iov(bufs, nr, iov, max_iov, true);
}

/* Move reader (or writer) indexes over @bytes, buffer after buffer. */
static int io_advance(struct bufpool_buf *const *bufs, unsigned int nr, size_t bytes,
		      bool writer)
{
	unsigned int i;
	size_t total = 0;

	for (i = 0; i < nr; i++) {	/* check first: all or nothing */
		if (!bufpool_buf_data(bufs[i]))
			return -EINVAL;
		total += writer ? bufpool_buf_writable(bufs[i]) : bufpool_buf_readable(bufs[i]);
	}
	if (bytes > total)
		return -ERANGE;
	for (i = 0; i < nr && bytes; i++) {
		size_t len = writer ? bufpool_buf_writable(bufs[i]) : bufpool_buf_readable(bufs[i]);

		if (len > bytes)
			len = bytes;
		if (writer)
			bufpool_buf_set_index(bufs[i], bufpool_buf_reader_index(bufs[i]),
					      bufpool_buf_writer_index(bufs[i]) + len);
		else
			bufpool_buf_skip(bufs[i], len);
		bytes -= len;
	}
	return 0;
}

/**
 * bufpool_buf_advance_reader() - consume bytes a writev() took
 * @bufs: buffers, in order, as given to bufpool_buf_readable_iov()
 * @nr: how many
 * @bytes: bytes written
 *
 * Context: any; the caller owns the buffers' indexes.
 * Return: 0; -ERANGE if the buffers hold fewer readable bytes, -EINVAL if
 * one is released (nothing moves then).
 */
int bufpool_buf_advance_reader(struct bufpool_buf *const *bufs, unsigned int nr, size_t bytes)
{
	return io_advance(bufs, nr, bytes, false);
}

/**
 * bufpool_buf_advance_writer() - account bytes a readv() stored
 * @bufs: buffers, in order, as given to bufpool_buf_writable_iov()
 * @nr: how many
 * @bytes: bytes read
 *
 * Context: any; the caller owns the buffers' indexes.
 * Return: 0; -ERANGE if the buffers have fewer writable bytes, -EINVAL if
 * one is released (nothing moves then).
 */
int bufpool_buf_advance_writer(struct bufpool_buf *const *bufs, unsigned int nr, size_t bytes)
{
	return io_advance(bufs, nr, bytes, true);
}

/**
 * bufpool_buf_writev() - write several buffers' readable bytes with one writev(2)
 * @fd: the file descriptor
 * @bufs: buffers, in order (a composite)
 * @nr: how many
 *
 * The first BUFPOOL_IOV_MAX non-empty buffers go in one call; reader
 * indexes move by what was written, first buffer first.
 *
 * Context: thread; may block if @fd does.
 * Return: bytes written; 0 if nothing was readable (no system call); a
 * negative errno (-EINVAL if a buffer is released).
 */
ssize_t bufpool_buf_writev(int fd, struct bufpool_buf *const *bufs, unsigned int nr)
{
	struct iovec iov[BUFPOOL_IOV_MAX];
	int n = bufpool_buf_readable_iov(bufs, nr, iov, BUFPOOL_IOV_MAX);
	ssize_t done;

	if (n <= 0)
		return n;
	done = writev(fd, iov, n);
	if (done < 0)
		return -errno;
	bufpool_buf_advance_reader(bufs, nr, done);
	return done;
}

/**
 * bufpool_buf_readv() - read into several buffers' writable bytes with one readv(2)
 * @fd: the file descriptor
 * @bufs: buffers, in order; none grows
 * @nr: how many
 *
 * Context: thread; may block if @fd does.
 * Return: bytes read (writer indexes moved, first buffer first); 0 at end of
 * file; a negative errno: -ERANGE if no buffer has writable bytes, -EINVAL
 * if one is released.
 */
ssize_t bufpool_buf_readv(int fd, struct bufpool_buf *const *bufs, unsigned int nr)
{
	struct iovec iov[BUFPOOL_IOV_MAX];
	int n = bufpool_buf_writable_iov(bufs, nr, iov, BUFPOOL_IOV_MAX);
	ssize_t done;

	if (n < 0)
		return n;
	if (!n)
		return -ERANGE;
	done = readv(fd, iov, n);
	if (done < 0)
		return -errno;
	bufpool_buf_advance_writer(bufs, nr, done);
	return done;
}
