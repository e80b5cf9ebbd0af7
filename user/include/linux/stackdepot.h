/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <linux/stackdepot.h> shim: stack_depot_init(), stack_depot_save() and
 * stack_depot_fetch() with the kernel's contracts - a stack is stored
 * once however often it is saved, its handle is a nonzero 32-bit value
 * valid for the life of the process, nothing is ever freed, and 0 means
 * it could not be stored.  Implemented in user/stack.c
 * (bufpool_depot_save()/bufpool_depot_fetch(), the library's one symbol
 * prefix).  Differences: one mutex around the table where the kernel's
 * lookups are lock-free (a leak record saves a stack once per allocating
 * call site, so it is never hot), a fixed limit of BUFPOOL_DEPOT_MAX
 * stacks where the kernel's is a memory budget, and no extra bits in the
 * handle; @gfp is ignored (malloc never sleeps in the kernel's sense).
 */
#ifndef _BUFPOOL_SHIM_LINUX_STACKDEPOT_H
#define _BUFPOOL_SHIM_LINUX_STACKDEPOT_H

#include <linux/types.h>
#include <linux/gfp.h>

typedef u32 depot_stack_handle_t;

#define BUFPOOL_DEPOT_MAX	65536u

depot_stack_handle_t bufpool_depot_save(const unsigned long *entries, unsigned int nr);
unsigned int bufpool_depot_fetch(depot_stack_handle_t handle, unsigned long **entries);
void bufpool_depot_fork(int stage);

static inline int stack_depot_init(void)
{
	return 0;
}

static inline depot_stack_handle_t stack_depot_save(unsigned long *entries,
						    unsigned int nr_entries, gfp_t gfp)
{
	return bufpool_depot_save(entries, nr_entries);
}

static inline unsigned int stack_depot_fetch(depot_stack_handle_t handle,
					     unsigned long **entries)
{
	return bufpool_depot_fetch(handle, entries);
}

#endif
