/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What users read and write: the debugfs files (debugfs.c), /proc
 * (procfs.c) and the verify report behind two of them (verify.c).
 */
#ifndef _BSLAB_FILES_H
#define _BSLAB_FILES_H

#include <linux/seq_file.h>
#include "internal.h"

/* verify.c: consistency checks of a cache. */
int bslab_verify_show(struct seq_file *m, struct bslab_cache *cp);
int bslab_verify_all_show(struct seq_file *m);

/* debugfs.c and procfs.c */
void bslab_debugfs_init(void);
void bslab_debugfs_exit(void);
void bslab_debugfs_add(struct bslab_cache *cp);
void bslab_debugfs_remove(struct bslab_cache *cp);
int bslab_procfs_init(void);
void bslab_procfs_exit(void);

#endif /* _BSLAB_FILES_H */
