// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_numa: slabs from the node asked for, plain allocations from the
 * allocating CPU's node, frees that go home, per-node accounting.
 *
 * make check boots the 6.12 debug kernel as a guest of four nodes (one of
 * them a CPU's without memory, one memory without a CPU) and the RT, KCSAN
 * and 7.2 kernels as guests of two (scripts/boot.sh, BSLAB_NUMA).  The
 * cases run on any of them, and on a kernel without NUMA (one node); those
 * that need two CPUs of different nodes, or a node without memory, skip
 * elsewhere, saying so, and check.sh forgives only those skips where the
 * guest cannot have what they need.
 */
#include <linux/nodemask.h>
#include <linux/smp.h>

#include "helpers.h"
#include "../mm/slab.h"
#include "../mm/reap.h"

static int obj_nid(const void *obj)
{
	return page_to_nid(virt_to_page(obj));
}

/*
 * The first page of @obj's slab is no tail page to the kernel: its
 * compound_head word is bslab's owner word, whose node tag must leave
 * bit 0 clear, or page_folio() (virt_to_folio() of the object, as jbd2
 * takes of its frozen buffers) goes astray.
 */
static bool slab_head_sane(const struct bslab_cache *cache, const void *obj)
{
	const void *base = (const void *)((unsigned long)obj & cache->slab_mask);

	return !PageTail(virt_to_page(base)) &&
	       virt_to_folio(base) == page_folio(virt_to_page(base)) &&
	       folio_page(virt_to_folio(base), 0) == virt_to_page(base);
}

/* The two CPUs' home nodes differ, or skip. */
static void need_two_homes(struct kunit *test)
{
	tst_need_two_cpus(test);
	if (bslab_cpu_home(0) == bslab_cpu_home(1))
		kunit_skip(test, "needs two CPUs of different NUMA nodes");
}

struct irq_alloc {
	struct bslab_cache *cache;
	int nid;
	unsigned int n;
	void **objs;
	bool hardirq;
};

/*
 * In hard IRQ: alloc and free pairs, each object's address kept (its page
 * stays the slab's).  Pairs, because on PREEMPT_RT no slab can be made
 * there: the node's free objects (in this CPU's magazines if it is the
 * CPU's home node, else its slabs' the task steps left) are what it has.
 */
static void irq_alloc_fn(void *arg)
{
	struct irq_alloc *a = arg;
	unsigned int i;

	a->hardirq = in_hardirq();
	for (i = 0; i < a->n; i++) {
		a->objs[i] = bslab_cache_alloc_node(a->cache, GFP_ATOMIC,
						    a->nid);
		bslab_cache_free(a->cache, a->objs[i]);
	}
}

/*
 * @n objects of node @nid from @cache, each checked to lie on @nid, then
 * freed; @how: 0 a task, 1 with softirqs off, 2 in hard IRQ (an IPI from
 * the other CPU).
 */
static void alloc_on(struct kunit *test, struct bslab_cache *cache, int nid,
		     unsigned int cpu, int how, void **objs, unsigned int n)
{
	struct irq_alloc a = { cache, nid, n, objs, false };
	unsigned int i;

	switch (how) {
	case 0:
		for (i = 0; i < n; i++)
			objs[i] = bslab_cache_alloc_node(cache, GFP_KERNEL, nid);
		break;
	case 1:
		local_bh_disable();
		for (i = 0; i < n; i++)
			objs[i] = bslab_cache_alloc_node(cache, GFP_ATOMIC, nid);
		local_bh_enable();
		break;
	default:
		tst_pin(test, 1 - cpu);
		/*
		 * A CPU whose idle loop is polling takes the call there, with
		 * interrupts off but not in hard IRQ: no IPI is sent
		 * (call_function_single_prep_ipi()).  Again, until one was.
		 */
		for (i = 0; i < 20 && !a.hardirq; i++)
			KUNIT_ASSERT_EQ(test, 0,
					smp_call_function_single(cpu,
								 irq_alloc_fn,
								 &a, 1));
		KUNIT_EXPECT_TRUE(test, a.hardirq);
		tst_pin(test, cpu);
	}
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, objs[i],
					  "node %d, CPU %u, context %d", nid,
					  cpu, how);
		KUNIT_EXPECT_EQ_MSG(test, obj_nid(objs[i]), nid,
				    "CPU %u, context %d, object %u", cpu, how, i);
		KUNIT_EXPECT_TRUE_MSG(test, slab_head_sane(cache, objs[i]),
				      "node %d", nid);
	}
	if (how < 2)	/* hard IRQ freed its own */
		bslab_cache_free_bulk(cache, n, objs);
}

