// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dev.c - /dev/bufpool: the default pool driven from userspace through
 * ioctls (include/uapi/linux/bufpool.h).
 *
 * Each open file has its own handle table (an xarray of allocations, ids
 * from 1) and its own limits (max_handles_per_fd, max_bytes_per_fd): a
 * handle means something only on the fd that allocated it (its upper 32
 * bits are the file's serial number, unique among open files until 2^32
 * opens have passed; the lower 32 the id in the table), and every
 * allocation still in the table is freed when the file is released (close,
 * or the process dying).  Userspace never sees a kernel address.
 *
 * Every argument is checked before anything changes: pads, reserved
 * fields and flags must be zero or known, sizes and ranges must fit, limits
 * must allow the allocation (its usable size is known before allocating),
 * the user range of a WRITE is faulted in before the first byte is copied,
 * the ALLOC struct is written back once before allocating.  So a refused
 * call leaves the pool's counters and the fd's table exactly as they were.
 * Only a race with another thread unmapping the caller's memory mid-call
 * can get past that: a WRITE then fails with the rest of its range zeroed
 * (copy_from_user), an ALLOC fails after an allocation and its free.
 *
 * Memory handed out is always zeroed: pooled memory holds whatever its
 * last user - another process, another module - wrote there.  ALLOC, FREE,
 * WRITE and READ need an fd opened for writing (-EBADF otherwise); INFO and
 * STATS work on a read-only one.
 *
 * Memory held for a process is charged, as RDMA charges pinned user pages
 * (ib_umem_get()): each fd's usable bytes, rounded up to pages, count in
 * the opening process's mm->pinned_vm (VmPin in /proc/PID/status) and an
 * ALLOC that would take it past the caller's RLIMIT_MEMLOCK fails with
 * -ENOMEM unless the caller has CAP_IPC_LOCK - so the limit holds across
 * every fd the process opens.  max_bytes_total caps what all fds together
 * hold, whoever opened them.  Huge allocations are charged to the caller's
 * memory cgroup too (__GFP_ACCOUNT; pooled chunks are shared and are not),
 * and every allocation is made with __GFP_RETRY_MAYFAIL: a user-sized
 * request fails with -ENOMEM instead of invoking the OOM killer.
 *
 * Lock order: the file's mutex -> bufpool's locks (inside bufpool_alloc()
 * and friends).  The mutex is held across user copies (they may fault and
 * sleep); it serialises ioctls on one fd, never across fds.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <uapi/linux/bufpool.h>
#include "pool.h"
#include "cache_work.h"
#include "dev.h"

static unsigned int max_handles_per_fd = 65536;
module_param(max_handles_per_fd, uint, 0444);
MODULE_PARM_DESC(max_handles_per_fd, "live allocations per open /dev/bufpool, 1..16777216 (default 65536)");

static unsigned long max_bytes_per_fd = 256ul << 20;
module_param(max_bytes_per_fd, ulong, 0444);
MODULE_PARM_DESC(max_bytes_per_fd, "usable bytes live per open /dev/bufpool, 4096..2^40 (default 256 MiB)");

static unsigned long max_bytes_total;
module_param(max_bytes_total, ulong, 0444);
MODULE_PARM_DESC(max_bytes_total, "usable bytes live through /dev/bufpool, all fds together, max_bytes_per_fd..RAM (default 0: half of RAM, at least max_bytes_per_fd; reads back the value in force)");

static unsigned int dev_mode = 0600;
module_param(dev_mode, uint, 0444);
MODULE_PARM_DESC(dev_mode, "mode of /dev/bufpool, octal, read/write bits only, not 0 (default 0600)");

/* What every ALLOC asks of the allocator: see the header comment. */
#define DEV_GFP	(GFP_KERNEL | __GFP_ACCOUNT | __GFP_ZERO | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

#define MAX_HANDLES_LIMIT	(1u << 24)
#define MAX_BYTES_LIMIT		((unsigned long)min_t(u64, 1ull << 40, ULONG_MAX))

struct dev_alloc {
	void *ptr;
	size_t usable;
};

/*
 * @mm: the opener's mm, charged with the file's pages (mm->pinned_vm)
 * @bytes: usable bytes live; PAGE_ALIGN(@bytes) is what @mm is charged
 */
struct dev_file {
	struct mutex lock;	/* one ioctl at a time on the file */
	u32 serial;
	struct xarray handles;
	u64 nr_handles;
	u64 bytes;
	struct mm_struct *mm;
};

/* Each open file's number, the upper half of its handles. */
static atomic_t dev_serial = ATOMIC_INIT(0);
/* Usable bytes live on every open file together (max_bytes_total). */
static atomic_long_t dev_total_bytes = ATOMIC_LONG_INIT(0);

