// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_kmem: the kmem_cache API of <bslab_kmem.h>, as a module written for
 * SLUB calls it: every form of create, the SLAB_* flags, the object calls,
 * mempools, kfree()/ksize() of a cache object; and BSLAB_TYPESAFE_BY_RCU,
 * which SLAB_TYPESAFE_BY_RCU becomes: a slab's memory outlives its last
 * free by a grace period.
 *
 * This file is compiled the way a moved module is: <bslab_kmem.h> first.
 */
#include <bslab_kmem.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include "helpers.h"
#include "../mm/slab.h"

struct t_kmem_obj {
	u64 a;
	char b[40];
} ____cacheline_aligned;

struct t_kmem_user {
	u32 hdr;
	char data[60];
	u32 tail;
};

static atomic_t kmem_ctor_calls;

static void kmem_ctor(void *obj)
{
	atomic_inc(&kmem_ctor_calls);
	memset(obj, 0x6b, sizeof(struct t_kmem_user));
}

/* A cache made through the header, destroyed when the test ends. */
static struct kmem_cache *kmem_adopt(struct kunit *test,
				     struct kmem_cache *cache,
				     const char *name, unsigned int size)
{
	KUNIT_ASSERT_NOT_NULL(test, cache);
	tst_cache_adopt(test, cache);
	KUNIT_EXPECT_STREQ(test, bslab_cache_name(cache), name);
	KUNIT_EXPECT_EQ(test, kmem_cache_size(cache), size);
	return cache;
}

/* An object of @cache can be had, used and given back. */
static void kmem_use(struct kunit *test, struct kmem_cache *cache)
{
	unsigned int size = kmem_cache_size(cache);
	void *obj = kmem_cache_alloc(cache, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, obj);
	tst_fill(obj, size, 1);
	KUNIT_EXPECT_TRUE(test, tst_check(obj, size, 1));
	kmem_cache_free(cache, obj);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/* Every form of create makes a bslab cache with the size, alignment and ctor asked. */
static void kmem_create_forms(struct kunit *test)
{
	struct kmem_cache *cache;

	cache = kmem_adopt(test, KMEM_CACHE(t_kmem_obj, 0), "t_kmem_obj",
			   sizeof(struct t_kmem_obj));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, align),
			__alignof__(struct t_kmem_obj));
	kmem_use(test, cache);

	cache = kmem_adopt(test, kmem_cache_create("t_kmem_legacy", 100, 64,
						   SLAB_HWCACHE_ALIGN, NULL),
			   "t_kmem_legacy", 100);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, align),
			max(64, cache_line_size()));
	kmem_use(test, cache);

	cache = kmem_adopt(test,
			   KMEM_CACHE_USERCOPY(t_kmem_user, 0, data),
			   "t_kmem_user", sizeof(struct t_kmem_user));
	kmem_use(test, cache);

	cache = kmem_adopt(test,
			   kmem_cache_create_usercopy("t_kmem_ucopy", 72, 8, 0,
						      4, 60, NULL),
			   "t_kmem_ucopy", 72);
	kmem_use(test, cache);

#ifdef BSLAB_KMEM_HAVE_ARGS
	{
		struct kmem_cache_args args = {
			.align = 32,
			.useroffset = 4,
			.usersize = 60,
		};

		cache = kmem_adopt(test, kmem_cache_create("t_kmem_args", 72,
							   &args, 0),
				   "t_kmem_args", 72);
		KUNIT_EXPECT_EQ(test, tst_stat(cache, align), 32);
		kmem_use(test, cache);
		cache = kmem_adopt(test, kmem_cache_create("t_kmem_noargs", 24,
							   NULL, 0),
				   "t_kmem_noargs", 24);
		kmem_use(test, cache);
	}
#endif
}

/* A kmem constructor runs once per object, not per allocation. */
static void kmem_ctor_once(struct kunit *test)
{
	struct kmem_cache *cache;
	unsigned int per_slab, i;
	u8 *obj;

	atomic_set(&kmem_ctor_calls, 0);
	cache = kmem_adopt(test, kmem_cache_create("t_kmem_ctor",
						   sizeof(struct t_kmem_user),
						   0, 0, kmem_ctor),
			   "t_kmem_ctor", sizeof(struct t_kmem_user));
	per_slab = tst_stat(cache, buf_per_slab);
	for (i = 0; i < 5; i++) {
		obj = kmem_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj);
		KUNIT_EXPECT_EQ(test, obj[0], 0x6b);	/* constructed */
		KUNIT_EXPECT_EQ(test, obj[sizeof(struct t_kmem_user) - 1], 0x6b);
		kmem_cache_free(cache, obj);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&kmem_ctor_calls), per_slab);
}

