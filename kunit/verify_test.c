// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_verify: the verify files.  Clean caches of every kind say "ok";
 * each kind of damage, made by hand in a cache's structures and undone
 * afterwards, gives its line: a magazine round its slab has free, a depot
 * round that is not an object's start, an object on a free list twice, a
 * free object whose poison was written, a count that does not add up, and
 * KASAN's shadow saying the opposite of the slab layer.  And batches of
 * frees in runs of several slabs, double frees among them, leave every
 * slab where its count says.
 */
#include <linux/kmemleak.h>

#include "helpers.h"
#include "../mm/san.h"

static char *verify_text(struct kunit *test, const char *cache)
{
	char path[96];

	snprintf(path, sizeof(path), DEBUGFS "%s/verify", cache);
	return tst_read_file(test, path, NULL);
}

/* Does @text hold the line "cache <cache>: <what...>"? */
static __printf(3, 4) bool has_line(const char *text, const char *cache,
				    const char *fmt, ...)
{
	char want[192];
	va_list ap;
	int n;

	n = snprintf(want, sizeof(want), "cache %s: ", cache);
	va_start(ap, fmt);
	vsnprintf(want + n, sizeof(want) - n, fmt, ap);
	va_end(ap);
	return strstr(text, want);
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), k = strlen(end);

	return n >= k && !strcmp(s + n - k, end);
}

/* The slab descriptor and index of @obj, an object of @cache. */
static struct bslab_slab *slab_of(struct bslab_cache *cache, const void *obj,
				  u64 *idx)
{
	struct bslab_slab *sp = slab_page_slab(slab_page_of(cache, obj));

	*idx = slab_index(cache, sp, obj);
	return sp;
}

/* Caches of every kind, used on both CPUs: each says ok, and so does all. */
static void verify_clean(struct kunit *test)
{
	static const struct { const char *name; size_t size; unsigned int flags; }
	kinds[] = {
		{ "t_ver_small", 64, 0 },
		{ "t_ver_offslab", 128, 0 },	/* descriptor off-slab */
		{ "t_ver_large", 3000, 0 },
		{ "t_ver_nomag", 200, BSLAB_NOMAGAZINE },
		{ "t_ver_poison", 96, BSLAB_DEBUG_POISON | BSLAB_DEBUG_AUDIT },
	};
	void **objs = tst_alloc_array(test, 400, sizeof(void *));
	struct bslab_cache *cache;
	unsigned int k, cpu;
	char *text;

	tst_need_two_cpus(test);
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		cache = tst_cache(test, kinds[k].name, kinds[k].size, 0, NULL,
				  NULL, NULL, kinds[k].flags);
		for (cpu = 0; cpu < 2; cpu++) {
			tst_pin(test, cpu);
			tst_alloc_into(test, cache, objs, 400);
			bslab_cache_free_bulk(cache, 250, objs + 150);
			/* 150 stay in use */
		}
		KUNIT_EXPECT_STREQ(test, verify_text(test, kinds[k].name),
				   "ok\n");
	}
	text = tst_read_file(test, DEBUGFS "verify", NULL);
	KUNIT_EXPECT_TRUE(test, !strcmp(text, "ok\n") || ends_with(text, "\nok\n"));
	KUNIT_EXPECT_NULL(test, strstr(text, "cache t_ver_"));
}

