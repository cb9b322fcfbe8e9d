// SPDX-License-Identifier: GPL-2.0
/*
 * bslab CPU layer and depot: per-CPU magazines (Bonwick & Adams 2001).
 *
 * A magazine is an array of free, constructed objects with a round count.
 * Each CPU holds two per cache: the loaded one, which allocations pop and
 * frees push, and the previous one, which is always either full or empty.
 * Allocation: pop from loaded; if it is empty and previous is full, swap
 * them and pop; else give the empty previous to the depot for a full one
 * (loaded becomes previous); if the depot has none, have the slab layer
 * fill a magazine in one batch, under one hold of its lock (outside the
 * busy section, so that it may make a slab), and load it: a cache that
 * grows pays the slab layer's lock once a magazine (or once a slab, for
 * slabs of fewer objects), not once an object.
 * Only where no page may be taken does one object come from the slab
 * layer.  Free is the mirror image: push; swap with an empty previous; give
 * the full previous to the depot for an empty one, or allocate a new empty
 * magazine (GFP_NOWAIT), or, if that fails, free to the slab layer.  So a
 * CPU goes to the depot at most once every magazine-size operations, takes
 * the depot lock once per visit (a new empty magazine is allocated before
 * it), and the depot lock is the only shared lock most operations ever
 * see.  The operations on one magazine (pop, push, swap, load) are written
 * once, as inline helpers beside cpu_layer_enter() in magazine.h.
 *
 * The fast path takes no lock, uses no atomic instruction and leaves
 * interrupts on.  Preemption is off, so the task stays on its CPU; the one
 * remaining hazard is an interrupt handler on the same CPU calling into the
 * same cache half-way through.  Each struct bslab_cpu_cache has a busy word:
 * whoever finds it 0 sets it, uses loaded and previous, and clears it.  An
 * interrupt that finds it set bypasses the magazines and uses the slab
 * layer, which is irq-safe; since an interrupt runs to completion before the
 * code it interrupted resumes, plain loads and stores (with compiler
 * barriers) are enough.  That is also why the per-CPU counters here are
 * plain increments, except cpu_busy, which only interrupters touch and which
 * uses this_cpu_inc() (one interrupt-safe instruction).
 *
 * An empty, capacity-0 sentinel magazine stands in for "none" in loaded and
 * previous, so the fast path tests only the round count, never NULL.
 *
 * The depot keeps full and empty magazines of the current size on two
 * stacks under a raw, irq-safe spinlock, tried first with a trylock so that
 * contention is counted.  Magazine size: a table of sizes (2^k - 2 rounds,
 * so a magazine with its header is a power of two), each with an internal
 * bslab cache of its own.  The reaper (reap.c) grows a cache's size a step
 * when its depot saw contention during an interval, and shrinks it a step
 * after several idle intervals.  Resizing is lazy and safe while other CPUs
 * run: new magazines get the new size, the depot is purged, and a magazine
 * of another size that comes back to the depot is emptied into the slab
 * layer and freed instead of kept.
 *
 * Working-set reaping: the depot records the fewest full and empty
 * magazines it held since the last reap (full ones each node's: a node's
 * idle magazines are its own); those were not needed during the
 * interval, so a reap frees that many of each (bslab_depot_purge()).
 *
 * The depot's bound: between reaps the depot would keep every full
 * magazine a burst of frees leaves, and each of their objects keeps its
 * slab from going back.  So the full magazines of a depot hold at most
 * depot_limit_kb of objects per possible CPU (objects times chunk; 0: no
 * bound).  A CPU whose free finds the depot at its bound empties its full
 * previous magazine into the slab layer, in one batch under one hold of
 * the slab lock, and frees into it (free_spill): the burst's slabs go back
 * as they empty, as SLUB's do (on PREEMPT_RT, where the CPU layer may not
 * free pages, from the cache's work item just after), and the depot keeps
 * the magazines it took before the bound.  The bound is in bytes, so small
 * objects keep deep depots while large ones keep a few magazines; a resize
 * changes neither.  Only a free checks it: a magazine a drain returns is
 * in the depot until the next reap, which takes the surplus anyway.
 *
 * The bound follows the working set as the magazine size follows
 * contention.  A spill that the same reap interval shows was a mistake (a
 * CPU then found its magazines and the depot empty and had the slab layer
 * fill one: the spilled objects were wanted again) doubles the cache's
 * bound, up to 64 times depot_limit_kb; an interval with no such fill
 * halves it again, down to depot_limit_kb.  So a burst of frees that is
 * not followed by allocations (a file system's inodes after a mass
 * delete, a freed table) goes back to the page allocator as it is freed,
 * while one that a workload repeats (allocate 1000, free 1000, again)
 * keeps its objects in the depot after a few rounds.
 *
 * Who may touch a CPU's magazines: that CPU, with preemption off and busy
 * set; a cross-call or a work item running on that CPU that finds busy
 * clear (bslab_cpu_drain_all(), bslab_cpu_drain_idle(); a cross-call
 * interrupted whatever ran there, so nothing else on the CPU is in the
 * layer); anyone once the CPU is dead (CPU hotplug) or the cache is being
 * destroyed.  A magazine being filled (bslab_cpu_fill()) is no CPU's: it
 * was taken off, or never loaded, and is loaded again inside the layer.
 *
 * Rounds that leave a magazine for the slab layer from inside the CPU layer
 * (a magazine of an old size discarded, a drain, a spill) never run a
 * destructor there: the slab layer leaves the slabs they empty to the
 * cache's work item when the cache has a destructor (slab.c).
 *
 * NUMA: a CPU's loaded and previous magazines, and the depot's full
 * magazines it takes, hold objects of its home node only (bslab_home_node():
 * its node, or the nearest with memory).  Fills come from that node's
 * slabs; the depot keeps a stack of full magazines per node (keyed by the
 * node of a magazine's first round) and one of empty ones.  A free of
 * another node's object never reaches this CPU's: the free check's compare
 * sends it to the slow path (cache.c), which pushes it onto the CPU's
 * third magazine, the remote one, or, when that is full or missing, calls
 * bslab_cpu_free_remote().  A full remote magazine whose rounds are all of
 * one home node goes to that node's full stack in the depot, for its CPUs
 * to allocate from, as a full magazine of a local free does; one of mixed
 * nodes, or with the depot at its bound, gives its rounds to their slabs
 * (remote_to_depot()).  Every drain empties the remote magazine into the
 * slab layer.
 */
#include <linux/cpu.h>
#include <linux/percpu.h>
#include <linux/sched/isolation.h>
#include <linux/workqueue.h>

#include "magazine.h"
#include "cache.h"
#include <trace/events/bslab.h>

