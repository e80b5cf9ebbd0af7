// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bufpool_dev_test.c - kselftests for /dev/bufpool (bufpool.ko's ioctls).
 *
 * Run as root in a VM with bufpool.ko loaded with max_handles_per_fd=100
 * max_bytes_per_fd=16777216 max_bytes_total=83886080 (see run.sh).  Every refused call is checked
 * for its errno and for leaving the pool's counters, and this fd's,
 * byte-identical.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/bufpool.h>
#include <linux/capability.h>
#include "kselftest_harness.h"

#define DEV	"/dev/bufpool"
#define PAGE	4096

/* 0 or -errno; for commands that return 0 on success (not TRIM). */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int get_stats(int fd, struct bufpool_ioc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return xioctl(fd, BUFPOOL_IOC_STATS, st);
}

static int get_info(int fd, struct bufpool_ioc_info *info)
{
	memset(info, 0, sizeof(*info));
	return xioctl(fd, BUFPOOL_IOC_INFO, info);
}

static int do_alloc(int fd, uint64_t size, uint64_t *handle, uint64_t *usable)
{
	struct bufpool_ioc_alloc a = { .size = size };
	int ret = xioctl(fd, BUFPOOL_IOC_ALLOC, &a);

	if (!ret) {
		*handle = a.handle;
		if (usable)
			*usable = a.usable;
	}
	return ret;
}

static int do_free(int fd, uint64_t handle)
{
	struct bufpool_ioc_free f = { .handle = handle };

	return xioctl(fd, BUFPOOL_IOC_FREE, &f);
}

static int do_rw(int fd, bool write, uint64_t handle, uint64_t off, uint64_t len, void *buf)
{
	struct bufpool_ioc_rw rw = {
		.handle = handle, .offset = off, .length = len,
		.buf = (uint64_t)(uintptr_t)buf,
	};

	return xioctl(fd, write ? BUFPOOL_IOC_WRITE : BUFPOOL_IOC_READ, &rw);
}

/* --- round trips across every class boundary --------------------------- */

FIXTURE(roundtrip) {
	int fd;
	struct bufpool_ioc_info info;
};

FIXTURE_VARIANT(roundtrip) {
	int64_t size;	/* > 0: bytes; <= 0: chunk_size - size (0 = chunk) */
	bool chunk_relative;
};

FIXTURE_VARIANT_ADD(roundtrip, tiny_1) { .size = 1 };
FIXTURE_VARIANT_ADD(roundtrip, tiny_16) { .size = 16 };
FIXTURE_VARIANT_ADD(roundtrip, tiny_17) { .size = 17 };
FIXTURE_VARIANT_ADD(roundtrip, tiny_496) { .size = 496 };
FIXTURE_VARIANT_ADD(roundtrip, tiny_511) { .size = 511 };
FIXTURE_VARIANT_ADD(roundtrip, small_512) { .size = 512 };
FIXTURE_VARIANT_ADD(roundtrip, small_513) { .size = 513 };
FIXTURE_VARIANT_ADD(roundtrip, small_4096) { .size = 4096 };
FIXTURE_VARIANT_ADD(roundtrip, small_4097) { .size = 4097 };
FIXTURE_VARIANT_ADD(roundtrip, normal_page) { .size = 8192 };
FIXTURE_VARIANT_ADD(roundtrip, normal_page_plus_1) { .size = 8193 };
FIXTURE_VARIANT_ADD(roundtrip, normal_32k_plus_1) { .size = 32769 };
FIXTURE_VARIANT_ADD(roundtrip, normal_chunk) { .size = 0, .chunk_relative = true };
FIXTURE_VARIANT_ADD(roundtrip, huge_chunk_plus_1) { .size = -1, .chunk_relative = true };

FIXTURE_SETUP(roundtrip)
{
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s (is bufpool.ko loaded?)", DEV, strerror(errno));
	ASSERT_EQ(0, get_info(self->fd, &self->info));
}

FIXTURE_TEARDOWN(roundtrip)
{
	close(self->fd);
}

TEST_F(roundtrip, alloc_write_read_free)
{
	uint64_t size = variant->chunk_relative ?
		self->info.chunk_size - variant->size : (uint64_t)variant->size;
	struct bufpool_ioc_stats before, mid, after;
	uint64_t h, usable, i;
	unsigned char *in, *out;

	if (size > self->info.max_bytes_per_fd)
		SKIP(return, "size %llu over max_bytes_per_fd", (unsigned long long)size);
	ASSERT_EQ(0, get_stats(self->fd, &before));
	ASSERT_EQ(0, do_alloc(self->fd, size, &h, &usable));
	ASSERT_NE(0, h);
	ASSERT_LE(size, usable);
	ASSERT_EQ(0, get_stats(self->fd, &mid));
	EXPECT_EQ(1, mid.fd_handles);
	EXPECT_EQ(usable, mid.fd_bytes);
	EXPECT_EQ(before.allocations + 1, mid.allocations);
	in = malloc(usable);
	out = malloc(usable);
	ASSERT_TRUE(in && out);
	for (i = 0; i < usable; i++)
		in[i] = (unsigned char)(i * 131 + size);
	ASSERT_EQ(0, do_rw(self->fd, true, h, 0, usable, in));
	memset(out, 0, usable);
	ASSERT_EQ(0, do_rw(self->fd, false, h, 0, usable, out));
	EXPECT_EQ(0, memcmp(in, out, usable));
	/* The last byte alone, at the far end. */
	ASSERT_EQ(0, do_rw(self->fd, false, h, usable - 1, 1, out));
	EXPECT_EQ(in[usable - 1], out[0]);
	ASSERT_EQ(0, do_free(self->fd, h));
	ASSERT_EQ(0, get_stats(self->fd, &after));
	EXPECT_EQ(0, after.fd_handles);
	EXPECT_EQ(0, after.fd_bytes);
	EXPECT_EQ(before.active, after.active);
	EXPECT_EQ(before.frees + 1, after.frees);
	free(in);
	free(out);
}

