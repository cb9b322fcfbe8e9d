// SPDX-License-Identifier: GPL-2.0
/*
 * bslab verify: walk a cache and say what is inconsistent (Solaris'
 * ::kmem_verify, SLUB's validate).  Reading /sys/kernel/debug/bslab/<cache>/
 * verify checks one cache, /sys/kernel/debug/bslab/verify every cache; each
 * problem is a line "cache <name>: <what>", and the last line is "ok" when
 * there was none, else how many there were.  Verify reads and never
 * repairs; a problem is not a report through bslab_bug() (the reader asked
 * for it), and it changes no counter.
 *
 * What is checked, in three passes:
 *  1. The slab layer, under cache->lock: each slab is on the collection its
 *     state and its count of objects in use say, of its own node, whose
 *     pages it is; each node's counts, and the cache's sums of them, and
 *     the partial trees' order (fewest free objects first) hold; a
 *     small slab's free list holds only objects of that slab that it handed
 *     out before, each once, none with its handed-out bit set, and as many
 *     as its counts say; a large slab's free list holds bufctls of that
 *     slab (from its own array, each naming its own object), each once;
 *     every bufctl in the hash is the one of an object of this cache, and
 *     there are as many as large slabs have objects
 *     in use; the objects out of each node's slabs add up to its buf_out,
 *     and of all slabs to the cache's.  In a
 *     poisoned cache every free object must still hold its pattern; in a
 *     redzone cache every object, in use or free, its guard bytes.
 *  2. The depot, under its lock and then cache->lock (the lock order of
 *     internal.h): every round of every full magazine is an object of this
 *     cache, at an object's start, that the slab layer has out; no object is
 *     in two magazines; empty magazines are empty; each node's count of
 *     full magazines, and their sum, hold.
 *  3. Each online CPU's magazines (loaded, previous and, NUMA, remote), in
 *     a cross-call on that CPU (so that they cannot move while looked at;
 *     a CPU interrupted in the middle of
 *     its fast path is skipped and said so): the same checks, and no round
 *     is also in the depot.
 * Objects move between CPUs while verify runs, so an object in two CPUs'
 * magazines at once is not looked for: only a frozen machine could tell
 * that from an object that moved.  Every check above holds at every
 * instant, so a busy cache gives no false problem.
 *
 * On a kernel with generic KASAN, each pass also holds KASAN's shadow
 * against the slab layer's own idea of each object (san.h: the shadow
 * changes with the owner, under the same lock or busy section): a free
 * object of a slab, and every round of a magazine, must be poisoned as
 * free, or a use after free of it goes unreported.  The objects out of the
 * slabs and poisoned as free must be exactly the magazines' rounds;
 * any other is an object in use that KASAN takes for freed (a use of it
 * is reported, its free refused as a double free).  That count is only
 * exact while the cache holds still, so it is made only when nothing
 * moved while verify ran: no allocation or free reached a magazine or a
 * slab, no magazine was on its way between a CPU, the depot and the slab
 * layer, and no CPU was skipped.  A BSLAB_TYPESAFE_BY_RCU cache's free
 * objects are not poisoned (san.h), so its shadow is not checked.
 */
#include <linux/bitmap.h>
#include <linux/bsearch.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "files.h"
#include "san.h"
#include "debug.h"

/* Problems printed per cache; the others are only counted. */
#define VERIFY_LINES	64
/* Rounds of the biggest magazine (see magazine.c). */
#define VERIFY_MAG_MAX	254

struct verify {
	struct bslab_cache *cp;
	struct seq_file *m;
	unsigned long problems;
	unsigned long *seen;	/* one bit per object of a slab */
	void **rounds;		/* room for a CPU's or the depot's rounds */
	size_t room;
	unsigned int cpu;
	bool busy;		/* the CPU was in its fast path */
	bool skipped;		/* ... some CPU was, so not every round was seen */
	unsigned long out_freed;	/* objects out, poisoned as free */
	unsigned long rounds_freed;	/* magazine rounds, poisoned as free */
};

static __printf(2, 3) void problem(struct verify *v, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (v->problems++ >= VERIFY_LINES)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	seq_printf(v->m, "cache %s: %pV\n", v->cp->name, &vaf);
	va_end(args);
}

/* KASAN: a free object of a slab must be poisoned as free. */
static void verify_shadow_free(struct verify *v, const void *obj)
{
	if (bslab_kasan_tracks(v->cp) && !bslab_kasan_freed(obj))
		problem(v,
			"free object %p is not poisoned as free in KASAN's shadow (a use after free would go unreported)",
			obj);
}

