/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: RCU read-side markers only.  There are no grace periods here
 * (no synchronize_rcu, no kfree_rcu): the core uses RCU lists only for
 * objects it keeps until the pool is destroyed, where marking the readers
 * is all that is needed. */
#ifndef _BUFPOOL_SHIM_LINUX_RCUPDATE_H
#define _BUFPOOL_SHIM_LINUX_RCUPDATE_H

#define rcu_read_lock()		do { } while (0)
#define rcu_read_unlock()	do { } while (0)

#endif
