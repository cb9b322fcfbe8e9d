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
 *
 * With live=SECONDS it then keeps a workload running for that long (or
 * until 0 is written to the parameter), in a kthread, ticking every 20 ms
 * through code paths with different shapes over time, the shapes a leak
 * hunt has to tell apart:
 *
 *   demo_open/demo_close	steady churn of demo_inode
 *   demo_mount			demo_buf_16k grows for 3 s, then stops
 *   demo_lookup/demo_prune	demo_dentry grows and shrinks, 2 s each way
 *   demo_readahead		demo_page spikes once (256 pages at 3 s, freed
 *				at 4 s)
 *   demo_rename		demo_name: replaces names, and in one case of
 *				four forgets to free the old one: the leak (of
 *				up to LIVE_LEAK_MAX names)
 *
 * The leaked names are lost to the workload, not to the module: it keeps
 * them on a list the buggy code never reads, and frees them at unload, so
 * the demo leaves bslab clean.
 */
#include <linux/module.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/random.h>
#include <linux/kthread.h>
#include <linux/delay.h>
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

static DEFINE_MUTEX(live_lock);	/* guards live, live_task, demo_ready */
static unsigned int live;
static struct task_struct *live_task;
static bool demo_ready;
static bool live_end;		/* written 0 while running: stop early */
static int demo_live(void *secs);

/* Starts the live workload once; live_lock held, the caches made. */
static int live_start(void)
{
	struct task_struct *task;

	lockdep_assert_held(&live_lock);
	if (live_task)
		return -EBUSY;
	task = kthread_run(demo_live, (void *)(unsigned long)live,
			   "bslab_demo_live");
	if (IS_ERR(task))
		return PTR_ERR(task);
	live_task = task;
	pr_info("bslab_demo: live workload running for %u s\n", live);
	return 0;
}

/*
 * live=SECONDS at load, or written to /sys/module/bslab_demo/parameters/live
 * later, starts the live workload; it runs once per load (-EBUSY after).
 * Writing 0 while it runs ends it early.
 */
static int live_set(const char *val, const struct kernel_param *kp)
{
	unsigned int secs;
	int err;

	err = kstrtouint(val, 0, &secs);
	if (err)
		return err;
	mutex_lock(&live_lock);
	if (!demo_ready) {
		live = secs;		/* at load: init starts it */
	} else if (live_task) {
		if (secs)
			err = -EBUSY;
		else
			WRITE_ONCE(live_end, true);
	} else if (secs) {
		live = secs;
		err = live_start();
	}
	mutex_unlock(&live_lock);
	return err;
}

static const struct kernel_param_ops live_ops = {
	.set = live_set,
	.get = param_get_uint,
};
module_param_cb(live, &live_ops, &live, 0644);
MODULE_PARM_DESC(live, "seconds of live workload, from load or when written (0: none)");

#define LIVE_TICK_MS	20
#define LIVE_OPEN	32
#define LIVE_MOUNTS	48
#define LIVE_DENTRIES	800
#define LIVE_LOOKUP	8
#define LIVE_READAHEAD	256
#define LIVE_NAMES	64
#define LIVE_RENAMES	4
#define LIVE_LEAK_MAX	4096

/* a name as a filesystem would hold one: freed when replaced */
struct demo_name {
	struct list_head lost;		/* only for the demo's own cleanup */
	unsigned int len;
	char str[84];
};

static struct bslab_cache *name_cache;
static void *mounts[LIVE_MOUNTS];
static void *ldentries[LIVE_DENTRIES];
static void *readahead[LIVE_READAHEAD];
static struct demo_name *names[LIVE_NAMES];
static LIST_HEAD(lost_names);
static unsigned int nmounts, nldentries, nlost;

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

	if (!inode_cache || !dentry_cache || !page_cache || !buf_cache ||
	    !name_cache)
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
	bslab_cache_destroy(name_cache);
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

static noinline void demo_open_close(void)
{
	void *open[LIVE_OPEN];
	int i;

	for (i = 0; i < LIVE_OPEN; i++)
		open[i] = bslab_cache_alloc(inode_cache, GFP_KERNEL);
	for (i = 0; i < LIVE_OPEN; i++)
		if (open[i])
			bslab_cache_free(inode_cache, open[i]);
}

static noinline void demo_mount(void)
{
	if (nmounts == LIVE_MOUNTS)
		return;
	mounts[nmounts] = bslab_cache_alloc(buf_cache, GFP_KERNEL);
	if (mounts[nmounts])
		nmounts++;
}

static noinline void demo_lookup(void)
{
	int i;

	for (i = 0; i < LIVE_LOOKUP && nldentries < LIVE_DENTRIES; i++) {
		ldentries[nldentries] = bslab_cache_alloc(dentry_cache,
							  GFP_KERNEL);
		if (!ldentries[nldentries])
			break;
		nldentries++;
	}
}