/* A round in a CPU's magazine whose slab has it free. */
static void verify_round_free(struct kunit *test)
{
	bool found;
	struct bslab_cache *cache;
	struct bslab_slab *sp;
	unsigned long flags;
	void *x, *keep;
	char *text;
	u64 idx;

	tst_pin(test, 0);
	cache = tst_cache(test, "t_ver_round", 64, 0, NULL, NULL, NULL, 0);
	keep = bslab_cache_alloc(cache, GFP_KERNEL);
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keep);
	KUNIT_ASSERT_NOT_NULL(test, x);
	bslab_cache_free(cache, x);		/* into CPU 0's magazine */
	sp = slab_of(cache, x, &idx);

	raw_spin_lock_irqsave(&cache->lock, flags);
	__clear_bit(idx, sp->out);		/* the damage */
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	text = verify_text(test, "t_ver_round");
	found = has_line(text, "t_ver_round",
			 "a magazine of CPU 0 holds %p, which its slab has free", x);
	KUNIT_EXPECT_TRUE(test, found);
	KUNIT_EXPECT_TRUE(test, ends_with(text, " problems\n"));

	raw_spin_lock_irqsave(&cache->lock, flags);
	__set_bit(idx, sp->out);		/* undone */
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	KUNIT_EXPECT_STREQ(test, verify_text(test, "t_ver_round"), "ok\n");
	bslab_cache_free(cache, keep);
}

/* A depot round that points into the middle of an object. */
static void verify_depot_interior(struct kunit *test)
{
	bool found;
	void **objs = tst_alloc_array(test, 200, sizeof(void *));
	struct bslab_cache *cache;
	struct bslab_magazine *mag;
	unsigned long flags;
	void *was;

	tst_pin(test, 0);
	cache = tst_cache(test, "t_ver_depot", 64, 0, NULL, NULL, NULL, 0);
	tst_alloc_into(test, cache, objs, 200);
	bslab_cache_free_bulk(cache, 200, objs);
	KUNIT_ASSERT_GT(test, tst_stat(cache, full_magazines), 0);

	raw_spin_lock_irqsave(&cache->depot.lock, flags);
	mag = cache->node[bslab_cpu_home(0)].mag_full;
	if (!mag) {
		raw_spin_unlock_irqrestore(&cache->depot.lock, flags);
		KUNIT_FAIL(test, "no full magazine of node %d",
			   bslab_cpu_home(0));
		return;
	}
	was = mag->objs[0];
	mag->objs[0] = was + 8;			/* the damage */
	raw_spin_unlock_irqrestore(&cache->depot.lock, flags);
	found = has_line(verify_text(test, "t_ver_depot"), "t_ver_depot",
			 "a depot magazine holds %p, not the start of an object",
			 was + 8);
	KUNIT_EXPECT_TRUE(test, found);

	raw_spin_lock_irqsave(&cache->depot.lock, flags);
	mag->objs[0] = was;
	raw_spin_unlock_irqrestore(&cache->depot.lock, flags);
	KUNIT_EXPECT_STREQ(test, verify_text(test, "t_ver_depot"), "ok\n");
}