/* --- bad input: one error path each ------------------------------------ */

struct ctx {
	int fd, fd2;
	uint64_t h, usable;	/* live on fd */
	uint64_t h2;		/* live on fd2 */
	uint64_t forged;	/* fd's serial, an id live only on fd2 */
	uint64_t freed;		/* was live on fd */
	void *ro;		/* a read-only page */
	void *unmapped;		/* an address with nothing mapped */
	void *half;		/* two pages, the second unmapped */
	struct bufpool_ioc_info info;
};

FIXTURE(bad) {
	struct ctx c;
};

FIXTURE_VARIANT(bad) {
	int (*call)(struct ctx *c);
	int err;
};

FIXTURE_SETUP(bad)
{
	struct ctx *c = &self->c;
	uint64_t h2b, h2c;
	char *two;

	c->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, c->fd);
	c->fd2 = open(DEV, O_RDWR);
	ASSERT_LE(0, c->fd2);
	ASSERT_EQ(0, get_info(c->fd, &c->info));
	ASSERT_EQ(0, do_alloc(c->fd, 100, &c->h, &c->usable));
	ASSERT_EQ(0, do_alloc(c->fd2, 100, &c->h2, NULL));
	ASSERT_EQ(0, do_alloc(c->fd2, 100, &h2b, NULL));
	ASSERT_EQ(0, do_alloc(c->fd2, 100, &h2c, NULL));
	/* fd has ids 1 (live) and 2 (freed below); 3 exists on fd2 only. */
	c->forged = (c->h & ~0xffffffffull) | (h2c & 0xffffffffull);
	ASSERT_NE(c->forged, c->h);
	ASSERT_EQ(0, do_alloc(c->fd, 100, &c->freed, NULL));
	ASSERT_EQ(0, do_free(c->fd, c->freed));
	/* Read-only, holding a valid ALLOC request: only the write-back fails. */
	c->ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c->ro);
	((struct bufpool_ioc_alloc *)c->ro)->size = 64;
	ASSERT_EQ(0, mprotect(c->ro, PAGE, PROT_READ));
	c->unmapped = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c->unmapped);
	ASSERT_EQ(0, munmap(c->unmapped, PAGE));
	two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, two);
	memset(two, 0x5a, PAGE);
	ASSERT_EQ(0, munmap(two + PAGE, PAGE));
	c->half = two;
}

FIXTURE_TEARDOWN(bad)
{
	munmap(self->c.ro, PAGE);
	munmap(self->c.half, PAGE);
	close(self->c.fd);
	close(self->c.fd2);
}

TEST_F(bad, refused_and_nothing_changed)
{
	struct bufpool_ioc_stats before, after, before2, after2;
	unsigned char content[64], now[64];

	ASSERT_EQ(0, do_rw(self->c.fd, false, self->c.h, 0, sizeof(content), content));
	ASSERT_EQ(0, get_stats(self->c.fd, &before));
	ASSERT_EQ(0, get_stats(self->c.fd2, &before2));
	EXPECT_EQ(variant->err, variant->call(&self->c));
	ASSERT_EQ(0, get_stats(self->c.fd, &after));
	ASSERT_EQ(0, get_stats(self->c.fd2, &after2));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)))
		TH_LOG("counters changed: allocations %llu -> %llu, frees %llu -> %llu, fd_handles %llu -> %llu",
		       (unsigned long long)before.allocations, (unsigned long long)after.allocations,
		       (unsigned long long)before.frees, (unsigned long long)after.frees,
		       (unsigned long long)before.fd_handles, (unsigned long long)after.fd_handles);
	EXPECT_EQ(0, memcmp(&before2, &after2, sizeof(before2)));
	/* The live allocations are still there, content intact. */
	ASSERT_EQ(0, do_rw(self->c.fd, false, self->c.h, 0, sizeof(now), now));
	EXPECT_EQ(0, memcmp(content, now, sizeof(now)));
	ASSERT_EQ(0, do_rw(self->c.fd2, false, self->c.h2, 0, 1, now));
}

