// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_audit: audit records and the reports built on them.  kmausers
 * names two known call sites with their exact counts, in the cache's users
 * file and the top-level kmausers, with and without ::kmausers' threshold;
 * a double free and a write after free print the object's allocation and
 * free stacks; a cache destroyed with objects in use lists them by stack;
 * audit switched on for a cache that already holds objects, and off again;
 * two CPUs allocating at once lose no record; the records of slabs that
 * went back name no address, and no record holds a pointer to its object.
 */
#include "helpers.h"
#include "../mm/audit.h"

#define DEBUGFS "/sys/kernel/debug/bslab/"

/* The two call sites kmausers must name: never inlined, never merged. */
static noinline void site_alpha(struct kunit *test, struct bslab_cache *cache,
				void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	barrier();
}

static noinline void site_beta(struct kunit *test, struct bslab_cache *cache,
			       void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	barrier();
}

static void users_restore(void *unused)
{
	tst_write_file(DEBUGFS "kmausers", "large");
}

/*
 * Does @text hold the group line for @n objects of @size bytes from @cache
 * with @site as the first frame of its stack?
 */
static bool has_group(const char *text, unsigned long n, size_t size,
		      const char *cache, const char *site)
{
	char want[160];

	snprintf(want, sizeof(want),
		 "%lu bytes for %lu allocations with data size %zu from cache %s:\n\t %s+",
		 n * size, n, size, cache, site);
	return strstr(text, want);
}

static void kmausers_two_sites(struct kunit *test)
{
	void **a = tst_alloc_array(test, 150, sizeof(void *));
	void **b = tst_alloc_array(test, 37, sizeof(void *));
	struct bslab_cache *cache;
	const char *path = DEBUGFS "t_aud_users/users";
	const char *recorded =
		"cache t_aud_users: 187 objects in use recorded, 0 allocated before audit";
	char *text;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, users_restore,
							   NULL));
	cache = tst_cache(test, "t_aud_users", 64, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_AUDIT);
	site_alpha(test, cache, a, 150);
	site_beta(test, cache, b, 37);

	/* ::kmausers' default: 37 objects of 64 bytes are too small to show */
	KUNIT_ASSERT_EQ(test, 0, tst_write_file(path, "large"));
	text = tst_read_file(test, path, NULL);
	KUNIT_EXPECT_TRUE(test, has_group(text, 150, 64, "t_aud_users",
					  "site_alpha"));
	KUNIT_EXPECT_FALSE(test, has_group(text, 37, 64, "t_aud_users",
					   "site_beta"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "(1 smaller users"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, recorded));

	/* everything, largest first, in both files */
	KUNIT_ASSERT_EQ(test, 0, tst_write_file(path, "all"));
	text = tst_read_file(test, path, NULL);
	KUNIT_EXPECT_TRUE(test, has_group(text, 37, 64, "t_aud_users",
					  "site_beta"));
	KUNIT_EXPECT_TRUE(test, strstr(text, "9600 bytes") <
				strstr(text, "2368 bytes"));
	text = tst_read_file(test, DEBUGFS "kmausers", NULL);
	KUNIT_EXPECT_TRUE(test, has_group(text, 150, 64, "t_aud_users",
					  "site_alpha"));
	KUNIT_EXPECT_TRUE(test, has_group(text, 37, 64, "t_aud_users",
					  "site_beta"));

	/* frees leave the report */
	bslab_cache_free_bulk(cache, 50, a);
	text = tst_read_file(test, path, NULL);
	KUNIT_EXPECT_TRUE(test, has_group(text, 100, 64, "t_aud_users",
					  "site_alpha"));
	bslab_cache_free_bulk(cache, 100, a + 50);
	bslab_cache_free_bulk(cache, 37, b);
	text = tst_read_file(test, path, NULL);
	KUNIT_EXPECT_NULL(test, strstr(text, "allocations with data size"));
	KUNIT_EXPECT_NOT_NULL(test,
			      strstr(text, "cache t_aud_users: 0 objects in use recorded"));

	KUNIT_EXPECT_EQ(test, tst_write_file(path, "some"), -EINVAL);
}

