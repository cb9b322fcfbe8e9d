/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The size classes of bslab_alloc() (sizes.c).
 */
#ifndef _BSLAB_SIZES_H
#define _BSLAB_SIZES_H

#include "internal.h"

int bslab_sizes_init(void);
void bslab_sizes_exit(void);
void bslab_sizes_large_stats(unsigned long *allocs, unsigned long *bytes);
void bslab_sizes_flush(void);
struct bslab_cache *bslab_size_class(size_t size);

#endif /* _BSLAB_SIZES_H */
