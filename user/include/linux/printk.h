/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: printk levels go to stderr (pr_info too: a library keeps stdout
 * for its user). */
#ifndef _BUFPOOL_SHIM_LINUX_PRINTK_H
#define _BUFPOOL_SHIM_LINUX_PRINTK_H

#include <stdio.h>

#define pr_err(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)

#endif
