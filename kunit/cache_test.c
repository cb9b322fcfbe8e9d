// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_cache: creating and destroying caches, every bad argument, destroy
 * with objects still allocated, bad frees, __GFP_ZERO and the kernel's
 * init_on_alloc and init_on_free.
 */
#include <linux/err.h>

#include "helpers.h"

static void create_alloc_destroy(struct kunit *test)
{
	struct bslab_cache *cache;
	struct bslab_stats st;
	void *obj;

	cache = tst_cache_adopt(test, bslab_cache_create("t_basic", 100, 0, NULL,
							 NULL, NULL, NULL, 0));
	KUNIT_EXPECT_STREQ(test, bslab_cache_name(cache), "t_basic");
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.buf_size, 100);
	KUNIT_EXPECT_EQ(test, st.align, BSLAB_MIN_ALIGN);
	/* on a KASAN kernel a granule of redzone follows (slab.c) */
	KUNIT_EXPECT_EQ(test, st.chunk_size,
			IS_ENABLED(CONFIG_KASAN_GENERIC) ? 112 : 104);
	/*
	 * 39 chunks of 104 bytes fill a page but for 40 bytes, too few for
	 * the descriptor, so it goes off-slab; 36 of 112 leave it room.
	 */
	KUNIT_EXPECT_EQ(test, st.offslab, !IS_ENABLED(CONFIG_KASAN_GENERIC));
	KUNIT_EXPECT_EQ(test, st.buf_per_slab,
			IS_ENABLED(CONFIG_KASAN_GENERIC) ? 36 : 39);
	KUNIT_EXPECT_EQ(test, st.buf_total, 0);

	obj = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	memset(obj, 0x5a, 100);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 1);
	KUNIT_EXPECT_EQ(test, st.slab_create, 1);
	bslab_cache_free(cache, obj);
	bslab_cache_free(cache, NULL);	/* allowed, does nothing */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free), 1);
	tst_cache_destroy(test, cache);
	bslab_cache_destroy(NULL);

	/* The name is free again. */
	tst_cache(test, "t_basic", 100, 0, NULL, NULL, NULL, 0);
}

struct bad_create {
	const char *desc;
	const char *name;
	size_t size;
	size_t align;
	unsigned int flags;
	int err;
};

static const struct bad_create bad_creates[] = {
	{ "size 0", "t_bad", 0, 0, 0, -EINVAL },
	{ "size too large", "t_bad", BSLAB_MAX_SIZE + 1, 0, 0, -EINVAL },
	{ "huge size", "t_bad", SIZE_MAX, 0, 0, -EINVAL },
	{ "align 3", "t_bad", 64, 3, 0, -EINVAL },
	{ "align 24", "t_bad", 64, 24, 0, -EINVAL },
	{ "align above a page", "t_bad", 64, PAGE_SIZE * 2, 0, -EINVAL },
	{ "unknown flag", "t_bad", 64, 0, 0x80000000u, -EINVAL },
	{ "NULL name", NULL, 64, 0, 0, -EINVAL },
	{ "empty name", "", 64, 0, 0, -EINVAL },
	{ "name too long", "t_0123456789abcdef0123456789abcd", 64, 0, 0,
	  -EINVAL },
	{ "name with '/'", "t/bad", 64, 0, 0, -EINVAL },
	{ "name with space", "t bad", 64, 0, 0, -EINVAL },
	{ "name with newline", "t_bad\n", 64, 0, 0, -EINVAL },
	/* rounded up by its alignment, exactly fills the largest slab: fine */
	{ "fills the largest slab", "t_bad", BSLAB_MAX_SIZE - 8, PAGE_SIZE, 0,
	  0 },
};

