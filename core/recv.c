// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * recv.c - adaptive receive sizing: how large a buffer the next read of a
 * connection gets, and whether a read loop goes on.  API and the read loop:
 * include/bufpool_recv.h.
 *
 * This is Netty 4.1.48's AdaptiveRecvByteBufAllocator.HandleImpl on top of
 * DefaultMaxMessagesRecvByteBufAllocator.MaxMessageHandle, rule for rule as
 * the jar's bytecode has them (javap -c -p), including the quirks:
 *
 *  - record() runs twice per loop at most: from set_last_bytes_read() when
 *    a read filled exactly the attempted bytes, and from read_complete()
 *    with the loop's total.
 *  - "small" compares with the entry one below the current index (index 0
 *    compares with itself), "large" with the current guess.
 *  - The initial guess is size_table[index_of(initial)], not clamped to
 *    [minimum, maximum]; only moves are clamped.
 *  - index_of() is Netty's binary search, kept as is: for a size between
 *    two entries it can answer the lower one (initial = 700 gives 512).
 *    The constructor corrects the minimum's and maximum's indexes after it
 *    (an entry below the minimum moves up one, above the maximum down one);
 *    the initial guess gets no correction.
 *  - Continue only while the last read filled what was attempted
 *    (respectMaybeMoreData, on by default), fewer than max_reads messages
 *    were counted and the loop's total is > 0.  Netty also stops when the
 *    channel's autoRead is off; a handle has no channel, so that is the
 *    caller's business.
 *
 * The table: 16, 32, .., 496 (31 entries), then 512 << k while it fits a
 * Java int: 512 .. 2^30 (22 entries).  It is a closed form, so there is no
 * array to keep.
 */
#include <bufpool_seam.h>

/* Entries 16..496 in steps of 16. */
#define RECV_NR_LINEAR		31
#define RECV_LINEAR_STEP	16
/* Then 512 << k, k = 0..21 (2^30 is the last power of two in an int). */
#define RECV_NR_ENTRIES		(RECV_NR_LINEAR + 22)
/* Netty's INDEX_INCREMENT and INDEX_DECREMENT. */
#define RECV_INDEX_INCREMENT	4
#define RECV_INDEX_DECREMENT	1

/**
 * bufpool_recv_size_table() - an entry of the size table
 * @index: 0 .. 52 (clamped into that range)
 *
 * Context: any.
 * Return: the entry: 16 * (index + 1) below 31, 512 << (index - 31) from 31.
 */
int bufpool_recv_size_table(int index)
{
	if (index < 0)
		index = 0;
	if (index >= RECV_NR_ENTRIES)
		index = RECV_NR_ENTRIES - 1;
	if (index < RECV_NR_LINEAR)
		return RECV_LINEAR_STEP * (index + 1);
	return 512 << (index - RECV_NR_LINEAR);
}
EXPORT_SYMBOL_GPL(bufpool_recv_size_table);

/**
 * bufpool_recv_size_table_index() - Netty's getSizeTableIndex()
 * @size: a size in bytes
 *
 * Netty's binary search as it is: usually the index of the smallest entry
 * >= @size, but for some sizes between two entries the one below (see the
 * file comment); 0 for sizes <= 16, the last index above 2^30.
 *
 * Context: any.
 * Return: an index into the size table.
 */
int bufpool_recv_size_table_index(int size)
{
	int low = 0, high = RECV_NR_ENTRIES - 1;

	for (;;) {
		int mid, a, b;

		if (high < low)
			return low;
		if (high == low)
			return high;
		mid = (int)((unsigned int)(low + high) >> 1);
		a = bufpool_recv_size_table(mid);
		b = bufpool_recv_size_table(mid + 1);
		if (size > b)
			low = mid + 1;
		else if (size < a)
			high = mid - 1;
		else if (size == a)
			return mid;
		else
			return mid + 1;
	}
}
EXPORT_SYMBOL_GPL(bufpool_recv_size_table_index);

/**
 * bufpool_recv_config_init() - Netty's defaults
 * @cfg: filled with minimum 64, initial 1024, maximum 65536, 16 reads
 *
 * Context: any.
 */
void bufpool_recv_config_init(struct bufpool_recv_config *cfg)
{
	cfg->minimum = BUFPOOL_RECV_DEFAULT_MINIMUM;
	cfg->initial = BUFPOOL_RECV_DEFAULT_INITIAL;
	cfg->maximum = BUFPOOL_RECV_DEFAULT_MAXIMUM;
	cfg->max_reads = BUFPOOL_RECV_DEFAULT_MAX_READS;
}
EXPORT_SYMBOL_GPL(bufpool_recv_config_init);

