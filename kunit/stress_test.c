// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_stress: a reproducible random walk of 120,000 operations over caches
 * of several kinds (small and large, with and without a constructor, one
 * with BSLAB_NOTOUCH), with single and bulk allocations and frees and
 * occasional reaps.  Every live object carries a pattern naming its cache,
 * slot and generation over all its bytes, checked before it is freed and at
 * the end: an overlap or a write by the allocator into a live object shows
 * up as a wrong pattern.  At the end every cache has no object in use and,
 * after reap, no page.
 */
#include "helpers.h"

#define STRESS_OPS	120000
#define STRESS_SLOTS	600

struct stress_cache {
	const char *name;
	size_t size;
	size_t align;
	bool ctor;
	unsigned int flags;
};

static const struct stress_cache stress_caches[] = {
	{ "t_st_16", 16, 0, false, 0 },
	{ "t_st_96", 96, 32, false, 0 },
	{ "t_st_256c", 256, 0, true, 0 },
	{ "t_st_300nt", 300, 0, false, BSLAB_NOTOUCH },
	{ "t_st_1000", 1000, 0, false, 0 },
	{ "t_st_3000c", 3000, 64, true, 0 },
	{ "t_st_9000", 9000, 0, false, 0 },
};

#define NCACHES ARRAY_SIZE(stress_caches)

static int stress_ctor(void *obj, void *priv, gfp_t gfp)
{
	*(u64 *)obj = 0;	/* generation 0: never used */
	return 0;
}

static void stress(struct kunit *test)
{
	struct bslab_cache *caches[NCACHES];
	u64 (*gen)[STRESS_SLOTS];
	void *(*live)[STRESS_SLOTS];
	void *batch[16];
	u64 rng = 0x5eed5eedULL, tag;
	unsigned int op, c, slot, i, n;
	struct bslab_stats st;
	size_t size;

	live = tst_alloc_array(test, NCACHES, sizeof(*live));
	gen = tst_alloc_array(test, NCACHES, sizeof(*gen));
	for (c = 0; c < NCACHES; c++)
		caches[c] = tst_cache(test, stress_caches[c].name,
				      stress_caches[c].size,
				      stress_caches[c].align,
				      stress_caches[c].ctor ? stress_ctor : NULL,
				      NULL, NULL, stress_caches[c].flags);

	for (op = 0; op < STRESS_OPS; op++) {
		c = tst_below(&rng, NCACHES);
		size = stress_caches[c].size;
		slot = tst_below(&rng, STRESS_SLOTS);

		if (tst_below(&rng, 64) == 0) {
			/* bulk: allocate into up to 16 empty slots at once */
			n = 0;
			for (i = 0; i < 16 && slot + i < STRESS_SLOTS; i++)
				if (!live[c][slot + i])
					n++;
			if (!n || bslab_cache_alloc_bulk(caches[c], GFP_KERNEL,
							 n, batch) != n)
				continue;
			for (i = 0; n; i++) {
				if (live[c][slot + i])
					continue;
				live[c][slot + i] = batch[--n];
				tag = ((u64)c << 56) | ((u64)(slot + i) << 32) |
				      ++gen[c][slot + i];
				tst_fill(live[c][slot + i], size, tag);
			}
			continue;
		}
		if (tst_below(&rng, 20000) == 0)
			bslab_cache_reap(caches[c]);

		tag = ((u64)c << 56) | ((u64)slot << 32) | gen[c][slot];
		if (live[c][slot]) {
			KUNIT_ASSERT_TRUE_MSG(test, tst_check(live[c][slot],
							      size, tag),
					      "%s slot %u corrupted at op %u",
					      stress_caches[c].name, slot, op);
			bslab_cache_free(caches[c], live[c][slot]);
			live[c][slot] = NULL;
		} else {
			live[c][slot] = bslab_cache_alloc(caches[c],
							  GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, live[c][slot]);
			tag = ((u64)c << 56) | ((u64)slot << 32) |
			      ++gen[c][slot];
			tst_fill(live[c][slot], size, tag);
		}
	}

	for (c = 0; c < NCACHES; c++) {
		size = stress_caches[c].size;
		for (slot = 0; slot < STRESS_SLOTS; slot++) {
			if (!live[c][slot])
				continue;
			tag = ((u64)c << 56) | ((u64)slot << 32) |
			      gen[c][slot];
			KUNIT_EXPECT_TRUE(test, tst_check(live[c][slot], size,
							  tag));
			bslab_cache_free(caches[c], live[c][slot]);
		}
		bslab_cache_stats(caches[c], &st);
		KUNIT_EXPECT_EQ_MSG(test, st.buf_inuse, 0, "%s",
				    stress_caches[c].name);
		KUNIT_EXPECT_EQ(test, st.alloc, st.free);
		KUNIT_EXPECT_EQ(test, st.free_invalid, 0);
		KUNIT_EXPECT_GT(test, st.buf_out_max, 100);
		bslab_cache_reap(caches[c]);
		bslab_cache_stats(caches[c], &st);
		KUNIT_EXPECT_EQ(test, st.mem_total, 0);
		KUNIT_EXPECT_EQ(test, st.slab_create, st.slab_destroy);
	}
}

static struct kunit_case stress_cases[] = {
	KUNIT_CASE_SLOW(stress),
	{}
};

static struct kunit_suite stress_suite = {
	.name = "bslab_stress",
	.init = tst_init,
	.test_cases = stress_cases,
};

kunit_test_suite(stress_suite);
