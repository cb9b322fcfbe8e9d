/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU layer and the depot (magazine.c) as the rest of bslab sees them:
 * draining a CPU's magazines, purging the depot, magazine sizes.
 */
#ifndef _BSLAB_DEPOT_H
#define _BSLAB_DEPOT_H

#include "internal.h"

extern struct bslab_magazine bslab_no_magazine;
int bslab_magazine_init(void);
void bslab_magazine_exit(void);
void bslab_cpu_drain(struct bslab_cache *cp, unsigned int cpu);
void bslab_cpu_drain_all(struct bslab_cache *cp);
bool bslab_cpu_drain_idle(struct bslab_cache *cp);
unsigned long bslab_depot_purge(struct bslab_cache *cp, bool all,
				unsigned long *mags);
unsigned int bslab_magazine_size(const struct bslab_cache *cp);
unsigned long bslab_depot_limit(void);
unsigned long bslab_depot_limit_of(const struct bslab_cache *cp);
void bslab_depot_limit_tick(struct bslab_cache *cp);
bool bslab_magazine_resize(struct bslab_cache *cp, bool up);

#endif /* _BSLAB_DEPOT_H */
