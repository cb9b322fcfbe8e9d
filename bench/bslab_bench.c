// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_bench: bslab against the kernel's own slab allocator (SLUB), side
 * by side in one boot.  Not a test: it measures and prints, and
 * scripts/bench_report.py turns what it prints into build/bench/results.json
 * and a table.
 *
 * Method: each workload runs for bslab and for kmem_cache_*() with the same
 * object size and alignment, no constructor and no merging (SLAB_NO_MERGE),
 * after one warm-up run of each, then `reps` times interleaved
 * bslab/SLUB/bslab/SLUB..., and the median, minimum and maximum of each
 * side are reported per operation.  The loops are written once and
 * specialised for each allocator at compile time (a constant argument to an
 * always-inline function), so neither side pays for an indirect call.
 *
 * mode=single runs the one-CPU workloads (W1 hot pair, W2 batch, W3 bulk,
 * W6 large objects, W7 cold with magazines and W7b without, W8 memory,
 * W13 memory that comes back, W10 floor); under QEMU's -icount shift=0 the guest clock advances one
 * nanosecond per instruction, so ktime_get_ns() differences are
 * instruction counts.  mode=hot runs W1 alone (make bench boots the tuned
 * kernel once more with bslab's free check on, to show what it costs).
 * mode=smp runs the two-CPU workloads (W4 cross-CPU, W5 concurrent) on
 * wall time.  mode=numa runs W9 on a guest of two NUMA nodes, a CPU each,
 * under -icount (local, remote free, alloc_node of the other node,
 * locality).
 *
 * Each result is one line: "BSLAB-BENCH key=value ...".
 */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <bslab.h>

#include "../mm/internal.h"
#include "../mm/depot.h"
#include "../kunit/compat.h"
#include "../kunit/kread.h"

static unsigned int reps = 15;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "measured repetitions of each workload (default 15)");

static char *mode = "single";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "single: one-CPU workloads; hot: W1 alone; smp: two-CPU workloads; numa: W9");

#define MAX_REPS	64
#define OPS_TARGET	20000	/* operations per repetition */

/* One object size, with a cache of each allocator. */
struct pair {
	size_t size;
	struct bslab_cache *b;
	struct kmem_cache *s;
};

static int pair_create(struct pair *p, const char *tag, size_t size,
		       unsigned int bflags)
{
	char name[BSLAB_NAME_MAX + 1];

	p->size = size;
	snprintf(name, sizeof(name), "bench_%s_%zu", tag, size);
	p->b = bslab_cache_create(name, size, 0, NULL, NULL, NULL, NULL,
				  bflags);
	if (IS_ERR(p->b))
		return PTR_ERR(p->b);
	snprintf(name, sizeof(name), "slub_%s_%zu", tag, size);
	p->s = kmem_cache_create(name, size, 0, BSLAB_SLUB_NO_MERGE, NULL);
	if (!p->s) {
		bslab_cache_destroy(p->b);
		return -ENOMEM;
	}
	return 0;
}

static void pair_destroy(struct pair *p)
{
	bslab_cache_destroy(p->b);
	kmem_cache_destroy(p->s);
}

static __always_inline void *obj_alloc(struct pair *p, bool slub)
{
	return slub ? kmem_cache_alloc(p->s, GFP_KERNEL) :
		      bslab_cache_alloc(p->b, GFP_KERNEL);
}

/* kmem_cache_zalloc(), and what <bslab_kmem.h> makes of it */
static __always_inline void *obj_zalloc(struct pair *p, bool slub)
{
	return slub ? kmem_cache_zalloc(p->s, GFP_KERNEL) :
		      bslab_cache_alloc(p->b, GFP_KERNEL | __GFP_ZERO);
}

static __always_inline void obj_free(struct pair *p, bool slub, void *obj)
{
	if (slub)
		kmem_cache_free(p->s, obj);
	else
		bslab_cache_free(p->b, obj);
}

/* ---- the loops, one per workload ---- */

struct job {
	struct pair *p;
	unsigned int n;		/* objects per batch / window */
	unsigned int rounds;	/* batches per repetition */
	void **objs;
	const u32 *order;	/* free order for shuffled batches, or NULL */
};

/* W1: allocate (@zero: zeroed), free */
static __always_inline u64 loop_pair(struct job *j, bool slub, bool zero)
{
	u64 t = ktime_get_ns();
	unsigned int i;
	void *obj;

	for (i = 0; i < j->rounds; i++) {
		obj = zero ? obj_zalloc(j->p, slub) : obj_alloc(j->p, slub);
		obj_free(j->p, slub, obj);
	}
	return ktime_get_ns() - t;
}

static __always_inline u64 loop_batch(struct job *j, bool slub)
{
	u64 t = ktime_get_ns();
	unsigned int r, i;

	for (r = 0; r < j->rounds; r++) {
		for (i = 0; i < j->n; i++)
			j->objs[i] = obj_alloc(j->p, slub);
		for (i = 0; i < j->n; i++)
			obj_free(j->p, slub,
				 j->objs[j->order ? j->order[i] : i]);
	}
	return ktime_get_ns() - t;
}

static __always_inline u64 loop_bulk(struct job *j, bool slub)
{
	u64 t = ktime_get_ns();
	unsigned int r;

	for (r = 0; r < j->rounds; r++) {
		if (slub) {
			if (!kmem_cache_alloc_bulk(j->p->s, GFP_KERNEL, j->n,
						   j->objs))
				break;
			kmem_cache_free_bulk(j->p->s, j->n, j->objs);
		} else {
			if (!bslab_cache_alloc_bulk(j->p->b, GFP_KERNEL, j->n,
						    j->objs))
				break;
			bslab_cache_free_bulk(j->p->b, j->n, j->objs);
		}
	}
	return ktime_get_ns() - t;
}

/* A window of n live objects: each step frees the oldest, allocates anew. */
static __always_inline u64 loop_window(struct job *j, bool slub)
{
	unsigned int i;
	u64 t;

	for (i = 0; i < j->n; i++)
		j->objs[i] = obj_alloc(j->p, slub);
	t = ktime_get_ns();
	for (i = 0; i < j->rounds; i++) {
		obj_free(j->p, slub, j->objs[i % j->n]);
		j->objs[i % j->n] = obj_alloc(j->p, slub);
	}
	t = ktime_get_ns() - t;
	for (i = 0; i < j->n; i++)
		obj_free(j->p, slub, j->objs[i]);
	return t;
}

/* Cold: empty caches, so every allocation is served by new slabs. */
static __always_inline u64 loop_cold(struct job *j, bool slub)
{
	unsigned int i;
	u64 t;

	if (slub)
		kmem_cache_shrink(j->p->s);
	else
		bslab_cache_reap(j->p->b);
	t = ktime_get_ns();
	for (i = 0; i < j->n; i++)
		j->objs[i] = obj_alloc(j->p, slub);
	for (i = 0; i < j->n; i++)
		obj_free(j->p, slub, j->objs[i]);
	return ktime_get_ns() - t;
}

enum loop_kind { PAIR, ZERO_PAIR, BATCH, BULK, WINDOW, COLD };

static __always_inline u64 run(enum loop_kind k, struct job *j, bool slub)
{
	switch (k) {
	case PAIR:
		return loop_pair(j, slub, false);
	case ZERO_PAIR:
		return loop_pair(j, slub, true);
	case BATCH:
		return loop_batch(j, slub);
	case BULK:
		return loop_bulk(j, slub);
	case WINDOW:
		return loop_window(j, slub);
	default:
		return loop_cold(j, slub);
	}
}

