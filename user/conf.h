/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * conf.h - BUFPOOL_CONF for bufpool_create(NULL) (user/conf.c).
 */
#ifndef _BUFPOOL_USER_CONF_H
#define _BUFPOOL_USER_CONF_H

struct bufpool_config;

/*
 * Bytes of the copy of BUFPOOL_CONF that is parsed: every key with a
 * 10-digit value (or a 31-character name) takes under 500.
 */
#define BUFPOOL_CONF_BUF	1024u

void bufpool_conf_from_env(struct bufpool_config *cfg, char *buf);

#endif /* _BUFPOOL_USER_CONF_H */
