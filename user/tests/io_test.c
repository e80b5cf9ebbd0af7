// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * io_test.c - file descriptor I/O on pooled buffers (<bufpool_io.h>), with
 * the kernel's kselftest harness: short reads, end of file, EAGAIN on a
 * non-blocking socket, EINTR during a blocking read, a full buffer at its
 * max capacity, a peer reset, iovecs and a composite written with one
 * writev, partial writes.  Every test ends with the pool's counters back to
 * zero (nothing leaked).  Built with ASan + UBSan.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <bufpool_io.h>
#include "kselftest_harness.h"

FIXTURE(io) {
	struct bufpool *pool;
	int fd[2];		/* a connected pair: [0] ours, [1] the peer */
};

FIXTURE_SETUP(io)
{
	self->pool = bufpool_create(NULL);
	ASSERT_NE(NULL, self->pool);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->fd));
}

FIXTURE_TEARDOWN(io)
{
	close(self->fd[0]);
	close(self->fd[1]);
	bufpool_destroy(self->pool);
}

/* Every buffer given back: after the caches are flushed, nothing is live. */
#define ASSERT_NO_LEAK(pool) do {					\
	struct bufpool_stats __st;					\
	ASSERT_LE(0, bufpool_trim(pool));				\
	ASSERT_EQ(0, bufpool_get_stats(pool, &__st));			\
	EXPECT_EQ(0, __st.active);					\
	EXPECT_EQ(0, __st.active_bytes);				\
	EXPECT_EQ(0, __st.huge_active);					\
	EXPECT_EQ(__st.allocations, __st.frees);			\
} while (0)

static void pattern(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 8));
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* A read gets what is there (a short read), the writer index moves by it,
 * and writing the buffer out moves the reader index. */
TEST_F(io, short_read_then_write)
{
	unsigned char in[300], out[300];
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 1024, 1024);

	ASSERT_NE(NULL, b);
	pattern(in, sizeof(in), 1);
	ASSERT_EQ(100, write(self->fd[1], in, 100));
	EXPECT_EQ(100, bufpool_buf_read_fd(b, self->fd[0], 1024));
	EXPECT_EQ(100, bufpool_buf_writer_index(b));
	EXPECT_EQ(0, memcmp(bufpool_buf_data(b), in, 100));
	ASSERT_EQ(200, write(self->fd[1], in + 100, 200));
	EXPECT_EQ(200, bufpool_buf_recv(b, self->fd[0], 500, 0));
	EXPECT_EQ(300, bufpool_buf_readable(b));

	EXPECT_EQ(300, bufpool_buf_write_fd(b, self->fd[0]));
	EXPECT_EQ(0, bufpool_buf_readable(b));
	EXPECT_EQ(300, bufpool_buf_reader_index(b));
	EXPECT_EQ(300, read(self->fd[1], out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in, out, 300));
	/* Nothing left to write: no system call, 0. */
	EXPECT_EQ(0, bufpool_buf_write_fd(b, -1));
	EXPECT_EQ(0, bufpool_buf_send(b, -1, 0));
	EXPECT_EQ(1, bufpool_buf_release(b));
	ASSERT_NO_LEAK(self->pool);
}

/* The read grows the buffer as a write of that many bytes would. */
TEST_F(io, read_grows_buffer)
{
	unsigned char in[5000];
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 16, 8192);

	ASSERT_NE(NULL, b);
	pattern(in, sizeof(in), 2);
	ASSERT_EQ(sizeof(in), write(self->fd[1], in, sizeof(in)));
	EXPECT_EQ(5000, bufpool_buf_read_fd(b, self->fd[0], 5000));
	EXPECT_LE(5000, bufpool_buf_capacity(b));
	EXPECT_EQ(0, memcmp(bufpool_buf_data(b), in, 5000));
	EXPECT_EQ(1, bufpool_buf_release(b));
	ASSERT_NO_LEAK(self->pool);
}

