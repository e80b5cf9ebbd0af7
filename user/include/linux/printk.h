/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: printk levels go to stderr (pr_info too: a library keeps stdout
 * for its user), through pr_fmt as in the kernel: a file that defines it
 * before its includes prefixes its messages. */
#ifndef _BUFPOOL_SHIM_LINUX_PRINTK_H
#define _BUFPOOL_SHIM_LINUX_PRINTK_H

#include <stdio.h>

#ifndef pr_fmt
#define pr_fmt(fmt)		fmt
#endif

#define pr_err(fmt, ...)	fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)

#endif
