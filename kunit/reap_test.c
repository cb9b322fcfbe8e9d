// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_reap: the reaper's work.  Magazine resize up under forced depot
 * contention and down when idle; the working-set reap of the depot; the
 * periodic reaper and its reap_interval parameter, and its drain of the
 * magazines of CPUs that left a cache alone, but for isolated ones; the
 * reap file, which reaps every cache
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/isolation.h>

#include "helpers.h"
#include "../mm/reap.h"

/* ---- magazine resize ---- */

static int hog_depot(struct tst_cpu_job *job)
{
	unsigned long flags;

	while (!READ_ONCE(job->stop)) {
		raw_spin_lock_irqsave(&job->cache->depot.lock, flags);
		mdelay(2);	/* with the lock held: it must spin */
		raw_spin_unlock_irqrestore(&job->cache->depot.lock, flags);
		usleep_range(50, 100);
	}
	return 0;
}

/* Depot trips: fill and empty both magazines and one more. */
static void depot_trips(struct bslab_cache *cache, void **objs,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, objs[i]);
}

static void resize_up_and_down(struct kunit *test)
{
	struct tst_cpu_job *hog = kunit_kzalloc(test, sizeof(*hog), GFP_KERNEL);
	const unsigned int contention = 3, idle = 4;	/* module defaults */
	struct bslab_cache *cache;
	unsigned long start, deadline;
	unsigned int m, i;
	void **objs;

	KUNIT_ASSERT_NOT_NULL(test, hog);
	tst_need_two_cpus(test);
	tst_pin(test, 0);
	cache = tst_cache(test, "t_mag_resize", 64, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);
	objs = tst_alloc_array(test, 4 * 256, sizeof(void *));

	/*
	 * Contention needs both vCPUs running at once, which a loaded host
	 * may seldom give (7.2's 8-CPU guest beside another check reached 3
	 * contended locks in 10 s): wait up to a minute; it ends when seen.
	 */
	*hog = (struct tst_cpu_job){ .fn = hog_depot, .cache = cache, .cpu = 1 };
	tst_job_start(test, hog);
	start = jiffies;
	deadline = start + 60 * HZ;
	while (tst_stat(cache, depot_contention) <= contention &&
	       time_before(jiffies, deadline))
		depot_trips(cache, objs, 4 * m);
	WRITE_ONCE(hog->stop, true);
	wait_for_completion(&hog->done);
	kunit_info(test, "%llu contended depot locks in %u ms\n",
		   tst_stat(cache, depot_contention),
		   jiffies_to_msecs(jiffies - start));
	KUNIT_ASSERT_GT(test, tst_stat(cache, depot_contention), contention);

	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, magazine_resize_up), 1);
	KUNIT_EXPECT_GT(test, tst_stat(cache, magazine_size), m);

	/* New magazines have the new size; objects still flow. */
	depot_trips(cache, objs, 4 * tst_stat(cache, magazine_size));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);

	/* A tick to see the last allocations, then idle ones. */
	bslab_reap_tick(cache);
	for (i = 0; i < idle - 1; i++)
		bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, magazine_resize_down), 0);
	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, magazine_resize_down), 1);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, magazine_size), m);
	depot_trips(cache, objs, 4 * m);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/* ---- working-set reap ---- */

/*
 * A new cache on this CPU with k full magazines in the depot and two full
 * ones loaded; @objs has room for the (k + 2) * m objects.  They come from
 * one bulk allocation, which fills no magazine (single allocations would
 * leave the rest of the last fill in the loaded magazine).
 */
static struct bslab_cache *full_depot(struct kunit *test, const char *name,
				      unsigned int k, void ***objs)
{
	struct bslab_cache *cache;
	unsigned int n, i;

	tst_pin(test, 0);
	cache = tst_cache(test, name, 64, 0, NULL, NULL, NULL, 0);
	n = (k + 2) * tst_stat(cache, magazine_size);
	*objs = tst_alloc_array(test, n, sizeof(void *));
	KUNIT_ASSERT_EQ(test, bslab_cache_alloc_bulk(cache, GFP_KERNEL, n, *objs),
			n);
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, (*objs)[i]);
	KUNIT_ASSERT_EQ(test, tst_stat(cache, full_magazines), k);
	return cache;
}

