// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_demo: a small workload that shows what bslab's stats look like.
 *
 * At load it creates four caches as a filesystem-like client would: an
 * inode-like object with a constructor and destructor (a lock, a list head
 * and a generation count that survive free and reuse), a dentry-like small
 * object, and two large-object caches (a page-sized buffer and a 16 KiB
 * one) that go through the bufctl hash.  It churns them for a while, leaves
 * a working set allocated so the stats have something to show, and also
 * uses bslab_alloc() for a spread of sizes.  Everything is freed and the
 * caches destroyed at unload.  It is also a template for a client module:
 * see the README for building one against bslab's Module.symvers.
 */
#include <linux/module.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/random.h>
#include <bslab.h>

struct demo_inode {
	spinlock_t lock;		/* guards children */
	struct list_head children;
	unsigned long generation;	/* survives free: constructed state */
	unsigned long ino;
	char payload[128];
};

#define DEMO_INODES	6000
#define DEMO_DENTRIES	3000
#define DEMO_PAGES	400
#define DEMO_BUFS	40
#define DEMO_KMEM	64
#define DEMO_BURST	100

static struct bslab_cache *inode_cache, *dentry_cache, *page_cache, *buf_cache;
static struct demo_inode *inodes[DEMO_INODES];
static void *dentries[DEMO_DENTRIES];
static void *pages[DEMO_PAGES];
static void *bufs[DEMO_BUFS];
static void *kmem[DEMO_KMEM];
static size_t kmem_size[DEMO_KMEM];
static struct demo_inode *burst[DEMO_BURST];
static atomic_t ctor_calls, dtor_calls;

static int demo_inode_ctor(void *obj, void *priv, gfp_t gfp)
{
	struct demo_inode *di = obj;

	spin_lock_init(&di->lock);
	INIT_LIST_HEAD(&di->children);
	di->generation = 0;
	atomic_inc(&ctor_calls);
	return 0;
}

static void demo_inode_dtor(void *obj, void *priv)
{
	struct demo_inode *di = obj;

	WARN_ON_ONCE(!list_empty(&di->children));
	atomic_inc(&dtor_calls);
}

static void demo_free_all(void)
{
	int i;

	if (!inode_cache || !dentry_cache || !page_cache || !buf_cache)
		return;		/* setup failed before anything was allocated */
	for (i = 0; i < DEMO_INODES; i++)
		bslab_cache_free(inode_cache, inodes[i]);
	bslab_cache_free_bulk(dentry_cache, DEMO_DENTRIES, dentries);
	for (i = 0; i < DEMO_PAGES; i++)
		bslab_cache_free(page_cache, pages[i]);
	for (i = 0; i < DEMO_BUFS; i++)
		bslab_cache_free(buf_cache, bufs[i]);
	for (i = 0; i < DEMO_KMEM; i++)
		bslab_free(kmem[i], kmem_size[i]);
}

static void demo_destroy_all(void)
{
	bslab_cache_destroy(buf_cache);
	bslab_cache_destroy(page_cache);
	bslab_cache_destroy(dentry_cache);
	bslab_cache_destroy(inode_cache);
}

static int demo_workload(void)
{
	struct demo_inode *di;
	int round, i;

	/* churn: fill, free most, refill; the ctor runs only for new slabs */
	for (round = 0; round < 3; round++) {
		for (i = 0; i < DEMO_INODES; i++) {
			if (inodes[i])
				continue;
			di = bslab_cache_alloc(inode_cache, GFP_KERNEL);
			if (!di)
				return -ENOMEM;
			di->generation++;
			di->ino = i;
			inodes[i] = di;
		}
		for (i = 0; i < DEMO_INODES; i++) {
			if (get_random_u32() % 4 == 0)
				continue;	/* keep a quarter live */
			bslab_cache_free(inode_cache, inodes[i]);
			inodes[i] = NULL;
		}
	}
	if (!bslab_cache_alloc_bulk(dentry_cache, GFP_KERNEL, DEMO_DENTRIES,
				    dentries))
		return -ENOMEM;
	for (i = 0; i < DEMO_PAGES; i++) {
		pages[i] = bslab_cache_alloc(page_cache, GFP_KERNEL);
		if (!pages[i])
			return -ENOMEM;
	}
	for (i = 0; i < DEMO_PAGES; i += 2) {
		bslab_cache_free(page_cache, pages[i]);
		pages[i] = NULL;
	}
	for (i = 0; i < DEMO_BUFS; i++) {
		bufs[i] = bslab_cache_alloc(buf_cache, GFP_KERNEL);
		if (!bufs[i])
			return -ENOMEM;
	}
	for (i = 0; i < DEMO_KMEM; i++) {
		kmem_size[i] = 1 + get_random_u32() % (i < 60 ? 4096 : 65536);
		kmem[i] = bslab_alloc(kmem_size[i], GFP_KERNEL);
		if (!kmem[i])
			return -ENOMEM;
	}
	/* give back what the churn left, then a burst that stays in magazines */
	bslab_cache_reap(inode_cache);
	for (i = 0; i < DEMO_BURST; i++) {
		burst[i] = bslab_cache_alloc(inode_cache, GFP_KERNEL);
		if (!burst[i])
			return -ENOMEM;
	}
	for (i = 0; i < DEMO_BURST; i++)
		bslab_cache_free(inode_cache, burst[i]);
	return 0;
}

static int __init bslab_demo_init(void)
{
	int err;

	inode_cache = bslab_cache_create("demo_inode",
					 sizeof(struct demo_inode), 0,
					 demo_inode_ctor, demo_inode_dtor,
					 NULL, NULL, BSLAB_RECLAIMABLE);
	dentry_cache = bslab_cache_create("demo_dentry", 192, 0, NULL, NULL,
					  NULL, NULL, BSLAB_HWCACHE_ALIGN);
	page_cache = bslab_cache_create("demo_page", PAGE_SIZE, PAGE_SIZE,
					NULL, NULL, NULL, NULL, 0);
	buf_cache = bslab_cache_create("demo_buf_16k", 16384, 0, NULL, NULL,
				       NULL, NULL, 0);
	err = PTR_ERR_OR_ZERO(inode_cache) ?: PTR_ERR_OR_ZERO(dentry_cache) ?:
	      PTR_ERR_OR_ZERO(page_cache) ?: PTR_ERR_OR_ZERO(buf_cache);
	if (!err)
		err = demo_workload();
	if (err)
		goto fail;
	pr_info("bslab_demo: workload done: %d inode ctor calls for %d inode allocations\n",
		atomic_read(&ctor_calls), 3 * DEMO_INODES);
	return 0;

fail:
	pr_err("bslab_demo: setup failed: %d\n", err);
	if (IS_ERR(inode_cache))
		inode_cache = NULL;
	if (IS_ERR(dentry_cache))
		dentry_cache = NULL;
	if (IS_ERR(page_cache))
		page_cache = NULL;
	if (IS_ERR(buf_cache))
		buf_cache = NULL;
	demo_free_all();
	demo_destroy_all();
	return err;
}

static void __exit bslab_demo_exit(void)
{
	demo_free_all();
	demo_destroy_all();
	pr_info("bslab_demo: unloaded: %d ctor and %d dtor calls\n",
		atomic_read(&ctor_calls), atomic_read(&dtor_calls));
}

module_init(bslab_demo_init);
module_exit(bslab_demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bslab demo workload");
