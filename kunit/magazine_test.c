// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_magazine: the per-CPU layer and the depot.  Every swap and exchange
 * path, counted exactly; an interrupt entering the cache while the CPU
 * layer is in use; a hard-irq timer and a task sharing a cache on one CPU;
 * two CPUs freeing each other's objects; destroy after heavy use; the
 * depot's bound on what a burst of frees leaves in it; bulk
 * calls through the magazines; BSLAB_NOMAGAZINE; the magazines file; a CPU
 * exchanging magazines while another purges the depot.  The
 * reaper, the shrinker and CPU hotplug have files of their own.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include "helpers.h"
#include "../mm/depot.h"
#include "../mm/reap.h"

/* An object that knows whether it is handed out, and to whom. */
struct tagged {
	unsigned long link;	/* the slab layer's free-list word may go here */
	u32 live;
	u32 owner;
	u64 serial;
};

static int tagged_ctor(void *obj, void *priv, gfp_t gfp)
{
	struct tagged *t = obj;

	t->live = 0;
	t->owner = 0;
	return 0;
}

/* ---- the depot's bound ---- */

/*
 * A burst of frees of large objects: the depot keeps full magazines up to
 * its bound (depot_limit_kb a CPU), and every further full magazine is
 * emptied into the slab layer (free_spill) instead, so the slabs the burst
 * empties go back to the page allocator as it frees, with no reap.
 * Without the bound every object would stay in a magazine and hold its
 * slab.
 */
static void depot_bound(struct kunit *test)
{
	unsigned long limit = bslab_depot_limit();
	unsigned int m, n, i, bound, per_slab;
	struct bslab_cache *cache;
	struct bslab_stats st;
	size_t mag_bytes;
	void **objs;

	KUNIT_ASSERT_GT(test, limit, 0);	/* the default bounds the depot */
	tst_pin(test, 0);
	cache = tst_cache(test, "t_mag_bound", 2048, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);
	per_slab = tst_stat(cache, buf_per_slab);
	mag_bytes = (size_t)m * tst_stat(cache, chunk_size);
	bound = DIV_ROUND_UP(limit, mag_bytes);
	n = 4 * (bound + 2) * m;
	objs = tst_alloc_array(test, n, sizeof(void *));

	for (i = 0; i < n; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, objs[i]);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.free, n);
	/* the depot took magazines up to the bound, then no more */
	KUNIT_EXPECT_EQ(test, st.full_magazines, bound);
	KUNIT_EXPECT_EQ(test, st.depot_free, bound);
	KUNIT_EXPECT_GT(test, st.free_spill, 0);
	KUNIT_EXPECT_LE(test, st.buf_magazine, (bound + 2) * m);
	/*
	 * The rest went back to their slabs, which went back: no reap ran.
	 * (On PREEMPT_RT a spill's context, preemption off, may not free
	 * pages: the cache's work gives its slabs back just after.)
	 */
	flush_work(&cache->work);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.reap, 0);
	KUNIT_EXPECT_EQ(test, st.slab_free, st.slab_alloc - st.buf_magazine);
	KUNIT_EXPECT_LE(test, st.slab_create - st.slab_destroy,
			DIV_ROUND_UP(st.buf_magazine, per_slab) + 2 +
			BSLAB_EMPTY_RESERVE);
	KUNIT_EXPECT_LT(test, st.slab_create - st.slab_destroy, n / per_slab);
	KUNIT_EXPECT_EQ(test, st.depot_limit, limit);

	/*
	 * The same burst again: the allocations empty the depot and have the
	 * slab layer fill magazines, so the spill was a mistake: the bound
	 * doubles once, and the next burst's depot keeps twice as much.
	 */
	for (i = 0; i < n; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.depot_limit_grow, 1);
	KUNIT_EXPECT_EQ(test, st.depot_limit, 2 * limit);
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, objs[i]);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.full_magazines, DIV_ROUND_UP(2 * limit, mag_bytes));

	/* an interval with a doubling keeps it; one without halves it */
	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, depot_limit), 2 * limit);
	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, depot_limit), limit);
	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, depot_limit), limit);
}

/*
 * depot_limit_kb: 0 lifts the bound (Bonwick's depot keeps every full
 * magazine until a reap), and a value out of range is refused with a
 * message naming the parameter.
 */