static unsigned long bytes_to_pages(u64 bytes)
{
	return (unsigned long)(PAGE_ALIGN(bytes) >> PAGE_SHIFT);
}

/*
 * Charge @usable more bytes to @f: the global total, then the pages the
 * fd's total newly spans to its mm, against the caller's RLIMIT_MEMLOCK.
 * Return: 0, or -ENOMEM with nothing charged.
 */
static int dev_charge(struct dev_file *f, size_t usable)
{
	unsigned long pages = bytes_to_pages(f->bytes + usable) - bytes_to_pages(f->bytes);
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if (atomic_long_add_return(usable, &dev_total_bytes) > max_bytes_total)
		goto err_total;
	if (!pages || !f->mm)
		return 0;
	if (atomic64_add_return(pages, &f->mm->pinned_vm) > limit &&
	    !capable(CAP_IPC_LOCK)) {
		atomic64_sub(pages, &f->mm->pinned_vm);
		goto err_total;
	}
	return 0;

err_total:
	atomic_long_sub(usable, &dev_total_bytes);
	return -ENOMEM;
}

/* Undo dev_charge(): @f->bytes still counts @usable. */
static void dev_uncharge(struct dev_file *f, size_t usable)
{
	unsigned long pages = bytes_to_pages(f->bytes) - bytes_to_pages(f->bytes - usable);

	if (f->mm)
		atomic64_sub(pages, &f->mm->pinned_vm);
	atomic_long_sub(usable, &dev_total_bytes);
}

static struct bufpool *dev_pool(void)
{
	return bufpool_default_pool();
}

static int dev_open(struct inode *inode, struct file *file)
{
	struct dev_file *f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	f->mm = current->mm;	/* NULL for a kernel thread: nothing to charge */
	if (f->mm)
		mmgrab(f->mm);	/* the struct, not the address space */
	f->serial = (u32)atomic_inc_return(&dev_serial);
	xa_init_flags(&f->handles, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	file->private_data = f;
	return 0;
}

static int dev_release(struct inode *inode, struct file *file)
{
	struct dev_file *f = file->private_data;
	struct dev_alloc *a;
	unsigned long id;

	xa_for_each(&f->handles, id, a) {
		bufpool_free(dev_pool(), a->ptr);
		kfree(a);
		cond_resched();		/* up to max_handles_per_fd of them */
	}
	xa_destroy(&f->handles);
	dev_uncharge(f, f->bytes);
	if (f->mm)
		mmdrop(f->mm);
	kfree(f);
	return 0;
}

static long ioc_alloc(struct dev_file *f, void __user *uarg)
{
	struct bufpool *pool = dev_pool();
	struct bufpool_ioc_alloc arg;
	struct dev_alloc *a;
	size_t usable;
	u32 id;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.pad || (arg.flags & ~BUFPOOL_ALLOC_FLAGS) || arg.handle || arg.usable)
		return -EINVAL;
	if (!arg.size)
		return -EINVAL;
	if (arg.size > max_bytes_per_fd)
		return -E2BIG;
	usable = bufpool_pool_request_size(pool, arg.size);
	if (!usable || usable > max_bytes_per_fd)
		return -E2BIG;	/* would not fit even in an empty fd */
	if (f->nr_handles >= max_handles_per_fd)
		return -ENOSPC;
	if (usable > max_bytes_per_fd - f->bytes)
		return -ENOSPC;
	/* Probe that the answer can be written back before allocating. */
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	a = kmalloc(sizeof(*a), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!a)
		return -ENOMEM;
	ret = dev_charge(f, usable);
	if (ret)
		goto err_free_a;
	/* Reserve the handle first: an allocation must never be unreachable. */
	ret = xa_alloc(&f->handles, &id, NULL, xa_limit_32b, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (ret) {
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto err_uncharge;
	}
	/*
	 * Always zeroed: pooled memory holds what its last user wrote.  The
	 * usable size, the same element: the fd may use all of it (and KASAN,
	 * which poisons what lies past a request, agrees).
	 */
	a->ptr = bufpool_alloc(pool, usable, DEV_GFP);
	if (!a->ptr) {
		ret = -ENOMEM;
		goto err_erase;
	}
	a->usable = usable;
	arg.handle = (u64)f->serial << 32 | id;
	arg.usable = usable;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		bufpool_free(pool, a->ptr);
		ret = -EFAULT;
		goto err_erase;
	}
	xa_store(&f->handles, id, a, GFP_KERNEL);	/* the slot exists: no allocation */
	f->nr_handles++;
	f->bytes += usable;
	return 0;

err_erase:
	xa_erase(&f->handles, id);
err_uncharge:
	f->bytes += usable;	/* dev_uncharge() takes it as counted */
	dev_uncharge(f, usable);
	f->bytes -= usable;
err_free_a:
	kfree(a);
	return ret;
}

