// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_debug: the debug modes and how they are switched: poison catches a
 * write after free (one report, the right offset and byte) on small and
 * large caches; audit and poison switched on and off a cache in use on
 * two CPUs a thousand times give no false report, lose nothing and leave
 * a cache verify finds sound; the <cache>/debug file and the
 * debug= parameter, bad input included.
 */
#include <linux/delay.h>

#include "helpers.h"
#include "../mm/debug.h"

static int debug_write(const char *cache, const char *val)
{
	char path[96];

	snprintf(path, sizeof(path), DEBUGFS "%s/debug", cache);
	return tst_write_file(path, val);
}

static void expect_debug(struct kunit *test, const char *cache,
			 const char *want)
{
	char path[96];

	snprintf(path, sizeof(path), DEBUGFS "%s/debug", cache);
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, path, NULL), want);
}

/* Does every byte of @obj (but the free-list word) hold @pattern? */
static bool holds(const u8 *obj, size_t size, u32 pattern, size_t skip)
{
	size_t i;

	for (i = skip; i < size; i++)
		if (obj[i] != (u8)(pattern >> (8 * (i & 3))))
			return false;
	return true;
}

/* Write after free of @size-byte objects, at @at: found by the next alloc. */
static void write_after_free_one(struct kunit *test, const char *name,
				 size_t size, size_t at)
{
	struct bslab_cache *cache;
	static const char *const what =
		"BUG %s: write after free: object %p, byte %zu of %zu is 0x41";
	struct bslab_report_sink *sink;
	u8 *x, *again;
	u64 mark;

	cache = tst_cache(test, name, size, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_POISON);
	expect_debug(test, name, "poison\n");
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	/* a new object holds 0xbaddcafe until its user writes it */
	KUNIT_EXPECT_TRUE(test, holds(x, size, 0xbaddcafe, 0));
	memset(x, 0x11, size);
	bslab_cache_free(cache, x);
	/* the test's own reads and writes of free memory are not KASAN's */
	kasan_disable_current();
	/* freed: 0xdeadbeef, but for a small cache's free-list word */
	KUNIT_EXPECT_TRUE(test, holds(x, size, 0xdeadbeef, size < 512 ? 8 : 0));

	x[at] = 0x41;				/* the bug */
	kasan_enable_current();
	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	again = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, again, x);	/* the slab hands x out again */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, write_after_free), 1);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, what, name, x, at, size), 1);
	KUNIT_EXPECT_TRUE(test, holds(again, size, 0xbaddcafe, 0));
	bslab_cache_free(cache, again);
	/* a clean alloc after a clean free is not reported */
	again = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, write_after_free), 1);
	bslab_cache_free(cache, again);
}

static void poison_write_after_free(struct kunit *test)
{
	write_after_free_one(test, "t_dbg_poison", 64, 20);
	BUILD_BUG_ON(BSLAB_LARGE_MIN > 2000);
	write_after_free_one(test, "t_dbg_poison_big", 2000, 1500);
}

/*
 * Audit and poison switched on and off a thousand times, in every order,
 * while two CPUs allocate and free: no false report, nothing lost, and
 * verify finds the cache sound; the audit records are gone at the end.
 */
static void live_switch(struct kunit *test)
{
	struct tst_cpu_job *jobs = kunit_kzalloc(test, 2 * sizeof(*jobs),
					     GFP_KERNEL);
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, jobs);
	tst_need_two_cpus(test);
	static const char *const steps[] = {
		"+audit", "+poison", "-audit", "-poison", "+poison", "+audit",
		"-poison", "-audit",
	};

	cache = tst_cache(test, "t_dbg_live", 128, 0, NULL, NULL, NULL, 0);
	for (i = 0; i < 2; i++) {
		jobs[i] = (struct tst_cpu_job){ .fn = tst_churn,
			.cache = cache, .cpu = i };
		tst_job_start(test, &jobs[i]);
	}
	for (i = 0; i < 1000; i++) {
		KUNIT_EXPECT_EQ(test, 0, debug_write("t_dbg_live",
						     steps[i % ARRAY_SIZE(steps)]));
		usleep_range(200, 400);
	}
	for (i = 0; i < 2; i++)
		WRITE_ONCE(jobs[i].stop, true);
	for (i = 0; i < 2; i++)
		wait_for_completion(&jobs[i].done);

	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, jobs[0].bad + jobs[1].bad, 0);
	KUNIT_EXPECT_GT(test, jobs[0].ops + jobs[1].ops, 0);
	KUNIT_EXPECT_EQ(test, st.write_after_free, 0);
	KUNIT_EXPECT_EQ(test, st.alloc, jobs[0].ops + jobs[1].ops);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.slab_alloc - st.slab_free, st.buf_magazine);
	expect_debug(test, "t_dbg_live", "none\n");
	KUNIT_EXPECT_NULL(test, READ_ONCE(cache->audit));
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, DEBUGFS "t_dbg_live/verify",
					       NULL), "ok\n");
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

static int keep_ctor(void *obj, void *priv, gfp_t gfp)
{
	return 0;
}

