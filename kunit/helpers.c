// SPDX-License-Identifier: GPL-2.0
/*
 * The helper library of the bslab_test module: what kunit/helpers.h
 * declares, shared by the KUnit suites (one file per layer or concern),
 * and the module's licence.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/fs.h>
#include <linux/kmsg_dump.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "helpers.h"
#include "kread.h"
#include "../mm/depot.h"

static void cache_destroy_action(void *cache)
{
	bslab_cache_destroy(cache);
}

/**
 * tst_cache_owned() - create a cache that is destroyed when @test ends
 * @test: the test
 * @name: cache name
 * @size: object size
 * @args: the optional arguments, or NULL
 * @flags: BSLAB_* flags
 * @owner: the module the cache is recorded as created by
 *
 * Every cache a test makes comes from here (tst_cache(), tst_cache_args())
 * or, when the test is of a create call itself, passes through
 * tst_cache_adopt(): so a failed assertion never leaks one.  The test
 * fails if the create does.
 *
 * Return: the cache.
 */
struct bslab_cache *tst_cache_owned(struct kunit *test, const char *name,
				    size_t size,
				    const struct bslab_cache_args *args,
				    unsigned int flags, struct module *owner)
{
	return tst_cache_adopt(test, __bslab_cache_create_args(name, size, args,
								flags, owner));
}

/**
 * tst_cache_adopt() - destroy a cache when @test ends
 * @test: the test
 * @cache: what a create returned (tests of the create calls themselves)
 *
 * Fails the test if @cache is an error.
 *
 * Return: @cache.
 */
struct bslab_cache *tst_cache_adopt(struct kunit *test,
				    struct bslab_cache *cache)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, cache, "create: %ld",
					 PTR_ERR(cache));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   cache_destroy_action,
							   cache));
	return cache;
}

struct bslab_cache *tst_cache(struct kunit *test, const char *name,
			      size_t size, size_t align,
			      int (*ctor)(void *, void *, gfp_t),
			      void (*dtor)(void *, void *), void *priv,
			      unsigned int flags)
{
	const struct bslab_cache_args args = {
		.align = align, .ctor = ctor, .dtor = dtor, .priv = priv,
	};

	return tst_cache_args(test, name, size, &args, flags);
}

/*
 * Expect a create to have returned @err (0: a cache).  A cache it made is
 * destroyed at once (and with the test, should an assertion fail first),
 * so that its name is free again.
 */
void tst_expect_create(struct kunit *test, struct bslab_cache *cache,
		       int err, const char *what)
{
	KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(cache), err, "%s", what);
	if (!IS_ERR(cache))
		tst_cache_destroy(test, tst_cache_adopt(test, cache));
}

/* Destroy a cache of tst_cache_owned() now rather than when the test ends. */
void tst_cache_destroy(struct kunit *test, struct bslab_cache *cache)
{
	kunit_release_action(test, cache_destroy_action, cache);
}

/* Something else destroyed the cache (the module notifier): do not again. */
void tst_cache_forget(struct kunit *test, struct bslab_cache *cache)
{
	kunit_remove_action(test, cache_destroy_action, cache);
}

/* Every suite's .init: test->priv is a zeroed struct tst_calls. */
static void tst_unpin(void *unused);

/*
 * Every case starts on CPU 0 (tst_pin() moves it): on a NUMA guest a task
 * that moves between CPUs moves between nodes, and the slabs and magazines
 * its allocations come from with it, so a case that counts slabs or
 * magazines would count by where the scheduler put it.
 */
int tst_init(struct kunit *test)
{
	int err;

	test->priv = kunit_kzalloc(test, sizeof(struct tst_calls), GFP_KERNEL);
	if (!test->priv)
		return -ENOMEM;
	err = set_cpus_allowed_ptr(current, cpumask_of(0));
	if (err)
		return err;
	return kunit_add_action_or_reset(test, tst_unpin, NULL);
}

/* Callbacks that count into the struct tst_calls given as their priv. */
int tst_count_ctor(void *obj, void *priv, gfp_t gfp)
{
	struct tst_calls *calls = priv;

	if (calls->ctor_limit &&
	    atomic_read(&calls->ctor) >= calls->ctor_limit) {
		atomic_inc(&calls->ctor_failed);
		return -ENOMEM;
	}
	atomic_inc(&calls->ctor);
	return 0;
}

