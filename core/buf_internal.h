/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * buf_internal.h - refcounted buffers (buf.c): the buffer descriptor, which
 * users see only as an opaque pointer, and the descriptor recycler.
 */
#ifndef _BUFPOOL_BUF_INTERNAL_H
#define _BUFPOOL_BUF_INTERNAL_H

#include <bufpool_seam.h>

struct bufpool;
struct bufpool_cache;
struct bufpool_leak;

#define BUFPOOL_BUF_RECYCLER_DEFAULT	256u
#define BUFPOOL_BUF_RECYCLER_MAX	65536u

/**
 * struct bufpool_buf - a buffer descriptor (buf.c); opaque to users
 * @next: in a cache's free list, or in the root's derived list.  First:
 *        a descriptor that goes back to a cache bin gets the cache mark in
 *        its first word, and that must not be @root.
 * @root: the buffer owning memory and count; itself for a root
 * @pool: the pool
 * @reader: reader index
 * @writer: writer index
 * @offset: derived: where its index 0 is in the root's memory
 * @cap: capacity (a duplicate uses its root's)
 * @max_cap: maximum capacity
 * @kind: root, slice or duplicate
 * @sampled: root: picked for leak tracking
 * @retained: derived: made by retained_slice; its release frees it
 * @gfp: root: the allocation's flags, used again to grow and derive
 * @mem: root: the allocation
 * @room: root: Netty's maxLength, what growth may use without a copy
 * @refcnt: root: the shared count; 0 on a released descriptor
 * @derived_lock: root: protects @derived
 * @derived: root: its slices and duplicates still linked to it
 * @leak: root: its leak record, if tracked
 */
struct bufpool_buf {
	struct bufpool_buf *next;
	struct bufpool_buf *root;
	struct bufpool *pool;
	size_t reader, writer;
	size_t offset;
	size_t cap, max_cap;
	u8 kind;
	bool sampled;
	bool retained;
	gfp_t gfp;
	u8 *mem;
	size_t room;
	refcount_t refcnt;
	spinlock_t derived_lock;	/* @derived */
	struct bufpool_buf *derived;
	struct bufpool_leak *leak;
};

/* buf.c */
struct bufpool_buf *bufpool_new_buf(struct bufpool *pool, size_t initial, size_t max, gfp_t gfp,
				    unsigned long caller);
void bufpool_recycler_drain(struct bufpool *pool, struct bufpool_cache *owned);
void bufpool_buf_descs_trim(struct bufpool *pool);

#endif /* _BUFPOOL_BUF_INTERNAL_H */
