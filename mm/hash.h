/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bufctl hash of large caches (hash.c): an allocated object's bufctl,
 * found from its address.  Functions named _locked expect cp->lock.
 */
#ifndef _BSLAB_HASH_H
#define _BSLAB_HASH_H

#include "internal.h"

int bslab_hash_init(struct bslab_cache *cp);
void bslab_hash_destroy(struct bslab_cache *cp);
void bslab_hash_insert_locked(struct bslab_cache *cp, struct bslab_bufctl *bc);
struct bslab_bufctl *bslab_hash_remove_locked(struct bslab_cache *cp,
					      const void *buf);
struct bslab_bufctl *bslab_hash_find_locked(struct bslab_cache *cp,
					    const void *buf);
bool bslab_hash_wants_rescale_locked(const struct bslab_cache *cp);
void bslab_hash_rescale(struct bslab_cache *cp);
void bslab_hash_release(struct bslab_cache *cp);

#endif /* _BSLAB_HASH_H */
