// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_sanitize: the kernel's own checkers see bslab's objects.  KASAN
 * reports a use after free of an object in a magazine and an access past
 * the end of an object (and of a bslab_alloc() of fewer bytes than its
 * class), each once, as expected reports; a double free after a trip
 * through the magazines and the depot is refused at once (KASAN's shadow
 * says the object is free).  kmemleak finds an object whose last pointer
 * was dropped, with the stack that allocated it.
 */
#include <linux/kthread.h>

#include "helpers.h"
#include "../mm/sizes.h"

/* Announce the two lines of a KASAN report the log judge would take. */
static void expect_kasan(const char *kind)
{
	tst_expect_report("BUG: KASAN: %s", kind);
	tst_expect_report("Call Trace:");
}

/* An instrumented read the compiler cannot drop. */
static noinline u8 read_byte(const u8 *p)
{
	return READ_ONCE(*p);
}

struct bad_read {
	const u8 *p;
	struct completion done;
};

static int bad_read_thread(void *arg)
{
	struct bad_read *b = arg;

	read_byte(b->p);
	complete(&b->done);
	return 0;
}

/*
 * KASAN fails the KUnit test whose thread it catches (it cannot tell an
 * intended report from a bug), so the bad read is made by a thread of its
 * own; the report is announced and counted all the same.
 */
static void read_elsewhere(struct kunit *test, const u8 *p)
{
	struct bad_read b = { .p = p };
	struct task_struct *t;

	init_completion(&b.done);
	t = kthread_run(bad_read_thread, &b, "bslab_bad_read");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&b.done);
}

static void kasan_use_after_free(struct kunit *test)
{
	struct bslab_cache *cache;
	u8 *x;
	u64 mark;

	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "needs a generic-KASAN kernel (the debug kernel is one)");
	cache = tst_cache(test, "t_san_uaf", 64, 0, NULL, NULL, NULL, 0);
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	read_byte(x + 63);			/* in bounds: no report */
	bslab_cache_free(cache, x);		/* into this CPU's magazine */
	KUNIT_ASSERT_GT(test, tst_stat(cache, buf_magazine), 0);

	mark = tst_log_mark();
	expect_kasan(BSLAB_KASAN_SLAB_UAF " in ");
	read_elsewhere(test, x + 8);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG: KASAN: "
					    BSLAB_KASAN_SLAB_UAF " in read_byte"),
			1);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "Read of size 1 at addr %lx",
					    (unsigned long)x + 8), 1);
}

static void kasan_out_of_bounds(struct kunit *test)
{
	struct bslab_cache *cache;
	u8 *x, *y;
	u64 mark;

	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "needs a generic-KASAN kernel (the debug kernel is one)");
	/* 40-byte objects in 64-byte chunks: bytes 40..63 are a redzone */
	cache = tst_cache(test, "t_san_oob", 40, 64, NULL, NULL, NULL, 0);
	x = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	read_byte(x + 39);
	mark = tst_log_mark();
	expect_kasan("slab-out-of-bounds in ");
	read_elsewhere(test, x + 40);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG: KASAN: slab-out-of-bounds in read_byte"),
			1);
	bslab_cache_free(cache, x);

	/*
	 * bslab_alloc(50): 50 bytes are the object, in the 56-byte class.
	 * KASAN names the kind by the granule after the bad byte's: every
	 * chunk keeps one past its object's last as a redzone (slab.c), so
	 * it is slab-out-of-bounds, as for SLUB's kmalloc(50), never named
	 * after the next object (issue 19: it said slab-use-after-free).
	 */
	y = bslab_alloc(50, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, y);
	KUNIT_EXPECT_STREQ(test, bslab_cache_name(bslab_size_class(50)),
			   "bslab_alloc_56");
	read_byte(y + 49);
	mark = tst_log_mark();
	expect_kasan("slab-out-of-bounds in ");
	read_elsewhere(test, y + 50);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG: KASAN: slab-out-of-bounds in read_byte"),
			1);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "Read of size 1 at addr %lx",
					    (unsigned long)y + 50), 1);
	bslab_free(y, 50);

	/* a 56-byte object: the byte just past it, where the next would be */
	cache = tst_cache(test, "t_san_oob56", 56, 0, NULL, NULL, NULL, 0);
	y = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, y);
	read_byte(y + 55);
	mark = tst_log_mark();
	expect_kasan("slab-out-of-bounds in ");
	read_elsewhere(test, y + 56);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG: KASAN: slab-out-of-bounds in read_byte"),
			1);
	bslab_cache_free(cache, y);
}

