// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_reliability: one regression test per defect found by attacking
 * bslab the way client modules and admins misuse an allocator, ordered by
 * the layer whose code each exercises: the cache layer, the CPU layer, the
 * slab layer, contexts, reaping, then everything at once.
 *
 *  - destroying a cache twice, live or dead: a reported no-op; dead caches
 *    freed with their last object
 *  - a module that goes away with its caches: callbacks never called again
 *  - reserved names, parameter ranges
 *  - frees on the magazine path of pointers that are not objects of the
 *    cache (kmalloc, stack, interior, another cache), the naive double free,
 *    and bslab_free() with the wrong size: counted, and never handed out
 *  - double frees reaching the slab layer of a small cache: refused, lists
 *    sound, the slab kept while another object in it is live
 *  - destructors only in process context, even when a magazine of an old
 *    size is discarded inside the CPU layer
 *  - hard-IRQ allocation: grows the cache without PREEMPT_RT, from a
 *    reserve with it; frees there never call the page allocator
 *  - the reclaim callback called by the shrinker with nothing cached
 *  - readers of every file, create/destroy and CPU hotplug at once (the
 *    deadlock): runs for hotplug_seconds (module parameter).  The files of
 *    the caches that come and go are read from user space by qemu/init
 *    (read(2) goes through debugfs's proxy, whose removal waits for the
 *    reader: the wait that closed the cycle); a reader here would call
 *    seq_read_iter() behind the proxy's back.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "helpers.h"
#include "../mm/slab.h"
#include "../mm/depot.h"
#include "../mm/cache.h"
#include "../mm/sizes.h"
#include "kread.h"

static unsigned int hotplug_seconds = 180;
module_param(hotplug_seconds, uint, 0444);
MODULE_PARM_DESC(hotplug_seconds,
		 "length of the readers x create/destroy x CPU hotplug test (default 180)");

/* ---- the cache layer: destroying a cache twice ---- */

static void destroy_twice(struct kunit *test)
{
	struct bslab_cache *a, *d, *other;
	u64 mark = tst_log_mark();
	void *obj;

	other = tst_cache(test, "t_rel_other", 32, 0, NULL, NULL, NULL, 0);
	a = tst_cache(test, "t_rel_twice", 32, 0, NULL, NULL, NULL, 0);
	tst_cache_destroy(test, a);
	bslab_cache_destroy(a);		/* reported, nothing read of it */
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab_cache_destroy(%p): not a live cache",
					   a));

	/* dead (destroyed with an object) and destroyed again */
	d = tst_cache(test, "t_rel_twice_dead", 32, 0, NULL, NULL, NULL, 0);
	obj = bslab_cache_alloc(d, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	tst_cache_destroy(test, d);
	KUNIT_EXPECT_TRUE(test, tst_dead_listed(d));
	bslab_cache_destroy(d);
	KUNIT_EXPECT_TRUE(test, tst_dead_listed(d));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache %s: destroyed twice",
					   "t_rel_twice_dead"));
	/* the lists are intact: the name is free, the other cache works */
	a = tst_cache(test, "t_rel_twice_dead", 32, 0, NULL, NULL, NULL, 0);
	tst_cache_destroy(test, a);
	KUNIT_EXPECT_EQ(test, tst_stat(other, free_invalid), 0);
	bslab_cache_free(d, obj);
	KUNIT_EXPECT_TRUE(test, tst_dead_released(d));
}

/* ---- the cache layer: a dead cache is freed with its last object ---- */

static void dead_cache_released(struct kunit *test)
{
	struct bslab_cache *d;
	u64 mark = tst_log_mark();
	void *objs[3];

	d = tst_cache(test, "t_rel_dead", 700, 0, NULL, NULL, NULL, 0);
	tst_alloc_into(test, d, objs, ARRAY_SIZE(objs));
	tst_cache_destroy(test, d);
	KUNIT_EXPECT_TRUE(test, tst_dead_listed(d));
	KUNIT_EXPECT_EQ(test, tst_stat(d, buf_inuse), 3);
	bslab_cache_free(d, objs[0]);
	bslab_cache_free(d, objs[1]);
	msleep(20);
	KUNIT_EXPECT_TRUE(test, tst_dead_listed(d));
	bslab_cache_free(d, objs[2]);
	KUNIT_EXPECT_TRUE(test, tst_dead_released(d));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache t_rel_dead: %s",
					   "destroyed with 3 objects still allocated"));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache t_rel_dead: %s",
					   "the last object of the destroyed cache was freed"));
}

/*
 * Left dead on purpose, with two objects never freed: bslab's unload
 * must report it by this name (qemu/init checks the log for it).
 */
static void dead_cache_at_unload(struct kunit *test)
{
	struct bslab_cache *d;

	d = tst_cache(test, "t_rel_unload_leak", 2000, 0, NULL, NULL, NULL, 0);
	KUNIT_ASSERT_NOT_NULL(test, bslab_cache_alloc(d, GFP_KERNEL));
	KUNIT_ASSERT_NOT_NULL(test, bslab_cache_alloc(d, GFP_KERNEL));
	tst_cache_destroy(test, d);
	KUNIT_EXPECT_TRUE(test, tst_dead_listed(d));
}