/* KASAN: an object out of the slabs and poisoned as free, to be accounted. */
static void verify_shadow_out(struct verify *v, const void *obj)
{
	if (bslab_kasan_tracks(v->cp) && bslab_kasan_freed(obj))
		v->out_freed++;
}

/* A free object of a poisoned cache must hold its pattern. */
static void verify_poison(struct verify *v, const void *obj)
{
	size_t at;
	u8 want = 0;

	at = bslab_poison_damage(v->cp, obj, &want);
	if (at < v->cp->size)
		problem(v, "free object %p: poison damaged at byte %zu of %zu: %#04x, not %#04x",
			obj, at, v->cp->size, ((const u8 *)obj)[at], want);
}

static void verify_small_slab(struct verify *v, struct bslab_slab *sp,
			      bool poison)
{
	struct bslab_cache *cp = v->cp;
	unsigned int listed = 0, out, i;
	void *obj;
	u64 idx;

	bitmap_zero(v->seen, cp->objs);
	for (obj = sp->freelist; obj; obj = *(void **)(obj + cp->link)) {
		idx = slab_index(cp, sp, obj);
		if (idx >= sp->fresh) {
			problem(v, "slab %p: its free list holds %p, not an object it handed out",
				sp->first, obj);
			break;
		}
		if (__test_and_set_bit(idx, v->seen)) {
			problem(v, "slab %p: object %p is on its free list twice",
				sp->first, obj);
			break;
		}
		if (test_bit(idx, sp->out))
			problem(v, "slab %p: object %p is on its free list and handed out",
				sp->first, obj);
		else if (poison)
			verify_poison(v, obj);
		verify_shadow_free(v, obj);
		listed++;
	}
	for_each_set_bit(i, sp->out, cp->objs)
		verify_shadow_out(v, slab_obj(cp, sp, i));
	out = bitmap_weight(sp->out, cp->objs);
	if (out != sp->inuse)
		problem(v, "slab %p: %u objects out by its bits, %u by its count",
			sp->first, out, sp->inuse);
	if (listed + sp->inuse != sp->fresh)
		problem(v, "slab %p: %u objects on its free list, %u expected",
			sp->first, listed, sp->fresh - sp->inuse);
	if (find_next_bit(sp->out, cp->objs, sp->fresh) < cp->objs)
		problem(v, "slab %p: an object never handed out is marked out",
			sp->first);
	for (i = sp->fresh; i < cp->objs; i++) {
		if (poison)
			verify_poison(v, slab_obj(cp, sp, i));
		verify_shadow_free(v, slab_obj(cp, sp, i));
	}
}

static void verify_large_slab(struct verify *v, struct bslab_slab *sp,
			      bool poison)
{
	struct bslab_cache *cp = v->cp;
	struct bslab_bufctl *bc;
	unsigned int listed = 0;
	unsigned long off;
	u64 idx;

	bitmap_zero(v->seen, cp->objs);
	for (bc = sp->freelist; bc; bc = bc->next) {
		off = (unsigned long)bc - (unsigned long)sp->bufctl;
		if (off >= cp->objs * sizeof(*bc) || off % sizeof(*bc)) {
			problem(v,
				"slab %p: its free list holds a bufctl (%p) that is not one of its own",
				sp->first, bc);
			break;
		}
		/* an address outside @sp's objects has an index past them */
		idx = slab_index(cp, sp, bc->buf);
		if (idx >= cp->objs) {
			problem(v,
				"slab %p: its free list holds a bufctl of %p, not of an object of it",
				sp->first, bc->buf);
			break;
		}
		if (idx != off / sizeof(*bc))
			problem(v, "slab %p: bufctl %lu names object %llu",
				sp->first, off / sizeof(*bc), idx);
		if (__test_and_set_bit(idx, v->seen)) {
			problem(v, "slab %p: object %p is on its free list twice",
				sp->first, bc->buf);
			break;
		}
		if (poison)
			verify_poison(v, bc->buf);
		verify_shadow_free(v, bc->buf);
		listed++;
	}
	if (listed + sp->inuse != cp->objs)
		problem(v, "slab %p: %u objects on its free list, %u expected",
			sp->first, listed, cp->objs - sp->inuse);
}

