// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_test module: the KUnit suites of bslab (one file per concern) and
 * the helpers they share.
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
#include "../mm/kread.h"

static void cache_destroy_action(void *cache)
{
	bslab_cache_destroy(cache);
}

/* Create a cache that is destroyed when @test ends; fails the test on error. */
struct bslab_cache *tst_cache(struct kunit *test, const char *name,
			      size_t size, size_t align,
			      int (*ctor)(void *, void *, gfp_t),
			      void (*dtor)(void *, void *), void *priv,
			      unsigned int flags)
{
	struct bslab_cache *cache;

	cache = bslab_cache_create(name, size, align, ctor, dtor, NULL, priv,
				   flags);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cache);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   cache_destroy_action,
							   cache));
	return cache;
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

/* Wait (up to a second) for a dead cache's work to free it. */
bool tst_dead_released(struct bslab_cache *cache)
{
	int i;

	for (i = 0; i < 50; i++) {
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

/*
 * Did the kernel log a line containing the formatted text since @mark?
 * (The way kfence_test's report_matches() reads the console, but from the
 * printk ring buffer, which needs no tracepoint.)
 */
bool tst_logged(u64 mark, const char *fmt, ...)
{
	struct kmsg_dump_iter iter;
	bool found = false;
	char *want, *line;
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	want = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	line = kmalloc(1024, GFP_KERNEL);
	if (!want || !line)
		goto out;
	kmsg_dump_rewind(&iter);
	iter.cur_seq = max(iter.cur_seq, mark);
	while (!found &&
	       kmsg_dump_get_line(&iter, false, line, 1023, &len)) {
		line[len] = '\0';
		found = strstr(line, want);
	}
out:
	kfree(line);
	kfree(want);
	return found;
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