static const unsigned int mag_sizes[] = { 6, 14, 30, 62, 126, 254 };
static struct bslab_cache *mag_cache[ARRAY_SIZE(mag_sizes)];

/* The depot's bound (above), in bytes, for all possible CPUs together. */
static unsigned int depot_limit_kb = 64;
static unsigned long depot_limit_bytes;

static int depot_limit_set(const char *val, const struct kernel_param *kp)
{
	unsigned int kb;
	int ret = kstrtouint(val, 0, &kb);

	if (ret)
		return ret;
	if (kb > SZ_1M) {
		pr_err("bslab: depot_limit_kb=%u: at most %u KiB a CPU (0: no bound)\n",
		       kb, SZ_1M);
		return -ERANGE;
	}
	WRITE_ONCE(depot_limit_kb, kb);
	WRITE_ONCE(depot_limit_bytes, (unsigned long)kb * SZ_1K * num_possible_cpus());
	return 0;
}

static const struct kernel_param_ops depot_limit_ops = {
	.set = depot_limit_set,
	.get = param_get_uint,
};

module_param_cb(depot_limit_kb, &depot_limit_ops, &depot_limit_kb, 0644);
MODULE_PARM_DESC(depot_limit_kb,
		 "KiB of objects a cache's depot keeps in full magazines, per possible CPU, 0 for no bound, at most 1048576 (default 64); takes effect at once");

/**
 * bslab_depot_limit() - the least bound of any cache's depot
 *
 * Return: depot_limit_kb times the possible CPUs, in bytes; 0: no bound.
 */
unsigned long bslab_depot_limit(void)
{
	return READ_ONCE(depot_limit_bytes);
}

BSLAB_EXPORT_INTERNAL(bslab_depot_limit);

/* How far a cache's bound may grow: depot_limit_kb << this. */
#define DEPOT_LIMIT_SHIFT_MAX	6

/**
 * bslab_depot_limit_of() - one cache's depot bound now
 * @cp: the cache
 *
 * Return: bytes of objects its depot's full magazines may hold; 0: none.
 */
unsigned long bslab_depot_limit_of(const struct bslab_cache *cp)
{
	return READ_ONCE(depot_limit_bytes) << READ_ONCE(cp->depot.limit_shift);
}

/*
 * Is the depot at its bound, for a full magazine of @size rounds?  Read
 * without the depot lock: a free that races another may let the depot
 * pass the bound by a magazine, which the next reap takes back.
 */
static bool depot_at_limit(const struct bslab_cache *cp, unsigned int size)
{
	unsigned long limit = bslab_depot_limit_of(cp);

	return limit && READ_ONCE(cp->depot.nfull) * size * cp->chunk >= limit;
}

/* The shared "no magazine": nothing to pop, no room to push. */
struct bslab_magazine bslab_no_magazine;
BSLAB_EXPORT_INTERNAL(bslab_no_magazine);

static unsigned int mag_index(unsigned int size)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mag_sizes) - 1; i++)
		if (mag_sizes[i] == size)
			break;
	return i;
}

/**
 * bslab_magazine_size() - the size of a cache's new magazines
 * @cp: the cache
 *
 * Return: rounds per magazine, or 0 for a cache without a CPU layer.
 */
unsigned int bslab_magazine_size(const struct bslab_cache *cp)
{
	if (cp->flags & BSLAB_NOMAGAZINE)
		return 0;
	return mag_sizes[READ_ONCE(cp->depot.size_idx)];
}

BSLAB_EXPORT_INTERNAL(bslab_magazine_size);

/**
 * bslab_magazine_resize() - step a cache's magazine size up or down
 * @cp: the cache
 * @up: grow (else shrink)
 *
 * Return: true if the size changed.  Magazines of the old size drain away
 * as they come back to the depot; the depot is purged here.
 */
bool bslab_magazine_resize(struct bslab_cache *cp, bool up)
{
	struct bslab_depot *d = &cp->depot;
	unsigned long flags;
	unsigned int idx;

	raw_spin_lock_irqsave(&d->lock, flags);
	idx = d->size_idx;
	if (up ? idx + 1 >= ARRAY_SIZE(mag_sizes) : idx == 0) {
		raw_spin_unlock_irqrestore(&d->lock, flags);
		return false;
	}
	WRITE_ONCE(d->size_idx, up ? idx + 1 : idx - 1);
	if (up)
		d->ev.magazine_resize_up++;
	else
		d->ev.magazine_resize_down++;
	raw_spin_unlock_irqrestore(&d->lock, flags);
	trace_bslab_magazine_resize(cp->name, mag_sizes[idx],
				    mag_sizes[up ? idx + 1 : idx - 1]);
	bslab_depot_purge(cp, true, NULL);
	return true;
}

BSLAB_EXPORT_INTERNAL(bslab_magazine_resize);

static struct bslab_magazine *mag_new(struct bslab_cache *cp, gfp_t gfp)
{
	unsigned int idx = READ_ONCE(cp->depot.size_idx);
	struct bslab_magazine *m;

	m = bslab_cache_alloc(mag_cache[idx], gfp);
	if (m) {
		m->next = NULL;
		m->rounds = 0;
		m->size = mag_sizes[idx];
	}
	return m;
}

/* Give a magazine's rounds back to the slab layer; returns how many. */
static unsigned int mag_drain(struct bslab_cache *cp, struct bslab_magazine *m)
{
	unsigned int n = m->rounds;

	bslab_slab_free_batch(cp, n, m->objs);
	m->rounds = 0;
	return n;
}

/* Empty a magazine into the slab layer and free it; the sentinel is kept. */
static unsigned int mag_discard(struct bslab_cache *cp,
				struct bslab_magazine *m)
{
	unsigned int n;

	if (m == &bslab_no_magazine)
		return 0;
	n = mag_drain(cp, m);
	bslab_cache_free(mag_cache[mag_index(m->size)], m);
	return n;
}

/*
 * Free the empty magazines of @list (linked through ->next), a batch at a
 * time to each size's cache (a purge's are mostly of one size): one hold
 * of its slab lock a batch, not one a magazine.  Returns how many.
 */
static unsigned long mags_free(struct bslab_magazine *list)
{
	void *batch[16];
	unsigned int n = 0, idx = 0, i;
	unsigned long freed = 0;
	struct bslab_magazine *m;

	while (list) {
		m = list;
		list = m->next;		/* before the free reuses it */
		i = mag_index(m->size);
		if (n && (i != idx || n == ARRAY_SIZE(batch))) {
			bslab_cache_free_bulk(mag_cache[idx], n, batch);
			n = 0;
		}
		idx = i;
		batch[n++] = m;
		freed++;
	}
	if (n)
		bslab_cache_free_bulk(mag_cache[idx], n, batch);
	return freed;
}