/* One copy of every loop per allocator, each with its calls direct. */
static noinline u64 run_bslab(enum loop_kind k, struct job *j)
{
	return run(k, j, false);
}

static noinline u64 run_slub(enum loop_kind k, struct job *j)
{
	return run(k, j, true);
}

/* ---- measuring and reporting ---- */

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Per-operation median, min and max, in hundredths. */
struct summary {
	u64 med, min, max;
};

static struct summary summarize(u64 *t, unsigned int n, u64 ops)
{
	struct summary s;

	sort(t, n, sizeof(*t), cmp_u64, NULL);
	s.med = div64_u64(t[n / 2] * 100, ops);
	s.min = div64_u64(t[0] * 100, ops);
	s.max = div64_u64(t[n - 1] * 100, ops);
	return s;
}

static void print_pair_n(const char *workload, const char *variant,
			 size_t size, const char *unit, unsigned int n,
			 struct summary b, struct summary s)
{
	pr_info("BSLAB-BENCH workload=%s variant=%s size=%zu unit=%s reps=%u bslab=%llu.%02llu bslab_min=%llu.%02llu bslab_max=%llu.%02llu slub=%llu.%02llu slub_min=%llu.%02llu slub_max=%llu.%02llu\n",
		workload, variant, size, unit, n,
		b.med / 100, b.med % 100, b.min / 100, b.min % 100,
		b.max / 100, b.max % 100, s.med / 100, s.med % 100,
		s.min / 100, s.min % 100, s.max / 100, s.max % 100);
}

/* As print_pair_n(), for a workload of the module's reps repetitions. */
static void print_pair(const char *workload, const char *variant,
		       size_t size, const char *unit, struct summary b,
		       struct summary s)
{
	print_pair_n(workload, variant, size, unit, reps, b, s);
}

/* Warm up each side once, then alternate bslab and SLUB `reps` times. */
static void measure(const char *workload, const char *variant,
		    enum loop_kind k, struct job *j, u64 ops)
{
	u64 tb[MAX_REPS], ts[MAX_REPS];
	unsigned int r;

	run_bslab(k, j);
	run_slub(k, j);
	for (r = 0; r < reps; r++) {
		tb[r] = run_bslab(k, j);
		ts[r] = run_slub(k, j);
		cond_resched();
	}
	print_pair(workload, variant, j->p->size, "instructions",
		   summarize(tb, reps, ops), summarize(ts, reps, ops));
}

static u32 *shuffled(unsigned int n)
{
	u32 *order = vmalloc(array_size(n, sizeof(u32)));
	unsigned int i, k;

	if (!order)
		return NULL;
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		k = get_random_u32_below(i + 1);
		swap(order[i], order[k]);
	}
	return order;
}

/* ---- the one-CPU workloads ---- */

static int w1_hot_pair(void)
{
	static const size_t sizes[] = { 64, 192, 256, 1024 };
	struct pair p;
	struct job j = { .p = &p, .rounds = OPS_TARGET };
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		err = pair_create(&p, "w1", sizes[i], 0);
		if (err)
			return err;
		measure("W1", "hot_pair", PAIR, &j, OPS_TARGET);
		/* kmem_cache_zalloc(): ext4's journal heads, io_ends, ... */
		if (sizes[i] == 64 || sizes[i] == 256)
			measure("W1", "zero_pair", ZERO_PAIR, &j, OPS_TARGET);
		pair_destroy(&p);
	}
	return 0;
}

static int w2_batch(void)
{
	static const size_t sizes[] = { 64, 256 };
	static const unsigned int counts[] = { 8, 32, 256, 1000 };
	char variant[32];
	unsigned int s, c, shuffle;
	struct job j = {};
	struct pair p;
	int err;

	j.objs = vmalloc(array_size(1000, sizeof(void *)));
	if (!j.objs)
		return -ENOMEM;
	j.p = &p;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		err = pair_create(&p, "w2", sizes[s], 0);
		if (err)
			goto out;
		for (c = 0; c < ARRAY_SIZE(counts); c++) {
			for (shuffle = 0; shuffle < 2; shuffle++) {
				j.n = counts[c];
				j.rounds = max(1u, OPS_TARGET / (2 * j.n));
				j.order = shuffle ? shuffled(j.n) : NULL;
				if (shuffle && !j.order) {
					err = -ENOMEM;
					pair_destroy(&p);
					goto out;
				}
				snprintf(variant, sizeof(variant), "%s_n%u",
					 shuffle ? "shuffled" : "fifo", j.n);
				measure("W2", variant, BATCH, &j,
					2ULL * j.n * j.rounds);
				vfree(j.order);
			}
		}
		pair_destroy(&p);
	}
	err = 0;
out:
	vfree(j.objs);
	return err;
}

static int w3_bulk(void)
{
	static const unsigned int counts[] = { 16, 128 };
	void *objs[128];
	char variant[16];
	struct job j = { .objs = objs };
	struct pair p;
	unsigned int c;
	int err;

	err = pair_create(&p, "w3", 64, 0);
	if (err)
		return err;
	j.p = &p;
	for (c = 0; c < ARRAY_SIZE(counts); c++) {
		j.n = counts[c];
		j.rounds = max(1u, OPS_TARGET / (2 * j.n));
		snprintf(variant, sizeof(variant), "n%u", j.n);
		measure("W3", variant, BULK, &j, 2ULL * j.n * j.rounds);
	}
	pair_destroy(&p);
	return 0;
}

static int w6_large(void)
{
	static const size_t sizes[] = { 512, 2048, 4096, 16384 };
	struct job j = {};
	struct pair p;
	unsigned int s;
	int err = 0;

	j.p = &p;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		err = pair_create(&p, "w6", sizes[s], 0);
		if (err)
			return err;
		/* a live window of ten magazines' worth */
		j.n = 10 * bslab_magazine_size(p.b);
		j.objs = vmalloc(array_size(j.n, sizeof(void *)));
		if (!j.objs) {
			pair_destroy(&p);
			return -ENOMEM;
		}
		j.rounds = OPS_TARGET / 2;
		measure("W6", "window", WINDOW, &j, 2ULL * j.rounds);
		vfree(j.objs);
		pair_destroy(&p);
	}
	return 0;
}

static int w7_cold(void)
{
	static const size_t sizes[] = { 64, 1024 };
	struct job j = { .n = 1000 };
	struct pair p;
	unsigned int s;
	int err;

	j.objs = vmalloc(array_size(j.n, sizeof(void *)));
	if (!j.objs)
		return -ENOMEM;
	j.p = &p;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		/* W7: a cache as clients make them; W7b: without magazines */
		err = pair_create(&p, "w7", sizes[s], 0);
		if (err)
			break;
		measure("W7", "new_slabs", COLD, &j, 2ULL * j.n);
		pair_destroy(&p);
		err = pair_create(&p, "w7b", sizes[s], BSLAB_NOMAGAZINE);
		if (err)
			break;
		measure("W7b", "new_slabs_nomag", COLD, &j, 2ULL * j.n);
		pair_destroy(&p);
	}
	vfree(j.objs);
	return err;
}

/* ---- W8: memory ---- */