static void bad_arguments(struct kunit *test)
{
	const struct bad_create *b;
	struct bslab_cache *cache;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_creates); i++) {
		b = &bad_creates[i];
		cache = bslab_cache_create(b->name, b->size, b->align, NULL,
					   NULL, NULL, NULL, b->flags);
		tst_expect_create(test, cache, b->err, b->desc);
	}
	/* None of the failures left a cache behind: the name is free. */
	cache = tst_cache(test, "t_bad", 64, 0, NULL, NULL, NULL, 0);
	tst_cache_destroy(test, cache);

	/* A name of exactly BSLAB_NAME_MAX characters is fine. */
	tst_cache(test, "t_0123456789abcdef0123456789abc", 64, 0, NULL, NULL,
		  NULL, 0);
}

static void duplicate_name(struct kunit *test)
{
	struct bslab_cache *a, *b;
	void *obj;

	a = tst_cache(test, "t_dup", 64, 0, NULL, NULL, NULL, 0);
	b = bslab_cache_create("t_dup", 128, 0, NULL, NULL, NULL, NULL, 0);
	tst_expect_create(test, b, -EEXIST, "a second t_dup");
	/* The first cache is untouched. */
	obj = bslab_cache_alloc(a, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, obj);
	bslab_cache_free(a, obj);
	KUNIT_EXPECT_EQ(test, tst_stat(a, buf_size), 64);
}

/*
 * Destroying a cache with objects allocated keeps those objects' pages: the
 * objects stay readable and writable (KASAN would report a freed page), may
 * still be freed, and the name can be used again at once.  The cache is
 * freed with its last object.
 */
static void destroy_with_live_objects(struct kunit *test)
{
	struct bslab_cache *cache, *again;
	void *objs[3];
	int i;

	cache = tst_cache(test, "t_live", 200, 0, NULL, NULL, NULL, 0);
	tst_alloc_into(test, cache, objs, ARRAY_SIZE(objs));
	for (i = 0; i < 3; i++)
		tst_fill(objs[i], 200, i);
	bslab_cache_free(cache, objs[2]);
	tst_cache_destroy(test, cache);

	KUNIT_EXPECT_TRUE(test, cache->dead);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 2);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_partial), 1);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_TRUE(test, tst_check(objs[i], 200, i));
		tst_fill(objs[i], 200, i + 10);
	}
	again = tst_cache(test, "t_live", 200, 0, NULL, NULL, NULL, 0);
	KUNIT_EXPECT_PTR_NE(test, again, cache);

	bslab_cache_free(cache, objs[0]);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 1);
	/* the last free hands the dead cache to its work, which frees it */
	bslab_cache_free(cache, objs[1]);
	KUNIT_EXPECT_TRUE(test, tst_dead_released(cache));
}

static void bad_frees(struct kunit *test)
{
	struct bslab_cache *a, *b, *big;
	struct bslab_report_sink *sink;
	void *x, *y, *z;
	struct bslab_stats *sa, *sb, *sbig;	/* off the stack: KASAN's frames */
	u64 mark;

	sa = kunit_kzalloc(test, 3 * sizeof(*sa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	sb = sa + 1;
	sbig = sa + 2;

	/* the slab layer checks frees; magazines take them unchecked */
	a = tst_cache(test, "t_free_a", 64, 0, NULL, NULL, NULL,
		      BSLAB_NOMAGAZINE);
	b = tst_cache(test, "t_free_b", 64, 0, NULL, NULL, NULL,
		      BSLAB_NOMAGAZINE);
	big = tst_cache(test, "t_free_big", 1024, 0, NULL, NULL, NULL,
			BSLAB_NOMAGAZINE);
	x = bslab_cache_alloc(a, GFP_KERNEL);
	y = bslab_cache_alloc(a, GFP_KERNEL);
	z = bslab_cache_alloc(big, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, y);
	KUNIT_ASSERT_NOT_NULL(test, z);

	sink = tst_count_reports(test, false);
	mark = tst_log_mark();
	bslab_cache_free(b, x);			/* wrong cache */
	bslab_cache_free(a, x + 1);		/* inside an object */
	bslab_cache_free(a, z);			/* another cache's large object */
	bslab_cache_free(big, z + 64);		/* not an object start */
	bslab_cache_stats(a, sa);
	bslab_cache_stats(b, sb);
	bslab_cache_stats(big, sbig);
	KUNIT_EXPECT_EQ(test, sa->free_invalid, 2);
	KUNIT_EXPECT_EQ(test, sb->free_invalid, 1);
	KUNIT_EXPECT_EQ(test, sbig->free_invalid, 1);
	KUNIT_EXPECT_EQ(test, sa->buf_inuse + sbig->buf_inuse, 3);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 4);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_free_b", x,
					    "it belongs to cache t_free_a"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_free_a", x + 1,
					    "not the start"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_free_a", z,
					    "it belongs to cache t_free_big"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_free_big", z + 64,
					    "not the start"));

	/* Double frees that can be seen cheaply: emptied slab, large object. */
	mark = tst_log_mark();
	bslab_cache_free(a, x);
	bslab_cache_free(a, y);
	bslab_cache_free(a, y);
	bslab_cache_free(big, z);
	bslab_cache_free(big, z);
	bslab_cache_stats(a, sa);
	bslab_cache_stats(big, sbig);
	KUNIT_EXPECT_EQ(test, sa->free_invalid, 3);
	KUNIT_EXPECT_EQ(test, sbig->free_invalid, 2);
	KUNIT_EXPECT_EQ(test, sa->buf_inuse + sbig->buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, sa->free, 2);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 6);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_free_a", y,
					    "the object is already free"));
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_free_big", z,
					    "the object is already free"));
}