/* ---- the depot ---- */

static unsigned long depot_lock(struct bslab_depot *d)
	__acquires(&d->lock)
{
	unsigned long flags;

	local_irq_save(flags);
	if (!raw_spin_trylock(&d->lock)) {
		raw_spin_lock(&d->lock);
		d->ev.depot_contention++;
	}
	return flags;
}

static void depot_unlock(struct bslab_depot *d, unsigned long flags)
	__releases(&d->lock)
{
	raw_spin_unlock_irqrestore(&d->lock, flags);
}

/*
 * A fill after a spill in the same interval: the objects given back were
 * wanted again, so double the bound (once per spill).
 */
static void depot_limit_grow(struct bslab_depot *d)
{
	unsigned long flags = depot_lock(d);

	if (d->spilled) {
		d->spilled = false;
		if (d->limit_shift < DEPOT_LIMIT_SHIFT_MAX) {
			WRITE_ONCE(d->limit_shift, d->limit_shift + 1);
			d->ev.depot_limit_grow++;
		}
	}
	depot_unlock(d, flags);
}

/**
 * bslab_depot_limit_tick() - the reaper's interval for a cache's bound
 * @cp: the cache
 *
 * Halves the bound (down to depot_limit_kb) if no fill after a spill
 * doubled it during the interval, and forgets the interval's spills.
 *
 * Context: the reaper (under bslab_caches_mutex); takes the depot lock.
 */
void bslab_depot_limit_tick(struct bslab_cache *cp)
{
	struct bslab_depot *d = &cp->depot;
	unsigned long flags;

	lockdep_assert_held(&bslab_caches_mutex);
	flags = depot_lock(d);
	if (d->ev.depot_limit_grow == d->limit_grow_seen && d->limit_shift)
		WRITE_ONCE(d->limit_shift, d->limit_shift - 1);
	d->limit_grow_seen = d->ev.depot_limit_grow;
	d->spilled = false;
	depot_unlock(d, flags);
}

/*
 * Take a magazine off the depot's empty stack, or off node @nid's full
 * stack (NUMA_NO_NODE: the first node's that has one); NULL if none.
 */
static struct bslab_magazine *depot_pop_locked(struct bslab_cache *cp,
					       bool full, int nid)
{
	struct bslab_depot *d = &cp->depot;
	struct bslab_magazine **list = &d->empty;
	unsigned long *n = &d->nempty, *low = &d->min_empty;
	struct bslab_magazine *m;

	lockdep_assert_held(&d->lock);
	if (full) {
		if (nid == NUMA_NO_NODE)
			for (nid = 0; nid < nr_node_ids - 1; nid++)
				if (cp->node[nid].mag_full)
					break;
		list = &cp->node[nid].mag_full;
		n = &d->nfull;
		low = &d->min_full;
	}
	m = *list;
	if (m) {
		*list = m->next;
		if (full) {
			struct bslab_node *bn = &cp->node[nid];

			WRITE_ONCE(bn->nr_mag_full, bn->nr_mag_full - 1);
			bn->min_mag_full = min(bn->min_mag_full,
					       bn->nr_mag_full);
		}
		(*n)--;
		*low = min(*low, *n);
	}
	return m;
}

/*
 * The node of a full magazine's rounds: its first's.  They are all one
 * node's but where a slab could not be had on that node (slab.c).
 */
static int mag_node(const struct bslab_magazine *m)
{
	return page_to_nid(virt_to_page(m->objs[0]));
}

/*
 * Put a full magazine on its node's full stack (counted in depot_free:
 * rounds a CPU gave up), an empty one on the empty stack.
 */
static void depot_push_locked(struct bslab_cache *cp, struct bslab_magazine *m)
{
	struct bslab_depot *d = &cp->depot;
	struct bslab_node *n;

	lockdep_assert_held(&d->lock);
	if (mag_has_rounds(m)) {
		n = &cp->node[mag_node(m)];
		m->next = n->mag_full;
		n->mag_full = m;
		WRITE_ONCE(n->nr_mag_full, n->nr_mag_full + 1);
		d->nfull++;
		d->ev.depot_free++;
	} else {
		m->next = d->empty;
		d->empty = m;
		d->nempty++;
	}
}

/*
 * May the slow paths load magazines from the depot?  Not without a CPU
 * layer, and not while the cache is debugged (debug.c drains them).
 */
static bool loads_magazines(const struct bslab_cache *cp)
{
	return !(cp->flags & BSLAB_NOMAGAZINE) && !debug_modes(cp);
}

static bool mag_current(const struct bslab_cache *cp,
			const struct bslab_magazine *m)
{
	return m->size == mag_sizes[READ_ONCE(cp->depot.size_idx)];
}

/*
 * Put a magazine no CPU holds any more into the depot, or, if it is partly
 * full or of an old size, empty it into the slab layer (and keep it if it is
 * of the current size).
 */
static void depot_return(struct bslab_cache *cp, struct bslab_magazine *m)
{
	struct bslab_depot *d = &cp->depot;
	unsigned long flags;

	if (m == &bslab_no_magazine)
		return;
	if (!mag_current(cp, m)) {
		mag_discard(cp, m);
		return;
	}
	if (m->rounds != m->size)
		mag_drain(cp, m);
	flags = depot_lock(d);
	depot_push_locked(cp, m);
	depot_unlock(d, flags);
}

/* ---- the CPU layer's slow paths (preemption off, cc->busy set) ---- */

/**
 * bslab_cpu_alloc_slow() - allocate when the loaded magazine is empty
 * @cp: the cache
 * @cc: this CPU's cache, busy
 *
 * Return: an object, or NULL: go to the slab layer.
 */
void *bslab_cpu_alloc_slow(struct bslab_cache *cp, struct bslab_cpu_cache *cc)
{
	struct bslab_magazine *p = cc->prev, *full;
	struct bslab_depot *d = &cp->depot;
	int nid = bslab_home_node();
	bool keep_prev = false;
	unsigned long flags;

	WARN_ON_ONCE(!cc->busy);
	if (mag_has_rounds(p)) {
		cpu_mag_swap(cc);
		cc->ev.alloc_swap++;
		return mag_pop(cp, cc->loaded);
	}
	/* this CPU's node's magazines only */
	if (!loads_magazines(cp) || !READ_ONCE(cp->node[nid].nr_mag_full))
		return NULL;

	flags = depot_lock(d);
	full = depot_pop_locked(cp, true, nid);
	if (full) {
		d->ev.depot_alloc++;
		keep_prev = mag_current(cp, p);
		if (keep_prev)
			depot_push_locked(cp, p);
	}
	depot_unlock(d, flags);
	if (!full)
		return NULL;
	if (!keep_prev)
		mag_discard(cp, p);
	cpu_mag_load(cc, full);
	cc->ev.alloc_depot++;
	trace_bslab_magazine_exchange(cp->name, true, full->rounds);
	return mag_pop(cp, full);
}