/* An object on its slab's free list twice: a loop. */
static void verify_freelist_twice(struct kunit *test)
{
	bool found;
	struct bslab_cache *cache;
	unsigned long flags;
	void *a, *b, *was;
	char *text;

	cache = tst_cache(test, "t_ver_list", 64, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	a = bslab_cache_alloc(cache, GFP_KERNEL);
	b = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	bslab_cache_free(cache, a);
	bslab_cache_free(cache, b);		/* the list: b, a */

	kasan_disable_current();		/* a is free */
	raw_spin_lock_irqsave(&cache->lock, flags);
	was = *(void **)(a + cache->link);
	*(void **)(a + cache->link) = b;	/* the damage: b, a, b, ... */
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	kasan_enable_current();
	text = verify_text(test, "t_ver_list");
	found = has_line(text, "t_ver_list",
			 "slab %p: object %p is on its free list twice",
			 slab_of(cache, b, &(u64){ 0 })->first, b);
	KUNIT_EXPECT_TRUE(test, found);

	kasan_disable_current();
	raw_spin_lock_irqsave(&cache->lock, flags);
	*(void **)(a + cache->link) = was;
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	kasan_enable_current();
	KUNIT_EXPECT_STREQ(test, verify_text(test, "t_ver_list"), "ok\n");
}

/*
 * A batch of frees that reaches the slab layer (a magazine's rounds) puts
 * a run of one slab's objects back and settles the slab once a run: runs
 * that alternate between three slabs, a NULL, long runs, and objects in
 * it twice (refused and reported, amid the batch and at its end) leave
 * each slab where its count says and the partial tree in order; in a
 * small cache and a large one.
 */
static void batch_runs(struct kunit *test, const char *name, size_t size)
{
	struct bslab_report_sink *sink;
	struct bslab_obj_info info;
	struct bslab_cache *cache;
	unsigned int per, n, i, s, k = 0, half;
	void **objs, **batch;
	u64 mark;

	cache = tst_cache(test, name, size, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	per = tst_stat(cache, buf_per_slab);
	half = per / 2;
	n = 3 * per;
	objs = tst_alloc_array(test, n, sizeof(void *));
	batch = tst_alloc_array(test, n + 3, sizeof(void *));
	for (i = 0; i < n; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	/* one slab after the other: objs[s * per ...] are slab s's */
	for (s = 0; s < 3; s++)
		KUNIT_ASSERT_PTR_EQ(test, slab_of(cache, objs[s * per], &(u64){ 0 }),
				    slab_of(cache, objs[s * per + per - 1], &(u64){ 0 }));
	KUNIT_ASSERT_EQ(test, tst_stat(cache, slab_full), 3);
	/* what a client's free does before the slab layer's (san.h) */
	for (i = 0; i < n; i++)
		kmemleak_free(objs[i]);

	for (i = 0; i < half; i++)		/* runs of one, alternating */
		for (s = 0; s < 3; s++)
			batch[k++] = objs[s * per + i];
	batch[k++] = objs[1];			/* twice, amid the batch */
	batch[k++] = NULL;
	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	KUNIT_EXPECT_EQ(test, 3 * half, bslab_slab_free_batch(cache, k, batch));
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, name, objs[1],
					    "the object is already free (double free)"));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_partial), 3);
	for (s = 0; s < 3; s++) {
		KUNIT_ASSERT_EQ(test, 0, bslab_obj_info(cache, objs[s * per + half],
							&info));
		KUNIT_EXPECT_EQ(test, info.inuse, per - half);
		KUNIT_EXPECT_EQ(test, info.state, BSLAB_SLAB_PARTIAL);
	}
	KUNIT_EXPECT_STREQ(test, verify_text(test, name), "ok\n");

	k = 0;
	for (s = 0; s < 3; s++)			/* long runs, to empty */
		for (i = half; i < per; i++)
			batch[k++] = objs[s * per + i];
	batch[k++] = objs[per];			/* twice, at the end */
	mark = tst_log_mark();
	KUNIT_EXPECT_EQ(test, 3 * (per - half),
			bslab_slab_free_batch(cache, k, batch));
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 2);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, name, objs[per],
					    "the object is already free (double free)"));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 2);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_free), n);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_full), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_partial), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_empty) +
			      tst_stat(cache, slab_destroy), 3);
	KUNIT_EXPECT_STREQ(test, verify_text(test, name), "ok\n");
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

static void verify_batch_runs(struct kunit *test)
{
	batch_runs(test, "t_ver_runs", 64);
	batch_runs(test, "t_ver_runs_l", 1024);	/* bufctls in the hash */
}

/*
 * The end of a batch test: @bad pointers refused and reported, @good
 * objects back in their slabs, verify clean, and nothing left after a reap.
 */
static void batch_test_done(struct kunit *test, struct bslab_cache *cache,
			    const char *name, struct bslab_report_sink *sink,
			    long bad, long good)
{
	KUNIT_EXPECT_EQ(test, tst_reports(sink), bad);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), bad);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_free), good);
	KUNIT_EXPECT_STREQ(test, verify_text(test, name), "ok\n");
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

/*
 * The batch loop looks a slab up only for an object that is not in the
 * slab of the object before it.  A bad pointer right after a good object
 * of the same slab is still refused for what it is: the same object again,
 * a pointer into the middle of one, an object the slab has not handed out
 * (a large slab's bufctls are all made at once: there, not in the hash,
 * it is a double free).  Each batch gives back its good object.
 */