static int zero_ctor(void *obj, void *priv, gfp_t gfp)
{
	*(u32 *)obj = 0xc0ffee;
	return 0;
}

static void gfp_zero(struct kunit *test)
{
	struct bslab_cache *plain, *ctored;
	u8 *obj, *was;
	int i;

	/* the object just freed comes back zeroed */
	plain = tst_cache(test, "t_zero", 300, 0, NULL, NULL, NULL, 0);
	was = bslab_cache_alloc(plain, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, was);
	memset(was, 0xff, 300);
	bslab_cache_free(plain, was);
	obj = bslab_cache_alloc(plain, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_PTR_EQ(test, obj, was);	/* the last freed is first out */
	for (i = 0; i < 300; i++)
		KUNIT_ASSERT_EQ(test, obj[i], 0);
	bslab_cache_free(plain, obj);

	/* Zeroing would wipe constructed state: refused. */
	ctored = tst_cache(test, "t_zero_ctor", 64, 0, zero_ctor, NULL, NULL,
			   0);
	KUNIT_EXPECT_NULL(test, bslab_cache_alloc(ctored,
						  GFP_KERNEL | __GFP_ZERO));
	KUNIT_EXPECT_EQ(test, tst_stat(ctored, buf_inuse), 0);
}

/* Are bytes [@from, @to) of @p, maybe a free object, all @v? */
static bool bytes_are(const void *p, size_t from, size_t to, u8 v)
{
	const u8 *b = p;
	bool same = true;
	size_t i;

	kasan_disable_current();
	for (i = from; i < to; i++)
		same &= READ_ONCE(b[i]) == v;
	kasan_enable_current();
	return same;
}

/*
 * One object of @cp through a free and the allocation that hands it back:
 * zeroed on the way out with init_on_alloc, on the way in with init_on_free,
 * else as the client left it.  The first word of an object freed into the
 * slab layer (no magazines) is its free-list word meanwhile.
 */
static void init_cycle(struct kunit *test, struct bslab_cache *cp,
		       size_t size)
{
	bool on_alloc = want_init_on_alloc(GFP_KERNEL);
	bool on_free = want_init_on_free();
	size_t word = cp->flags & BSLAB_NOMAGAZINE ? sizeof(void *) : 0;
	u8 *obj, *again, *spare;

	/*
	 * The spare's free gives this CPU a magazine (if the cache has any);
	 * without, it is on the slab's free list, so that the free-list word
	 * later written into @obj is not NULL.
	 */
	spare = bslab_cache_alloc(cp, GFP_KERNEL);
	obj = bslab_cache_alloc(cp, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spare);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	bslab_cache_free(cp, spare);
	if (on_alloc)
		KUNIT_EXPECT_TRUE(test, bytes_are(obj, 0, size, 0));
	memset(obj, 0xa5, size);
	bslab_cache_free(cp, obj);
	KUNIT_EXPECT_TRUE_MSG(test, bytes_are(obj, word, size,
					      on_free ? 0 : 0xa5),
			      "%s: freed", bslab_cache_name(cp));
	again = bslab_cache_alloc(cp, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, again, obj);	/* the last freed is first out */
	if (on_alloc || on_free)
		KUNIT_EXPECT_TRUE_MSG(test, bytes_are(obj, 0, size, 0),
				      "%s: handed out again",
				      bslab_cache_name(cp));
	else
		KUNIT_EXPECT_TRUE_MSG(test, bytes_are(obj, word, size, 0xa5),
				      "%s: handed out again",
				      bslab_cache_name(cp));
	bslab_cache_free(cp, obj);
}

static int init_ctor(void *obj, void *priv, gfp_t gfp)
{
	*(u64 *)obj = 0x1d1d;
	return 0;
}

/*
 * The kernel's init_on_alloc and init_on_free (make check boots one kernel,
 * 7.2, with both on, the others with both off): objects are zeroed as SLUB
 * zeroes its own, in the magazine and slab-layer paths, single and bulk;
 * a cache with a constructor keeps its constructed state either way, and a
 * BSLAB_NOTOUCH one its bytes.
 */
static void init_on_alloc_free(struct kunit *test)
{
	bool on_alloc = want_init_on_alloc(GFP_KERNEL);
	bool on_free = want_init_on_free();
	struct bslab_cache *cp;
	void *objs[4];
	u64 *x;
	u8 *b;
	int i;

	kunit_info(test, "init_on_alloc=%d init_on_free=%d\n", on_alloc,
		   on_free);
	tst_pin(test, raw_smp_processor_id());
	init_cycle(test, tst_cache(test, "t_init", 200, 0, NULL, NULL, NULL, 0),
		   200);
	init_cycle(test, tst_cache(test, "t_init_nomag", 200, 0, NULL, NULL,
				   NULL, BSLAB_NOMAGAZINE), 200);
	init_cycle(test, tst_cache(test, "t_init_large", 5000, 0, NULL, NULL,
				   NULL, 0), 5000);

	/* bulk: the same, each object */
	cp = tst_cache(test, "t_init_bulk", 96, 0, NULL, NULL, NULL, 0);
	KUNIT_ASSERT_EQ(test, bslab_cache_alloc_bulk(cp, GFP_KERNEL, 4, objs),
			4);
	for (i = 0; i < 4; i++) {
		if (on_alloc)
			KUNIT_EXPECT_TRUE(test, bytes_are(objs[i], 0, 96, 0));
		memset(objs[i], 0x3c, 96);
	}
	bslab_cache_free_bulk(cp, 4, objs);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, bytes_are(objs[i], 0, 96,
						  on_free ? 0 : 0x3c));

	/* bslab_alloc(): the whole chunk past the size is zeroed too */
	b = bslab_alloc(50, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(b, 0x77, 50);
	bslab_free(b, 50);
	if (on_free)
		KUNIT_EXPECT_TRUE(test, bytes_are(b, 0, 64, 0));
	else
		KUNIT_EXPECT_TRUE(test, bytes_are(b, 0, 50, 0x77));
	KUNIT_ASSERT_PTR_EQ(test, bslab_alloc(50, GFP_KERNEL), (void *)b);
	if (on_alloc || on_free)
		KUNIT_EXPECT_TRUE(test, bytes_are(b, 0, 64, 0));
	bslab_free(b, 50);

	/* a constructed object is never zeroed */
	cp = tst_cache(test, "t_init_ctor", 64, 0, init_ctor, NULL, NULL, 0);
	x = bslab_cache_alloc(cp, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, *x, 0x1d1d);
	x[1] = 0xbcbcbcbcbcbcbcbcULL;
	bslab_cache_free(cp, x);
	KUNIT_EXPECT_TRUE(test, bytes_are(x, 8, 16, 0xbc));
	KUNIT_ASSERT_PTR_EQ(test, bslab_cache_alloc(cp, GFP_KERNEL), x);
	KUNIT_EXPECT_EQ(test, *x, 0x1d1d);
	KUNIT_EXPECT_EQ(test, x[1], 0xbcbcbcbcbcbcbcbcULL);
	bslab_cache_free(cp, x);

	/* nor is a BSLAB_NOTOUCH one: a free object keeps its bytes */
	cp = tst_cache(test, "t_init_notouch", 64, 0, NULL, NULL, NULL,
		       BSLAB_NOTOUCH);
	b = bslab_cache_alloc(cp, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(b, 0x5a, 64);
	bslab_cache_free(cp, b);
	KUNIT_EXPECT_TRUE(test, bytes_are(b, 0, 64, 0x5a));
	KUNIT_ASSERT_PTR_EQ(test, bslab_cache_alloc(cp, GFP_KERNEL), (void *)b);
	KUNIT_EXPECT_TRUE(test, bytes_are(b, 0, 64, 0x5a));
	bslab_cache_free(cp, b);
}

static void hwcache_align_flag(struct kunit *test)
{
	struct bslab_cache *cache;
	void *obj;

	cache = tst_cache(test, "t_hwalign", 20, 0, NULL, NULL, NULL,
			  BSLAB_HWCACHE_ALIGN);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, align), cache_line_size());
	obj = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)obj,
					   cache_line_size()));
	bslab_cache_free(cache, obj);
}