/* What /proc/slabinfo says of one SLUB cache. */
struct slub_info {
	unsigned long objs_per_slab, pages_per_slab, slabs;
};

/*
 * Pages SLUB holds for the cache @name, from /proc/slabinfo, filling @si;
 * with @prefix, for every cache whose name starts with @name (@si then
 * describes the last one).
 */
static long slabinfo_pages(const char *name, bool prefix,
			   struct slub_info *si)
{
	unsigned long active, num, objsize, perslab, pages, aslabs, nslabs;
	size_t size = 256 * 1024, len = strlen(name);
	char *buf, *line, *cursor, *tail;
	struct file *f;
	loff_t pos = 0;
	long ret = prefix ? 0 : -ENOENT;
	ssize_t n;

	buf = vzalloc(size);
	if (!buf)
		return -ENOMEM;
	f = filp_open("/proc/slabinfo", O_RDONLY, 0);
	if (IS_ERR(f)) {
		vfree(buf);
		return PTR_ERR(f);
	}
	while ((n = bslab_kread(f, buf + pos, size - 1 - pos, &pos)) > 0)
		;
	filp_close(f, NULL);
	cursor = buf;
	while ((line = strsep(&cursor, "\n"))) {
		if (strncmp(line, name, len) || (!prefix && line[len] != ' '))
			continue;
		tail = strstr(line, " : slabdata ");
		line = strchr(line + len, ' ');
		if (line && sscanf(line, "%lu %lu %lu %lu %lu", &active, &num,
				   &objsize, &perslab, &pages) == 5 && tail &&
		    sscanf(tail, " : slabdata %lu %lu", &aslabs, &nslabs) == 2) {
			ret = (ret < 0 ? 0 : ret) + nslabs * pages;
			si->objs_per_slab = perslab;
			si->pages_per_slab = pages;
			si->slabs = nslabs;
		}
		if (!prefix)
			break;
	}
	vfree(buf);
	return ret;
}

/* Pages SLUB holds for a cache, from /proc/slabinfo; fills @si. */
static long slub_pages(const char *name, struct slub_info *si)
{
	return slabinfo_pages(name, false, si);
}

/*
 * The bytes of bslab's off-slab bookkeeping, the descriptor caches (small
 * slabs' descriptors with their bits, large slabs' with their bufctls),
 * before a cache of the bench is made.
 */
struct meta_base {
	u64 bytes[BSLAB_DESC_CACHES];
};

/* Bytes of pages @cache holds (a stats struct off the callers' frames). */
static noinline u64 mem_total_of(struct bslab_cache *cache)
{
	struct bslab_stats st;

	bslab_cache_stats(cache, &st);
	return st.mem_total;
}

static void meta_base_take(struct meta_base *mb)
{
	unsigned int i;

	for (i = 0; i < BSLAB_DESC_CACHES; i++)
		mb->bytes[i] = mem_total_of(bslab_desc_caches[i]);
}

/* Bytes of off-slab bookkeeping made since @mb was taken. */
static u64 meta_bytes(const struct meta_base *mb)
{
	unsigned int i;
	u64 bytes = 0, now;

	for (i = 0; i < BSLAB_DESC_CACHES; i++) {
		now = mem_total_of(bslab_desc_caches[i]);
		bytes += now - min(now, mb->bytes[i]);
	}
	return bytes;
}

/* Pages bslab holds for a cache, with its share of off-slab bookkeeping. */
static u64 bslab_pages(struct bslab_cache *cache, const struct meta_base *mb)
{
	return DIV_ROUND_UP(mem_total_of(cache) + meta_bytes(mb), PAGE_SIZE);
}

/* Free what @bo and @so hold (NULL entries skipped). */
static void pair_empty(struct pair *p, void **bo, void **so, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		bslab_cache_free(p->b, bo[i]);
		if (so[i])
			kmem_cache_free(p->s, so[i]);
	}
}

/* @n objects of each allocator into @bo and @so: all, or none and -ENOMEM. */
static int pair_fill(struct pair *p, void **bo, void **so, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		bo[i] = bslab_cache_alloc(p->b, GFP_KERNEL);
		so[i] = kmem_cache_alloc(p->s, GFP_KERNEL);
		if (!bo[i] || !so[i]) {
			pair_empty(p, bo, so, i + 1);
			return -ENOMEM;
		}
	}
	return 0;
}

static int w8_memory(void)
{
	static const size_t sizes[] = {
		32, 64, 96, 128, 192, 200, 256, 512, 700, 1024, 2048, 4096,
	};
	const unsigned int n = 100000;
	void **bo = NULL, **so = NULL;
	u64 b_steady, b_reap;
	struct meta_base mb;
	long s_steady, s_reap;
	struct slub_info si = {};
	char name[BSLAB_NAME_MAX + 1];
	struct bslab_stats st;
	unsigned int s, i;
	struct pair p;
	u32 *order;
	int err = -ENOMEM;

	bo = vmalloc(array_size(n, sizeof(void *)));
	so = vmalloc(array_size(n, sizeof(void *)));
	order = shuffled(n);
	if (!bo || !so || !order)
		goto out;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		meta_base_take(&mb);
		err = pair_create(&p, "w8", sizes[s], 0);
		if (err)
			goto out;
		err = pair_fill(&p, bo, so, n);
		if (err) {
			pair_destroy(&p);
			goto out;
		}
		snprintf(name, sizeof(name), "slub_w8_%zu", sizes[s]);
		b_steady = bslab_pages(p.b, &mb);
		s_steady = slub_pages(name, &si);

		/* free 90% at random, then reap and shrink */
		for (i = 0; i < n / 10 * 9; i++) {
			bslab_cache_free(p.b, bo[order[i]]);
			kmem_cache_free(p.s, so[order[i]]);
			bo[order[i]] = NULL;
			so[order[i]] = NULL;
		}
		bslab_cache_reap(p.b);
		kmem_cache_shrink(p.s);
		b_reap = bslab_pages(p.b, &mb);
		bslab_cache_stats(p.b, &st);
		pr_info("BSLAB-BENCH workload=W8 variant=steady size=%zu unit=pages reps=1 bslab=%llu slub=%ld bslab_objs_per_slab=%llu bslab_pages_per_slab=%llu slub_objs_per_slab=%lu slub_pages_per_slab=%lu slub_slabs=%lu\n",
			sizes[s], b_steady, s_steady, st.buf_per_slab,
			st.slab_size / PAGE_SIZE, si.objs_per_slab,
			si.pages_per_slab, si.slabs);
		s_reap = slub_pages(name, &si);
		pr_info("BSLAB-BENCH workload=W8 variant=after_reap size=%zu unit=pages reps=1 bslab=%llu slub=%ld bslab_slabs=%llu slub_slabs=%lu\n",
			sizes[s], b_reap, s_reap,
			st.slab_full + st.slab_partial + st.slab_empty,
			si.slabs);
		pair_empty(&p, bo, so, n);
		pair_destroy(&p);
	}
	err = 0;
out:
	vfree(order);
	vfree(so);
	vfree(bo);
	return err;
}

/* ---- W13: memory that comes back ---- */