/* A double free reports where the object was allocated and freed. */
static noinline void free_site(struct bslab_cache *cache, void *obj)
{
	bslab_cache_free(cache, obj);
	barrier();
}

static void double_free_stacks(struct kunit *test)
{
	struct bslab_report_sink *sink;
	struct bslab_cache *cache;
	void *x;
	u64 mark;

	cache = tst_cache(test, "t_aud_double", 96, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_AUDIT);
	site_alpha(test, cache, &x, 1);
	free_site(cache, x);
	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	bslab_cache_free(cache, x);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 1);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_EQ(test, 1, tst_log_count(mark, "BUG t_aud_double: invalid free of %p: %s",
					       x, "the object is already free (double free)"));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab:   allocated by task %d (",
					   task_pid_nr(current)));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab:     site_alpha+"));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab:   freed "));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab:     free_site+"));
	/* x stays free: the cache hands it out once */
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/* A write after free, on a cache with poison and audit. */
static void write_after_free_stacks(struct kunit *test)
{
	struct bslab_report_sink *sink;
	struct bslab_cache *cache;
	u8 *x, *again;
	u64 mark;

	cache = tst_cache(test, "t_aud_waf", 64, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_AUDIT | BSLAB_DEBUG_POISON);
	site_beta(test, cache, (void **)&x, 1);
	free_site(cache, x);
	kasan_disable_current();		/* the bug, on purpose */
	x[40] = 0x41;
	kasan_enable_current();
	mark = tst_log_mark();
	sink = tst_count_reports(test, false);
	again = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, again, x);
	KUNIT_EXPECT_EQ(test, tst_reports(sink), 1);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark,
					   "BUG t_aud_waf: write after free: object %p, byte 40",
					   x));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab:     site_beta+"));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab:     free_site+"));
	bslab_cache_free(cache, again);
}

/* Destroyed with objects in use: listed by allocation stack. */
static void leaks_at_destroy(struct kunit *test)
{
	struct bslab_cache *cache;
	void *a[3], *b[2];
	u64 mark = tst_log_mark();

	cache = tst_cache(test, "t_aud_leak", 64, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_AUDIT);
	site_alpha(test, cache, a, 3);
	site_beta(test, cache, b, 2);
	tst_cache_destroy(test, cache);
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache t_aud_leak: %s",
					   "destroyed with 5 objects still allocated"));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache t_aud_leak: %s",
					   "3 objects (192 bytes) allocated at:"));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "cache t_aud_leak: %s",
					   "2 objects (128 bytes) allocated at:"));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab:     site_alpha+"));
	KUNIT_EXPECT_TRUE(test, tst_logged(mark, "bslab:     site_beta+"));
	bslab_cache_free_bulk(cache, 3, a);
	bslab_cache_free_bulk(cache, 2, b);
	KUNIT_EXPECT_TRUE(test, tst_dead_released(cache));
}

/*
 * Audit switched on for a cache that holds objects: those have no record
 * until they come back; switched off, the report says so.
 */
