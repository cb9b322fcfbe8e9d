// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_bulk: bslab_cache_alloc_bulk() and bslab_cache_free_bulk() on small
 * and large caches, and the all-or-nothing rule when a bulk allocation
 * cannot finish.
 */
#include "helpers.h"

/* Many objects in one call, distinct and usable; NULL entries skipped. */
static void bulk(struct kunit *test)
{
	static const size_t sizes[] = { 32, 256, 1500 };
	const size_t n = 300;
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int s, i, j;
	void **objs, *kept;

	objs = tst_alloc_array(test, n, sizeof(void *));
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		cache = tst_cache(test, s == 0 ? "t_bulk0" : s == 1 ?
				  "t_bulk1" : "t_bulk2", sizes[s], 0, NULL,
				  NULL, NULL, 0);
		KUNIT_ASSERT_EQ(test, n, bslab_cache_alloc_bulk(cache,
								GFP_KERNEL, n,
								objs));
		bslab_cache_stats(cache, &st);
		KUNIT_EXPECT_EQ(test, st.alloc, n);
		KUNIT_EXPECT_EQ(test, st.buf_inuse, n);
		for (i = 0; i < n; i++)
			tst_fill(objs[i], sizes[s], i);
		for (i = 0; i < n; i++) {
			KUNIT_EXPECT_TRUE(test, tst_check(objs[i], sizes[s], i));
			for (j = i + 1; j < n; j += 37)
				KUNIT_EXPECT_PTR_NE(test, objs[i], objs[j]);
		}
		kept = objs[7];
		objs[7] = NULL;		/* NULL entries are skipped */
		bslab_cache_free_bulk(cache, n, objs);
		bslab_cache_stats(cache, &st);
		KUNIT_EXPECT_EQ(test, st.free, n - 1);
		KUNIT_EXPECT_EQ(test, st.buf_inuse, 1);
		KUNIT_EXPECT_TRUE(test, tst_check(kept, sizes[s], 7));
		bslab_cache_free(cache, kept);
	}
}

/* All or nothing: a bulk allocation that cannot finish keeps nothing. */
static void bulk_failure(struct kunit *test)
{
	struct tst_calls *calls = tst_calls(test);
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int per_slab;
	void **objs;

	cache = tst_cache(test, "t_bulk_fail", 128, 0, tst_count_ctor, NULL,
			  calls, 0);
	per_slab = tst_stat(cache, buf_per_slab);
	/* the second slab's objects cannot be constructed */
	calls->ctor_limit = per_slab;
	objs = tst_alloc_array(test, 2 * per_slab, sizeof(void *));

	KUNIT_EXPECT_EQ(test, 0, bslab_cache_alloc_bulk(cache, GFP_KERNEL,
							2 * per_slab, objs));
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->ctor_failed), 1);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.alloc_fail, 1);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	KUNIT_EXPECT_EQ(test, st.slab_create, 1);
	/* what one slab can serve still works */
	KUNIT_EXPECT_EQ(test, per_slab,
			bslab_cache_alloc_bulk(cache, GFP_KERNEL, per_slab,
					       objs));
	bslab_cache_free_bulk(cache, per_slab, objs);
}

static struct kunit_case bulk_cases[] = {
	KUNIT_CASE(bulk),
	KUNIT_CASE(bulk_failure),
	{}
};

static struct kunit_suite bulk_suite = {
	.name = "bslab_bulk",
	.init = tst_init,
	.test_cases = bulk_cases,
};

kunit_test_suite(bulk_suite);
