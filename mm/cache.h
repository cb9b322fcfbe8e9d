/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cache layer (cache.c) as the other files see it: bslab's own
 * caches, a cache's work item, and what happens when a module goes.
 */
#ifndef _BSLAB_CACHE_H
#define _BSLAB_CACHE_H

#include "internal.h"

/*
 * How to make one of bslab's own caches: see bslab_internal_create().
 * @metadata: its objects describe other objects (see struct bslab_cache).
 */
struct bslab_internal_desc {
	char name[BSLAB_NAME_MAX + 1];
	size_t size;
	size_t align;
	unsigned int flags;
	bool metadata;
};

int bslab_internal_create(struct bslab_cache **caches, unsigned int n,
			  void (*describe)(unsigned int i,
					   struct bslab_internal_desc *d));
void bslab_internal_destroy(struct bslab_cache **caches, unsigned int n);
void bslab_cache_release_dead(void);
void bslab_owner_going(struct module *mod);
int bslab_owner_init(void);
void bslab_owner_exit(void);

#endif /* _BSLAB_CACHE_H */