/*
 * Every object of bslab_cache_alloc_node(N) lies on N, for every node with
 * memory, from each CPU (its own node's and another's), in a task, with
 * softirqs off and in hard IRQ, for a small and a large cache; the same
 * for bslab_alloc_node() and bslab_cache_alloc_bulk_node().
 */
static void alloc_node_every_node(struct kunit *test)
{
	static const size_t sizes[] = { 64, 1500 };
	const unsigned int n = 64;
	struct bslab_cache *cache;
	unsigned int s, cpu, i;
	int nid, how;
	void **objs;

	objs = tst_alloc_array(test, n, sizeof(void *));
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		cache = tst_cache(test, s ? "t_numa_large" : "t_numa_small",
				  sizes[s], 0, NULL, NULL, NULL, 0);
		for_each_node_state(nid, N_MEMORY) {
			/*
			 * In a task first: on PREEMPT_RT hard IRQ takes no
			 * pages, and finds the objects that freed on its CPU
			 * (in its magazines if @nid is its node, else in the
			 * node's slabs).
			 */
			for_each_online_cpu(cpu) {
				if (cpu > 1)
					break;
				tst_pin(test, cpu);
				for (how = 0; how < 3; how++) {
					if (how == 2 && num_online_cpus() < 2)
						continue;
					alloc_on(test, cache, nid, cpu, how,
						 objs, n);
				}
			}
			KUNIT_ASSERT_EQ(test, n,
					bslab_cache_alloc_bulk_node(cache,
								    GFP_KERNEL,
								    nid, n,
								    objs));
			for (i = 0; i < n; i++)
				KUNIT_EXPECT_EQ(test, obj_nid(objs[i]), nid);
			bslab_cache_free_bulk(cache, n, objs);
		}
		KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_off_node), 0);
		KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
	}
	for_each_node_state(nid, N_MEMORY) {
		for (s = 0; s < 3; s++) {
			static const size_t lens[] = { 24, 3000, 3 * PAGE_SIZE };
			void *p = bslab_alloc_node(lens[s], GFP_KERNEL, nid);

			KUNIT_ASSERT_NOT_NULL(test, p);
			KUNIT_EXPECT_EQ_MSG(test, obj_nid(p), nid, "size %zu",
					    lens[s]);
			bslab_free(p, lens[s]);
		}
	}
}

/*
 * Plain allocations on a CPU come from that CPU's home node (its node, or
 * the nearest with memory for a CPU of a node without), whatever
 * the other CPU did with the cache before; nothing off-node is counted.
 */
static void plain_alloc_local(struct kunit *test)
{
	const unsigned int n = 600;
	struct bslab_cache *cache;
	unsigned int cpu, i, r, off;
	void **objs;

	objs = tst_alloc_array(test, n, sizeof(void *));
	cache = tst_cache(test, "t_numa_plain", 256, 0, NULL, NULL, NULL, 0);
	for (cpu = 0; cpu < min(2u, num_online_cpus()); cpu++) {
		tst_pin(test, cpu);
		/* twice: from new slabs, then from magazines and the depot */
		for (r = 0; r < 2; r++) {
			tst_alloc_into(test, cache, objs, n);
			for (i = 0, off = 0; i < n; i++)
				off += obj_nid(objs[i]) != bslab_cpu_home(cpu);
			KUNIT_EXPECT_EQ_MSG(test, off, 0, "CPU %u (node %d)",
					    cpu, bslab_cpu_home(cpu));
			bslab_cache_free_bulk(cache, n, objs);
		}
	}
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_off_node), 0);
}

struct handoff {
	void **objs;
	unsigned int n;
};

/*
 * On CPU 1: an object of its own first, so that its loaded magazine has
 * room (bulk frees then try the magazines), then the handed objects.
 */
static int consume(struct tst_cpu_job *job)
{
	struct handoff *h = job->shared;

	bslab_cache_free(job->cache, bslab_cache_alloc(job->cache,
						       GFP_KERNEL));
	bslab_cache_free_bulk(job->cache, h->n, h->objs);
	job->ops = h->n;
	return 0;
}

