// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * stack.c (userspace) - call stacks for leak records: glibc's backtrace(),
 * named through dladdr() (exported symbols; link with -rdynamic for the
 * program's own functions), else printed as an address; and the depot
 * behind the <linux/stackdepot.h> shim, which stores each distinct stack
 * once and hands out a 32-bit handle for it.
 *
 * The depot: records chained in a hash table by a hash of their frames,
 * and an array from handle - 1 to record, all under depot_lock, a leaf
 * lock (taken with no other bufpool lock held; fork.c takes it last before
 * a fork).  Records are never freed, as in the kernel.
 */
#include <dlfcn.h>
#include <execinfo.h>
#include <linux/stackdepot.h>
#include "leak.h"
#include "world.h"

#define DEPOT_HASH_BITS	10

struct depot_rec {
	struct depot_rec *next;
	u32 hash;
	depot_stack_handle_t handle;
	unsigned int nr;
	unsigned long entries[];
};

static pthread_mutex_t depot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct depot_rec *depot_hash[1u << DEPOT_HASH_BITS];
static struct depot_rec **depot_recs;	/* [handle - 1] */
static unsigned int depot_nr, depot_cap;

static u32 depot_hash_of(const unsigned long *entries, unsigned int nr)
{
	unsigned long h = nr;
	unsigned int i;

	for (i = 0; i < nr; i++)
		h = hash_long(h ^ entries[i], 32) + i;
	return (u32)h;
}

/**
 * bufpool_depot_save() - store a stack once; stack_depot_save() of the shim
 * @entries: return addresses
 * @nr: how many
 *
 * Context: any thread; takes the depot lock.
 * Return: the stack's handle (the same for the same frames), or 0 if it
 * could not be stored (no frames, no memory, or BUFPOOL_DEPOT_MAX stacks).
 */
depot_stack_handle_t bufpool_depot_save(const unsigned long *entries, unsigned int nr)
{
	u32 hash = depot_hash_of(entries, nr);
	struct depot_rec **head = &depot_hash[hash >> (32 - DEPOT_HASH_BITS)];
	depot_stack_handle_t handle = 0;
	struct depot_rec *r;

	if (!nr)
		return 0;
	pthread_mutex_lock(&depot_lock);
	for (r = *head; r; r = r->next) {
		if (r->hash == hash && r->nr == nr &&
		    !memcmp(r->entries, entries, nr * sizeof(*entries))) {
			handle = r->handle;
			goto out;
		}
	}
	if (depot_nr == depot_cap) {
		unsigned int cap = depot_cap ? 2 * depot_cap : 64;
		struct depot_rec **recs;

		if (cap > BUFPOOL_DEPOT_MAX)
			goto out;
		recs = realloc(depot_recs, cap * sizeof(*recs));
		if (!recs)
			goto out;
		depot_recs = recs;
		depot_cap = cap;
	}
	r = malloc(struct_size(r, entries, nr));
	if (!r)
		goto out;
	r->hash = hash;
	r->nr = nr;
	memcpy(r->entries, entries, nr * sizeof(*entries));
	depot_recs[depot_nr++] = r;
	r->handle = depot_nr;
	r->next = *head;
	*head = r;
	handle = r->handle;
out:
	pthread_mutex_unlock(&depot_lock);
	return handle;
}

/**
 * bufpool_depot_fetch() - a stored stack; stack_depot_fetch() of the shim
 * @handle: from bufpool_depot_save()
 * @entries: set to the frames (valid for the life of the process), or
 *           NULL for handle 0 or an unknown one
 *
 * Context: any thread; takes the depot lock.
 * Return: the number of frames, 0 if none.
 */
unsigned int bufpool_depot_fetch(depot_stack_handle_t handle, unsigned long **entries)
{
	struct depot_rec *r = NULL;

	pthread_mutex_lock(&depot_lock);
	if (handle && handle <= depot_nr)
		r = depot_recs[handle - 1];
	pthread_mutex_unlock(&depot_lock);
	*entries = r ? r->entries : NULL;
	return r ? r->nr : 0;
}

/**
 * bufpool_depot_fork() - the depot lock across fork() (fork.c)
 * @stage: 0 before the fork, 1 in the parent after it, 2 in the child
 *
 * Context: the forking thread, from pthread_atfork's handlers.
 */
void bufpool_depot_fork(int stage)
{
	if (stage == 0)
		pthread_mutex_lock(&depot_lock);
	else if (stage == 1)
		pthread_mutex_unlock(&depot_lock);
	else
		pthread_mutex_init(&depot_lock, NULL);
}

/**
 * bufpool_stack_save() - the caller's stack
 * @entries: filled with return addresses, innermost first
 * @max: room in @entries
 * @skip: innermost frames to leave out (bufpool's own)
 *
 * Context: any thread.
 * Return: frames stored.
 */
unsigned int bufpool_stack_save(unsigned long *entries, unsigned int max, unsigned int skip)
{
	void *frames[BUFPOOL_LEAK_STACK + 8];
	int n = backtrace(frames, (int)min_t(unsigned int, max + skip, ARRAY_SIZE(frames)));
	unsigned int i, k = 0;

	for (i = skip; i < (unsigned int)n && k < max; i++)
		entries[k++] = (unsigned long)frames[i];
	return k;
}

/**
 * bufpool_stack_symbol() - an address as "symbol+off (object)"
 * @buf: where to
 * @len: its size
 * @addr: a return address
 *
 * Context: any thread.
 */
void bufpool_stack_symbol(char *buf, size_t len, unsigned long addr)
{
	Dl_info info;

	if (dladdr((void *)addr, &info) && info.dli_sname)
		scnprintf(buf, len, "%s+%#lx (%s)", info.dli_sname,
			  addr - (unsigned long)info.dli_saddr, info.dli_fname);
	else if (dladdr((void *)addr, &info) && info.dli_fname)
		scnprintf(buf, len, "%#lx (%s+%#lx)", addr, info.dli_fname,
			  addr - (unsigned long)info.dli_fbase);
	else
		scnprintf(buf, len, "%#lx", addr);
}
