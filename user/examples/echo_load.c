// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * echo_load.c - a bounded load generator for echo servers on 127.0.0.1:
 * C connections each send M messages, one at a time (send, wait for the
 * whole echo, check every byte, send the next), sizes cycling through a
 * list.  It stops by itself: when every message came back, at the first
 * wrong byte, early close or error, or after a time limit.
 *
 *   echo_load -p PORT [-c CONNS] [-n MSGS] [-s SIZE,SIZE,...] [-t SECS] [-H]
 *
 * Message k of connection i has size sizes[(i + k) % nr_sizes] and bytes
 * that depend on i, k and the offset, so a byte from another connection,
 * another message or another place is caught.
 *
 * Prints "conns C msgs M bytes B secs S msgs_per_s X bytes_per_s Y" and
 * exits 0 when all M * C messages came back intact, 1 otherwise (the
 * reason on stderr).  bytes counts each message once (sent and echoed).
 *
 * -H (hold): after the messages, print "idle" and keep the connections
 * open; each line on stdin "burst SIZE" sends one more message of SIZE
 * bytes on every connection, waits for all echoes and prints "idle"
 * again; end of stdin closes everything (scripts/bench measures the
 * server's memory in between).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZES	16
#define CHUNK		65536

struct client {
	int fd, id;
	unsigned int msg;		/* message being echoed */
	size_t size, sent, got;		/* of the current message */
	bool busy;
};

static int nr_sizes;
static size_t sizes[MAX_SIZES];
static unsigned char scratch[CHUNK];

static unsigned char byte_at(int id, unsigned int msg, size_t off)
{
	uint32_t x = (uint32_t)id * 2654435761u ^ msg * 40503u ^ (uint32_t)(off >> 7) * 97u;

	return (unsigned char)(x + off);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(const char *why, int id)
{
	fprintf(stderr, "echo_load: connection %d: %s\n", id, why);
	exit(1);
}

/* Send as much of the current message as the socket takes. */
static void pump_send(struct client *c)
{
	while (c->sent < c->size) {
		size_t len = c->size - c->sent, i;
		ssize_t n;

		if (len > CHUNK)
			len = CHUNK;
		for (i = 0; i < len; i++)
			scratch[i] = byte_at(c->id, c->msg, c->sent + i);
		n = send(c->fd, scratch, len, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0)
			fail(strerror(errno), c->id);
		c->sent += n;
	}
}

/* Read what came back and check it; true when the message is complete. */
static bool pump_recv(struct client *c)
{
	for (;;) {
		unsigned char buf[CHUNK];
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0), i;

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return false;
		if (n == 0)
			fail("closed by the server", c->id);
		if (n < 0)
			fail(strerror(errno), c->id);
		if (c->got + n > c->size)
			fail("more bytes than sent", c->id);
		for (i = 0; i < n; i++)
			if (buf[i] != byte_at(c->id, c->msg, c->got + i)) {
				fprintf(stderr, "echo_load: connection %d message %u byte %zu: %#x, not %#x\n",
					c->id, c->msg, c->got + i, buf[i],
					byte_at(c->id, c->msg, c->got + i));
				exit(1);
			}
		c->got += n;
		if (c->got == c->size)
			return true;
	}
}

static void start(struct client *c, size_t size)
{
	c->size = size;
	c->sent = c->got = 0;
	c->busy = true;
	pump_send(c);
}

/* @per_conn messages on each connection, sizes from the list, or one of
 * @fixed bytes if that is not 0; returns the bytes echoed. */
static unsigned long long run(int ep, struct client *cl, int nr, unsigned int per_conn,
			      size_t fixed, double deadline)
{
	unsigned long long bytes = 0, left = 0;
	struct epoll_event evs[256];
	int i;

	for (i = 0; i < nr; i++) {
		if (!per_conn)
			continue;
		left += per_conn;
		start(&cl[i], fixed ? fixed : sizes[(cl[i].id + cl[i].msg) % nr_sizes]);
	}
	while (left) {
		int n = epoll_wait(ep, evs, 256, 1000);

		if (now() > deadline) {
			fprintf(stderr, "echo_load: time limit, %llu messages outstanding\n", left);
			exit(1);
		}
		for (i = 0; i < n; i++) {
			struct client *c = evs[i].data.ptr;

			if (!c->busy)
				continue;
			pump_send(c);
			if (!pump_recv(c))
				continue;
			bytes += c->size;
			c->busy = false;
			c->msg++;
			left--;
			if (!fixed && c->msg % per_conn)
				start(c, sizes[(c->id + c->msg) % nr_sizes]);
		}
	}
	return bytes;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	unsigned int msgs = 100;
	int conns = 1, secs = 60, opt, i, ep;
	bool hold = false;
	unsigned long long bytes;
	struct client *cl;
	struct rlimit rl;
	double t0, t;
	char *s, line[64];

	sizes[nr_sizes++] = 256;
	while ((opt = getopt(argc, argv, "p:c:n:s:t:H")) != -1) {
		switch (opt) {
		case 'p':
			a.sin_port = htons(atoi(optarg));
			break;
		case 'c':
			conns = atoi(optarg);
			break;
		case 'n':
			msgs = atoi(optarg);
			break;
		case 's':
			nr_sizes = 0;
			for (s = strtok(optarg, ","); s && nr_sizes < MAX_SIZES; s = strtok(NULL, ","))
				sizes[nr_sizes++] = strtoul(s, NULL, 0);
			break;
		case 't':
			secs = atoi(optarg);
			break;
		case 'H':
			hold = true;
			break;
		default:
			goto usage;
		}
	}
	if (!a.sin_port || conns < 1 || !nr_sizes)
		goto usage;
	for (i = 0; i < nr_sizes; i++)
		if (!sizes[i])
			goto usage;
	/* Room for the connections' fds. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)conns + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)conns + 64 ? rl.rlim_max : (rlim_t)conns + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	cl = calloc(conns, sizeof(*cl));
	ep = epoll_create1(0);
	if (!cl || ep < 0) {
		perror("echo_load");
		return 1;
	}
	for (i = 0; i < conns; i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = &cl[i] };
		int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			perror("echo_load: connect");
			return 1;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		fcntl(fd, F_SETFL, O_NONBLOCK);
		cl[i].fd = fd;
		cl[i].id = i;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
			perror("echo_load: epoll_ctl");
			return 1;
		}
	}
	t0 = now();
	bytes = run(ep, cl, conns, msgs, 0, t0 + secs);
	t = now() - t0;
	printf("conns %d msgs %llu bytes %llu secs %.3f msgs_per_s %.0f bytes_per_s %.0f\n",
	       conns, (unsigned long long)msgs * conns, bytes, t,
	       (double)msgs * conns / t, bytes / t);
	fflush(stdout);
	if (hold) {
		printf("idle\n");
		fflush(stdout);
		while (fgets(line, sizeof(line), stdin)) {
			size_t size;

			if (sscanf(line, "burst %zu", &size) != 1 || !size)
				continue;
			run(ep, cl, conns, 1, size, now() + secs);
			printf("idle\n");
			fflush(stdout);
		}
	}
	for (i = 0; i < conns; i++)
		close(cl[i].fd);
	free(cl);
	return 0;
usage:
	fprintf(stderr, "usage: echo_load -p PORT [-c CONNS] [-n MSGS] [-s SIZE,...] [-t SECS] [-H]\n");
	return 2;
}