static int args_ctor(void *obj, void *priv, gfp_t gfp)
{
	*(u64 *)obj = (unsigned long)priv;
	return 0;
}

/* The args-struct create and its positional wrapper make the same cache. */
static void create_args(struct kunit *test)
{
	struct bslab_cache_args args = {
		.align = 64, .ctor = args_ctor, .priv = (void *)0x5ab,
	};
	struct bslab_cache *a, *p, *none, *bad;
	u64 *x;

	a = tst_cache_adopt(test, bslab_cache_create_args("t_args", 40, &args,
							  0));
	p = tst_cache_adopt(test, bslab_cache_create("t_args_pos", 40, 64,
						     args_ctor, NULL, NULL,
						     (void *)0x5ab, 0));
	none = tst_cache_adopt(test, bslab_cache_create_args("t_args_none", 40,
							     NULL, 0));

	KUNIT_EXPECT_EQ(test, tst_stat(a, align), 64);
	KUNIT_EXPECT_EQ(test, tst_stat(p, align), 64);
	KUNIT_EXPECT_EQ(test, tst_stat(none, align), BSLAB_MIN_ALIGN);
	KUNIT_EXPECT_EQ(test, tst_stat(a, chunk_size), tst_stat(p, chunk_size));
	KUNIT_EXPECT_PTR_EQ(test, a->owner, THIS_MODULE);
	KUNIT_EXPECT_PTR_EQ(test, p->owner, THIS_MODULE);
	x = bslab_cache_alloc(a, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, *x, 0x5ab);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)x, 64));
	bslab_cache_free(a, x);

	/* a bad alignment in the struct is refused like a positional one */
	args.align = 24;
	bad = bslab_cache_create_args("t_args_bad", 40, &args, 0);
	tst_expect_create(test, bad, -EINVAL, "align 24");
}

static struct kunit_case cache_cases[] = {
	KUNIT_CASE(create_args),
	KUNIT_CASE(create_alloc_destroy),
	KUNIT_CASE(bad_arguments),
	KUNIT_CASE(duplicate_name),
	KUNIT_CASE(destroy_with_live_objects),
	KUNIT_CASE(bad_frees),
	KUNIT_CASE(gfp_zero),
	KUNIT_CASE(init_on_alloc_free),
	KUNIT_CASE(hwcache_align_flag),
	{}
};

static struct kunit_suite cache_suite = {
	.name = "bslab_cache",
	.init = tst_init,
	.test_cases = cache_cases,
};

kunit_test_suite(cache_suite);
