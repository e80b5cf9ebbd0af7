// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * uring_test.c - <bufpool_uring.h>: the pool-backed provided-buffer ring,
 * and the io_uring echo server (user/examples/uring_echo.c) under a bounded
 * load that checks every echoed byte.  kselftest harness, ASan + UBSan.
 * Every test SKIPs, saying why, where the kernel or a seccomp filter does
 * not give this process io_uring with buffer rings.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bufpool_uring.h>
#include "kselftest_harness.h"

#define BGID	7

#define SKIP_WITHOUT_URING()						\
	do {								\
		char why_[160];						\
		if (bufpool_uring_supported(why_, sizeof(why_)))	\
			SKIP(return, "io_uring unavailable: %s", why_);	\
	} while (0)

static unsigned char pattern(unsigned int conn, unsigned long i)
{
	return (unsigned char)(conn * 151 + i * 13 + (i >> 8));
}

/* A connected loopback TCP pair: @cli the client's end, @srv the server's. */
static int tcp_pair(int *cli, int *srv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l, c, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -1;
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	s = accept(l, NULL, NULL);
	close(l);
	if (s < 0)
		return -1;
	*cli = c;
	*srv = s;
	return 0;
}

static void arm_recv(struct io_uring *ring, int fd, unsigned long long tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	io_uring_sqe_set_data64(sqe, tag);
}

static struct bufpool *new_pool(void)
{
	struct bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 1;
	return bufpool_create(&cfg);
}

/*
 * Live buffers' memory: the test buffers (1..4 KiB) are small allocations,
 * their descriptors tiny ones (which the recycler keeps, counted active).
 */
static uint64_t live_bufs(struct bufpool *pool)
{
	struct bufpool_stats st;

	bufpool_get_stats(pool, &st);
	return st.small_allocations - st.small_frees;
}

/* Everything, descriptors included, once the thread's cache is flushed. */
static uint64_t active(struct bufpool *pool)
{
	struct bufpool_stats st;

	bufpool_trim(pool);
	bufpool_get_stats(pool, &st);
	return st.active;
}

/* Runs everywhere: says yes, or no and why (what the other tests SKIP with). */
TEST(supported_or_says_why)
{
	char why[160] = "unset";
	int err = bufpool_uring_supported(why, sizeof(why));

	if (err) {
		EXPECT_GT(0, err);
		EXPECT_NE(0, strcmp(why, "unset"));
		TH_LOG("io_uring unavailable: %s", why);
	} else {
		EXPECT_STREQ("", why);
	}
}

/*
 * A seccomp filter that refuses io_uring_setup (as container runtimes'
 * default profiles do): the check says so, and the example server exits
 * with 77 and that sentence rather than failing obscurely.  The harness
 * runs each test in its own child, so the filter stays here.
 */
TEST(refused_by_seccomp)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };
	const char *bin = getenv("URING_ECHO") ?: "build/bin/uring_echo";
	char why[160], line[256] = "";
	int pipefd[2], status;
	FILE *err;
	pid_t pid;

	SKIP_WITHOUT_URING();
	ASSERT_EQ(0, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	ASSERT_EQ(0, prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog));
	EXPECT_EQ(-EPERM, bufpool_uring_supported(why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "seccomp")) TH_LOG("said: %s", why);

	ASSERT_EQ(0, access(bin, X_OK));
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execl(bin, bin, "-n", "1", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	err = fdopen(pipefd[0], "r");
	ASSERT_NE(NULL, err);
	EXPECT_NE(NULL, fgets(line, sizeof(line), err));
	fclose(err);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(77, WEXITSTATUS(status));
	EXPECT_NE(NULL, strstr(line, "io_uring unavailable")) TH_LOG("said: %s", line);
	TH_LOG("%s", line);
}

TEST(bad_arguments)
{
	struct bufpool *pool = new_pool();
	struct io_uring ring;
	int err = 0;

	SKIP_WITHOUT_URING();
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	EXPECT_EQ(NULL, bufpool_uring_bufs_create(&ring, pool, 3, 2048, BGID, &err));
	EXPECT_EQ(-EINVAL, err);
	EXPECT_EQ(NULL, bufpool_uring_bufs_create(&ring, pool, 0, 2048, BGID, &err));
	EXPECT_EQ(NULL, bufpool_uring_bufs_create(&ring, pool, 65536, 2048, BGID, &err));
	EXPECT_EQ(NULL, bufpool_uring_bufs_create(&ring, pool, 8, 0, BGID, &err));
	EXPECT_EQ(0, active(pool));
	io_uring_queue_exit(&ring);
	bufpool_destroy(pool);
}

