// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_slab: the slab layer.  List transitions, the fullest-partial-first
 * choice, the empty reserve and reap, coloring, constructors and
 * destructors (and a failing constructor), and alignment for many
 * size/alignment pairs.
 */
#include <linux/sort.h>

#include "helpers.h"
#include "../mm/slab.h"

static struct bslab_obj_info info_of(struct kunit *test,
				     struct bslab_cache *cache, void *obj)
{
	struct bslab_obj_info info;

	KUNIT_EXPECT_EQ(test, 0, bslab_obj_info(cache, obj, &info));
	return info;
}

static void expect_lists(struct kunit *test, struct bslab_cache *cache,
			 u64 full, u64 partial, u64 empty)
{
	struct bslab_stats st;

	bslab_cache_stats(cache, &st);

	KUNIT_EXPECT_EQ(test, st.slab_full, full);
	KUNIT_EXPECT_EQ(test, st.slab_partial, partial);
	KUNIT_EXPECT_EQ(test, st.slab_empty, empty);
	KUNIT_EXPECT_EQ(test, st.buf_total, (full + partial + empty) *
			st.buf_per_slab);
}

/* empty -> partial -> full -> partial -> empty, for a small and a large cache */
static void list_transitions(struct kunit *test)
{
	static const size_t sizes[] = { 256, 1500 };
	struct bslab_cache *cache;
	unsigned int n, i, s;
	void **objs;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		cache = tst_cache(test, s ? "t_lists_l" : "t_lists_s",
				  sizes[s], 0, NULL, NULL, NULL,
				  BSLAB_NOMAGAZINE);
		n = tst_stat(cache, buf_per_slab);
		KUNIT_ASSERT_GT(test, n, 2);
		objs = tst_alloc_array(test, n, sizeof(void *));
		expect_lists(test, cache, 0, 0, 0);

		objs[0] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[0]);
		expect_lists(test, cache, 0, 1, 0);
		KUNIT_EXPECT_EQ(test, info_of(test, cache, objs[0]).state,
				BSLAB_SLAB_PARTIAL);
		for (i = 1; i < n; i++) {
			objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		}
		expect_lists(test, cache, 1, 0, 0);
		KUNIT_EXPECT_EQ(test, info_of(test, cache, objs[0]).state,
				BSLAB_SLAB_FULL);
		KUNIT_EXPECT_EQ(test, info_of(test, cache, objs[0]).inuse, n);

		bslab_cache_free(cache, objs[n - 1]);
		expect_lists(test, cache, 0, 1, 0);
		for (i = 0; i < n - 1; i++)
			bslab_cache_free(cache, objs[i]);
		expect_lists(test, cache, 0, 0, 1);
		KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_destroy), 0);

		bslab_cache_reap(cache);
		expect_lists(test, cache, 0, 0, 0);
		KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_destroy), 1);
		KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
		KUNIT_EXPECT_EQ(test, tst_stat(cache, reap), 1);
	}
}

/*
 * A free that empties a slab keeps it while fewer than BSLAB_EMPTY_RESERVE
 * are empty and gives it back beyond; reap gives back the rest.
 */
static void empty_reserve(struct kunit *test)
{
	const unsigned int nslabs = BSLAB_EMPTY_RESERVE + 3;
	struct bslab_cache *cache;
	unsigned int n, i;
	void **objs;

	cache = tst_cache(test, "t_reserve", 128, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	n = tst_stat(cache, buf_per_slab);
	objs = tst_alloc_objs(test, cache, n * nslabs);
	expect_lists(test, cache, nslabs, 0, 0);
	for (i = 0; i < n * nslabs; i++)
		bslab_cache_free(cache, objs[i]);
	/*
	 * On PREEMPT_RT a free with preemption off cannot give pages back:
	 * the slabs beyond the reserve wait, as empty slabs, for the cache's
	 * work, which runs when the scheduler says.
	 */
	flush_work(&cache->work);
	expect_lists(test, cache, 0, 0, BSLAB_EMPTY_RESERVE);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_destroy),
			nslabs - BSLAB_EMPTY_RESERVE);
	bslab_cache_reap(cache);
	expect_lists(test, cache, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_destroy), nslabs);
}