static void batch_same_slab(struct kunit *test, const char *name, size_t size,
			    const char *never_out)
{
	struct bslab_report_sink *sink;
	struct bslab_cache *cache;
	void *objs[3], *batch[2];
	unsigned int i;
	long stride;
	u64 mark;

	cache = tst_cache(test, name, size, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	KUNIT_ASSERT_GE(test, tst_stat(cache, buf_per_slab), 4);
	for (i = 0; i < 3; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		kmemleak_free(objs[i]);	/* as in batch_runs() */
	}
	stride = objs[1] - objs[0];	/* handed out in address order */
	KUNIT_ASSERT_GT(test, stride, 8);
	KUNIT_ASSERT_EQ(test, objs[2] - objs[1], stride);
	KUNIT_ASSERT_EQ(test, tst_stat(cache, slab_create), 1);
	sink = tst_count_reports(test, false);

	mark = tst_log_mark();
	batch[0] = objs[0];
	batch[1] = objs[0];
	KUNIT_EXPECT_EQ(test, 1, bslab_slab_free_batch(cache, 2, batch));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, name, objs[0],
					    "the object is already free (double free)"));

	mark = tst_log_mark();
	batch[0] = objs[1];
	batch[1] = objs[1] + 8;
	KUNIT_EXPECT_EQ(test, 1, bslab_slab_free_batch(cache, 2, batch));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, name, objs[1] + 8,
					    "not the start of an object"));

	mark = tst_log_mark();
	batch[0] = objs[2];
	batch[1] = objs[2] + stride;
	KUNIT_EXPECT_EQ(test, 1, bslab_slab_free_batch(cache, 2, batch));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, name, objs[2] + stride,
					    never_out));

	batch_test_done(test, cache, name, sink, 3, 3);
}

static void verify_batch_same_slab(struct kunit *test)
{
	batch_same_slab(test, "t_ver_same", 64, "the object was never allocated");
	batch_same_slab(test, "t_ver_same_l", 1024,
			"the object is already free (double free)");
}

/*
 * A batch of one (a free the magazines did not take) has a loop-free copy
 * of the batch's plain loop.  Through it: a good free that leaves its slab
 * partial, one that empties it, then the same object again, a pointer into
 * one, and NULL; each bad pointer refused for what it is and counted once.
 */
static void batch_of_one(struct kunit *test, const char *name, size_t size)
{
	struct bslab_report_sink *sink;
	struct bslab_cache *cache;
	void *objs[2], *bad;
	unsigned int i;
	u64 mark;

	cache = tst_cache(test, name, size, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	for (i = 0; i < 2; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		kmemleak_free(objs[i]);	/* as in batch_runs() */
	}
	KUNIT_ASSERT_EQ(test, tst_stat(cache, slab_create), 1);
	sink = tst_count_reports(test, false);

	KUNIT_EXPECT_EQ(test, 1, bslab_slab_free_batch(cache, 1, &objs[0]));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_partial), 1);
	KUNIT_EXPECT_EQ(test, 1, bslab_slab_free_batch(cache, 1, &objs[1]));
	/* the cache's first empty slab: kept (BSLAB_EMPTY_RESERVE) */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_partial), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_empty), 1);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_free), 2);

	mark = tst_log_mark();
	KUNIT_EXPECT_EQ(test, 0, bslab_slab_free_batch(cache, 1, &objs[1]));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, name, objs[1],
					    "the object is already free (double free)"));
	mark = tst_log_mark();
	bad = objs[0] + 8;
	KUNIT_EXPECT_EQ(test, 0, bslab_slab_free_batch(cache, 1, &bad));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, name, bad,
					    "not the start of an object"));
	bad = NULL;
	KUNIT_EXPECT_EQ(test, 0, bslab_slab_free_batch(cache, 1, &bad));

	batch_test_done(test, cache, name, sink, 2, 2);
}