/* End of file: 0, the buffer as it was. */
TEST_F(io, eof)
{
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 64, 64);

	ASSERT_NE(NULL, b);
	ASSERT_EQ(3, write(self->fd[1], "abc", 3));
	ASSERT_EQ(0, shutdown(self->fd[1], SHUT_WR));
	EXPECT_EQ(3, bufpool_buf_read_fd(b, self->fd[0], 64));
	EXPECT_EQ(0, bufpool_buf_read_fd(b, self->fd[0], 61));
	EXPECT_EQ(0, bufpool_buf_recv(b, self->fd[0], 61, 0));
	EXPECT_EQ(3, bufpool_buf_writer_index(b));
	EXPECT_EQ(1, bufpool_buf_release(b));
	ASSERT_NO_LEAK(self->pool);
}

/* A non-blocking socket with nothing to read: -EAGAIN, nothing moves; the
 * same with MSG_DONTWAIT on a blocking one. */
TEST_F(io, eagain)
{
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 64, 64);

	ASSERT_NE(NULL, b);
	EXPECT_EQ(-EAGAIN, bufpool_buf_recv(b, self->fd[0], 64, MSG_DONTWAIT));
	set_nonblock(self->fd[0]);
	EXPECT_EQ(-EAGAIN, bufpool_buf_read_fd(b, self->fd[0], 64));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, bufpool_buf_writer_index(b));
	EXPECT_EQ(1, bufpool_buf_release(b));
	ASSERT_NO_LEAK(self->pool);
}

/* A full send buffer: the last write is short or -EAGAIN; what was written
 * is exactly what the peer reads. */
TEST_F(io, eagain_on_write)
{
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 65536, 65536);
	static unsigned char in[65536], out[65536];
	size_t sent = 0, got = 0;
	ssize_t n;
	int rounds = 0;

	ASSERT_NE(NULL, b);
	pattern(in, sizeof(in), 3);
	set_nonblock(self->fd[0]);
	for (;;) {
		if (!bufpool_buf_readable(b)) {
			bufpool_buf_clear(b);
			ASSERT_EQ(0, bufpool_buf_write(b, in, sizeof(in)));
			rounds++;
		}
		n = bufpool_buf_write_fd(b, self->fd[0]);
		if (n == -EAGAIN)
			break;
		ASSERT_LT(0, n);
		sent += n;
		ASSERT_LT(rounds, 1000);	/* the socket must fill up */
	}
	/* Unchanged by the refused write: what is left is still readable. */
	EXPECT_EQ(sent % sizeof(in), bufpool_buf_reader_index(b) % sizeof(in));
	set_nonblock(self->fd[1]);
	while ((n = read(self->fd[1], out, sizeof(out))) > 0) {
		size_t i;

		for (i = 0; i < (size_t)n; i++)
			ASSERT_EQ(in[(got + i) % sizeof(in)], out[i]);
		got += n;
	}
	EXPECT_EQ(sent, got);
	EXPECT_EQ(1, bufpool_buf_release(b));
	ASSERT_NO_LEAK(self->pool);
}

static void on_alarm(int sig)
{
}

/* A signal during a blocking read (handler without SA_RESTART): -EINTR,
 * nothing moves; data sent afterwards is read normally. */
TEST_F(io, eintr)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 64, 64);

	ASSERT_NE(NULL, b);
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, bufpool_buf_read_fd(b, self->fd[0], 64));
	EXPECT_EQ(0, bufpool_buf_writer_index(b));
	ASSERT_EQ(2, write(self->fd[1], "ok", 2));
	EXPECT_EQ(2, bufpool_buf_read_fd(b, self->fd[0], 64));
	EXPECT_EQ(1, bufpool_buf_release(b));
	ASSERT_NO_LEAK(self->pool);
}

/* A buffer at its max capacity cannot take one more byte: -ERANGE, and
 * no system call (the data stays in the socket for the next buffer). */