static noinline void demo_prune(void)
{
	int i;

	for (i = 0; i < LIVE_LOOKUP && nldentries; i++)
		bslab_cache_free(dentry_cache, ldentries[--nldentries]);
}

static noinline void demo_readahead(bool start)
{
	int i;

	for (i = 0; i < LIVE_READAHEAD; i++) {
		if (start) {
			readahead[i] = bslab_cache_alloc(page_cache, GFP_KERNEL);
		} else if (readahead[i]) {
			bslab_cache_free(page_cache, readahead[i]);
			readahead[i] = NULL;
		}
	}
}

static noinline void demo_rename(unsigned int slot, unsigned long tick)
{
	struct demo_name *old = names[slot], *new;

	new = bslab_cache_alloc(name_cache, GFP_KERNEL);
	if (!new)
		return;
	new->len = scnprintf(new->str, sizeof(new->str), "name-%lu", tick);
	names[slot] = new;
	if (!old)
		return;
	/*
	 * The bug: a rename onto a slot that is a multiple of four "moves"
	 * the old name elsewhere and forgets it.  The demo remembers it on
	 * lost_names so unload can free it; the workload never does.
	 */
	if (slot % LIVE_RENAMES == 0 && nlost < LIVE_LEAK_MAX) {
		list_add(&old->lost, &lost_names);
		nlost++;
		return;
	}
	bslab_cache_free(name_cache, old);
}

static int demo_live(void *secs)
{
	unsigned long start = jiffies, tick = 0;
	unsigned long end = start + (unsigned long)secs * HZ;
	bool spiked = false, spike_done = false;
	unsigned int ms, i;

	while (!kthread_should_stop()) {
		if (time_after_eq(jiffies, end) || READ_ONCE(live_end))
			break;
		ms = jiffies_to_msecs(jiffies - start);
		demo_open_close();
		if (ms < 3000 && tick % 4 == 0)
			demo_mount();
		if ((ms / 2000) % 2 == 0)
			demo_lookup();
		else
			demo_prune();
		if (ms >= 3000 && !spiked) {
			demo_readahead(true);
			spiked = true;
		}
		if (ms >= 4000 && spiked && !spike_done) {
			demo_readahead(false);
			spike_done = true;
		}
		for (i = 0; i < LIVE_RENAMES; i++)
			demo_rename((tick * LIVE_RENAMES + i) % LIVE_NAMES,
				    tick);
		tick++;
		msleep(LIVE_TICK_MS);
	}
	if (spiked && !spike_done)
		demo_readahead(false);
	pr_info("bslab_demo: live workload done after %lu ticks: %u names leaked by demo_rename\n",
		tick, nlost);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static void demo_live_free(void)
{
	struct demo_name *n, *tmp;
	int i;

	for (i = 0; i < nmounts; i++)
		bslab_cache_free(buf_cache, mounts[i]);
	while (nldentries)
		bslab_cache_free(dentry_cache, ldentries[--nldentries]);
	for (i = 0; i < LIVE_NAMES; i++)
		if (names[i])
			bslab_cache_free(name_cache, names[i]);
	list_for_each_entry_safe(n, tmp, &lost_names, lost)
		bslab_cache_free(name_cache, n);
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
	name_cache = bslab_cache_create("demo_name", sizeof(struct demo_name),
					0, NULL, NULL, NULL, NULL, 0);
	err = PTR_ERR_OR_ZERO(inode_cache) ?: PTR_ERR_OR_ZERO(dentry_cache) ?:
	      PTR_ERR_OR_ZERO(page_cache) ?: PTR_ERR_OR_ZERO(buf_cache) ?:
	      PTR_ERR_OR_ZERO(name_cache);
	if (!err)
		err = demo_workload();
	if (err)
		goto fail;
	pr_info("bslab_demo: workload done: %d inode ctor calls for %d inode allocations\n",
		atomic_read(&ctor_calls), 3 * DEMO_INODES);
	mutex_lock(&live_lock);
	demo_ready = true;
	if (live)
		err = live_start();
	if (err)
		demo_ready = false;
	mutex_unlock(&live_lock);
	if (err)
		goto fail;
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
	if (IS_ERR(name_cache))
		name_cache = NULL;
	demo_free_all();
	demo_destroy_all();
	return err;
}

static void __exit bslab_demo_exit(void)
{
	struct task_struct *task;

	mutex_lock(&live_lock);
	demo_ready = false;
	task = live_task;
	mutex_unlock(&live_lock);
	if (task) {
		kthread_stop(task);
		demo_live_free();
	}
	demo_free_all();
	demo_destroy_all();
	pr_info("bslab_demo: unloaded: %d ctor and %d dtor calls\n",
		atomic_read(&ctor_calls), atomic_read(&dtor_calls));
}

module_init(bslab_demo_init);
module_exit(bslab_demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bslab demo workload");
