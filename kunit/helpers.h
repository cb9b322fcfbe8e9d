/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by bslab's KUnit suites: caches that are destroyed when the
 * test ends (even if it fails half-way), each test's state in test->priv
 * with callbacks that count into it, stats snapshots, a reproducible PRNG,
 * object patterns and reading a file the way a user would.
 */
#ifndef _BSLAB_KUNIT_HELPERS_H
#define _BSLAB_KUNIT_HELPERS_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kasan.h>
#include <bslab.h>
#include "../mm/internal.h"
#include "../mm/debug.h"
#include "compat.h"

struct bslab_cache *tst_cache_owned(struct kunit *test, const char *name,
				    size_t size,
				    const struct bslab_cache_args *args,
				    unsigned int flags, struct module *owner);
struct bslab_cache *tst_cache_adopt(struct kunit *test,
				    struct bslab_cache *cache);
#define tst_cache_args(test, name, size, args, flags) \
	tst_cache_owned(test, name, size, args, flags, THIS_MODULE)
struct bslab_cache *tst_cache(struct kunit *test, const char *name,
			      size_t size, size_t align,
			      int (*ctor)(void *, void *, gfp_t),
			      void (*dtor)(void *, void *), void *priv,
			      unsigned int flags);
void tst_cache_destroy(struct kunit *test, struct bslab_cache *cache);
void tst_expect_create(struct kunit *test, struct bslab_cache *cache,
		       int err, const char *what);
void tst_cache_forget(struct kunit *test, struct bslab_cache *cache);

/*
 * Each test's state (test->priv, from tst_init(), every suite's .init):
 * what the counting callbacks saw when given it as their priv.
 */
struct tst_calls {
	atomic_t ctor;
	atomic_t ctor_failed;
	atomic_t dtor;
	atomic_t dtor_atomic;	/* destructors run where they may not sleep */
	atomic_t reclaim;
	int ctor_limit;		/* > 0: constructor calls after that many fail */
};

int tst_init(struct kunit *test);
static inline struct tst_calls *tst_calls(struct kunit *test)
{
	return test->priv;
}

int tst_count_ctor(void *obj, void *priv, gfp_t gfp);
void tst_count_dtor(void *obj, void *priv);
void tst_count_reclaim(void *priv);
void tst_alloc_into(struct kunit *test, struct bslab_cache *cache,
		    void **objs, unsigned int n);
void **tst_alloc_objs(struct kunit *test, struct bslab_cache *cache,
		      unsigned int n);
u64 tst_stat_at(struct bslab_cache *cache, size_t offset);
#define tst_stat(cache, field) \
	tst_stat_at(cache, offsetof(struct bslab_stats, field))
/* bslab's debugfs directory, for tst_read_file() and tst_write_file() */
#define DEBUGFS "/sys/kernel/debug/bslab/"
char *tst_read_file(struct kunit *test, const char *path, size_t *len);
void tst_fill(void *obj, size_t size, u64 tag);
bool tst_check(const void *obj, size_t size, u64 tag);
void *tst_alloc_array(struct kunit *test, size_t n, size_t size);
bool tst_dead_listed(struct bslab_cache *cache);
/* A function run in a kthread bound to one CPU. */
struct tst_cpu_job {
	int (*fn)(struct tst_cpu_job *job);
	struct bslab_cache *cache;
	unsigned int cpu;
	unsigned long deadline;
	struct completion done;
	bool stop;
	void *shared;
	unsigned long bad;
	unsigned long ops;
	bool may_fail;		/* tst_churn(): a failed allocation is not bad */
};

int tst_churn(struct tst_cpu_job *job);

int tst_write_file(const char *path, const char *val);
int tst_write_param(const char *name, const char *val);
void tst_depot_limit(struct kunit *test, unsigned int kb);
void tst_depot_unbounded(struct kunit *test);
void tst_drop_caches(struct kunit *test);
void tst_pin(struct kunit *test, unsigned int cpu);
void tst_need_two_cpus(struct kunit *test);
void tst_job_start(struct kunit *test, struct tst_cpu_job *job);
u64 tst_log_mark(void);
__printf(2, 3) unsigned int tst_log_count(u64 mark, const char *fmt, ...);
#define tst_logged(mark, ...) (tst_log_count(mark, __VA_ARGS__) > 0)
/* Was a free of @obj into the cache @name refused and reported once, for @why? */
#define tst_refused(mark, name, obj, why) \
	(tst_log_count(mark, "BUG %s: invalid free of %p: %s", name, obj, why) == 1)
__printf(1, 2) void tst_expect_report(const char *fmt, ...);
struct bslab_report_sink *tst_count_reports(struct kunit *test, bool any_task);
unsigned int tst_reports(struct bslab_report_sink *sink);
bool tst_dead_released(struct bslab_cache *cache);

/* xorshift64*: a fixed seed makes every run draw the same numbers. */
static inline u64 tst_rand(u64 *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1DULL;
}

static inline u32 tst_below(u64 *state, u32 n)
{
	return (u32)((tst_rand(state) >> 32) % n);
}

#endif
