// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_fault: fault injection (failslab) through the kernel's framework,
 * driven by its debugfs files the way an admin would: only caches that opted
 * in fail, at the configured rate, counted, with nothing constructed and
 * lost and no object held in magazines; switching it on and off on a cache
 * in use on two CPUs loses nothing.
 */
#include <linux/delay.h>
#include <linux/fault-inject.h>

#include "helpers.h"
#include "../mm/debug.h"

/*
 * The attributes in /sys/kernel/debug/bslab/failslab/ are the kernel's
 * simple debugfs files, which kernel code cannot write (no write_iter), so
 * the tests set the struct behind them; qemu/init writes the files.
 */
static void failslab_off(void *unused)
{
	bslab_failslab.probability = 0;
	atomic_set(&bslab_failslab.times, 1);
	bslab_failslab.verbose = 2;
}

/* Fail @percent of the opted-in caches' allocations, silently, unlimited. */
static void failslab_on(struct kunit *test, unsigned long percent)
{
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS))
		kunit_skip(test, "the kernel has no CONFIG_FAULT_INJECTION_DEBUG_FS");
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, failslab_off,
							   NULL));
	bslab_failslab.verbose = 0;
	bslab_failslab.interval = 1;
	atomic_set(&bslab_failslab.times, -1);
	bslab_failslab.probability = percent;
}

static int cache_failslab(const char *name, const char *val)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/kernel/debug/bslab/%s/failslab",
		 name);
	return tst_write_file(path, val);
}

/*
 * Allocate @n times into a window of @w objects (freeing the slot's old
 * object first); return how many allocations failed.
 */
static unsigned int churn_window(struct bslab_cache *cache, unsigned int n,
				 void **win, unsigned int w)
{
	unsigned int i, failed = 0;

	for (i = 0; i < n; i++) {
		bslab_cache_free(cache, win[i % w]);
		win[i % w] = bslab_cache_alloc(cache, GFP_KERNEL);
		if (!win[i % w])
			failed++;
	}
	for (i = 0; i < w; i++) {
		bslab_cache_free(cache, win[i]);
		win[i] = NULL;
	}
	return failed;
}

/* 10% over 100,000 allocations, on the caches that opted in only. */
static void failslab_rate(struct kunit *test)
{
	const unsigned int n = 100000, w = 64;
	struct tst_calls *calls = tst_calls(test);
	struct bslab_cache *a, *b;
	struct bslab_stats st;
	unsigned int failed;
	void **win;

	failslab_on(test, 10);
	a = tst_cache(test, "t_fail_a", 96, 0, tst_count_ctor, tst_count_dtor,
		      calls, 0);
	b = tst_cache(test, "t_fail_b", 96, 0, NULL, NULL, NULL, 0);
	win = tst_alloc_array(test, w, sizeof(void *));

	/* warm a's magazines first: switching on must drain them */
	KUNIT_EXPECT_EQ(test, churn_window(a, 1000, win, w), 0);
	KUNIT_EXPECT_GT(test, tst_stat(a, buf_magazine), 0);
	KUNIT_ASSERT_EQ(test, 0, cache_failslab("t_fail_a", "1"));
	KUNIT_EXPECT_EQ(test, tst_stat(a, buf_magazine), 0);

	failed = churn_window(a, n, win, w);
	bslab_cache_stats(a, &st);
	KUNIT_EXPECT_GT(test, failed, n / 100 * 8);
	KUNIT_EXPECT_LT(test, failed, n / 100 * 12);
	KUNIT_EXPECT_EQ(test, st.fail_injected, failed);
	KUNIT_EXPECT_EQ(test, st.alloc_fail, failed);
	KUNIT_EXPECT_EQ(test, st.alloc, 1000 + n - failed);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, 0);	/* no CPU layer */
	KUNIT_EXPECT_EQ(test, st.slab_alloc, st.slab_free);

	/* a cache that did not opt in never fails */
	KUNIT_EXPECT_EQ(test, churn_window(b, n / 10, win, w), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(b, fail_injected), 0);

	/* off again: magazines come back, nothing fails */
	KUNIT_ASSERT_EQ(test, 0, cache_failslab("t_fail_a", "0"));
	KUNIT_EXPECT_EQ(test, churn_window(a, 1000, win, w), 0);
	KUNIT_EXPECT_GT(test, tst_stat(a, buf_magazine), 0);

	/* nothing constructed was lost: every slab destructs all it built */
	tst_cache_destroy(test, a);
	KUNIT_EXPECT_GT(test, atomic_read(&calls->ctor), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->dtor),
			atomic_read(&calls->ctor));
}