static void verify_batch_of_one(struct kunit *test)
{
	batch_of_one(test, "t_ver_one", 64);
	batch_of_one(test, "t_ver_one_l", 1024);	/* bufctls in the hash */
}

/*
 * A large slab's free list holding a bufctl of another slab's object: the
 * bufctl names no slab (its buffer's page does), so verify finds it by
 * the object's index in this slab.  And one holding another slab's
 * bufctls: they are not in this slab's array.
 */
static void verify_large_foreign(struct kunit *test)
{
	struct bslab_slab *spa, *spb;
	struct bslab_cache *cache;
	struct bslab_bufctl *bc;
	void *objs[8], *was;
	unsigned int per_slab;
	unsigned long flags;
	u64 idx;

	cache = tst_cache(test, "t_ver_lfree", 3000, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	per_slab = tst_stat(cache, buf_per_slab);
	KUNIT_ASSERT_LT(test, per_slab, ARRAY_SIZE(objs));
	tst_alloc_into(test, cache, objs, per_slab + 1);
	spa = slab_of(cache, objs[0], &idx);
	spb = slab_of(cache, objs[per_slab], &idx);
	KUNIT_ASSERT_PTR_NE(test, spa, spb);
	bslab_cache_free(cache, objs[0]);	/* its bufctl heads a's list */

	raw_spin_lock_irqsave(&cache->lock, flags);
	bc = spa->freelist;
	was = bc->buf;
	bc->buf = objs[per_slab];		/* the damage */
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	KUNIT_EXPECT_TRUE(test, has_line(verify_text(test, "t_ver_lfree"), "t_ver_lfree",
					 "slab %p: its free list holds a bufctl of %p, not of an object of it",
					 spa->first, objs[per_slab]));

	raw_spin_lock_irqsave(&cache->lock, flags);
	bc->buf = was;
	/* a's list now starts with b's bufctls: not from a's own array */
	spa->freelist = spb->freelist;
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	KUNIT_EXPECT_TRUE(test, has_line(verify_text(test, "t_ver_lfree"), "t_ver_lfree",
					 "slab %p: its free list holds a bufctl (%p) that is not one of its own",
					 spa->first, spb->freelist));

	raw_spin_lock_irqsave(&cache->lock, flags);
	spa->freelist = bc;
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	KUNIT_EXPECT_STREQ(test, verify_text(test, "t_ver_lfree"), "ok\n");
	bslab_cache_free_bulk(cache, per_slab, objs + 1);
}

/* A free object of a poisoned cache written after its free. */
static void verify_poison_damaged(struct kunit *test)
{
	bool found;
	struct bslab_cache *cache;
	u8 *x, was;

	cache = tst_cache(test, "t_ver_waf", 64, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_POISON);
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	bslab_cache_free(cache, x);
	kasan_disable_current();		/* x is free */
	was = x[30];
	x[30] = 0x41;				/* the damage */
	kasan_enable_current();
	found = has_line(verify_text(test, "t_ver_waf"), "t_ver_waf",
			 "free object %p: poison damaged at byte 30 of 64: 0x41, not %#04x",
			 x, was);
	KUNIT_EXPECT_TRUE(test, found);
	kasan_disable_current();
	x[30] = was;
	kasan_enable_current();
	KUNIT_EXPECT_STREQ(test, verify_text(test, "t_ver_waf"), "ok\n");
	/* verify reports in its file only, and counts nothing */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, write_after_free), 0);
}