void tst_count_dtor(void *obj, void *priv)
{
	struct tst_calls *calls = priv;

	atomic_inc(&calls->dtor);
	if (!preemptible() || in_interrupt())
		atomic_inc(&calls->dtor_atomic);
}

void tst_count_reclaim(void *priv)
{
	atomic_inc(&((struct tst_calls *)priv)->reclaim);
}

/* Allocate @n objects into @objs; fails the test if one cannot be had. */
void tst_alloc_into(struct kunit *test, struct bslab_cache *cache,
		    void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL_MSG(test, objs[i], "object %u of %u",
					  i, n);
	}
}

/* @n objects in a test array (freed with the test; the objects are not). */
void **tst_alloc_objs(struct kunit *test, struct bslab_cache *cache,
		      unsigned int n)
{
	void **objs = tst_alloc_array(test, n, sizeof(void *));

	tst_alloc_into(test, cache, objs, n);
	return objs;
}

/* One statistic, by offset: keeps the snapshot out of the caller's frame. */
u64 tst_stat_at(struct bslab_cache *cache, size_t offset)
{
	struct bslab_stats st;

	bslab_cache_stats(cache, &st);
	return *(u64 *)((char *)&st + offset);
}

/* Read a whole file (debugfs, procfs) into a NUL-terminated test buffer. */
char *tst_read_file(struct kunit *test, const char *path, size_t *len)
{
	size_t size = 256 * 1024;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	char *buf;

	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	f = filp_open(path, O_RDONLY, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(f), "open %s: %ld", path,
			       PTR_ERR(f));
	while ((n = bslab_kread(f, buf + pos, size - 1 - pos, &pos)) > 0)
		;
	filp_close(f, NULL);
	KUNIT_ASSERT_GE_MSG(test, n, 0, "read %s", path);
	KUNIT_ASSERT_LT(test, (size_t)pos, size - 1);
	buf[pos] = '\0';
	if (len)
		*len = pos;
	return buf;
}

/*
 * A pattern that names @tag in every byte of an object: word i holds
 * tag ^ (i * a large odd constant), a tail shorter than a word holds the
 * low bytes of the next such word.  Objects are at least 8-byte aligned.
 */
static inline u64 pattern_word(u64 tag, size_t i)
{
	return tag ^ ((i + 1) * 0x9e3779b97f4a7c15ULL);
}

void tst_fill(void *obj, size_t size, u64 tag)
{
	size_t i, words = size / 8;
	u64 *w = obj, last;

	for (i = 0; i < words; i++)
		w[i] = pattern_word(tag, i);
	last = pattern_word(tag, words);
	memcpy(&w[words], &last, size % 8);
}

bool tst_check(const void *obj, size_t size, u64 tag)
{
	size_t i, words = size / 8;
	const u64 *w = obj;
	u64 last;

	for (i = 0; i < words; i++)
		if (w[i] != pattern_word(tag, i))
			return false;
	last = pattern_word(tag, words);
	return !memcmp(&w[words], &last, size % 8);
}

/* Is @cache on bslab's dead list (destroyed, kept for its objects)? */
bool tst_dead_listed(struct bslab_cache *cache)
{
	struct bslab_cache *cp;
	bool found = false;

	mutex_lock(&bslab_setup_mutex);
	list_for_each_entry(cp, &bslab_dead_caches, caches)
		found |= cp == cache;
	mutex_unlock(&bslab_setup_mutex);
	return found;
}

/*
 * Wait for a dead cache's work to free it: up to ten seconds, as the
 * other waits of the suites (a workqueue of a debug kernel under TCG, on a
 * busy machine, can take more than a second to run an item).
 */
bool tst_dead_released(struct bslab_cache *cache)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (!tst_dead_listed(cache))
			return true;
		msleep(20);
	}
	return false;
}

/* Where the kernel log ends now: lines after it are "since" the mark. */
u64 tst_log_mark(void)
{
	struct kmsg_dump_iter iter;

	kmsg_dump_rewind(&iter);
	return iter.next_seq;
}

