// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_soak: everything at once, for as long as asked (make soak).
 *
 * At load it creates a dozen caches (small and large objects; with and
 * without constructor, destructor and magazines; some open to bslab's
 * fault injection) and starts, for seconds=N seconds:
 *
 *   workers	(workers=, 4 by default, not bound: the scheduler moves them
 *		between CPUs, and CPU 1 comes and goes) each walk a table of
 *		slots at random, allocating from a random cache or with
 *		bslab_alloc() of a random size, singly or in bulk, and freeing;
 *		a quarter of the frees go through a ring to the next worker
 *		instead, which frees the object wherever it runs then;
 *   an hrtimer	allocating and freeing with GFP_ATOMIC in interrupt context
 *		every millisecond;
 *   churn	creating a cache, using it and destroying it, over and over;
 *   reaper	a storm of bslab_cache_reap() on every cache for 200 ms of
 *		each second.
 *
 * User space (qemu/init's soak mode) meanwhile drops caches, takes CPU 1
 * off and on line, reads every file bslab has, and sets the fault
 * injection up: bslab's failslab and the page allocator's fail_page_alloc,
 * both with task-filter, so only the workers, which mark themselves with
 * make_it_fail, see failures.  Constructors fail on their own now and then.
 *
 * Every object carries a stamp while it is allocated: a header (a "live"
 * magic, its cache, the CPU that allocated it, the worker, a serial) and a
 * fill byte over the rest.  A free checks the stamp (corruption, or the
 * object given to two owners: one of them overwrote the other's stamp);
 * an allocation checks that the object is not stamped live (handed out
 * twice) and, from a cache with a constructor, that it is in its
 * constructed state (header zero but for a "free" magic, the rest zero),
 * which the owner restores before freeing; destructors check it too.
 *
 * When the time is up everything is freed and each cache must hold no
 * object; the module then prints what it did ("BSLAB-SOAK:" lines, then
 * "BSLAB-SOAK-DONE") and keeps its caches until it is unloaded, so that
 * user space can check them.
 */
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <bslab.h>
#include "../kunit/compat.h"

static unsigned int seconds = 300;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "how long to run (seconds)");

static unsigned int workers = 4;
module_param(workers, uint, 0444);
MODULE_PARM_DESC(workers, "allocating threads (1-16)");

#define SOAK_SLOTS	512	/* per worker */
#define SOAK_RING	256	/* objects in flight to the next worker */
#define SOAK_BULK	8
#define SOAK_IRQ_SLOTS	32
#define SOAK_MAX_WORKERS 16

#define SOAK_LIVE	0x50a11fe1u	/* odd: never a free-list pointer */
#define SOAK_FREE	0xf4eef4eeu

struct soak_hdr {
	u32 magic;
	u16 kind;	/* index in soak_defs, or SOAK_KMALLOC */
	u16 cpu;	/* that allocated it */
	u32 worker;
	u32 serial;
};

struct soak_def {
	const char *name;
	size_t size;
	bool ctor;
	bool dtor;
	unsigned int flags;
};

static const struct soak_def soak_defs[] = {
	{ "soak_16", 16, false, false, 0 },
	{ "soak_24c", 24, true, false, 0 },
	{ "soak_64f", 64, false, false, BSLAB_FAILSLAB },
	{ "soak_96nm", 96, false, false, BSLAB_NOMAGAZINE },
	{ "soak_192cd", 192, true, true, 0 },
	{ "soak_256", 256, false, false, 0 },
	{ "soak_512h", 512, false, false, BSLAB_HWCACHE_ALIGN },
	{ "soak_1000cf", 1000, true, false, BSLAB_FAILSLAB },
	{ "soak_2048", 2048, false, false, 0 },
	{ "soak_4096nm", 4096, false, false, BSLAB_NOMAGAZINE },
	{ "soak_9000cd", 9000, true, true, 0 },
	{ "soak_16384f", 16384, false, false, BSLAB_FAILSLAB },
};

#define SOAK_CACHES	ARRAY_SIZE(soak_defs)
#define SOAK_KMALLOC	SOAK_CACHES	/* bslab_alloc(), any size */

struct soak_obj {
	void *p;
	u32 serial;
	u32 size;
	u16 kind;
};

struct soak_worker {
	struct task_struct *task;
	unsigned int id;
	u64 rng;
	u32 serial;
	struct soak_obj slot[SOAK_SLOTS];
	/* the ring the previous worker hands objects to us through */
	spinlock_t ring_lock;
	unsigned int ring_head, ring_tail;
	struct soak_obj ring[SOAK_RING];
	/* what it did */
	u64 ops, allocs, frees, bulk, fails, cross_cpu, ring_frees;
};

static struct bslab_cache *caches[SOAK_CACHES];
static struct soak_worker *w;
static unsigned int nworkers;
static struct task_struct *churn_task, *reap_task, *ctl_task;
static struct hrtimer irq_timer;
static struct soak_obj irq_slot[SOAK_IRQ_SLOTS];
static u64 irq_rng = 1, irq_allocs, irq_fails;
static atomic64_t ctor_fails, errors, churn_caches, reaps;
static atomic_t ctor_calls;
static bool stopping;		/* the interrupt timer: do not restart */

static u64 soak_rand(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static u32 soak_below(u64 *s, u32 n)
{
	return (u32)(soak_rand(s) >> 32) % n;
}

static size_t obj_size(const struct soak_obj *o)
{
	return o->kind == SOAK_KMALLOC ? o->size : soak_defs[o->kind].size;
}

static bool kind_ctor(unsigned int kind)
{
	return kind != SOAK_KMALLOC && soak_defs[kind].ctor;
}

static u8 fill_byte(u32 serial)
{
	return (u8)serial | 1;	/* never 0, the constructed state's fill */
}

static void soak_error(const char *what, const struct soak_obj *o)
{
	atomic64_inc(&errors);
	pr_err("bslab_soak: %s: object %p of %s (%u bytes), serial %u\n",
	       what, o->p, o->kind == SOAK_KMALLOC ? "bslab_alloc" :
	       soak_defs[o->kind].name, (u32)obj_size(o), o->serial);
}

/* Constructed state: a header zero but for the free magic, the rest zero. */
static bool constructed(const void *p, size_t size)
{
	const struct soak_hdr *h = p;

	return h->magic == SOAK_FREE && !memchr_inv(p + sizeof(h->magic), 0,
						     size - sizeof(h->magic));
}

static void construct(void *p, size_t size)
{
	memset(p, 0, size);
	((struct soak_hdr *)p)->magic = SOAK_FREE;
}

static int soak_ctor(void *obj, void *priv, gfp_t gfp)
{
	const struct soak_def *d = priv;

	/* the constructor fails now and then: bslab must undo and cope */
	if (atomic_inc_return(&ctor_calls) % 509 == 0) {
		atomic64_inc(&ctor_fails);
		return -ENOMEM;
	}
	construct(obj, d->size);
	return 0;
}

static void soak_dtor(void *obj, void *priv)
{
	const struct soak_def *d = priv;

	if (!constructed(obj, d->size)) {
		atomic64_inc(&errors);
		pr_err("bslab_soak: destructor of %s: object %p not in its constructed state\n",
		       d->name, obj);
	}
}

/* A new object: not live anywhere; constructed if its cache says so. */
static void stamp(struct soak_obj *o, unsigned int worker, u32 serial)
{
	size_t size = obj_size(o);
	struct soak_hdr *h = o->p;

	o->serial = serial;
	if (size < sizeof(*h)) {
		memset(o->p, fill_byte(serial), size);
		return;
	}
	if (h->magic == SOAK_LIVE)
		soak_error("handed out while live", o);
	else if (kind_ctor(o->kind) && !constructed(o->p, size))
		soak_error("not constructed when handed out", o);
	h->magic = SOAK_LIVE;
	h->kind = o->kind;
	h->cpu = raw_smp_processor_id();
	h->worker = worker;
	h->serial = serial;
	memset(o->p + sizeof(*h), fill_byte(serial), size - sizeof(*h));
}

/*
 * Check an object's stamp before it is freed and undo it (back to the
 * constructed state where the cache has a constructor).  Return: whether
 * it was freed on another CPU than the one that allocated it.
 */
static bool unstamp(struct soak_obj *o)
{
	size_t size = obj_size(o);
	struct soak_hdr *h = o->p;
	bool cross;

	if (size < sizeof(*h)) {
		if (memchr_inv(o->p, fill_byte(o->serial), size))
			soak_error("corrupted", o);
		return false;
	}
	if (h->magic != SOAK_LIVE || h->kind != o->kind ||
	    h->serial != o->serial ||
	    memchr_inv(o->p + sizeof(*h), fill_byte(o->serial),
		       size - sizeof(*h)))
		soak_error("corrupted or owned twice", o);
	cross = h->cpu != raw_smp_processor_id();
	if (kind_ctor(o->kind))
		construct(o->p, size);
	else
		h->magic = SOAK_FREE;
	return cross;
}

static void obj_free(struct soak_obj *o)
{
	if (o->kind == SOAK_KMALLOC)
		bslab_free(o->p, o->size);
	else
		bslab_cache_free(caches[o->kind], o->p);
	o->p = NULL;
}

static bool obj_alloc(struct soak_worker *sw, struct soak_obj *o, gfp_t gfp)
{
	o->kind = soak_below(&sw->rng, SOAK_CACHES + 1);
	if (o->kind == SOAK_KMALLOC) {
		/* above BSLAB_ALLOC_MAX: pages straight from the page allocator */
		o->size = 1 + soak_below(&sw->rng, 2 * BSLAB_ALLOC_MAX);
		o->p = bslab_alloc(o->size, gfp);
	} else {
		o->p = bslab_cache_alloc(caches[o->kind], gfp);
	}
	if (!o->p) {
		sw->fails++;
		return false;
	}
	stamp(o, sw->id, ++sw->serial);
	sw->allocs++;
	return true;
}

/* Hand an object to the next worker; false if its ring is full. */
static bool ring_put(struct soak_worker *to, struct soak_obj *o)
{
	bool ok;

	spin_lock(&to->ring_lock);
	ok = to->ring_head - to->ring_tail < SOAK_RING;
	if (ok)
		to->ring[to->ring_head++ % SOAK_RING] = *o;
	spin_unlock(&to->ring_lock);
	return ok;
}

static void ring_drain(struct soak_worker *sw)
{
	struct soak_obj o;

	for (;;) {
		spin_lock(&sw->ring_lock);
		if (sw->ring_tail == sw->ring_head) {
			spin_unlock(&sw->ring_lock);
			return;
		}
		o = sw->ring[sw->ring_tail++ % SOAK_RING];
		spin_unlock(&sw->ring_lock);
		if (unstamp(&o))
			sw->cross_cpu++;
		obj_free(&o);
		sw->frees++;
		sw->ring_frees++;
	}
}

static void free_slot(struct soak_worker *sw, struct soak_obj *o)
{
	if (unstamp(o))
		sw->cross_cpu++;
	obj_free(o);
	sw->frees++;
}

/* Allocate up to SOAK_BULK objects of one cache into the free slots at i. */
static void bulk_alloc(struct soak_worker *sw, unsigned int i)
{
	unsigned int kind = soak_below(&sw->rng, SOAK_CACHES);
	void *objs[SOAK_BULK];
	unsigned int n = 0, j;
	int got;

	for (j = i; j < SOAK_SLOTS && n < SOAK_BULK; j++)
		if (!sw->slot[j].p)
			n++;
	if (!n)
		return;
	got = bslab_cache_alloc_bulk(caches[kind], GFP_KERNEL, n, objs);
	sw->bulk++;
	if (!got) {
		sw->fails++;
		return;
	}
	for (j = i; got; j++) {
		if (sw->slot[j].p)
			continue;
		sw->slot[j].p = objs[--got];
		sw->slot[j].kind = kind;
		stamp(&sw->slot[j], sw->id, ++sw->serial);
		sw->allocs++;
	}
}

/* Free every live slot of one cache from i on in one bulk call. */
static void bulk_free(struct soak_worker *sw, unsigned int i)
{
	unsigned int kind = sw->slot[i].kind, n = 0, j;
	void *objs[SOAK_BULK];

	if (kind == SOAK_KMALLOC)
		return;
	for (j = i; j < SOAK_SLOTS && n < SOAK_BULK; j++) {
		if (!sw->slot[j].p || sw->slot[j].kind != kind)
			continue;
		if (unstamp(&sw->slot[j]))
			sw->cross_cpu++;
		objs[n++] = sw->slot[j].p;
		sw->slot[j].p = NULL;
	}
	bslab_cache_free_bulk(caches[kind], n, objs);
	sw->frees += n;
	sw->bulk++;
}

static int worker_fn(void *arg)
{
	struct soak_worker *sw = arg;
	struct soak_worker *next = &w[(sw->id + 1) % nworkers];
	struct soak_obj *o;
	unsigned int i;
	gfp_t gfp;

#ifdef CONFIG_FAULT_INJECTION
	/* fault injection with task-filter fails this thread's allocations */
	current->make_it_fail = 1;
#endif
	while (!kthread_should_stop()) {
		ring_drain(sw);
		i = soak_below(&sw->rng, SOAK_SLOTS);
		o = &sw->slot[i];
		sw->ops++;
		if (o->p) {
			if (!soak_below(&sw->rng, 64))
				bulk_free(sw, i);
			else if (soak_below(&sw->rng, 4) || next == sw ||
				 !ring_put(next, o))
				free_slot(sw, o);
			else
				o->p = NULL;	/* next's now */
		} else if (!soak_below(&sw->rng, 64)) {
			bulk_alloc(sw, i);
		} else {
			/* now and then an allocation that may not sleep */
			gfp = soak_below(&sw->rng, 8) ? GFP_KERNEL :
			      GFP_NOWAIT | __GFP_NOWARN;
			obj_alloc(sw, o, gfp);
		}
		if (!(sw->ops % 256))
			cond_resched();
	}
	return 0;
}

/* Interrupt context: GFP_ATOMIC allocations and frees, every millisecond. */
static enum hrtimer_restart irq_fn(struct hrtimer *t)
{
	struct soak_obj *o = &irq_slot[soak_below(&irq_rng, SOAK_IRQ_SLOTS)];

	if (o->p) {
		unstamp(o);
		obj_free(o);
	} else {
		o->kind = soak_below(&irq_rng, 2) ? 0 : 5;	/* 16 or 256 */
		o->p = bslab_cache_alloc(caches[o->kind], GFP_ATOMIC);
		if (o->p)
			stamp(o, SOAK_MAX_WORKERS, ++irq_allocs);
		else
			irq_fails++;
	}
	if (READ_ONCE(stopping))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ms_to_ktime(1));
	return HRTIMER_RESTART;
}

/* Create a cache, use it a little, destroy it, over and over. */
static int churn_fn(void *unused)
{
	struct bslab_cache_args args = { };
	void *objs[64];
	u64 rng = get_random_u64() | 1;
	unsigned int n, i, k = 0;
	struct bslab_cache *c;
	char name[BSLAB_NAME_MAX + 1];

	while (!kthread_should_stop()) {
		snprintf(name, sizeof(name), "soak_tmp_%u", k++ % 8);
		c = bslab_cache_create_args(name, 16 + soak_below(&rng, 4096),
					    &args, soak_below(&rng, 2) ?
					    BSLAB_NOMAGAZINE : 0);
		if (IS_ERR(c)) {
			msleep(20);
			continue;
		}
		n = 1 + soak_below(&rng, ARRAY_SIZE(objs));
		for (i = 0; i < n; i++)
			objs[i] = bslab_cache_alloc(c, GFP_KERNEL);
		for (i = 0; i < n; i++)
			if (objs[i])
				bslab_cache_free(c, objs[i]);
		if (soak_below(&rng, 2))
			bslab_cache_reap(c);
		bslab_cache_destroy(c);
		atomic64_inc(&churn_caches);
		usleep_range(5000, 10000);
	}
	return 0;
}

/* For 200 ms of every second, reap every cache as fast as it goes. */
static int reap_fn(void *unused)
{
	unsigned long end;
	unsigned int i;

	while (!kthread_should_stop()) {
		end = jiffies + msecs_to_jiffies(200);
		while (time_before(jiffies, end) && !kthread_should_stop()) {
			for (i = 0; i < SOAK_CACHES; i++)
				bslab_cache_reap(caches[i]);
			atomic64_add(SOAK_CACHES, &reaps);
			cond_resched();
		}
		msleep_interruptible(800);
	}
	return 0;
}

static void soak_report(void)
{
	u64 ops = 0, allocs = 0, frees = 0, bulk = 0, fails = 0, cross = 0;
	u64 ring = 0, injected = 0, cache_fails = 0;
	struct bslab_stats st;
	unsigned int i;

	for (i = 0; i < nworkers; i++) {
		ops += w[i].ops;
		allocs += w[i].allocs;
		frees += w[i].frees;
		bulk += w[i].bulk;
		fails += w[i].fails;
		cross += w[i].cross_cpu;
		ring += w[i].ring_frees;
	}
	for (i = 0; i < SOAK_CACHES; i++) {
		bslab_cache_stats(caches[i], &st);
		injected += st.fail_injected;
		cache_fails += st.alloc_fail;
		if (st.buf_inuse || st.free_invalid || st.write_after_free ||
		    st.redzone_damaged) {
			atomic64_inc(&errors);
			pr_err("bslab_soak: cache %s: %llu objects in use, %llu invalid frees, %llu written after free, %llu redzones damaged at the end\n",
			       soak_defs[i].name, st.buf_inuse, st.free_invalid,
			       st.write_after_free, st.redzone_damaged);
		}
	}
	pr_info("BSLAB-SOAK: %u s, %u workers, %u CPUs online: %llu operations, %llu allocations, %llu frees (%llu bulk calls)\n",
		seconds, nworkers, num_online_cpus(), ops, allocs, frees, bulk);
	pr_info("BSLAB-SOAK: frees on another CPU than the allocation: %llu (%llu through the rings)\n",
		cross, ring);
	pr_info("BSLAB-SOAK: failed allocations: %llu in the workers; the caches counted %llu, %llu of them by failslab; %lld constructor failures injected\n",
		fails, cache_fails, injected,
		(s64)atomic64_read(&ctor_fails));
	pr_info("BSLAB-SOAK: interrupt context: %llu allocations, %llu failed; caches created and destroyed: %lld; reaps: %lld\n",
		irq_allocs, irq_fails, (s64)atomic64_read(&churn_caches),
		(s64)atomic64_read(&reaps));
	pr_info("BSLAB-SOAK: errors: %lld\n", (s64)atomic64_read(&errors));
}

static void soak_stop(void)
{
	unsigned int i, j;

	WRITE_ONCE(stopping, true);
	hrtimer_cancel(&irq_timer);
	for (i = 0; i < nworkers; i++)
		if (w[i].task)
			kthread_stop(w[i].task);
	if (churn_task)
		kthread_stop(churn_task);
	if (reap_task)
		kthread_stop(reap_task);
	for (i = 0; i < nworkers; i++) {
		ring_drain(&w[i]);
		for (j = 0; j < SOAK_SLOTS; j++)
			if (w[i].slot[j].p)
				free_slot(&w[i], &w[i].slot[j]);
	}
	for (j = 0; j < SOAK_IRQ_SLOTS; j++) {
		if (irq_slot[j].p) {
			unstamp(&irq_slot[j]);
			obj_free(&irq_slot[j]);
		}
	}
}

/* Runs the soak for its time, stops it, reports, then waits for unload. */
static int ctl_fn(void *unused)
{
	unsigned long end = jiffies + seconds * HZ;

	while (time_before(jiffies, end) && !kthread_should_stop())
		msleep_interruptible(100);
	soak_stop();
	soak_report();
	pr_info("BSLAB-SOAK-DONE\n");
	while (!kthread_should_stop())
		msleep_interruptible(100);
	return 0;
}

static void soak_destroy_caches(void)
{
	unsigned int i;

	for (i = 0; i < SOAK_CACHES; i++)
		bslab_cache_destroy(caches[i]);
}

static int __init soak_init(void)
{
	struct bslab_cache_args args = { };
	unsigned int i;

	if (!workers || workers > SOAK_MAX_WORKERS) {
		pr_err("bslab_soak: workers=%u: from 1 to %u\n", workers,
		       SOAK_MAX_WORKERS);
		return -EINVAL;
	}
	for (i = 0; i < SOAK_CACHES; i++) {
		args.ctor = soak_defs[i].ctor ? soak_ctor : NULL;
		args.dtor = soak_defs[i].dtor ? soak_dtor : NULL;
		args.priv = (void *)&soak_defs[i];
		caches[i] = bslab_cache_create_args(soak_defs[i].name,
						    soak_defs[i].size, &args,
						    soak_defs[i].flags);
		if (IS_ERR(caches[i])) {
			int err = PTR_ERR(caches[i]);

			while (i--)
				bslab_cache_destroy(caches[i]);
			return err;
		}
	}
	w = vzalloc(array_size(workers, sizeof(*w)));
	if (!w) {
		soak_destroy_caches();
		return -ENOMEM;
	}
	nworkers = workers;
	for (i = 0; i < nworkers; i++) {
		w[i].id = i;
		w[i].rng = get_random_u64() | 1;
		spin_lock_init(&w[i].ring_lock);
	}
	irq_rng = get_random_u64() | 1;
	bslab_hrtimer_setup(&irq_timer, irq_fn, CLOCK_MONOTONIC,
			    HRTIMER_MODE_REL);
	hrtimer_start(&irq_timer, ms_to_ktime(1), HRTIMER_MODE_REL);
	for (i = 0; i < nworkers; i++) {
		w[i].task = kthread_run(worker_fn, &w[i], "soak_w%u", i);
		if (IS_ERR(w[i].task))
			goto fail;
	}
	churn_task = kthread_run(churn_fn, NULL, "soak_churn");
	if (IS_ERR(churn_task))
		goto fail;
	reap_task = kthread_run(reap_fn, NULL, "soak_reap");
	if (IS_ERR(reap_task))
		goto fail;
	ctl_task = kthread_run(ctl_fn, NULL, "soak_ctl");
	if (IS_ERR(ctl_task))
		goto fail;
	pr_info("bslab_soak: %u workers for %u s on %u caches\n", nworkers,
		seconds, (unsigned int)SOAK_CACHES);
	return 0;
fail:
	for (i = 0; i < nworkers; i++)
		if (IS_ERR(w[i].task))
			w[i].task = NULL;
	if (IS_ERR(churn_task))
		churn_task = NULL;
	if (IS_ERR(reap_task))
		reap_task = NULL;
	ctl_task = NULL;
	soak_stop();
	vfree(w);
	soak_destroy_caches();
	return -ENOMEM;
}

static void __exit soak_exit(void)
{
	kthread_stop(ctl_task);	/* stops the soak first if still running */
	vfree(w);
	soak_destroy_caches();
}

module_init(soak_init);
module_exit(soak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bslab soak: everything at once, for a long time");