/* Node @nid's share of the stats file: node<nid>_<field> */
static u64 node_stat(struct kunit *test, const char *cache, int nid,
		     const char *field)
{
	char path[96], want[48], *buf, *line;
	unsigned long long v;

	snprintf(path, sizeof(path), DEBUGFS "%s/stats", cache);
	snprintf(want, sizeof(want), "node%d_%s ", nid, field);
	buf = tst_read_file(test, path, NULL);
	while ((line = strsep(&buf, "\n")))
		if (str_has_prefix(line, want) &&
		    kstrtoull(line + strlen(want), 10, &v) == 0)
			return v;
	KUNIT_FAIL(test, "no %s in %s", want, path);
	return 0;
}

/* On CPU 1: plain allocations, all of its home node, freed again. */
static int local_after(struct tst_cpu_job *job)
{
	struct handoff *h = job->shared;
	unsigned int i;

	for (i = 0; i < h->n; i++) {
		h->objs[i] = bslab_cache_alloc(job->cache, GFP_KERNEL);
		if (!h->objs[i] || obj_nid(h->objs[i]) != bslab_cpu_home(1))
			job->bad++;
	}
	bslab_cache_free_bulk(job->cache, h->n, h->objs);
	return 0;
}

/*
 * Node @nid's full magazines in @cache's depot: how many, and in *@stray
 * how many of their rounds are another node's.
 */
static unsigned long depot_node_mags(struct bslab_cache *cache, int nid,
				     unsigned long *stray)
{
	struct bslab_magazine *m;
	unsigned long flags, n = 0;
	unsigned int i;

	*stray = 0;
	raw_spin_lock_irqsave(&cache->depot.lock, flags);
	for (m = cache->node[nid].mag_full; m; m = m->next, n++)
		for (i = 0; i < m->rounds; i++)
			*stray += obj_nid(m->objs[i]) != nid;
	raw_spin_unlock_irqrestore(&cache->depot.lock, flags);
	return n;
}

/*
 * Producer on CPU 0, consumer on CPU 1, of different nodes: every free on
 * CPU 1 goes home (free_remote) by way of CPU 1's remote magazine, a full
 * magazine at a time, onto node 0's full magazines in the depot
 * (depot_remote), from which CPU 0's next allocations take them.  None
 * reaches the magazines CPU 1 allocates from (its plain allocations after
 * are all of its node), nor a slab of its node, and every round of node
 * 0's depot magazines is node 0's.  Nothing is lost, verify finds every
 * slab on its own node's lists and every round where it may be, and a
 * reap (which drains the remote magazine too) gives node 0 its memory
 * back.
 */
static void remote_free_goes_home(struct kunit *test)
{
	const unsigned int n = 256, rounds = 8;
	unsigned long mags, stray, size;
	struct tst_cpu_job job = {};
	struct handoff h;
	struct bslab_cache *cache;
	int src, dst;
	unsigned int r;
	char *line;

	need_two_homes(test);
	src = bslab_cpu_home(0);
	dst = bslab_cpu_home(1);
	cache = tst_cache(test, "t_numa_remote", 128, 0, NULL, NULL, NULL, 0);
	h.objs = tst_alloc_array(test, n, sizeof(void *));
	h.n = n;
	tst_pin(test, 0);
	for (r = 0; r < rounds; r++) {
		tst_alloc_into(test, cache, h.objs, n);
		job = (struct tst_cpu_job){ .fn = consume, .cache = cache,
					    .cpu = 1, .shared = &h };
		tst_job_start(test, &job);
		wait_for_completion(&job.done);
		KUNIT_EXPECT_EQ(test, job.ops, n);
	}
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_remote), (u64)n * rounds);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc), tst_stat(cache, free));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, buf_inuse), 0);
	/* each round's frees filled n / size remote magazines, less one */
	size = tst_stat(cache, magazine_size);
	KUNIT_EXPECT_GE(test, tst_stat(cache, depot_remote),
			rounds * (n / size - 1));
	/* CPU 0 allocated the earlier rounds' back from the depot */
	KUNIT_EXPECT_GT(test, tst_stat(cache, alloc_depot), 0);
	mags = depot_node_mags(cache, src, &stray);
	KUNIT_EXPECT_EQ(test, stray, 0);
	KUNIT_EXPECT_EQ(test, node_stat(test, "t_numa_remote", src,
					"full_magazines"), mags);
	depot_node_mags(cache, dst, &stray);
	KUNIT_EXPECT_EQ(test, stray, 0);
	/*
	 * node 0's objects out: CPU 0's two magazines', CPU 1's remote one's
	 * and node 0's in the depot
	 */
	KUNIT_EXPECT_LE(test, node_stat(test, "t_numa_remote", src, "buf_out"),
			(3 + mags) * size);
	/* the magazines file shows CPU 1's remote magazine */
	line = strstr(tst_read_file(test, DEBUGFS "t_numa_remote/magazines",
				    NULL), "cpu 1 loaded ");
	KUNIT_EXPECT_TRUE(test, line &&
			  strnstr(line, " remote ", strcspn(line, "\n")));
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, DEBUGFS "t_numa_remote/verify",
					       NULL), "ok\n");
	job = (struct tst_cpu_job){ .fn = local_after, .cache = cache,
				    .cpu = 1, .shared = &h };
	tst_job_start(test, &job);
	wait_for_completion(&job.done);
	KUNIT_EXPECT_EQ(test, job.bad, 0);
	KUNIT_EXPECT_GT(test, node_stat(test, "t_numa_remote", src, "slabs"), 0);
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, node_stat(test, "t_numa_remote", src, "slabs"), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, mem_total), 0);
}