/*
 * A double free after the object went through the magazines and the
 * depot: the free check alone cannot see it (only the top of the magazine
 * is compared); KASAN's shadow can, so it is refused at once.
 */
static void kasan_double_free_via_depot(struct kunit *test)
{
	void **objs = tst_alloc_array(test, 300, sizeof(void *));
	struct bslab_report_sink *sink;
	struct bslab_cache *cache;
	unsigned int i, seen;
	void *x;
	u64 mark;

	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "needs a generic-KASAN kernel (the debug kernel is one)");
	tst_pin(test, 0);
	cache = tst_cache(test, "t_san_dfree", 64, 0, NULL, NULL, NULL, 0);
	tst_alloc_into(test, cache, objs, 300);
	x = objs[0];
	bslab_cache_free_bulk(cache, 300, objs);	/* x ends in the depot */
	KUNIT_ASSERT_GT(test, tst_stat(cache, full_magazines), 0);

	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	bslab_cache_free(cache, x);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 1);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG t_san_dfree: invalid free of %p: %s",
					    x, "the object is already free (double free)"),
			1);
	/* x is free once: it comes back once, and verify agrees */
	tst_alloc_into(test, cache, objs, 300);
	for (i = 0, seen = 0; i < 300; i++)
		seen += objs[i] == x;
	KUNIT_EXPECT_LE(test, seen, 1);
	bslab_cache_free_bulk(cache, 300, objs);
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, "/sys/kernel/debug/bslab/t_san_dfree/verify",
					       NULL), "ok\n");
}

/* The leak: allocated in a thread that exits, so no stack keeps a copy. */
#define LEAKS 8
#define LEAK_TRIES 1000

/*
 * The objects' addresses, in scrambled halves: never a whole pointer in
 * memory kmemleak scans, not even in a register the printk of them spills.
 */
struct leak {
	struct bslab_cache *cache;
	u32 hi[LEAKS], lo[LEAKS];
	unsigned int n;
	struct completion done;
};

#define LEAK_HI 0x5a5a5a5aU
#define LEAK_LO 0xa5a5a5a5U
#define LEAK_SIZE 200

/*
 * Overwrite the stack below this point, where the frames of the allocation
 * left copies of the pointer: kmemleak scans thread stacks (and an exited
 * thread's stack may be kept for the next thread, unscrubbed).
 */
static noinline void scrub_stack(unsigned int depth)
{
	char buf[256];

	memzero_explicit(buf, sizeof(buf));
	if (depth)
		scrub_stack(depth - 1);
	barrier_data(buf);
}

/*
 * Leak objects on as many pages, one a page, none at the page's start: a
 * page's previous life can leave stale words that point into it in memory
 * kmemleak scans (an allocated object its new owner never wrote whole),
 * and one such region over a page would hide every object on it.  A stale
 * pointer to a page is most often to its start: the PREEMPT_RT runs where
 * kmemleak listed none of the eight had kept each page's first object,
 * page-aligned on pages of low memory, each referenced once in every scan.
 * The objects not kept are freed at the end (chained through themselves:
 * no array of pointers on a stack).
 */
