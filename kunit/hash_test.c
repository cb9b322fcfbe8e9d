// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_hash: large objects (512 B to 64 KiB) through the off-slab bufctl
 * hash: every object found on free, the table growing past its first size
 * as objects are allocated and shrinking back after they are freed, the
 * lookup counters.
 */
#include "helpers.h"
#include "../mm/slab.h"

static const size_t large_sizes[] = {
	512, 1024, 2048, 3000, 4096, 8192, 16384, 32768, 65536,
};

static void large_size_desc(const size_t *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes", *size);
}

KUNIT_ARRAY_PARAM(large_size, large_sizes, large_size_desc);

static void grow_and_shrink(struct kunit *test)
{
	const size_t size = *(const size_t *)test->param_value;
	const unsigned int count = 6 * BSLAB_HASH_MIN, keep = 8;
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int i;
	void **objs;

	/* the hash is the slab layer's: no magazines in front of it */
	cache = tst_cache(test, "t_hash", size, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.offslab, 1);
	KUNIT_EXPECT_EQ(test, st.hash_size, BSLAB_HASH_MIN);
	objs = tst_alloc_array(test, count, sizeof(void *));

	for (i = 0; i < count; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		tst_fill(objs[i], size, i);
	}
	/* the alloc path queued a rescale; let it run */
	flush_work(&cache->work);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_GT(test, st.hash_size, BSLAB_HASH_MIN);
	KUNIT_EXPECT_GE(test, st.hash_size * 2, count);
	KUNIT_EXPECT_GE(test, st.hash_rescale, 1);

	for (i = 0; i < count; i++) {
		struct bslab_obj_info info;

		KUNIT_ASSERT_EQ(test, 0, bslab_obj_info(cache, objs[i], &info));
		KUNIT_EXPECT_TRUE(test, objs[i] >= info.slab_base);
		KUNIT_EXPECT_TRUE(test, tst_check(objs[i], size, i));
	}

	bslab_cache_stats(cache, &st);
	for (i = keep; i < count; i++)
		bslab_cache_free(cache, objs[i]);
	/* every free was one lookup, each finding its bufctl */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, hash_lookup) - st.hash_lookup,
			count - keep);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 0);
	/* with one bucket per object the chains stay short */
	KUNIT_EXPECT_LE(test, tst_stat(cache, hash_lookup_depth) -
			st.hash_lookup_depth, 3 * (count - keep));
	for (i = 0; i < keep; i++)
		KUNIT_EXPECT_TRUE(test, tst_check(objs[i], size, i));

	flush_work(&cache->work);
	bslab_cache_reap(cache);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.hash_size, BSLAB_HASH_MIN);
	KUNIT_EXPECT_GE(test, st.hash_rescale, 2);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, keep);

	for (i = 0; i < keep; i++)
		bslab_cache_free(cache, objs[i]);
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

/* Rescaling while objects come and go loses no entry. */
static void rescale_keeps_entries(struct kunit *test)
{
	const unsigned int count = 1000;
	struct bslab_cache *cache;
	unsigned int i, round;
	void **objs;

	cache = tst_cache(test, "t_hash_keep", 700, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	objs = tst_alloc_array(test, count, sizeof(void *));
	for (round = 0; round < 4; round++) {
		for (i = 0; i < count; i++) {
			objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, objs[i]);
			if (i % 97 == 0)
				bslab_cache_reap(cache);  /* rescale mid-way */
		}
		for (i = 0; i < count; i++) {
			struct bslab_obj_info info;

			KUNIT_ASSERT_EQ(test, 0, bslab_obj_info(cache, objs[i],
								&info));
			bslab_cache_free(cache, objs[i]);
			if (i % 101 == 0)
				bslab_cache_reap(cache);
		}
	}
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
	KUNIT_EXPECT_GE(test, tst_stat(cache, hash_rescale), 8);
}

static struct kunit_case hash_cases[] = {
	KUNIT_CASE_PARAM(grow_and_shrink, large_size_gen_params),
	KUNIT_CASE(rescale_keeps_entries),
	{}
};

static struct kunit_suite hash_suite = {
	.name = "bslab_hash",
	.init = tst_init,
	.test_cases = hash_cases,
};

kunit_test_suite(hash_suite);
