/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shim: get_random_long() from getrandom(2), falling back to the clock. */
#ifndef _BUFPOOL_SHIM_LINUX_RANDOM_H
#define _BUFPOOL_SHIM_LINUX_RANDOM_H

#include <sys/random.h>
#include <time.h>

static inline unsigned long get_random_long(void)
{
	unsigned long v;
	struct timespec ts;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == sizeof(v))
		return v;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((unsigned long)ts.tv_nsec * 0x9E3779B97F4A7C15ul) ^ (unsigned long)&v;
}

#endif