/* Write @val to the sysfs or proc file @path; 0 or -errno. */
static int write_file(const char *path, const char *val)
{
	struct file *f = filp_open(path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

#define W13_INTERVAL	15	/* seconds: reap_interval's default */
#define W13_MARGIN	2	/* seconds for a tick's work to be done */

/*
 * Fill 100,000 objects, free them all, and count the pages each allocator
 * still holds at once, after one reap interval and after two, with the
 * reaper at its default interval and nothing called explicitly.  SLUB
 * gives empty slabs back as frees empty them (beyond its per-node minimum
 * and per-CPU partial slabs); bslab's frees fill magazines, which the
 * reaper gives back within two seconds (every second it takes an idle
 * CPU's magazines and the depot's working-set surplus), and the depot's
 * bound steps down once an interval.  Under -icount
 * an idle guest's clock jumps to its next timer, so the waits cost little
 * host time.
 */
static int w13_comes_back(void)
{
	static const size_t sizes[] = { 64, 1024 };
	static const char *const when[] = { "freed", "one_interval",
					    "two_intervals" };
	const unsigned int n = 100000;
	char name[BSLAB_NAME_MAX + 1];
	void **bo = NULL, **so = NULL;
	struct slub_info si = {};
	struct meta_base mb;
	unsigned int s, k;
	u64 b[3];
	struct pair p;
	long sl[3];
	int err = -ENOMEM;

	bo = vmalloc(array_size(n, sizeof(void *)));
	so = vmalloc(array_size(n, sizeof(void *)));
	if (!bo || !so)
		goto out;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		meta_base_take(&mb);
		err = pair_create(&p, "w13", sizes[s], 0);
		if (err)
			goto out;
		err = pair_fill(&p, bo, so, n);
		if (!err) {
			pair_empty(&p, bo, so, n);
			err = write_file("/sys/module/bslab/parameters/reap_interval",
					 __stringify(W13_INTERVAL));
		}
		snprintf(name, sizeof(name), "slub_w13_%zu", sizes[s]);
		/* the reaper ticks W13_INTERVAL seconds after the write */
		for (k = 0; k < ARRAY_SIZE(when) && !err; k++) {
			if (k)
				ssleep(k == 1 ? W13_INTERVAL + W13_MARGIN :
					       W13_INTERVAL);
			b[k] = bslab_pages(p.b, &mb);
			sl[k] = slub_pages(name, &si);
		}
		write_file("/sys/module/bslab/parameters/reap_interval", "0");
		for (k = 0; k < ARRAY_SIZE(when) && !err; k++)
			pr_info("BSLAB-BENCH workload=W13 variant=%s size=%zu unit=pages reps=1 bslab=%llu slub=%ld\n",
				when[k], sizes[s], b[k], sl[k]);
		pair_destroy(&p);
		if (err)
			goto out;
	}
out:
	vfree(so);
	vfree(bo);
	return err;
}

/*
 * W13, the explicit calls: a reap of every cache, and destroy.  Caches of
 * RD_SIZES sizes, each given RD_OBJS objects and all of them back on every
 * CPU the mode has (so that a CPU layer, a depot and slabs hold them, as
 * in a system that ran), then, timed, bslab_cache_reap() of each against
 * SLUB's kmem_cache_shrink() of each; then again, destroy of each against
 * kmem_cache_destroy().  Per cache, median of the repetitions.  Guest time:
 * under -icount an idle wait (a grace period) counts, as the issue asks.
 */
static const size_t rd_sizes[] = { 32, 64, 96, 128, 192, 256, 512, 1024,
				   2048, 4096 };
#define RD_CACHES	ARRAY_SIZE(rd_sizes)
#define RD_OBJS		1000

struct rd_set {
	struct pair p[RD_CACHES];
	void **bo, **so;
	u64 rb[MAX_REPS], rs[MAX_REPS], db[MAX_REPS], ds[MAX_REPS];
};

static long rd_fill_free(void *arg)
{
	struct rd_set *rs = arg;
	unsigned int c;
	int err;

	for (c = 0; c < RD_CACHES; c++) {
		err = pair_fill(&rs->p[c], rs->bo, rs->so, RD_OBJS);
		if (err)
			return err;
		pair_empty(&rs->p[c], rs->bo, rs->so, RD_OBJS);
	}
	return 0;
}

/* RD_CACHES pairs, used on every online CPU; -errno if that failed. */
static int rd_make(struct rd_set *rs)
{
	unsigned int c, cpu;
	long err = 0;

	for (c = 0; c < RD_CACHES; c++) {
		err = pair_create(&rs->p[c], "rd", rd_sizes[c], 0);
		if (err) {
			while (c--)
				pair_destroy(&rs->p[c]);
			return err;
		}
	}
	for_each_online_cpu(cpu) {
		err = work_on_cpu(cpu, rd_fill_free, rs);
		if (err)
			break;
	}
	if (err)
		for (c = 0; c < RD_CACHES; c++)
			pair_destroy(&rs->p[c]);
	return err;
}

static int w13_reap_destroy(const char *unit, const char *guest_unit)
{
	struct rd_set *rs;
	u64 t;
	unsigned int c, r;
	int err = -ENOMEM;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return -ENOMEM;
	rs->bo = vmalloc(array_size(RD_OBJS, sizeof(void *)));
	rs->so = vmalloc(array_size(RD_OBJS, sizeof(void *)));
	if (!rs->bo || !rs->so)
		goto out;
	for (r = 0; r < reps; r++) {
		err = rd_make(rs);
		if (err)
			goto out;
		t = ktime_get_ns();
		for (c = 0; c < RD_CACHES; c++)
			bslab_cache_reap(rs->p[c].b);
		rs->rb[r] = ktime_get_ns() - t;
		t = ktime_get_ns();
		for (c = 0; c < RD_CACHES; c++)
			kmem_cache_shrink(rs->p[c].s);
		rs->rs[r] = ktime_get_ns() - t;
		for (c = 0; c < RD_CACHES; c++)
			pair_destroy(&rs->p[c]);

		err = rd_make(rs);
		if (err)
			goto out;
		/*
		 * Each side starts with no RCU callback queued: SLUB's
		 * destroy waits for every kfree_rcu() queued before it
		 * (kvfree_rcu_barrier()), bslab's destroy queues one.
		 */
		rcu_barrier();
		t = ktime_get_ns();
		for (c = 0; c < RD_CACHES; c++)
			bslab_cache_destroy(rs->p[c].b);
		rs->db[r] = ktime_get_ns() - t;
		rcu_barrier();
		t = ktime_get_ns();
		for (c = 0; c < RD_CACHES; c++)
			kmem_cache_destroy(rs->p[c].s);
		rs->ds[r] = ktime_get_ns() - t;
		cond_resched();
	}
	print_pair("W13", "reap_all", 0, unit,
		   summarize(rs->rb, reps, RD_CACHES),
		   summarize(rs->rs, reps, RD_CACHES));
	print_pair("W13", "destroy", 0, guest_unit,
		   summarize(rs->db, reps, RD_CACHES),
		   summarize(rs->ds, reps, RD_CACHES));
out:
	vfree(rs->so);
	vfree(rs->bo);
	kfree(rs);
	return err;
}

static int w13_reap_destroy_single(void)
{
	return w13_reap_destroy("instructions", "guest_ns");
}

/* ---- W11: a real workload's allocations, replayed ---- */

/*
 * bench/w11.replay.xz, made by scripts/w11_record.sh and unpacked by
 * bench.sh into the initramfs: the kernel's kmem tracepoints while busybox
 * churned a tmpfs, cut down to caches and events.  All little-endian:
 *
 *   struct w11_head, then ncaches struct w11_cache, then nevents u32
 *   events: bit 31 free (else alloc), bits 24-30 the cache, bits 0-23 the
 *   slot (the object's place in that cache's array).
 *
 * The workload's own phases: events [0, growth_end) build a tree of files
 * (growth), [growth_end, steady_end) work on it (steady), [steady_end,
 * nevents) remove it, and then free what the trace left live (teardown).
 */
#define W11_PATH	"/lib/bslab/w11.replay"
#define W11_MAGIC	"BSLABW11"
#define W11_VERSION	1
#define W11_FREE	BIT(31)
#define W11_CACHE(e)	(((e) >> 24) & 0x7f)
#define W11_SLOT(e)	((e) & 0xffffff)
#define W11_REPS	5	/* -icount repeats exactly: five say so */

struct w11_head {
	char magic[8];
	__le32 version, ncaches, nevents, growth_end, steady_end;
};

struct w11_cache {
	__le32 size, slots;
	char name[24];
};

struct w11 {
	const struct w11_head *head;
	const struct w11_cache *caches;
	const __le32 *ev;
	u32 ncaches, nevents, growth_end, steady_end;
	struct bslab_cache *b[128];
	struct kmem_cache *s[128];
	void ***slots;			/* per cache, an array of its slots */
	unsigned long nulls;
};

/* The replay file into a vmalloc()ed buffer (*@size bytes); NULL if absent. */
static void *w11_read(size_t *size)
{
	struct file *f = filp_open(W11_PATH, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;
	void *buf;

	if (IS_ERR(f))
		return NULL;
	*size = i_size_read(file_inode(f));
	buf = vmalloc(*size ?: 1);
	while (buf && pos < *size &&
	       (n = bslab_kread(f, buf + pos, *size - pos, &pos)) > 0)
		;
	filp_close(f, NULL);
	if (buf && pos != *size) {
		vfree(buf);
		buf = NULL;
	}
	return buf;
}

/* Check every field and event against the file's own bounds. */
static int w11_parse(struct w11 *w, const void *buf, size_t size)
{
	const struct w11_head *h = buf;
	u32 i, e, c;

	if (size < sizeof(*h) || memcmp(h->magic, W11_MAGIC, 8) ||
	    le32_to_cpu(h->version) != W11_VERSION)
		return -EINVAL;
	w->head = h;
	w->ncaches = le32_to_cpu(h->ncaches);
	w->nevents = le32_to_cpu(h->nevents);
	w->growth_end = le32_to_cpu(h->growth_end);
	w->steady_end = le32_to_cpu(h->steady_end);
	if (!w->ncaches || w->ncaches > ARRAY_SIZE(w->b) ||
	    w->growth_end > w->steady_end || w->steady_end > w->nevents ||
	    size != sizeof(*h) + w->ncaches * sizeof(struct w11_cache) +
		    (size_t)w->nevents * sizeof(u32))
		return -EINVAL;
	w->caches = buf + sizeof(*h);
	w->ev = (const __le32 *)(w->caches + w->ncaches);
	for (c = 0; c < w->ncaches; c++) {
		if (!le32_to_cpu(w->caches[c].size) ||
		    le32_to_cpu(w->caches[c].size) > BSLAB_ALLOC_MAX ||
		    le32_to_cpu(w->caches[c].slots) > W11_SLOT(~0u) + 1 ||
		    !memchr(w->caches[c].name, 0, sizeof(w->caches[c].name)))
			return -EINVAL;
	}
	for (i = 0; i < w->nevents; i++) {
		e = le32_to_cpu(w->ev[i]);
		if (W11_CACHE(e) >= w->ncaches ||
		    W11_SLOT(e) >= le32_to_cpu(w->caches[W11_CACHE(e)].slots))
			return -EINVAL;
	}
	return 0;
}

/* Events [@from, @to) on one allocator; the time they took. */
static __always_inline u64 w11_run(struct w11 *w, bool slub, u32 from, u32 to)
{
	u64 t0 = ktime_get_ns();
	void **slot;
	u32 i, e;

	for (i = from; i < to; i++) {
		e = le32_to_cpu(w->ev[i]);
		slot = &w->slots[W11_CACHE(e)][W11_SLOT(e)];
		if (e & W11_FREE) {
			if (slub)
				kmem_cache_free(w->s[W11_CACHE(e)], *slot);
			else
				bslab_cache_free(w->b[W11_CACHE(e)], *slot);
			*slot = NULL;
		} else {
			*slot = slub ? kmem_cache_alloc(w->s[W11_CACHE(e)],
							GFP_KERNEL) :
				       bslab_cache_alloc(w->b[W11_CACHE(e)],
							 GFP_KERNEL);
			w->nulls += !*slot;
		}
	}
	return ktime_get_ns() - t0;
}

static noinline u64 w11_run_bslab(struct w11 *w, u32 from, u32 to)
{
	return w11_run(w, false, from, to);
}

static noinline u64 w11_run_slub(struct w11 *w, u32 from, u32 to)
{
	return w11_run(w, true, from, to);
}

static void w11_destroy(struct w11 *w, bool slub)
{
	u32 c;

	for (c = 0; c < w->ncaches; c++) {
		if (slub && w->s[c])
			kmem_cache_destroy(w->s[c]);
		else if (!slub && w->b[c])
			bslab_cache_destroy(w->b[c]);
		w->s[c] = NULL;
		w->b[c] = NULL;
	}
}

static int w11_create(struct w11 *w, bool slub)
{
	char name[BSLAB_NAME_MAX + 1];
	size_t size;
	u32 c;

	for (c = 0; c < w->ncaches; c++) {
		size = le32_to_cpu(w->caches[c].size);
		snprintf(name, sizeof(name), "%s_w11_%u", slub ? "slub" : "bench",
			 c);
		if (slub) {
			w->s[c] = kmem_cache_create(name, size, 0,
						    BSLAB_SLUB_NO_MERGE, NULL);
			if (!w->s[c])
				goto fail;
		} else {
			w->b[c] = bslab_cache_create(name, size, 0, NULL, NULL,
						     NULL, NULL, 0);
			if (IS_ERR(w->b[c])) {
				w->b[c] = NULL;
				goto fail;
			}
		}
	}
	return 0;
fail:
	w11_destroy(w, slub);
	return -ENOMEM;
}

/* Pages the W11 caches hold, with bslab's share of off-slab bookkeeping. */
static u64 w11_bslab_pages(struct w11 *w, const struct meta_base *mb)
{
	u64 bytes = 0;
	u32 c;

	for (c = 0; c < w->ncaches; c++)
		bytes += mem_total_of(w->b[c]);
	return DIV_ROUND_UP(bytes + meta_bytes(mb), PAGE_SIZE);
}

/* Pages one allocator's W11 caches hold now. */
static long w11_pages(struct w11 *w, bool slub, const struct meta_base *mb)
{
	struct slub_info si = {};

	return slub ? slabinfo_pages("slub_w11_", true, &si) :
		      w11_bslab_pages(w, mb);
}

/*
 * One replay on one allocator, caches made for it and destroyed after:
 * the phases' times into @t, and the pages held at the peak: the more of
 * those at the ends of the growth and the steady phases (the tree built;
 * the work on it done).  Return: 0, or -errno.
 */
static int w11_once(struct w11 *w, bool slub, u64 t[3], long *peak)
{
	struct meta_base mb;
	u64 (*run)(struct w11 *w, u32 from, u32 to) =
		slub ? w11_run_slub : w11_run_bslab;
	int err;

	meta_base_take(&mb);
	err = w11_create(w, slub);
	if (err)
		return err;
	t[0] = run(w, 0, w->growth_end);
	*peak = w11_pages(w, slub, &mb);
	t[1] = run(w, w->growth_end, w->steady_end);
	*peak = max(*peak, w11_pages(w, slub, &mb));
	t[2] = run(w, w->steady_end, w->nevents);
	w11_destroy(w, slub);
	return 0;
}

static int w11_replay(void)
{
	static const char *const phase[] = { "growth", "steady", "teardown" };
	u64 tt[2][4][W11_REPS], t[3], ops[4];
	long tpeak[2] = {}, peak;
	struct w11 *w = NULL;
	unsigned int r, k, slub;
	size_t size, n = 0;
	void *buf;
	u32 c;
	int err;

	buf = w11_read(&size);
	if (!buf) {
		pr_info("bslab_bench: no %s: W11 not run\n", W11_PATH);
		return 0;
	}
	err = -ENOMEM;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		goto out;
	err = w11_parse(w, buf, size);
	if (err) {
		pr_err("bslab_bench: %s is not a W11 replay (version %u)\n",
		       W11_PATH, W11_VERSION);
		goto out;
	}
	err = -ENOMEM;
	w->slots = kcalloc(w->ncaches, sizeof(*w->slots), GFP_KERNEL);
	if (!w->slots)
		goto out;
	for (c = 0; c < w->ncaches; c++) {
		n += le32_to_cpu(w->caches[c].slots);
		w->slots[c] = vzalloc(array_size(le32_to_cpu(w->caches[c].slots),
						 sizeof(void *)) ?: 1);
		if (!w->slots[c])
			goto out;
	}
	for (r = 0; r < W11_REPS; r++) {
		for (slub = 0; slub < 2; slub++) {	/* bslab, then SLUB */
			err = w11_once(w, slub, t, &peak);
			if (err)
				goto out;
			for (k = 0; k < 3; k++)
				tt[slub][k][r] = t[k];
			tt[slub][3][r] = t[0] + t[1] + t[2];
			tpeak[slub] = max(tpeak[slub], peak);
		}
		cond_resched();
	}
	if (w->nulls) {
		pr_err("bslab_bench: W11: %lu allocations failed\n", w->nulls);
		err = -ENOMEM;
		goto out;
	}
	ops[0] = w->growth_end;
	ops[1] = w->steady_end - w->growth_end;
	ops[2] = w->nevents - w->steady_end;
	ops[3] = w->nevents;
	pr_info("BSLAB-BENCH-INFO W11: %u events, %u caches, %zu slots\n",
		w->nevents, w->ncaches, n);
	for (k = 0; k < 4; k++) {
		if (!ops[k])
			continue;
		print_pair_n("W11", k < 3 ? phase[k] : "overall", 0,
			     "instructions", W11_REPS,
			     summarize(tt[0][k], W11_REPS, ops[k]),
			     summarize(tt[1][k], W11_REPS, ops[k]));
	}
	pr_info("BSLAB-BENCH workload=W11 variant=peak size=0 unit=pages reps=%u bslab=%ld slub=%ld\n",
		W11_REPS, tpeak[0], tpeak[1]);
	err = 0;
out:
	if (w && w->slots)
		for (c = 0; c < w->ncaches; c++)
			vfree(w->slots[c]);
	if (w)
		kfree(w->slots);
	kfree(w);
	vfree(buf);
	return err;
}

/* ---- W10: the floor ---- */

struct floor_stack {
	void *objs[64];
	unsigned int top;
};

static DEFINE_PER_CPU(struct floor_stack, floor_stack);

static noinline u64 floor_loop(unsigned int kind)
{
	u64 t = ktime_get_ns();
	unsigned long flags;
	unsigned int i, top;
	void *obj;

	for (i = 0; i < OPS_TARGET; i++) {
		switch (kind) {
		case 0:		/* empty body */
			barrier();
			break;
		case 1:		/* what a magazine pop and push cost at least */
			preempt_disable();
			top = __this_cpu_read(floor_stack.top);
			obj = __this_cpu_read(floor_stack.objs[top]);
			__this_cpu_write(floor_stack.objs[top], obj);
			__this_cpu_write(floor_stack.top, top);
			preempt_enable();
			break;
		default:	/* what disabling interrupts costs */
			local_irq_save(flags);
			barrier();
			local_irq_restore(flags);
			break;
		}
	}
	return ktime_get_ns() - t;
}

static int w10_floor(void)
{
	static const char *const names[] = {
		"empty", "preempt_percpu_pop_push", "irq_save_restore",
	};
	u64 t[MAX_REPS];
	struct summary s;
	unsigned int k, r;

	for (k = 0; k < ARRAY_SIZE(names); k++) {
		floor_loop(k);
		for (r = 0; r < reps; r++)
			t[r] = floor_loop(k);
		s = summarize(t, reps, OPS_TARGET);
		pr_info("BSLAB-BENCH workload=W10 variant=%s size=0 unit=instructions reps=%u value=%llu.%02llu value_min=%llu.%02llu value_max=%llu.%02llu\n",
			names[k], reps, s.med / 100, s.med % 100,
			s.min / 100, s.min % 100, s.max / 100, s.max % 100);
	}
	return 0;
}

static int run_single(void)
{
	int (*const workloads[])(void) = {
		w10_floor, w1_hot_pair, w2_batch, w3_bulk, w6_large, w7_cold,
		w8_memory, w13_comes_back, w13_reap_destroy_single,
		w11_replay,
	};
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(workloads); i++) {
		err = workloads[i]();
		if (err) {
			pr_err("bslab_bench: workload %u failed: %d\n", i, err);
			return err;
		}
	}
	return 0;
}

/* ---- W9: NUMA (mode=numa: two CPUs of two nodes, -icount) ---- */

/*
 * The guest (make bench: a NUMA kernel, BSLAB_NUMA=2) has CPU 0 on node 0
 * and CPU 1 on node 1, each with memory, and runs under -icount in QEMU's
 * round-robin TCG: one CPU runs at a time, and a step timed on one CPU
 * while the other sleeps counts that CPU's instructions.  Each step runs
 * on the CPU it names (smp_call_on_cpu()); the module's thread waits,
 * idle, meanwhile.
 */
#define W9_N	1000

struct w9 {
	struct pair *p;
	bool slub;
	int step;		/* enum w9_step */
	void **objs;
	int nid;		/* for alloc_node */
	u64 t;			/* the timed step's time */
	unsigned int local;	/* objects of the running CPU's node */
};

static __always_inline void *obj_alloc_node(struct pair *p, bool slub,
					    int nid)
{
	return slub ? kmem_cache_alloc_node(p->s, GFP_KERNEL, nid) :
		      bslab_cache_alloc_node(p->b, GFP_KERNEL, nid);
}

/* The steps, each once for each allocator with its calls direct. */
static __always_inline void w9_alloc(struct w9 *w, bool slub, int nid)
{
	unsigned int i;

	for (i = 0; i < W9_N; i++)
		w->objs[i] = nid == NUMA_NO_NODE ? obj_alloc(w->p, slub) :
			     obj_alloc_node(w->p, slub, nid);
}

static __always_inline void w9_free(struct w9 *w, bool slub)
{
	unsigned int i;

	for (i = 0; i < W9_N; i++)
		obj_free(w->p, slub, w->objs[i]);
}

static __always_inline void w9_pair(struct w9 *w, bool slub)
{
	unsigned int i;

	for (i = 0; i < W9_N; i++)
		obj_free(w->p, slub, obj_alloc(w->p, slub));
}

enum w9_step { W9_PAIR, W9_ALLOC, W9_FREE };

static __always_inline void w9_run(struct w9 *w, bool slub)
{
	if (w->step == W9_PAIR)
		w9_pair(w, slub);
	else if (w->step == W9_ALLOC)
		w9_alloc(w, slub, w->nid);
	else
		w9_free(w, slub);
}

/*
 * A step, run on a CPU by w9_on(): the allocator and the step are chosen
 * once, out of the loop, whose calls are direct.
 */
static int w9_step_fn(void *arg)
{
	struct w9 *w = arg;
	u64 t = ktime_get_ns();

	if (w->slub)
		w9_run(w, true);
	else
		w9_run(w, false);
	w->t = ktime_get_ns() - t;
	return 0;
}

/* Run @step on @cpu; return its time. */
static u64 w9_on(unsigned int cpu, int step, struct w9 *w)
{
	w->step = step;
	w->t = 0;
	smp_call_on_cpu(cpu, w9_step_fn, w, false);
	return w->t;
}

/* How many of the objects are on @nid's pages. */
static unsigned int w9_on_node(struct w9 *w, int nid)
{
	unsigned int i, n = 0;

	for (i = 0; i < W9_N; i++)
		n += page_to_nid(virt_to_page(w->objs[i])) == nid;
	return n;
}

/*
 * One repetition of each step for one allocator, into t[step]:
 *   0 local_pair     on CPU 0: W9_N alloc+free pairs, as W1 (per pair)
 *   1 remote_free    CPU 0 allocates W9_N; CPU 1 frees them (per free)
 *   2 alloc_node     on CPU 0, W9_N allocations of node 1 (per alloc);
 *                    freed on CPU 0 untimed
 *   3, 4 locality    W9_N plain allocations on CPU 0, then on CPU 1,
 *                    after the steps above: objects of the CPU's node
 */
static void w9_rep(struct pair *p, bool slub, void **objs, u64 *t)
{
	struct w9 w = { .p = p, .slub = slub, .objs = objs,
			.nid = NUMA_NO_NODE };
	unsigned int cpu;

	t[0] = w9_on(0, W9_PAIR, &w);
	w9_on(0, W9_ALLOC, &w);
	t[1] = w9_on(1, W9_FREE, &w);
	w.nid = 1;
	t[2] = w9_on(0, W9_ALLOC, &w);
	w9_on(0, W9_FREE, &w);
	w.nid = NUMA_NO_NODE;
	for (cpu = 0; cpu < 2; cpu++) {
		w9_on(cpu, W9_ALLOC, &w);
		t[3 + cpu] = w9_on_node(&w, cpu_to_node(cpu));
		w9_on(cpu, W9_FREE, &w);
	}
}

static int w9_numa(void)
{
	static const size_t sizes[] = { 64, 1024 };
	static const char *const steps[] = {
		"local_pair", "remote_free", "alloc_node_remote",
		"local_share_cpu0", "local_share_cpu1",
	};
	u64 (*tb)[MAX_REPS], (*ts)[MAX_REPS];
	u64 b[ARRAY_SIZE(steps)], s[ARRAY_SIZE(steps)];
	unsigned int i, r, k;
	struct pair p;
	void **objs;
	int err = 0;

	if (num_online_cpus() < 2 || cpu_to_node(0) != 0 ||
	    cpu_to_node(1) != 1 || !node_state(0, N_MEMORY) ||
	    !node_state(1, N_MEMORY)) {
		pr_err("bslab_bench: mode=numa needs CPU 0 on node 0 and CPU 1 on node 1, both with memory\n");
		return -ENODEV;
	}
	objs = vmalloc(array_size(W9_N, sizeof(void *)));
	tb = kcalloc(ARRAY_SIZE(steps), sizeof(*tb), GFP_KERNEL);
	ts = kcalloc(ARRAY_SIZE(steps), sizeof(*ts), GFP_KERNEL);
	if (!objs || !tb || !ts) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(sizes) && !err; i++) {
		err = pair_create(&p, "w9", sizes[i], 0);
		if (err)
			break;
		w9_rep(&p, false, objs, b);	/* warm-up */
		w9_rep(&p, true, objs, s);
		for (r = 0; r < reps; r++) {
			w9_rep(&p, false, objs, b);
			w9_rep(&p, true, objs, s);
			for (k = 0; k < ARRAY_SIZE(steps); k++) {
				tb[k][r] = b[k];
				ts[k][r] = s[k];
			}
			cond_resched();
		}
		for (k = 0; k < ARRAY_SIZE(steps); k++)
			print_pair("W9", steps[k], sizes[i],
				   k < 3 ? "instructions" : "local_share",
				   summarize(tb[k], reps, W9_N),
				   summarize(ts[k], reps, W9_N));
		pair_destroy(&p);
	}
out:
	kfree(tb);
	kfree(ts);
	vfree(objs);
	return err;
}