/* How many lines logged since @mark contain @want. */
static unsigned int log_count(u64 mark, const char *want)
{
	struct kmsg_dump_iter iter;
	unsigned int found = 0;
	char *line;
	size_t len;

	line = kmalloc(1024, GFP_KERNEL);
	if (!want || !line)
		goto out;
	kmsg_dump_rewind(&iter);
	iter.cur_seq = max(iter.cur_seq, mark);
	while (kmsg_dump_get_line(&iter, false, line, 1023, &len)) {
		line[len] = '\0';
		/* an announcement is not the report it announces */
		if (strstr(line, want) && !strstr(line, "BSLAB-EXPECT: "))
			found++;
	}
out:
	kfree(line);
	return found;
}

/*
 * How many lines containing the formatted text has the kernel logged since
 * @mark?  (The way kfence_test's report_matches() reads the console, but
 * from the printk ring buffer, which needs no tracepoint.)
 */
unsigned int tst_log_count(u64 mark, const char *fmt, ...)
{
	unsigned int n;
	va_list ap;
	char *want;

	va_start(ap, fmt);
	want = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	n = log_count(mark, want);
	kfree(want);
	return n;
}

static int report_sink_init(struct kunit_resource *res, void *any_task)
{
	struct bslab_report_sink *sink = kzalloc(sizeof(*sink), GFP_KERNEL);
	int err;

	if (!sink)
		return -ENOMEM;
	sink->task = current;
	sink->any_task = any_task;
	err = bslab_report_sink_set(sink);
	if (err) {
		kfree(sink);
		return err;
	}
	res->data = sink;
	return 0;
}

/* The test whose sink is set, and the sink: one test runs at a time. */
static struct kunit *sink_test;
static struct bslab_report_sink *sink_now;

static void report_sink_free(struct kunit_resource *res)
{
	bslab_report_sink_set(NULL);
	sink_test = NULL;
	sink_now = NULL;
	kfree(res->data);
}

/*
 * Count, inside the test, the bslab reports the test's task (@any_task:
 * any task, for a report a worker or a client thread makes) provokes from
 * now until the test ends, as lib/slub_kunit.c counts SLUB's:
 * they are printed as counted (the log judge does not see them as bugs)
 * and the test asserts how many came (tst_reports()).  Every bslab report
 * a test did not count fails the run.  Called again in the same test, it
 * starts counting again from 0.
 */
struct bslab_report_sink *tst_count_reports(struct kunit *test, bool any_task)
{
	struct bslab_report_sink *sink;

	if (sink_test == test) {
		WRITE_ONCE(sink_now->any_task, any_task);
		atomic_set(&sink_now->reports, 0);
		return sink_now;
	}
	sink = kunit_alloc_resource(test, report_sink_init, report_sink_free,
				    GFP_KERNEL, any_task ? (void *)1 : NULL);
	KUNIT_ASSERT_NOT_NULL(test, sink);
	sink_test = test;
	sink_now = sink;
	return sink;
}

/* How many reports @sink has counted. */
unsigned int tst_reports(struct bslab_report_sink *sink)
{
	return atomic_read(&sink->reports);
}

/*
 * Announce a report of the kernel's own (KASAN's, lockdep's) that the test
 * is about to provoke, which no test can count: the log judge
 * (scripts/kunit_results.py) forgives the next report line containing the
 * formatted text, once, and fails the run if it never comes.  bslab's own
 * reports are counted inside the test instead (tst_count_reports()).
 */
void tst_expect_report(const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	pr_info("BSLAB-EXPECT: %s\n", text ?: "(no memory)");
	kfree(text);
}

/* Write @val to a file the way an admin would: 0 or the write's -errno. */
int tst_write_file(const char *path, const char *val)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

/* Write one of bslab's module parameters. */
int tst_write_param(const char *name, const char *val)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/module/bslab/parameters/%s", name);
	return tst_write_file(path, val);
}

static void depot_limit_restore(void *was)
{
	tst_write_param("depot_limit_kb", was);
}