static void depot_limit_param(struct kunit *test)
{
	unsigned long limit = bslab_depot_limit();
	struct bslab_cache *cache;
	unsigned int m, n, i;
	struct bslab_stats st;
	void **objs;
	u64 mark;

	KUNIT_ASSERT_GT(test, limit, 0);
	mark = tst_log_mark();
	KUNIT_EXPECT_EQ(test, tst_write_param("depot_limit_kb", "1048577"), -ERANGE);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab: depot_limit_kb=1048577: at most"));
	KUNIT_EXPECT_EQ(test, bslab_depot_limit(), limit);

	tst_pin(test, 0);
	cache = tst_cache(test, "t_mag_nobound", 2048, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);
	n = 2 * DIV_ROUND_UP(limit, (size_t)m * tst_stat(cache, chunk_size)) * m;
	objs = tst_alloc_array(test, n, sizeof(void *));
	tst_depot_unbounded(test);
	KUNIT_EXPECT_EQ(test, bslab_depot_limit(), 0);
	for (i = 0; i < n; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, objs[i]);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.free_spill, 0);
	KUNIT_EXPECT_EQ(test, st.slab_free, 0);
	KUNIT_EXPECT_GE(test, st.buf_magazine, n);
	KUNIT_EXPECT_EQ(test, st.depot_limit, 0);
}

/* ---- every path of the CPU layer, counted ---- */

static void swap_and_exchange_paths(struct kunit *test)
{
	struct bslab_cache *cache;
	unsigned int m, n, i;
	struct bslab_stats st;
	void **objs;

	tst_pin(test, 0);
	/* 32 bytes: a slab holds more than a magazine, so every fill is full */
	cache = tst_cache(test, "t_mag_paths", 32, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);
	KUNIT_ASSERT_GE(test, m, 6);
	KUNIT_ASSERT_GE(test, tst_stat(cache, buf_per_slab), m);
	n = 2 * m + 5;
	objs = tst_alloc_array(test, n + m, sizeof(void *));

	/*
	 * Allocations: 1 finds no magazine and none in the depot: the slab
	 * layer fills magazine A (new) in one batch, and the client gets its
	 * first round; 2..m pop it; m+1 and 2m+1 find A empty and have it
	 * filled again; 4 more pop it.
	 */
	for (i = 0; i < n; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc_fill, 3);
	KUNIT_EXPECT_EQ(test, st.alloc_cpu, n - 3);
	KUNIT_EXPECT_EQ(test, st.alloc_slab, 0);
	KUNIT_EXPECT_EQ(test, st.slab_alloc, 3 * m);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, m - 5);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, n);

	/*
	 * Frees: 1..5 fill A; 6 starts B (new, A full becomes previous);
	 * m+6 finds both full: A goes to the depot, C (new) is loaded; the
	 * last m-1 go into C.
	 */
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, objs[i]);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.free_depot, 2);
	KUNIT_EXPECT_EQ(test, st.free_cpu, n - 2);
	KUNIT_EXPECT_EQ(test, st.free_swap, 0);
	KUNIT_EXPECT_EQ(test, st.depot_free, 1);
	KUNIT_EXPECT_EQ(test, st.full_magazines, 1);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, 3 * m);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);

	/*
	 * Allocations: m from C; then C is empty and B full: swap; m-1 more
	 * from B; then both empty: C to the depot, A (full) from it; 4 more
	 * from A.  All n served by magazines, none by the slab layer.
	 */
	for (i = 0; i < n; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc_cpu, (n - 3) + (n - 2));
	KUNIT_EXPECT_EQ(test, st.alloc_swap, 1);
	KUNIT_EXPECT_EQ(test, st.alloc_depot, 1);
	KUNIT_EXPECT_EQ(test, st.depot_alloc, 1);
	KUNIT_EXPECT_EQ(test, st.alloc_fill, 3);
	KUNIT_EXPECT_EQ(test, st.slab_alloc, 3 * m);
	KUNIT_EXPECT_EQ(test, st.full_magazines, 0);
	KUNIT_EXPECT_EQ(test, st.empty_magazines, 1);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, m - 5);

	/*
	 * m-5 more empty A; the next finds A and B empty and no full
	 * magazine in the depot: A is filled again, in place (the depot's
	 * empty C stays there); 1 more pops it.
	 */
	for (i = n; i < n + m - 3; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc_fill, 4);
	KUNIT_EXPECT_EQ(test, st.slab_alloc, 4 * m);
	KUNIT_EXPECT_EQ(test, st.empty_magazines, 1);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, m - 2);

	/* 2 frees fill A; the next swaps in the empty B */
	for (i = n; i < n + 3; i++)
		bslab_cache_free(cache, objs[i]);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_swap), 1);
	bslab_cache_free_bulk(cache, m - 6, objs + n + 3);
	bslab_cache_free_bulk(cache, n, objs);

	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.alloc_slab, 0);
	KUNIT_EXPECT_EQ(test, st.depot_contention, 0);
}