/* Allocation takes from the partial slab with the fewest free objects. */
static void fullest_partial_first(struct kunit *test)
{
	/* free this many objects from slabs A, B, C, D */
	static const unsigned int give_back[] = { 3, 1, 5, 2 };
	static const unsigned int nslabs = ARRAY_SIZE(give_back);
	/* then allocations must come from B, D, D, A, A, A, C, ... */
	static const unsigned int expect_order[] = { 1, 3, 3, 0, 0, 0, 2, 2 };
	struct bslab_cache *cache;
	unsigned int n, i, j, k;
	void *bases[4];
	void **objs;
	void *obj;

	cache = tst_cache(test, "t_fullest", 64, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	n = tst_stat(cache, buf_per_slab);
	objs = tst_alloc_objs(test, cache, n * nslabs);
	/* Slabs fill one at a time: objects [k*n, (k+1)*n) share slab k. */
	for (k = 0; k < nslabs; k++) {
		bases[k] = info_of(test, cache, objs[k * n]).slab_base;
		KUNIT_ASSERT_PTR_EQ(test, bases[k],
				    info_of(test, cache,
					    objs[k * n + n - 1]).slab_base);
	}
	for (k = 0; k < nslabs; k++)
		for (j = 0; j < give_back[k]; j++) {
			bslab_cache_free(cache, objs[k * n + j]);
			objs[k * n + j] = NULL;
		}
	expect_lists(test, cache, 0, nslabs, 0);

	for (i = 0; i < ARRAY_SIZE(expect_order); i++) {
		obj = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj);
		KUNIT_EXPECT_PTR_EQ_MSG(test, info_of(test, cache, obj).slab_base,
					bases[expect_order[i]],
					"allocation %u", i);
		/* put it where a freed slot is, to free it at the end */
		for (j = 0; j < n * nslabs && objs[j]; j++)
			;
		objs[j] = obj;
	}
	for (i = 0; i < n * nslabs; i++)
		bslab_cache_free(cache, objs[i]);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/*
 * Consecutive slabs start their first object color_step further in, through
 * the slack, then wrap to 0.  Checked for a small and a large cache.  On
 * one CPU: each slab's objects come through that CPU's magazines, filled
 * from the slab layer in slab order; a move to the other CPU mid-slab
 * would have its fill start a new slab while the first CPU's magazine
 * holds the rest of the old one.
 */
static void check_coloring(struct kunit *test, const char *name, size_t size)
{
	struct bslab_obj_info info;
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int slab, i, n, nslabs, expect = 0;
	void **objs;

	tst_pin(test, 0);
	cache = tst_cache(test, name, size, 0, NULL, NULL, NULL, 0);
	bslab_cache_stats(cache, &st);
	KUNIT_ASSERT_GE_MSG(test, st.color_max, st.color_step,
			    "%s has no slack to color", name);
	KUNIT_EXPECT_EQ(test, st.color_step, max_t(u64, st.align,
						   cache_line_size()));
	n = st.buf_per_slab;
	nslabs = st.color_max / st.color_step + 3;	/* wrap at least once */
	objs = tst_alloc_array(test, n * nslabs, sizeof(void *));

	for (slab = 0; slab < nslabs; slab++) {
		for (i = 0; i < n; i++) {
			objs[slab * n + i] = bslab_cache_alloc(cache,
							       GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, objs[slab * n + i]);
		}
		info = info_of(test, cache, objs[slab * n]);
		KUNIT_EXPECT_EQ_MSG(test, info.color, expect, "slab %u", slab);
		KUNIT_EXPECT_PTR_EQ(test, objs[slab * n],
				    info.slab_base + info.color);
		/* the last object still ends inside the slab */
		KUNIT_EXPECT_LE(test, (unsigned long)(objs[slab * n + n - 1] +
						      size - info.slab_base),
				st.slab_size);
		expect += st.color_step;
		if (expect > st.color_max)
			expect = 0;
	}
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_create), nslabs);
	for (i = 0; i < n * nslabs; i++)
		bslab_cache_free(cache, objs[i]);
}