/* ---- the two-CPU workloads (wall time) ---- */

#define RING	256

/* A single-producer, single-consumer ring between two CPUs. */
struct ring {
	void *slot[RING];
	unsigned long head ____cacheline_aligned;
	unsigned long tail ____cacheline_aligned;
};

enum side { BASELINE, BSLAB, SLUB };

struct smp_run {
	struct pair *p;
	struct job *job;	/* W5: the loop each CPU runs */
	enum loop_kind kind;
	enum side side;
	struct ring *ring;	/* W4 */
	unsigned int n;
	atomic_t ready;
	bool go;
	u64 start;
	u64 end[2];
	struct completion done[2];
	void *objs[2][256];	/* W5: each CPU's batch */
};

static void *side_alloc(struct smp_run *s, unsigned long i)
{
	if (s->side == BASELINE)
		return (void *)(i + 1);
	return s->side == SLUB ? obj_alloc(s->p, true) : obj_alloc(s->p, false);
}

static void side_free(struct smp_run *s, void *obj)
{
	if (s->side == SLUB)
		obj_free(s->p, true, obj);
	else if (s->side == BSLAB)
		obj_free(s->p, false, obj);
}

static void wait_for_go(struct smp_run *s)
{
	atomic_inc(&s->ready);
	/* pairs with the release in smp_time(): start only when all are here */
	while (!smp_load_acquire(&s->go))
		cpu_relax();
}

