// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * uring_echo.c - an echo server on io_uring with pooled provided buffers
 * (<bufpool_uring.h>), on 127.0.0.1 only.
 *
 *   uring_echo [-p PORT] [-n CONNS] [-e ENTRIES] [-b BUF_SIZE]
 *
 * One thread, one io_uring.  A multishot accept takes connections; each
 * gets one multishot recv on the buffer group, which holds no buffer until
 * bytes arrive: then the kernel fills a pooled buffer of the ring and the
 * completion hands it over (bufpool_uring_bufs_take()).  The buffer joins
 * the connection's send queue; one sendmsg at a time per connection, of up
 * to 64 queued buffers (a gathering write, as Netty's nioBuffers()), keeps
 * the bytes in order; a short send goes again for the rest, and a buffer is
 * released when all of it has been sent.  A multishot recv the kernel ends
 * (no buffer in the ring: -ENOBUFS) is armed again after a refill.
 *
 * PORT 0 (the default) takes a free port.  The first line on stdout is
 * "port N" once the server listens.  With -n it exits after CONNS
 * connections have come and gone, and prints what it served and the pool's
 * live buffers ("active"), which must be 0: exit status 0 only then.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bufpool_uring.h>

#define OP_ACCEPT	1ull
#define OP_RECV		2ull
#define OP_SEND		3ull
#define BGID		1
#define SEND_IOV	64	/* buffers gathered into one sendmsg */

struct conn {
	int fd;
	int id;
	int recv_armed;		/* a multishot recv may still complete */
	int sending;		/* a send is in flight */
	int eof;		/* the peer is done sending, or we stopped listening */
	int failed;		/* a send failed: drop what is queued */
	struct bufpool_buf **q;	/* buffers to send back, oldest at q[head] */
	unsigned int head, len, cap;
	struct iovec iov[SEND_IOV];	/* the send in flight (the kernel reads */
	struct msghdr msg;		/* them until it completes) */
	struct conn *next_free;
};

static struct io_uring ring;
static struct bufpool_uring_bufs *bufs;
static struct conn **conns;
static int nr_conns_slots;
static unsigned long served, live, bytes;
static int listen_fd;

static struct io_uring_sqe *sqe_get(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

	if (!sqe) {		/* the submission queue is full: flush it */
		io_uring_submit(&ring);
		sqe = io_uring_get_sqe(&ring);
	}
	return sqe;
}

static void arm_accept(void)
{
	struct io_uring_sqe *sqe = sqe_get();

	io_uring_prep_multishot_accept(sqe, listen_fd, NULL, NULL, 0);
	io_uring_sqe_set_data64(sqe, OP_ACCEPT << 32);
}

static void arm_recv(struct conn *c)
{
	struct io_uring_sqe *sqe = sqe_get();

	io_uring_prep_recv_multishot(sqe, c->fd, NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bufpool_uring_bufs_bgid(bufs);
	io_uring_sqe_set_data64(sqe, OP_RECV << 32 | c->id);
	c->recv_armed = 1;
}

/* One sendmsg of the queued buffers' readable bytes, oldest first. */
static void send_queued(struct conn *c)
{
	struct io_uring_sqe *sqe = sqe_get();
	unsigned int i, n = c->len < SEND_IOV ? c->len : SEND_IOV;
	struct bufpool_buf *b;

	for (i = 0; i < n; i++) {
		b = c->q[(c->head + i) % c->cap];
		c->iov[i].iov_base = (char *)bufpool_buf_data(b) + bufpool_buf_reader_index(b);
		c->iov[i].iov_len = bufpool_buf_readable(b);
	}
	memset(&c->msg, 0, sizeof(c->msg));
	c->msg.msg_iov = c->iov;
	c->msg.msg_iovlen = n;
	io_uring_prep_sendmsg(sqe, c->fd, &c->msg, MSG_NOSIGNAL);
	io_uring_sqe_set_data64(sqe, OP_SEND << 32 | c->id);
	c->sending = 1;
}

static int queue_buf(struct conn *c, struct bufpool_buf *b)
{
	if (c->len == c->cap) {
		unsigned int cap = c->cap ? c->cap * 2 : 8, i;
		struct bufpool_buf **q = malloc(cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		for (i = 0; i < c->len; i++)
			q[i] = c->q[(c->head + i) % c->cap];
		free(c->q);
		c->q = q;
		c->head = 0;
		c->cap = cap;
	}
	c->q[(c->head + c->len++) % c->cap] = b;
	return 0;
}

static struct bufpool_buf *dequeue(struct conn *c)
{
	struct bufpool_buf *b = c->q[c->head];

	c->head = (c->head + 1) % c->cap;
	c->len--;
	return b;
}

/* Close once nothing can complete for @c any more. */
static void maybe_close(struct conn *c)
{
	if (c->recv_armed || c->sending || (c->len && !c->failed))
		return;
	while (c->len)
		bufpool_buf_release(dequeue(c));
	close(c->fd);
	conns[c->id] = NULL;
	free(c->q);
	free(c);
	live--;
	served++;
}

/* Stop @c: wake its recv with EOF, drop what it had to send. */
static void fail_conn(struct conn *c)
{
	c->eof = 1;
	c->failed = 1;
	shutdown(c->fd, SHUT_RDWR);
	maybe_close(c);
}

static int new_conn(int fd)
{
	struct conn *c;
	int id;

	for (id = 0; id < nr_conns_slots && conns[id]; id++)
		;
	if (id == nr_conns_slots) {
		int n = nr_conns_slots ? nr_conns_slots * 2 : 64;
		struct conn **p = realloc(conns, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		memset(p + nr_conns_slots, 0, (n - nr_conns_slots) * sizeof(*p));
		conns = p;
		nr_conns_slots = n;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	/* Echoes go out as they come: no Nagle wait for the peer's ACK. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	c->fd = fd;
	c->id = id;
	conns[id] = c;
	live++;
	arm_recv(c);
	return 0;
}

static void on_recv(struct conn *c, struct io_uring_cqe *cqe)
{
	struct bufpool_buf *b = bufpool_uring_bufs_take(bufs, cqe);

	if (!(cqe->flags & IORING_CQE_F_MORE))
		c->recv_armed = 0;
	if (b) {
		bytes += bufpool_buf_readable(b);
		if (c->eof) {
			bufpool_buf_release(b);
		} else if (queue_buf(c, b)) {
			bufpool_buf_release(b);		/* no memory: give up */
			fail_conn(c);
			return;
		} else if (!c->sending) {
			send_queued(c);
		}
	}
	if (c->recv_armed)
		return;
	if (cqe->res == -ENOBUFS && !c->eof) {
		/* The ring ran dry: what the application holds is being
		 * sent back; take more from the pool and listen again. */
		bufpool_uring_bufs_refill(bufs);
		arm_recv(c);
		return;
	}
	if (cqe->res > 0 && !c->eof) {	/* ended for its own reasons */
		arm_recv(c);
		return;
	}
	c->eof = 1;
	maybe_close(c);
}

static void on_send(struct conn *c, struct io_uring_cqe *cqe)
{
	size_t sent, k;
	struct bufpool_buf *b;

	c->sending = 0;
	if (cqe->res < 0) {
		fail_conn(c);
		return;
	}
	/* Drop what went out; a buffer is released once all of it did. */
	for (sent = cqe->res; sent && c->len; sent -= k) {
		b = c->q[c->head];
		k = bufpool_buf_readable(b) < sent ? bufpool_buf_readable(b) : sent;
		bufpool_buf_skip(b, k);
		if (!bufpool_buf_readable(b))
			bufpool_buf_release(dequeue(c));
	}
	if (c->len && !c->failed)
		send_queued(c);
	else
		maybe_close(c);
}

static int listen_local(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	socklen_t len = sizeof(a);
	int fd, one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		close(fd);
		return -1;
	}
	printf("port %d\n", ntohs(a.sin_port));
	fflush(stdout);
	return fd;
}

int main(int argc, char **argv)
{
	unsigned int entries = 256;
	size_t buf_size = 2048;
	long max_conns = -1;
	struct bufpool_stats st;
	struct io_uring_cqe *cqe;
	struct bufpool *pool;
	int port = 0, opt, err;
	char why[160];

	while ((opt = getopt(argc, argv, "p:n:e:b:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'n': max_conns = atol(optarg); break;
		case 'e': entries = strtoul(optarg, NULL, 0); break;
		case 'b': buf_size = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-p PORT] [-n CONNS] [-e ENTRIES] [-b BUF_SIZE]\n",
				argv[0]);
			return 2;
		}
	}
	err = bufpool_uring_supported(why, sizeof(why));
	if (err) {
		fprintf(stderr, "uring_echo: io_uring unavailable: %s\n", why);
		return 77;	/* the automake code for a skipped test */
	}
	pool = bufpool_create(NULL);
	if (!pool || io_uring_queue_init(256, &ring, 0)) {
		perror("uring_echo: setup");
		return 1;
	}
	bufs = bufpool_uring_bufs_create(&ring, pool, entries, buf_size, BGID, &err);
	if (!bufs) {
		fprintf(stderr, "uring_echo: buffer ring: %s\n", strerror(-err));
		return 1;
	}
	listen_fd = listen_local(port);
	if (listen_fd < 0) {
		perror("uring_echo: listen");
		return 1;
	}
	arm_accept();
	while (max_conns < 0 || served < (unsigned long)max_conns || live) {
		unsigned long long data;
		struct conn *c;

		io_uring_submit_and_wait(&ring, 1);
		while (io_uring_peek_cqe(&ring, &cqe) == 0) {
			data = cqe->user_data;
			c = (data >> 32) == OP_ACCEPT ? NULL : conns[(unsigned int)data];
			switch (data >> 32) {
			case OP_ACCEPT:
				if (cqe->res >= 0 && new_conn(cqe->res))
					close(cqe->res);
				if (!(cqe->flags & IORING_CQE_F_MORE))
					arm_accept();
				break;
			case OP_RECV:
				on_recv(c, cqe);
				break;
			case OP_SEND:
				on_send(c, cqe);
				break;
			}
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	bufpool_uring_bufs_destroy(bufs);	/* no recv is armed any more */
	io_uring_queue_exit(&ring);		/* cancels the multishot accept */
	close(listen_fd);
	bufpool_trim(pool);
	bufpool_get_stats(pool, &st);
	printf("served %lu connections, %lu bytes, active %llu\n", served, bytes,
	       (unsigned long long)st.active);
	bufpool_destroy(pool);
	free(conns);
	return st.active ? 1 : 0;
}