/* ---- the cache layer: a module that goes away with its caches ---- */

static void module_gone(struct kunit *test)
{
	struct tst_calls *calls = tst_calls(test);
	const struct bslab_cache_args args = {
		.ctor = tst_count_ctor, .dtor = tst_count_dtor,
		.reclaim = tst_count_reclaim, .priv = calls,
	};
	struct module *fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	struct bslab_cache *empty, *held;
	int ctor, dtor;
	void *obj;
	u64 mark;

	KUNIT_ASSERT_NOT_NULL(test, fake);
	strscpy(fake->name, "bslab_fake_client", sizeof(fake->name));
	empty = tst_cache_owned(test, "t_rel_owner_empty", 48, &args, 0, fake);
	held = tst_cache_owned(test, "t_rel_owner_held", 48, &args, 0, fake);
	obj = bslab_cache_alloc(empty, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	bslab_cache_free(empty, obj);
	obj = bslab_cache_alloc(held, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	ctor = atomic_read(&calls->ctor);
	dtor = atomic_read(&calls->dtor);

	mark = tst_log_mark();
	bslab_owner_going(fake);	/* what the module notifier does */
	tst_cache_forget(test, empty);	/* it destroyed both */
	tst_cache_forget(test, held);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache %s: module %s is unloading",
					   "t_rel_owner_held", fake->name));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache %s: module %s is unloading",
					   "t_rel_owner_empty", fake->name));

	/* no callback into the "gone" module, not even to destruct */
	KUNIT_EXPECT_NULL(test, READ_ONCE(held->ctor));
	KUNIT_EXPECT_NULL(test, READ_ONCE(held->dtor));
	KUNIT_EXPECT_NULL(test, READ_ONCE(held->reclaim));
	KUNIT_EXPECT_TRUE(test, tst_dead_listed(held));
	KUNIT_EXPECT_FALSE(test, tst_dead_listed(empty));	/* freed at once */
	tst_drop_caches(test);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->reclaim), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->ctor), ctor);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->dtor), dtor);

	/* the object still works, and its free releases the cache */
	memset(obj, 0x5a, 48);
	bslab_cache_free(held, obj);
	KUNIT_EXPECT_TRUE(test, tst_dead_released(held));
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->dtor), dtor);
}

/* ---- the cache layer: names, parameters ---- */

static void reserved_names(struct kunit *test)
{
	/* every top-level file of /sys/kernel/debug/bslab (reap was not) */
	static const char *const names[] = {
		"kmastat", "kmausers", "failslab", "verify", "reap", ".", "..",
	};
	struct bslab_cache *c;
	unsigned int i;
	u64 mark;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		mark = tst_log_mark();
		c = bslab_cache_create(names[i], 32, 0, NULL, NULL, NULL, NULL,
				       0);
		tst_expect_create(test, c, -EINVAL, names[i]);
		KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab: cache %s: name is reserved",
						   names[i]));
	}
}

static void param_ranges(struct kunit *test)
{
	u64 mark = tst_log_mark();
	char *now;

	KUNIT_EXPECT_EQ(test, tst_write_param("reap_interval", "17179870"),
			-ERANGE);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab: reap_interval=%s: at most %u",
					   "17179870", 86400));
	KUNIT_EXPECT_EQ(test, tst_write_param("reap_interval", "86401"), -ERANGE);
	KUNIT_EXPECT_EQ(test, tst_write_param("reap_interval", "-1"), -EINVAL);
	now = tst_read_file(test, "/sys/module/bslab/parameters/reap_interval",
			    NULL);
	KUNIT_EXPECT_STREQ(test, now, "0\n");	/* unchanged (make check sets 0) */
	KUNIT_EXPECT_EQ(test, tst_write_param("free_check", "maybe"), -EINVAL);
	/* bslabinfo_mode is load-time only (qemu/init tries bad values) */
	KUNIT_EXPECT_LT(test, tst_write_param("bslabinfo_mode", "0444"), 0);
}

/* ---- the CPU layer: the free check on the magazine path ---- */

