// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * stack.c (userspace) - call stacks for leak records: glibc's backtrace(),
 * named through dladdr() (exported symbols; link with -rdynamic for the
 * program's own functions), else printed as an address.
 */
#include <dlfcn.h>
#include <execinfo.h>
#include "leak.h"
#include "world.h"

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