/* Node @nid's full magazines in @cache's depot, as counted. */
static unsigned long node_full_mags(struct bslab_cache *cache, int nid)
{
	return READ_ONCE(cache->node[nid].nr_mag_full);
}

/* A node with memory that is no possible CPU's home, or skip. */
static int homeless_node(struct kunit *test)
{
	unsigned int cpu;
	int nid;

	for_each_node_state(nid, N_MEMORY) {
		for_each_possible_cpu(cpu)
			if (bslab_cpu_home(cpu) == nid)
				break;
		if (cpu >= nr_cpu_ids)
			return nid;
	}
	kunit_skip(test, "needs a NUMA node with memory that is no CPU's home");
	return NUMA_NO_NODE;
}

/*
 * A full remote magazine goes to the depot only if its rounds are all of
 * one node that some CPU calls home.  CPU 1 frees objects of CPU 0's node
 * and of a node no CPU calls home, taking turns: each remote magazine is
 * of two nodes; then objects of that node alone: magazines no CPU would
 * take from the depot.  Both kinds go to their slabs: none reaches the
 * depot, the far node's objects out are at most CPU 1's remote magazine's,
 * and its slabs come back on reap.
 */
static void remote_free_to_slabs(struct kunit *test)
{
	const unsigned int n = 512;
	struct tst_cpu_job job = {};
	struct bslab_cache *cache;
	struct handoff h;
	unsigned int i, pass;
	int src, far;

	need_two_homes(test);
	far = homeless_node(test);
	src = bslab_cpu_home(0);
	tst_pin(test, 0);
	cache = tst_cache(test, "t_numa_to_slabs", 128, 0, NULL, NULL, NULL,
			  0);
	h.objs = tst_alloc_array(test, n, sizeof(void *));
	h.n = n;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			h.objs[i] = bslab_cache_alloc_node(cache, GFP_KERNEL,
							   pass || i % 2 ? far :
							   src);
			KUNIT_ASSERT_NOT_NULL(test, h.objs[i]);
		}
		job = (struct tst_cpu_job){ .fn = consume, .cache = cache,
					    .cpu = 1, .shared = &h };
		tst_job_start(test, &job);
		wait_for_completion(&job.done);
	}
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_remote), 2 * n);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, depot_remote), 0);
	KUNIT_EXPECT_EQ(test, node_full_mags(cache, far), 0);
	KUNIT_EXPECT_EQ(test, node_full_mags(cache, src), 0);
	KUNIT_EXPECT_LE(test, node_stat(test, "t_numa_to_slabs", far, "buf_out"),
			tst_stat(cache, magazine_size));
	KUNIT_EXPECT_STREQ(test, tst_read_file(test,
					       DEBUGFS "t_numa_to_slabs/verify",
					       NULL), "ok\n");
	bslab_cache_reap(cache);
	KUNIT_EXPECT_EQ(test, node_stat(test, "t_numa_to_slabs", far, "slabs"),
			0);
}