static void magazine_free_check(struct kunit *test)
{
	struct bslab_report_sink *sink;
	struct bslab_cache *a, *b;
	void *x, *y, *got[8], *km;
	u64 stack_word = 0, mark;
	const char *stack_why = virt_addr_valid(&stack_word) ?
				"not memory of a bslab slab" :
				"not in the direct map";
	unsigned long held;
	unsigned int i;

	tst_pin(test, 0);	/* x comes back from this CPU's magazine */
	a = tst_cache(test, "t_rel_check_a", 64, 0, NULL, NULL, NULL, 0);
	b = tst_cache(test, "t_rel_check_b", 64, 0, NULL, NULL, NULL, 0);
	KUNIT_ASSERT_GT(test, tst_stat(a, magazine_size), 0);
	x = bslab_cache_alloc(a, GFP_KERNEL);
	y = bslab_cache_alloc(b, GFP_KERNEL);
	km = kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, y);
	KUNIT_ASSERT_NOT_NULL(test, km);
	/* the rest of the magazine x's allocation had the slab layer fill */
	held = tst_stat(a, buf_magazine);

	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	bslab_cache_free(a, km);		/* kmalloc'd memory */
	bslab_cache_free(a, &stack_word);	/* a stack address */
	bslab_cache_free(a, x + 8);		/* an interior pointer */
	bslab_cache_free(a, y);			/* another cache's object */
	bslab_cache_free(a, (void *)a);		/* the cache structure */
	KUNIT_EXPECT_EQ(test, tst_stat(a, free_invalid), 5);
	KUNIT_EXPECT_EQ(test, tst_stat(a, buf_magazine), held);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_check_a", km,
					    "not memory of a bslab slab"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_check_a", &stack_word,
					    stack_why));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_check_a", x + 8,
					    "not the start of an object"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_check_a", y,
					    "it belongs to cache t_rel_check_b"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_check_a", a,
					    "not memory of a bslab slab"));
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 5);

	bslab_cache_free(a, x);
	bslab_cache_free(a, x);			/* the naive double free */
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 6);
	KUNIT_EXPECT_EQ(test, tst_stat(a, free_invalid), 6);
	KUNIT_EXPECT_EQ(test, tst_stat(a, buf_magazine), held + 1);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_check_a", x,
					    "the object is already free (double free)"));

	/* nothing bad was put into a magazine: only x comes back, once */
	for (i = 0; i < ARRAY_SIZE(got); i++) {
		got[i] = bslab_cache_alloc(a, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, got[i]);
		KUNIT_EXPECT_PTR_NE(test, got[i], km);
		KUNIT_EXPECT_PTR_NE(test, got[i], (void *)&stack_word);
		KUNIT_EXPECT_PTR_NE(test, got[i], x + 8);
		KUNIT_EXPECT_PTR_NE(test, got[i], y);
		KUNIT_EXPECT_TRUE(test, i == 0 || got[i] != x);
	}
	KUNIT_EXPECT_PTR_EQ(test, got[0], x);
	bslab_cache_free_bulk(a, ARRAY_SIZE(got), got);

	/* the bulk path checks every pointer too */
	got[0] = bslab_cache_alloc(a, GFP_KERNEL);
	got[1] = km;
	got[2] = y;
	mark = tst_log_mark();
	bslab_cache_free_bulk(a, 3, got);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 8);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_check_a", km,
					    "not memory of a bslab slab"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_check_a", y,
					    "it belongs to cache t_rel_check_b"));
	KUNIT_EXPECT_EQ(test, tst_stat(a, free_invalid), 8);
	KUNIT_EXPECT_EQ(test, tst_stat(a, buf_inuse), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(b, free_invalid), 0);
	bslab_cache_free(b, y);
	KUNIT_EXPECT_EQ(test, tst_stat(b, buf_inuse), 0);
	kfree(km);
}

/* bslab_free() with the wrong size: a 16-byte object into the 4096 class. */
static void wrong_size_class(struct kunit *test)
{
	struct bslab_cache *c16 = bslab_size_class(16);
	struct bslab_cache *c4k = bslab_size_class(4096);
	u64 bad16 = tst_stat(c16, free_invalid);
	u64 bad4k = tst_stat(c4k, free_invalid), mark;
	struct bslab_report_sink *sink;
	void *small, *again[4];
	unsigned int i;

	small = bslab_alloc(16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, small);
	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	bslab_free(small, 4096);
	KUNIT_EXPECT_EQ(test, tst_stat(c4k, free_invalid), bad4k + 1);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "bslab_alloc_4096", small,
					    "it belongs to cache bslab_alloc_16"));
	for (i = 0; i < ARRAY_SIZE(again); i++) {
		again[i] = bslab_alloc(4096, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, again[i]);
		KUNIT_EXPECT_PTR_NE(test, again[i], small);
	}
	for (i = 0; i < ARRAY_SIZE(again); i++)
		bslab_free(again[i], 4096);
	bslab_free(small, 16);		/* the right size still works */
	KUNIT_EXPECT_EQ(test, tst_stat(c16, free_invalid), bad16);
}

/* free_check=0 lets a bad pointer through the magazine path (its cost). */
static void free_check_off(struct kunit *test)
{
	struct bslab_report_sink *sink;
	struct bslab_cache *a;
	void *x;
	u64 mark;

	a = tst_cache(test, "t_rel_nocheck", 64, 0, NULL, NULL, NULL, 0);
	x = bslab_cache_alloc(a, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	static_branch_disable(&bslab_free_check);
	bslab_cache_free(a, x);
	bslab_cache_free(a, x);		/* not seen by the CPU layer now */
	static_branch_enable(&bslab_free_check);
	/* both copies went into the magazine, unchecked */
	KUNIT_EXPECT_EQ(test, tst_stat(a, free), 2);
	KUNIT_EXPECT_EQ(test, tst_stat(a, free_invalid), 0);
	/* the slab layer still refuses the second copy (in a drain's worker) */
	mark = tst_log_mark();
	sink = tst_count_reports(test, true);
	bslab_cache_reap(a);
	KUNIT_EXPECT_EQ(test, tst_stat(a, free_invalid), 1);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_nocheck", x,
					    "the object is already free (double free)"));
	KUNIT_EXPECT_EQ(test, tst_stat(a, mem_total), 0);
}