static void keep_dtor(void *obj, void *priv)
{
}

/* A constructor that leaves a mark in every byte, and counts its calls. */
static int mark_ctor(void *obj, void *priv, gfp_t gfp)
{
	memset(obj, 0x5c, 48);
	return tst_count_ctor(obj, priv, gfp);
}

/*
 * Poison on a cache with a constructor (chosen at create): a free object
 * holds the pattern, and each object is constructed again as it is handed
 * out, so a client still gets only constructed objects; a write after free
 * is still found.  Refused with a destructor, and on a live cache.
 */
static void poison_constructed(struct kunit *test)
{
	struct tst_calls *calls = tst_calls(test);
	static const char *const what =
		"BUG %s: write after free: object %p, byte %zu of %zu is 0x41";
	static const char *const at_create =
		"poison on a cache with a constructor is chosen at create";
	struct bslab_report_sink *sink;
	struct bslab_cache *cache;
	unsigned int before;
	u8 *x, *again;
	u64 mark;

	cache = tst_cache(test, "t_dbg_pc", 48, 0, mark_ctor, NULL, calls,
			  BSLAB_DEBUG_POISON);
	expect_debug(test, "t_dbg_pc", "poison\n");
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	before = atomic_read(&calls->ctor);
	KUNIT_EXPECT_TRUE(test, holds(x, 48, 0x5c5c5c5c, 0));	/* constructed */
	memset(x, 0x11, 48);
	bslab_cache_free(cache, x);
	kasan_disable_current();		/* reading, then writing, free x */
	KUNIT_EXPECT_TRUE(test, holds(x, 48, 0xdeadbeef, 0));
	kasan_enable_current();
	again = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, again, x);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls->ctor), before + 1);
	KUNIT_EXPECT_TRUE(test, holds(again, 48, 0x5c5c5c5c, 0));
	bslab_cache_free(cache, again);

	kasan_disable_current();
	x[7] = 0x41;				/* the bug */
	kasan_enable_current();
	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	again = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, what, "t_dbg_pc", x, (size_t)7,
					    (size_t)48), 1);
	KUNIT_EXPECT_TRUE(test, holds(again, 48, 0x5c5c5c5c, 0));
	bslab_cache_free(cache, again);

	mark = tst_log_mark();
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_pc", "-poison"), -EINVAL);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache %s: %s", "t_dbg_pc", at_create));
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_pc", "none"), 0);
	expect_debug(test, "t_dbg_pc", "poison\n");
	tst_expect_create(test, bslab_cache_create("t_dbg_pdtor", 64, 0,
						   keep_ctor, keep_dtor, NULL,
						   NULL, BSLAB_DEBUG_POISON),
			  -EINVAL, "BSLAB_DEBUG_POISON with a destructor");
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache %s: %s", "t_dbg_pdtor",
					   "poison would destroy the state its destructor"));
}

/* <cache>/debug: what it shows, what it takes, what it refuses. */
static void debug_file(struct kunit *test)
{
	u64 mark;

	tst_cache(test, "t_dbg_file", 64, 0, NULL, NULL, NULL, 0);
	tst_cache(test, "t_dbg_ctor", 64, 0, keep_ctor, NULL, NULL, 0);
	expect_debug(test, "t_dbg_file", "none\n");
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_file", "+poison failslab"), 0);
	expect_debug(test, "t_dbg_file", "failslab poison\n");
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_file", "-failslab\n"), 0);
	expect_debug(test, "t_dbg_file", "poison\n");
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_file", "audit"), 0);
	expect_debug(test, "t_dbg_file", "poison audit\n");
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_file", "none"), 0);
	expect_debug(test, "t_dbg_file", "none\n");

	mark = tst_log_mark();
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_file", "+bogus"), -EINVAL);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache t_dbg_file: debug: no mode \"bogus\""));
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_ctor", "+poison"), -EINVAL);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache %s: %s", "t_dbg_ctor",
					   "poison on a cache with a constructor"));
	expect_debug(test, "t_dbg_ctor", "none\n");
	tst_expect_create(test, bslab_cache_create("t_dbg_ctor2", 64, 0,
						   NULL, NULL, NULL, NULL,
						   BSLAB_DEBUG_POISON | BSLAB_NOTOUCH),
			  -EINVAL, "BSLAB_DEBUG_POISON with BSLAB_NOTOUCH");
}

/*
 * A write past the end of an object of a redzone cache: reported when the
 * object is freed (offset and byte), counted, the guard written again;
 * verify sees a damaged guard of an object in use, and says ok after.
 */
