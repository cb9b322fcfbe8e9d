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

static void shrinker_and_drop_caches(struct kunit *test)
{
	struct tst_calls *calls = tst_calls(test);
	const struct bslab_cache_args args = {
		.reclaim = tst_count_reclaim, .priv = calls,
	};
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int i, n;
	void **objs;

	tst_pin(test, 0);
	tst_depot_unbounded(test);	/* the shrinker's part is the depot */
	cache = tst_cache_args(test, "t_mag_shrink", 256, &args, 0);
	n = 20 * tst_stat(cache, magazine_size);
	objs = tst_alloc_objs(test, cache, n);
	for (i = 0; i < n; i++)
		bslab_cache_free(cache, objs[i]);
	KUNIT_ASSERT_GT(test, tst_stat(cache, full_magazines), 10);

	tst_drop_caches(test);

	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.full_magazines, 0);
	KUNIT_EXPECT_EQ(test, st.empty_magazines, 0);
	KUNIT_EXPECT_EQ(test, st.slab_empty, 0);
	KUNIT_EXPECT_GT(test, st.shrink_objects, 0);
	KUNIT_EXPECT_GT(test, st.shrink_pages, 0);
	/* only the two loaded magazines' objects keep pages */
	KUNIT_EXPECT_LE(test, st.buf_total, st.buf_magazine + st.buf_per_slab *
			(st.slab_full + st.slab_partial));
	KUNIT_EXPECT_GE(test, atomic_read(&calls->reclaim), 1);
}

static struct kunit_case shrinker_cases[] = {
	KUNIT_CASE(shrinker_and_drop_caches),
	{}
};

static struct kunit_suite shrinker_suite = {
	.name = "bslab_shrinker",
	.init = tst_init,
	.test_cases = shrinker_cases,
};

kunit_test_suite(shrinker_suite);
