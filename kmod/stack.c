// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * stack.c (kernel) - call stacks for leak records: stack_trace_save(),
 * printed with %pS; an address with no symbol left (init code, a module
 * since unloaded) prints as "?", never as a raw kernel address.
 */
#include <linux/stacktrace.h>
#include "world.h"

/**
 * bufpool_stack_save() - the caller's stack
 * @entries: filled with return addresses, innermost first
 * @max: room in @entries
 * @skip: innermost frames to leave out (bufpool's own)
 *
 * Context: any.
 * Return: frames stored.
 */
unsigned int bufpool_stack_save(unsigned long *entries, unsigned int max, unsigned int skip)
{
	return stack_trace_save(entries, max, skip);
}

/**
 * bufpool_stack_symbol() - an address as "function+off/size [module]" or "?"
 * @buf: where to
 * @len: its size
 * @addr: a return address
 *
 * Context: any.
 */
void bufpool_stack_symbol(char *buf, size_t len, unsigned long addr)
{
	scnprintf(buf, len, "%pS", (void *)addr);
	/* No symbol (freed init code, an unloaded module): no raw address. */
	if (!strncmp(buf, "0x", 2))
		strscpy(buf, "? (code no longer loaded: init code or an unloaded module)", len);
}