/* SLAB_* flags: carried over, accepted, or refused with a message. */
static void kmem_flags(struct kunit *test)
{
	struct bslab_cache *cache;
	u64 mark;

	cache = kmem_adopt(test, kmem_cache_create("t_kmem_recl", 64, 0,
						   SLAB_RECLAIM_ACCOUNT |
						   SLAB_ACCOUNT | SLAB_PANIC,
						   NULL),
			   "t_kmem_recl", 64);
	KUNIT_EXPECT_TRUE(test, cache->flags & BSLAB_RECLAIMABLE);

	cache = kmem_adopt(test, kmem_cache_create("t_kmem_rcu", 64, 0,
						   SLAB_TYPESAFE_BY_RCU |
						   SLAB_POISON, NULL),
			   "t_kmem_rcu", 64);
	KUNIT_EXPECT_TRUE(test, cache->flags & BSLAB_TYPESAFE_BY_RCU);
	KUNIT_EXPECT_TRUE(test, cache->flags & BSLAB_NOTOUCH);
	KUNIT_EXPECT_EQ(test, cache->debug & BSLAB_DBG_POISON, 0);

	mark = tst_log_mark();
	cache = kmem_cache_create("t_kmem_dma", 64, 0, SLAB_CACHE_DMA, NULL);
	KUNIT_EXPECT_NULL(test, cache);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark,
					   "bslab: cache %s: SLAB flags %#lx have no bslab meaning",
					   "t_kmem_dma",
					   (__force unsigned long)SLAB_CACHE_DMA));
	kmem_cache_destroy(cache);	/* NULL: nothing */

	/* bslab's own rules on names hold, and say so */
	mark = tst_log_mark();
	cache = kmem_cache_create("t kmem", 64, 0, 0, NULL);
	KUNIT_EXPECT_NULL(test, cache);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "name may not contain"));
	kmem_cache_destroy(cache);	/* NULL: nothing */
}

/* zalloc, lru, node, bulk and shrink. */
static void kmem_calls(struct kunit *test)
{
	struct kmem_cache *cache;
	struct list_lru *lru = NULL;
	void *objs[20];
	u8 *obj;

	cache = kmem_adopt(test, kmem_cache_create("t_kmem_calls", 200, 0, 0,
						   NULL),
			   "t_kmem_calls", 200);
	obj = kmem_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	memset(obj, 0xa5, 200);
	kmem_cache_free(cache, obj);
	obj = kmem_cache_zalloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(obj, 0, 200));
	kmem_cache_free(cache, obj);

	obj = kmem_cache_alloc_lru(cache, lru, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	kmem_cache_free(cache, obj);
	obj = kmem_cache_alloc_node(cache, GFP_KERNEL, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	kmem_cache_free(cache, obj);

	KUNIT_ASSERT_EQ(test, kmem_cache_alloc_bulk(cache, GFP_KERNEL,
						    ARRAY_SIZE(objs), objs),
			ARRAY_SIZE(objs));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), ARRAY_SIZE(objs));
	kmem_cache_free_bulk(cache, ARRAY_SIZE(objs), objs);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);

	KUNIT_EXPECT_NE(test, tst_stat(cache, mem_total), 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_shrink(cache), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

/* A mempool of cache objects takes them from, and gives them back to, bslab. */
static void kmem_mempool(struct kunit *test)
{
	struct kmem_cache *cache;
	mempool_t *pool;
	void *obj;

	cache = kmem_adopt(test, kmem_cache_create("t_kmem_pool", 96, 0, 0,
						   NULL),
			   "t_kmem_pool", 96);
	pool = mempool_create_slab_pool(4, cache);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 4);	/* the reserve */
	obj = mempool_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_EQ(test, bslab_obj_info(cache, obj, &(struct bslab_obj_info){}), 0);
	mempool_free(obj, pool);
	mempool_destroy(pool);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/*
 * kfree() of a cache object is the module's bug: reported, and the object
 * goes back to its own cache.  kfree() and ksize() of kmalloc() memory are
 * SLUB's, as before.
 */
static void kmem_kfree(struct kunit *test)
{
	struct bslab_report_sink *sink;
	struct kmem_cache *cache;
	void *obj, *km;
	u64 mark;

	cache = kmem_adopt(test, kmem_cache_create("t_kmem_kfree", 48, 0, 0,
						   NULL),
			   "t_kmem_kfree", 48);
	km = kmalloc(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, km);
	sink = tst_count_reports(test, false);
	KUNIT_EXPECT_GE(test, ksize(km), 100);
	kfree(km);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 0);

	obj = kmem_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	mark = tst_log_mark();
	KUNIT_EXPECT_EQ(test, ksize(obj), 48);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG %s: ksize() of %p, an object of this cache",
					    "t_kmem_kfree", obj), 1);
	kfree(obj);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 2);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG %s: kfree() of %p, an object of this cache",
					    "t_kmem_kfree", obj), 1);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 0);
}

