// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_stats: the counters agree with each other, and the files users read
 * (debugfs stats, slabs and kmastat, /proc/bslabinfo, /proc/meminfo) say
 * what the counters say, in their documented formats.  Files are read
 * through the VFS, as a user would.
 */
#include <linux/fs.h>
#include <linux/string.h>

#include "helpers.h"
#include "../mm/slab.h"
#include "../mm/sizes.h"

#define NSTATS (sizeof(struct bslab_stats) / sizeof(u64))

static void stat_names(const char **names)
{
	unsigned int i = 0;

#define BSLAB_GAUGE(name) (names[i++] = #name)
#define BSLAB_EVENT(name) (names[i++] = #name)
#define BSLAB_DEPOT_EVENT(name) (names[i++] = #name)
#define BSLAB_CPU_EVENT(name) (names[i++] = #name)
#include <bslab_stat_list.h>
}

/* Allocate @n objects and free every third: a cache with partial slabs. */
static void **populate(struct kunit *test, struct bslab_cache *cache,
		       unsigned int n)
{
	void **objs = tst_alloc_objs(test, cache, n);
	unsigned int i;

	for (i = 0; i < n; i += 3) {
		bslab_cache_free(cache, objs[i]);
		objs[i] = NULL;
	}
	return objs;
}

static void release(struct bslab_cache *cache, void **objs, unsigned int n)
{
	bslab_cache_free_bulk(cache, n, objs);
}

static void consistency(struct kunit *test)
{
	struct bslab_cache *cache;
	struct bslab_stats st;
	void **objs;

	cache = tst_cache(test, "t_stats_cons", 200, 0, NULL, NULL, NULL, 0);
	objs = populate(test, cache, 500);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc - st.free, st.buf_inuse);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 500 - 167);
	/*
	 * The most out of the slabs at once: the 500 handed out and what the
	 * last magazine fill left in the magazine.
	 */
	KUNIT_EXPECT_GE(test, st.buf_out_max, 500);
	KUNIT_EXPECT_LT(test, st.buf_out_max, 500 + st.magazine_size);
	KUNIT_EXPECT_EQ(test, st.slab_create - st.slab_destroy,
			st.slab_full + st.slab_partial + st.slab_empty);
	KUNIT_EXPECT_EQ(test, st.buf_total, st.buf_per_slab *
			(st.slab_full + st.slab_partial + st.slab_empty));
	KUNIT_EXPECT_EQ(test, st.mem_total, st.slab_size *
			(st.slab_full + st.slab_partial + st.slab_empty));
	KUNIT_EXPECT_GE(test, st.buf_total, st.buf_inuse);
	/* no ctor: only the objects in magazines are constructed */
	KUNIT_EXPECT_EQ(test, st.buf_constructed, st.buf_magazine);
	release(cache, objs, 500);
	bslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.alloc, st.free);
	KUNIT_EXPECT_EQ(test, st.buf_inuse, 0);
	KUNIT_EXPECT_LT(test, st.buf_out_max, 500 + st.magazine_size);
}

/* stats: every statistic, in table order, one "name value" a line. */
static void stats_file(struct kunit *test)
{
	static const char *const node_names[] = {
		"slabs", "buf_total", "buf_out", "full_magazines",
	};
	unsigned long long value, node_sums[ARRAY_SIZE(node_names)] = {};
	const char *names[NSTATS];
	struct bslab_cache *cache;
	struct bslab_stats st;
	char name[32], *buf, *line;
	const u64 *values;
	unsigned int i = 0, j;
	void **objs;
	int ret, nid, n;

	cache = tst_cache(test, "t_stats_file", 1500, 0, NULL, NULL, NULL, 0);
	objs = populate(test, cache, 100);
	bslab_cache_stats(cache, &st);
	values = (const u64 *)&st;
	buf = tst_read_file(test, DEBUGFS "t_stats_file/stats", NULL);
	stat_names(names);

	while (i < NSTATS && (line = strsep(&buf, "\n")) && *line) {
		ret = sscanf(line, "%31s %llu", name, &value);
		KUNIT_ASSERT_EQ_MSG(test, ret, 2, "line: %s", line);
		KUNIT_EXPECT_STREQ(test, name, names[i]);
		KUNIT_EXPECT_EQ_MSG(test, value, values[i], "%s", name);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, NSTATS);
	/* then four lines for each online node, which add up to the cache */
	for_each_online_node(nid) {
		for (j = 0; j < ARRAY_SIZE(node_names); j++) {
			line = strsep(&buf, "\n");
			KUNIT_ASSERT_NOT_NULL(test, line);
			ret = sscanf(line, "node%d_%31s %llu", &n, name, &value);
			KUNIT_ASSERT_EQ_MSG(test, ret, 3, "line: %s", line);
			KUNIT_EXPECT_EQ(test, n, nid);
			KUNIT_EXPECT_STREQ(test, name, node_names[j]);
			node_sums[j] += value;
		}
	}
	KUNIT_EXPECT_TRUE(test, !buf || !*buf);
	KUNIT_EXPECT_EQ(test, node_sums[0], st.slab_full + st.slab_partial +
			st.slab_empty);
	KUNIT_EXPECT_EQ(test, node_sums[1], st.buf_total);
	KUNIT_EXPECT_EQ(test, node_sums[2], st.buf_inuse + st.buf_magazine);
	/* 34 frees of 6-round magazines: some went to the depot */
	KUNIT_EXPECT_GT(test, st.full_magazines, 0);
	KUNIT_EXPECT_EQ(test, node_sums[3], st.full_magazines);
	release(cache, objs, 100);
}