static struct dev_alloc *lookup(struct dev_file *f, u64 handle, u32 *id)
{
	if (handle >> 32 != f->serial)
		return NULL;
	*id = (u32)handle;
	return *id ? xa_load(&f->handles, *id) : NULL;
}

static long ioc_free(struct dev_file *f, void __user *uarg)
{
	struct bufpool_ioc_free arg;
	struct dev_alloc *a;
	u32 id;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || arg.pad)
		return -EINVAL;
	a = lookup(f, arg.handle, &id);
	if (!a)
		return -ENOENT;
	xa_erase(&f->handles, id);
	f->nr_handles--;
	dev_uncharge(f, a->usable);
	f->bytes -= a->usable;
	bufpool_free(dev_pool(), a->ptr);
	kfree(a);
	return 0;
}

static long ioc_rw(struct dev_file *f, void __user *uarg, bool write)
{
	struct bufpool_ioc_rw arg;
	struct dev_alloc *a;
	void __user *ubuf;
	u64 end;
	u32 id;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || arg.pad)
		return -EINVAL;
	a = lookup(f, arg.handle, &id);
	if (!a)
		return -ENOENT;
	if (check_add_overflow(arg.offset, arg.length, &end) || end > a->usable)
		return -EINVAL;
	if (!arg.length)
		return 0;
	ubuf = u64_to_user_ptr(arg.buf);
	if (write) {
		/* Fault the whole range in first, so a bad buffer changes nothing. */
		if (fault_in_readable(ubuf, arg.length))
			return -EFAULT;
		if (copy_from_user((char *)a->ptr + arg.offset, ubuf, arg.length))
			return -EFAULT;
	} else {
		if (copy_to_user(ubuf, (char *)a->ptr + arg.offset, arg.length))
			return -EFAULT;
	}
	return 0;
}

/*
 * Each counter of BUFPOOL_STATS() must sit in the uapi struct where struct
 * bufpool_stats has it, past @allocations, so that one copy moves them all:
 * the build fails on the first that does not.
 */
#define STAT_SAME_PLACE(name)						\
	BUILD_BUG_ON_ZERO(offsetof(struct bufpool_ioc_stats, name) -		\
			  offsetof(struct bufpool_ioc_stats, allocations) !=	\
			  offsetof(struct bufpool_stats, name)),
static const int stats_layout_checked[] __maybe_unused = {
	BUFPOOL_STATS(STAT_SAME_PLACE)
};

static void fill_stats(struct dev_file *f, struct bufpool_ioc_stats *out)
{
	struct bufpool_stats st;

	BUILD_BUG_ON(sizeof(*out) - offsetof(struct bufpool_ioc_stats, allocations) !=
		     sizeof(st));
	bufpool_get_stats(dev_pool(), &st);
	out->fd_handles = f->nr_handles;
	out->fd_bytes = f->bytes;
	/* Into the struct from @allocations on: the counters as one block. */
	memcpy((char *)out + offsetof(struct bufpool_ioc_stats, allocations), &st, sizeof(st));
}

static long ioc_stats(struct dev_file *f, struct bufpool_ioc_stats __user *uarg)
{
	struct bufpool_ioc_stats arg;
	u32 usize;
	int ret;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < BUFPOOL_STATS_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret)
		return ret;
	if (arg.pad)
		return -EINVAL;
	memset(&arg, 0, sizeof(arg));
	fill_stats(f, &arg);
	arg.size = min_t(u32, usize, sizeof(arg));
	if (copy_to_user(uarg, &arg, arg.size))
		return -EFAULT;
	return 0;
}

static long ioc_info(void __user *uarg)
{
	struct bufpool *pool = dev_pool();
	const struct bufpool_config *cfg = &pool->cfg;
	struct bufpool_ioc_info info = {
		.abi_version = BUFPOOL_ABI_VERSION,
		.page_size = pool->geo.page_size,
		.max_order = pool->geo.max_order,
		.nr_arenas = pool->nr_arenas,
		.chunk_size = pool->geo.chunk_size,
		.max_handles_per_fd = max_handles_per_fd,
		.max_bytes_per_fd = max_bytes_per_fd,
		.tiny_cache_size = cfg->tiny_cache_size,
		.small_cache_size = cfg->small_cache_size,
		.normal_cache_size = cfg->normal_cache_size,
		.max_cached_capacity = cfg->max_cached_capacity,
		.cache_trim_interval = cfg->cache_trim_interval,
		.cache_trim_interval_ms = cfg->cache_trim_interval_ms,
	};

	return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long ioc_trim(unsigned long arg)
{
	if (arg)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return bufpool_trim(dev_pool());
}

/*
 * STATS is extensible: its struct grows, and with it the size encoded in
 * the command number.  Match it by type, number and direction only and let
 * the struct's own size field negotiate.
 */
static bool is_stats(unsigned int cmd)
{
	return _IOC_TYPE(cmd) == BUFPOOL_IOC_MAGIC &&
	       _IOC_NR(cmd) == _IOC_NR(BUFPOOL_IOC_STATS) &&
	       _IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE);
}