/* Counts that do not add up: buf_out against the slabs. */
static void verify_counts(struct kunit *test)
{
	bool found;
	struct bslab_cache *cache;
	unsigned long flags;
	void *x;

	cache = tst_cache(test, "t_ver_count", 3000, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	raw_spin_lock_irqsave(&cache->lock, flags);
	cache->buf_out++;			/* the damage */
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	found = has_line(verify_text(test, "t_ver_count"), "t_ver_count",
			 "slabs have 1 objects out, buf_out is 2");
	KUNIT_EXPECT_TRUE(test, found);
	raw_spin_lock_irqsave(&cache->lock, flags);
	cache->buf_out--;
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	KUNIT_EXPECT_STREQ(test, verify_text(test, "t_ver_count"), "ok\n");
	bslab_cache_free(cache, x);
}

/*
 * KASAN's shadow against the slab layer (issue 19): an object in use that
 * the shadow calls freed, in a small and in a large cache, and a free
 * object, in a slab and in a magazine, that the shadow calls in use.
 */
static void verify_kasan_in_use_freed(struct kunit *test)
{
	static const size_t sizes[] = { 64, 3000 };
	char name[32];
	struct bslab_cache *cache;
	unsigned int k;
	void *x, *y;
	bool found;

	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "needs a generic-KASAN kernel (the debug kernel is one)");
	tst_pin(test, 0);
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		snprintf(name, sizeof(name), "t_ver_kasan%zu", sizes[k]);
		cache = tst_cache(test, name, sizes[k], 0, NULL, NULL, NULL, 0);
		x = bslab_cache_alloc(cache, GFP_KERNEL);
		y = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x);
		KUNIT_ASSERT_NOT_NULL(test, y);
		bslab_cache_free(cache, y);	/* a round: poisoned, rightly */

		kasan_obj_free(cache, x);	/* the damage: x is in use */
		found = has_line(verify_text(test, name), name,
				 "1 objects in use are poisoned as free in KASAN's shadow (a use of one is reported, its free refused)");
		KUNIT_EXPECT_TRUE_MSG(test, found, "%zu bytes", sizes[k]);
		kasan_obj_use(cache, x, cache->size);
		KUNIT_EXPECT_STREQ(test, verify_text(test, name), "ok\n");
		bslab_cache_free(cache, x);
		KUNIT_EXPECT_STREQ(test, verify_text(test, name), "ok\n");
	}
}

static void verify_kasan_free_in_use(struct kunit *test)
{
	struct bslab_cache *cache, *nomag;
	void *x, *keep;
	bool found;

	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "needs a generic-KASAN kernel (the debug kernel is one)");
	tst_pin(test, 0);
	nomag = tst_cache(test, "t_ver_kfree", 3000, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	x = bslab_cache_alloc(nomag, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	bslab_cache_free(nomag, x);		/* on its slab's free list */
	kasan_obj_use(nomag, x, nomag->size);	/* the damage */
	found = has_line(verify_text(test, "t_ver_kfree"), "t_ver_kfree",
			 "free object %p is not poisoned as free in KASAN's shadow (a use after free would go unreported)",
			 x);
	KUNIT_EXPECT_TRUE(test, found);
	kasan_obj_free(nomag, x);
	KUNIT_EXPECT_STREQ(test, verify_text(test, "t_ver_kfree"), "ok\n");

	cache = tst_cache(test, "t_ver_kround", 64, 0, NULL, NULL, NULL, 0);
	keep = bslab_cache_alloc(cache, GFP_KERNEL);
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keep);
	KUNIT_ASSERT_NOT_NULL(test, x);
	bslab_cache_free(cache, x);		/* into CPU 0's magazine */
	kasan_obj_use(cache, x, cache->size);	/* the damage */
	found = has_line(verify_text(test, "t_ver_kround"), "t_ver_kround",
			 "a magazine of CPU 0 holds %p, which is not poisoned as free in KASAN's shadow (a use after free would go unreported)",
			 x);
	KUNIT_EXPECT_TRUE(test, found);
	kasan_obj_free(cache, x);
	KUNIT_EXPECT_STREQ(test, verify_text(test, "t_ver_kround"), "ok\n");
	bslab_cache_free(cache, keep);
}