/*
 * What an interrupt does when it arrives while this CPU's task is in the
 * middle of the fast path: it finds the busy word set and uses the slab
 * layer, leaving the magazines alone.
 */
static void interrupt_finds_cpu_busy(struct kunit *test)
{
	struct bslab_cpu_cache *cc;
	struct bslab_cache *cache;
	unsigned int rounds;
	void *a, *b, *two[2];

	tst_pin(test, 0);
	cache = tst_cache(test, "t_mag_busy", 128, 0, NULL, NULL, NULL, 0);
	/*
	 * From the slab layer in bulk (which fills no magazine), so its slab
	 * keeps free objects: with preemption off, PREEMPT_RT may not make a
	 * slab for b.
	 */
	KUNIT_ASSERT_EQ(test, bslab_cache_alloc_bulk(cache, GFP_KERNEL, 2, two),
			2);
	a = two[0];
	bslab_cache_free(cache, a);	/* a now sits in the loaded magazine */

	preempt_disable();
	cc = this_cpu_ptr(cache->cpu);
	rounds = cc->loaded->rounds;
	cc->busy = 1;			/* as the interrupted task left it */
	b = bslab_cache_alloc(cache, GFP_ATOMIC);
	if (b)
		bslab_cache_free(cache, b);
	KUNIT_EXPECT_EQ(test, cc->loaded->rounds, rounds);
	cc->busy = 0;
	preempt_enable();

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);	/* not from the magazine */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, cpu_busy), 2);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_fill), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_slab), 3);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_slab), 1);
	bslab_cache_free(cache, two[1]);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/* ---- a hard-irq timer and a task on one CPU ---- */

#define IRQ_RING 8

struct irq_ctx {
	struct hrtimer timer;
	struct bslab_cache *cache;
	struct tagged *ring[IRQ_RING];
	unsigned int head;
	unsigned long fires;
	unsigned long bad;
	bool stop;
};

static enum hrtimer_restart irq_side(struct hrtimer *timer)
{
	struct irq_ctx *ctx = container_of(timer, struct irq_ctx, timer);
	struct tagged *t = bslab_cache_alloc(ctx->cache, GFP_ATOMIC);
	struct tagged *old = ctx->ring[ctx->head];