#define BAD(name, errno_, ...)						\
	static int bad_##name(struct ctx *c) { __VA_ARGS__ }		\
	FIXTURE_VARIANT_ADD(bad, name) { .call = bad_##name, .err = -(errno_) }

/* Commands */
BAD(unknown_cmd, ENOTTY, return xioctl(c->fd, _IO(BUFPOOL_IOC_MAGIC, 99), NULL););
BAD(unknown_cmd_zero, ENOTTY, return xioctl(c->fd, _IO(BUFPOOL_IOC_MAGIC, 0), NULL););
BAD(wrong_magic, ENOTTY,
    struct bufpool_ioc_alloc a = { .size = 64 };
    return xioctl(c->fd, _IOWR('x', 1, struct bufpool_ioc_alloc), &a););
BAD(alloc_wrong_struct_size, ENOTTY,
    uint64_t a[2] = { 64, 0 };
    return xioctl(c->fd, _IOWR(BUFPOOL_IOC_MAGIC, 1, uint64_t[2]), a););
BAD(alloc_wrong_direction, ENOTTY,
    struct bufpool_ioc_alloc a = { .size = 64 };
    return xioctl(c->fd, _IOW(BUFPOOL_IOC_MAGIC, 1, struct bufpool_ioc_alloc), &a););
/* ALLOC */
BAD(alloc_pad, EINVAL,
    struct bufpool_ioc_alloc a = { .size = 64, .pad = 1 };
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, &a););
BAD(alloc_unknown_flag, EINVAL,
    struct bufpool_ioc_alloc a = { .size = 64, .flags = 2 };
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, &a););
BAD(alloc_flag_bit31, EINVAL,
    struct bufpool_ioc_alloc a = { .size = 64, .flags = 1u << 31 };
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, &a););
BAD(alloc_handle_in, EINVAL,
    struct bufpool_ioc_alloc a = { .size = 64, .handle = 1 };
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, &a););
BAD(alloc_usable_in, EINVAL,
    struct bufpool_ioc_alloc a = { .size = 64, .usable = 64 };
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, &a););
BAD(alloc_size_zero, EINVAL,
    struct bufpool_ioc_alloc a = { .size = 0 };
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, &a););
BAD(alloc_size_max, E2BIG,
    struct bufpool_ioc_alloc a = { .size = UINT64_MAX };
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, &a););
BAD(alloc_size_over_fd_bytes, E2BIG,
    struct bufpool_ioc_alloc a = { .size = c->info.max_bytes_per_fd + 1 };
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, &a););
BAD(alloc_arg_null, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_ALLOC, NULL););
BAD(alloc_arg_unmapped, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_ALLOC, c->unmapped););
BAD(alloc_arg_readonly, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_ALLOC, c->ro););
BAD(alloc_arg_kernel_address, EFAULT,
    return xioctl(c->fd, BUFPOOL_IOC_ALLOC, (void *)0xffffffff81000000ul););
/* FREE */
BAD(free_pad, EINVAL,
    struct bufpool_ioc_free f = { .handle = c->h, .pad = 1 };
    return xioctl(c->fd, BUFPOOL_IOC_FREE, &f););
BAD(free_flags, EINVAL,
    struct bufpool_ioc_free f = { .handle = c->h, .flags = 1 };
    return xioctl(c->fd, BUFPOOL_IOC_FREE, &f););
BAD(free_handle_zero, ENOENT, return do_free(c->fd, 0););
BAD(free_handle_unknown, ENOENT, return do_free(c->fd, c->h + 1000););
BAD(free_handle_other_serial, ENOENT, return do_free(c->fd, c->h ^ (1ull << 40)););
BAD(free_handle_id_zero, ENOENT, return do_free(c->fd, c->h & ~0xffffffffull););
BAD(free_foreign_handle, ENOENT, return do_free(c->fd, c->h2););
BAD(free_foreign_handle_other_fd, ENOENT, return do_free(c->fd2, c->h););
BAD(free_freed_handle, ENOENT, return do_free(c->fd, c->freed););
BAD(free_forged_handle, ENOENT, return do_free(c->fd, c->forged););
BAD(free_arg_null, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_FREE, NULL););
BAD(free_arg_unmapped, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_FREE, c->unmapped););
/* WRITE */
BAD(write_pad, EINVAL,
    char b[8] = { 0 };
    struct bufpool_ioc_rw rw = { .handle = c->h, .length = 8, .buf = (uintptr_t)b, .pad = 1 };
    return xioctl(c->fd, BUFPOOL_IOC_WRITE, &rw););
BAD(write_flags, EINVAL,
    char b[8] = { 0 };
    struct bufpool_ioc_rw rw = { .handle = c->h, .length = 8, .buf = (uintptr_t)b, .flags = 4 };
    return xioctl(c->fd, BUFPOOL_IOC_WRITE, &rw););
BAD(write_handle_unknown, ENOENT,
    char b[8] = { 0 }; return do_rw(c->fd, true, 777777, 0, 8, b););
BAD(write_foreign_handle, ENOENT,
    char b[8] = { 0 }; return do_rw(c->fd, true, c->h2, 0, 8, b););
BAD(write_forged_handle, ENOENT,
    char b[8] = { 0 }; return do_rw(c->fd, true, c->forged, 0, 8, b););
BAD(write_freed_handle, ENOENT,
    char b[8] = { 0 }; return do_rw(c->fd, true, c->freed, 0, 8, b););
BAD(write_length_past_usable, EINVAL,
    static char b[PAGE]; return do_rw(c->fd, true, c->h, 0, c->usable + 1, b););
BAD(write_offset_at_usable, EINVAL,
    char b[8] = { 0 }; return do_rw(c->fd, true, c->h, c->usable, 1, b););
BAD(write_offset_past_usable, EINVAL,
    char b[8] = { 0 }; return do_rw(c->fd, true, c->h, c->usable + 4096, 1, b););
BAD(write_offset_overflow, EINVAL,
    char b[8] = { 0 }; return do_rw(c->fd, true, c->h, UINT64_MAX, 2, b););
BAD(write_length_overflow, EINVAL,
    char b[8] = { 0 }; return do_rw(c->fd, true, c->h, 1, UINT64_MAX, b););
BAD(write_buf_null, EFAULT, return do_rw(c->fd, true, c->h, 0, 8, NULL););
BAD(write_buf_unmapped, EFAULT, return do_rw(c->fd, true, c->h, 0, 8, c->unmapped););
BAD(write_buf_half_unmapped, EFAULT,
    return do_rw(c->fd, true, c->h, 0, c->usable, (char *)c->half + PAGE - 8););
