/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * bufpool_buf.h - refcounted pooled buffers (Netty's ByteBuf), the same API
 * in the kernel (<linux/bufpool.h>) and in userspace (<bufpool.h>), which
 * both include this file.  Only bufpool_buf_alloc() differs: the kernel's
 * takes a gfp_t.
 *
 * A buffer has 0 <= reader_index <= writer_index <= capacity <=
 * max_capacity.  Writes go at the writer index, reads come from the reader
 * index; get/set work at absolute indexes and move nothing.  A write past
 * the capacity grows the buffer as Netty 4.1's pooled ByteBuf does: in
 * place, to all of its pool element (up to max_capacity), if the write
 * fits there (bufpool_buf_max_fast_writable_bytes()); else it moves to a
 * new allocation of bufpool_buf_new_capacity() bytes.  Past max_capacity
 * the write fails and nothing changes.  Multi-byte values are big-endian
 * (Netty's default) unless the name ends in _le.
 *
 * Reference counting: a new buffer has one reference; retain adds one,
 * release drops one and at zero gives the memory and the descriptor back
 * to the pool.  Slices and duplicates share the memory and the count with
 * their buffer but have their own indexes.  Misuse - retain or release of
 * a released buffer - never frees twice: it returns -EINVAL (the kernel
 * also warns once) and counts buf_refcnt_errors; any other operation on a
 * released buffer returns -EINVAL and touches nothing.  That holds until
 * the descriptor is reused: past that a stale pointer is a use after free
 * (best-effort checks, as for double frees).  Growth allocates with the
 * gfp flags the buffer was allocated with (kernel).
 *
 * The header stands alone: in C (C99 and later) and C++ (declarations in
 * extern "C"), in userspace (<stddef.h>, <stdint.h>) and the kernel
 * (<linux/types.h>).
 *
 * Errors are negative errnos: -ERANGE for an index, length or capacity out
 * of range, -EINVAL for a released buffer, -ENOMEM when growth fails.
 */
#ifndef _BUFPOOL_BUF_H
#define _BUFPOOL_BUF_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct bufpool;
struct bufpool_buf;

/* Leak detection levels (struct bufpool_config.leak_detection). */
enum bufpool_leak_level {
	BUFPOOL_LEAK_SIMPLE = 0,	/* default: 1 in leak_sample_rate tracked */
	BUFPOOL_LEAK_DISABLED,
	BUFPOOL_LEAK_ADVANCED,		/* sampled, and records last accesses */
	BUFPOOL_LEAK_PARANOID,		/* every buffer, with last accesses */
	BUFPOOL_NR_LEAK_LEVELS,
};

int bufpool_buf_retain(struct bufpool_buf *b);
int bufpool_buf_release(struct bufpool_buf *b);
unsigned int bufpool_buf_refcnt(const struct bufpool_buf *b);

size_t bufpool_buf_reader_index(const struct bufpool_buf *b);
size_t bufpool_buf_writer_index(const struct bufpool_buf *b);
size_t bufpool_buf_capacity(const struct bufpool_buf *b);
size_t bufpool_buf_max_capacity(const struct bufpool_buf *b);
size_t bufpool_buf_readable(const struct bufpool_buf *b);
size_t bufpool_buf_writable(const struct bufpool_buf *b);
size_t bufpool_buf_max_fast_writable_bytes(const struct bufpool_buf *b);
int bufpool_buf_set_index(struct bufpool_buf *b, size_t reader, size_t writer);
void *bufpool_buf_data(struct bufpool_buf *b);

int bufpool_buf_write(struct bufpool_buf *b, const void *src, size_t len);
int bufpool_buf_read(struct bufpool_buf *b, void *dst, size_t len);
int bufpool_buf_get(const struct bufpool_buf *b, size_t index, void *dst, size_t len);
int bufpool_buf_set(struct bufpool_buf *b, size_t index, const void *src, size_t len);
int bufpool_buf_skip(struct bufpool_buf *b, size_t len);
int bufpool_buf_clear(struct bufpool_buf *b);
int bufpool_buf_discard_read_bytes(struct bufpool_buf *b);
int bufpool_buf_ensure_writable(struct bufpool_buf *b, size_t len);
size_t bufpool_buf_new_capacity(size_t min_capacity, size_t max_capacity);

#define BUFPOOL_BUF_DECLARE_INT(bits)						\
int bufpool_buf_write_u##bits(struct bufpool_buf *b, uint##bits##_t v);		\
int bufpool_buf_read_u##bits(struct bufpool_buf *b, uint##bits##_t *v);		\
int bufpool_buf_get_u##bits(const struct bufpool_buf *b, size_t index,		\
			    uint##bits##_t *v);					\
int bufpool_buf_set_u##bits(struct bufpool_buf *b, size_t index, uint##bits##_t v)
#define BUFPOOL_BUF_DECLARE_INT_LE(bits)					\
int bufpool_buf_write_u##bits##_le(struct bufpool_buf *b, uint##bits##_t v);	\
int bufpool_buf_read_u##bits##_le(struct bufpool_buf *b, uint##bits##_t *v);	\
int bufpool_buf_get_u##bits##_le(const struct bufpool_buf *b, size_t index,	\
				 uint##bits##_t *v);				\
int bufpool_buf_set_u##bits##_le(struct bufpool_buf *b, size_t index, uint##bits##_t v)

BUFPOOL_BUF_DECLARE_INT(8);
BUFPOOL_BUF_DECLARE_INT(16);
BUFPOOL_BUF_DECLARE_INT(32);
BUFPOOL_BUF_DECLARE_INT(64);
BUFPOOL_BUF_DECLARE_INT_LE(16);
BUFPOOL_BUF_DECLARE_INT_LE(32);
BUFPOOL_BUF_DECLARE_INT_LE(64);

/* Share memory and count; own indexes.  slice: [index, index + len) of
 * @b's capacity, fixed capacity; duplicate: all of it, indexes copied. */
struct bufpool_buf *bufpool_buf_slice(struct bufpool_buf *b, size_t index, size_t len);
struct bufpool_buf *bufpool_buf_retained_slice(struct bufpool_buf *b, size_t index, size_t len);
struct bufpool_buf *bufpool_buf_duplicate(struct bufpool_buf *b);

#ifdef __cplusplus
}
#endif

#endif /* _BUFPOOL_BUF_H */