static void coloring(struct kunit *test)
{
	/* slack to color with or without KASAN's granule (slab.c) */
	check_coloring(test, "t_color_small", 208);
	check_coloring(test, "t_color_large", 600);
}

struct ctor_count {
	atomic_t ctor;
	atomic_t dtor;
	int fail_at;		/* 0: never fail, else fail the n-th call */
	size_t size;
};

#define CTOR_MAGIC 0xb51abull

struct tobj {
	u64 magic;
	u64 generation;		/* client state that must survive free */
};

static int count_ctor(void *obj, void *priv, gfp_t gfp)
{
	struct ctor_count *cc = priv;
	struct tobj *t = obj;

	if (cc->fail_at && atomic_read(&cc->ctor) + 1 >= cc->fail_at)
		return -ENOMEM;
	atomic_inc(&cc->ctor);
	t->magic = CTOR_MAGIC;
	t->generation = 0;
	return 0;
}

static void count_dtor(void *obj, void *priv)
{
	struct ctor_count *cc = priv;
	struct tobj *t = obj;

	if (t->magic == CTOR_MAGIC)
		atomic_inc(&cc->dtor);
	t->magic = 0;
}

static void ctor_dtor_one(struct kunit *test, const char *name, size_t size)
{
	struct ctor_count *cc = kunit_kzalloc(test, sizeof(*cc), GFP_KERNEL);
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int n, i;
	struct tobj *t, *again;
	void **objs;

	KUNIT_ASSERT_NOT_NULL(test, cc);
	cache = tst_cache(test, name, size, 0, count_ctor, count_dtor, cc,
			  BSLAB_NOMAGAZINE);
	n = tst_stat(cache, buf_per_slab);

	t = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->magic, CTOR_MAGIC);
	/* the whole slab was constructed, once */
	KUNIT_EXPECT_EQ(test, atomic_read(&cc->ctor), n);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.buf_constructed, n - 1);

	/* constructed state, client changes included, survives free/alloc */
	t->generation = 42;
	bslab_cache_free(cache, t);
	again = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, again, t);
	KUNIT_EXPECT_EQ(test, again->magic, CTOR_MAGIC);
	KUNIT_EXPECT_EQ(test, again->generation, 42);
	KUNIT_EXPECT_EQ(test, atomic_read(&cc->ctor), n);

	/* fill two slabs and a bit, free them all: still no new ctor calls */
	objs = tst_alloc_array(test, 2 * n + 1, sizeof(void *));
	objs[0] = again;
	for (i = 1; i < 2 * n + 1; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_EQ(test, ((struct tobj *)objs[i])->magic,
				CTOR_MAGIC);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&cc->ctor), 3 * n);
	for (i = 0; i < 2 * n + 1; i++)
		bslab_cache_free(cache, objs[i]);
	/* a cache with a dtor gives emptied slabs back from its work item */
	flush_work(&cache->work);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_destroy),
			3 - BSLAB_EMPTY_RESERVE);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_constructed),
			BSLAB_EMPTY_RESERVE * n);
	/* dtor only for the slab given back beyond the empty reserve */
	KUNIT_EXPECT_EQ(test, atomic_read(&cc->dtor),
			(3 - BSLAB_EMPTY_RESERVE) * n);

	tst_cache_destroy(test, cache);
	KUNIT_EXPECT_EQ(test, atomic_read(&cc->dtor), 3 * n);
}

static void ctor_dtor(struct kunit *test)
{
	ctor_dtor_one(test, "t_ctor_small", 64);
	ctor_dtor_one(test, "t_ctor_large", 1024);
}

/* A failing constructor fails the allocation; nothing leaks. */
/* Off-slab descriptors (with bits or bufctls) of every kind in use. */
static u64 descs_inuse(void)
{
	unsigned int i;
	u64 n = 0;

	for (i = 0; i < BSLAB_DESC_CACHES; i++)
		n += tst_stat(bslab_desc_caches[i], buf_inuse);
	return n;
}