BAD(write_arg_null, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_WRITE, NULL););
/* READ */
BAD(read_pad, EINVAL,
    char b[8];
    struct bufpool_ioc_rw rw = { .handle = c->h, .length = 8, .buf = (uintptr_t)b, .pad = 7 };
    return xioctl(c->fd, BUFPOOL_IOC_READ, &rw););
BAD(read_flags, EINVAL,
    char b[8];
    struct bufpool_ioc_rw rw = { .handle = c->h, .length = 8, .buf = (uintptr_t)b, .flags = 1 };
    return xioctl(c->fd, BUFPOOL_IOC_READ, &rw););
BAD(read_foreign_handle, ENOENT,
    char b[8]; return do_rw(c->fd2, false, c->h, 0, 8, b););
BAD(read_forged_handle, ENOENT,
    char b[8]; return do_rw(c->fd, false, c->forged, 0, 8, b););
BAD(read_freed_handle, ENOENT,
    char b[8]; return do_rw(c->fd, false, c->freed, 0, 8, b););
BAD(read_length_past_usable, EINVAL,
    static char b[PAGE]; return do_rw(c->fd, false, c->h, 0, c->usable + 1, b););
BAD(read_offset_overflow, EINVAL,
    char b[8]; return do_rw(c->fd, false, c->h, UINT64_MAX - 3, 8, b););
BAD(read_buf_null, EFAULT, return do_rw(c->fd, false, c->h, 0, 8, NULL););
BAD(read_buf_readonly, EFAULT, return do_rw(c->fd, false, c->h, 0, 8, c->ro););
BAD(read_buf_unmapped, EFAULT, return do_rw(c->fd, false, c->h, 0, 8, c->unmapped););
/* STATS */
BAD(stats_size_zero, EINVAL,
    struct bufpool_ioc_stats st = { .size = 0 };
    return xioctl(c->fd, BUFPOOL_IOC_STATS, &st););
BAD(stats_size_too_small, EINVAL,
    struct bufpool_ioc_stats st = { .size = 4 };
    return xioctl(c->fd, BUFPOOL_IOC_STATS, &st););
BAD(stats_larger_nonzero_tail, E2BIG,
    struct { struct bufpool_ioc_stats st; uint64_t more; } big = {
	.st.size = sizeof(big), .more = 1 };
    return xioctl(c->fd, BUFPOOL_IOC_STATS, &big););
BAD(stats_size_over_a_page, E2BIG,
    static struct { struct bufpool_ioc_stats st; char more[PAGE]; } big;
    big.st.size = sizeof(big);
    return xioctl(c->fd, BUFPOOL_IOC_STATS, &big););
BAD(stats_pad, EINVAL,
    struct bufpool_ioc_stats st = { .size = sizeof(st), .pad = 1 };
    return xioctl(c->fd, BUFPOOL_IOC_STATS, &st););
BAD(stats_arg_null, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_STATS, NULL););
BAD(stats_arg_readonly, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_STATS, c->ro););
/* An fd opened read-only may read counters, not allocate. */
static int rdonly_alloc(struct ctx *c)
{
	int fd = open(DEV, O_RDONLY), ret;
	uint64_t h;

	if (fd < 0)
		return -1000;
	ret = do_alloc(fd, 64, &h, NULL);
	close(fd);
	return ret;
}
BAD(alloc_on_readonly_fd, EBADF, return rdonly_alloc(c););
BAD(write_on_readonly_fd, EBADF,
    int fd = open(DEV, O_RDONLY), ret; char b[8] = { 0 };
    ret = do_rw(fd, true, c->h, 0, 8, b); close(fd); return ret;);
/* TRIM, INFO */
BAD(trim_with_argument, EINVAL, return ioctl(c->fd, BUFPOOL_IOC_TRIM, 1ul) ? -errno : 0;);
BAD(info_arg_null, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_INFO, NULL););
BAD(info_arg_readonly, EFAULT, return xioctl(c->fd, BUFPOOL_IOC_INFO, c->ro););

/* A refused WRITE from a half-unmapped buffer wrote nothing. */
TEST(write_fault_writes_nothing)
{
	int fd = open(DEV, O_RDWR);
	unsigned char before[2048], after[2048];
	char *two;
	uint64_t h = 0;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, do_alloc(fd, 2048, &h, NULL));
	memset(before, 0x11, sizeof(before));
	ASSERT_EQ(0, do_rw(fd, true, h, 0, sizeof(before), before));
	two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, two);
	memset(two, 0x77, PAGE);
	ASSERT_EQ(0, munmap(two + PAGE, PAGE));
	EXPECT_EQ(-EFAULT, do_rw(fd, true, h, 0, 2048, two + PAGE - 1024));
	ASSERT_EQ(0, do_rw(fd, false, h, 0, sizeof(after), after));
	EXPECT_EQ(0, memcmp(before, after, sizeof(after)));
	munmap(two, PAGE);
	close(fd);
}

/* --- the extensible STATS struct --------------------------------------- */

