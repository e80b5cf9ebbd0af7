// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * echo_server.c - an epoll echo server on 127.0.0.1 with the seed's read
 * loop (Netty's NioByteUnsafe.read()): per readable connection, up to 16
 * reads, each into a pooled buffer of the adaptive handle's guess; every
 * buffer read is queued and written back with one writev when the loop
 * ends (Netty's echo handler: write per read, flush on readComplete), and
 * released once all its bytes are written.  While a connection has bytes
 * waiting to be written it is not read (backpressure: a slow reader costs
 * at most one loop's buffers).  An idle connection holds no buffer, nor the
 * queue for them: only its struct conn.
 *
 *   echo_server [-p PORT] [-m bufpool|malloc] [-x]
 *
 * -p  port on 127.0.0.1 (0, the default: any; the port is printed first,
 *     "port N", on stdout)
 * -m  malloc: the same server with one malloc'd 64 KiB buffer per
 *     connection, read into and written from (for scripts/bench)
 * -x  corrupt one byte of every 1000th read (the load generator must see
 *     it: the self-check of scripts/echo-test)
 *
 * SIGTERM or SIGINT: close every connection, then print one summary line
 * ("connections N reads N bytes N guess_min N guess_max N active N") and
 * exit 0 if the pool has no live allocation left (active 0), else 1.
 */
#define _GNU_SOURCE	/* accept4 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bufpool_io.h>

#define FIXED_SIZE	65536	/* the malloc server's buffer per connection */
#define MAX_EVENTS	256

struct conn {
	struct conn *prev, *next;	/* every open connection, for the exit */
	int fd;
	bool writing;			/* EPOLLOUT instead of EPOLLIN */
	unsigned int nq;		/* bufpool: buffers in q */
	union {
		struct {		/* bufpool */
			struct bufpool_recv_handle h;
			/*
			 * Buffers read and not yet written, in order (one
			 * loop's): a pool allocation while there are any, so
			 * an idle connection holds no memory but this struct.
			 */
			struct bufpool_buf **q;
		};
		struct {		/* malloc: the buffer, its unwritten [off, len) */
			char *fixed;
			size_t off, len;
		};
	};
};

#define QUEUE_BYTES	(BUFPOOL_RECV_DEFAULT_MAX_READS * sizeof(struct bufpool_buf *))

static struct conn conns = { .prev = &conns, .next = &conns };
static struct bufpool *pool;
static bool use_malloc, corrupt;
static int ep;
static volatile sig_atomic_t stop;
static unsigned long long nr_conns, nr_reads, nr_bytes;
static int guess_min = 1 << 30, guess_max;

static void on_signal(int sig)
{
	stop = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void watch(struct conn *c, bool writing)
{
	struct epoll_event ev = { .events = writing ? EPOLLOUT : EPOLLIN, .data.ptr = c };

	if (c->writing != writing && epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev))
		die("epoll_ctl");
	c->writing = writing;
}

static void conn_close(struct conn *c)
{
	unsigned int i;

	c->prev->next = c->next;
	c->next->prev = c->prev;
	if (use_malloc) {
		free(c->fixed);
	} else {
		for (i = 0; i < c->nq; i++)
			bufpool_buf_release(c->q[i]);
		bufpool_free(pool, c->q);
	}
	close(c->fd);	/* also leaves the epoll set */
	free(c);
}

/* Write what is queued; false if the connection failed. */
static bool flush_bufpool(struct conn *c)
{
	while (c->nq) {
		ssize_t n = bufpool_buf_writev(c->fd, c->q, c->nq);
		unsigned int done = 0, i;

		if (n == -EAGAIN || n == -EINTR)
			break;
		if (n < 0)
			return false;
		/* Release what is written, keep the rest in order. */
		while (done < c->nq && !bufpool_buf_readable(c->q[done]))
			bufpool_buf_release(c->q[done++]);
		for (i = done; i < c->nq; i++)
			c->q[i - done] = c->q[i];
		c->nq -= done;
	}
	if (!c->nq) {	/* all written: the queue goes back to the pool */
		bufpool_free(pool, c->q);
		c->q = NULL;
	}
	watch(c, c->nq != 0);
	return true;
}

/* The seed's read loop; false if the connection is to be closed. */
static bool read_bufpool(struct conn *c)
{
	struct bufpool_recv_handle *h = &c->h;
	bool close_it = false;

	if (!c->q) {
		c->q = bufpool_alloc(pool, QUEUE_BYTES);
		if (!c->q)
			return false;
	}
	bufpool_recv_reset(h);
	do {
		int guess = bufpool_recv_guess(h);
		struct bufpool_buf *b = bufpool_buf_alloc(pool, guess, guess);
		ssize_t n;

		if (!b)
			return false;
		if (guess < guess_min)
			guess_min = guess;
		if (guess > guess_max)
			guess_max = guess;
		bufpool_recv_set_attempted_bytes(h, bufpool_buf_writable(b));
		n = bufpool_buf_recv(b, c->fd, bufpool_recv_attempted_bytes(h), 0);
		/* Netty's doReadBytes(): -1 at EOF (and here on an error), 0 if none. */
		bufpool_recv_set_last_bytes_read(h, n > 0 ? (int)n :
						 n == -EAGAIN || n == -EINTR ? 0 : -1);
		if (n <= 0) {
			bufpool_buf_release(b);
			close_it = bufpool_recv_last_bytes_read(h) < 0;
			break;
		}
		nr_reads++;
		nr_bytes += n;
		if (corrupt && nr_reads % 1000 == 0)
			((char *)bufpool_buf_data(b))[bufpool_buf_reader_index(b)] ^= 1;
		bufpool_recv_inc_messages_read(h, 1);
		c->q[c->nq++] = b;	/* fireChannelRead: the echo handler writes it */
	} while (bufpool_recv_continue_reading(h));
	bufpool_recv_read_complete(h);
	/* fireChannelReadComplete: flush; then close if EOF was seen. */
	if (!flush_bufpool(c))
		return false;
	return !close_it;
}

static bool flush_malloc(struct conn *c)
{
	while (c->off < c->len) {
		ssize_t n = write(c->fd, c->fixed + c->off, c->len - c->off);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0)
			return false;
		c->off += n;
	}
	if (c->off == c->len)
		c->off = c->len = 0;
	watch(c, c->len != 0);
	return true;
}

/* One read into the fixed buffer, written back at once. */
static bool read_malloc(struct conn *c)
{
	ssize_t n = read(c->fd, c->fixed, FIXED_SIZE);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0)
		return false;
	nr_reads++;
	nr_bytes += n;
	if (corrupt && nr_reads % 1000 == 0)
		c->fixed[0] ^= 1;
	c->off = 0;
	c->len = n;
	return flush_malloc(c);
}

static void accept_all(int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
		struct epoll_event ev = { .events = EPOLLIN };
		struct conn *c;

		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
				return;
			if (errno == EMFILE || errno == ENFILE) {
				perror("accept4");
				return;
			}
			die("accept4");
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (!c)
			die("calloc");
		c->fd = fd;
		if (use_malloc) {
			c->fixed = malloc(FIXED_SIZE);
			if (!c->fixed)
				die("malloc");
		} else {
			bufpool_recv_init(&c->h, NULL);	/* Netty's defaults */
		}
		c->next = &conns;
		c->prev = conns.prev;
		conns.prev->next = c;
		conns.prev = c;
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			die("epoll_ctl");
		nr_conns++;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct epoll_event evs[MAX_EVENTS], lev = { .events = EPOLLIN };
	struct sigaction sa = { .sa_handler = on_signal };
	struct bufpool_stats st;
	struct rlimit rl;
	socklen_t alen = sizeof(a);
	int lfd, opt, one = 1, i, n;

	while ((opt = getopt(argc, argv, "p:m:x")) != -1) {
		switch (opt) {
		case 'p':
			a.sin_port = htons(atoi(optarg));
			break;
		case 'm':
			use_malloc = !strcmp(optarg, "malloc");
			if (!use_malloc && strcmp(optarg, "bufpool"))
				goto usage;
			break;
		case 'x':
			corrupt = true;
			break;
		default:
			goto usage;
		}
	}
	/* As many connections as the hard limit allows (the JVM does the same). */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	pool = bufpool_create(NULL);
	if (!pool)
		die("bufpool_create");
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 4096) ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen))
		die("bind/listen");
	printf("port %d\n", ntohs(a.sin_port));
	fflush(stdout);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev))
		die("epoll");

	while (!stop) {
		n = epoll_wait(ep, evs, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			bool ok;

			if (!c) {
				accept_all(lfd);
				continue;
			}
			if (c->writing)
				ok = use_malloc ? flush_malloc(c) : flush_bufpool(c);
			else
				ok = use_malloc ? read_malloc(c) : read_bufpool(c);
			if (!ok || (evs[i].events & EPOLLERR))
				conn_close(c);
		}
	}

	while (conns.next != &conns)
		conn_close(conns.next);
	close(lfd);
	bufpool_trim(pool);
	bufpool_get_stats(pool, &st);
	printf("connections %llu reads %llu bytes %llu guess_min %d guess_max %d active %llu\n",
	       nr_conns, nr_reads, nr_bytes, nr_reads ? guess_min : 0, guess_max,
	       (unsigned long long)st.active);
	bufpool_destroy(pool);
	return st.active ? 1 : 0;
usage:
	fprintf(stderr, "usage: echo_server [-p PORT] [-m bufpool|malloc] [-x]\n");
	return 2;
}