/* slabs: a header, then one line per slab with its use and state. */
static void slabs_file(struct kunit *test)
{
	unsigned int color, inuse, total, lines = 0, used = 0;
	unsigned int full = 0, partial = 0, empty = 0;
	struct bslab_cache *cache;
	struct bslab_stats st;
	char addr[32], state[16], *buf, *line;
	void **objs;
	int nid;
	int ret;

	cache = tst_cache(test, "t_stats_slabs", 64, 0, NULL, NULL, NULL, 0);
	objs = populate(test, cache, 300);
	bslab_cache_stats(cache, &st);
	buf = tst_read_file(test, DEBUGFS "t_stats_slabs/slabs", NULL);

	line = strsep(&buf, "\n");
	KUNIT_EXPECT_EQ(test, line[0], '#');
	while ((line = strsep(&buf, "\n")) && *line) {
		ret = sscanf(line, "%31s %u %u %u %15s %d", addr, &color, &inuse,
			     &total, state, &nid);
		KUNIT_ASSERT_EQ_MSG(test, ret, 6, "line: %s", line);
		KUNIT_EXPECT_TRUE_MSG(test, nid >= 0 && nid < nr_node_ids &&
				      node_online(nid), "line: %s", line);
		KUNIT_EXPECT_EQ(test, total, st.buf_per_slab);
		KUNIT_EXPECT_LE(test, color, st.color_max);
		used += inuse;
		full += !strcmp(state, "full");
		partial += !strcmp(state, "partial");
		empty += !strcmp(state, "empty");
		if (!strcmp(state, "full"))
			KUNIT_EXPECT_EQ(test, inuse, total);
		lines++;
	}
	KUNIT_EXPECT_EQ(test, lines, st.slab_full + st.slab_partial +
			st.slab_empty);
	KUNIT_EXPECT_EQ(test, used, st.buf_inuse + st.buf_magazine);
	KUNIT_EXPECT_EQ(test, full, st.slab_full);
	KUNIT_EXPECT_EQ(test, partial, st.slab_partial);
	KUNIT_EXPECT_EQ(test, empty, st.slab_empty);
	release(cache, objs, 300);
}

/* kmastat: a row per cache, and a Total row that sums them. */
static void kmastat_file(struct kunit *test)
{
	unsigned long long size, inuse, total, mags, mem, allocs, fails;
	unsigned long long sum_mem = 0, sum_alloc = 0;
	struct bslab_cache *cache;
	struct bslab_stats st;
	char name[40], *buf, *line;
	bool found = false, totalled = false;
	unsigned int rules = 0;
	void **objs;
	int ret;

	cache = tst_cache(test, "t_stats_kmastat", 96, 0, NULL, NULL, NULL, 0);
	objs = populate(test, cache, 200);
	bslab_cache_stats(cache, &st);
	buf = tst_read_file(test, DEBUGFS "kmastat", NULL);

	KUNIT_EXPECT_TRUE(test, str_has_prefix(strsep(&buf, "\n"), "cache "));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(strsep(&buf, "\n"), "name "));
	while ((line = strsep(&buf, "\n")) && *line) {
		if (line[0] == '-') {
			rules++;
			continue;
		}
		if (str_has_prefix(line, "Total")) {
			ret = sscanf(line, "Total %llu %llu %llu", &mem,
				     &allocs, &fails);
			KUNIT_ASSERT_EQ(test, ret, 3);
			KUNIT_EXPECT_EQ(test, mem, sum_mem);
			KUNIT_EXPECT_EQ(test, allocs, sum_alloc);
			totalled = true;
			continue;
		}
		if (str_has_prefix(line, "bslab_alloc_pages")) {
			ret = sscanf(line, "%39s - %llu %llu - %llu", name,
				     &inuse, &total, &mem);
			KUNIT_ASSERT_EQ(test, ret, 4);
			sum_mem += mem;
			continue;
		}
		ret = sscanf(line, "%39s %llu %llu %llu %llu %llu %llu %llu",
			     name, &size, &inuse, &total, &mags, &mem, &allocs,
			     &fails);
		KUNIT_ASSERT_EQ_MSG(test, ret, 8, "line: %s", line);
		sum_mem += mem;
		sum_alloc += allocs;
		if (strcmp(name, "t_stats_kmastat"))
			continue;
		found = true;
		KUNIT_EXPECT_EQ(test, size, 96);
		KUNIT_EXPECT_EQ(test, inuse, st.buf_inuse);
		KUNIT_EXPECT_EQ(test, total, st.buf_total);
		KUNIT_EXPECT_EQ(test, mags, st.buf_magazine);
		KUNIT_EXPECT_EQ(test, mem, st.mem_total);
		KUNIT_EXPECT_EQ(test, allocs, st.alloc);
		KUNIT_EXPECT_EQ(test, fails, st.alloc_fail);
	}
	KUNIT_EXPECT_TRUE(test, found);
	KUNIT_EXPECT_TRUE(test, totalled);
	KUNIT_EXPECT_EQ(test, rules, 2);
	release(cache, objs, 200);
}