static noinline void leak_objects(struct leak *l)
{
	unsigned long page, last = 0;
	void *obj, *spares = NULL;
	unsigned int tries;

	for (tries = 0; l->n < LEAKS && tries < LEAK_TRIES; tries++) {
		obj = bslab_cache_alloc(l->cache, GFP_KERNEL);
		if (!obj)
			break;
		page = (unsigned long)obj >> PAGE_SHIFT;
		if ((l->n && page == last) ||
		    offset_in_page(obj) < LEAK_SIZE) {
			*(void **)obj = spares;
			spares = obj;
			continue;
		}
		/*
		 * Written, as a client writes its objects: an object never
		 * written holds what its memory held before, maybe a word
		 * that points to another leaked object.
		 */
		memset(obj, 0x5a, LEAK_SIZE);
		l->hi[l->n] = upper_32_bits((unsigned long)obj) ^ LEAK_HI;
		l->lo[l->n] = lower_32_bits((unsigned long)obj) ^ LEAK_LO;
		l->n++;
		last = page;
	}
	while (spares) {
		obj = spares;
		spares = *(void **)obj;
		bslab_cache_free(l->cache, obj);
	}
}

static noinline int leak_thread(void *arg)
{
	struct leak *l = arg;

	leak_objects(l);
	scrub_stack(48);
	complete(&l->done);
	return 0;
}

/*
 * Objects whose only pointers are dropped (kept scrambled, never whole on a
 * stack kmemleak scans).  kmemleak is asked from user space (its file takes
 * no kernel write): after the suites, qemu/init waits until the objects are
 * old enough to report (5 s), writes "scan" twice (kmemleak reports what
 * held still between two scans) and checks that kmemleak lists them with
 * leak_thread in their stack.  kmemleak takes any word that points into an
 * object for a reference, stale ones too, so an object can be hidden: there
 * are eight, each on a page of its own, one listed is enough, and init
 * scans up to three times; it says how many were listed.  The objects stay
 * leaked; the cache is destroyed dead and released at bslab's unload.
 */
static void kmemleak_finds_leak(struct kunit *test)
{
	struct task_struct *t;
	struct leak l = {};
	unsigned int i;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "needs a kmemleak kernel (the debug kernel is one)");
	l.cache = tst_cache(test, "t_san_leak", LEAK_SIZE, 0, NULL, NULL, NULL, 0);
	init_completion(&l.done);
	t = kthread_run(leak_thread, &l, "bslab_leak");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&l.done);
	KUNIT_ASSERT_EQ(test, l.n, LEAKS);
	KUNIT_EXPECT_EQ(test, tst_stat(l.cache, buf_inuse), LEAKS);
	for (i = 0; i < LEAKS; i++)
		pr_info("BSLAB-LEAKED: 0x%08x%08x\n", l.hi[i] ^ LEAK_HI,
			l.lo[i] ^ LEAK_LO);
}

/*
 * Issue 19's client, whose shuffle swapped without a temporary
 * ("p[i] = p[j]; p[j] = p[i];"): about half its pointers are copies of
 * others, the rest lost.  bslab names each of its bugs exactly: every
 * read through a copy after the first free is a KASAN use-after-free,
 * every free of a copy is refused as a double free, and destroy keeps the
 * objects the client lost, by count.  (In the issue, 3000 objects of each
 * size gave about 15,000 reports on 3,700 addresses, one address up to 12
 * copies, and "destroyed with 1502 objects still allocated": what such a
 * shuffle makes, not objects handed out twice.)  With magazines the double
 * free is caught by KASAN's shadow (KASAN kernels only); without, by the
 * slab layer's hash, on every kernel.
 */
#define DOUBLE_FREE	"the object is already free (double free)"

struct shuffle_client {
	struct bslab_cache *cache;
	void **p;
	unsigned int n;
	struct completion done;
};

/* The client's loop, in a thread of its own (KASAN fails the test's). */
static int shuffle_client_thread(void *arg)
{
	struct shuffle_client *sc = arg;
	unsigned int i;

	for (i = 0; i < sc->n; i++) {
		read_byte(sc->p[i]);
		bslab_cache_free(sc->cache, sc->p[i]);
	}
	complete(&sc->done);
	return 0;
}