/* ---- the slab layer: double frees of a small cache ---- */

static void slab_double_free(struct kunit *test)
{
	struct bslab_report_sink *sink;
	struct bslab_cache *a;
	void *x, *y, *z, *w;
	struct bslab_obj_info info;
	u64 mark;

	a = tst_cache(test, "t_rel_dfree", 64, 0, NULL, NULL, NULL,
		      BSLAB_NOMAGAZINE);
	x = bslab_cache_alloc(a, GFP_KERNEL);
	y = bslab_cache_alloc(a, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, y);
	tst_fill(y, 64, 7);

	mark = tst_log_mark();
	bslab_cache_free(a, x);
	sink = tst_count_reports(test, false);
	bslab_cache_free(a, x);			/* already free */
	bslab_cache_free(a, x + a->chunk * 5);	/* never allocated */
	KUNIT_EXPECT_EQ(test, tst_stat(a, free_invalid), 2);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 2);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_dfree", x,
					    "the object is already free (double free)"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_rel_dfree", x + a->chunk * 5,
					    "the object was never allocated"));
	KUNIT_EXPECT_EQ(test, tst_stat(a, buf_inuse), 1);
	KUNIT_ASSERT_EQ(test, 0, bslab_obj_info(a, y, &info));
	KUNIT_EXPECT_EQ(test, info.inuse, 1);
	KUNIT_EXPECT_EQ(test, info.state, BSLAB_SLAB_PARTIAL);

	/* the free list did not loop: two allocations, two objects */
	z = bslab_cache_alloc(a, GFP_KERNEL);
	w = bslab_cache_alloc(a, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_EXPECT_PTR_NE(test, z, w);
	KUNIT_EXPECT_PTR_NE(test, z, y);
	KUNIT_EXPECT_PTR_NE(test, w, y);
	KUNIT_EXPECT_TRUE(test, tst_check(y, 64, 7));
	bslab_cache_free(a, z);
	bslab_cache_free(a, w);
	bslab_cache_free(a, y);
	KUNIT_EXPECT_EQ(test, tst_stat(a, buf_inuse), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(a, free_invalid), 2);
}

/* ---- the slab layer: destructors only in process context ---- */

static void dtor_context(struct kunit *test)
{
	struct tst_calls *calls = tst_calls(test);
	struct bslab_cache *cache;
	unsigned int i, n, round;
	void **objs;

	cache = tst_cache(test, "t_rel_dtor_ctx", 128, 0, NULL, tst_count_dtor,
			  calls, 0);
	n = 8 * tst_stat(cache, magazine_size);
	objs = tst_alloc_array(test, n, sizeof(void *));
	for (round = 0; round < 4; round++) {
		tst_alloc_into(test, cache, objs, n);
		/* magazines now come back of another size: discarded */
		bslab_magazine_resize(cache, round & 1);
		for (i = 0; i < n; i++)
			bslab_cache_free(cache, objs[i]);
		bslab_cache_reap(cache);
	}
	flush_work(&cache->work);
	KUNIT_EXPECT_GT(test, atomic_read(&calls->dtor), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->dtor_atomic), 0);
}

/*
 * ---- contexts: hard IRQ ----
 * Without PREEMPT_RT a GFP_ATOMIC allocation in hard IRQ grows the cache,
 * as SLUB's does (lockdep's wait-type check stays quiet: the debug kernel
 * has PROVE_RAW_LOCK_NESTING); with PREEMPT_RT it cannot, fails, and the
 * cache's work makes a reserve for the next.  Frees there never give
 * pages back: they leave them to the work.
 */

struct hard_ctx {
	struct hrtimer timer;
	struct bslab_cache *cache;
	void **objs;
	unsigned int n;
	enum { HARD_ALLOC, HARD_FREE, HARD_LARGE_ALLOC, HARD_LARGE_FREE,
	       HARD_LOOP } op;
	void *got;
	unsigned int nulls;
	struct completion done;
};

static enum hrtimer_restart hard_side(struct hrtimer *timer)
{
	struct hard_ctx *ctx = container_of(timer, struct hard_ctx, timer);
	unsigned int i;
	void *obj;