TEST(stats_smaller_struct_gets_its_fields)
{
	int fd = open(DEV, O_RDWR);
	struct bufpool_ioc_stats st;
	uint64_t h = 0;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, do_alloc(fd, 64, &h, NULL));
	memset(&st, 0xee, sizeof(st));
	st.size = 16;		/* size, pad, fd_handles: not fd_bytes */
	st.pad = 0;
	ASSERT_EQ(0, xioctl(fd, BUFPOOL_IOC_STATS, &st));
	EXPECT_EQ(16, st.size);
	EXPECT_EQ(1, st.fd_handles);
	EXPECT_EQ(0xeeeeeeeeeeeeeeeeull, st.fd_bytes);	/* beyond 16 bytes: untouched */
	close(fd);
}

TEST(stats_larger_struct_zero_tail_ok)
{
	int fd = open(DEV, O_RDWR);
	struct { struct bufpool_ioc_stats st; uint64_t more[4]; } big;

	ASSERT_LE(0, fd);
	memset(&big, 0, sizeof(big));
	big.st.size = sizeof(big);
	ASSERT_EQ(0, xioctl(fd, BUFPOOL_IOC_STATS, &big));
	EXPECT_EQ(sizeof(struct bufpool_ioc_stats), big.st.size);
	EXPECT_EQ(0, big.more[0] | big.more[1] | big.more[2] | big.more[3]);
	close(fd);
}

TEST(stats_command_size_not_checked)
{
	/* A binary built against a header with a smaller STATS struct. */
	struct { uint32_t size, pad; uint64_t fd_handles; } old = { .size = sizeof(old) };
	int fd = open(DEV, O_RDONLY);
	uint64_t h;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xioctl(fd, _IOWR(BUFPOOL_IOC_MAGIC, 5, old), &old));
	EXPECT_EQ(sizeof(old), old.size);
	EXPECT_EQ(0, old.fd_handles);
	/* Read-only: counters yes, allocations no. */
	EXPECT_EQ(-EBADF, do_alloc(fd, 64, &h, NULL));
	close(fd);
}

TEST(allocations_are_always_zeroed)
{
	int fd = open(DEV, O_RDWR);
	unsigned char buf[2048];
	unsigned int flags;
	uint64_t h;
	int i;

	ASSERT_LE(0, fd);
	/*
	 * What one user wrote, the next never reads, with or without
	 * BUFPOOL_ALLOC_ZERO: the same element comes back from the cache.
	 */
	for (flags = 0; flags <= BUFPOOL_ALLOC_ZERO; flags += BUFPOOL_ALLOC_ZERO) {
		struct bufpool_ioc_alloc a = { .size = 2048, .flags = flags };

		ASSERT_EQ(0, do_alloc(fd, 2048, &h, NULL));
		memset(buf, 0x5c, sizeof(buf));
		ASSERT_EQ(0, do_rw(fd, true, h, 0, sizeof(buf), buf));
		ASSERT_EQ(0, do_free(fd, h));
		ASSERT_EQ(0, xioctl(fd, BUFPOOL_IOC_ALLOC, &a));
		ASSERT_EQ(0, do_rw(fd, false, a.handle, 0, sizeof(buf), buf));
		for (i = 0; i < (int)sizeof(buf); i++)
			ASSERT_EQ(0, buf[i]) TH_LOG("flags %#x, byte %d", flags, i);
		ASSERT_EQ(0, do_free(fd, a.handle));
	}
	close(fd);
}

TEST(huge_zeroed_to_its_usable_end)
{
	struct bufpool_ioc_alloc a = { .flags = BUFPOOL_ALLOC_ZERO };
	struct bufpool_ioc_info info;
	int fd = open(DEV, O_RDWR);
	unsigned char tail[4096];
	int i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	a.size = info.chunk_size + 1;		/* huge: page-rounded */
	ASSERT_EQ(0, xioctl(fd, BUFPOOL_IOC_ALLOC, &a));
	ASSERT_EQ(info.chunk_size + 4096, a.usable);
	ASSERT_EQ(0, do_rw(fd, false, a.handle, a.usable - sizeof(tail), sizeof(tail), tail));
	for (i = 0; i < (int)sizeof(tail); i++)
		ASSERT_EQ(0, tail[i]);
	close(fd);
}

TEST(info_describes_the_pool)
{
	int fd = open(DEV, O_RDWR);
	struct bufpool_ioc_info info;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(BUFPOOL_ABI_VERSION, info.abi_version);
	EXPECT_EQ((uint64_t)info.page_size << info.max_order, info.chunk_size);
	EXPECT_EQ(100, info.max_handles_per_fd);	/* as run.sh loads it */
	EXPECT_EQ(16u << 20, info.max_bytes_per_fd);
	EXPECT_EQ(0, info.pad[0] | info.pad[1]);
	close(fd);
}

/* --- limits ------------------------------------------------------------ */