TEST_F(io, full_at_max_capacity)
{
	unsigned char in[64], out[10];
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 64, 64), *c;

	ASSERT_NE(NULL, b);
	pattern(in, sizeof(in), 4);
	ASSERT_EQ(0, bufpool_buf_write(b, in, 60));
	ASSERT_EQ(10, write(self->fd[1], in, 10));
	EXPECT_EQ(-ERANGE, bufpool_buf_read_fd(b, self->fd[0], 5));
	EXPECT_EQ(4, bufpool_buf_read_fd(b, self->fd[0], 4));
	EXPECT_EQ(64, bufpool_buf_writer_index(b));
	EXPECT_EQ(-ERANGE, bufpool_buf_read_fd(b, self->fd[0], 1));
	EXPECT_EQ(-ERANGE, bufpool_buf_recv(b, self->fd[0], 1, 0));
	/* A read of 0 bytes could not be told from EOF: refused. */
	EXPECT_EQ(-EINVAL, bufpool_buf_read_fd(b, self->fd[0], 0));
	c = bufpool_buf_alloc(self->pool, 16, 16);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(6, bufpool_buf_read_fd(c, self->fd[0], 16));
	ASSERT_EQ(0, bufpool_buf_read(c, out, 6));
	EXPECT_EQ(0, memcmp(out, in + 4, 6));
	EXPECT_EQ(1, bufpool_buf_release(b));
	EXPECT_EQ(1, bufpool_buf_release(c));
	ASSERT_NO_LEAK(self->pool);
}

/* A released buffer: -EINVAL, no system call. */
TEST_F(io, released_buffer)
{
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 64, 64);
	struct iovec iov[2];

	ASSERT_NE(NULL, b);
	ASSERT_EQ(1, bufpool_buf_release(b));
	EXPECT_EQ(-EINVAL, bufpool_buf_read_fd(b, self->fd[0], 10));
	EXPECT_EQ(-EINVAL, bufpool_buf_write_fd(b, self->fd[0]));
	EXPECT_EQ(-EINVAL, bufpool_buf_readable_iov(&b, 1, iov, 2));
	EXPECT_EQ(-EINVAL, bufpool_buf_writev(self->fd[0], &b, 1));
	ASSERT_NO_LEAK(self->pool);
}

/* A TCP connection on 127.0.0.1 whose peer aborts (SO_LINGER 0: RST). */
static void tcp_pair(struct __test_metadata *_metadata, int *ours, int *peer)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT_LE(0, l);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(l, 1));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&a, &len));
	*ours = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(*ours, (struct sockaddr *)&a, sizeof(a)));
	*peer = accept(l, NULL, NULL);
	ASSERT_LE(0, *peer);
	close(l);
}