/* Reverse the order of @n pointers. */
static void reverse_ptrs(void **p, size_t n)
{
	size_t i;

	for (i = 0; i < n / 2; i++)
		swap(p[i], p[n - 1 - i]);
}

/*
 * The flags for a magazine a client's allocation needs: its context and
 * reclaim, never its zeroing, accounting or promise not to fail.
 */
static gfp_t mag_gfp(gfp_t gfp)
{
	return (gfp & ~(__GFP_ZERO | __GFP_ACCOUNT | __GFP_NOFAIL)) |
	       __GFP_NOWARN;
}

/**
 * bslab_cpu_fill() - allocate when this CPU's magazines and the depot are empty
 * @cp: the cache
 * @gfp: the allocation's flags
 * @nid: this CPU's node, or NUMA_NO_NODE for it
 *
 * The slab layer fills a magazine in one batch, under one hold of its lock,
 * outside any busy section, so that it may make a slab as @gfp allows
 * (bslab_slab_fill(): its free objects, or one new slab's).  The
 * magazine holds its rounds in reverse, so objects leave it in the order
 * the slab layer handed them out (the fullest slab first).  The top one is
 * the caller's; the magazine is then loaded on this CPU again (if another
 * empty one was loaded meanwhile, that one becomes the previous one and
 * the old previous one goes back to the depot), unless the CPU got rounds
 * meanwhile, the cache stopped loading magazines (a debug switch), their
 * size changed, or the task moved to a CPU of another node (the magazine
 * is that node's objects): then it is given back.  While it is filled it is on its
 * way (counted for verify, as a drain's are).
 *
 * Context: where pages_allowed(), else it does nothing: the slab layer
 * serves one object there, keeping its free objects for such allocations.
 * Return: an object; NULL: go to the slab layer; ERR_PTR(-ENOMEM): the
 * slab layer had none to give (counted there), the allocation fails.
 */
void *bslab_cpu_fill(struct bslab_cache *cp, gfp_t gfp, int nid)
{
	struct bslab_depot *d = &cp->depot;
	struct bslab_magazine *m = NULL, *old;
	struct bslab_cpu_cache *cc;
	unsigned long flags;
	void *obj;
	size_t n;

	if (!loads_magazines(cp) || !pages_allowed())
		return NULL;
	if (unlikely(READ_ONCE(d->spilled)))
		depot_limit_grow(d);
	/*
	 * The CPU's own empty loaded magazine, else the depot's, else a new
	 * one.  An interrupt that found the layer in use goes to the slab
	 * layer: it could not load the magazine.
	 */
	if (!cpu_layer_enter(cp, &cc))
		return NULL;
	old = cc->loaded;
	if (old->size && !mag_has_rounds(old) && mag_current(cp, old)) {
		m = old;
		cc->loaded = &bslab_no_magazine;
	}
	cpu_layer_exit(cp, cc);
	if (!m && READ_ONCE(d->nempty)) {
		flags = depot_lock(d);
		m = depot_pop_locked(cp, false, NUMA_NO_NODE);
		depot_unlock(d, flags);
	}
	if (!m)
		m = mag_new(cp, mag_gfp(gfp));
	if (!m)
		return NULL;
	atomic_long_inc(&d->transit_begun);
	if (nid == NUMA_NO_NODE)
		nid = bslab_home_node();
	n = bslab_slab_fill(cp, gfp, nid, m->size, m->objs);
	m->rounds = n;
	if (!n) {
		obj = ERR_PTR(-ENOMEM);
		goto give_back;
	}
	reverse_ptrs(m->objs, n);
	/* KASAN: the slab layer made them accessible; rounds are free */
	obj = m->objs[--m->rounds];
	for (n = 0; n < m->rounds; n++)
		kasan_obj_free(cp, m->objs[n]);

	if (!cpu_layer_enter(cp, &cc))
		goto give_back;
	old = cc->loaded;
	if (mag_has_rounds(old) || !loads_magazines(cp) ||
	    !mag_current(cp, m) || nid != bslab_home_node()) {
		cpu_layer_exit(cp, cc);
		goto give_back;
	}
	if (old == &bslab_no_magazine) {
		cc->loaded = m;		/* in the place it was taken from */
	} else {
		old = cc->prev;		/* another empty one was loaded since */
		cpu_mag_load(cc, m);
	}
	cc->ev.alloc_fill++;
	cpu_layer_exit(cp, cc);
	if (old != &bslab_no_magazine)
		depot_return(cp, old);
	atomic_long_inc(&d->transit_done);
	return obj;

give_back:
	/* a magazine not full is emptied into the slab layer */
	depot_return(cp, m);
	atomic_long_inc(&d->transit_done);
	if (!IS_ERR(obj))
		this_cpu_inc(cp->cpu->ev.alloc_fill);
	return obj;
}

/**
 * bslab_depot_add_empty() - an empty magazine for the depot, from outside
 * the CPU layer
 * @cp: the cache
 *
 * The CPU layer runs with preemption off, where PREEMPT_RT forbids the page
 * allocator (pages_allowed()): there a free that needs an empty magazine
 * gets one only if the magazine cache has a free object in its slabs, and
 * at first it has none, so without this the cache would never load a
 * magazine at all.  The free's slow path calls this, preemptible, when the
 * CPU layer could not take the object, and tries again if it returns true.
 *
 * Context: any; allocates only where pages_allowed().
 * Return: true if the depot was given an empty magazine.
 */
bool bslab_depot_add_empty(struct bslab_cache *cp)
{
	struct bslab_depot *d = &cp->depot;
	struct bslab_magazine *m;
	unsigned long flags;

	if (!loads_magazines(cp) || !pages_allowed())
		return false;
	m = mag_new(cp, GFP_NOWAIT | __GFP_NOWARN);
	if (!m)
		return false;
	flags = depot_lock(d);
	if (mag_current(cp, m)) {
		depot_push_locked(cp, m);
		m = NULL;
	}
	depot_unlock(d, flags);
	if (m)			/* resized meanwhile */
		mag_discard(cp, m);
	return !m;
}

/*
 * A full magazine of @rounds goes to the slab layer, the depot being at
 * its bound: noted for the bound's next step (bslab_depot_limit_tick()).
 */
static void depot_spilled(struct bslab_cache *cp, unsigned int rounds)
{
	trace_bslab_magazine_spill(cp->name, rounds);
	if (!READ_ONCE(cp->depot.spilled))
		WRITE_ONCE(cp->depot.spilled, true);
}

