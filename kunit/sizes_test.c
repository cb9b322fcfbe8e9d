// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_sizes: bslab_alloc()/bslab_free() for every size up to the largest
 * class and past it; bulk allocation and free.
 */
#include <linux/mm.h>

#include "helpers.h"

/* Every size from 1 to BSLAB_ALLOC_MAX: aligned, usable, from its class. */
static void every_size(struct kunit *test)
{
	struct bslab_obj_info info;
	struct bslab_cache *class;
	size_t size, align;
	void *obj;

	for (size = 1; size <= BSLAB_ALLOC_MAX; size++) {
		obj = bslab_alloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL_MSG(test, obj, "size %zu", size);
		align = is_power_of_2(size) ?
			clamp_t(size_t, size, BSLAB_MIN_ALIGN, PAGE_SIZE) :
			BSLAB_MIN_ALIGN;
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)obj, align),
				      "size %zu", size);
		class = bslab_size_class(size);
		KUNIT_ASSERT_NOT_NULL(test, class);
		KUNIT_EXPECT_GE(test, tst_stat(class, buf_size), size);
		KUNIT_EXPECT_EQ_MSG(test, 0, bslab_obj_info(class, obj, &info),
				    "size %zu not in %s", size,
				    bslab_cache_name(class));
		tst_fill(obj, size, size);
		KUNIT_EXPECT_TRUE(test, tst_check(obj, size, size));
		bslab_free(obj, size);
	}
}

static void class_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, bslab_cache_name(bslab_size_class(1)),
			   "bslab_alloc_8");
	KUNIT_EXPECT_STREQ(test, bslab_cache_name(bslab_size_class(100)),
			   "bslab_alloc_112");
	KUNIT_EXPECT_STREQ(test, bslab_cache_name(bslab_size_class(1025)),
			   "bslab_alloc_1280");
	KUNIT_EXPECT_STREQ(test, bslab_cache_name(bslab_size_class(8192)),
			   "bslab_alloc_8192");
	KUNIT_EXPECT_NULL(test, bslab_size_class(0));
	KUNIT_EXPECT_NULL(test, bslab_size_class(BSLAB_ALLOC_MAX + 1));
}

/* Past the largest class: whole compound pages, checked on free. */
static void past_largest(struct kunit *test)
{
	static const size_t sizes[] = {
		BSLAB_ALLOC_MAX + 1, 12288, 16384, 100000, 1 << 20,
	};
	struct page *page;
	unsigned int i;
	void *obj;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		obj = bslab_alloc(sizes[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj);
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(obj));
		page = virt_to_page(obj);
		KUNIT_EXPECT_EQ(test, compound_order(page),
				get_order(sizes[i]));
		tst_fill(obj, sizes[i], i);
		KUNIT_EXPECT_TRUE(test, tst_check(obj, sizes[i], i));
		/* a wrong size is refused, the memory kept */
		bslab_free(obj, sizes[i] * 4);
		KUNIT_EXPECT_TRUE(test, tst_check(obj, sizes[i], i));
		bslab_free(obj, sizes[i]);
	}
	KUNIT_EXPECT_NULL(test, bslab_alloc(0, GFP_KERNEL));
	bslab_free(NULL, 100);
}

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

static atomic_t bulk_ctor_calls;

static int bulk_ctor(void *obj, void *priv, gfp_t gfp)
{
	/* the second slab's objects cannot be constructed */
	if (atomic_inc_return(&bulk_ctor_calls) > *(unsigned int *)priv)
		return -ENOMEM;
	return 0;
}

/* All or nothing: a bulk allocation that cannot finish keeps nothing. */
static void bulk_failure(struct kunit *test)
{
	unsigned int *per_slab = kunit_kzalloc(test, sizeof(*per_slab),
					       GFP_KERNEL);
	struct bslab_cache *cache;
	struct bslab_stats st;
	void **objs;

	KUNIT_ASSERT_NOT_NULL(test, per_slab);
	*per_slab = UINT_MAX;
	atomic_set(&bulk_ctor_calls, 0);
	cache = tst_cache(test, "t_bulk_fail", 128, 0, bulk_ctor, NULL,
			  per_slab, 0);
	*per_slab = tst_stat(cache, buf_per_slab);
	objs = tst_alloc_array(test, 2 * *per_slab, sizeof(void *));

	KUNIT_EXPECT_EQ(test, 0, bslab_cache_alloc_bulk(cache, GFP_KERNEL,
							2 * *per_slab, objs));
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.alloc_fail, 1);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	KUNIT_EXPECT_EQ(test, st.slab_create, 1);
	/* what one slab can serve still works */
	KUNIT_EXPECT_EQ(test, *per_slab,
			bslab_cache_alloc_bulk(cache, GFP_KERNEL, *per_slab,
					       objs));
	bslab_cache_free_bulk(cache, *per_slab, objs);
}

static struct kunit_case sizes_cases[] = {
	KUNIT_CASE(every_size),
	KUNIT_CASE(class_names),
	KUNIT_CASE(past_largest),
	KUNIT_CASE(bulk),
	KUNIT_CASE(bulk_failure),
	{}
};

static struct kunit_suite sizes_suite = {
	.name = "bslab_sizes",
	.test_cases = sizes_cases,
};

kunit_test_suite(sizes_suite);