/*
 * The module's kfree() follows bslab's free check, switched live: with
 * free_check=0 it is the kernel's kfree() (a kmalloc() pointer freed, no
 * report; ksize() is still checked), and with the check back on a kfree()
 * of a cache object is caught again at the same call site.
 */
static noinline void kmem_kfree_one_site(const void *p)
{
	kfree(p);
}

static void kmem_kfree_free_check(struct kunit *test)
{
	struct bslab_report_sink *sink;
	struct kmem_cache *cache;
	void *obj, *km;
	int i;
	u64 mark;

	cache = kmem_adopt(test, kmem_cache_create("t_kmem_kfree_fc", 40, 0, 0,
						   NULL),
			   "t_kmem_kfree_fc", 40);
	obj = kmem_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sink = tst_count_reports(test, false);
	mark = tst_log_mark();
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, tst_write_param("free_check", i ? "1" : "0"), 0);
		KUNIT_EXPECT_EQ(test, static_key_enabled(&bslab_free_check), i == 1);
		km = kmalloc(100, GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, km);
		kmem_kfree_one_site(km);
		KUNIT_EXPECT_EQ(test, ksize(obj), 40);
		KUNIT_EXPECT_EQ(test, tst_reports(sink), i + 1);
	}
	/* on again: the same kfree() site reports a cache object */
	KUNIT_EXPECT_TRUE(test, static_key_enabled(&bslab_free_check));
	kmem_kfree_one_site(obj);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 3);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG %s: ksize() of %p, an object of this cache",
					    "t_kmem_kfree_fc", obj), 2);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG %s: kfree() of %p, an object of this cache",
					    "t_kmem_kfree_fc", obj), 1);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/*
 * fs.h's __getname()/__putname() stay the kernel's (names_cache, a SLUB
 * cache no moved module owns, or kmalloc() in 7.x): the path buffer is
 * SLUB's, whole, and goes back to SLUB with no report from bslab (not to a
 * bslab cache, which would take names_cachep for one of its own).  The
 * header must build on every kernel, whichever fs.h has.
 */
static void kmem_getname(struct kunit *test)
{
	struct bslab_report_sink *sink = tst_count_reports(test, false);
	char *name = __getname();

	KUNIT_ASSERT_NOT_NULL(test, name);
	memset(name, 'n', PATH_MAX);
	KUNIT_EXPECT_GE(test, ksize(name), PATH_MAX);
	__putname(name);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 0);
}

/*
 * Fill three slabs of a BSLAB_NOMAGAZINE cache, then free all of two (they
 * stay, the empty reserve) and all but one object of the third; return that
 * object, whose free gives its slab back at once.
 */
static void *rcu_last_object(struct kunit *test, struct bslab_cache *cache,
			     void **base)
{
	unsigned int per_slab = tst_stat(cache, buf_per_slab);
	unsigned int n = 3 * per_slab, i;
	struct bslab_obj_info info;
	void **objs, *last;
	bool *mine;

	objs = tst_alloc_objs(test, cache, n);
	mine = tst_alloc_array(test, n, sizeof(*mine));
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, bslab_obj_info(cache, objs[i], &info), 0);
		if (!i)
			*base = info.slab_base;
		mine[i] = info.slab_base == *base;
	}
	last = objs[0];
	for (i = 1; i < n; i++)
		if (!mine[i])
			bslab_cache_free(cache, objs[i]);
	for (i = 1; i < n; i++)
		if (mine[i])
			bslab_cache_free(cache, objs[i]);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 1);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_empty), 2);
	return last;
}

