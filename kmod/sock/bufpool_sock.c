// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bufpool_sock.c - an in-kernel consumer of the seed's read path: a
 * loopback TCP connection read into bufpool_bufs with the adaptive receive
 * handle, run at load time; insmod fails (-EIO) if anything was wrong.
 *
 * Kernel sockets on 127.0.0.1 (the guest must have brought lo up): a
 * listener, a client connected to it, and the accepted end, whose
 * sk_data_ready queues the reader's work - the kernel's counterpart of a
 * selector saying "readable".  The work runs Netty's
 * NioByteUnsafe.read() loop:
 *
 *	reset the handle;
 *	do {
 *		buffer of guess() bytes; attempted = its writable bytes;
 *		kernel_recvmsg(MSG_DONTWAIT) into the writable region;
 *		last = bytes read (0 for EAGAIN, -1 at EOF);
 *		if (last <= 0) release the buffer, stop;
 *		count the message, hand the buffer on (here: check, release);
 *	} while (continue_reading());
 *	read_complete();
 *
 * A loop that stopped at max_reads with its last read full leaves data
 * behind and no new data_ready may come: the work queues itself again, as
 * a level-triggered selector would select the channel again.
 *
 * The sender (the loading thread) first sends a bulk of @bulk_kib KiB - the
 * guess must climb from 1024 (a full read moves it up four entries at
 * once) - then @small_msgs messages of @small_size bytes, each read before
 * the next is sent - two small loops in a row move it down one entry, so
 * it must come down to the table entry of @small_size - then shuts down its
 * side: the reader must see EOF.  Every byte is checked against its offset
 * in the stream, and at the end the pool (its own) must hold nothing.
 *
 * Lock order: sk_callback_lock (the data_ready hook) alone; the reader's
 * counters are written by the work only and read after flush_work().
 */
#include <linux/in.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <linux/bufpool.h>

static unsigned int bulk_kib = 1024;
module_param(bulk_kib, uint, 0444);
MODULE_PARM_DESC(bulk_kib, "KiB sent in one go first (default 1024, 1..65536)");

static unsigned int small_msgs = 100;
module_param(small_msgs, uint, 0444);
MODULE_PARM_DESC(small_msgs, "small messages sent one at a time next (default 100)");

static unsigned int small_size = 100;
module_param(small_size, uint, 0444);
MODULE_PARM_DESC(small_size, "bytes per small message (default 100, 1..496)");

/* Generous: a TCG guest is slow, a stuck reader is not. */
#define SOCK_WAIT	(30 * HZ)
#define SOCK_CHUNK	65536u	/* bytes per kernel_sendmsg() */

/**
 * struct sock_reader - the accepted end and its read loop
 * @sock: the accepted socket
 * @pool: where buffers come from
 * @h: the adaptive receive handle (work only)
 * @work: the read loop, queued by data_ready
 * @saved_data_ready: the socket's own data_ready, put back at the end
 * @wait: the sender waits here for @received / @eof
 * @received: bytes read and checked so far
 * @eof: the loop read EOF
 * @error: the first error (-ENOMEM, a recvmsg error)
 * @bad: bytes that differed from the stream's pattern
 * @reads: reads that returned data
 * @loops: read loops run
 * @max_guess: the largest buffer a read asked for
 */
struct sock_reader {
	struct socket *sock;
	struct bufpool *pool;
	struct bufpool_recv_handle h;
	struct work_struct work;
	void (*saved_data_ready)(struct sock *sk);
	wait_queue_head_t wait;
	u64 received;
	bool eof;
	int error;
	u64 bad, reads, loops;
	int max_guess;
};

static struct workqueue_struct *sock_wq;

/* The stream's byte at offset @off: what the sender sends, the reader checks. */
static u8 pattern(u64 off)
{
	return (u8)(off * 7 + (off >> 9));
}