static void client_shuffle_bug(struct kunit *test)
{
	const bool nomag = *(const bool *)test->param_value;
	const bool kasan = IS_ENABLED(CONFIG_KASAN_GENERIC);
	const unsigned int n = 24;
	struct shuffle_client sc = { .n = n };
	void **orig = tst_alloc_array(test, n, sizeof(void *));
	unsigned long *freed = kunit_kzalloc(test, BITS_TO_LONGS(n) *
					     sizeof(long), GFP_KERNEL);
	unsigned int i, j, dups = 0, lost = 0;
	struct bslab_report_sink *sink;
	struct task_struct *t;
	u64 seed = 19, mark;

	KUNIT_ASSERT_NOT_NULL(test, freed);
	if (!nomag && !kasan)
		kunit_skip(test, "needs a generic-KASAN kernel (the debug kernel is one)");
	tst_pin(test, 0);
	sc.cache = tst_cache(test, "t_san_shuffle", 3000, 0, NULL, NULL, NULL,
			     nomag ? BSLAB_NOMAGAZINE : 0);
	sc.p = tst_alloc_array(test, n, sizeof(void *));
	tst_alloc_into(test, sc.cache, orig, n);
	memcpy(sc.p, orig, n * sizeof(void *));
	for (i = n - 1; i > 0; i--) {
		j = tst_below(&seed, i + 1);
		sc.p[i] = sc.p[j];	/* the bug: no temporary */
		sc.p[j] = sc.p[i];
	}

	/* what the client will do: a copy freed before is a bug twice */
	mark = tst_log_mark();
	for (i = 0; i < n; i++) {
		for (j = 0; j < n && orig[j] != sc.p[i]; j++)
			;
		if (!__test_and_set_bit(j, freed))
			continue;
		dups++;
		if (kasan)
			expect_kasan(BSLAB_KASAN_SLAB_UAF " in ");
	}
	lost = n - bitmap_weight(freed, n);
	KUNIT_ASSERT_GT(test, dups, 0);
	KUNIT_ASSERT_EQ(test, lost, dups);

	init_completion(&sc.done);
	sink = tst_count_reports(test, true);	/* the client's thread's */
	t = kthread_run(shuffle_client_thread, &sc, "bslab_client");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&sc.done);
	if (kasan)
		KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG: KASAN: "
						    BSLAB_KASAN_SLAB_UAF " in read_byte"),
				dups);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), dups);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "BUG t_san_shuffle: invalid free of "),
			dups);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, DOUBLE_FREE), dups);
	KUNIT_EXPECT_EQ(test, tst_stat(sc.cache, free_invalid), dups);
	KUNIT_EXPECT_EQ(test, tst_stat(sc.cache, buf_inuse), lost);

	/* destroy keeps what the client lost; freeing those releases it */
	tst_cache_destroy(test, sc.cache);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, "%s: destroyed with %u objects still",
					    "bslab: cache t_san_shuffle", lost),
			1);
	for (i = 0; i < n; i++)
		if (!test_bit(i, freed))
			bslab_cache_free(sc.cache, orig[i]);
	KUNIT_EXPECT_TRUE(test, tst_dead_released(sc.cache));
}

static const bool shuffle_nomag[] = { false, true };

static void shuffle_desc(const bool *nomag, char *desc)
{
	strscpy(desc, *nomag ? "no magazines" : "magazines",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(shuffle, shuffle_nomag, shuffle_desc);

static struct kunit_case sanitize_cases[] = {
	KUNIT_CASE(kasan_use_after_free),
	KUNIT_CASE(kasan_out_of_bounds),
	KUNIT_CASE(kasan_double_free_via_depot),
	KUNIT_CASE_PARAM(client_shuffle_bug, shuffle_gen_params),
	KUNIT_CASE(kmemleak_finds_leak),
	{}
};

static struct kunit_suite sanitize_suite = {
	.name = "bslab_sanitize",
	.init = tst_init,
	.test_cases = sanitize_cases,
};

kunit_test_suite(sanitize_suite);
