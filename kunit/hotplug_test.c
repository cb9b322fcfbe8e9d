// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_hotplug: CPU hotplug.  A CPU's magazines go to the depot or the slab
 * layer when it goes offline, while another CPU keeps allocating (the
 * storm of readers x create/destroy x hotplug is in reliability_test.c)
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include "helpers.h"
#include "../mm/depot.h"

/* ---- CPU hotplug ---- */

static int churn(struct tst_cpu_job *job)
{
	void *objs[40];
	unsigned int i;

	while (!READ_ONCE(job->stop)) {
		for (i = 0; i < ARRAY_SIZE(objs); i++) {
			objs[i] = bslab_cache_alloc(job->cache, GFP_KERNEL);
			if (!objs[i])
				job->bad++;
		}
		for (i = 0; i < ARRAY_SIZE(objs); i++)
			bslab_cache_free(job->cache, objs[i]);
		job->ops += ARRAY_SIZE(objs);
		cond_resched();
	}
	return 0;
}

/* Leave objects in this CPU's magazines: one full, one partly full. */
static int park_objects(struct tst_cpu_job *job)
{
	unsigned int m = bslab_magazine_size(job->cache), i;
	void **objs = job->shared;

	/* in bulk, which fills no magazine: only the frees go into them */
	if (!bslab_cache_alloc_bulk(job->cache, GFP_KERNEL, m + m / 2, objs)) {
		job->bad++;
		return 0;
	}
	for (i = 0; i < m + m / 2; i++)
		bslab_cache_free(job->cache, objs[i]);
	job->ops = m + m / 2;
	return 0;
}

static void cpu_offline_online(struct kunit *test)
{
	struct tst_cpu_job *jobs = kunit_kzalloc(test, 2 * sizeof(*jobs),
					     GFP_KERNEL);
	struct bslab_cpu_cache *cc;
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int round, m;

	KUNIT_ASSERT_NOT_NULL(test, jobs);
	tst_need_two_cpus(test);
	tst_pin(test, 0);
	cache = tst_cache(test, "t_mag_hotplug", 96, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);

	/* CPU 1 holds a full and a half-full magazine; then it goes away */
	jobs[1] = (struct tst_cpu_job){ .fn = park_objects, .cache = cache,
		.cpu = 1, .shared = tst_alloc_array(test, 2 * m,
						     sizeof(void *)) };
	tst_job_start(test, &jobs[1]);
	wait_for_completion(&jobs[1].done);
	KUNIT_ASSERT_EQ(test, tst_stat(cache, buf_magazine), m + m / 2);

	/* meanwhile CPU 0 keeps allocating and freeing */
	jobs[0] = (struct tst_cpu_job){ .fn = churn, .cache = cache, .cpu = 0 };
	tst_job_start(test, &jobs[0]);
	for (round = 0; round < 3; round++) {
		KUNIT_ASSERT_EQ(test, 0, remove_cpu(1));
		cc = per_cpu_ptr(cache->cpu, 1);
		KUNIT_EXPECT_PTR_EQ(test, cc->loaded, &bslab_no_magazine);
		KUNIT_EXPECT_PTR_EQ(test, cc->prev, &bslab_no_magazine);
		KUNIT_ASSERT_EQ(test, 0, add_cpu(1));
		msleep(20);
	}
	WRITE_ONCE(jobs[0].stop, true);
	wait_for_completion(&jobs[0].done);

	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, jobs[0].bad, 0);
	KUNIT_EXPECT_GT(test, jobs[0].ops, 0);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	KUNIT_EXPECT_EQ(test, st.alloc, jobs[0].ops + jobs[1].ops);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.free_invalid, 0);
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

static struct kunit_case hotplug_cases[] = {
	KUNIT_CASE_SLOW(cpu_offline_online),
	{}
};

static struct kunit_suite hotplug_suite = {
	.name = "bslab_hotplug",
	.init = tst_init,
	.test_cases = hotplug_cases,
};

kunit_test_suite(hotplug_suite);