/*
 * Trade the full magazine @full for an empty one at the depot, in one
 * hold of its lock: an empty one of the depot's, or a new one allocated
 * before the lock if the depot seemed to have none (given to the depot
 * if one turned up after all).  @full goes onto the depot if @keep (else
 * the caller discards it), counted in depot_remote too if @remote.
 *
 * Inlined, so that each caller's path is what it was when each had its
 * own copy (make bench's W2 and W3 count the instructions).
 *
 * Return: the empty magazine, or NULL if none could be had (counted in
 * magazine_alloc_fail; @full is still the caller's).
 */
static __always_inline struct bslab_magazine *
depot_trade(struct bslab_cache *cp, struct bslab_magazine *full, bool keep,
	    bool remote)
{
	struct bslab_magazine *empty, *spare = NULL;
	struct bslab_depot *d = &cp->depot;
	unsigned int rounds = full->rounds;
	unsigned long flags;

	if (!READ_ONCE(d->nempty))
		spare = mag_new(cp, GFP_NOWAIT | __GFP_NOWARN);
	flags = depot_lock(d);
	empty = depot_pop_locked(cp, false, NUMA_NO_NODE);
	if (!empty)
		swap(empty, spare);
	if (!empty) {
		d->ev.magazine_alloc_fail++;
	} else if (keep) {
		depot_push_locked(cp, full);
		if (remote)
			d->ev.depot_remote++;
	}
	if (spare && mag_current(cp, spare)) {
		depot_push_locked(cp, spare);
		spare = NULL;
	}
	depot_unlock(d, flags);
	if (spare)		/* of a size the cache no longer uses */
		mag_discard(cp, spare);
	/* not full->rounds: @full is the depot's now, another CPU may free it */
	if (empty)
		trace_bslab_magazine_exchange(cp->name, false, rounds);
	return empty;
}

/**
 * bslab_cpu_free_slow() - free when the loaded magazine is full
 * @cp: the cache
 * @cc: this CPU's cache, busy
 * @obj: the object
 *
 * Takes the depot lock once: a new empty magazine, if the depot seems to
 * have none, is allocated before (and given to the depot if one turned up
 * after all).
 *
 * Return: true if @obj went into a magazine, false: give it to the slab
 * layer.
 */
bool bslab_cpu_free_slow(struct bslab_cache *cp, struct bslab_cpu_cache *cc,
			 void *obj)
{
	struct bslab_magazine *p = cc->prev, *empty;
	bool keep_prev;

	WARN_ON_ONCE(!cc->busy);
	if (p->size && !mag_has_rounds(p)) {
		cpu_mag_swap(cc);
		cc->ev.free_swap++;
		mag_push(cp, cc->loaded, obj);
		return true;
	}
	if (!loads_magazines(cp))
		return false;

	keep_prev = mag_current(cp, p);
	if (keep_prev && depot_at_limit(cp, p->size)) {
		/* p's rounds go to their slabs; p, now empty, takes the free */
		depot_spilled(cp, p->rounds);
		mag_drain(cp, p);
		cpu_mag_swap(cc);
		cc->ev.free_spill++;
		mag_push(cp, cc->loaded, obj);
		return true;
	}
	empty = depot_trade(cp, p, keep_prev, false);
	if (!empty)
		return false;
	if (!keep_prev)
		mag_discard(cp, p);
	cpu_mag_load(cc, empty);
	cc->ev.free_depot++;
	mag_push(cp, empty, obj);
	return true;
}

/* ---- remote frees (NUMA) ---- */

/*
 * The node all of a full remote magazine's rounds are on, if it is some
 * CPU's home (bslab_home_nodes), whose allocations take its full
 * magazines from the depot; else NUMA_NO_NODE.  Rounds of one slab come
 * in runs (a consumer frees in its producer's order): one look a run.
 */
static int remote_home_node(const struct bslab_cache *cp,
			    const struct bslab_magazine *m)
{
	unsigned long slab, last = 0;
	int nid = NUMA_NO_NODE, n;
	unsigned int i;

	for (i = 0; i < m->rounds; i++) {
		slab = (unsigned long)m->objs[i] & cp->slab_mask;
		if (slab == last)
			continue;
		last = slab;
		n = page_to_nid(virt_to_page((void *)slab));
		if (n != nid && nid != NUMA_NO_NODE)
			return NUMA_NO_NODE;
		nid = n;
	}
	if (nid == NUMA_NO_NODE || !node_isset(nid, bslab_home_nodes))
		return NUMA_NO_NODE;
	return nid;
}

/*
 * A full remote magazine, off its CPU: if its rounds are all of one home
 * node and the depot is under its bound, it goes onto that node's full
 * stack, as a full magazine of a local free does, and the next allocation
 * of a CPU of that node that finds its own magazines empty loads it: the
 * objects go home without the slab layer, which takes them only when a
 * reap or the bound sends them there.  An empty magazine from the depot
 * (or a new one) replaces it.  At the bound, a spill as a local free's:
 * a fill of that node's CPUs after it grows the bound.
 *
 * Return: the empty magazine that replaces @m, or @m itself, whose
 * rounds the caller gives to their slabs.
 */
static struct bslab_magazine *remote_to_depot(struct bslab_cache *cp,
					      struct bslab_magazine *m)
{
	struct bslab_magazine *empty;

	if (!mag_current(cp, m) || m->rounds != m->size ||
	    remote_home_node(cp, m) == NUMA_NO_NODE)
		return m;
	if (depot_at_limit(cp, m->rounds)) {
		depot_spilled(cp, m->rounds);
		return m;
	}
	empty = depot_trade(cp, m, true, true);
	return empty ?: m;
}

/*
 * A remote magazine no CPU holds any more: its rounds go to their slabs,
 * and it goes back to the depot empty (or is freed, of an old size).
 */
static void remote_return(struct bslab_cache *cp, struct bslab_magazine *m)
{
	if (m == &bslab_no_magazine)
		return;
	if (m->rounds)
		mag_drain(cp, m);
	depot_return(cp, m);
}

/**
 * bslab_cpu_free_remote() - free another node's object on this CPU
 * @cp: the cache
 * @obj: an object of a slab of another node than this CPU's home, checked
 *
 * The way of a remote free the slow path's push (cache.c) could not make,
 * and of init_on_free's: pushes @obj onto this CPU's remote magazine if it
 * has room.  A full one is taken off the CPU and goes home: to its node's
 * full magazines in the depot, an empty one taking its place, or its
 * rounds to their slabs in one batch (one hold of the slab lock for a
 * magazine's worth, where a free of each would take it once each); the
 * empty magazine goes back on with @obj.  Remote objects never reach the
 * magazines this CPU allocates from.
 *
 * Context: any.
 * Return: true if @obj was taken (counted in free_remote); false: the
 * caller gives it to the slab layer (no magazine, or the layer in use).
 */