	if (t) {
		if (t->live)
			ctx->bad++;
		t->live = 1;
		t->owner = 2;
	}
	if (old) {
		if (!old->live || old->owner != 2)
			ctx->bad++;
		old->live = 0;
		bslab_cache_free(ctx->cache, old);
	}
	ctx->ring[ctx->head] = t;
	ctx->head = (ctx->head + 1) % IRQ_RING;
	ctx->fires++;
	if (READ_ONCE(ctx->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(20 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static void irq_and_task_share_cpu(struct kunit *test)
{
	struct irq_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	unsigned long deadline, ops = 0, bad = 0, nulls = 0;
	struct tagged *t;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	tst_pin(test, 0);
	ctx->cache = tst_cache(test, "t_mag_irq", sizeof(struct tagged), 0,
			       tagged_ctor, NULL, NULL, 0);
	bslab_hrtimer_setup(&ctx->timer, irq_side, CLOCK_MONOTONIC,
			    HRTIMER_MODE_REL_PINNED_HARD);
	hrtimer_start(&ctx->timer, ns_to_ktime(20 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);

	deadline = jiffies + 2 * HZ;
	while (time_before(jiffies, deadline)) {
		/* no assertion while the timer runs: it would outlive ctx */
		t = bslab_cache_alloc(ctx->cache, GFP_KERNEL);
		if (!t) {
			nulls++;
			break;
		}
		if (t->live)
			bad++;
		t->live = 1;
		t->owner = 1;
		t->serial = ops;
		cpu_relax();
		if (t->owner != 1 || t->serial != ops)
			bad++;
		t->live = 0;
		bslab_cache_free(ctx->cache, t);
		ops++;
	}
	WRITE_ONCE(ctx->stop, true);
	hrtimer_cancel(&ctx->timer);
	for (i = 0; i < IRQ_RING; i++) {
		if (ctx->ring[i]) {
			ctx->ring[i]->live = 0;
			bslab_cache_free(ctx->cache, ctx->ring[i]);
		}
	}

	kunit_info(test, "%lu task ops, %lu timer interrupts, %llu interrupts found the CPU layer busy",
		   ops, ctx->fires, tst_stat(ctx->cache, cpu_busy));
	KUNIT_EXPECT_EQ(test, nulls, 0);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad, 0);
	KUNIT_EXPECT_GT(test, ctx->fires, 100);
	KUNIT_EXPECT_GT(test, ops, 1000);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, buf_inuse), 0);
}

/* ---- two CPUs freeing each other's objects ---- */

#define XQ 64

struct xqueue {
	spinlock_t lock;	/* protects the ring */
	struct tagged *ring[XQ];
	unsigned int head, tail;
};

static bool xq_push(struct xqueue *q, struct tagged *t)
{
	bool ok;

	spin_lock(&q->lock);
	ok = q->head - q->tail < XQ;
	if (ok)
		q->ring[q->head++ % XQ] = t;
	spin_unlock(&q->lock);
	return ok;
}

static struct tagged *xq_pop(struct xqueue *q)
{
	struct tagged *t = NULL;

	spin_lock(&q->lock);
	if (q->head != q->tail)
		t = q->ring[q->tail++ % XQ];
	spin_unlock(&q->lock);
	return t;
}

static void xfree(struct tst_cpu_job *job, struct tagged *t, u32 owner)
{
	if (!t->live || t->owner != owner)
		job->bad++;
	t->live = 0;
	bslab_cache_free(job->cache, t);
}

static int cross_worker(struct tst_cpu_job *job)
{
	struct xqueue *queues = job->shared;
	struct xqueue *mine = &queues[job->cpu], *peer = &queues[!job->cpu];
	struct tagged *t;

	/* three seconds, and past them (for 30 s at most) until 1000 trades */
	while (time_before(jiffies, job->deadline) ||
	       (job->ops <= 1000 &&
		time_before(jiffies, job->deadline + 27 * HZ))) {
		t = bslab_cache_alloc(job->cache, GFP_KERNEL);
		if (!t) {
			job->bad++;
			break;
		}
		if (t->live)
			job->bad++;	/* handed out twice */
		t->live = 1;
		t->owner = job->cpu + 1;
		t->serial = job->ops++;
		if (!xq_push(peer, t))
			xfree(job, t, job->cpu + 1);
		while ((t = xq_pop(mine)))
			xfree(job, t, !job->cpu + 1);
		cond_resched();
	}
	return 0;
}

/*
 * Both CPUs trade objects for three seconds (and a thousand times each, on
 * a slow kernel: KCSAN's) while this thread steps the
 * magazine size up and down under them: resizing is safe while other CPUs
 * allocate, and magazines of old sizes drain away.
 */
static void cross_cpu_free(struct kunit *test)
{
	struct xqueue *queues = kunit_kzalloc(test, 2 * sizeof(*queues),
					      GFP_KERNEL);
	struct tst_cpu_job *jobs = kunit_kzalloc(test, 2 * sizeof(*jobs),
					     GFP_KERNEL);
	struct bslab_cache *cache;
	unsigned int i, resizes = 0;
	struct bslab_stats st;
	struct tagged *t;

	KUNIT_ASSERT_NOT_NULL(test, queues);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	tst_need_two_cpus(test);
	cache = tst_cache(test, "t_mag_cross", sizeof(struct tagged), 0,
			  tagged_ctor, NULL, NULL, 0);
	/* each worker uses both queues: both are ready before either starts */
	for (i = 0; i < 2; i++)
		spin_lock_init(&queues[i].lock);
	for (i = 0; i < 2; i++) {
		jobs[i] = (struct tst_cpu_job){ .fn = cross_worker, .cache = cache,
			.cpu = i, .shared = queues,
			.deadline = jiffies + 3 * HZ };
		tst_job_start(test, &jobs[i]);
	}
	while (!completion_done(&jobs[0].done) ||
	       !completion_done(&jobs[1].done)) {
		resizes += bslab_magazine_resize(cache, resizes % 4 < 2);
		msleep(50);
	}
	for (i = 0; i < 2; i++)
		wait_for_completion(&jobs[i].done);
	for (i = 0; i < 2; i++)
		while ((t = xq_pop(&queues[i])))
			xfree(&jobs[i], t, !i + 1);

	kunit_info(test, "%lu + %lu objects passed between CPUs, %u resizes",
		   jobs[0].ops, jobs[1].ops, resizes);
	KUNIT_EXPECT_GE(test, resizes, 10);
	KUNIT_EXPECT_EQ(test, jobs[0].bad + jobs[1].bad, 0);
	KUNIT_EXPECT_GT(test, jobs[0].ops, 1000);
	KUNIT_EXPECT_GT(test, jobs[1].ops, 1000);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	KUNIT_EXPECT_EQ(test, st.alloc, jobs[0].ops + jobs[1].ops);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	/* CPUs of two nodes: the trades went home to their slabs */
	if (bslab_cpu_home(0) != bslab_cpu_home(1))
		KUNIT_EXPECT_GT(test, st.free_remote, 1000);
	else
		KUNIT_EXPECT_GT(test, st.depot_alloc + st.depot_free, 0);
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

/* ---- destroy after heavy use on every CPU ---- */

static int heavy_worker(struct tst_cpu_job *job)
{
	while (time_before(jiffies, job->deadline) && !job->bad) {
		void *objs[100];
		unsigned int i, n = 1 + job->ops % 100;

		for (i = 0; i < n; i++) {
			objs[i] = bslab_cache_alloc(job->cache, GFP_KERNEL);
			if (!objs[i]) {
				job->bad++;
				n = i;
			}
		}
		for (i = 0; i < n; i++)
			bslab_cache_free(job->cache, objs[i]);
		job->ops += n;
		cond_resched();
	}
	return 0;
}

static void destroy_after_heavy_use(struct kunit *test)
{
	struct tst_cpu_job *jobs = kunit_kzalloc(test, 2 * sizeof(*jobs),
					     GFP_KERNEL);
	struct tst_calls *calls = tst_calls(test);
	struct bslab_cache *cache;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, jobs);
	tst_need_two_cpus(test);
	cache = tst_cache(test, "t_mag_heavy", 200, 0, tst_count_ctor,
			  tst_count_dtor, calls, 0);
	for (i = 0; i < 2; i++) {
		jobs[i] = (struct tst_cpu_job){ .fn = heavy_worker, .cache = cache,
			.cpu = i, .deadline = jiffies + HZ };
		tst_job_start(test, &jobs[i]);
	}
	for (i = 0; i < 2; i++)
		wait_for_completion(&jobs[i].done);
	KUNIT_EXPECT_EQ(test, jobs[0].bad + jobs[1].bad, 0);
	KUNIT_EXPECT_GT(test, tst_stat(cache, buf_magazine), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);

	tst_cache_destroy(test, cache);
	/* every slab was destroyed: every constructed object destructed */
	KUNIT_EXPECT_GT(test, atomic_read(&calls->ctor), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->dtor),
			atomic_read(&calls->ctor));
}

/* Bulk calls take from and give to this CPU's magazines first. */
static void bulk_through_magazines(struct kunit *test)
{
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int m, i;
	void **objs, *kept;

	tst_pin(test, 0);
	cache = tst_cache(test, "t_mag_bulk", 64, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);
	objs = tst_alloc_array(test, 4 * m, sizeof(void *));

	/* nothing cached: one batch from the slab layer */
	KUNIT_ASSERT_EQ(test, 4 * m, bslab_cache_alloc_bulk(cache, GFP_KERNEL,
							    4 * m, objs));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_slab), 4 * m);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_alloc), 4 * m);

	/* all go into magazines: two loaded, two in the depot; NULL skipped */
	kept = objs[3];
	objs[3] = NULL;
	bslab_cache_free_bulk(cache, 4 * m, objs);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.free_slab, 0);
	KUNIT_EXPECT_EQ(test, st.free, 4 * m - 1);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, 4 * m - 1);
	KUNIT_EXPECT_GE(test, st.full_magazines, 1);

	/* and all come back out of them, none from the slab layer */
	KUNIT_ASSERT_EQ(test, 4 * m - 1,
			bslab_cache_alloc_bulk(cache, GFP_KERNEL, 4 * m - 1,
					       objs));
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc_slab, 4 * m);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, 0);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 4 * m);	/* with kept */
	for (i = 0; i < 4 * m - 1; i++)
		KUNIT_EXPECT_NOT_NULL(test, objs[i]);
	bslab_cache_free_bulk(cache, 4 * m - 1, objs);
	bslab_cache_free(cache, kept);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/* ---- BSLAB_NOMAGAZINE ---- */