	switch (ctx->op) {
	case HARD_ALLOC:
		ctx->got = bslab_cache_alloc(ctx->cache, GFP_ATOMIC);
		break;
	case HARD_FREE:
		for (i = 0; i < ctx->n; i++)
			bslab_cache_free(ctx->cache, ctx->objs[i]);
		break;
	case HARD_LARGE_ALLOC:
		ctx->got = bslab_alloc(4 * BSLAB_ALLOC_MAX, GFP_ATOMIC);
		break;
	case HARD_LARGE_FREE:
		bslab_free(ctx->got, 4 * BSLAB_ALLOC_MAX);
		break;
	case HARD_LOOP:		/* a plain alloc/free loop */
		for (i = 0; i < ctx->n; i++) {
			obj = bslab_cache_alloc(ctx->cache, GFP_ATOMIC);
			if (!obj)
				ctx->nulls++;
			bslab_cache_free(ctx->cache, obj);
		}
		break;
	}
	complete(&ctx->done);
	return HRTIMER_NORESTART;
}

/* A context for hard_side() with a new cache of its own. */
static struct hard_ctx *hard_ctx_make(struct kunit *test, const char *name,
				      size_t size, unsigned int flags)
{
	struct hard_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	init_completion(&ctx->done);
	bslab_hrtimer_setup(&ctx->timer, hard_side, CLOCK_MONOTONIC,
			    HRTIMER_MODE_REL_HARD);
	ctx->cache = tst_cache(test, name, size, 0, NULL, NULL, NULL, flags);
	return ctx;
}

static void run_hard(struct hard_ctx *ctx)
{
	reinit_completion(&ctx->done);
	hrtimer_start(&ctx->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&ctx->done);
}

static void hard_irq_context(struct kunit *test)
{
	struct hard_ctx *ctx = hard_ctx_make(test, "t_rel_hardirq", 256,
					     BSLAB_NOMAGAZINE);
	const bool rt = IS_ENABLED(CONFIG_PREEMPT_RT);
	unsigned long large_before, large_after, bytes;
	unsigned int i, per_slab;

	per_slab = tst_stat(ctx->cache, buf_per_slab);

	/*
	 * An empty cache: without PREEMPT_RT the allocation makes a slab;
	 * with it, it fails, and the cache's work makes its reserve.
	 */
	ctx->op = HARD_ALLOC;
	run_hard(ctx);
	if (rt) {
		KUNIT_EXPECT_NULL(test, ctx->got);
		KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, alloc_fail), 1);
		KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, alloc_fail_irq), 1);
		KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, irq_reserve),
				per_slab);
		/* the work (which may have run already) made one slab */
		flush_work(&ctx->cache->work);
		KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, slab_create), 1);
		KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, buf_total),
				per_slab);
		run_hard(ctx);
		/*
		 * That took from the reserve, so the work tops it up with a
		 * second slab: when, is the scheduler's business; wait for it.
		 */
		flush_work(&ctx->cache->work);
	}
	KUNIT_ASSERT_NOT_NULL(test, ctx->got);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, slab_create), 1 + rt);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, alloc_fail_irq), rt);

	ctx->n = (BSLAB_EMPTY_RESERVE + 2) * per_slab;
	ctx->objs = tst_alloc_array(test, ctx->n, sizeof(void *));
	ctx->objs[0] = ctx->got;
	for (i = 1; i < ctx->n; i++) {
		ctx->objs[i] = bslab_cache_alloc(ctx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, ctx->objs[i]);
	}

	/* frees that empty slabs beyond the reserve leave them to the work */
	ctx->op = HARD_FREE;
	run_hard(ctx);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, buf_inuse), 0);
	flush_work(&ctx->cache->work);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, slab_empty),
			BSLAB_EMPTY_RESERVE);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, slab_destroy),
			tst_stat(ctx->cache, slab_create) -
			BSLAB_EMPTY_RESERVE);

	/* bslab_alloc() past the size classes: pages, but not on RT */
	bslab_sizes_large_stats(&large_before, &bytes);
	ctx->op = HARD_LARGE_ALLOC;
	run_hard(ctx);
	if (rt) {
		KUNIT_EXPECT_NULL(test, ctx->got);
		ctx->got = bslab_alloc(4 * BSLAB_ALLOC_MAX, GFP_KERNEL);
	}
	KUNIT_ASSERT_NOT_NULL(test, ctx->got);
	ctx->op = HARD_LARGE_FREE;	/* finished by a work item */
	run_hard(ctx);
	bslab_sizes_flush();
	bslab_sizes_large_stats(&large_after, &bytes);
	KUNIT_EXPECT_EQ(test, large_after, large_before);
	hrtimer_cancel(&ctx->timer);
}

/*
 * A magazine fill in process context leaves the cache's reserve free: with
 * PREEMPT_RT, a hard-IRQ allocation that fails makes the cache keep a slab's
 * worth free, and a fill after it (a magazine holds more than a slab)
 * makes a slab of its own rather than take them, so the next hard-IRQ
 * allocation that finds the magazines empty finds one in the slab layer.
 * Without PREEMPT_RT both hard-IRQ allocations grow the cache.
 */
