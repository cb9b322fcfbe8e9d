// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_orphan: a client module that breaks the rules on purpose.  It
 * creates two caches with a constructor, a destructor and a reclaim
 * callback, leaves objects allocated in one, and unloads without
 * destroying either.  qemu/init loads and unloads it, then runs the
 * shrinker: bslab must report both caches by name and module and never
 * call into the module's freed text (which would oops).
 */
#include <linux/module.h>
#include <bslab.h>

struct orphan_obj {
	u64 magic;
	u64 payload[7];
};

static int orphan_ctor(void *obj, void *priv, gfp_t gfp)
{
	((struct orphan_obj *)obj)->magic = 0x0c0ffee;
	return 0;
}

static void orphan_dtor(void *obj, void *priv)
{
	((struct orphan_obj *)obj)->magic = 0;
}

static void orphan_reclaim(void *priv)
{
	pr_info("bslab_orphan: reclaim called\n");
}

static int __init orphan_init(void)
{
	struct bslab_cache *held, *empty;
	void *obj;
	int i;

	held = bslab_cache_create("orphan_held", sizeof(struct orphan_obj), 0,
				  orphan_ctor, orphan_dtor, orphan_reclaim,
				  NULL, 0);
	empty = bslab_cache_create("orphan_empty", 1000, 0, orphan_ctor,
				   orphan_dtor, orphan_reclaim, NULL, 0);
	if (IS_ERR(held) || IS_ERR(empty))
		return -ENOMEM;
	for (i = 0; i < 3; i++)
		if (!bslab_cache_alloc(held, GFP_KERNEL))	/* leaked */
			return -ENOMEM;
	obj = bslab_cache_alloc(empty, GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	bslab_cache_free(empty, obj);
	return 0;
}

static void __exit orphan_exit(void)
{
	/* destroys nothing: the bug under test */
}

module_init(orphan_init);
module_exit(orphan_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bslab test: a client that unloads without destroying its caches");
