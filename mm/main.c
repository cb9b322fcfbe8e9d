// SPDX-License-Identifier: GPL-2.0
/*
 * bslab module: bringing the allocator up and down.
 *
 * Bootstrap order matters.  The debugfs root comes first, since every cache
 * gets a directory there.  Then the descriptor caches, which hold the
 * descriptors of off-slab slabs (with their bits or their bufctls): all
 * are small caches, and each can take its own descriptors only from those
 * made before it (the first keeps them in its slabs), so making a slab
 * never goes round in a circle; and none has magazines, since the caches
 * of magazines (some of them large) depend on them.  Then the caches of
 * magazines (which have no magazines themselves), then the bslab_alloc()
 * size classes, some of them large caches.  Then /proc/bslabinfo, once
 * there is something to show, then the reaper, the shrinker and the CPU
 * hotplug callback, which walk the caches, and last the module notifier
 * that orphans the caches of a module that goes away.  Unloading is the
 * reverse, after destroying (and reporting) any cache a client left
 * behind and releasing dead caches (destroyed with objects still
 * allocated) under their own names.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "cache.h"
#include "slab.h"
#include "depot.h"
#include "reap.h"
#include "debug.h"
#include "sizes.h"
#include "files.h"

#define CREATE_TRACE_POINTS
#include <trace/events/bslab.h>

/* The descriptor caches (internal.h), for slab.c, the tests and the bench. */
struct bslab_cache *bslab_desc_caches[BSLAB_DESC_CACHES];
BSLAB_EXPORT_INTERNAL(bslab_desc_caches);

static void meta_describe(unsigned int i, struct bslab_internal_desc *d)
{
	unsigned int n = bslab_desc_objs[i];

	if (i < BSLAB_DESC_SMALL) {
		snprintf(d->name, sizeof(d->name), "bslab_slab_%u", n);
		d->size = struct_size_t(struct bslab_slab, out,
					BITS_TO_LONGS(n));
	} else {
		snprintf(d->name, sizeof(d->name), "bslab_bufctl_%u", n);
		d->size = struct_size_t(struct bslab_slab, bufctl, n);
	}
	d->flags = BSLAB_NOMAGAZINE;
	d->metadata = true;
}

/* Destroy, and report, every cache a client left behind at unload. */
static void destroy_leftovers(void)
{
	struct bslab_cache *cp, *found;

	for (;;) {
		found = NULL;
		mutex_lock(&bslab_setup_mutex);
		list_for_each_entry(cp, &bslab_caches, caches) {
			if (!cp->internal) {
				found = cp;
				break;
			}
		}
		mutex_unlock(&bslab_setup_mutex);
		if (!found)
			return;
		pr_err("bslab: cache %s: still exists at unload; destroying it\n",
		       found->name);
		bslab_cache_destroy(found);
	}
}

static int __init bslab_init(void)
{
	int err;

	bslab_home_init();
	bslab_debugfs_init();
	err = bslab_internal_create(bslab_desc_caches,
				    ARRAY_SIZE(bslab_desc_caches),
				    meta_describe);
	if (err)
		goto out_debugfs;
	err = bslab_magazine_init();
	if (err)
		goto out_meta;
	err = bslab_sizes_init();
	if (err)
		goto out_magazine;
	err = bslab_procfs_init();
	if (err)
		goto out_sizes;
	err = bslab_reap_init();
	if (err)
		goto out_procfs;
	err = bslab_owner_init();
	if (err)
		goto out_reap;
	pr_info("bslab: ready\n");
	return 0;

out_reap:
	bslab_reap_exit();
out_procfs:
	bslab_procfs_exit();
out_sizes:
	bslab_sizes_exit();
out_magazine:
	bslab_magazine_exit();
out_meta:
	bslab_internal_destroy(bslab_desc_caches, ARRAY_SIZE(bslab_desc_caches));
out_debugfs:
	bslab_debugfs_exit();
	bslab_debug_exit();
	rcu_barrier();		/* the structs of destroyed caches: cache.c */
	return err;
}

static void __exit bslab_exit(void)
{
	bslab_owner_exit();
	bslab_reap_exit();
	bslab_procfs_exit();
	destroy_leftovers();
	bslab_sizes_exit();
	bslab_cache_release_dead();
	bslab_magazine_exit();
	bslab_internal_destroy(bslab_desc_caches, ARRAY_SIZE(bslab_desc_caches));
	bslab_debugfs_exit();
	bslab_debug_exit();
	rcu_barrier();		/* the structs of destroyed caches: cache.c */
}

module_init(bslab_init);
module_exit(bslab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bslab: Bonwick-style object-caching slab allocator");