static void ctor_failure_one(struct kunit *test, const char *name,
			     size_t size)
{
	struct ctor_count *cc = kunit_kzalloc(test, sizeof(*cc), GFP_KERNEL);
	struct bslab_stats st;
	u64 desc_inuse;
	struct bslab_cache *cache;
	unsigned int n;
	void *obj;

	KUNIT_ASSERT_NOT_NULL(test, cc);
	cache = tst_cache(test, name, size, 0, count_ctor, count_dtor, cc, 0);
	n = tst_stat(cache, buf_per_slab);
	KUNIT_ASSERT_GE(test, n, 3);
	cc->fail_at = 3;	/* the third object of the slab fails */
	desc_inuse = descs_inuse();

	obj = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_NULL(test, obj);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc_fail, 1);
	KUNIT_EXPECT_EQ(test, st.alloc, 0);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_EQ(test, st.buf_total, 0);
	KUNIT_EXPECT_EQ(test, st.mem_total, 0);
	KUNIT_EXPECT_EQ(test, st.slab_create, 0);
	/* the two objects constructed were destructed again */
	KUNIT_EXPECT_EQ(test, atomic_read(&cc->ctor), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&cc->dtor), 2);
	/* the off-slab descriptor (and bufctls) went back too */
	KUNIT_EXPECT_EQ(test, descs_inuse(), desc_inuse);

	/* once the constructor works again, so does the cache */
	cc->fail_at = 0;
	obj = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_EQ(test, ((struct tobj *)obj)->magic, CTOR_MAGIC);
	bslab_cache_free(cache, obj);
}

static void ctor_failure(struct kunit *test)
{
	ctor_failure_one(test, "t_ctorfail_small", 64);
	ctor_failure_one(test, "t_ctorfail_offslab", 128);
	ctor_failure_one(test, "t_ctorfail_large", 1024);
}