/*
 * At the depot's bound a full remote magazine gives its rounds to their
 * slabs, a spill as a local free's at the bound is, and the home node's
 * next fill from the slab layer doubles the bound (depot_limit_grow): a
 * producer and a consumer that keep going soon pass all their objects
 * through the depot.
 */
static void remote_free_at_bound(struct kunit *test)
{
	unsigned long limit, size, chunk, full, mags;
	struct tst_cpu_job job = {};
	struct bslab_cache *cache;
	struct handoff h;
	unsigned int i;
	int src;

	need_two_homes(test);
	src = bslab_cpu_home(0);
	tst_pin(test, 0);
	tst_depot_limit(test, 1);
	cache = tst_cache(test, "t_numa_bound", 64, 0, NULL, NULL, NULL, 0);
	size = tst_stat(cache, magazine_size);
	chunk = tst_stat(cache, chunk_size);
	limit = tst_stat(cache, depot_limit);
	KUNIT_ASSERT_GT(test, limit, 0);
	/* four full magazines more than the bound holds */
	full = limit / (size * chunk) + 4;
	h.n = full * size;
	h.objs = tst_alloc_array(test, h.n, sizeof(void *));
	/* one bulk allocation on CPU 0: none left in its magazines */
	KUNIT_ASSERT_EQ(test, bslab_cache_alloc_bulk(cache, GFP_KERNEL, h.n,
						     h.objs), h.n);
	job = (struct tst_cpu_job){ .fn = consume, .cache = cache, .cpu = 1,
				    .shared = &h };
	tst_job_start(test, &job);
	wait_for_completion(&job.done);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, free_remote), h.n);

	/* the depot took what its bound allows; the slabs the rest */
	mags = node_full_mags(cache, src);
	KUNIT_EXPECT_GE(test, mags, 1);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, depot_remote), mags);
	KUNIT_EXPECT_LE(test, (mags - 1) * size * chunk, limit);
	KUNIT_EXPECT_LT(test, mags, full - 1);
	/* node 0's objects out: the depot's, and CPU 1's remote magazine's */
	KUNIT_EXPECT_LE(test, node_stat(test, "t_numa_bound", src, "buf_out"),
			(mags + 1) * size);

	/* CPU 0 empties the depot, then fills from the slabs: the bound grows */
	for (i = 0; i < (mags + 1) * size; i++)
		h.objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, depot_limit_grow), 1);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, depot_limit), 2 * limit);
	for (i = 0; i < (mags + 1) * size; i++)
		bslab_cache_free(cache, h.objs[i]);
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, DEBUGFS "t_numa_bound/verify",
					       NULL), "ok\n");
}

#define REUSE_ROUNDS	16

/*
 * On CPU 1: rounds of h->n allocations for CPU 0's node, each round freed
 * there; bad counts the allocations that failed or are of another node.
 */
static int alloc_node_rounds(struct tst_cpu_job *job)
{
	struct handoff *h = job->shared;
	int nid = bslab_cpu_home(0);
	unsigned int r, i;

	for (r = 0; r < REUSE_ROUNDS; r++) {
		for (i = 0; i < h->n; i++) {
			h->objs[i] = bslab_cache_alloc_node(job->cache,
							    GFP_KERNEL, nid);
			if (!h->objs[i] || obj_nid(h->objs[i]) != nid)
				job->bad++;
		}
		for (i = 0; i < h->n; i++)
			bslab_cache_free(job->cache, h->objs[i]);
		job->ops += h->n;
	}
	return 0;
}

/*
 * Allocations for CPU 0's node on CPU 1, freed there, round after round:
 * the frees go home to that node's full magazines in the depot, which
 * CPU 1's allocations for the node do not load; before the node's slabs
 * run out, those magazines give their rounds back to the slabs
 * (bslab_depot_to_slabs()), and the cache does not grow beside them.
 * (Without that, the slabs grew each round until the depot's bound; on
 * PREEMPT_RT such allocations in hard IRQ, where no slab can be made,
 * failed once the node's free objects were all in the depot.)
 */