bool bslab_cpu_free_remote(struct bslab_cache *cp, void *obj)
{
	struct bslab_depot *d = &cp->depot;
	struct bslab_cpu_cache *cc;
	struct bslab_magazine *m;

	if (!loads_magazines(cp))
		return false;
	if (!cpu_layer_enter(cp, &cc)) {
		this_cpu_inc(cp->cpu->ev.cpu_busy);
		return false;
	}
	m = cc->remote;
	if (likely(mag_has_room(m))) {
		mag_push(cp, m, obj);
		cc->ev.free_remote++;
		cpu_layer_exit(cp, cc);
		return true;
	}
	cc->remote = &bslab_no_magazine;
	cpu_layer_exit(cp, cc);

	/* none yet, or full: its rounds to their slabs */
	if (m == &bslab_no_magazine) {
		m = mag_new(cp, GFP_NOWAIT | __GFP_NOWARN);
		if (!m)
			return false;
	}
	/*
	 * Held until the cache is last touched (bslab_free_hold()): a cache
	 * destroyed meanwhile, whose last objects these are, is released
	 * only after a grace period.
	 */
	bslab_free_hold();
	atomic_long_inc(&d->transit_begun);
	if (m->rounds)
		m = remote_to_depot(cp, m);
	if (m->rounds)
		mag_drain(cp, m);
	mag_push(cp, m, obj);
	if (cpu_layer_enter(cp, &cc)) {
		cc->ev.free_remote++;
		if (cc->remote == &bslab_no_magazine && mag_current(cp, m)) {
			cc->remote = m;		/* back, with @obj */
			m = NULL;
		}
		cpu_layer_exit(cp, cc);
	} else {
		this_cpu_inc(cp->cpu->ev.free_remote);
	}
	if (m)		/* the CPU got another meanwhile */
		remote_return(cp, m);
	atomic_long_inc(&d->transit_done);
	bslab_free_unhold();
	return true;
}

/**
 * bslab_depot_to_slabs() - one of node @nid's depot magazines to its slabs
 * @cp: the cache
 * @nid: the node asked for
 *
 * An allocation for a node that does not go through this CPU's magazines
 * (another node's than this CPU's, or a bulk one) takes that node's
 * slabs' objects.  Remote frees leave that node's objects in its full
 * magazines in the depot, which only its own CPUs' allocations load: when
 * the node's slabs have no free object left (bslab_slab_take() found
 * none), one of those magazines gives its rounds to them and goes back to
 * the depot empty, rather than the cache growing beside it (or, where no
 * page may be taken, the allocation failing).
 *
 * Context: any.
 * Return: the rounds given to the slabs; 0: the node had no full magazine.
 */
unsigned int bslab_depot_to_slabs(struct bslab_cache *cp, int nid)
{
	struct bslab_depot *d = &cp->depot;
	struct bslab_magazine *m;
	unsigned long flags;
	unsigned int n;

	if (!READ_ONCE(cp->node[nid].nr_mag_full))
		return 0;
	flags = depot_lock(d);
	m = depot_pop_locked(cp, true, nid);
	if (m)
		atomic_long_inc(&d->transit_begun);
	depot_unlock(d, flags);
	if (!m)
		return 0;
	n = mag_drain(cp, m);
	depot_return(cp, m);
	atomic_long_inc(&d->transit_done);
	return n;
}

/* ---- bulk requests (cache.c) ---- */

/**
 * bslab_cpu_take() - take objects from this CPU's magazines
 * @cp: the cache
 * @n: how many are wanted
 * @objs: filled with them
 *
 * Empties the loaded magazine, then the previous one if it is full; goes to
 * no depot.
 *
 * Return: how many were taken.
 */
size_t bslab_cpu_take(struct bslab_cache *cp, size_t n, void **objs)
{
	struct bslab_cpu_cache *cc;
	size_t got;

	if (!cpu_layer_enter(cp, &cc))
		return 0;
	got = cpu_pop_many(cp, cc, n, objs);
	cpu_layer_exit(cp, cc);
	return got;
}

/**
 * bslab_cpu_put() - put objects into this CPU's magazines
 * @cp: the cache
 * @n: how many
 * @objs: the objects; NULL entries are skipped
 *
 * Fills the loaded magazine, then the previous one if it is empty; goes to
 * no depot.  Each object is checked as bslab_cache_free() checks it; the
 * first that fails, or is another node's, is handed to bslab_cache_free(),
 * which reports it and drops it, or sends it to its slab.
 *
 * Return: how many of @objs were dealt with.
 */
size_t bslab_cpu_put(struct bslab_cache *cp, size_t n, void **objs)
{
	struct bslab_cpu_cache *cc;
	size_t i = 0, put = 0;
	bool stop = false;
	void *obj;

	if (!cpu_layer_enter(cp, &cc))
		return 0;
	for (; i < n; i++) {
		obj = objs[i];
		if (!obj)
			continue;
		if (cpu_free_stop(cp, cc, obj)) {
			stop = true;
			break;
		}
		if (!mag_has_room(cc->loaded)) {
			if (!cc->prev->size || mag_has_rounds(cc->prev))
				break;
			cpu_mag_swap(cc);	/* previous was empty */
		}
		if (BSLAB_SANITIZERS && !bslab_san_free_any(cp, obj)) {
			stop = true;		/* a double free */
			break;
		}
		if (want_init_on_free())
			bslab_obj_init_free(cp, obj);
		trace_bslab_free(cp->name, obj, _RET_IP_);
		mag_push(cp, cc->loaded, obj);	/* counted as one run below */
		put++;
	}
	cc->ev.free_cpu += put;
	cpu_layer_exit(cp, cc);
	if (stop)
		bslab_cache_free(cp, objs[i++]);
	return i;
}

/* ---- draining, purging, reaping ---- */

/**
 * bslab_cpu_drain() - take a CPU's magazines away from it
 * @cp: the cache
 * @cpu: a CPU that is dead, or the one this runs on (preemptible; no
 *	task of it can be in the fast path), or any CPU of a dying cache
 *
 * Full magazines go to the depot, the rest into the slab layer; the
 * remote magazine's rounds go to their slabs.
 */