static int w4_producer(void *arg)
{
	struct smp_run *s = arg;
	struct ring *r = s->ring;
	unsigned long head;

	wait_for_go(s);
	for (head = 0; head < s->n; head++) {
		void *obj = side_alloc(s, head);

		/* acquire: the consumer is done with the slot we reuse */
		while (head - smp_load_acquire(&r->tail) >= RING)
			cpu_relax();
		r->slot[head % RING] = obj;
		/* release: the slot is written before the consumer sees it */
		smp_store_release(&r->head, head + 1);
	}
	s->end[0] = ktime_get_ns();
	complete(&s->done[0]);
	return 0;
}

static int w4_consumer(void *arg)
{
	struct smp_run *s = arg;
	struct ring *r = s->ring;
	unsigned long tail;

	wait_for_go(s);
	for (tail = 0; tail < s->n; tail++) {
		/* acquire: pairs with the producer's release of head */
		while (tail == smp_load_acquire(&r->head))
			cpu_relax();
		side_free(s, r->slot[tail % RING]);
		/* release: the slot is read before the producer reuses it */
		smp_store_release(&r->tail, tail + 1);
	}
	s->end[1] = ktime_get_ns();
	complete(&s->done[1]);
	return 0;
}

static int w5_worker(void *arg)
{
	struct smp_run *s = arg;
	unsigned int me = smp_processor_id() ? 1 : 0;
	struct job j = *s->job;

	j.objs = s->objs[me];
	wait_for_go(s);
	if (s->side == SLUB)
		run_slub(s->kind, &j);
	else
		run_bslab(s->kind, &j);
	s->end[me] = ktime_get_ns();
	complete(&s->done[me]);
	return 0;
}

