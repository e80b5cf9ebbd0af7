/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * bufpool.h - the /dev/bufpool ioctl ABI.
 *
 * A process opens /dev/bufpool and allocates from the module's default
 * pool through ioctls.  It never sees a kernel address: each allocation is
 * a handle private to the open file (another fd, or another process, gets
 * -ENOENT for it), and everything still allocated is freed when the file
 * is closed - by close() or by the process dying.
 *
 * ALLOC, FREE, WRITE and READ need the fd opened for writing (else
 * -EBADF); INFO and STATS work on a read-only fd.  Allocations are always
 * zeroed.
 *
 * Conventions (Documentation/process/botching-up-ioctls.rst): fixed-size
 * __u32/__u64 fields, naturally aligned, no holes, explicit padding that
 * must be zero; user buffers are passed as __u64.  (in) fields are read by
 * the kernel, (out) fields written by it.  Any non-zero pad, reserved field
 * or unknown flag is -EINVAL; an unknown command -ENOTTY; a bad user
 * pointer -EFAULT.  A refused call changes nothing.
 * Documentation/module.rst lists every command with its errors.
 */
#ifndef _UAPI_LINUX_BUFPOOL_H
#define _UAPI_LINUX_BUFPOOL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define BUFPOOL_ABI_VERSION	1

/* 0xB9 is not taken in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define BUFPOOL_IOC_MAGIC	0xB9

/* struct bufpool_ioc_alloc.flags; memory is always zeroed, with or without */
#define BUFPOOL_ALLOC_ZERO	(1u << 0)	/* zero the usable size */
#define BUFPOOL_ALLOC_FLAGS	BUFPOOL_ALLOC_ZERO

/**
 * struct bufpool_ioc_alloc - BUFPOOL_IOC_ALLOC
 * @size: (in) bytes wanted, 1 .. the fd's byte limit (struct bufpool_ioc_info)
 * @flags: (in) BUFPOOL_ALLOC_*
 * @pad: (in) zero
 * @handle: (out) the allocation, for this fd only; never 0
 * @usable: (out) bytes usable through READ/WRITE, >= @size
 */
struct bufpool_ioc_alloc {
	__u64 size;
	__u32 flags;
	__u32 pad;
	__u64 handle;
	__u64 usable;
};

/**
 * struct bufpool_ioc_free - BUFPOOL_IOC_FREE
 * @handle: (in) from BUFPOOL_IOC_ALLOC on this fd
 * @flags: (in) zero
 * @pad: (in) zero
 */
struct bufpool_ioc_free {
	__u64 handle;
	__u32 flags;
	__u32 pad;
};

/**
 * struct bufpool_ioc_rw - BUFPOOL_IOC_WRITE and BUFPOOL_IOC_READ
 * @handle: (in) from BUFPOOL_IOC_ALLOC on this fd
 * @offset: (in) byte offset in the allocation
 * @length: (in) bytes to copy; @offset + @length <= usable size
 * @buf: (in) user buffer, as (__u64)(uintptr_t)pointer
 * @flags: (in) zero
 * @pad: (in) zero
 */
struct bufpool_ioc_rw {
	__u64 handle;
	__u64 offset;
	__u64 length;
	__u64 buf;
	__u32 flags;
	__u32 pad;
};

/**
 * struct bufpool_ioc_stats - BUFPOOL_IOC_STATS, an extensible struct
 * @size: (in) sizeof the struct the caller knows (at least
 *        BUFPOOL_STATS_SIZE_VER0); (out) bytes the kernel filled in
 * @pad: (in) zero
 * @fd_handles: (out) allocations live on this fd
 * @fd_bytes: (out) their usable bytes
 * (other fields): (out) the default pool's counters, named as in its
 *        debugfs stats file (Documentation/module.rst)
 *
 * Read with copy_struct_from_user() rules: a smaller struct gets the
 * fields it has; a larger one must be zero past what the kernel knows
 * (else -E2BIG).  New fields are only ever added at the end; the kernel
 * matches the command by type, number and direction, not by the size it
 * encodes, so binaries built against an older header keep working.
 */