/**
 * bufpool_recv_init() - a handle for a new connection
 * @h: the handle
 * @cfg: bounds, or NULL for Netty's defaults
 *
 * Netty's AdaptiveRecvByteBufAllocator(minimum, initial, maximum) then
 * newHandle() and reset(): the guess is the initial one and the loop
 * counters are zero.
 *
 * Context: any.
 * Return: 0; -EINVAL (and @h untouched) if minimum <= 0, initial < minimum,
 * maximum < initial or max_reads <= 0 - Netty's checks.
 */
int bufpool_recv_init(struct bufpool_recv_handle *h, const struct bufpool_recv_config *cfg)
{
	struct bufpool_recv_config def;
	int min_index, max_index;

	if (!cfg) {
		bufpool_recv_config_init(&def);
		cfg = &def;
	}
	if (cfg->minimum <= 0 || cfg->initial < cfg->minimum ||
	    cfg->maximum < cfg->initial || cfg->max_reads <= 0)
		return -EINVAL;

	min_index = bufpool_recv_size_table_index(cfg->minimum);
	if (bufpool_recv_size_table(min_index) < cfg->minimum)
		min_index++;
	max_index = bufpool_recv_size_table_index(cfg->maximum);
	if (bufpool_recv_size_table(max_index) > cfg->maximum)
		max_index--;

	memset(h, 0, sizeof(*h));
	h->min_index = min_index;
	h->max_index = max_index;
	h->index = bufpool_recv_size_table_index(cfg->initial);
	h->next_size = bufpool_recv_size_table(h->index);
	h->max_reads = cfg->max_reads;
	return 0;
}
EXPORT_SYMBOL_GPL(bufpool_recv_init);

/**
 * bufpool_recv_reset() - start a read loop
 * @h: the handle
 *
 * Zeroes the loop's message and byte counts; the guess stays.
 *
 * Context: any; the caller owns @h.
 */
void bufpool_recv_reset(struct bufpool_recv_handle *h)
{
	h->messages = 0;
	h->total_bytes = 0;
}
EXPORT_SYMBOL_GPL(bufpool_recv_reset);

/* Netty's record(): move the index after a read, or a loop, of @actual bytes. */
static void recv_record(struct bufpool_recv_handle *h, int actual)
{
	int below = h->index - RECV_INDEX_DECREMENT;

	if (actual <= bufpool_recv_size_table(below < 0 ? 0 : below)) {
		if (h->decrease_now) {
			h->index = below < h->min_index ? h->min_index : below;
			h->next_size = bufpool_recv_size_table(h->index);
			h->decrease_now = false;
		} else {
			h->decrease_now = true;
		}
	} else if (actual >= h->next_size) {
		h->index += RECV_INDEX_INCREMENT;
		if (h->index > h->max_index)
			h->index = h->max_index;
		h->next_size = bufpool_recv_size_table(h->index);
		h->decrease_now = false;
	}
}

/**
 * bufpool_recv_set_last_bytes_read() - what the last read returned
 * @h: the handle
 * @bytes: bytes read; 0 for nothing (EAGAIN); < 0 for EOF or an error
 *
 * A read that filled exactly the attempted bytes moves the guess at once
 * (Netty does so, so that the next buffer of the same loop is larger).
 * Positive counts add to the loop's total.
 *
 * Context: any; the caller owns @h.
 */
void bufpool_recv_set_last_bytes_read(struct bufpool_recv_handle *h, int bytes)
{
	if (bytes == h->attempted)
		recv_record(h, bytes);
	h->last = bytes;
	if (bytes > 0)	/* wraps as a Java int does; read back as INT_MAX */
		h->total_bytes = (int)((unsigned int)h->total_bytes + (unsigned int)bytes);
}
EXPORT_SYMBOL_GPL(bufpool_recv_set_last_bytes_read);

/**
 * bufpool_recv_continue_reading() - read again in this loop?
 * @h: the handle
 *
 * Context: any.
 * Return: true if the last read filled the attempted bytes, fewer than
 * max_reads messages were counted and the loop read something.
 */
bool bufpool_recv_continue_reading(const struct bufpool_recv_handle *h)
{
	return h->attempted == h->last && h->messages < h->max_reads &&
	       h->total_bytes > 0;
}
EXPORT_SYMBOL_GPL(bufpool_recv_continue_reading);

/**
 * bufpool_recv_read_complete() - end a read loop
 * @h: the handle
 *
 * Moves the guess after the loop's total: up four entries if it reached the
 * guess, down one if this and the previous loop were small.
 *
 * Context: any; the caller owns @h.
 */
void bufpool_recv_read_complete(struct bufpool_recv_handle *h)
{
	recv_record(h, bufpool_recv_total_bytes_read(h));
}
EXPORT_SYMBOL_GPL(bufpool_recv_read_complete);