/* Softirq (TCP receive): wake the reader; sk_user_data is the reader. */
static void sock_data_ready(struct sock *sk)
{
	struct sock_reader *r;

	read_lock_bh(&sk->sk_callback_lock);
	r = sk->sk_user_data;
	if (r)
		queue_work(sock_wq, &r->work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/* Netty's fireChannelRead(): here, check the bytes and release the buffer. */
static void sock_consume(struct sock_reader *r, struct bufpool_buf *b)
{
	const u8 *p = (const u8 *)bufpool_buf_data(b) + bufpool_buf_reader_index(b);
	size_t i, n = bufpool_buf_readable(b);

	for (i = 0; i < n; i++)
		if (p[i] != pattern(r->received + i))
			r->bad++;
	WRITE_ONCE(r->received, r->received + n);
	bufpool_buf_release(b);
}

/* One read: into @b's writable bytes; Netty's doReadBytes() result. */
static int sock_read_once(struct sock_reader *r, struct bufpool_buf *b)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec iov = {
		.iov_base = (u8 *)bufpool_buf_data(b) + bufpool_buf_writer_index(b),
		.iov_len = bufpool_buf_writable(b),
	};
	int n;

	n = kernel_recvmsg(r->sock, &msg, &iov, 1, iov.iov_len, MSG_DONTWAIT);
	if (n == -EAGAIN)
		return 0;	/* nothing there: NIO's read() returns 0 */
	if (n == 0)
		return -1;	/* EOF: NIO's -1 */
	if (n < 0 && !r->error)
		r->error = n;
	return n;
}

static void sock_read_loop(struct work_struct *work)
{
	struct sock_reader *r = container_of(work, struct sock_reader, work);
	struct bufpool_recv_handle *h = &r->h;
	struct bufpool_buf *b;
	bool again = false;
	int guess, n;

	if (r->eof || r->error)
		return;
	bufpool_recv_reset(h);
	do {
		guess = bufpool_recv_guess(h);
		r->max_guess = max(r->max_guess, guess);
		b = bufpool_buf_alloc(r->pool, guess, guess, GFP_KERNEL);
		if (!b) {
			r->error = -ENOMEM;
			break;
		}
		bufpool_recv_set_attempted_bytes(h, bufpool_buf_writable(b));
		n = sock_read_once(r, b);
		bufpool_recv_set_last_bytes_read(h, n);
		if (n <= 0) {
			bufpool_buf_release(b);
			if (n == -1)
				WRITE_ONCE(r->eof, true);
			break;
		}
		bufpool_buf_set_index(b, 0, n);
		r->reads++;
		bufpool_recv_inc_messages_read(h, 1);
		sock_consume(r, b);
		/* Stopped at max_reads with the last read full: more is there. */
		again = n == bufpool_recv_attempted_bytes(h);
	} while (bufpool_recv_continue_reading(h));
	bufpool_recv_read_complete(h);
	r->loops++;
	if (again && !r->eof && !r->error)
		queue_work(sock_wq, &r->work);
	wake_up(&r->wait);
}

/* Send @len bytes of the stream from offset *@off, blocking. */
static int sock_send(struct socket *s, u64 *off, size_t len, u8 *tmp)
{
	struct msghdr msg = { };
	struct kvec iov;
	size_t i, n;
	int ret;

	while (len) {
		n = min_t(size_t, len, SOCK_CHUNK);
		for (i = 0; i < n; i++)
			tmp[i] = pattern(*off + i);
		iov.iov_base = tmp;
		iov.iov_len = n;
		ret = kernel_sendmsg(s, &msg, &iov, 1, n);
		if (ret <= 0)
			return ret ? ret : -EPIPE;
		*off += ret;	/* a partial send: the loop sends the rest */
		len -= ret;
	}
	return 0;
}

/* Wait until the reader has checked @want bytes and its loop is over. */
static int sock_wait_for(struct sock_reader *r, u64 want)
{
	if (!wait_event_timeout(r->wait, READ_ONCE(r->received) >= want ||
				READ_ONCE(r->eof) || READ_ONCE(r->error), SOCK_WAIT))
		return -ETIMEDOUT;
	flush_work(&r->work);
	if (r->error)
		return r->error;
	return r->received == want ? 0 : -EIO;
}

/* A listener on 127.0.0.1, a free port; *@sin gets its address. */
static int sock_listen(struct socket **ls, struct sockaddr_in *sin)
{
	int ret;

	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, ls);
	if (ret)
		return ret;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ret = kernel_bind(*ls, (struct sockaddr *)sin, sizeof(*sin));
	if (!ret)
		ret = kernel_listen(*ls, 1);
	if (!ret)
		ret = kernel_getsockname(*ls, (struct sockaddr *)sin);
	return ret < 0 ? ret : 0;
}

static void sock_hook(struct sock_reader *r, bool on)
{
	struct sock *sk = r->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	if (on) {
		r->saved_data_ready = sk->sk_data_ready;
		sk->sk_user_data = r;
		sk->sk_data_ready = sock_data_ready;
	} else {
		/*
		 * The sock may outlive sock_release() (FIN, TIME_WAIT) and
		 * this module: it must not call back into it.
		 */
		sk->sk_data_ready = r->saved_data_ready;
		sk->sk_user_data = NULL;
	}
	write_unlock_bh(&sk->sk_callback_lock);
}