static void alloc_node_reuses_remote_frees(struct kunit *test)
{
	unsigned long size, per_slab, slabs;
	struct tst_cpu_job job = {};
	struct bslab_cache *cache;
	struct handoff h;
	int src;

	need_two_homes(test);
	src = bslab_cpu_home(0);
	tst_pin(test, 0);
	cache = tst_cache(test, "t_numa_reuse", 128, 0, NULL, NULL, NULL, 0);
	size = tst_stat(cache, magazine_size);
	per_slab = tst_stat(cache, buf_per_slab);
	h.n = 4 * size;
	h.objs = tst_alloc_array(test, h.n, sizeof(void *));
	job = (struct tst_cpu_job){ .fn = alloc_node_rounds, .cache = cache,
				    .cpu = 1, .shared = &h };
	tst_job_start(test, &job);
	wait_for_completion(&job.done);
	KUNIT_EXPECT_EQ(test, job.bad, 0);
	KUNIT_EXPECT_EQ(test, job.ops, REUSE_ROUNDS * h.n);
	KUNIT_EXPECT_GT(test, tst_stat(cache, depot_remote), 0);
	/* a round's objects, CPU 1's remote magazine's and a slab's slack */
	slabs = node_stat(test, "t_numa_reuse", src, "slabs");
	KUNIT_EXPECT_LE(test, slabs * per_slab, h.n + size + per_slab);
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, DEBUGFS "t_numa_reuse/verify",
					       NULL), "ok\n");
}

/*
 * On CPU 1: its magazines' and k full magazines' worth of its node's
 * objects, from one bulk allocation (which fills no magazine), freed one
 * by one: the k go to its node's stack in the depot.
 */
static int fill_own_depot(struct tst_cpu_job *job)
{
	struct handoff *h = job->shared;
	unsigned int i;

	if (bslab_cache_alloc_bulk(job->cache, GFP_KERNEL, h->n, h->objs) !=
	    h->n) {
		job->bad++;
		return 0;
	}
	for (i = 0; i < h->n; i++)
		bslab_cache_free(job->cache, h->objs[i]);
	job->ops = h->n;
	return 0;
}

/*
 * The working-set reap takes each node's idle full magazines, not
 * another node's: CPU 0's node and CPU 1's each have k in the depot; in
 * one interval CPU 0 draws on all of its node's and gives them back,
 * while CPU 1's stay untouched.  The tick frees CPU 1's node's k and keeps
 * CPU 0's, its working set.  (With one minimum for the whole depot, a
 * reap took its k from the lowest node that had magazines: the ones in
 * use.)
 */
static void working_set_per_node(struct kunit *test)
{
	const unsigned int k = 4;
	struct tst_cpu_job job = {};
	struct bslab_cache *cache;
	struct handoff h;
	unsigned int m, i;
	int src, dst;

	need_two_homes(test);
	src = bslab_cpu_home(0);
	dst = bslab_cpu_home(1);
	tst_pin(test, 0);
	cache = tst_cache(test, "t_numa_wss", 64, 0, NULL, NULL, NULL, 0);
	m = tst_stat(cache, magazine_size);
	h.n = (k + 2) * m;
	h.objs = tst_alloc_array(test, h.n, sizeof(void *));
	job = (struct tst_cpu_job){ .fn = fill_own_depot, .cache = cache,
				    .cpu = 1, .shared = &h };
	tst_job_start(test, &job);
	wait_for_completion(&job.done);
	KUNIT_ASSERT_EQ(test, job.bad, 0);
	KUNIT_ASSERT_EQ(test, bslab_cache_alloc_bulk(cache, GFP_KERNEL, h.n,
						     h.objs), h.n);
	for (i = 0; i < h.n; i++)
		bslab_cache_free(cache, h.objs[i]);
	KUNIT_ASSERT_EQ(test, node_full_mags(cache, src), k);
	KUNIT_ASSERT_EQ(test, node_full_mags(cache, dst), k);

	/* the depot was never drawn on since create: nothing is surplus */
	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, full_magazines), 2 * k);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_magazines), 0);

	/* this interval CPU 0 uses all of its node's, and gives them back */
	for (i = 0; i < h.n; i++)
		h.objs[i] = bslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, node_full_mags(cache, src), 0);
	for (i = 0; i < h.n; i++)
		bslab_cache_free(cache, h.objs[i]);
	KUNIT_EXPECT_EQ(test, node_full_mags(cache, src), k);

	/* CPU 1's node's k were idle: they go; CPU 0's node's stay */
	bslab_reap_tick(cache);
	KUNIT_EXPECT_EQ(test, node_full_mags(cache, src), k);
	KUNIT_EXPECT_EQ(test, node_full_mags(cache, dst), 0);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, reap_objects), k * m);
	KUNIT_EXPECT_STREQ(test, tst_read_file(test, DEBUGFS "t_numa_wss/verify",
					       NULL), "ok\n");
}