static void working_set_reap(struct kunit *test)
{
	const unsigned int k = 6, j = 2;
	struct bslab_cache *cache;
	unsigned int m, i;
	void **objs;

	cache = full_depot(test, "t_mag_wss", k, &objs);
	m = tst_stat(cache, magazine_size);

	/* the depot was never drawn on since create: nothing is surplus */
	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, full_magazines), k);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_magazines), 0);

	/* this interval uses j of the depot's magazines, and returns them */
	for (i = 0; i < (j + 2) * m; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, full_magazines), k - j);
	for (i = 0; i < (j + 2) * m; i++)
		bslab_cache_free(cache, objs[i]);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, full_magazines), k);

	/* the k - j never touched are freed; j stay for the working set */
	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, full_magazines), j);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_objects), (k - j) * m);
	KUNIT_EXPECT_GE(test, tst_stat(cache, reap_magazines), k - j);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_empty), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_magazine), (j + 2) * m);
}

/* ---- the periodic reaper ---- */

static void reaper_off(void *unused)
{
	tst_write_param("reap_interval", "0");
	tst_write_param("resize_contention", "3");
	tst_write_param("idle_intervals", "4");
}

/* Turn the reaper on at @interval seconds, with @idle idle intervals. */
static void reaper_on(struct kunit *test, const char *interval,
		      const char *idle)
{
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, reaper_off,
							   NULL));
	KUNIT_ASSERT_EQ(test, 0, tst_write_param("resize_contention",
						 "4294967295"));
	KUNIT_ASSERT_EQ(test, 0, tst_write_param("idle_intervals", idle));
	KUNIT_ASSERT_EQ(test, 0, tst_write_param("reap_interval", interval));
}

/* Wait up to ten seconds for @cache to hold no page; expect it did. */
static void expect_all_back(struct kunit *test, struct bslab_cache *cache)
{
	unsigned long deadline = jiffies + 10 * HZ;

	while (tst_stat(cache, mem_total) && time_before(jiffies, deadline))
		msleep(100);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_magazine), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, full_magazines), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/*
 * With the reaper on at @interval seconds (make check loads bslab with it
 * off) and @idle idle intervals, an idle cache gives everything back by
 * itself: the first second sees the CPU's use and the depot's minimum; the
 * next takes the idle CPU's two magazines and frees the whole depot, then
 * the empty slabs.  Only the reaper's own doing is under test: no resize
 * by contention (on a slow kernel the setup can look contended, and a
 * resize would discard the magazines first).  Return: the cache, its
 * magazine size in *@m.
 */
static struct bslab_cache *
reaper_gives_all_back(struct kunit *test, const char *name,
		      const char *interval, const char *idle, unsigned int *m)
{
	const unsigned int k = 4;
	struct bslab_cache *cache;
	void **objs;

	cache = full_depot(test, name, k, &objs);
	*m = tst_stat(cache, magazine_size);
	KUNIT_ASSERT_EQ(test, tst_stat(cache, buf_magazine), (k + 2) * *m);

	reaper_on(test, interval, idle);
	expect_all_back(test, cache);
	/* all of it reaped, the CPU's two magazines included */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_objects), (k + 2) * *m);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_cpu_drains), 1);
	KUNIT_EXPECT_GE(test, tst_stat(cache, reap), 2);
	return cache;
}

static void periodic_reaper(struct kunit *test)
{
	unsigned int m;

	reaper_gives_all_back(test, "t_mag_reaper", "1", "0", &m);
}

/*
 * The working-set reap runs every second, whatever reap_interval says: with
 * the interval at an hour, an idle depot's magazines are gone within a few
 * seconds, while the interval's own policies have not run (an idle cache's
 * magazines would shrink a step at its first tick, with idle_intervals 1).
 */
static void reaper_trims_every_second(struct kunit *test)
{
	struct bslab_cache *cache;
	unsigned int m;

	cache = reaper_gives_all_back(test, "t_mag_trim", "3600", "1", &m);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, magazine_size), m);
}

/*
 * A CPU that uses a cache keeps its magazines: while this CPU allocates and
 * frees, second after second, the reaper takes the depot's unused
 * magazine but leaves the CPU's two; once it stops, they go back too.
 */
