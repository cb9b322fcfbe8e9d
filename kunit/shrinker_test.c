// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_shrinker: memory pressure.  The shrinker through drop_caches:
 * reclaim callbacks, depot magazines and empty slabs given back
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include "helpers.h"

/* ---- the shrinker ---- */

static atomic_t reclaim_calls;

static void count_reclaim(void *priv)
{
	atomic_inc(&reclaim_calls);
}

static void shrinker_and_drop_caches(struct kunit *test)
{
	struct bslab_cache *cache;
	struct bslab_stats st;
	struct file *f;
	unsigned int i, n;
	loff_t pos = 0;
	void **objs;

	tst_pin(test, 0);
	atomic_set(&reclaim_calls, 0);
	cache = bslab_cache_create("t_mag_shrink", 256, 0, NULL, NULL,
				   count_reclaim, NULL, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cache);
	n = 20 * tst_stat(cache, magazine_size);
	objs = tst_alloc_array(test, n, sizeof(void *));
	for (i = 0; i < n; i++)
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, objs[i]);
	KUNIT_ASSERT_GT(test, tst_stat(cache, full_magazines), 10);

	f = filp_open("/proc/sys/vm/drop_caches", O_WRONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_EXPECT_EQ(test, kernel_write(f, "2\n", 2, &pos), 2);
	filp_close(f, NULL);

	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.full_magazines, 0);
	KUNIT_EXPECT_EQ(test, st.empty_magazines, 0);
	KUNIT_EXPECT_EQ(test, st.slab_empty, 0);
	KUNIT_EXPECT_GT(test, st.shrink_objects, 0);
	KUNIT_EXPECT_GT(test, st.shrink_pages, 0);
	/* only the two loaded magazines' objects keep pages */
	KUNIT_EXPECT_LE(test, st.buf_total, st.buf_magazine + st.buf_per_slab *
			(st.slab_full + st.slab_partial));
	KUNIT_EXPECT_GE(test, atomic_read(&reclaim_calls), 1);
	bslab_cache_destroy(cache);
}

static struct kunit_case shrinker_cases[] = {
	KUNIT_CASE(shrinker_and_drop_caches),
	{}
};

static struct kunit_suite shrinker_suite = {
	.name = "bslab_shrinker",
	.test_cases = shrinker_cases,
};

kunit_test_suite(shrinker_suite);
