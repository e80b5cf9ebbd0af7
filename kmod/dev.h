/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * dev.h - /dev/bufpool (kmod/dev.c).
 */
#ifndef _BUFPOOL_DEV_H
#define _BUFPOOL_DEV_H

#include <linux/types.h>

int bufpool_dev_check_params(char *why, size_t len);
int bufpool_dev_init(void);
void bufpool_dev_exit(void);

#endif /* _BUFPOOL_DEV_H */