static void reaper_keeps_used_magazines(struct kunit *test)
{
	struct bslab_cache *cache;
	unsigned long deadline;
	unsigned int m, i = 0;
	void **objs, *obj;

	cache = full_depot(test, "t_mag_used", 1, &objs);
	m = tst_stat(cache, magazine_size);
	reaper_on(test, "3600", "1");
	/* three reaper seconds of use; the stats are read now and then */
	deadline = jiffies + 20 * HZ;
	while (time_before(jiffies, deadline) &&
	       (i++ % 1024 || tst_stat(cache, reap) < 3)) {
		obj = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj);
		bslab_cache_free(cache, obj);
		cond_resched();
	}
	KUNIT_ASSERT_GE(test, tst_stat(cache, reap), 3);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, full_magazines), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_objects), m);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_magazine), 2 * m);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_cpu_drains), 0);

	expect_all_back(test, cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_objects), 3 * m);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_cpu_drains), 1);
}

/*
 * A CPU isolated from kernel noise (the 7.2 check boots with isolcpus=7)
 * keeps an idle cache's magazines: the reaper does not cross-call it,
 * second after second.  The reap file, asked by hand, still takes them.
 */
static void reaper_leaves_isolated_cpu(struct kunit *test)
{
	struct bslab_cache *cache;
	unsigned long deadline;
	unsigned int cpu, m, n, i;
	void **objs;

	rcu_read_lock();	/* the housekeeping masks */
	for_each_online_cpu(cpu)
		if (cpu_is_isolated(cpu))
			break;
	rcu_read_unlock();
	if (cpu >= nr_cpu_ids)
		kunit_skip(test, "needs an isolated CPU (isolcpus=)");
	tst_pin(test, cpu);
	cache = tst_cache(test, "t_mag_isolated", 64, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);
	/* one bulk allocation fills no magazine; the frees fill both */
	n = 2 * m;
	objs = tst_alloc_array(test, n, sizeof(void *));
	KUNIT_ASSERT_EQ(test, bslab_cache_alloc_bulk(cache, GFP_KERNEL, n, objs),
			n);
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, objs[i]);
	KUNIT_ASSERT_EQ(test, tst_stat(cache, full_magazines), 0);
	KUNIT_ASSERT_EQ(test, tst_stat(cache, buf_magazine), n);

	reaper_on(test, "3600", "1");
	deadline = jiffies + 20 * HZ;
	while (tst_stat(cache, reap) < 3 && time_before(jiffies, deadline))
		msleep(100);
	KUNIT_ASSERT_GE(test, tst_stat(cache, reap), 3);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_cpu_drains), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_magazine), n);
	KUNIT_EXPECT_GT(test, tst_stat(cache, mem_total), 0);

	KUNIT_ASSERT_EQ(test, tst_write_file(DEBUGFS "reap", "1"), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_magazine), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

/*
 * Writing 1 to the reap file gives back everything a cache does not use,
 * the CPUs' magazines included, where the reaper and the shrinker leave
 * those; anything but a yes is refused.
 */
static void reap_file(struct kunit *test)
{
	struct bslab_cache *cache = tst_cache(test, "t_reap_file", 200, 0,
					      NULL, NULL, NULL, 0);
	void *objs[40];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		bslab_cache_free(cache, objs[i]);
	KUNIT_ASSERT_GT(test, tst_stat(cache, mem_total), 0);

	KUNIT_EXPECT_EQ(test, tst_write_file(DEBUGFS "reap", "0"), -EINVAL);
	KUNIT_EXPECT_EQ(test, tst_write_file(DEBUGFS "reap", "maybe"),
			-EINVAL);
	KUNIT_EXPECT_GT(test, tst_stat(cache, mem_total), 0);

	KUNIT_ASSERT_EQ(test, tst_write_file(DEBUGFS "reap", "1"), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_magazine), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_total), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

static struct kunit_case reap_cases[] = {
	KUNIT_CASE_SLOW(resize_up_and_down),
	KUNIT_CASE(working_set_reap),
	KUNIT_CASE_SLOW(periodic_reaper),
	KUNIT_CASE_SLOW(reaper_trims_every_second),
	KUNIT_CASE_SLOW(reaper_keeps_used_magazines),
	KUNIT_CASE_SLOW(reaper_leaves_isolated_cpu),
	KUNIT_CASE(reap_file),
	{}
};

static struct kunit_suite reap_suite = {
	.name = "bslab_reap",
	.init = tst_init,
	.test_cases = reap_cases,
};

kunit_test_suite(reap_suite);