static void audit_switched_live(struct kunit *test)
{
	const char *users = DEBUGFS "t_aud_live/users";
	const char *debug = DEBUGFS "t_aud_live/debug";
	const char *recorded =
		"cache t_aud_live: 120 objects in use recorded, 4 allocated before audit";
	struct bslab_cache *cache;
	void *old[4], *new[120];
	char *text;

	cache = tst_cache(test, "t_aud_live", 128, 0, NULL, NULL, NULL, 0);
	tst_alloc_into(test, cache, old, ARRAY_SIZE(old));
	KUNIT_ASSERT_EQ(test, 0, tst_write_file(debug, "+audit"));
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, debug, NULL), "audit\n");
	site_beta(test, cache, new, ARRAY_SIZE(new));
	text = tst_read_file(test, users, NULL);
	KUNIT_EXPECT_TRUE(test, has_group(text, 120, 128, "t_aud_live",
					  "site_beta"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, recorded));
	bslab_cache_free_bulk(cache, ARRAY_SIZE(old), old);
	bslab_cache_free_bulk(cache, ARRAY_SIZE(new), new);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 0);
	KUNIT_ASSERT_EQ(test, 0, tst_write_file(debug, "-audit"));
	KUNIT_EXPECT_NULL(test, READ_ONCE(cache->audit));
	text = tst_read_file(test, users, NULL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "cache t_aud_live is not audited"));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
}

/* The table grows with the objects it records, and every one is found. */
static void audit_table_grows(struct kunit *test)
{
	const unsigned int n = 3000;
	void **objs = tst_alloc_array(test, n, sizeof(void *));
	struct bslab_cache *cache;
	char *text;

	cache = tst_cache(test, "t_aud_grow", 32, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_AUDIT);
	site_alpha(test, cache, objs, n);
	flush_work(&cache->work);
	KUNIT_EXPECT_GT(test, cache->audit->bits, 8);
	text = tst_read_file(test, DEBUGFS "t_aud_grow/users", NULL);
	KUNIT_EXPECT_TRUE(test, has_group(text, n, 32, "t_aud_grow",
					  "site_alpha"));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, audit_lost), 0);
	bslab_cache_free_bulk(cache, n, objs);
}

/*
 * Two CPUs allocating at once, memory plentiful: every allocation is
 * recorded (issue 19: one CPU refilled the spare records with the lock
 * dropped and the other took them, so 4 to 9 of 800 went unrecorded).
 * Each round is a new cache, whose spare list starts empty.
 */
struct audit_pair {
	void *objs[2][400];
	atomic_t ready;
};

static int audit_alloc_job(struct tst_cpu_job *job)
{
	struct audit_pair *pair = job->shared;
	unsigned int i;

	atomic_inc(&pair->ready);
	while (atomic_read(&pair->ready) < 2)	/* start together */
		cpu_relax();
	for (i = 0; i < ARRAY_SIZE(pair->objs[0]); i++) {
		pair->objs[job->cpu][i] = bslab_cache_alloc(job->cache,
							    GFP_KERNEL);
		if (!pair->objs[job->cpu][i])
			job->bad++;
	}
	return 0;
}

static void audit_two_cpus_exact(struct kunit *test)
{
	struct audit_pair *pair = tst_alloc_array(test, 1, sizeof(*pair));
	struct tst_cpu_job *jobs = kunit_kzalloc(test, 2 * sizeof(*jobs),
						 GFP_KERNEL);
	const char *recorded =
		"cache t_aud_pair: 800 objects in use recorded, 0 allocated before audit";
	struct bslab_cache *cache;
	unsigned int round, i;
	char *text;

	KUNIT_ASSERT_NOT_NULL(test, jobs);
	tst_need_two_cpus(test);
	for (round = 0; round < 5; round++) {
		cache = tst_cache(test, "t_aud_pair", 128, 0, NULL, NULL, NULL,
				  BSLAB_DEBUG_AUDIT);
		atomic_set(&pair->ready, 0);
		for (i = 0; i < 2; i++) {
			jobs[i] = (struct tst_cpu_job){ .fn = audit_alloc_job,
				.cache = cache, .cpu = i, .shared = pair };
			tst_job_start(test, &jobs[i]);
		}
		for (i = 0; i < 2; i++)
			wait_for_completion(&jobs[i].done);
		KUNIT_ASSERT_EQ(test, jobs[0].bad + jobs[1].bad, 0);
		KUNIT_EXPECT_EQ_MSG(test, tst_stat(cache, audit_lost), 0,
				    "round %u", round);
		text = tst_read_file(test, DEBUGFS "t_aud_pair/users", NULL);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(text, recorded),
					  "round %u: %s", round, text);
		for (i = 0; i < 2; i++)
			bslab_cache_free_bulk(cache, ARRAY_SIZE(pair->objs[i]),
					      pair->objs[i]);
		tst_cache_destroy(test, cache);
	}
}