/* Every bufctl in the hash is an object of this cache: how many. */
static unsigned long verify_hash_locked(struct verify *v)
{
	struct bslab_cache *cp = v->cp;
	unsigned long i, n = 0;
	struct bslab_bufctl *bc;
	struct bslab_slab *sp;
	struct page *page;
	u64 idx;

	lockdep_assert_held(&cp->lock);
	for (i = 0; i < 1UL << cp->hash_bits; i++) {
		for (bc = cp->hash[i]; bc; bc = bc->next) {
			page = slab_page_of(cp, bc->buf);
			sp = page && slab_page_owner(page) == cp ?
			     slab_page_slab(page) : NULL;
			idx = sp ? slab_index(cp, sp, bc->buf) : cp->objs;
			if (idx >= cp->objs)
				problem(v,
					"the hash holds a bufctl of %p, not an object of this cache",
					bc->buf);
			else if (bc != &sp->bufctl[idx])
				problem(v,
					"the hash holds a bufctl of %p that is not its slab's",
					bc->buf);
			else
				verify_shadow_out(v, bc->buf);
			if (++n > cp->buf_out + 1)	/* a loop */
				return n;
		}
	}
	return n;
}

/* Every object of a REDZONE cache, in use or free, keeps its guard. */
static void verify_redzones(struct verify *v, struct bslab_slab *sp)
{
	struct bslab_cache *cp = v->cp;
	unsigned int i;
	u8 want = 0;
	size_t at;
	u8 *obj;

	for (i = 0; i < cp->objs; i++) {
		obj = slab_obj(cp, sp, i);
		at = bslab_redzone_damage(cp, obj, &want);
		if (at < cp->redzone_len)
			problem(v, "object %p: redzone damaged at byte %zu: %#04x, not %#04x",
				obj, cp->redzone + at, obj[cp->redzone + at],
				want);
	}
}

/*
 * @nid: the node whose lists @sp is on (NUMA_NO_NODE: the deferred list);
 * a slab is on its own node's lists, and its pages are that node's.
 */
static void verify_slab(struct verify *v, struct bslab_slab *sp, int nid,
			enum bslab_slab_state want, unsigned long *inuse,
			bool poison)
{
	struct bslab_cache *cp = v->cp;
	int page_nid = page_to_nid(virt_to_page(slab_base(cp, sp)));
	bool ok;

	if (page_nid != sp->nid || (nid != NUMA_NO_NODE && nid != sp->nid))
		problem(v, "slab %p: of node %u, its pages node %d's, on node %d's lists",
			sp->first, sp->nid, page_nid, nid);

	switch (want) {
	case BSLAB_SLAB_FULL:
		ok = sp->inuse == cp->objs;
		break;
	case BSLAB_SLAB_PARTIAL:
		ok = sp->inuse && sp->inuse < cp->objs;
		break;
	default:
		ok = !sp->inuse;
	}
	if (sp->state != want || !ok)
		problem(v,
			"slab %p: state %u with %u of %u objects in use, on the list of state %u",
			sp->first, sp->state, sp->inuse, cp->objs, want);
	*inuse += sp->inuse;
	if (cp->large)
		verify_large_slab(v, sp, poison);
	else
		verify_small_slab(v, sp, poison);
	if (cp->redzone_len)
		verify_redzones(v, sp);
}

static void verify_list_locked(struct verify *v, struct list_head *list,
			       int nid, enum bslab_slab_state want,
			       unsigned long count, unsigned long *inuse,
			       bool poison)
{
	struct bslab_slab *sp;
	unsigned long n = 0;

	lockdep_assert_held(&v->cp->lock);
	list_for_each_entry(sp, list, list) {
		verify_slab(v, sp, nid, want, inuse, poison);
		if (++n > count)
			break;
	}
	if (n != count)
		problem(v, "%lu slabs on the list of state %u, %lu counted",
			n, want, count);
}

