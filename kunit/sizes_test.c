// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_sizes: bslab_alloc()/bslab_free() for every size up to the largest
 * class and past it.
 */
#include <linux/mm.h>

#include "helpers.h"
#include "../mm/sizes.h"
#include "../mm/slab.h"

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

static struct kunit_case sizes_cases[] = {
	KUNIT_CASE(every_size),
	KUNIT_CASE(class_names),
	KUNIT_CASE(past_largest),
	{}
};

static struct kunit_suite sizes_suite = {
	.name = "bslab_sizes",
	.init = tst_init,
	.test_cases = sizes_cases,
};

kunit_test_suite(sizes_suite);