static void fill_leaves_irq_reserve(struct kunit *test)
{
	const bool rt = IS_ENABLED(CONFIG_PREEMPT_RT);
	unsigned int per_slab, rounds, i;
	struct hard_ctx *ctx;
	void *first, **objs;

	tst_pin(test, 0);
	ctx = hard_ctx_make(test, "t_rel_fillres", 256, 0);
	per_slab = tst_stat(ctx->cache, buf_per_slab);
	KUNIT_ASSERT_GT(test, tst_stat(ctx->cache, magazine_size), per_slab);

	ctx->op = HARD_ALLOC;
	run_hard(ctx);
	if (rt) {
		KUNIT_EXPECT_NULL(test, ctx->got);
		KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, irq_reserve),
				per_slab);
		flush_work(&ctx->cache->work);	/* it makes the reserve */
	}
	first = ctx->got;

	/* a fill, then its magazine emptied, all in process context */
	rounds = tst_stat(ctx->cache, magazine_size);
	objs = tst_alloc_array(test, rounds, sizeof(void *));
	objs[0] = bslab_cache_alloc(ctx->cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs[0]);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, alloc_fill), 1);
	if (rt)		/* the reserve's slab and the fill's own */
		KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, slab_create), 2);
	rounds = tst_stat(ctx->cache, buf_magazine);
	for (i = 1; i <= rounds; i++) {
		objs[i] = bslab_cache_alloc(ctx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, alloc_fill), 1);

	run_hard(ctx);		/* the magazines are empty: the slab layer */
	KUNIT_EXPECT_NOT_NULL(test, ctx->got);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, alloc_fail_irq), rt);
	hrtimer_cancel(&ctx->timer);
	bslab_cache_free(ctx->cache, ctx->got);
	bslab_cache_free(ctx->cache, first);
	bslab_cache_free_bulk(ctx->cache, rounds + 1, objs);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, buf_inuse), 0);
}

/*
 * A task's allocation never fails for the reserve: with PREEMPT_RT, hard-IRQ
 * demand can raise the reserve above a slab (hard_irq_client's ring holds
 * 64 objects), and a fill that stopped after one slab, all of it within
 * the reserve, took nothing and failed the allocation (65 GFP_KERNEL NULLs
 * in one run of hard_irq_client).  A fill makes slabs until it has an
 * object beyond the reserve.  The reserve is set here as that demand sets
 * it, so the case runs on every kernel.
 */
static void fill_grows_past_reserve(struct kunit *test)
{
	struct bslab_cache *cache;
	unsigned int per_slab;
	unsigned long flags;
	void *obj;

	tst_pin(test, 0);
	cache = tst_cache(test, "t_rel_fillpast", 256, 0, NULL, NULL, NULL, 0);
	per_slab = tst_stat(cache, buf_per_slab);
	KUNIT_ASSERT_GT(test, tst_stat(cache, magazine_size), per_slab);
	raw_spin_lock_irqsave(&cache->lock, flags);
	cache->irq_reserve = 3 * per_slab;
	raw_spin_unlock_irqrestore(&cache->lock, flags);

	obj = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, obj);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_fail), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_fill), 1);
	/* three slabs for the reserve, the fourth for the magazine */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_create), 4);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_magazine), per_slab - 1);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_total) -
			tst_stat(cache, buf_inuse) - tst_stat(cache, buf_magazine),
			3 * per_slab);
	bslab_cache_free(cache, obj);
}

/*
 * A plain alloc/free loop in hard IRQ on a new cache with magazines (issue
 * 19: 1577 NULLs): none without PREEMPT_RT; with it, the first loop fails
 * throughout (nothing can make a slab meanwhile) and, once the cache's
 * work has made the reserve that failure asked for, the next has none.
 */
static void hard_irq_loop(struct kunit *test)
{
	struct hard_ctx *ctx;

	tst_pin(test, 0);
	ctx = hard_ctx_make(test, "t_rel_hardloop", 128, 0);
	ctx->op = HARD_LOOP;
	ctx->n = 2000;
	run_hard(ctx);
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		KUNIT_EXPECT_EQ(test, ctx->nulls, ctx->n);
		KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, alloc_fail_irq),
				ctx->n);
		flush_work(&ctx->cache->work);
		ctx->nulls = 0;
		run_hard(ctx);
	}
	KUNIT_EXPECT_EQ(test, ctx->nulls, 0);
	KUNIT_EXPECT_EQ(test, tst_stat(ctx->cache, buf_inuse), 0);
	hrtimer_cancel(&ctx->timer);
}

/*
 * A driver-like client (issue 19): a hard-IRQ timer allocates a 128-byte
 * object with GFP_ATOMIC every tick, keeping the last 64 and freeing the
 * oldest, while a task on the same CPU allocates and frees one object in a
 * loop (so the interrupt often finds the CPU layer busy and goes to the
 * slab layer).  Without PREEMPT_RT no allocation fails, in either; with
 * it, the interrupt's failures are counted in alloc_fail_irq and stop
 * once the cache's reserve has grown: none in the second half.
 */
#define RING		64
#define RING_TICK_NS	(200 * NSEC_PER_USEC)