/* BSLAB_NOTOUCH: a free object's bytes are never written by the allocator. */
static void notouch(struct kunit *test)
{
	struct bslab_cache *cache;
	void *a, *b;

	cache = tst_cache(test, "t_notouch", 48, 0, NULL, NULL, NULL,
			  BSLAB_NOTOUCH);
	a = bslab_cache_alloc(cache, GFP_KERNEL);
	b = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	tst_fill(a, 48, 1);
	tst_fill(b, 48, 2);
	bslab_cache_free(cache, a);
	bslab_cache_free(cache, b);
	kasan_disable_current();	/* reading free objects, on purpose */
	KUNIT_EXPECT_TRUE(test, tst_check(a, 48, 1));
	KUNIT_EXPECT_TRUE(test, tst_check(b, 48, 2));
	kasan_enable_current();
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(unsigned long *)a, y = *(unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Every size/align pair: objects aligned, inside a slab, never overlapping. */
static void alignment(struct kunit *test)
{
	static const size_t sizes[] = {
		1, 7, 8, 13, 24, 63, 64, 65, 100, 127, 200, 255, 256, 257,
		511, 512, 700, 1000, 2000, 3000, 4096, 5000, 9000, 40000,
	};
	static const size_t aligns[] = {
		0, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,
	};
	const unsigned int count = 40;
	unsigned int s, a, i;
	unsigned long end;
	bool aligned;
	struct bslab_cache *cache;
	size_t size, align;
	void **objs;

	objs = tst_alloc_array(test, count, sizeof(void *));
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (a = 0; a < ARRAY_SIZE(aligns); a++) {
			size = sizes[s];
			align = max_t(size_t, aligns[a], BSLAB_MIN_ALIGN);
			cache = tst_cache(test, "t_align", size, aligns[a],
					  NULL, NULL, NULL, 0);
			for (i = 0; i < count; i++) {
				objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
				KUNIT_ASSERT_NOT_NULL(test, objs[i]);
				aligned = IS_ALIGNED((unsigned long)objs[i],
						     align);
				KUNIT_EXPECT_TRUE_MSG(test, aligned,
						      "size %zu align %zu",
						      size, align);
				tst_fill(objs[i], size, i);
			}
			sort(objs, count, sizeof(void *), cmp_ptr, NULL);
			for (i = 0; i + 1 < count; i++) {
				end = (unsigned long)objs[i] + size;
				KUNIT_EXPECT_LE_MSG(test, end,
						    (unsigned long)objs[i + 1],
						    "size %zu align %zu overlap",
						    size, align);
			}
			for (i = 0; i < count; i++)
				bslab_cache_free(cache, objs[i]);
			tst_cache_destroy(test, cache);
		}
	}
}

/* Bytes of a small slab's descriptor with the bits of @n objects. */
static u64 desc_bytes(u64 n)
{
	return struct_size_t(struct bslab_slab, out, BITS_TO_LONGS(n));
}

/*
 * A small cache's descriptor is in the slab unless that would cost objects
 * worth more bytes than it takes off-slab (slab.c, "layout").
 */
static void expect_small_layout(struct kunit *test, const struct bslab_stats *st)
{
	u64 all = st->slab_size / st->chunk_size, in = all, desc = 0;
	unsigned int i;

	while (in && in * st->chunk_size + desc_bytes(in) > st->slab_size)
		in--;
	/* what an off-slab descriptor for @all objects would take */
	for (i = 0; i < BSLAB_DESC_SMALL && !desc; i++)
		if (all <= bslab_desc_objs[i])
			desc = tst_stat(bslab_desc_caches[i], chunk_size);
	if (!st->offslab) {
		KUNIT_EXPECT_EQ_MSG(test, st->buf_per_slab, in,
				    "chunk %llu in-slab", st->chunk_size);
		/* and off-slab would not have paid */
		KUNIT_EXPECT_TRUE_MSG(test, !desc ||
				      (all - in) * st->chunk_size <= desc,
				      "chunk %llu: %llu in-slab, %llu off",
				      st->chunk_size, in, all);
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test, st->buf_per_slab, all,
			    "chunk %llu off-slab", st->chunk_size);
	/* a descriptor cache holds its bits, and they paid for it */
	KUNIT_EXPECT_NE(test, desc, 0);
	KUNIT_EXPECT_GT_MSG(test, (all - in) * st->chunk_size, desc,
			    "chunk %llu", st->chunk_size);
}

/*
 * The slab order keeps the unused tail within 1/8 of the slab; small
 * caches put their descriptor where it costs least.
 */
static void slab_waste(struct kunit *test)
{
	static const size_t sizes[] = {
		8, 24, 32, 96, 128, 200, 256, 500, 512, 700, 1000, 1500, 2048,
		3000, 4096, 5000, 7000, 10000, 20000, 65536,
	};
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int s;
	u64 waste;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		cache = tst_cache(test, "t_waste", sizes[s], 0, NULL, NULL,
				  NULL, 0);
		bslab_cache_stats(cache, &st);
		waste = st.slab_size - st.buf_per_slab * st.chunk_size;
		/*
		 * Unless even the largest slab holds too few for it: on a
		 * KASAN kernel a 64 KiB object takes a granule more, so
		 * three fit in 256 KiB.
		 */
		if (st.slab_size < BSLAB_MAX_SIZE || st.buf_per_slab >= 8)
			KUNIT_EXPECT_LE_MSG(test, waste * 8, st.slab_size,
					    "size %zu: %llu of %llu bytes unused",
					    sizes[s], waste, st.slab_size);
		else
			KUNIT_EXPECT_LT(test, waste, st.chunk_size);
		KUNIT_EXPECT_EQ(test, st.hash_size > 0,
				sizes[s] >= BSLAB_LARGE_MIN);
		if (sizes[s] >= BSLAB_LARGE_MIN) {
			KUNIT_EXPECT_EQ(test, st.offslab, 1);
			/* a descriptor cache has its bufctls */
			KUNIT_EXPECT_LE(test, st.buf_per_slab,
					bslab_desc_objs[BSLAB_DESC_CACHES - 1]);
		} else {
			expect_small_layout(test, &st);
		}
		tst_cache_destroy(test, cache);
	}
}