/* Node @nid's collections; their objects out added to *@inuse. */
static void verify_node_locked(struct verify *v, int nid, unsigned long *inuse,
			       bool poison)
{
	struct bslab_cache *cp = v->cp;
	struct bslab_node *bn = &cp->node[nid];
	unsigned long n = 0, out = 0, count;
	unsigned int prev_free = 0, nfree;
	struct bslab_slab *sp;
	struct rb_node *node;

	lockdep_assert_held(&cp->lock);
	for (node = rb_first_cached(&bn->partial); node; node = rb_next(node)) {
		sp = rb_entry(node, struct bslab_slab, node);
		nfree = cp->objs - sp->inuse;
		if (nfree < prev_free)
			problem(v, "partial tree out of order at slab %p", sp->first);
		prev_free = nfree;
		verify_slab(v, sp, nid, BSLAB_SLAB_PARTIAL, &out, poison);
		n++;
	}
	count = bslab_node_count(&bn->nr_partial, &cp->nr_partial);
	if (n != count)
		problem(v, "node %d: %lu slabs in the partial tree, %lu counted",
			nid, n, count);
	verify_list_locked(v, &bn->full, nid, BSLAB_SLAB_FULL,
			   bslab_node_count(&bn->nr_full, &cp->nr_full), &out,
			   poison);
	verify_list_locked(v, &bn->empty, nid, BSLAB_SLAB_EMPTY,
			   bslab_node_count(&bn->nr_empty, &cp->nr_empty), &out,
			   poison);
	count = bslab_node_count(&bn->buf_out, &cp->buf_out);
	if (out != count)
		problem(v, "node %d: slabs have %lu objects out, its buf_out is %lu",
			nid, out, count);
	*inuse += out;
}

static void verify_slabs(struct verify *v)
{
	struct bslab_cache *cp = v->cp;
	unsigned long flags, inuse = 0, hashed;
	unsigned long partial = 0, full = 0, empty = 0;
	struct bslab_node *bn;
	bool poison;
	int nid;

	raw_spin_lock_irqsave(&cp->lock, flags);
	poison = debug_modes(cp) & BSLAB_DBG_POISON_CHECK;
	for (nid = 0; nid < nr_node_ids; nid++) {
		bn = &cp->node[nid];
		verify_node_locked(v, nid, &inuse, poison);
		partial += bslab_node_count(&bn->nr_partial, &cp->nr_partial);
		full += bslab_node_count(&bn->nr_full, &cp->nr_full);
		empty += bslab_node_count(&bn->nr_empty, &cp->nr_empty);
	}
	if (partial != cp->nr_partial || full != cp->nr_full ||
	    empty != cp->nr_empty)
		problem(v, "nodes: %lu full, %lu partial, %lu empty slabs; cache: %lu, %lu, %lu",
			full, partial, empty, cp->nr_full, cp->nr_partial,
			cp->nr_empty);
	verify_list_locked(v, &cp->deferred, NUMA_NO_NODE, BSLAB_SLAB_DEFERRED,
			   cp->nr_deferred, &inuse, poison);
	if (inuse != cp->buf_out)
		problem(v, "slabs have %lu objects out, buf_out is %lu", inuse,
			cp->buf_out);
	if (cp->large) {
		hashed = verify_hash_locked(v);
		if (hashed != inuse)
			problem(v, "the hash holds %lu bufctls, slabs have %lu objects out",
				hashed, inuse);
	}
	raw_spin_unlock_irqrestore(&cp->lock, flags);
}