static long dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dev_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	if (is_stats(cmd))
		cmd = BUFPOOL_IOC_STATS;
	switch (cmd) {
	case BUFPOOL_IOC_ALLOC:
	case BUFPOOL_IOC_FREE:
	case BUFPOOL_IOC_WRITE:
	case BUFPOOL_IOC_READ:
		/* Allocating and touching memory needs an fd opened for writing. */
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		break;
	case BUFPOOL_IOC_STATS:
		break;
	case BUFPOOL_IOC_INFO:
		return ioc_info(uarg);
	case BUFPOOL_IOC_TRIM:
		return ioc_trim(arg);
	default:
		return -ENOTTY;
	}
	mutex_lock(&f->lock);
	switch (cmd) {
	case BUFPOOL_IOC_ALLOC:
		ret = ioc_alloc(f, uarg);
		break;
	case BUFPOOL_IOC_FREE:
		ret = ioc_free(f, uarg);
		break;
	case BUFPOOL_IOC_WRITE:
		ret = ioc_rw(f, uarg, true);
		break;
	case BUFPOOL_IOC_READ:
		ret = ioc_rw(f, uarg, false);
		break;
	default:
		ret = ioc_stats(f, uarg);
		break;
	}
	mutex_unlock(&f->lock);
	return ret;
}

static const struct file_operations dev_fops = {
	.owner = THIS_MODULE,
	.open = dev_open,
	.release = dev_release,
	.unlocked_ioctl = dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice dev_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "bufpool",
	.fops = &dev_fops,
};

/*
 * max_bytes_total: 0 takes half of RAM (at least max_bytes_per_fd) and
 * is written back, so the parameter reads what is in force; a cap below
 * the per-fd limit, or above RAM, could not take effect.
 */
static int check_total(char *why, size_t len)
{
	unsigned long ram = totalram_pages() << PAGE_SHIFT;

	if (!max_bytes_total) {
		max_bytes_total = max(ram / 2, max_bytes_per_fd);
		return 0;
	}
	if (max_bytes_total < max_bytes_per_fd || max_bytes_total > ram) {
		scnprintf(why, len, "max_bytes_total=%lu invalid: must be in %lu..%lu (max_bytes_per_fd..RAM; 0 = half of RAM)",
			  max_bytes_total, max_bytes_per_fd, ram);
		return -EINVAL;
	}
	return 0;
}

/**
 * bufpool_dev_check_params() - validate the device's module parameters
 * @why: on failure, one line naming the parameter, its value and the range
 * @len: size of @why
 *
 * Context: module init.
 * Return: 0 or -EINVAL.
 */
int bufpool_dev_check_params(char *why, size_t len)
{
	if (!max_handles_per_fd || max_handles_per_fd > MAX_HANDLES_LIMIT) {
		scnprintf(why, len, "max_handles_per_fd=%u invalid: must be in 1..%u",
			  max_handles_per_fd, MAX_HANDLES_LIMIT);
		return -EINVAL;
	}
	if (max_bytes_per_fd < PAGE_SIZE || max_bytes_per_fd > MAX_BYTES_LIMIT) {
		scnprintf(why, len, "max_bytes_per_fd=%lu invalid: must be in %lu..%lu",
			  max_bytes_per_fd, PAGE_SIZE, MAX_BYTES_LIMIT);
		return -EINVAL;
	}
	if (!dev_mode || (dev_mode & ~0666u)) {
		scnprintf(why, len, "dev_mode=%#o invalid: only read/write bits, not 0 (the misc core takes 0 as unset: 0600)",
			  dev_mode);
		return -EINVAL;
	}
	return check_total(why, len);
}

/**
 * bufpool_dev_init() - register /dev/bufpool
 *
 * Context: module init, after the default pool exists.
 * Return: 0 or a negative errno from misc_register().
 */
int bufpool_dev_init(void)
{
	dev_misc.mode = dev_mode;
	return misc_register(&dev_misc);
}

/**
 * bufpool_dev_exit() - unregister it
 *
 * Context: module exit; no file is open (the module is pinned while one is).
 */
void bufpool_dev_exit(void)
{
	misc_deregister(&dev_misc);
}