TEST(handle_limit_exact)
{
	int fd = open(DEV, O_RDWR);
	struct bufpool_ioc_stats before, after;
	struct bufpool_ioc_info info;
	uint64_t h = 0, i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	for (i = 0; i < info.max_handles_per_fd; i++)
		ASSERT_EQ(0, do_alloc(fd, 16, &h, NULL)) TH_LOG("allocation %llu", (unsigned long long)i);
	ASSERT_EQ(0, get_stats(fd, &before));
	EXPECT_EQ(-ENOSPC, do_alloc(fd, 16, &h, NULL));
	ASSERT_EQ(0, get_stats(fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	EXPECT_EQ(info.max_handles_per_fd, after.fd_handles);
	/* Free one, and there is room for exactly one again. */
	ASSERT_EQ(0, do_free(fd, h));
	EXPECT_EQ(0, do_alloc(fd, 16, &h, NULL));
	EXPECT_EQ(-ENOSPC, do_alloc(fd, 16, &h, NULL));
	close(fd);
}

TEST(byte_limit_exact)
{
	int fd = open(DEV, O_RDWR);
	struct bufpool_ioc_stats before, after;
	struct bufpool_ioc_info info;
	uint64_t h, usable, i, n;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	n = info.max_bytes_per_fd >> 20;
	ASSERT_LT(0, n);
	ASSERT_GE(info.max_handles_per_fd, n + 1);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, do_alloc(fd, 1 << 20, &h, &usable));
		ASSERT_EQ(1 << 20, usable);
	}
	ASSERT_EQ(0, get_stats(fd, &before));
	EXPECT_EQ(info.max_bytes_per_fd, before.fd_bytes);
	EXPECT_EQ(-ENOSPC, do_alloc(fd, 1, &h, NULL));
	ASSERT_EQ(0, get_stats(fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	close(fd);
}

/* --- accounting: RLIMIT_MEMLOCK and max_bytes_total across fds ----------- */

#define NR_FDS	8

/* VmPin of this process, in KiB; -1 if /proc does not say. */
static long vm_pin_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Drop CAP_IPC_LOCK (which exempts from RLIMIT_MEMLOCK), keep the rest. */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	data[CAP_IPC_LOCK / 32].permitted &= ~(1u << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

static uint64_t param_ulong(const char *name)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/bufpool/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/*
 * Allocate @size on @fds in turn until each refuses; check every refusal
 * is -@err and leaves the fd's and the pool's counters as they were.
 * Return: bytes allocated; @h/@nh the handles, by fd.
 */
static uint64_t fill_fds(struct __test_metadata *_metadata, int *fds, int nfds, uint64_t size,
			 int err, uint64_t h[][100], int *nh)
{
	bool full[NR_FDS] = {};
	uint64_t total = 0, usable;
	int i, left = nfds;

	while (left) {
		for (i = 0; i < nfds; i++) {
			struct bufpool_ioc_stats before, after;
			int ret;

			if (full[i])
				continue;
			ret = do_alloc(fds[i], size, &h[i][nh[i]], &usable);
			if (!ret) {
				EXPECT_EQ(size, usable);
				nh[i]++;
				total += usable;
				continue;
			}
			EXPECT_EQ(-err, ret) TH_LOG("fd %d after %llu bytes", i,
						    (unsigned long long)total);
			ASSERT_EQ(0, get_stats(fds[i], &before));
			EXPECT_EQ(-err, do_alloc(fds[i], size, &h[i][nh[i]], NULL));
			ASSERT_EQ(0, get_stats(fds[i], &after));
			EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
			full[i] = true;
			left--;
		}
	}
	return total;
}

/* Each handle's first bytes name it; a refusal must not have touched any. */
static void stamp_all(struct __test_metadata *_metadata, int *fds, int first, int nfds,
		      uint64_t h[][100], int *nh, bool check)
{
	uint64_t tag, back;
	int i, j;

	for (i = first; i < nfds; i++)
		for (j = 0; j < nh[i]; j++) {
			tag = h[i][j] ^ ((uint64_t)i << 56);
			if (!check) {
				ASSERT_EQ(0, do_rw(fds[i], true, h[i][j], 0, sizeof(tag), &tag));
				continue;
			}
			ASSERT_EQ(0, do_rw(fds[i], false, h[i][j], 0, sizeof(back), &back));
			EXPECT_EQ(tag, back);
		}
}

TEST(memlock_limit_holds_across_fds)
{
	const uint64_t limit = 2 << 20, size = 64 << 10;
	struct rlimit rl = { .rlim_cur = limit, .rlim_max = limit };
	uint64_t h[NR_FDS + 1][100], hh;
	int fds[NR_FDS + 1], nh[NR_FDS + 1] = {}, i;
	long pin0 = vm_pin_kib();

	ASSERT_LE(0, pin0) TH_LOG("no VmPin in /proc/self/status");
	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &rl));
	for (i = 0; i <= NR_FDS; i++) {
		fds[i] = open(DEV, O_RDWR);
		ASSERT_LE(0, fds[i]);
	}
	/* 64 KiB each, round robin over 8 fds: exactly the limit, then ENOMEM. */
	EXPECT_EQ(limit, fill_fds(_metadata, fds, NR_FDS, size, ENOMEM, h, nh));
	EXPECT_EQ(pin0 + (long)(limit >> 10), vm_pin_kib());
	stamp_all(_metadata, fds, 0, NR_FDS, h, nh, false);
	/* A fresh fd of the same process is charged to the same limit. */
	EXPECT_EQ(-ENOMEM, do_alloc(fds[NR_FDS], 16, &hh, NULL));
	EXPECT_EQ(-ENOMEM, do_alloc(fds[NR_FDS], 8 << 20, &hh, NULL));
	/* Freeing on one fd makes room on another. */
	ASSERT_EQ(0, do_free(fds[0], h[0][--nh[0]]));
	EXPECT_EQ(0, do_alloc(fds[NR_FDS], size, &h[NR_FDS][nh[NR_FDS]++], NULL));
	EXPECT_EQ(-ENOMEM, do_alloc(fds[1], size, &hh, NULL));
	/* Nothing was lost or overwritten by the refusals. */
	stamp_all(_metadata, fds, 0, NR_FDS, h, nh, true);
	for (i = 0; i <= NR_FDS; i++)
		close(fds[i]);
	EXPECT_EQ(pin0, vm_pin_kib());
}

TEST(global_cap_holds_across_fds)
{
	uint64_t cap = param_ulong("max_bytes_total"), h[NR_FDS][100], hh;
	int fds[NR_FDS], nh[NR_FDS] = {}, i;
	struct bufpool_ioc_info info;

	ASSERT_LT(0, cap) TH_LOG("no max_bytes_total parameter");
	for (i = 0; i < NR_FDS; i++) {
		fds[i] = open(DEV, O_RDWR);
		ASSERT_LE(0, fds[i]);
	}
	ASSERT_EQ(0, get_info(fds[0], &info));
	if (cap >= NR_FDS * info.max_bytes_per_fd)
		SKIP(return, "max_bytes_total %llu: %d fds cannot reach it",
		     (unsigned long long)cap, NR_FDS);
	/* As root (CAP_IPC_LOCK): only the global cap stops them. */
	EXPECT_EQ(cap, fill_fds(_metadata, fds, NR_FDS, 1 << 20, ENOMEM, h, nh));
	stamp_all(_metadata, fds, 0, NR_FDS, h, nh, false);
	/* Closing one fd gives its bytes back to the others. */
	close(fds[0]);
	EXPECT_EQ(0, do_alloc(fds[1], 1 << 20, &hh, NULL));
	stamp_all(_metadata, fds, 1, NR_FDS, h, nh, true);
	for (i = 1; i < NR_FDS; i++)
		close(fds[i]);
}

/* --- ownership ----------------------------------------------------------- */

TEST(other_process_cannot_touch_handles)
{
	int fd = open(DEV, O_RDWR);
	uint64_t h = 0;
	pid_t pid;
	int status;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, do_alloc(fd, 64, &h, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd2 = open(DEV, O_RDWR);
		char b[8] = { 0 };
		int bad = 0;

		bad += do_free(fd2, h) != -ENOENT;
		bad += do_rw(fd2, true, h, 0, 8, b) != -ENOENT;
		bad += do_rw(fd2, false, h, 0, 8, b) != -ENOENT;
		_exit(fd2 < 0 ? 2 : bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, do_free(fd, h));	/* still ours */
	close(fd);
}

TEST(close_frees_everything)
{
	struct bufpool_ioc_stats base, live, after;
	int ctl = open(DEV, O_RDWR), fd, i;
	uint64_t h = 0;

	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, get_stats(ctl, &base));
	fd = open(DEV, O_RDWR);
	ASSERT_LE(0, fd);
	for (i = 0; i < 50; i++)
		ASSERT_EQ(0, do_alloc(fd, 16 << (i % 13), &h, NULL));
	ASSERT_EQ(0, get_stats(ctl, &live));
	EXPECT_EQ(base.active + 50, live.active);
	close(fd);
	ASSERT_EQ(0, get_stats(ctl, &after));
	EXPECT_EQ(base.active, after.active);
	EXPECT_EQ(base.active_bytes, after.active_bytes);
	EXPECT_EQ(base.huge_active, after.huge_active);
	close(ctl);
}

/* Long runs under TCG: a fixture only for TEST_F_TIMEOUT. */
FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

TEST_F_TIMEOUT(slow, fork_alloc_sigkill_1000, 600)
{
	struct bufpool_ioc_stats base, after;
	int ctl = open(DEV, O_RDWR), i;

	ASSERT_LE(0, ctl);
	ASSERT_LE(0, ioctl(ctl, BUFPOOL_IOC_TRIM, 0));	/* chunks released */
	ASSERT_EQ(0, get_stats(ctl, &base));
	for (i = 0; i < 1000; i++) {
		int p[2], status;
		char c;
		pid_t pid;

		ASSERT_EQ(0, pipe(p));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int fd = open(DEV, O_RDWR), j;
			uint64_t h = 0;

			for (j = 0; fd >= 0 && j < 8; j++)
				do_alloc(fd, 16 << (j + i % 8), &h, NULL);
			c = fd >= 0 ? 'y' : 'n';
			if (write(p[1], &c, 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		close(p[1]);
		ASSERT_EQ(1, read(p[0], &c, 1));
		ASSERT_EQ('y', c);
		close(p[0]);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status));
	}
	ASSERT_LE(0, ioctl(ctl, BUFPOOL_IOC_TRIM, 0));
	ASSERT_EQ(0, get_stats(ctl, &after));
	EXPECT_EQ(base.active, after.active);
	EXPECT_EQ(base.active_bytes, after.active_bytes);
	EXPECT_EQ(base.huge_active, after.huge_active);
	EXPECT_EQ(base.chunks, after.chunks);
	EXPECT_EQ(base.allocations + 8000, after.allocations);
	EXPECT_EQ(base.frees + 8000, after.frees);
	close(ctl);
}

/* --- privileges ---------------------------------------------------------- */

TEST(node_mode_0600)
{
	struct stat st;

	ASSERT_EQ(0, stat(DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
}

TEST(non_root_gets_eacces_and_eperm)
{
	int fd = open(DEV, O_RDWR);
	pid_t pid;
	int status;

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint64_t h = 0;
		int bad = 0, fd2;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		fd2 = open(DEV, O_RDWR);
		bad += !(fd2 < 0 && errno == EACCES);
		/* An fd opened before dropping privileges still works... */
		bad += do_alloc(fd, 64, &h, NULL) != 0;
		bad += do_free(fd, h) != 0;
		/* ...but global operations need CAP_SYS_ADMIN. */
		bad += !(ioctl(fd, BUFPOOL_IOC_TRIM, 0) < 0 && errno == EPERM);
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

TEST(trim_as_root)
{
	int fd = open(DEV, O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_LE(0, ioctl(fd, BUFPOOL_IOC_TRIM, 0));
	close(fd);
}

/* --- concurrency --------------------------------------------------------- */

static volatile int stop_readers;

static void *alloc_thread(void *arg)
{
	long id = (long)arg, i, bad = 0;
	unsigned char buf[1024], back[1024];

	for (i = 0; i < 3000; i++) {
		int fd = open(DEV, O_RDWR);
		uint64_t h[4];
		int j;

		if (fd < 0)
			return (void *)1;
		for (j = 0; j < 4; j++) {
			size_t size = 16 << ((i + j + id) % 7);

			if (do_alloc(fd, size, &h[j], NULL)) {
				bad++;
				h[j] = 0;
				continue;
			}
			memset(buf, (int)(i + j), size < sizeof(buf) ? size : sizeof(buf));
			do_rw(fd, true, h[j], 0, size < sizeof(buf) ? size : sizeof(buf), buf);
		}
		for (j = 0; j < 4; j += 2) {	/* half freed, half left to close() */
			size_t size = 16 << ((i + j + id) % 7);
			size_t n = size < sizeof(buf) ? size : sizeof(buf);

			if (!h[j])
				continue;
			memset(buf, (int)(i + j), n);
			bad += do_rw(fd, false, h[j], 0, n, back) != 0 || memcmp(buf, back, n);
			bad += do_free(fd, h[j]) != 0;
		}
		close(fd);
	}
	return (void *)bad;
}

static void *debugfs_reader(void *arg)
{
	static char buf[65536];
	long reads = 0;

	while (!stop_readers) {
		DIR *d = opendir("/sys/kernel/debug/bufpool/default");
		struct dirent *e;

		if (!d)
			return (void *)-1;
		while ((e = readdir(d))) {
			char path[512];
			int fd;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/sys/kernel/debug/bufpool/default/%s", e->d_name);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				continue;
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
			reads++;
		}
		closedir(d);
	}
	return (void *)reads;
}

struct shared_fd {
	int fd;
	long done, bad;
};

static void *same_fd_thread(void *arg)
{
	struct shared_fd *sf = arg;
	long i;

	for (i = 0; i < 20000; i++) {
		uint64_t h;
		int ret = do_alloc(sf->fd, 16 << (i % 9), &h, NULL);

		if (ret == -EBADF)
			break;		/* closed under us */
		if (ret) {
			__atomic_add_fetch(&sf->bad, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (i >= 10) {	/* the first 10 stay, for release() to free */
			ret = do_free(sf->fd, h);
			if (ret && ret != -EBADF)
				__atomic_add_fetch(&sf->bad, 1, __ATOMIC_RELAXED);
		}
	}
	__atomic_add_fetch(&sf->done, 1, __ATOMIC_RELAXED);
	return NULL;
}

TEST_F_TIMEOUT(slow, one_fd_many_threads_and_close, 600)
{
	struct bufpool_ioc_stats base, after;
	struct shared_fd sf = { 0 };
	int ctl = open(DEV, O_RDWR), i;
	pthread_t t[4];

	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, get_stats(ctl, &base));
	sf.fd = open(DEV, O_RDWR);
	ASSERT_LE(0, sf.fd);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, same_fd_thread, &sf));
	usleep(200000);
	close(sf.fd);		/* the threads' ioctls now get EBADF */
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_EQ(4, sf.done);
	EXPECT_EQ(0, sf.bad);
	ASSERT_EQ(0, get_stats(ctl, &after));
	EXPECT_EQ(base.active, after.active);	/* release() freed what was left */
	EXPECT_EQ(base.active_bytes, after.active_bytes);
	EXPECT_EQ(0, after.invalid_frees);
	close(ctl);
}

TEST_F_TIMEOUT(slow, concurrent_ioctls_and_debugfs, 600)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN), i;
	struct bufpool_ioc_stats base, st;
	pthread_t t[16], r;
	void *ret;
	int ctl = open(DEV, O_RDWR);

	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, get_stats(ctl, &base));
	if (n > 16)
		n = 16;
	ASSERT_EQ(0, pthread_create(&r, NULL, debugfs_reader, NULL));
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, alloc_thread, (void *)i));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &ret));
		EXPECT_EQ(0, (long)ret);
	}
	stop_readers = 1;
	ASSERT_EQ(0, pthread_join(r, &ret));
	EXPECT_LT(0, (long)ret) TH_LOG("the debugfs reader read nothing");
	ASSERT_EQ(0, get_stats(ctl, &st));
	EXPECT_EQ(base.active, st.active);
	EXPECT_EQ(st.allocations - st.frees, st.active);
	EXPECT_EQ(st.tiny_allocations + st.small_allocations + st.normal_allocations +
		  st.huge_allocations, st.allocations);
	EXPECT_EQ(st.tiny_frees + st.small_frees + st.normal_frees + st.huge_frees, st.frees);
	EXPECT_EQ(st.tiny_allocations - st.tiny_frees + st.small_allocations - st.small_frees +
		  st.normal_allocations - st.normal_frees + st.huge_allocations - st.huge_frees,
		  st.active);
	EXPECT_EQ(base.allocations + n * 3000 * 4, st.allocations);
	EXPECT_EQ(0, st.invalid_frees);
	close(ctl);
}

TEST_HARNESS_MAIN