struct ring_ctx {
	struct hrtimer timer;
	struct bslab_cache *cache;
	void *ring[RING];
	unsigned int head;
	unsigned long allocs, nulls, late_nulls;
	bool late, stop;
};

static enum hrtimer_restart ring_tick(struct hrtimer *timer)
{
	struct ring_ctx *rc = container_of(timer, struct ring_ctx, timer);
	void **slot = &rc->ring[rc->head++ % RING];

	bslab_cache_free(rc->cache, *slot);	/* the oldest, if any */
	*slot = bslab_cache_alloc(rc->cache, GFP_ATOMIC);
	rc->allocs++;
	if (!*slot) {
		rc->nulls++;
		rc->late_nulls += READ_ONCE(rc->late);
	}
	if (READ_ONCE(rc->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(RING_TICK_NS));
	return HRTIMER_RESTART;
}

static void hard_irq_client(struct kunit *test)
{
	struct ring_ctx *rc = kunit_kzalloc(test, sizeof(*rc), GFP_KERNEL);
	unsigned long task_nulls = 0, end;
	unsigned int i;
	void *obj;

	KUNIT_ASSERT_NOT_NULL(test, rc);
	tst_pin(test, 0);
	rc->cache = tst_cache(test, "t_rel_hardring", 128, 0, NULL, NULL,
			      NULL, 0);
	bslab_hrtimer_setup(&rc->timer, ring_tick, CLOCK_MONOTONIC,
			    HRTIMER_MODE_REL_PINNED_HARD);
	hrtimer_start(&rc->timer, ns_to_ktime(RING_TICK_NS),
		      HRTIMER_MODE_REL_PINNED_HARD);
	end = jiffies + 2 * HZ;
	while (time_before(jiffies, end)) {
		if (time_after(jiffies, end - HZ))
			WRITE_ONCE(rc->late, true);
		obj = bslab_cache_alloc(rc->cache, GFP_KERNEL);
		if (!obj)
			task_nulls++;
		bslab_cache_free(rc->cache, obj);
		cond_resched();
	}
	WRITE_ONCE(rc->stop, true);
	hrtimer_cancel(&rc->timer);
	for (i = 0; i < RING; i++)
		bslab_cache_free(rc->cache, rc->ring[i]);

	kunit_info(test, "%lu hard-IRQ allocations, %lu NULL (%lu in the second second)\n",
		   rc->allocs, rc->nulls, rc->late_nulls);
	KUNIT_EXPECT_GT(test, rc->allocs, 100);
	KUNIT_EXPECT_EQ(test, task_nulls, 0);
	KUNIT_EXPECT_EQ(test, tst_stat(rc->cache, alloc_fail_irq), rc->nulls);
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		KUNIT_EXPECT_EQ(test, rc->late_nulls, 0);
	else
		KUNIT_EXPECT_EQ(test, rc->nulls, 0);
	KUNIT_EXPECT_EQ(test, tst_stat(rc->cache, buf_inuse), 0);
}

/* ---- reaping: reclaim callbacks under pressure with nothing cached ---- */

struct holder {
	struct bslab_cache *cache;
	void *objs[256];
	unsigned int n;
	atomic_t calls;
};

static void holder_reclaim(void *priv)
{
	struct holder *h = priv;

	atomic_inc(&h->calls);
	while (h->n)
		bslab_cache_free(h->cache, h->objs[--h->n]);
}

static void reclaim_with_nothing_cached(struct kunit *test)
{
	struct holder *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct bslab_cache_args args = { .reclaim = holder_reclaim };

	KUNIT_ASSERT_NOT_NULL(test, h);
	args.priv = h;
	h->cache = tst_cache_args(test, "t_rel_reclaim", 512, &args, 0);
	tst_alloc_into(test, h->cache, h->objs, ARRAY_SIZE(h->objs));
	h->n = ARRAY_SIZE(h->objs);
	bslab_cache_reap(h->cache);	/* bslab itself holds nothing free */
	KUNIT_ASSERT_EQ(test, tst_stat(h->cache, slab_empty), 0);
	KUNIT_ASSERT_EQ(test, tst_stat(h->cache, full_magazines), 0);

	tst_drop_caches(test);
	KUNIT_EXPECT_GE(test, atomic_read(&h->calls), 1);
	KUNIT_EXPECT_GE(test, tst_stat(h->cache, reclaim_calls), 1);
	KUNIT_EXPECT_EQ(test, h->n, 0);
	KUNIT_EXPECT_EQ(test, tst_stat(h->cache, buf_inuse), 0);
}

/* ---- everything at once: file readers x create/destroy x CPU hotplug ---- */

struct storm {
	unsigned long deadline;
	atomic_t stop;
	unsigned long reads, cycles, hotplugs;
	struct completion readers_done, churn_done;
	int churn_err;
};

static void read_all(const char *path)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	static char buf[4096];	/* one reader thread: not shared */
	loff_t pos = 0;

	if (IS_ERR(f))
		return;		/* the cache went away: fine */
	while (bslab_kread(f, buf, sizeof(buf), &pos) > 0)
		cond_resched();
	filp_close(f, NULL);
}