static void no_magazine(struct kunit *test)
{
	struct bslab_cache *cache;
	struct bslab_stats st;
	void *objs[100];
	unsigned int r, i;

	cache = tst_cache(test, "t_mag_none", 64, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	for (r = 0; r < 3; r++) {
		for (i = 0; i < ARRAY_SIZE(objs); i++)
			objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		for (i = 0; i < ARRAY_SIZE(objs); i++)
			bslab_cache_free(cache, objs[i]);
	}
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.magazine_size, 0);
	KUNIT_EXPECT_EQ(test, st.alloc_slab, 300);
	KUNIT_EXPECT_EQ(test, st.free_slab, 300);
	KUNIT_EXPECT_EQ(test, st.alloc_cpu + st.alloc_swap + st.alloc_depot, 0);
	KUNIT_EXPECT_EQ(test, st.free_cpu + st.free_swap + st.free_depot, 0);
	KUNIT_EXPECT_EQ(test, st.full_magazines + st.empty_magazines, 0);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, 0);
	KUNIT_EXPECT_EQ(test, st.slab_alloc, 300);
}

/* ---- the magazines file ---- */

#define DEBUGFS_MAGAZINES "/sys/kernel/debug/bslab/t_mag_file/magazines"

static void magazines_file(struct kunit *test)
{
	unsigned int cpu, lr, ls, pr, ps, m, lines = 0;
	unsigned long full, empty, minf, mine, size;
	struct bslab_cache *cache;
	char *buf, *line, *tail;
	void *objs[5];
	int ret, i;

	tst_pin(test, 0);
	/* 32 bytes: a slab holds more than a magazine (a fill is full) */
	cache = tst_cache(test, "t_mag_file", 32, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);
	KUNIT_ASSERT_GE(test, tst_stat(cache, buf_per_slab), m);
	/* the first fills a magazine from the slab layer; the frees refill it */
	for (i = 0; i < 5; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	for (i = 0; i < 5; i++)
		bslab_cache_free(cache, objs[i]);

	buf = tst_read_file(test, DEBUGFS_MAGAZINES, NULL);
	while ((line = strsep(&buf, "\n")) && *line) {
		if (str_has_prefix(line, "depot ")) {
			ret = sscanf(line, "depot full %lu empty %lu min_full %lu",
				     &full, &empty, &minf);
			KUNIT_ASSERT_EQ(test, ret, 3);
			tail = strstr(line, " min_empty ");
			KUNIT_ASSERT_NOT_NULL(test, tail);
			ret = sscanf(tail, " min_empty %lu magazine_size %lu",
				     &mine, &size);
			KUNIT_ASSERT_EQ(test, ret, 2);
			KUNIT_EXPECT_EQ(test, full, 0);
			KUNIT_EXPECT_EQ(test, size, m);
			continue;
		}
		ret = sscanf(line, "cpu %u loaded %u/%u previous %u/%u", &cpu,
			     &lr, &ls, &pr, &ps);
		KUNIT_ASSERT_EQ_MSG(test, ret, 5, "line: %s", line);
		lines++;
		if (cpu != 0)
			continue;
		KUNIT_EXPECT_EQ(test, lr, m);
		KUNIT_EXPECT_EQ(test, ls, m);
		KUNIT_EXPECT_EQ(test, pr, 0);
		KUNIT_EXPECT_EQ(test, ps, 0);	/* no previous magazine yet */
	}
	KUNIT_EXPECT_EQ(test, lines, num_online_cpus());
}

/*
 * A CPU exchanging full magazines for empty ones while another purges the
 * depot, which pops the magazine just pushed first: once a magazine is in
 * the depot and its lock dropped, the CPU that gave it must not read it
 * (issue 19's handout test caught the free path reading its round count
 * for the tracepoint after the reaper had freed it: a KASAN
 * use-after-free).  The window is a few instructions; a hard-IRQ timer on
 * the exchanging CPU that busy-waits widens it: an interrupt that falls
 * due while the depot lock is held runs as the lock is dropped, and the
 * purging CPU gets that long to free the magazine.  KASAN reports any such
 * read; the objects stay whole.
 */
struct purge_race {
	struct hrtimer timer;
	bool stop;
};

static enum hrtimer_restart purge_race_stall(struct hrtimer *timer)
{
	struct purge_race *pr = container_of(timer, struct purge_race, timer);
	u64 until = ktime_get_ns() + 15 * NSEC_PER_USEC;

	while (ktime_get_ns() < until)	/* hard IRQ: no sleeping */
		cpu_relax();
	if (READ_ONCE(pr->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(25 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static int exchange_job(struct tst_cpu_job *job)
{
	struct purge_race *pr = job->shared;

	hrtimer_start(&pr->timer, ns_to_ktime(25 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
	tst_churn(job);			/* until job->stop */
	WRITE_ONCE(pr->stop, true);
	hrtimer_cancel(&pr->timer);
	return 0;
}

static void exchange_beside_purge(struct kunit *test)
{
	struct tst_cpu_job *job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	struct purge_race *pr = kunit_kzalloc(test, sizeof(*pr), GFP_KERNEL);
	unsigned long end, purges = 0;
	struct bslab_cache *cache;

	KUNIT_ASSERT_NOT_NULL(test, job);
	KUNIT_ASSERT_NOT_NULL(test, pr);
	tst_need_two_cpus(test);
	tst_pin(test, 1);
	/* 6-round magazines: an exchange every few frees */
	cache = tst_cache(test, "t_mag_purge", 2000, 0, NULL, NULL, NULL, 0);
	KUNIT_ASSERT_EQ(test, bslab_magazine_size(cache), 6);
	bslab_hrtimer_setup(&pr->timer, purge_race_stall, CLOCK_MONOTONIC,
			    HRTIMER_MODE_REL_PINNED_HARD);
	*job = (struct tst_cpu_job){ .fn = exchange_job, .cache = cache,
				     .cpu = 0, .shared = pr };
	tst_job_start(test, job);
	end = jiffies + 3 * HZ;
	while (time_before(jiffies, end)) {
		/* the working-set purge frees the depot's top first */
		bslab_reap_tick(cache);
		purges++;
	}
	WRITE_ONCE(job->stop, true);
	wait_for_completion(&job->done);
	KUNIT_EXPECT_EQ(test, job->bad, 0);
	KUNIT_EXPECT_GT(test, tst_stat(cache, free_depot), 0);
	KUNIT_EXPECT_GT(test, tst_stat(cache, reap_magazines), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
	kunit_info(test, "%lu objects, %llu exchanges, %lu ticks, %llu magazines purged\n",
		   job->ops, tst_stat(cache, free_depot), purges,
		   tst_stat(cache, reap_magazines));
}

static struct kunit_case magazine_cases[] = {
	KUNIT_CASE(swap_and_exchange_paths),
	KUNIT_CASE(depot_bound),
	KUNIT_CASE(depot_limit_param),
	KUNIT_CASE(interrupt_finds_cpu_busy),
	KUNIT_CASE_SLOW(irq_and_task_share_cpu),
	KUNIT_CASE_SLOW(cross_cpu_free),
	KUNIT_CASE_SLOW(destroy_after_heavy_use),
	KUNIT_CASE(bulk_through_magazines),
	KUNIT_CASE(no_magazine),
	KUNIT_CASE(magazines_file),
	KUNIT_CASE_SLOW(exchange_beside_purge),
	{}
};

static struct kunit_suite magazine_suite = {
	.name = "bslab_magazine",
	.init = tst_init,
	.test_cases = magazine_cases,
};

kunit_test_suite(magazine_suite);