/*
 * A bulk allocation takes objects, then drops the cache's lock to make a
 * slab for the rest (its constructor runs meanwhile): the cache must be
 * consistent at that moment (issue 19: verify said "slabs have 45 objects
 * out, buf_out is 12" on a busy cache).  The constructor of the second
 * slab's first object holds the allocation there while verify reads.
 */
struct grow_pause {
	atomic_t calls;
	int at;
	struct completion reached, resume;
	unsigned int n;		/* objects the bulk allocation asks for */
	void *objs[64];
};

static int pause_ctor(void *obj, void *priv, gfp_t gfp)
{
	struct grow_pause *gp = priv;

	if (atomic_inc_return(&gp->calls) == gp->at) {
		complete(&gp->reached);
		wait_for_completion(&gp->resume);
	}
	return 0;
}

static int grow_job(struct tst_cpu_job *job)
{
	struct grow_pause *gp = job->shared;

	job->ops = bslab_cache_alloc_bulk(job->cache, GFP_KERNEL, gp->n,
					  gp->objs);
	return 0;
}

static void verify_while_growing(struct kunit *test)
{
	static const size_t sizes[] = { 200, 3000 };
	struct tst_cpu_job *job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	struct grow_pause *gp = kunit_kzalloc(test, sizeof(*gp), GFP_KERNEL);
	struct bslab_cache *cache;
	char name[32];
	unsigned int k;

	KUNIT_ASSERT_NOT_NULL(test, job);
	KUNIT_ASSERT_NOT_NULL(test, gp);
	tst_need_two_cpus(test);
	tst_pin(test, 0);
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		snprintf(name, sizeof(name), "t_ver_grow%zu", sizes[k]);
		atomic_set(&gp->calls, 0);
		init_completion(&gp->reached);
		init_completion(&gp->resume);
		cache = tst_cache(test, name, sizes[k], 0, pause_ctor, NULL,
				  gp, BSLAB_NOMAGAZINE);
		gp->n = cache->objs + 2;
		KUNIT_ASSERT_LE(test, gp->n, ARRAY_SIZE(gp->objs));
		gp->at = cache->objs + 1;	/* the second slab's first */
		*job = (struct tst_cpu_job){ .fn = grow_job, .cache = cache,
					     .cpu = 1, .shared = gp };
		tst_job_start(test, job);
		KUNIT_ASSERT_NE(test, 0, wait_for_completion_timeout(&gp->reached,
								     30 * HZ));
		/* the first slab's objects are taken; the lock is dropped */
		KUNIT_EXPECT_STREQ_MSG(test, verify_text(test, name), "ok\n",
				       "%zu bytes", sizes[k]);
		complete(&gp->resume);
		wait_for_completion(&job->done);
		KUNIT_ASSERT_EQ(test, job->ops, gp->n);
		KUNIT_EXPECT_STREQ(test, verify_text(test, name), "ok\n");
		bslab_cache_free_bulk(cache, gp->n, gp->objs);
		tst_cache_destroy(test, cache);
	}
}

static struct kunit_case verify_cases[] = {
	KUNIT_CASE(verify_clean),
	KUNIT_CASE(verify_round_free),
	KUNIT_CASE(verify_depot_interior),
	KUNIT_CASE(verify_freelist_twice),
	KUNIT_CASE(verify_batch_runs),
	KUNIT_CASE(verify_batch_same_slab),
	KUNIT_CASE(verify_batch_of_one),
	KUNIT_CASE(verify_large_foreign),
	KUNIT_CASE(verify_poison_damaged),
	KUNIT_CASE(verify_counts),
	KUNIT_CASE(verify_kasan_in_use_freed),
	KUNIT_CASE(verify_kasan_free_in_use),
	KUNIT_CASE(verify_while_growing),
	{}
};

static struct kunit_suite verify_suite = {
	.name = "bslab_verify",
	.init = tst_init,
	.test_cases = verify_cases,
};

kunit_test_suite(verify_suite);