/*
 * 32 connections wait on one ring of 8 buffers: the pool holds the 8 and
 * nothing more until bytes arrive; then exactly the buffers taken are
 * added, they carry the bytes sent, and releasing them brings the pool
 * back to the ring's 8.  A second group id on the same ring is refused.
 */
TEST(idle_connections_hold_no_buffer)
{
	enum { NCONN = 32, ENTRIES = 8, SENT = 3 };
	struct bufpool *pool = new_pool();
	struct bufpool_uring_bufs *bufs;
	struct bufpool_buf *got[SENT];
	struct bufpool_uring_stats us;
	int cli[NCONN], srv[NCONN], i, n, err;
	struct __kernel_timespec ts = { .tv_nsec = 50 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	char msg[100];

	SKIP_WITHOUT_URING();
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, io_uring_queue_init(64, &ring, 0));
	bufs = bufpool_uring_bufs_create(&ring, pool, ENTRIES, 4096, BGID, &err);
	ASSERT_NE(NULL, bufs) TH_LOG("create: %s", strerror(-err));
	EXPECT_EQ(NULL, bufpool_uring_bufs_create(&ring, pool, ENTRIES, 4096, BGID, &err));
	EXPECT_EQ(-EEXIST, err);
	EXPECT_EQ(ENTRIES, live_bufs(pool));
	for (i = 0; i < NCONN; i++) {
		ASSERT_EQ(0, tcp_pair(&cli[i], &srv[i]));
		arm_recv(&ring, srv[i], i);
	}
	ASSERT_EQ(NCONN, io_uring_submit(&ring));
	/* Idle: nothing completes, no buffer is taken from the ring. */
	EXPECT_EQ(-ETIME, io_uring_wait_cqe_timeout(&ring, &cqe, &ts));
	bufpool_uring_bufs_stats(bufs, &us);
	EXPECT_EQ(ENTRIES, us.in_ring);
	EXPECT_EQ(0, us.taken);
	EXPECT_EQ(ENTRIES, live_bufs(pool));

	for (i = 0; i < SENT; i++) {
		memset(msg, 'a' + i, sizeof(msg));
		ASSERT_EQ(sizeof(msg), write(cli[i * 10], msg, sizeof(msg)));
	}
	for (n = 0; n < SENT; n++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
		i = (int)cqe->user_data;
		ASSERT_EQ(sizeof(msg), cqe->res);
		EXPECT_TRUE(cqe->flags & IORING_CQE_F_MORE);
		got[n] = bufpool_uring_bufs_take(bufs, cqe);
		io_uring_cqe_seen(&ring, cqe);
		ASSERT_NE(NULL, got[n]);
		EXPECT_EQ(sizeof(msg), bufpool_buf_readable(got[n]));
		EXPECT_EQ(4096, bufpool_buf_capacity(got[n]));
		EXPECT_EQ('a' + i / 10, ((char *)bufpool_buf_data(got[n]))[0]);
		EXPECT_EQ('a' + i / 10, ((char *)bufpool_buf_data(got[n]))[sizeof(msg) - 1]);
	}
	bufpool_uring_bufs_stats(bufs, &us);
	EXPECT_EQ(ENTRIES, us.in_ring);
	EXPECT_EQ(SENT, us.taken);
	EXPECT_EQ(ENTRIES + SENT, live_bufs(pool));
	for (n = 0; n < SENT; n++)
		EXPECT_EQ(1, bufpool_buf_release(got[n]));
	EXPECT_EQ(ENTRIES, live_bufs(pool));

	for (i = 0; i < NCONN; i++)
		shutdown(srv[i], SHUT_RDWR);	/* each multishot recv ends with 0 */
	for (n = 0; n < NCONN; n++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
		EXPECT_EQ(0, cqe->res);
		EXPECT_EQ(NULL, bufpool_uring_bufs_take(bufs, cqe));
		io_uring_cqe_seen(&ring, cqe);
	}
	bufpool_uring_bufs_destroy(bufs);
	EXPECT_EQ(0, active(pool));
	for (i = 0; i < NCONN; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	io_uring_queue_exit(&ring);
	bufpool_destroy(pool);
}

/*
 * One slot, 256 messages, each buffer released after use: the ring is
 * refilled 256 times, but from the memory released before - a handful of
 * addresses (two: the slot's and the one in use), never a leak (the pool holds the one slot after each round).
 */
TEST(released_buffers_come_back_to_the_ring)
{
	enum { ROUNDS = 256 };
	struct bufpool *pool = new_pool();
	struct bufpool_uring_bufs *bufs;
	void *seen[ROUNDS];
	int cli, srv, r, k, distinct = 0, err;
	struct io_uring_cqe *cqe;
	struct bufpool_buf *b;
	struct io_uring ring;
	unsigned char c;

	SKIP_WITHOUT_URING();
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	bufs = bufpool_uring_bufs_create(&ring, pool, 1, 1024, BGID, &err);
	ASSERT_NE(NULL, bufs);
	ASSERT_EQ(0, tcp_pair(&cli, &srv));
	arm_recv(&ring, srv, 0);
	for (r = 0; r < ROUNDS; r++) {
		c = (unsigned char)r;
		ASSERT_EQ(1, write(cli, &c, 1));
		ASSERT_EQ(0, io_uring_submit_and_wait(&ring, 1) < 0);
		ASSERT_EQ(0, io_uring_peek_cqe(&ring, &cqe));
		ASSERT_EQ(1, cqe->res);
		b = bufpool_uring_bufs_take(bufs, cqe);
		if (!(cqe->flags & IORING_CQE_F_MORE))
			arm_recv(&ring, srv, 0);	/* the one slot was in use */
		io_uring_cqe_seen(&ring, cqe);
		ASSERT_NE(NULL, b);
		EXPECT_EQ(c, *(unsigned char *)bufpool_buf_data(b));
		seen[r] = bufpool_buf_data(b);
		for (k = 0; k < r && seen[k] != seen[r]; k++)
			;
		distinct += k == r;
		EXPECT_EQ(1 + 1, live_bufs(pool));	/* the slot and b */
		EXPECT_EQ(1, bufpool_buf_release(b));
		EXPECT_EQ(1, live_bufs(pool));
	}
	TH_LOG("%d rounds used %d distinct buffers", ROUNDS, distinct);
	EXPECT_LE(distinct, 8);
	shutdown(srv, SHUT_RDWR);
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	io_uring_cqe_seen(&ring, cqe);
	bufpool_uring_bufs_destroy(bufs);
	EXPECT_EQ(0, active(pool));
	close(cli);
	close(srv);
	io_uring_queue_exit(&ring);
	bufpool_destroy(pool);
}

/*
 * Four connections send at once into a ring of two: the kernel fills the
 * two and ends the other receives with -ENOBUFS; after the take refills
 * the ring and they are armed again, every byte arrives, once, in order.
 */
TEST(ring_runs_dry_and_recovers)
{
	enum { NCONN = 4, MSG = 64, ROUNDS = 8 };
	struct bufpool *pool = new_pool();
	struct bufpool_uring_bufs *bufs;
	struct bufpool_uring_stats us;
	int cli[NCONN], srv[NCONN], i, r, err, enobufs = 0;
	size_t got[NCONN] = { 0 };
	unsigned char msg[MSG];
	struct io_uring_cqe *cqe;
	struct bufpool_buf *b;
	struct io_uring ring;
	unsigned char *p;
	size_t k;

	SKIP_WITHOUT_URING();
	ASSERT_NE(NULL, pool);
	ASSERT_EQ(0, io_uring_queue_init(16, &ring, 0));
	bufs = bufpool_uring_bufs_create(&ring, pool, 2, 4096, BGID, &err);
	ASSERT_NE(NULL, bufs);
	for (i = 0; i < NCONN; i++) {
		ASSERT_EQ(0, tcp_pair(&cli[i], &srv[i]));
		arm_recv(&ring, srv[i], i);
	}
	io_uring_submit(&ring);
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < NCONN; i++) {
			for (k = 0; k < MSG; k++)
				msg[k] = pattern(i, r * MSG + k);
			ASSERT_EQ(MSG, write(cli[i], msg, MSG));
		}
		for (i = 0; i < NCONN; i++)
			while (got[i] < (size_t)(r + 1) * MSG) {
				ASSERT_EQ(0, io_uring_submit_and_wait(&ring, 1) < 0);
				ASSERT_EQ(0, io_uring_peek_cqe(&ring, &cqe));
				b = bufpool_uring_bufs_take(bufs, cqe);
				if (cqe->res == -ENOBUFS)
					enobufs++;
				else
					ASSERT_LT(0, cqe->res) TH_LOG("res %d", cqe->res);
				if (!(cqe->flags & IORING_CQE_F_MORE))
					arm_recv(&ring, srv[cqe->user_data], cqe->user_data);
				if (b) {
					p = bufpool_buf_data(b);
					for (k = 0; k < bufpool_buf_readable(b); k++)
						ASSERT_EQ(pattern(cqe->user_data, got[cqe->user_data] + k),
							  p[k]);
					got[cqe->user_data] += bufpool_buf_readable(b);
					bufpool_buf_release(b);
				}
				io_uring_cqe_seen(&ring, cqe);
			}
	}
	TH_LOG("%d receives ended with ENOBUFS and were armed again", enobufs);
	for (i = 0; i < NCONN; i++)
		EXPECT_EQ((size_t)ROUNDS * MSG, got[i]);
	bufpool_uring_bufs_stats(bufs, &us);
	EXPECT_EQ(2, us.in_ring);
	EXPECT_EQ(2, live_bufs(pool));
	for (i = 0; i < NCONN; i++)
		shutdown(srv[i], SHUT_RDWR);
	for (i = 0; i < NCONN; i++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
		io_uring_cqe_seen(&ring, cqe);
	}
	bufpool_uring_bufs_destroy(bufs);
	EXPECT_EQ(0, active(pool));
	for (i = 0; i < NCONN; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	io_uring_queue_exit(&ring);
	bufpool_destroy(pool);
}