void bslab_cpu_drain(struct bslab_cache *cp, unsigned int cpu)
{
	struct bslab_cpu_cache *cc = per_cpu_ptr(cp->cpu, cpu);
	struct bslab_magazine *m, *p, *r;

	/* An interrupt on this CPU sees busy and stays off the magazines. */
	WRITE_ONCE(cc->busy, 1);
	barrier();
	atomic_long_inc(&cp->depot.transit_begun);
	m = cc->loaded;
	p = cc->prev;
	r = cc->remote;
	cc->loaded = &bslab_no_magazine;
	cc->prev = &bslab_no_magazine;
	cc->remote = &bslab_no_magazine;
	barrier();
	WRITE_ONCE(cc->busy, 0);
	depot_return(cp, m);
	depot_return(cp, p);
	remote_return(cp, r);
	atomic_long_inc(&cp->depot.transit_done);
}

static long cpu_drain_here(void *arg)
{
	bslab_cpu_drain(arg, raw_smp_processor_id());
	return 0;
}

/* One wave of cross-calls that takes the magazines off CPUs. */
struct drain_wave {
	struct bslab_cache *cp;
	raw_spinlock_t lock;		/* @mags, @busy */
	struct bslab_magazine *mags;	/* taken off, linked through next */
	struct bslab_magazine *remote;	/* remote ones taken off */
	struct cpumask *busy;		/* CPUs whose layer was in use */
	unsigned int taken;		/* CPUs whose magazines were taken */
};

/* Does @cpu hold magazines of the wave's cache?  (No magazine is read.) */
static bool cpu_holds_magazines(int cpu, void *info)
{
	struct drain_wave *w = info;
	struct bslab_cpu_cache *cc = per_cpu_ptr(w->cp->cpu, cpu);

	return READ_ONCE(cc->loaded) != &bslab_no_magazine ||
	       READ_ONCE(cc->prev) != &bslab_no_magazine ||
	       READ_ONCE(cc->remote) != &bslab_no_magazine;
}

static void wave_take(struct drain_wave *w, struct bslab_magazine *m,
		      struct bslab_magazine **list)
{
	lockdep_assert_held(&w->lock);
	if (m == &bslab_no_magazine)
		return;
	m->next = *list;
	*list = m;
}

/*
 * On each CPU, interrupts off: take its loaded and previous magazines,
 * unless the code this cross-call interrupted is inside the layer (then
 * the CPU is marked busy in the wave).
 */
static void cpu_take_magazines(void *info)
{
	struct drain_wave *w = info;
	struct bslab_cpu_cache *cc = this_cpu_ptr(w->cp->cpu);

	raw_spin_lock(&w->lock);
	if (READ_ONCE(cc->busy)) {
		cpumask_set_cpu(smp_processor_id(), w->busy);
	} else {
		w->taken++;
		wave_take(w, cc->loaded, &w->mags);
		wave_take(w, cc->prev, &w->mags);
		wave_take(w, cc->remote, &w->remote);
		cc->loaded = &bslab_no_magazine;
		cc->prev = &bslab_no_magazine;
		cc->remote = &bslab_no_magazine;
	}
	raw_spin_unlock(&w->lock);
}

/*
 * Send the wave, at once, to the CPUs of @mask that hold magazines of its
 * cache, and put what it took back: full magazines to the depot, the rest
 * into the slab layer.  The CPUs it found busy are in w->busy.  The caller
 * holds cpus_read_lock() (not asserted: lockdep_assert_cpus_held() is not
 * exported to modules).
 */
static void drain_wave(struct drain_wave *w, const struct cpumask *mask)
{
	struct bslab_cache *cp = w->cp;
	struct bslab_magazine *m;

	raw_spin_lock_init(&w->lock);
	atomic_long_inc(&cp->depot.transit_begun);
	on_each_cpu_cond_mask(cpu_holds_magazines, cpu_take_magazines, w, true,
			      mask);
	while ((m = w->mags)) {
		w->mags = m->next;
		depot_return(cp, m);
	}
	while ((m = w->remote)) {
		w->remote = m->next;
		remote_return(cp, m);
	}
	atomic_long_inc(&cp->depot.transit_done);
}

/**
 * bslab_cpu_drain_all() - drain the magazines of every online CPU
 * @cp: the cache
 *
 * One wave of cross-calls, to the CPUs that hold magazines of @cp only and
 * all at once, takes them off; full ones then go to the depot, the rest
 * into the slab layer, here.  A CPU whose layer the cross-call found in use
 * is drained by a work item on it (work_on_cpu()) afterwards.
 *
 * Context: process context, may sleep; no bslab lock held.
 */
void bslab_cpu_drain_all(struct bslab_cache *cp)
{
	struct drain_wave w = { .cp = cp };
	cpumask_var_t busy;
	unsigned int cpu;

	if (cp->flags & BSLAB_NOMAGAZINE)
		return;
	cpus_read_lock();
	if (!zalloc_cpumask_var(&busy, GFP_KERNEL)) {
		/* no memory for the wave: one CPU after another */
		for_each_online_cpu(cpu)
			work_on_cpu(cpu, cpu_drain_here, cp);
		cpus_read_unlock();
		return;
	}
	w.busy = busy;
	drain_wave(&w, cpu_online_mask);
	for_each_cpu(cpu, busy)
		work_on_cpu(cpu, cpu_drain_here, cp);
	cpus_read_unlock();
	free_cpumask_var(busy);
}

/* Every CPU-layer counter of @cc added up: it moves when the CPU uses it. */
static u64 cpu_use_count(struct bslab_cpu_cache *cc)
{
	const unsigned int n = sizeof(cc->ev) / sizeof(u64);
	const u64 *ev = (const u64 *)&cc->ev;
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += READ_ONCE(ev[i]);
	return sum;
}

/* bslab_cpu_drain_idle()'s CPUs: found idle, found busy (caches mutex). */
static struct cpumask idle_cpus, idle_busy;

/**
 * bslab_cpu_drain_idle() - take the magazines off the CPUs that left a
 *	cache alone
 * @cp: the cache
 *
 * A CPU that has neither allocated nor freed an object of @cp since the
 * last call holds its magazines for nothing, and each of their objects
 * keeps its slab from the page allocator: on a machine of many CPUs, an
 * idle cache's two magazines a CPU are most of what it holds.  One wave of
 * cross-calls takes them off those CPUs (as bslab_cpu_drain_all() does),
 * full ones to the depot, where the working-set reap finds them unused;
 * a CPU the wave finds inside the layer was not idle and keeps them.  A
 * CPU that uses the cache again loads from the depot or the slab layer,
 * as after any drain.  Linux's old SLAB drained an untouched per-CPU
 * array a part at a time every 2 s; this is the same rule, whole, once a
 * second.  The CPUs drained are counted in reap_cpu_drains.  A CPU
 * isolated from kernel noise (isolcpus=, nohz_full=, an isolated cpuset
 * partition: cpu_is_isolated()) is left alone, as vmstat's and memcg's
 * per-CPU flushes leave it: the cross-call is the jitter it was isolated
 * from.  Its magazines go back when the cache is reaped on demand (the
 * reap file, bslab_cache_reap()), when the CPU goes offline, or when the
 * cache is destroyed.
 *
 * Context: the reaper, cpus_read_lock() then bslab_caches_mutex held.
 * Return: true if no online CPU used @cp since the last call, so that its
 * whole depot is surplus.
 */