/*
 * BSLAB_TYPESAFE_BY_RCU: a reader inside rcu_read_lock() that found an
 * object may still read it after its free gave the slab back; the pages
 * go a grace period later.  Without the flag they go at once.
 */
static void rcu_typesafe(struct kunit *test)
{
	static const unsigned int flags[] = {
		BSLAB_NOMAGAZINE | BSLAB_TYPESAFE_BY_RCU, BSLAB_NOMAGAZINE,
	};
	struct bslab_cache *cache;
	struct page *page;
	unsigned int f;
	void *obj, *base;
	bool owned, intact;

	for (f = 0; f < ARRAY_SIZE(flags); f++) {
		cache = tst_cache(test, f ? "t_rcu_plain" : "t_rcu_safe", 128,
				  0, NULL, NULL, NULL, flags[f]);
		obj = rcu_last_object(test, cache, &base);
		page = virt_to_page(base);
		tst_fill(obj, 128, 0x5afe);

		/*
		 * Above the kernel's workers until the counts are read: the
		 * case is about what the free itself does, and a slab it left
		 * to the cache's work item (as PREEMPT_RT's did while the free
		 * held preemption off: see cache_free_slow()) would otherwise
		 * be gone by then whenever that worker ran first.
		 */
		sched_set_fifo_low(current);
		rcu_read_lock();
		bslab_cache_free(cache, obj);	/* the slab leaves the cache */
		owned = slab_page_owner(page) == cache;
		intact = f ? false : tst_check(obj, 128, 0x5afe);
		rcu_read_unlock();

		KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_empty), 2);
		KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_destroy), 1);
		sched_set_normal(current, 0);
		KUNIT_EXPECT_EQ_MSG(test, owned, !f,
				    "%s: the slab's pages during the reader",
				    bslab_cache_name(cache));
		if (!f)
			KUNIT_EXPECT_TRUE(test, intact);
		rcu_barrier();
		KUNIT_EXPECT_PTR_NE(test, slab_page_owner(page),
				    (const struct bslab_cache *)cache);
	}
}

/* Destroy waits for the slabs still waiting for a grace period; no dtor. */
static void rcu_destroy(struct kunit *test)
{
	const struct bslab_cache_args dtor_args = { .dtor = tst_count_dtor };
	struct bslab_cache *cache;
	void **objs;
	u64 mark;

	cache = tst_cache(test, "t_rcu_destroy", 700, 0, NULL, NULL, NULL,
			  BSLAB_TYPESAFE_BY_RCU);
	objs = tst_alloc_objs(test, cache, 200);
	bslab_cache_free_bulk(cache, 200, objs);
	bslab_cache_reap(cache);	/* every slab to call_rcu() */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
	tst_cache_destroy(test, cache);	/* KASAN: no callback after the cache */
	rcu_barrier();

	mark = tst_log_mark();
	tst_expect_create(test, bslab_cache_create_args("t_rcu_dtor", 64,
							&dtor_args,
							BSLAB_TYPESAFE_BY_RCU),
			  -EINVAL, "BSLAB_TYPESAFE_BY_RCU with a destructor");
	KUNIT_EXPECT_TRUE(test, tst_logged(mark,
					   "cache %s: BSLAB_TYPESAFE_BY_RCU with a destructor",
					   "t_rcu_dtor"));
}

static struct kunit_case kmem_cases[] = {
	KUNIT_CASE(kmem_create_forms),
	KUNIT_CASE(kmem_ctor_once),
	KUNIT_CASE(kmem_flags),
	KUNIT_CASE(kmem_calls),
	KUNIT_CASE(kmem_mempool),
	KUNIT_CASE(kmem_kfree),
	KUNIT_CASE(kmem_kfree_free_check),
	KUNIT_CASE(kmem_getname),
	KUNIT_CASE(rcu_typesafe),
	KUNIT_CASE(rcu_destroy),
	{}
};

static struct kunit_suite kmem_suite = {
	.name = "bslab_kmem",
	.init = tst_init,
	.test_cases = kmem_cases,
};

kunit_test_suite(kmem_suite);