/* "Node <nid> <field> <kB> kB" in the node's meminfo */
static long node_meminfo_kb(struct kunit *test, int nid, const char *field)
{
	char path[64], *buf, *line, *p;
	long kb;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 nid);
	buf = tst_read_file(test, path, NULL);
	while ((line = strsep(&buf, "\n"))) {
		p = strstr(line, field);
		if (p && sscanf(p + strlen(field), "%ld", &kb) == 1)
			return kb;
	}
	KUNIT_FAIL(test, "no %s in %s", field, path);
	return 0;
}

/*
 * Each node's meminfo counts the slabs on that node: 8 MiB allocated on
 * each node with memory raise its SUnreclaim by as much, and no other
 * node's by more than the slack; a reap takes it off again.
 */
static void node_meminfo(struct kunit *test)
{
	const unsigned int n = 4096;	/* 4096 * 2 KiB: 8 MiB */
	/* as meminfo_accounting (bslab_stats): vmstat deltas, kmemleak */
	const long slack = 2048 + (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK) ? n / 4 : 0);
	long *before, delta, grown;
	struct bslab_cache *cache;
	unsigned int i;
	int nid, other;
	void **objs;

	if (!IS_ENABLED(CONFIG_NUMA))
		kunit_skip(test, "needs a NUMA kernel (node meminfo files)");
	objs = tst_alloc_array(test, n, sizeof(void *));
	before = tst_alloc_array(test, nr_node_ids, sizeof(*before));
	cache = tst_cache(test, "t_numa_meminfo", 2048, 0, NULL, NULL, NULL, 0);
	for_each_node_state(nid, N_MEMORY) {
		for_each_node_state(other, N_MEMORY)
			before[other] = node_meminfo_kb(test, other,
							"SUnreclaim:");
		for (i = 0; i < n; i++) {
			objs[i] = bslab_cache_alloc_node(cache, GFP_KERNEL, nid);
			KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		}
		grown = tst_stat(cache, mem_total) / 1024;
		for_each_node_state(other, N_MEMORY) {
			delta = node_meminfo_kb(test, other, "SUnreclaim:") -
				before[other];
			if (other == nid) {
				KUNIT_EXPECT_GE_MSG(test, delta, grown - slack,
						    "node %d", nid);
				KUNIT_EXPECT_LE_MSG(test, delta, grown + slack,
						    "node %d", nid);
			} else {
				KUNIT_EXPECT_LE_MSG(test, delta, slack,
						    "node %d, allocating on %d",
						    other, nid);
			}
		}
		bslab_cache_free_bulk(cache, n, objs);
		bslab_cache_reap(cache);
		delta = node_meminfo_kb(test, nid, "SUnreclaim:") - before[nid];
		KUNIT_EXPECT_LE_MSG(test, delta, slack, "node %d after reap",
				    nid);
	}
}

/*
 * A node without memory: __GFP_THISNODE fails cleanly (NULL, counted,
 * no slab made, no other node's object), without it the object is the
 * nearest node's, counted off-node.  Out-of-range node ids are refused.
 */
#define NO_NODE "bslab: cache t_numa_thisnode: allocation for node %d: no such node"

