/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_recv.h - adaptive receive sizing (Netty 4.1.48's
 * AdaptiveRecvByteBufAllocator with DefaultMaxMessagesRecvByteBufAllocator's
 * handle), the same API in the kernel (<linux/bufpool.h>) and in userspace
 * (<bufpool.h>), which both include this file.
 *
 * A handle belongs to one connection and is used by one thread at a time
 * (no locking).  It answers "how large a buffer for the next read?" from
 * what the previous reads returned, and "read again?" inside one read loop:
 *
 *	bufpool_recv_reset(h);
 *	do {
 *		b = bufpool_buf_alloc(pool, bufpool_recv_guess(h), ...);
 *		bufpool_recv_set_attempted_bytes(h, bufpool_buf_writable(b));
 *		n = read into b's writable bytes, at most attempted;
 *		bufpool_recv_set_last_bytes_read(h, n);	(-1 at EOF)
 *		if (n <= 0) { release b; break; }
 *		bufpool_recv_inc_messages_read(h, 1);
 *		hand b on;
 *	} while (bufpool_recv_continue_reading(h));
 *	bufpool_recv_read_complete(h);
 *
 * The guess is an entry of a size table (16..496 in steps of 16, then the
 * powers of two 512..2^30) between the entries for the minimum and the
 * maximum.  It moves up by four entries as soon as a read fills the
 * attempted bytes and at the end of a loop whose total reached the guess;
 * it moves down by one entry only when two loops in a row ended with a
 * total no larger than the entry below.  A loop goes on while fewer than
 * max_reads reads were made, something was read, and the last read filled
 * what was attempted (a short read means the socket is drained).
 *
 * Byte counts are int, as in Netty: a guess is at most 2^30.
 */
#ifndef _BUFPOOL_RECV_H
#define _BUFPOOL_RECV_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Netty's defaults (AdaptiveRecvByteBufAllocator(), a socket channel's
 * ChannelMetadata.defaultMaxMessagesPerRead()).
 */
#define BUFPOOL_RECV_DEFAULT_MINIMUM	64
#define BUFPOOL_RECV_DEFAULT_INITIAL	1024
#define BUFPOOL_RECV_DEFAULT_MAXIMUM	65536
#define BUFPOOL_RECV_DEFAULT_MAX_READS	16

/**
 * struct bufpool_recv_config - bounds of the adaptive guess
 * @minimum: smallest guess (rounded up to a table entry); > 0
 * @initial: first guess (rounded up to a table entry, not clamped, as in
 *           Netty); >= @minimum
 * @maximum: largest guess (rounded down to a table entry); >= @initial
 * @max_reads: reads per loop at most (Netty's maxMessagesPerRead); > 0
 */
struct bufpool_recv_config {
	int minimum;
	int initial;
	int maximum;
	int max_reads;
};

/**
 * struct bufpool_recv_handle - one connection's receive sizing state
 * @min_index: table index of the smallest guess
 * @max_index: table index of the largest guess
 * @index: table index of the current guess
 * @next_size: the current guess, size_table[@index]
 * @decrease_now: the last loop was small: the next small one steps down
 * @max_reads: reads per loop at most
 * @messages: reads counted in this loop (bufpool_recv_inc_messages_read())
 * @total_bytes: bytes read in this loop (INT_MAX once it overflowed)
 * @attempted: bytes the current read may take
 * @last: what the last read returned (< 0: EOF or error)
 *
 * Read the fields through the functions below; their layout may change.
 */
struct bufpool_recv_handle {
	int min_index;
	int max_index;
	int index;
	int next_size;
	bool decrease_now;
	int max_reads;
	int messages;
	int total_bytes;
	int attempted;
	int last;
};

void bufpool_recv_config_init(struct bufpool_recv_config *cfg);
int bufpool_recv_init(struct bufpool_recv_handle *h, const struct bufpool_recv_config *cfg);
void bufpool_recv_reset(struct bufpool_recv_handle *h);
void bufpool_recv_set_last_bytes_read(struct bufpool_recv_handle *h, int bytes);
bool bufpool_recv_continue_reading(const struct bufpool_recv_handle *h);
void bufpool_recv_read_complete(struct bufpool_recv_handle *h);
int bufpool_recv_size_table(int index);
int bufpool_recv_size_table_index(int size);

/* Accessors: one load or store each, inline. */

/* The size the next buffer should have. */
static inline int bufpool_recv_guess(const struct bufpool_recv_handle *h)
{
	return h->next_size;
}

/* The bytes the coming read may take: the buffer's writable bytes. */
static inline void bufpool_recv_set_attempted_bytes(struct bufpool_recv_handle *h, int bytes)
{
	h->attempted = bytes;
}

static inline int bufpool_recv_attempted_bytes(const struct bufpool_recv_handle *h)
{
	return h->attempted;
}

/* What the last read returned, as given to bufpool_recv_set_last_bytes_read(). */
static inline int bufpool_recv_last_bytes_read(const struct bufpool_recv_handle *h)
{
	return h->last;
}

/* Count @n messages (reads handed on) in this loop. */
static inline void bufpool_recv_inc_messages_read(struct bufpool_recv_handle *h, int n)
{
	h->messages += n;
}

static inline int bufpool_recv_messages_read(const struct bufpool_recv_handle *h)
{
	return h->messages;
}

/* Bytes read in this loop; INT_MAX (0x7fffffff) once the count overflowed. */
static inline int bufpool_recv_total_bytes_read(const struct bufpool_recv_handle *h)
{
	return h->total_bytes < 0 ? 0x7fffffff : h->total_bytes;
}

#ifdef __cplusplus
}
#endif

#endif /* _BUFPOOL_RECV_H */