/* Start fn on CPU 0 (and CPU 1 if two), release them together, time them. */
static u64 smp_time(struct smp_run *s, int (*fn0)(void *),
		    int (*fn1)(void *))
{
	struct task_struct *t[2];
	unsigned int i, n = fn1 ? 2 : 1;

	atomic_set(&s->ready, 0);
	s->go = false;
	for (i = 0; i < n; i++) {
		init_completion(&s->done[i]);
		s->end[i] = 0;
		t[i] = kthread_create(i ? fn1 : fn0, s, "bslab_bench/%u", i);
		if (IS_ERR(t[i]))
			return 0;
		kthread_bind(t[i], i);
		wake_up_process(t[i]);
	}
	while (atomic_read(&s->ready) < n)
		cpu_relax();
	s->start = ktime_get_ns();
	/* release: pairs with the acquire in wait_for_go() */
	smp_store_release(&s->go, true);
	for (i = 0; i < n; i++)
		wait_for_completion(&s->done[i]);
	return max(s->end[0], s->end[1]) - s->start;
}

static void print_smp(const char *workload, const char *variant, size_t size,
		      u64 *tb, u64 *ts, u64 ops)
{
	print_pair(workload, variant, size, "ns", summarize(tb, reps, ops),
		   summarize(ts, reps, ops));
}

