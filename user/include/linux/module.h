/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: module metadata means nothing in a library or test program. */
#ifndef _BUFPOOL_SHIM_LINUX_MODULE_H
#define _BUFPOOL_SHIM_LINUX_MODULE_H

#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_IMPORT_NS(x)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#endif