struct bufpool_ioc_stats {
	__u32 size;
	__u32 pad;
	__u64 fd_handles;
	__u64 fd_bytes;
	__u64 allocations;
	__u64 frees;
	__u64 active;
	__u64 active_bytes;
	__u64 chunks;
	__u64 chunk_bytes;
	__u64 huge_active;
	__u64 huge_bytes;
	__u64 invalid_frees;
	__u64 tiny_allocations;
	__u64 tiny_frees;
	__u64 small_allocations;
	__u64 small_frees;
	__u64 normal_allocations;
	__u64 normal_frees;
	__u64 huge_allocations;
	__u64 huge_frees;
	__u64 cache_hits;
	__u64 cache_misses;
	__u64 cache_frees;
	__u64 cache_flushed;
	__u64 cache_trims;
	__u64 cached_bytes;
	__u64 shrinker_scans;
	__u64 shrinker_freed;
	__u64 tiny_cache_hits;
	__u64 tiny_cache_misses;
	__u64 small_cache_hits;
	__u64 small_cache_misses;
	__u64 normal_cache_hits;
	__u64 normal_cache_misses;
	__u64 arena_locks;
	__u64 arena_lock_contended;
	__u64 buf_allocs;
	__u64 buf_recycled;
	__u64 buf_refcnt_errors;
	__u64 buf_leaks_tracked;
	__u64 retained_chunks;
	__u64 purge_calls;
	__u64 purged_bytes;
};

#define BUFPOOL_STATS_SIZE_VER0	8	/* size and pad alone */
/* Up to buf_leaks_tracked: the first release. */
#define BUFPOOL_STATS_SIZE_VER1	320
/* With retained_chunks. */
#define BUFPOOL_STATS_SIZE_VER2	328
/* With purge_calls and purged_bytes. */
#define BUFPOOL_STATS_SIZE_VER3	sizeof(struct bufpool_ioc_stats)

/**
 * struct bufpool_ioc_info - BUFPOOL_IOC_INFO, all (out)
 * @abi_version: BUFPOOL_ABI_VERSION
 * @page_size: the default pool's page size
 * @max_order: its chunk is page_size << max_order
 * @nr_arenas: its arenas
 * @chunk_size: bytes per chunk; larger requests are huge (unpooled)
 * @max_handles_per_fd: module parameter
 * @max_bytes_per_fd: module parameter: usable bytes live per fd
 * @tiny_cache_size: per-CPU cache entries per tiny class
 * @small_cache_size: per small class
 * @normal_cache_size: per normal class
 * @max_cached_capacity: largest size cached
 * @cache_trim_interval: allocations between trims
 * @cache_trim_interval_ms: ms between timed trims, 0 = off
 * @pad: zero
 */
struct bufpool_ioc_info {
	__u32 abi_version;
	__u32 page_size;
	__u32 max_order;
	__u32 nr_arenas;
	__u64 chunk_size;
	__u64 max_handles_per_fd;
	__u64 max_bytes_per_fd;
	__u32 tiny_cache_size;
	__u32 small_cache_size;
	__u32 normal_cache_size;
	__u32 max_cached_capacity;
	__u32 cache_trim_interval;
	__u32 cache_trim_interval_ms;
	__u32 pad[2];
};

#define BUFPOOL_IOC_ALLOC	_IOWR(BUFPOOL_IOC_MAGIC, 1, struct bufpool_ioc_alloc)
#define BUFPOOL_IOC_FREE	_IOW(BUFPOOL_IOC_MAGIC, 2, struct bufpool_ioc_free)
#define BUFPOOL_IOC_WRITE	_IOW(BUFPOOL_IOC_MAGIC, 3, struct bufpool_ioc_rw)
#define BUFPOOL_IOC_READ	_IOW(BUFPOOL_IOC_MAGIC, 4, struct bufpool_ioc_rw)
#define BUFPOOL_IOC_STATS	_IOWR(BUFPOOL_IOC_MAGIC, 5, struct bufpool_ioc_stats)
/* CAP_SYS_ADMIN: flush every CPU's cache, release free chunks; returns how many. */
#define BUFPOOL_IOC_TRIM	_IO(BUFPOOL_IOC_MAGIC, 6)
#define BUFPOOL_IOC_INFO	_IOR(BUFPOOL_IOC_MAGIC, 7, struct bufpool_ioc_info)

#endif /* _UAPI_LINUX_BUFPOOL_H */