TEST_F(io, peer_reset)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct bufpool_buf *b = bufpool_buf_alloc(self->pool, 64, 64);
	int ours, peer;
	ssize_t n;

	ASSERT_NE(NULL, b);
	tcp_pair(_metadata, &ours, &peer);
	ASSERT_EQ(0, setsockopt(peer, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(peer);
	EXPECT_EQ(-ECONNRESET, bufpool_buf_read_fd(b, ours, 64));
	EXPECT_EQ(0, bufpool_buf_writer_index(b));
	/* After the reset a send fails; MSG_NOSIGNAL makes it -EPIPE, no signal. */
	ASSERT_EQ(0, bufpool_buf_write(b, "x", 1));
	n = bufpool_buf_send(b, ours, MSG_NOSIGNAL);
	EXPECT_TRUE(n == -EPIPE || n == -ECONNRESET);
	EXPECT_EQ(1, bufpool_buf_readable(b));
	close(ours);
	EXPECT_EQ(1, bufpool_buf_release(b));
	ASSERT_NO_LEAK(self->pool);
}

/* Readable regions as iovecs: one per non-empty buffer, in order, bounded
 * by max_iov; writable regions up to the capacity. */
TEST_F(io, iovecs)
{
	struct bufpool_buf *b[3];
	struct iovec iov[3];
	int i;

	for (i = 0; i < 3; i++) {
		b[i] = bufpool_buf_alloc(self->pool, 32, 32);
		ASSERT_NE(NULL, b[i]);
	}
	ASSERT_EQ(0, bufpool_buf_write(b[0], "hello", 5));
	ASSERT_EQ(0, bufpool_buf_write(b[2], "world!", 6));
	ASSERT_EQ(0, bufpool_buf_skip(b[2], 1));
	EXPECT_EQ(2, bufpool_buf_readable_iov(b, 3, iov, 3));
	EXPECT_EQ(bufpool_buf_data(b[0]), iov[0].iov_base);
	EXPECT_EQ(5, iov[0].iov_len);
	EXPECT_EQ((char *)bufpool_buf_data(b[2]) + 1, iov[1].iov_base);
	EXPECT_EQ(5, iov[1].iov_len);
	EXPECT_EQ(1, bufpool_buf_readable_iov(b, 3, iov, 1));
	EXPECT_EQ(3, bufpool_buf_writable_iov(b, 3, iov, 3));
	EXPECT_EQ(27, iov[0].iov_len);
	EXPECT_EQ(32, iov[1].iov_len);
	EXPECT_EQ(26, iov[2].iov_len);
	/* Advancing over more than is readable moves nothing. */
	EXPECT_EQ(-ERANGE, bufpool_buf_advance_reader(b, 3, 11));
	EXPECT_EQ(5, bufpool_buf_readable(b[0]));
	EXPECT_EQ(0, bufpool_buf_advance_reader(b, 3, 7));
	EXPECT_EQ(0, bufpool_buf_readable(b[0]));
	EXPECT_EQ(3, bufpool_buf_readable(b[2]));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(1, bufpool_buf_release(b[i]));
	ASSERT_NO_LEAK(self->pool);
}

/* A composite of many buffers written with one writev on a non-blocking
 * socket: short writes move the first buffers' reader indexes only, and
 * the peer reads every byte in order. */
TEST_F(io, composite_writev)
{
	enum { NR = 40, SZ = 4096 };
	static unsigned char in[NR * SZ], out[NR * SZ];
	struct bufpool_buf *b[NR];
	size_t sent = 0, got = 0;
	int i, calls = 0, rcv = 4096;

	pattern(in, sizeof(in), 5);
	for (i = 0; i < NR; i++) {
		b[i] = bufpool_buf_alloc(self->pool, SZ, SZ);
		ASSERT_NE(NULL, b[i]);
		ASSERT_EQ(0, bufpool_buf_write(b[i], in + i * SZ, SZ));
	}
	setsockopt(self->fd[0], SOL_SOCKET, SO_SNDBUF, &rcv, sizeof(rcv));
	set_nonblock(self->fd[0]);
	set_nonblock(self->fd[1]);
	while (got < sizeof(in)) {
		ssize_t n = bufpool_buf_writev(self->fd[0], b, NR);

		if (n > 0) {
			size_t left = sizeof(in) - sent - n, rest = 0;

			sent += n;
			calls++;
			for (i = 0; i < NR; i++)
				rest += bufpool_buf_readable(b[i]);
			ASSERT_EQ(left, rest);
		} else {
			ASSERT_TRUE(n == -EAGAIN || (n == 0 && sent == sizeof(in)));
		}
		n = read(self->fd[1], out + got, sizeof(out) - got);
		if (n > 0)
			got += n;
		else
			ASSERT_EQ(EAGAIN, errno);
	}
	EXPECT_LT(1, calls);	/* it was short at least once */
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	for (i = 0; i < NR; i++)
		EXPECT_EQ(1, bufpool_buf_release(b[i]));
	ASSERT_NO_LEAK(self->pool);
}

/* readv into several buffers: filled in order, no growth. */
TEST_F(io, readv_fills_in_order)
{
	unsigned char in[100], out[100];
	struct bufpool_buf *b[3];
	int i;

	pattern(in, sizeof(in), 6);
	for (i = 0; i < 3; i++) {
		b[i] = bufpool_buf_alloc(self->pool, 32, 1024);
		ASSERT_NE(NULL, b[i]);
	}
	ASSERT_EQ(100, write(self->fd[1], in, 100));
	EXPECT_EQ(96, bufpool_buf_readv(self->fd[0], b, 3));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(32, bufpool_buf_writer_index(b[i]));
		ASSERT_EQ(0, bufpool_buf_read(b[i], out + 32 * i, 32));
	}
	EXPECT_EQ(0, memcmp(in, out, 96));
	EXPECT_EQ(-ERANGE, bufpool_buf_readv(self->fd[0], b, 3));	/* all full */
	for (i = 0; i < 3; i++)
		EXPECT_EQ(1, bufpool_buf_release(b[i]));
	ASSERT_NO_LEAK(self->pool);
}

TEST_HARNESS_MAIN
