/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Giving memory back (reap.c): a reap of one cache, the periodic reaper,
 * the shrinker and CPU hotplug.
 */
#ifndef _BSLAB_REAP_H
#define _BSLAB_REAP_H

#include "internal.h"

enum bslab_reap_how {
	BSLAB_REAP_SURPLUS,	/* the depot's working-set surplus */
	BSLAB_REAP_ALL,		/* every depot magazine */
	BSLAB_REAP_SHRINK,	/* every depot magazine, for the shrinker */
};

unsigned long bslab_reap_now(struct bslab_cache *cp, enum bslab_reap_how how);
int bslab_reap_init(void);
void bslab_reap_exit(void);
void bslab_reap_tick(struct bslab_cache *cp);
void bslab_cache_reap_nowait(struct bslab_cache *cp);
void bslab_reap_all(void);

#endif /* _BSLAB_REAP_H */