bool bslab_cpu_drain_idle(struct bslab_cache *cp)
{
	struct drain_wave w = { .cp = cp, .busy = &idle_busy };
	struct bslab_cpu_cache *cc;
	unsigned long flags;
	bool idle = true;
	unsigned int cpu;
	u64 used;

	lockdep_assert_held(&bslab_caches_mutex);
	if (cp->flags & BSLAB_NOMAGAZINE)
		return false;
	cpumask_clear(&idle_cpus);
	rcu_read_lock();	/* cpu_is_isolated(): the housekeeping masks */
	for_each_online_cpu(cpu) {
		cc = per_cpu_ptr(cp->cpu, cpu);
		used = cpu_use_count(cc);
		if (used != cc->used_seen) {
			cc->used_seen = used;
			idle = false;
		} else if (cpu_holds_magazines(cpu, &w) &&
			   !cpu_is_isolated(cpu)) {
			cpumask_set_cpu(cpu, &idle_cpus);
		}
	}
	rcu_read_unlock();
	if (cpumask_empty(&idle_cpus))
		return idle;
	cpumask_clear(&idle_busy);
	drain_wave(&w, &idle_cpus);
	raw_spin_lock_irqsave(&cp->depot.lock, flags);
	cp->depot.ev.reap_cpu_drains += w.taken;
	raw_spin_unlock_irqrestore(&cp->depot.lock, flags);
	return idle && cpumask_empty(&idle_busy);
}

/**
 * bslab_depot_purge() - free depot magazines
 * @cp: the cache
 * @all: every magazine; else the working-set surplus: as many full and
 *	empty magazines as the depot never needed since the last purge
 * @mags: if not NULL, set to the number of magazines freed
 *
 * The rounds of freed full magazines go back to the slab layer.  The
 * working-set minima start again from the depot's contents.  The caller
 * counts what was freed, as reaping or shrinking.
 *
 * Return: objects given back to the slab layer.
 */
unsigned long bslab_depot_purge(struct bslab_cache *cp, bool all,
				unsigned long *mags)
{
	struct bslab_magazine *full = NULL, *empty = NULL, *m;
	unsigned long flags, nfull, nempty, i, objs = 0, freed;
	struct bslab_depot *d = &cp->depot;
	struct bslab_node *bn;
	int nid;

	flags = depot_lock(d);
	atomic_long_inc(&d->transit_begun);
	/* each node's working set: a node's idle magazines, not another's */
	for (nid = 0; nid < nr_node_ids; nid++) {
		bn = &cp->node[nid];
		nfull = all ? bn->nr_mag_full : bn->min_mag_full;
		for (i = 0; i < nfull; i++) {
			m = depot_pop_locked(cp, true, nid);
			m->next = full;
			full = m;
		}
	}
	nempty = all ? d->nempty : d->min_empty;
	for (i = 0; i < nempty; i++) {
		m = depot_pop_locked(cp, false, NUMA_NO_NODE);
		m->next = empty;
		empty = m;
	}
	for (nid = 0; nid < nr_node_ids; nid++)
		cp->node[nid].min_mag_full = cp->node[nid].nr_mag_full;
	d->min_full = d->nfull;
	d->min_empty = d->nempty;
	depot_unlock(d, flags);

	for (m = full; m; m = m->next)
		objs += mag_drain(cp, m);
	freed = mags_free(full) + mags_free(empty);
	atomic_long_inc(&d->transit_done);
	if (mags)
		*mags = freed;
	return objs;
}

/* ---- setting up and tearing down ---- */

/*
 * Small objects get large magazines: they cost little to park, and every
 * depot trip saved is a shared lock and shared cache lines not touched.
 */
static unsigned int initial_size_idx(const struct bslab_cache *cp)
{
	if (cp->chunk <= 256)
		return 3;	/* 62 rounds */
	if (cp->chunk <= 1024)
		return 2;	/* 30 rounds */
	return 0;		/* 6 rounds */
}

/**
 * bslab_cpu_layer_init() - give a new cache its CPU layer and depot
 * @cp: the cache
 *
 * Return: 0 or -ENOMEM.
 */
int bslab_cpu_layer_init(struct bslab_cache *cp)
{
	struct bslab_cpu_cache *cc;
	unsigned int cpu;

	raw_spin_lock_init(&cp->depot.lock);
	cp->depot.size_idx = initial_size_idx(cp);
	cp->cpu = alloc_percpu(struct bslab_cpu_cache);
	if (!cp->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		cc = per_cpu_ptr(cp->cpu, cpu);
		cc->loaded = &bslab_no_magazine;
		cc->prev = &bslab_no_magazine;
		cc->remote = &bslab_no_magazine;
		cc->owner = (unsigned long)cp;
		if (IS_ENABLED(CONFIG_NUMA))
			cc->owner |= per_cpu(bslab_home_tag, cpu);
	}
	return 0;
}

/**
 * bslab_cpu_layer_drain() - give back every magazine of a dying cache
 * @cp: the cache, which no one uses any more
 *
 * Every CPU's magazines and the depot are emptied into the slab layer.
 */
void bslab_cpu_layer_drain(struct bslab_cache *cp)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		bslab_cpu_drain(cp, cpu);
	bslab_depot_purge(cp, true, NULL);
}

/**
 * bslab_cpu_layer_destroy() - free the per-CPU part of a destroyed cache
 * @cp: the cache, drained, or one whose CPU layer was never made
 */
void bslab_cpu_layer_destroy(struct bslab_cache *cp)
{
	free_percpu(cp->cpu);
	cp->cpu = NULL;
}

static void mag_cache_describe(unsigned int i, struct bslab_internal_desc *d)
{
	snprintf(d->name, sizeof(d->name), "bslab_magazine_%u", mag_sizes[i]);
	d->size = sizeof(struct bslab_magazine) + mag_sizes[i] * sizeof(void *);
	d->flags = BSLAB_NOMAGAZINE;
	d->metadata = true;
}

int bslab_magazine_init(void)
{
	depot_limit_bytes = (unsigned long)depot_limit_kb * SZ_1K * num_possible_cpus();
	return bslab_internal_create(mag_cache, ARRAY_SIZE(mag_cache),
				     mag_cache_describe);
}

void bslab_magazine_exit(void)
{
	bslab_internal_destroy(mag_cache, ARRAY_SIZE(mag_cache));
}