static void redzone_one(struct kunit *test, const char *name, size_t size)
{
	static const char *const what =
		"BUG %s: redzone overwritten: object %p, byte %zu (0 past its end) is 0x41";
	struct bslab_report_sink *sink;
	struct bslab_cache *cache;
	char path[96], want[128];
	u8 *x, *y, was;
	u64 mark;

	cache = tst_cache(test, name, size, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_REDZONE);
	expect_debug(test, name, "redzone\n");
	KUNIT_EXPECT_GE(test, tst_stat(cache, chunk_size),
			size + BSLAB_REDZONE_MIN);
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	y = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, y);
	memset(x, 0x11, size);			/* every byte of it: fine */

	kasan_disable_current();		/* the bug, which KASAN would see */
	x[size] = 0x41;
	kasan_enable_current();
	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	bslab_cache_free(cache, x);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, redzone_damaged), 1);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, what, name, x, size), 1);

	/* verify: the guard of an object in use */
	snprintf(path, sizeof(path), DEBUGFS "%s/verify", name);
	kasan_disable_current();
	was = y[size + 3];
	y[size + 3] = 0x42;
	kasan_enable_current();
	snprintf(want, sizeof(want), "cache %s: object %p: redzone damaged at byte %zu: 0x42",
		 name, y, size + 3);
	KUNIT_EXPECT_NOT_NULL(test, strstr(tst_read_file(test, path, NULL), want));
	kasan_disable_current();
	y[size + 3] = was;
	kasan_enable_current();
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, path, NULL), "ok\n");
	bslab_cache_free(cache, y);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, redzone_damaged), 1);
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, path, NULL), "ok\n");
}

static void redzone_overwrite(struct kunit *test)
{
	u64 mark = tst_log_mark();
	struct bslab_cache *cache;
	void *z;

	redzone_one(test, "t_dbg_rz", 60);
	redzone_one(test, "t_dbg_rz_big", 2000);
	/* and with a free-list word after the guard (a constructor) */
	cache = tst_cache(test, "t_dbg_rz_ctor", 60, 0, keep_ctor, NULL, NULL,
			  BSLAB_DEBUG_REDZONE);
	z = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	memset(z, 0x22, 60);
	bslab_cache_free(cache, z);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, redzone_damaged), 0);
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, DEBUGFS "t_dbg_rz_ctor/verify",
					       NULL), "ok\n");
	/* not on a live cache: it moves the objects */
	tst_cache(test, "t_dbg_rz_live", 64, 0, NULL, NULL, NULL, 0);
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_rz_live", "+redzone"), -EINVAL);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache t_dbg_rz_live: redzone changes"));
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_rz", "-redzone"), -EINVAL);
	/* "none" leaves it */
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_rz", "+audit"), 0);
	KUNIT_EXPECT_EQ(test, debug_write("t_dbg_rz", "none"), 0);
	expect_debug(test, "t_dbg_rz", "redzone\n");
}

static void param_restore(void *unused)
{
	tst_write_param("debug", "");
}

/* debug=: modes for caches created afterwards, by name pattern. */
static void debug_param(struct kunit *test)
{
	static const char *const modes =
		"P,t_dbg_p*;A,t_dbg_pa,t_dbg_a;U,t_dbg_u;Z,t_dbg_z";
	u64 mark = tst_log_mark();

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, param_restore,
							   NULL));
	KUNIT_EXPECT_EQ(test, tst_write_param("debug", "Q,t_dbg_x"), -EINVAL);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab: debug=Q,t_dbg_x: want"));
	KUNIT_ASSERT_EQ(test, 0, tst_write_param("debug", modes));
	tst_cache(test, "t_dbg_p1", 64, 0, NULL, NULL, NULL, 0);
	tst_cache(test, "t_dbg_pa", 64, 0, NULL, NULL, NULL, 0);
	tst_cache(test, "t_dbg_a", 64, 0, NULL, NULL, NULL, 0);
	tst_cache(test, "t_dbg_none", 64, 0, NULL, NULL, NULL, 0);
	tst_cache(test, "t_dbg_u", 64, 0, NULL, NULL, NULL, 0);
	tst_cache(test, "t_dbg_z", 64, 0, NULL, NULL, NULL, 0);
	/* a constructed cache gets it; one with a destructor is made without */
	tst_cache(test, "t_dbg_pctor", 64, 0, keep_ctor, NULL, NULL, 0);
	tst_cache(test, "t_dbg_pdtor", 64, 0, keep_ctor, keep_dtor, NULL, 0);
	expect_debug(test, "t_dbg_p1", "poison\n");
	expect_debug(test, "t_dbg_pa", "failslab poison\n");
	expect_debug(test, "t_dbg_a", "failslab\n");
	expect_debug(test, "t_dbg_none", "none\n");
	expect_debug(test, "t_dbg_u", "audit\n");
	expect_debug(test, "t_dbg_z", "redzone\n");
	expect_debug(test, "t_dbg_pctor", "poison\n");
	expect_debug(test, "t_dbg_pdtor", "none\n");
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache t_dbg_pdtor: poison would destroy"));
}

static struct kunit_case debug_cases[] = {
	KUNIT_CASE(poison_write_after_free),
	KUNIT_CASE_SLOW(live_switch),
	KUNIT_CASE(poison_constructed),
	KUNIT_CASE(redzone_overwrite),
	KUNIT_CASE(debug_file),
	KUNIT_CASE(debug_param),
	{}
};

static struct kunit_suite debug_suite = {
	.name = "bslab_debug",
	.init = tst_init,
	.test_cases = debug_cases,
};

kunit_test_suite(debug_suite);
