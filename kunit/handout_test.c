// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_handout: no object is ever handed out twice (issue 19).
 *
 * A client of a large cache (off-slab bufctls found through the hash)
 * allocates thousands of objects, writing each object's own address into
 * it, frees them in random order, and destroys the cache; for every large
 * size, on one CPU and on two at once, with the bufctl hash rescaling and
 * the reaper running meanwhile.  The checks need no sanitizer: the
 * pointers handed out are sorted and compared (two equal ones is a double
 * hand-out), every object keeps what its owner wrote until it is freed, and
 * every free is accepted.  On a KASAN kernel the reads are checked too.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "helpers.h"
#include "../mm/reap.h"

static const size_t handout_sizes[] = {
	512, 600, 1500, 3000, 4096, 5000, 9000, 16384, 65536,
};

static void handout_size_desc(const size_t *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes", *size);
}

KUNIT_ARRAY_PARAM(handout_size, handout_sizes, handout_size_desc);

/* Thousands of objects, but no more than 32 MiB of them. */
static unsigned int handout_count(size_t size)
{
	return min_t(size_t, 3000, (32UL << 20) / size);
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Objects of @objs[0, n) that are there more than once. */
static unsigned int handout_dups(struct kunit *test, void **objs,
				 unsigned int n)
{
	void **sorted = vmalloc_array(n, sizeof(void *));
	unsigned int i, dups = 0;

	KUNIT_ASSERT_NOT_NULL(test, sorted);
	memcpy(sorted, objs, n * sizeof(void *));
	sort(sorted, n, sizeof(void *), cmp_ptr, NULL);
	for (i = 1; i < n; i++) {
		if (sorted[i] == sorted[i - 1]) {
			if (!dups)
				kunit_info(test, "%p handed out twice", sorted[i]);
			dups++;
		}
	}
	vfree(sorted);
	return dups;
}

/* What a client writes into its object: the address, and at its end. */
static void handout_mark(void *obj, size_t size)
{
	*(void **)obj = obj;
	*(void **)(obj + size - sizeof(void *)) = obj;
}

static bool handout_marked(void *obj, size_t size)
{
	return *(void **)obj == obj &&
	       *(void **)(obj + size - sizeof(void *)) == obj;
}

/* Fisher-Yates, from a fixed seed. */
static void handout_shuffle(void **objs, unsigned int n, u64 seed)
{
	unsigned int i, j;

	for (i = n; i > 1; i--) {
		j = tst_below(&seed, i);
		swap(objs[i - 1], objs[j]);
	}
}

/* The verify file of @cache: "ok" on a quiet cache. */
static void handout_verify(struct kunit *test, struct bslab_cache *cache)
{
	char path[96];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), DEBUGFS "%s/verify",
		 bslab_cache_name(cache));
	text = tst_read_file(test, path, &len);
	KUNIT_EXPECT_STREQ(test, text, "ok\n");
}