static char *find_line(char *buf, const char *name)
{
	size_t len = strlen(name);
	char *line;

	while ((line = strsep(&buf, "\n")))
		if (!strncmp(line, name, len) && line[len] == ' ')
			return line;
	return NULL;
}

/* bslabinfo: /proc/slabinfo 2.1, header and columns exactly. */
static void bslabinfo_file(struct kunit *test)
{
	unsigned long long active, num, objsize, perslab, pages;
	unsigned int limit, batch, shared, avail;
	unsigned long long aslabs, nslabs;
	struct bslab_cache *cache;
	struct bslab_stats st;
	char name[32], *buf, *ours, *theirs, *line, *kline, *tail;
	struct file *f;
	void **objs;
	int ret;

	cache = tst_cache(test, "t_stats_info", 700, 0, NULL, NULL, NULL, 0);
	objs = populate(test, cache, 150);
	bslab_cache_stats(cache, &st);

	f = filp_open("/proc/bslabinfo", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_EXPECT_EQ(test, file_inode(f)->i_mode & 0777, 0400);
	filp_close(f, NULL);

	buf = tst_read_file(test, "/proc/bslabinfo", NULL);
	ours = bslab_test_kstrdup(test, buf);
	KUNIT_EXPECT_STREQ(test, strsep(&buf, "\n"), "slabinfo - version: 2.1");
	line = find_line(buf, "t_stats_info");
	KUNIT_ASSERT_NOT_NULL(test, line);
	ret = sscanf(line, "%31s %llu %llu %llu %llu %llu", name, &active,
		     &num, &objsize, &perslab, &pages);
	KUNIT_ASSERT_EQ_MSG(test, ret, 6, "line: %s", line);
	tail = strstr(line, " : tunables ");
	KUNIT_ASSERT_NOT_NULL(test, tail);
	ret = sscanf(tail, " : tunables %u %u %u", &limit, &batch, &shared);
	KUNIT_ASSERT_EQ(test, ret, 3);
	tail = strstr(line, " : slabdata ");
	KUNIT_ASSERT_NOT_NULL(test, tail);
	ret = sscanf(tail, " : slabdata %llu %llu %u", &aslabs, &nslabs,
		     &avail);
	KUNIT_ASSERT_EQ(test, ret, 3);
	KUNIT_EXPECT_EQ(test, active, st.buf_inuse);
	KUNIT_EXPECT_EQ(test, num, st.buf_total);
	KUNIT_EXPECT_EQ(test, objsize, st.chunk_size);
	KUNIT_EXPECT_EQ(test, perslab, st.buf_per_slab);
	KUNIT_EXPECT_EQ(test, pages, st.slab_size / PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, aslabs, st.slab_full + st.slab_partial);
	KUNIT_EXPECT_EQ(test, nslabs, st.slab_full + st.slab_partial +
			st.slab_empty);
	KUNIT_EXPECT_EQ(test, limit, st.magazine_size);
	KUNIT_EXPECT_EQ(test, batch, st.magazine_size);
	KUNIT_EXPECT_EQ(test, avail, st.buf_magazine);

	/* Same header and same column positions as the kernel's own file. */
	f = filp_open("/proc/slabinfo", O_RDONLY, 0);
	if (!IS_ERR(f)) {
		filp_close(f, NULL);
		theirs = tst_read_file(test, "/proc/slabinfo", NULL);
		strsep(&theirs, "\n");
		strsep(&ours, "\n");
		KUNIT_EXPECT_STREQ(test, strsep(&ours, "\n"),
				   strsep(&theirs, "\n"));
		/* the first cache with a name that fits the first column */
		while ((kline = strsep(&theirs, "\n")) &&
		       strchr(kline, ' ') - kline > 17)
			;
		KUNIT_ASSERT_NOT_NULL(test, kline);
		KUNIT_EXPECT_EQ(test, strstr(line, " : tunables") - line,
				strstr(kline, " : tunables") - kline);
		KUNIT_EXPECT_EQ(test, strstr(line, " : slabdata") - line,
				strstr(kline, " : slabdata") - kline);
		KUNIT_EXPECT_EQ(test, strlen(line), strlen(kline));
	}
	release(cache, objs, 150);
}

static long meminfo_kb(struct kunit *test, const char *field)
{
	char *buf = tst_read_file(test, "/proc/meminfo", NULL);
	char *line = find_line(buf, field);
	long kb;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, line);
	ret = sscanf(line + strlen(field), " %ld", &kb);
	KUNIT_ASSERT_EQ(test, ret, 1);
	return kb;
}