/* --- the echo server under a bounded load --------------------------------- */

struct load {
	int port;
	unsigned int conn;
	unsigned int messages;
	unsigned long bytes;
	int error;		/* 0, or the line where it went wrong */
};

static const size_t load_sizes[] = { 1, 100, 2048, 2049, 5000, 65536 };

/* One connection: send each message whole, read its echo whole, compare. */
static void *load_conn(void *arg)
{
	struct load *l = arg;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(l->port) };
	unsigned long off = 0;
	unsigned char *out, *in;
	unsigned int m;
	size_t n, k;
	ssize_t r;
	int fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	out = malloc(65536);
	in = malloc(65536);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (!out || !in || fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		l->error = __LINE__;
		goto out;
	}
	for (m = 0; m < l->messages && !l->error; m++) {
		n = load_sizes[(m + l->conn) % (sizeof(load_sizes) / sizeof(load_sizes[0]))];
		for (k = 0; k < n; k++)
			out[k] = pattern(l->conn, off + k);
		for (k = 0; k < n; k += r) {
			r = write(fd, out + k, n - k);
			if (r <= 0) {
				l->error = __LINE__;
				goto out;
			}
		}
		for (k = 0; k < n; k += r) {
			r = read(fd, in + k, n - k);
			if (r <= 0) {
				l->error = __LINE__;
				goto out;
			}
		}
		if (memcmp(in, out, n))
			l->error = __LINE__;
		off += n;
		l->bytes += n;
	}
	shutdown(fd, SHUT_WR);
	if (!l->error && read(fd, in, 1) != 0)	/* the server closes after us */
		l->error = __LINE__;