/*
 * A small cache whose descriptor is off-slab (128 bytes: 32 objects a page
 * and 64 bytes elsewhere, not 31 with the descriptor in the page; with
 * KASAN's granule 30 and 29): one descriptor of bslab_slab_64 a slab, the
 * slab full to its end, every object found and checked as in any slab, and
 * the descriptors back when the slabs go.
 */
static void offslab_small(struct kunit *test)
{
	struct bslab_cache *dc = bslab_desc_caches[0];
	struct bslab_report_sink *sink;
	struct bslab_obj_info info;
	struct bslab_cache *cache;
	struct bslab_stats st;
	unsigned int i, n;
	u64 desc0, mark;
	void **objs;
	char *bad;

	desc0 = tst_stat(dc, buf_inuse);
	/* no magazines: the slab layer hands out exactly what is asked */
	cache = tst_cache(test, "t_offslab", 128, 0, NULL, NULL, NULL,
			  BSLAB_NOMAGAZINE);
	bslab_cache_stats(cache, &st);
	KUNIT_ASSERT_EQ(test, st.offslab, 1);
	KUNIT_EXPECT_EQ(test, st.hash_size, 0);
	KUNIT_EXPECT_EQ(test, st.slab_size, PAGE_SIZE);
	n = st.buf_per_slab;
	KUNIT_EXPECT_EQ(test, n, PAGE_SIZE / st.chunk_size);
	KUNIT_EXPECT_EQ(test, tst_stat(dc, buf_inuse), desc0);

	/* two slabs' worth and one more: three slabs, three descriptors */
	objs = tst_alloc_array(test, 2 * n + 1, sizeof(void *));
	for (i = 0; i < 2 * n + 1; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		tst_fill(objs[i], 128, i);
	}
	KUNIT_EXPECT_EQ(test, tst_stat(cache, slab_create), 3);
	KUNIT_EXPECT_EQ(test, tst_stat(dc, buf_inuse), desc0 + 3);
	info = info_of(test, cache, objs[n - 1]);
	KUNIT_EXPECT_EQ(test, info.objs, n);
	/* the last object of a slab may end at the slab's last byte */
	KUNIT_EXPECT_LE(test, (unsigned long)(objs[n - 1] + 128 -
					       info.slab_base), PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, info.slab_base,
			    info_of(test, cache, objs[0]).slab_base);
	for (i = 0; i < 2 * n + 1; i++)
		KUNIT_EXPECT_TRUE(test, tst_check(objs[i], 128, i));

	/* the free check reads the off-slab descriptor: interior refused */
	sink = tst_count_reports(test, false);
	mark = tst_log_mark();
	bad = (char *)objs[1] + 8;
	bslab_cache_free(cache, bad);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 1);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_offslab", bad,
					    "not the start"));
	/* and a double free finds the object's bit clear */
	bslab_cache_free(cache, objs[2]);
	mark = tst_log_mark();
	bslab_cache_free(cache, objs[2]);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 2);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 2);
	KUNIT_EXPECT_TRUE(test, tst_refused(mark, "t_offslab", objs[2],
					    "the object is already free"));
	objs[2] = NULL;

	for (i = 0; i < 2 * n + 1; i++)
		bslab_cache_free(cache, objs[i]);
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(dc, buf_inuse), desc0);
}

static struct kunit_case slab_cases[] = {
	KUNIT_CASE(list_transitions),
	KUNIT_CASE(empty_reserve),
	KUNIT_CASE(fullest_partial_first),
	KUNIT_CASE(coloring),
	KUNIT_CASE(ctor_dtor),
	KUNIT_CASE(ctor_failure),
	KUNIT_CASE(notouch),
	KUNIT_CASE(alignment),
	KUNIT_CASE(slab_waste),
	KUNIT_CASE(offslab_small),
	{}
};

static struct kunit_suite slab_suite = {
	.name = "bslab_slab",
	.init = tst_init,
	.test_cases = slab_cases,
};

kunit_test_suite(slab_suite);