static int sock_run(struct sock_reader *r, struct socket *cli, u8 *tmp)
{
	u64 sent = 0;
	int ret, bulk_max, small_guess;
	unsigned int i;

	ret = sock_send(cli, &sent, (size_t)bulk_kib << 10, tmp);
	if (!ret)
		ret = sock_wait_for(r, sent);
	if (ret)
		return ret;
	bulk_max = r->max_guess;
	pr_info("bufpool_sock: bulk: %u KiB in %llu reads, %llu loops; guess 1024 -> at most %d\n",
		bulk_kib, r->reads, r->loops, bulk_max);
	for (i = 0; i < small_msgs && !ret; i++) {
		ret = sock_send(cli, &sent, small_size, tmp);
		if (!ret)
			ret = sock_wait_for(r, sent);
	}
	if (ret)
		return ret;
	small_guess = bufpool_recv_guess(&r->h);
	pr_info("bufpool_sock: small: %u x %u B; guess now %d (table entry for %u B: %d)\n",
		small_msgs, small_size, small_guess, small_size,
		bufpool_recv_size_table(bufpool_recv_size_table_index(small_size)));
	kernel_sock_shutdown(cli, SHUT_WR);
	if (!wait_event_timeout(r->wait, READ_ONCE(r->eof) || READ_ONCE(r->error), SOCK_WAIT))
		return -ETIMEDOUT;
	flush_work(&r->work);
	if (r->error)
		return r->error;
	pr_info("bufpool_sock: %llu bytes in %llu reads, %llu loops, %llu bad, EOF seen\n",
		r->received, r->reads, r->loops, r->bad);
	if (r->bad || r->received != sent)
		return -EIO;
	/* Up: a full read of 1024 B moves four entries, to 16 KiB at once. */
	if (bulk_max < 16384)
		return -EIO;
	/* Down: to the entry of the small size, or below after empty loops. */
	if (small_msgs >= 100 &&
	    (small_guess > bufpool_recv_size_table(bufpool_recv_size_table_index(small_size)) ||
	     small_guess < BUFPOOL_RECV_DEFAULT_MINIMUM))
		return -EIO;
	return 0;
}

static int __init bufpool_sock_init(void)
{
	struct bufpool_recv_config cfg;
	struct socket *ls = NULL, *cli = NULL;
	struct sock_reader *r;
	struct sockaddr_in sin;
	struct bufpool_stats st;
	u8 *tmp;
	int ret;

	if (!bulk_kib || bulk_kib > 65536 || !small_size || small_size > 496)
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	tmp = kmalloc(SOCK_CHUNK, GFP_KERNEL);
	sock_wq = alloc_workqueue("bufpool_sock", 0, 0);
	if (!r || !tmp || !sock_wq) {
		ret = -ENOMEM;
		goto free;
	}
	r->pool = bufpool_create(NULL);
	if (IS_ERR(r->pool)) {
		ret = PTR_ERR(r->pool);
		r->pool = NULL;
		goto free;
	}
	init_waitqueue_head(&r->wait);
	INIT_WORK(&r->work, sock_read_loop);
	bufpool_recv_config_init(&cfg);
	ret = bufpool_recv_init(&r->h, &cfg);
	if (ret)
		goto free;

	ret = sock_listen(&ls, &sin);
	if (!ret)
		ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &cli);
	if (!ret)
		ret = kernel_connect(cli, (struct sockaddr *)&sin, sizeof(sin), 0);
	if (!ret)
		ret = kernel_accept(ls, &r->sock, 0);
	if (ret) {
		pr_err("bufpool_sock: loopback TCP: %d (is lo up?)\n", ret);
		goto out;
	}
	sock_hook(r, true);
	queue_work(sock_wq, &r->work);	/* anything that came before the hook */
	ret = sock_run(r, cli, tmp);
	sock_hook(r, false);
out:
	/* No loop runs or is queued past this, even one that requeued itself. */
	drain_workqueue(sock_wq);
	if (r->sock)
		sock_release(r->sock);
	if (cli)
		sock_release(cli);
	if (ls)
		sock_release(ls);
	if (!ret) {
		bufpool_trim(r->pool);
		bufpool_get_stats(r->pool, &st);
		if (st.active || st.buf_refcnt_errors) {
			pr_err("bufpool_sock: %llu allocations live, %llu refcount errors\n",
			       st.active, st.buf_refcnt_errors);
			ret = -EIO;
		}
	}
	pr_info("bufpool_sock: %s (%d)\n", ret ? "FAILED" : "passed", ret);
free:
	if (r && r->pool)
		bufpool_destroy(r->pool);
	if (sock_wq)
		destroy_workqueue(sock_wq);
	kfree(tmp);
	kfree(r);
	return ret ? (ret == -EINVAL || ret == -ENOMEM ? ret : -EIO) : 0;
}

static void __exit bufpool_sock_exit(void)
{
}

module_init(bufpool_sock_init);
module_exit(bufpool_sock_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("bufpool: a loopback TCP socket read into pooled buffers with the adaptive receive handle");