static void thisnode(struct kunit *test)
{
	struct bslab_cache *cache;
	int nid, memless = NUMA_NO_NODE;
	u64 mark;
	void *obj;

	cache = tst_cache(test, "t_numa_thisnode", 512, 0, NULL, NULL, NULL,
			  0);
	mark = tst_log_mark();
	KUNIT_EXPECT_NULL(test, bslab_cache_alloc_node(cache, GFP_KERNEL,
						       nr_node_ids));
	KUNIT_EXPECT_NULL(test, bslab_cache_alloc_node(cache, GFP_KERNEL, -7));
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, NO_NODE, nr_node_ids), 1);
	KUNIT_EXPECT_EQ(test, tst_log_count(mark, NO_NODE, -7), 1);
	/* this CPU's node, asked for by number: the magazines' */
	obj = bslab_cache_alloc_node(cache, GFP_KERNEL | __GFP_THISNODE,
				     bslab_cpu_home(0));
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_EQ(test, obj_nid(obj), bslab_cpu_home(0));
	bslab_cache_free(cache, obj);

	for_each_online_node(nid)
		if (!node_state(nid, N_MEMORY))
			memless = nid;
	if (memless == NUMA_NO_NODE)
		kunit_skip(test, "needs a NUMA node without memory");
	KUNIT_EXPECT_NULL(test, bslab_cache_alloc_node(cache, GFP_KERNEL |
						       __GFP_THISNODE, memless));
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_fail), 1);
	KUNIT_EXPECT_EQ(test, node_stat(test, "t_numa_thisnode", memless,
					"slabs"), 0);
	obj = bslab_cache_alloc_node(cache, GFP_KERNEL, memless);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_NE(test, obj_nid(obj), memless);
	KUNIT_EXPECT_EQ(test, tst_stat(cache, alloc_off_node), 1);
	bslab_cache_free(cache, obj);
	KUNIT_EXPECT_EQ(test, node_stat(test, "t_numa_thisnode", memless,
					"slabs"), 0);
}

/*
 * kmastat_node: a row for each node a cache has slabs on, agreeing with
 * the cache's node<N>_ stats lines, and a Total row for each online node.
 */
static void kmastat_node_file(struct kunit *test)
{
	const unsigned int n = 100;
	unsigned long long slabs, total, out, mem;
	unsigned int rows = 0, totals = 0, nodes = 0, i;
	struct bslab_cache *cache;
	char name[40], *buf, *line;
	void **objs;
	int nid, ret;

	cache = tst_cache(test, "t_numa_kmastat", 200, 0, NULL, NULL, NULL, 0);
	objs = tst_alloc_array(test, n * nr_node_ids, sizeof(void *));
	for_each_node_state(nid, N_MEMORY) {
		for (i = 0; i < n; i++) {
			objs[nid * n + i] = bslab_cache_alloc_node(cache,
								   GFP_KERNEL,
								   nid);
			KUNIT_ASSERT_NOT_NULL(test, objs[nid * n + i]);
		}
		nodes++;
	}
	buf = tst_read_file(test, DEBUGFS "kmastat_node", NULL);
	while ((line = strsep(&buf, "\n")) && *line) {
		ret = sscanf(line, "%39s %d %llu %llu %llu %llu", name, &nid,
			     &slabs, &total, &out, &mem);
		if (ret == 3 && !strcmp(name, "Total")) {
			KUNIT_EXPECT_TRUE(test, node_online(nid));
			totals++;
			continue;
		}
		if (ret != 6 || strcmp(name, "t_numa_kmastat"))
			continue;
		rows++;
		KUNIT_EXPECT_TRUE(test, node_state(nid, N_MEMORY));
		KUNIT_EXPECT_EQ(test, slabs,
				node_stat(test, "t_numa_kmastat", nid, "slabs"));
		KUNIT_EXPECT_GE(test, out, n);	/* and a magazine's, at home */
		KUNIT_EXPECT_EQ(test, total, slabs * tst_stat(cache, buf_per_slab));
		KUNIT_EXPECT_EQ(test, mem, slabs * tst_stat(cache, slab_size));
	}
	KUNIT_EXPECT_EQ(test, rows, nodes);
	KUNIT_EXPECT_EQ(test, totals, num_online_nodes());
	for_each_node_state(nid, N_MEMORY)
		bslab_cache_free_bulk(cache, n, objs + nid * n);
}

static struct kunit_case numa_cases[] = {
	KUNIT_CASE(alloc_node_every_node),
	KUNIT_CASE(plain_alloc_local),
	KUNIT_CASE(remote_free_goes_home),
	KUNIT_CASE(remote_free_to_slabs),
	KUNIT_CASE(remote_free_at_bound),
	KUNIT_CASE(alloc_node_reuses_remote_frees),
	KUNIT_CASE(working_set_per_node),
	KUNIT_CASE(node_meminfo),
	KUNIT_CASE(thisnode),
	KUNIT_CASE(kmastat_node_file),
	{}
};

static struct kunit_suite numa_suite = {
	.name = "bslab_numa",
	.init = tst_init,
	.test_cases = numa_cases,
};

kunit_test_suite(numa_suite);