/* BSLAB_FAILSLAB at create, a large cache, bulk calls: all or nothing. */
static void failslab_bulk(struct kunit *test)
{
	const unsigned int calls = 2000, per = 16;
	struct bslab_cache *c;
	struct bslab_stats st;
	unsigned int i, failed = 0;
	void *objs[16];

	failslab_on(test, 10);
	c = tst_cache(test, "t_fail_bulk", 2000, 0, NULL, NULL, NULL,
		      BSLAB_FAILSLAB);
	KUNIT_EXPECT_EQ(test, tst_stat(c, offslab), 1);
	for (i = 0; i < calls; i++) {
		if (!bslab_cache_alloc_bulk(c, GFP_KERNEL, per, objs)) {
			failed++;
			continue;
		}
		bslab_cache_free_bulk(c, per, objs);
	}
	bslab_cache_stats(c, &st);
	KUNIT_EXPECT_GT(test, failed, calls / 100 * 5);
	KUNIT_EXPECT_LT(test, failed, calls / 100 * 15);
	KUNIT_EXPECT_EQ(test, st.fail_injected, failed);
	KUNIT_EXPECT_EQ(test, st.alloc, (u64)(calls - failed) * per);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.buf_magazine, 0);
	bslab_cache_reap(c);
	KUNIT_EXPECT_EQ(test, tst_stat(c, mem_total), 0);
}

/* Switch failslab on and off 200 times while two CPUs use the cache. */
static void failslab_live_switch(struct kunit *test)
{
	struct tst_cpu_job *jobs = kunit_kzalloc(test, 2 * sizeof(*jobs),
					     GFP_KERNEL);
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, jobs);
	tst_need_two_cpus(test);
	failslab_on(test, 50);
	cache = tst_cache(test, "t_fail_live", 128, 0, NULL, NULL, NULL, 0);
	for (i = 0; i < 2; i++) {
		jobs[i] = (struct tst_cpu_job){ .fn = tst_churn,
			.cache = cache, .cpu = i, .may_fail = true };
		tst_job_start(test, &jobs[i]);
	}
	for (i = 0; i < 200; i++) {
		KUNIT_EXPECT_EQ(test, 0, cache_failslab("t_fail_live",
							i & 1 ? "0" : "1"));
		usleep_range(500, 1000);
	}
	for (i = 0; i < 2; i++)
		WRITE_ONCE(jobs[i].stop, true);
	for (i = 0; i < 2; i++)
		wait_for_completion(&jobs[i].done);

	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, jobs[0].bad + jobs[1].bad, 0);
	KUNIT_EXPECT_GT(test, st.fail_injected, 0);
	KUNIT_EXPECT_EQ(test, st.alloc + st.alloc_fail, jobs[0].ops + jobs[1].ops);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	/* every object out of the slabs is in a magazine: none lost */
	KUNIT_EXPECT_EQ(test, st.slab_alloc - st.slab_free, st.buf_magazine);
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

static struct kunit_case fault_cases[] = {
	KUNIT_CASE_SLOW(failslab_rate),
	KUNIT_CASE(failslab_bulk),
	KUNIT_CASE_SLOW(failslab_live_switch),
	{}
};

static struct kunit_suite fault_suite = {
	.name = "bslab_fault",
	.init = tst_init,
	.test_cases = fault_cases,
};

kunit_test_suite(fault_suite);