static int w4_cross_cpu(void)
{
	u64 tb[MAX_REPS], ts[MAX_REPS], base[MAX_REPS], b0;
	struct summary sb;
	struct smp_run *s;
	struct pair p;
	unsigned int r;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (s)
		s->ring = kzalloc(sizeof(*s->ring), GFP_KERNEL);
	if (!s || !s->ring) {
		kfree(s);
		return -ENOMEM;
	}
	err = pair_create(&p, "w4", 64, 0);
	if (err)
		goto out;
	s->p = &p;
	s->n = OPS_TARGET;
	for (r = 0; r <= reps; r++) {	/* run 0 warms up */
		s->side = BASELINE;
		memset(s->ring, 0, sizeof(*s->ring));
		base[r ? r - 1 : 0] = smp_time(s, w4_producer, w4_consumer);
		s->side = BSLAB;
		memset(s->ring, 0, sizeof(*s->ring));
		tb[r ? r - 1 : 0] = smp_time(s, w4_producer, w4_consumer);
		s->side = SLUB;
		memset(s->ring, 0, sizeof(*s->ring));
		ts[r ? r - 1 : 0] = smp_time(s, w4_producer, w4_consumer);
	}
	/*
	 * The ring alone is the baseline: subtract its median.  Its spread
	 * says how much the host moved the run (the report calls a wide one
	 * noisy rather than print a difference of two noisy figures).
	 */
	sb = summarize(base, reps, s->n);	/* sorts base */
	b0 = base[reps / 2];
	for (r = 0; r < reps; r++) {
		tb[r] = tb[r] > b0 ? tb[r] - b0 : 0;
		ts[r] = ts[r] > b0 ? ts[r] - b0 : 0;
	}
	pr_info("BSLAB-BENCH workload=W4 variant=ring_baseline size=0 unit=ns reps=%u value=%llu.%02llu value_min=%llu.%02llu value_max=%llu.%02llu\n",
		reps, sb.med / 100, sb.med % 100, sb.min / 100, sb.min % 100,
		sb.max / 100, sb.max % 100);
	print_smp("W4", "alloc_cpu0_free_cpu1", 64, tb, ts, s->n);
	pair_destroy(&p);
out:
	kfree(s->ring);
	kfree(s);
	return err;
}

static int w5_concurrent(void)
{
	static const struct {
		const char *name;
		enum loop_kind kind;
		unsigned int n;
	} loops[] = {
		{ "pair", PAIR, 1 },
		{ "batch256", BATCH, 256 },
	};
	u64 tb[MAX_REPS], ts[MAX_REPS];
	int (*second)(void *arg);
	unsigned int l, cpus, r;
	struct job j = {};
	struct smp_run *s;
	char variant[32];
	struct pair p;
	u64 ops;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	err = pair_create(&p, "w5", 64, 0);
	if (err) {
		kfree(s);
		return err;
	}
	s->p = &p;
	s->job = &j;
	j.p = &p;
	for (l = 0; l < ARRAY_SIZE(loops); l++) {
		s->kind = loops[l].kind;
		j.n = loops[l].n;
		j.rounds = loops[l].kind == PAIR ? OPS_TARGET :
			   OPS_TARGET / (2 * j.n);
		ops = loops[l].kind == PAIR ? OPS_TARGET : 2ULL * j.n * j.rounds;
		for (cpus = 1; cpus <= 2; cpus++) {
			second = cpus == 2 ? w5_worker : NULL;
			for (r = 0; r <= reps; r++) {
				s->side = BSLAB;
				tb[r ? r - 1 : 0] = smp_time(s, w5_worker, second);
				s->side = SLUB;
				ts[r ? r - 1 : 0] = smp_time(s, w5_worker, second);
			}
			/* per operation of all CPUs together: throughput */
			snprintf(variant, sizeof(variant), "%s_%ucpu",
				 loops[l].name, cpus);
			print_smp("W5", variant, 64, tb, ts, ops * cpus);
		}
	}
	pair_destroy(&p);
	kfree(s);
	return 0;
}

static int run_smp(void)
{
	int err;

	if (num_online_cpus() < 2) {
		pr_err("bslab_bench: mode=smp needs two CPUs\n");
		return -ENODEV;
	}
	err = w4_cross_cpu();
	if (!err)
		err = w5_concurrent();
	if (!err)
		err = w13_reap_destroy("ns", "ns");
	return err;
}

static int __init bslab_bench_init(void)
{
	int err = -EINVAL;

	reps = clamp(reps, 3u, (unsigned int)MAX_REPS);
	if (!strcmp(mode, "single"))
		err = run_single();
	else if (!strcmp(mode, "hot"))
		err = w1_hot_pair();
	else if (!strcmp(mode, "smp"))
		err = run_smp();
	else if (!strcmp(mode, "numa"))
		err = w9_numa();
	else
		pr_err("bslab_bench: unknown mode %s\n", mode);
	pr_info("BSLAB-BENCH-DONE %d\n", err);
	return 0;
}

static void __exit bslab_bench_exit(void)
{
}

module_init(bslab_bench_init);
module_exit(bslab_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bslab against SLUB, side by side");
BSLAB_IMPORT_INTERNAL();
