/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces bslab's test, soak and benchmark modules use whose
 * form differs between the kernel versions bslab builds against: each
 * wrapped once, here.  (The allocator's own differences live in
 * mm/compat.h.)
 */
#ifndef _BSLAB_KUNIT_COMPAT_H
#define _BSLAB_KUNIT_COMPAT_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/version.h>

/* KUNIT_CASE_SLOW() (6.6) marks a case slow; before, every case is one. */
#ifndef KUNIT_CASE_SLOW
#define KUNIT_CASE_SLOW(test_name)	KUNIT_CASE(test_name)
#endif

/*
 * kunit_kstrdup() is newer than 6.1 (after 6.6): the same, on kunit_kmalloc(),
 * which every version has.
 */
static inline char *bslab_test_kstrdup(struct kunit *test, const char *str)
{
	size_t n = strlen(str) + 1;
	char *copy = kunit_kmalloc(test, n, GFP_KERNEL);

	if (copy)
		memcpy(copy, str, n);
	return copy;
}

/*
 * Deferred actions (kunit_add_action_or_reset() and friends) arrived in
 * 6.5.  Before, they are built here on KUnit's resources, which run their
 * free callback when the test ends or when released: one resource per
 * action, found again by its function and argument.
 */
#if KERNEL_VERSION(6, 5, 0) > LINUX_VERSION_CODE
typedef void (kunit_action_t)(void *);

struct bslab_test_action {
	struct kunit_resource res;	/* first: KUnit kfree()s it */
	kunit_action_t *fn;		/* NULL once removed */
	void *ctx;
};

static inline void bslab_test_action_run(struct kunit_resource *res)
{
	struct bslab_test_action *a =
		container_of(res, struct bslab_test_action, res);

	if (a->fn)
		a->fn(a->ctx);
}

static inline int kunit_add_action_or_reset(struct kunit *test,
					    kunit_action_t *fn, void *ctx)
{
	struct bslab_test_action *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a) {
		fn(ctx);
		return -ENOMEM;
	}
	a->fn = fn;
	a->ctx = ctx;
	a->res.should_kfree = true;
	return __kunit_add_resource(test, NULL, bslab_test_action_run,
				    &a->res, a);
}

static inline bool bslab_test_action_match(struct kunit *test,
					   struct kunit_resource *res,
					   void *want)
{
	struct bslab_test_action *w = want;
	struct bslab_test_action *a;

	if (res->free != bslab_test_action_run)
		return false;
	a = container_of(res, struct bslab_test_action, res);
	return a->fn == w->fn && a->ctx == w->ctx;
}

/* Take the action off the test's list; @run: call it now (else never). */
static inline void bslab_test_action_end(struct kunit *test,
					 kunit_action_t *fn, void *ctx,
					 bool run)
{
	struct bslab_test_action want = { .fn = fn, .ctx = ctx };
	struct kunit_resource *res;

	res = kunit_find_resource(test, bslab_test_action_match, &want);
	if (!res)
		return;
	if (!run)
		container_of(res, struct bslab_test_action, res)->fn = NULL;
	kunit_remove_resource(test, res);
	kunit_put_resource(res);	/* the last reference: runs it */
}

static inline void kunit_release_action(struct kunit *test,
					kunit_action_t *fn, void *ctx)
{
	bslab_test_action_end(test, fn, ctx, true);
}

static inline void kunit_remove_action(struct kunit *test,
				       kunit_action_t *fn, void *ctx)
{
	bslab_test_action_end(test, fn, ctx, false);
}
#endif

/*
 * KASAN's name for a use-after-free of slab memory, at the head of its
 * report: "slab-use-after-free" from 6.3 on, plain "use-after-free" before
 * (as for pages).  An access past an object is "slab-out-of-bounds" on
 * every version.
 */
#if KERNEL_VERSION(6, 3, 0) > LINUX_VERSION_CODE
#define BSLAB_KASAN_SLAB_UAF	"use-after-free"
#else
#define BSLAB_KASAN_SLAB_UAF	"slab-use-after-free"
#endif

/* hrtimer_setup() arrived in 6.13; hrtimer_init() left in 7.0. */
static inline void
bslab_hrtimer_setup(struct hrtimer *timer,
		    enum hrtimer_restart (*fn)(struct hrtimer *),
		    clockid_t clock, enum hrtimer_mode mode)
{
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

/*
 * The benchmark's SLUB caches must be its own, not merged with a kernel
 * cache of the same size: SLAB_NO_MERGE says so from 6.5.  Before, the
 * flag that costs nothing on the perf kernel among those SLUB never merges
 * is SLAB_NOLEAKTRACE (it only tells kmemleak, which that kernel lacks).
 */
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
#define BSLAB_SLUB_NO_MERGE	SLAB_NO_MERGE
#else
#define BSLAB_SLUB_NO_MERGE	SLAB_NOLEAKTRACE
#endif

#endif /* _BSLAB_KUNIT_COMPAT_H */