/*
 * Records of a slab that went back name no address: kmemleak scans them,
 * and a stale address there hid leaks of the objects later made in those
 * pages (qemu/init's kmemleak check of bslab_sanitize's leaks: two
 * records on an audited cache's spare list pointed into a t_san_leak
 * object).  Every record on the spare list, fresh or given back, names
 * nothing.
 */
static void audit_spares_name_nothing(struct kunit *test)
{
	struct bslab_cache *cache;
	struct bslab_audit *r;
	unsigned int n, per_slab, spares = 0, named = 0;
	unsigned long flags, destroyed;
	void **objs;

	cache = tst_cache(test, "t_aud_spare", 96, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_AUDIT);
	per_slab = tst_stat(cache, buf_per_slab);
	n = 4 * per_slab;
	objs = tst_alloc_objs(test, cache, n);
	bslab_cache_free_bulk(cache, n, objs);
	bslab_cache_reap(cache);
	destroyed = tst_stat(cache, slab_destroy);
	KUNIT_ASSERT_GE(test, destroyed, 1);

	raw_spin_lock_irqsave(&cache->lock, flags);
	for (r = cache->audit->spare; r; r = r->next) {
		spares++;
		named += !!r->addr;
	}
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	KUNIT_EXPECT_GE(test, spares, destroyed * per_slab);
	KUNIT_EXPECT_EQ(test, named, 0);
}

/*
 * No record holds a word that points into its object: kmemleak scans the
 * records, and would take one for a reference, so that it never reported
 * a leaked object of an audited cache.
 */
static void audit_records_hide_no_leak(struct kunit *test)
{
	enum { N = 16, SIZE = 96 };
	struct bslab_cache *cache;
	const unsigned long *w;
	struct bslab_audit *r;
	unsigned long flags, b, records = 0, pointing = 0;
	void *objs[N];
	unsigned int i, k;

	cache = tst_cache(test, "t_aud_hide", SIZE, 0, NULL, NULL, NULL,
			  BSLAB_DEBUG_AUDIT);
	tst_alloc_into(test, cache, objs, N);

	raw_spin_lock_irqsave(&cache->lock, flags);
	for (b = 0; b < 1UL << cache->audit->bits; b++) {
		for (r = cache->audit->heads[b]; r; r = r->next) {
			records++;
			w = (const unsigned long *)r;
			for (k = 0; k < sizeof(*r) / sizeof(*w); k++)
				for (i = 0; i < N; i++)
					pointing += w[k] >= (unsigned long)objs[i] &&
						    w[k] < (unsigned long)objs[i] + SIZE;
		}
	}
	raw_spin_unlock_irqrestore(&cache->lock, flags);
	KUNIT_EXPECT_EQ(test, records, N);
	KUNIT_EXPECT_EQ(test, pointing, 0);
	bslab_cache_free_bulk(cache, N, objs);
}

static struct kunit_case audit_cases[] = {
	KUNIT_CASE(kmausers_two_sites),
	KUNIT_CASE(double_free_stacks),
	KUNIT_CASE(write_after_free_stacks),
	KUNIT_CASE(leaks_at_destroy),
	KUNIT_CASE(audit_switched_live),
	KUNIT_CASE(audit_table_grows),
	KUNIT_CASE(audit_two_cpus_exact),
	KUNIT_CASE(audit_spares_name_nothing),
	KUNIT_CASE(audit_records_hide_no_leak),
	{}
};

static struct kunit_suite audit_suite = {
	.name = "bslab_audit",
	.init = tst_init,
	.test_cases = audit_cases,
};

kunit_test_suite(audit_suite);