/*
 * The files that are never removed, which take bslab_caches_mutex; the
 * t_storm_* directories are read by qemu/init's user-space reader.
 */
static int storm_reader(void *arg)
{
	struct storm *s = arg;

	while (!atomic_read(&s->stop)) {
		read_all("/sys/kernel/debug/bslab/kmastat");
		read_all("/proc/bslabinfo");
		s->reads++;
	}
	complete(&s->readers_done);
	return 0;
}

static void storm_dtor(void *obj, void *priv)
{
	might_sleep();
}

/*
 * Creates and destroys caches itself, in a thread of its own, where a KUnit
 * assertion may not be used: so not through tst_cache(); it destroys every
 * cache it made on any way out.
 */
static int storm_churn(void *arg)
{
	struct storm *s = arg;
	struct bslab_cache *c[4] = {};
	void *objs[64];
	char name[32];
	unsigned int k, i;

	while (!atomic_read(&s->stop)) {
		for (k = 0; k < 4; k++) {
			snprintf(name, sizeof(name), "t_storm_%u", k);
			c[k] = bslab_cache_create(name, 64 << k, 0, NULL,
						  k & 1 ? storm_dtor : NULL,
						  NULL, NULL, 0);
			if (IS_ERR(c[k])) {
				s->churn_err = PTR_ERR(c[k]);
				c[k] = NULL;
				goto out;
			}
		}
		for (k = 0; k < 4; k++) {
			for (i = 0; i < ARRAY_SIZE(objs); i++)
				objs[i] = bslab_cache_alloc(c[k], GFP_KERNEL);
			for (i = 0; i < ARRAY_SIZE(objs); i++)
				bslab_cache_free(c[k], objs[i]);
		}
		for (k = 0; k < 4; k++) {
			bslab_cache_destroy(c[k]);
			c[k] = NULL;
		}
		s->cycles++;
		cond_resched();
	}
out:
	for (k = 0; k < 4; k++)
		bslab_cache_destroy(c[k]);
	complete(&s->churn_done);
	return 0;
}

static void hotplug_readers_destroy(struct kunit *test)
{
	struct storm *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct task_struct *r, *c;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_GE(test, num_online_cpus(), 2);
	init_completion(&s->readers_done);
	init_completion(&s->churn_done);
	r = kthread_run(storm_reader, s, "bslab_storm_r");
	KUNIT_ASSERT_FALSE(test, IS_ERR(r));
	c = kthread_run(storm_churn, s, "bslab_storm_c");
	if (IS_ERR(c)) {
		atomic_set(&s->stop, 1);
		wait_for_completion(&s->readers_done);
		KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	}

	s->deadline = jiffies + hotplug_seconds * HZ;
	while (time_before(jiffies, s->deadline)) {
		err = remove_cpu(1);
		if (err) {
			KUNIT_FAIL(test, "remove_cpu(1): %d", err);
			break;
		}
		usleep_range(5000, 10000);
		err = add_cpu(1);
		if (err) {
			KUNIT_FAIL(test, "add_cpu(1): %d", err);
			break;
		}
		s->hotplugs++;
		usleep_range(5000, 10000);
	}
	atomic_set(&s->stop, 1);
	wait_for_completion(&s->readers_done);
	wait_for_completion(&s->churn_done);
	kunit_info(test, "%lu offline/online cycles, %lu create/destroy rounds, %lu read rounds",
		   s->hotplugs, s->cycles, s->reads);
	KUNIT_EXPECT_EQ(test, s->churn_err, 0);
	KUNIT_EXPECT_GT(test, s->hotplugs, 10);
	KUNIT_EXPECT_GT(test, s->cycles, 10);
	KUNIT_EXPECT_GT(test, s->reads, 10);
	KUNIT_EXPECT_TRUE(test, cpu_online(1));
}

static struct kunit_case reliability_cases[] = {
	KUNIT_CASE(destroy_twice),
	KUNIT_CASE(dead_cache_released),
	KUNIT_CASE(dead_cache_at_unload),
	KUNIT_CASE(module_gone),
	KUNIT_CASE(reserved_names),
	KUNIT_CASE(param_ranges),
	KUNIT_CASE(magazine_free_check),
	KUNIT_CASE(wrong_size_class),
	KUNIT_CASE(free_check_off),
	KUNIT_CASE(slab_double_free),
	KUNIT_CASE(dtor_context),
	KUNIT_CASE(hard_irq_context),
	KUNIT_CASE(fill_leaves_irq_reserve),
	KUNIT_CASE(fill_grows_past_reserve),
	KUNIT_CASE(hard_irq_loop),
	KUNIT_CASE_SLOW(hard_irq_client),
	KUNIT_CASE(reclaim_with_nothing_cached),
	KUNIT_CASE_SLOW(hotplug_readers_destroy),
	{}
};

static struct kunit_suite reliability_suite = {
	.name = "bslab_reliability",
	.init = tst_init,
	.test_cases = reliability_cases,
};

kunit_test_suite(reliability_suite);