out:
	if (fd >= 0)
		close(fd);
	free(out);
	free(in);
	return NULL;
}

/*
 * The example server, as a child: CONNS connections × MESSAGES messages of
 * 1 B .. 64 KiB through a ring of 16 buffers of 2 KiB, every echoed byte
 * compared; the server exits by itself after CONNS connections and only
 * with status 0 if its pool has no live buffer left.
 */
TEST(echo_server)
{
	enum { CONNS = 16, MESSAGES = 40 };
	const char *bin = getenv("URING_ECHO") ?: "build/bin/uring_echo";
	struct load l[CONNS];
	pthread_t t[CONNS];
	unsigned long total = 0, served = 0, live = 1;
	int pipefd[2], status, port = 0;
	char nconns[16], line[128];
	unsigned int i;
	FILE *out;
	pid_t pid;

	SKIP_WITHOUT_URING();
	ASSERT_EQ(0, access(bin, X_OK)) TH_LOG("%s: %s", bin, strerror(errno));
	ASSERT_EQ(0, pipe(pipefd));
	snprintf(nconns, sizeof(nconns), "%d", CONNS);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execl(bin, bin, "-n", nconns, "-e", "16", "-b", "2048", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, fgets(line, sizeof(line), out));
	ASSERT_EQ(1, sscanf(line, "port %d", &port)) TH_LOG("server said: %s", line);
	for (i = 0; i < CONNS; i++) {
		l[i] = (struct load){ .port = port, .conn = i, .messages = MESSAGES };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, load_conn, &l[i]));
	}
	for (i = 0; i < CONNS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, l[i].error) TH_LOG("connection %u failed at line %d", i, l[i].error);
		total += l[i].bytes;
	}
	ASSERT_NE(NULL, fgets(line, sizeof(line), out));
	line[strcspn(line, "\n")] = '\0';
	TH_LOG("client: %lu bytes echoed and checked; server: %s", total, line);
	fclose(out);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(3, sscanf(line, "served %u connections, %lu bytes, active %lu",
			    &i, &served, &live));
	EXPECT_EQ(CONNS, i);
	EXPECT_EQ(total, served);
	EXPECT_EQ(0, live);
}

TEST_HARNESS_MAIN