/* bslab's pages show in /proc/meminfo: SReclaimable or SUnreclaim, and Slab. */
static void meminfo_accounting(struct kunit *test)
{
	static const struct {
		const char *name;
		unsigned int flags;
		const char *field;
	} kinds[] = {
		{ "t_acct_recl", BSLAB_RECLAIMABLE, "SReclaimable:" },
		{ "t_acct_unrecl", 0, "SUnreclaim:" },
	};
	const unsigned int n = 8192;	/* 8192 * 2 KiB: 16 MiB */
	/*
	 * Per-CPU vmstat deltas, other allocations meanwhile, and with kmemleak
	 * its record of each object (in SUnreclaim; about 120 bytes).
	 */
	const long slack = 2048 + (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK) ? n / 4 : 0);
	struct bslab_cache *cache;
	long before, slab_before, grown, delta, peak;
	unsigned int k;
	void **objs;

	objs = tst_alloc_array(test, n, sizeof(void *));
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		cache = tst_cache(test, kinds[k].name, 2048, 0, NULL, NULL,
				  NULL, kinds[k].flags);
		before = meminfo_kb(test, kinds[k].field);
		slab_before = meminfo_kb(test, "Slab:");
		tst_alloc_into(test, cache, objs, n);
		grown = tst_stat(cache, mem_total) / 1024;
		peak = meminfo_kb(test, kinds[k].field);
		delta = peak - before;
		KUNIT_EXPECT_GE_MSG(test, delta, grown - slack, "%s",
				    kinds[k].field);
		KUNIT_EXPECT_LE_MSG(test, delta, grown + slack, "%s",
				    kinds[k].field);
		KUNIT_EXPECT_GE(test, meminfo_kb(test, "Slab:") - slab_before,
				grown - slack);

		bslab_cache_free_bulk(cache, n, objs);
		bslab_cache_reap(cache);
		delta = peak - meminfo_kb(test, kinds[k].field);
		KUNIT_EXPECT_GE_MSG(test, delta, grown - slack,
				    "%s after reap", kinds[k].field);
	}
}

/*
 * bslab_alloc() above BSLAB_ALLOC_MAX takes pages straight from the page
 * allocator; like kmalloc's large allocations in SLUB, they count in
 * SUnreclaim, so kmastat's Total and /proc/meminfo agree.
 */
static void meminfo_large(struct kunit *test)
{
	const unsigned int n = 64;
	const size_t size = 64 * 1024;	/* 64 * 64 KiB: 4 MiB */
	const long grown = n * size / 1024, slack = 1024;
	long before, peak;
	unsigned int i;
	void **objs;

	objs = tst_alloc_array(test, n, sizeof(void *));
	before = meminfo_kb(test, "SUnreclaim:");
	for (i = 0; i < n; i++) {
		objs[i] = bslab_alloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	peak = meminfo_kb(test, "SUnreclaim:");
	KUNIT_EXPECT_GE(test, peak - before, grown - slack);
	KUNIT_EXPECT_LE(test, peak - before, grown + slack);
	for (i = 0; i < n; i++)
		bslab_free(objs[i], size);
	KUNIT_EXPECT_GE(test, peak - meminfo_kb(test, "SUnreclaim:"),
			grown - slack);
}

static struct kunit_case stats_cases[] = {
	KUNIT_CASE(consistency),
	KUNIT_CASE(stats_file),
	KUNIT_CASE(slabs_file),
	KUNIT_CASE(kmastat_file),
	KUNIT_CASE(bslabinfo_file),
	KUNIT_CASE(meminfo_accounting),
	KUNIT_CASE(meminfo_large),
	{}
};

static struct kunit_suite stats_suite = {
	.name = "bslab_stats",
	.init = tst_init,
	.test_cases = stats_cases,
};

kunit_test_suite(stats_suite);
