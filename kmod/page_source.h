/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* page_source.h - the kernel page source's module-lifetime hooks. */
#ifndef _BUFPOOL_KMOD_PAGE_SOURCE_H
#define _BUFPOOL_KMOD_PAGE_SOURCE_H

void bufpool_page_source_exit(void);

#endif
