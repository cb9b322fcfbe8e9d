/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bslab compatibility: every kernel interface whose form differs between the
 * kernel versions bslab builds against (6.12 now, 6.1 next) is wrapped here,
 * so the rest of the code has one spelling.
 */
#ifndef _BSLAB_COMPAT_H
#define _BSLAB_COMPAT_H

#include <linux/version.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/shrinker.h>

/*
 * Symbols exported only for bslab's own test module live in a namespace.
 * Up to 6.12 the namespace is a bare identifier; from 6.13 on a string.
 */
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
#define BSLAB_EXPORT_INTERNAL(sym)	EXPORT_SYMBOL_NS_GPL(sym, "BSLAB_INTERNAL")
#define BSLAB_IMPORT_INTERNAL()		MODULE_IMPORT_NS("BSLAB_INTERNAL")
#else
#define BSLAB_EXPORT_INTERNAL(sym)	EXPORT_SYMBOL_NS_GPL(sym, BSLAB_INTERNAL)
#define BSLAB_IMPORT_INTERNAL()		MODULE_IMPORT_NS(BSLAB_INTERNAL)
#endif

/*
 * The shrinker: 6.7 and later allocate it (shrinker_alloc), earlier kernels
 * register a caller-owned struct.  Only the 6.7+ form exists so far.
 */
static inline struct shrinker *
bslab_shrinker_create(const char *name,
		      unsigned long (*count)(struct shrinker *,
					     struct shrink_control *),
		      unsigned long (*scan)(struct shrinker *,
					    struct shrink_control *))
{
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);
	return s;
}

static inline void bslab_shrinker_destroy(struct shrinker *s)
{
	shrinker_free(s);
}

#endif /* _BSLAB_COMPAT_H */