static void handout_one_cpu(struct kunit *test)
{
	const size_t size = *(const size_t *)test->param_value;
	const unsigned int n = handout_count(size);
	struct bslab_cache *cache;
	unsigned int i, bad = 0;
	void **objs;

	tst_pin(test, 0);
	cache = tst_cache(test, "t_handout", size, 0, NULL, NULL, NULL, 0);
	objs = tst_alloc_array(test, n, sizeof(void *));
	for (i = 0; i < n; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		handout_mark(objs[i], size);
	}
	KUNIT_EXPECT_EQ(test, handout_dups(test, objs, n), 0);
	flush_work(&cache->work);	/* the rescales the allocations asked for */
	KUNIT_EXPECT_GE(test, tst_stat(cache, hash_size) * 2, n);
	handout_verify(test, cache);

	handout_shuffle(objs, n, size);
	for (i = 0; i < n; i++) {
		if (!handout_marked(objs[i], size))
			bad++;
		bslab_cache_free(cache, objs[i]);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
	handout_verify(test, cache);
}

/*
 * Two CPUs share one array: each allocates its half, marking each object;
 * the test checks the whole and shuffles it; then each CPU frees its half
 * of the shuffled array, the other CPU's objects among them.  The reaper's
 * tick and the hash rescales the load asks for run all the while.
 */
struct handout_shared {
	void **objs;
	unsigned int n;
	size_t size;
	atomic_t allocated;
	bool go;
};

static int handout_job(struct tst_cpu_job *job)
{
	struct handout_shared *sh = job->shared;
	unsigned int half = sh->n / 2, first = job->cpu ? half : 0;
	unsigned int last = job->cpu ? sh->n : half, i;

	for (i = first; i < last; i++) {
		sh->objs[i] = bslab_cache_alloc(job->cache, GFP_KERNEL);
		if (!sh->objs[i]) {
			job->bad++;
			continue;
		}
		handout_mark(sh->objs[i], sh->size);
		job->ops++;
		if (!(i % 64))
			cond_resched();
	}
	atomic_inc(&sh->allocated);
	while (!smp_load_acquire(&sh->go))	/* the shuffled array */
		cond_resched();

	for (i = first; i < last; i++) {
		if (!sh->objs[i])
			continue;
		if (!handout_marked(sh->objs[i], sh->size))
			job->bad++;
		bslab_cache_free(job->cache, sh->objs[i]);
		if (!(i % 64))
			cond_resched();
	}
	return 0;
}

/* What runs meanwhile: the reaper's tick, the cache's work (rescales). */
static void handout_tick(struct bslab_cache *cache)
{
	bslab_reap_tick(cache);
	flush_work(&cache->work);
	usleep_range(1000, 2000);
}

static void handout_two_cpus(struct kunit *test)
{
	const size_t size = *(const size_t *)test->param_value;
	struct tst_cpu_job *jobs = kunit_kzalloc(test, 2 * sizeof(*jobs),
						 GFP_KERNEL);
	struct handout_shared sh = { .n = handout_count(size), .size = size };
	struct bslab_cache *cache;
	u64 rescales;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, jobs);
	tst_need_two_cpus(test);
	cache = tst_cache(test, "t_handout2", size, 0, NULL, NULL, NULL, 0);
	sh.objs = tst_alloc_array(test, sh.n, sizeof(void *));
	rescales = tst_stat(cache, hash_rescale);
	for (i = 0; i < 2; i++) {
		jobs[i] = (struct tst_cpu_job){ .fn = handout_job,
			.cache = cache, .cpu = i, .shared = &sh };
		tst_job_start(test, &jobs[i]);
	}
	while (atomic_read(&sh.allocated) < 2)
		handout_tick(cache);
	KUNIT_EXPECT_EQ(test, jobs[0].ops + jobs[1].ops, sh.n);
	KUNIT_EXPECT_EQ(test, handout_dups(test, sh.objs, sh.n), 0);
	handout_verify(test, cache);
	handout_shuffle(sh.objs, sh.n, size);
	smp_store_release(&sh.go, true);	/* publishes the shuffle */

	while (!completion_done(&jobs[0].done) ||
	       !completion_done(&jobs[1].done))
		handout_tick(cache);
	/* the jobs may finish before a tick: the rescales they asked for */
	flush_work(&cache->work);
	KUNIT_EXPECT_EQ(test, jobs[0].bad + jobs[1].bad, 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_invalid), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
	KUNIT_EXPECT_GT(test, tst_stat(cache, hash_rescale), rescales);
	handout_verify(test, cache);
}

static struct kunit_case handout_cases[] = {
	KUNIT_CASE_PARAM(handout_one_cpu, handout_size_gen_params),
	KUNIT_CASE_PARAM(handout_two_cpus, handout_size_gen_params),
	{}
};

static struct kunit_suite handout_suite = {
	.name = "bslab_handout",
	.init = tst_init,
	.test_cases = handout_cases,
};

kunit_test_suite(handout_suite);