/* A magazine's round must be an object this cache's slab layer has out. */
static void verify_round_locked(struct verify *v, const void *obj,
				const char *where)
{
	struct bslab_cache *cp = v->cp;
	struct bslab_slab *sp;
	struct page *page;
	u64 idx;

	lockdep_assert_held(&cp->lock);
	page = slab_page_of(cp, obj);
	if (!page || slab_page_owner(page) != cp) {
		problem(v, "%s holds %p, not an object of this cache", where,
			obj);
		return;
	}
	sp = slab_page_slab(page);
	idx = slab_index(cp, sp, obj);
	if (idx >= cp->objs)
		problem(v, "%s holds %p, not the start of an object", where,
			obj);
	else if (!bslab_obj_out_locked(cp, obj))
		problem(v, "%s holds %p, which its slab has free", where, obj);
	else if (!bslab_kasan_tracks(cp))
		return;
	else if (!bslab_kasan_freed(obj))
		problem(v,
			"%s holds %p, which is not poisoned as free in KASAN's shadow (a use after free would go unreported)",
			where, obj);
	else
		v->rounds_freed++;
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Sorted @v->rounds[0, n): report each object that is there twice. */
static void verify_dups(struct verify *v, size_t n, const char *where)
{
	size_t i;

	sort(v->rounds, n, sizeof(void *), cmp_ptr, NULL);
	for (i = 1; i < n; i++)
		if (v->rounds[i] == v->rounds[i - 1])
			problem(v, "object %p is twice in %s", v->rounds[i],
				where);
}

static void verify_depot(struct verify *v)
{
	struct bslab_depot *d = &v->cp->depot;
	unsigned long flags, mags, node_mags;
	struct bslab_magazine *mag;
	unsigned int i;
	size_t n;
	int nid;

	for (;;) {
		raw_spin_lock_irqsave(&d->lock, flags);
		/* room for the depot's rounds, and for a CPU's (verify_cpus()) */
		if (d->nfull * VERIFY_MAG_MAX <= v->room &&
		    3 * VERIFY_MAG_MAX <= v->room)
			break;
		n = (d->nfull + 4) * VERIFY_MAG_MAX;
		raw_spin_unlock_irqrestore(&d->lock, flags);
		kvfree(v->rounds);
		v->room = 0;
		v->rounds = kvmalloc_array(n, sizeof(void *), GFP_KERNEL);
		if (!v->rounds) {
			problem(v, "no memory to check the magazines");
			return;
		}
		v->room = n;
	}
	raw_spin_lock(&v->cp->lock);
	n = 0;
	mags = 0;
	for (nid = 0; nid < nr_node_ids; nid++) {
		node_mags = 0;
		for (mag = v->cp->node[nid].mag_full; mag; mag = mag->next) {
			node_mags++;
			for (i = 0; i < mag->rounds && n < v->room; i++) {
				verify_round_locked(v, mag->objs[i],
						    "a depot magazine");
				v->rounds[n++] = mag->objs[i];
			}
		}
		if (node_mags != v->cp->node[nid].nr_mag_full)
			problem(v, "node %d: %lu full depot magazines, %lu counted",
				nid, node_mags, v->cp->node[nid].nr_mag_full);
		mags += node_mags;
	}
	if (mags != d->nfull)
		problem(v, "the nodes have %lu full depot magazines, the depot counts %lu",
			mags, d->nfull);
	for (mag = d->empty; mag; mag = mag->next)
		if (mag->rounds)
			problem(v, "an empty depot magazine holds %u rounds",
				mag->rounds);
	raw_spin_unlock(&v->cp->lock);
	raw_spin_unlock_irqrestore(&d->lock, flags);
	verify_dups(v, n, "the depot");
}

/* In a cross-call on @v->cpu: its magazines cannot move meanwhile. */
static void verify_cpu(void *arg)
{
	struct verify *v = arg;
	struct bslab_cache *cp = v->cp;
	struct bslab_cpu_cache *cc = this_cpu_ptr(cp->cpu);
	struct bslab_magazine *mags[3] = { cc->loaded, cc->prev, cc->remote };
	struct bslab_magazine *mag;
	char where[48];
	unsigned int i, j;
	size_t n = 0;
	int nid;

	v->busy = cc->busy;
	if (v->busy)
		return;
	snprintf(where, sizeof(where), "a magazine of CPU %u", v->cpu);
	raw_spin_lock(&cp->depot.lock);
	raw_spin_lock(&cp->lock);
	for (j = 0; j < ARRAY_SIZE(mags); j++) {
		for (i = 0; i < mags[j]->rounds && n < v->room; i++) {
			verify_round_locked(v, mags[j]->objs[i], where);
			v->rounds[n++] = mags[j]->objs[i];
		}
	}
	raw_spin_unlock(&cp->lock);
	snprintf(where, sizeof(where), "the magazines of CPU %u", v->cpu);
	verify_dups(v, n, where);
	for (nid = 0; nid < nr_node_ids; nid++)
		for (mag = cp->node[nid].mag_full; mag; mag = mag->next)
			for (i = 0; i < mag->rounds; i++)
				if (bsearch(&mag->objs[i], v->rounds, n,
					    sizeof(void *), cmp_ptr))
					problem(v, "object %p is in %s and in the depot",
						mag->objs[i], where);
	raw_spin_unlock(&cp->depot.lock);
}

static void verify_cpus(struct verify *v)
{
	unsigned int cpu;

	if (v->room < 2 * VERIFY_MAG_MAX) {
		v->skipped = true;
		return;		/* no memory: said by verify_depot() */
	}
	/* no cpus_read_lock(): see debugfs.c; an offline CPU has no rounds */
	for_each_online_cpu(cpu) {
		v->cpu = cpu;
		if (smp_call_function_single(cpu, verify_cpu, v, 1))
			continue;
		if (!v->busy)
			continue;
		v->skipped = true;
		seq_printf(v->m, "cache %s: CPU %u was in its fast path; its magazines were not checked\n",
			   v->cp->name, cpu);
	}
}

/*
 * What moves objects between a client, a magazine and a slab: each
 * counted in the same step, with KASAN's shadow.  The same sum before and
 * after a verify, and no magazine on its way, means nothing moved.
 */
struct verify_moves {
	u64 ops;
	long begun, done;
};

static void verify_moves(const struct bslab_cache *cp, struct verify_moves *mv)
{
	const struct bslab_cpu_events *ev;
	unsigned int cpu;

	smp_mb();	/* these reads after the shadow reads before them */
	mv->ops = READ_ONCE(cp->ev.slab_alloc) + READ_ONCE(cp->ev.slab_free);
	for_each_possible_cpu(cpu) {
		ev = &per_cpu_ptr(cp->cpu, cpu)->ev;
		mv->ops += READ_ONCE(ev->alloc_cpu) + READ_ONCE(ev->alloc_swap) +
			   READ_ONCE(ev->alloc_depot) + READ_ONCE(ev->alloc_fill) +
			   READ_ONCE(ev->free_cpu) +
			   READ_ONCE(ev->free_swap) + READ_ONCE(ev->free_depot) +
			   READ_ONCE(ev->free_spill);
	}
	mv->begun = atomic_long_read(&cp->depot.transit_begun);
	mv->done = atomic_long_read(&cp->depot.transit_done);
	smp_mb();	/* ... and before the shadow reads after them */
}

/* KASAN: the objects in use that the shadow calls free, if the cache held still. */
static void verify_in_use_shadow(struct verify *v,
				 const struct verify_moves *before)
{
	struct verify_moves after;

	if (!bslab_kasan_tracks(v->cp) || v->skipped)
		return;
	verify_moves(v->cp, &after);
	if (after.ops != before->ops || after.begun != before->begun ||
	    after.done != before->done || before->begun != before->done)
		return;		/* it moved: the count would mean nothing */
	if (v->out_freed > v->rounds_freed)
		problem(v,
			"%lu objects in use are poisoned as free in KASAN's shadow (a use of one is reported, its free refused)",
			v->out_freed - v->rounds_freed);
}

/* Check @cp; return its problems.  @v holds the scratch space. */
static unsigned long verify_cache(struct verify *v, struct bslab_cache *cp)
{
	struct verify_moves before;

	v->cp = cp;
	v->problems = 0;
	v->skipped = false;
	v->out_freed = 0;
	v->rounds_freed = 0;
	v->seen = bitmap_zalloc(cp->objs, GFP_KERNEL);
	if (!v->seen) {
		problem(v, "no memory to verify");	/* never "ok" unchecked */
		return v->problems;
	}
	verify_moves(cp, &before);
	verify_slabs(v);
	if (!(cp->flags & BSLAB_NOMAGAZINE)) {
		verify_depot(v);
		verify_cpus(v);
	}
	verify_in_use_shadow(v, &before);
	bitmap_free(v->seen);
	if (v->problems > VERIFY_LINES)
		seq_printf(v->m, "cache %s: %lu more problems not shown\n",
			   cp->name, v->problems - VERIFY_LINES);
	return v->problems;
}

static int verify_end(struct verify *v, unsigned long problems)
{
	kvfree(v->rounds);
	if (problems)
		seq_printf(v->m, "%lu problems\n", problems);
	else
		seq_puts(v->m, "ok\n");
	return 0;
}

/**
 * bslab_verify_show() - the verify file of one cache
 * @m: the file
 * @cp: the cache
 *
 * Return: 0.
 */
int bslab_verify_show(struct seq_file *m, struct bslab_cache *cp)
{
	struct verify v = { .m = m };

	return verify_end(&v, verify_cache(&v, cp));
}

/**
 * bslab_verify_all_show() - the top-level verify file: every cache
 * @m: the file
 *
 * Context: takes bslab_caches_mutex.
 * Return: 0.
 */
int bslab_verify_all_show(struct seq_file *m)
{
	struct verify v = { .m = m };
	unsigned long problems = 0;
	struct bslab_cache *cp;

	mutex_lock(&bslab_caches_mutex);
	list_for_each_entry(cp, &bslab_caches, caches)
		problems += verify_cache(&v, cp);
	mutex_unlock(&bslab_caches_mutex);
	return verify_end(&v, problems);
}