/*
 * Set the depot's bound (depot_limit_kb, KiB a possible CPU) for one
 * test; the old value comes back after the test.
 */
void tst_depot_limit(struct kunit *test, unsigned int kb)
{
	char *was = kunit_kzalloc(test, 24, GFP_KERNEL);
	char val[16];

	KUNIT_ASSERT_NOT_NULL(test, was);
	snprintf(was, 24, "%lu", bslab_depot_limit() / SZ_1K / num_possible_cpus());
	snprintf(val, sizeof(val), "%u", kb);
	KUNIT_ASSERT_EQ(test, tst_write_param("depot_limit_kb", val), 0);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, depot_limit_restore,
							   was));
}

/*
 * Lift the depot's bound (depot_limit_kb=0) for one test, which builds a
 * depot deeper than the bound allows on some boots (it scales with the
 * possible CPUs).
 */
void tst_depot_unbounded(struct kunit *test)
{
	tst_depot_limit(test, 0);
}

/* echo 2 > /proc/sys/vm/drop_caches: the kernel's shrinkers, bslab's too. */
void tst_drop_caches(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tst_write_file("/proc/sys/vm/drop_caches", "2\n"),
			0);
}

static void tst_unpin(void *unused)
{
	set_cpus_allowed_ptr(current, cpu_possible_mask);
}

/* Keep the test on @cpu, so that every operation sees the same magazines. */
void tst_pin(struct kunit *test, unsigned int cpu)
{
	KUNIT_ASSERT_TRUE(test, cpu_online(cpu));
	KUNIT_ASSERT_EQ(test, 0, set_cpus_allowed_ptr(current,
						      cpumask_of(cpu)));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, tst_unpin, NULL));
}

void tst_need_two_cpus(struct kunit *test)
{
	KUNIT_ASSERT_GE_MSG(test, num_online_cpus(), 2,
			    "the test kernel boots with -smp 2");
}

/* A struct tst_cpu_job runs its function in a kthread bound to its CPU. */
static int tst_job_thread(void *arg)
{
	struct tst_cpu_job *job = arg;

	job->fn(job);
	complete(&job->done);
	return 0;
}

void tst_job_start(struct kunit *test, struct tst_cpu_job *job)
{
	struct task_struct *t;

	init_completion(&job->done);
	t = kthread_create(tst_job_thread, job, "bslab_test/%u", job->cpu);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, job->cpu);
	wake_up_process(t);
}

static void vfree_action(void *p)
{
	vfree(p);
}

/* A zeroed array for the test's bookkeeping, freed when the test ends. */
void *tst_alloc_array(struct kunit *test, size_t n, size_t size)
{
	void *p = vzalloc(array_size(n, size));

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vfree_action,
							   p));
	return p;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for bslab");
BSLAB_IMPORT_INTERNAL();

/**
 * tst_churn() - a struct tst_cpu_job function: allocate and free in runs
 * @job: the job; its cache's objects are at least 128 bytes
 *
 * Runs of 32 objects, each filled with a pattern naming this CPU and the
 * operation, checked before it is freed: an object handed out twice, or
 * changed under its owner, counts in @job->bad, and so does a failed
 * allocation unless @job->may_fail.  Runs until @job->stop.
 *
 * Return: 0.
 */
int tst_churn(struct tst_cpu_job *job)
{
	const u64 cpu_tag = (u64)job->cpu << 32;
	void *objs[32];
	unsigned int i;

	while (!READ_ONCE(job->stop)) {
		for (i = 0; i < ARRAY_SIZE(objs); i++) {
			objs[i] = bslab_cache_alloc(job->cache, GFP_KERNEL);
			if (objs[i])
				tst_fill(objs[i], 128, cpu_tag | (job->ops + i));
			else if (!job->may_fail)
				job->bad++;
		}
		for (i = 0; i < ARRAY_SIZE(objs); i++) {
			if (!objs[i])
				continue;
			/* each object is ours alone until freed */
			if (!tst_check(objs[i], 128, cpu_tag | (job->ops + i)))
				job->bad++;
			bslab_cache_free(job->cache, objs[i]);
		}
		job->ops += ARRAY_SIZE(objs);
		cond_resched();
	}
	return 0;
}
