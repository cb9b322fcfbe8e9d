// SPDX-License-Identifier: GPL-2.0
/*
 * bslab slab layer: slabs of constructed objects on top of the page allocator.
 *
 * A slab is 2^order pages from alloc_pages_node(), naturally aligned because
 * the buddy allocator hands out blocks aligned to their size.  The order is
 * the smallest up to order 3 that leaves at most 1/16 of the slab unused,
 * else the smallest up to BSLAB_MAX_ORDER that leaves at most 1/8 (only
 * objects above half the largest slab cannot have that; they get the least
 * waste).  Its objects are laid out after a color offset:
 *
 *   small (object < PAGE_SIZE/8):
 *     | color | obj 0 | obj 1 | ... | obj n-1 | slack | struct bslab_slab | out bits |
 *   small, off-slab descriptor:
 *     | color | obj 0 | obj 1 | ... | obj n-1 | slack |
 *     with the struct bslab_slab and its bits in a bslab_slab_64 or
 *     bslab_slab_128 object
 *   large (object >= PAGE_SIZE/8):
 *     | color | obj 0 | obj 1 | ... | obj n-1 | slack |
 *     with the struct bslab_slab and its n struct bslab_bufctl, in that
 *     order, in one object of the bslab_bufctl_<m> cache with the least
 *     m >= n (so that a slab is made and given back with one allocation
 *     and one free of bookkeeping; a large slab holds at most 28 objects).
 *
 * A small slab's descriptor goes off-slab when the descriptor in the slab
 * would cost it objects worth more bytes than the off-slab descriptor
 * takes: at 256 bytes, 15 objects and a descriptor in a page against 16
 * and 64 bytes elsewhere (SLUB, whose descriptor is the struct page,
 * puts 16).  Nothing else changes: the slab is still found from its first
 * page, and the descriptor holds the same bits.
 *
 * Coloring: each new slab starts its first object color_step bytes (the
 * larger of the alignment and the cache line) further in than the previous
 * slab did, until the slack is used up, then starts again at 0, so that the
 * same object of different slabs falls on different cache lines.
 *
 * Constructed-object caching: when a slab is created, every object in it is
 * constructed, before the slab is visible to anyone; when it is destroyed,
 * every object is destructed, after the slab is unreachable.  In between,
 * objects keep their constructed state through any number of alloc/free
 * cycles: the free-list word of a small cache with a constructor, a
 * destructor or BSLAB_NOTOUCH lies just past the object, not in it.  A
 * failing constructor undoes the objects done so far and gives the pages
 * back, and the allocation fails.
 *
 * Free objects of a small slab: first those on @freelist (freed at least
 * once), then the never-used ones from index @fresh on, so a new slab needs
 * no free list to be built.  Free objects of a large slab: its bufctls on
 * @freelist; an allocated object's bufctl is in the hash (hash.c).
 *
 * Every free is checked before it touches a list.  The slab's first page
 * names the cache and the descriptor (slab.h), so a pointer that is not
 * in a slab of this cache, or not the start of an object, is refused
 * without reading memory bslab does not own.  A small slab keeps one bit per
 * object, set while the object is out of the slab layer: a second free of a
 * free object finds its bit clear and is refused, so the free list never
 * loops and a slab never goes back to the page allocator with an object in
 * use.  A large object's bufctl is in the hash only while it is out, which
 * makes the same check.  Refused frees are counted in free_invalid and
 * reported through bslab_report_free(); the object is never reused.
 *
 * Fragmentation control: an allocation takes from the partial slab with the
 * fewest free objects, so nearly empty slabs drain and can be given back.
 * The partial slabs are an rbtree sorted by free count, ties to the right,
 * with the leftmost node cached.  Allocating from the leftmost slab only
 * lowers its key, so it stays leftmost: no rebalancing.  A free raises one
 * slab's key; the slab moves only if its successor now has fewer free
 * objects.  A batch of frees looks a slab up (its page and owner word)
 * and settles it once for each run of its objects (struct free_run),
 * never with the lock dropped mid-run; each object of the run is still
 * indexed and its bit tested.  Then
 * empty slabs are used, then a new slab is made.  A free
 * that empties a slab keeps it on its node's empty list if fewer than
 * BSLAB_EMPTY_RESERVE are there, else gives it back at once; reap gives back
 * all empty slabs (but those of the reserve below).
 *
 * Contexts: a cache grows wherever its allocation may take pages
 * (grow_allowed()): in process and softirq context, and, without
 * PREEMPT_RT, in hard IRQ with GFP_ATOMIC or GFP_NOWAIT, as SLUB does.
 * Where it may not (hard IRQ, or preemption off, on PREEMPT_RT), an
 * allocation is served from free objects only.  One that finds none fails
 * (counted in alloc_fail_irq) and doubles the cache's reserve: the free
 * objects the cache's work keeps in its slabs for such allocations, making
 * slabs in process context whenever fewer are free, and which reaping and
 * frees leave alone.  The reaper halves the reserve after an interval with
 * no such allocation.  So a cache that hard IRQ allocates from grows ahead
 * of that demand, and its failures stop after the first few.
 *
 * Frees never give pages back where the page allocator may not be called
 * (pages_allowed(): not in hard IRQ): a slab emptied there is put on the
 * cache's deferred list.  So is any slab a free empties in a cache with a
 * destructor, so that destructors run only from the cache's work item, in
 * process context, never inside the CPU layer or an interrupt.  The reaper,
 * the shrinker and destroy give empty slabs back (destructors included)
 * from process context themselves.
 *
 * BSLAB_TYPESAFE_BY_RCU (the kernel's SLAB_TYPESAFE_BY_RCU): an object may
 * be handed out again at once, but its memory stays an object of the cache
 * while any RCU reader that found it may still look.  So a slab of such a
 * cache, once off the cache's collections, is handed to call_rcu() (its
 * list link becomes the rcu_head), and its pages and descriptor go back
 * from the callback (slab_rcu_free()), a grace period later.  Destroy waits
 * for those callbacks (rcu_barrier()) before the cache goes.  Free objects
 * are never written (the flag implies BSLAB_NOTOUCH), and KASAN does not
 * call them freed (san.h).
 *
 * The kernel's init_on_alloc and init_on_free: an object is zeroed as it
 * goes to a client, or as it comes back, as SLUB zeroes its own
 * (bslab_obj_init_alloc(), bslab_obj_init_free(), called by the cache
 * layer, and here so that the zeroing of a whole chunk is not a KASAN
 * report past a bslab_alloc() size), but in the caches bslab_init_exempt()
 * names.  With init_on_free, a free-list word written into a free object
 * is wiped as the object leaves its slab, so the client sees all zeroes
 * (as SLUB wipes its free pointer).
 *
 * NUMA: a slab's pages are one node's; its collections are that node's
 * (struct bslab_node: partial tree, full and empty lists, objects out), and
 * an allocation takes from the node it names, or its CPU's home node
 * (slab_alloc_batch() says when another node's objects are taken, and
 * counts them).  A free puts an object back on its own slab, so on its own
 * node's lists, whichever CPU frees it.
 *
 * Locking: cp->lock (raw, irq-safe spinlock) covers the collections of
 * every node, every slab's free list, bits and counts, the hash and the
 * counters.  It is dropped around slab creation and destruction: pages,
 * descriptors, bufctls, constructors and destructors are dealt with under
 * no spinlock, on a slab that no one else can reach.
 */
#include <linux/mm.h>
#include <linux/cache.h>
#include <linux/vmstat.h>
#include <linux/mmzone.h>
#include <linux/log2.h>

#include "slab.h"
#include "san.h"
#include "hash.h"
#include "debug.h"
#include "audit.h"
#include <trace/events/bslab.h>

/* ---- layout ---- */

/* Bytes of a small slab's descriptor with the bits of @n objects. */
static size_t desc_bytes(unsigned int n)
{
	return struct_size_t(struct bslab_slab, out, BITS_TO_LONGS(n));
}

/* Slabs of how many objects each descriptor cache serves (internal.h). */
const unsigned short bslab_desc_objs[BSLAB_DESC_CACHES] = {
	64, 128,			/* small slabs: the bits */
	1, 2, 4, 8, 12, 16, 28,		/* large slabs: the bufctls */
};

BSLAB_EXPORT_INTERNAL(bslab_desc_objs);

/*
 * The descriptor cache for an off-slab slab of @n objects of @cp: the
 * smallest that holds @n bits or @n bufctls, or NULL if none does, or it
 * does not exist yet (a descriptor cache being made).
 */
static struct bslab_cache *desc_cache(const struct bslab_cache *cp,
				      unsigned int n)
{
	unsigned int i = cp->large ? BSLAB_DESC_SMALL : 0;
	unsigned int end = cp->large ? BSLAB_DESC_CACHES : BSLAB_DESC_SMALL;

	for (; i < end; i++)
		if (n <= bslab_desc_objs[i])
			return READ_ONCE(bslab_desc_caches[i]);
	return NULL;
}

/*
 * Objects in a slab of 2^@order pages, and its bytes not in objects in
 * *@waste (an in-slab descriptor's among them); 0 if @order will not do.
 * A large slab's descriptor and bufctls are off-slab, so it may hold no
 * more objects than a descriptor cache has bufctls for.  A small slab's
 * descriptor goes off-slab (*@offslab) if that puts more objects in the
 * slab by more bytes than the off-slab descriptor takes.
 */
static unsigned int slab_objs(const struct bslab_cache *cp, unsigned int order,
			      size_t *waste, bool *offslab)
{
	size_t bytes = PAGE_SIZE << order;
	unsigned int n, all = bytes / cp->chunk;
	struct bslab_cache *dc;

	*offslab = cp->large;
	if (cp->large) {
		if (!desc_cache(cp, all))
			all = 0;
		*waste = bytes - (size_t)all * cp->chunk;
		return all;
	}
	n = (bytes - sizeof(struct bslab_slab)) / cp->chunk;
	while (n && (size_t)n * cp->chunk + desc_bytes(n) > bytes)
		n--;
	dc = desc_cache(cp, all);
	if (dc && all > n && (all - n) * cp->chunk > dc->chunk) {
		*offslab = true;
		n = all;
	}
	*waste = bytes - (size_t)n * cp->chunk;
	return n;
}

static unsigned int slab_order(const struct bslab_cache *cp)
{
	unsigned int min_order = 0, order, best;
	size_t waste, best_waste = SIZE_MAX;
	bool off;

	while (min_order < BSLAB_MAX_ORDER &&
	       !slab_objs(cp, min_order, &waste, &off))
		min_order++;

	/* Up to order 3 (or the first order that holds one object)... */
	for (order = min_order; order <= max(min_order, 3u); order++) {
		slab_objs(cp, order, &waste, &off);
		if (waste * 16 <= (PAGE_SIZE << order))
			return order;
	}
	/* ...else any order that wastes no more than 1/8... */
	for (order = min_order; order <= BSLAB_MAX_ORDER; order++) {
		slab_objs(cp, order, &waste, &off);
		if (waste * 8 <= (PAGE_SIZE << order))
			return order;
	}
	/* ...else (objects above half the largest slab) the least waste. */
	best = min_order;
	for (order = min_order; order <= BSLAB_MAX_ORDER; order++) {
		slab_objs(cp, order, &waste, &off);
		waste <<= BSLAB_MAX_ORDER - order;
		if (waste < best_waste) {
			best_waste = waste;
			best = order;
		}
	}
	return best;
}

/*
 * chunk = odd << shift; the free check (slab_index()) multiplies by the
 * odd part's inverse modulo 2^64, found by Newton's iteration: each step
 * doubles the number of correct low bits, and odd * odd is right in 3.
 */
static void chunk_divisor(struct bslab_cache *cp)
{
	u64 odd, inv;
	int i;

	cp->div_shift = __ffs(cp->chunk);
	odd = cp->chunk >> cp->div_shift;
	inv = odd;
	for (i = 0; i < 5; i++)
		inv *= 2 - odd * inv;
	cp->div_inv = inv;
}

/**
 * bslab_slab_layout() - fix a new cache's chunk size, slab order and colors
 * @cp: the cache, with size, align, flags, ctor and dtor set
 *
 * Return: 0, or -EINVAL if one object does not fit in the largest slab.
 */
int bslab_slab_layout(struct bslab_cache *cp)
{
	bool keep = cp->ctor || cp->dtor || (cp->flags & BSLAB_NOTOUCH);
	size_t size = max_t(size_t, cp->size, sizeof(void *));
	bool redzone = cp->debug & BSLAB_DBG_REDZONE;
	size_t waste;

	cp->large = cp->size >= BSLAB_LARGE_MIN;
	cp->link = 0;
	cp->redzone = 0;
	if (redzone) {
		/* right after the object (or its free-list word, if longer) */
		cp->redzone = !cp->large && !keep ? size : cp->size;
		size = cp->redzone + BSLAB_REDZONE_MIN;
	}
	if (!cp->large && keep) {
		cp->link = ALIGN(size, sizeof(void *));
		size = cp->link + sizeof(void *);
	}
#ifdef CONFIG_KASAN_GENERIC
	/*
	 * KASAN: at least a granule past the object's last one, a redzone
	 * while it is in use (kasan_obj_use()), so that an access past its end
	 * is reported as slab-out-of-bounds, as SLUB's redzones make it, and
	 * not named after whatever the next object is.
	 */
	size = max_t(size_t, size, round_up(cp->size, BSLAB_KASAN_GRANULE) +
				   BSLAB_KASAN_GRANULE);
#endif
	cp->chunk = ALIGN(size, cp->align);
	/* the guard runs up to the free-list word or the chunk's end */
	cp->redzone_len = !redzone ? 0 :
			  (!cp->large && keep ? cp->link : cp->chunk) - cp->redzone;
	if (cp->chunk > BSLAB_MAX_SIZE)
		return -EINVAL;

	cp->order = slab_order(cp);
	cp->objs = slab_objs(cp, cp->order, &waste, &cp->offslab);
	if (!cp->objs)		/* a large cache before the descriptor caches */
		return -EINVAL;
	cp->desc_cache = cp->offslab ? desc_cache(cp, cp->objs) : NULL;
	cp->desc = cp->offslab ? 0 : slab_bytes(cp) - desc_bytes(cp->objs);
	if (!cp->offslab)
		waste -= desc_bytes(cp->objs);
	cp->slab_mask = ~(slab_bytes(cp) - 1);
	chunk_divisor(cp);

	cp->color_step = max_t(unsigned int, cp->align, cache_line_size());
	cp->color_max = rounddown(waste, cp->color_step);
	cp->color_next = 0;
	return 0;
}

/* ---- creating and destroying slabs (no lock held) ---- */

static void slab_account(const struct bslab_cache *cp, struct page *page,
			 int sign)
{
	enum node_stat_item item = (cp->flags & BSLAB_RECLAIMABLE) ?
		NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;

	mod_node_page_state(page_pgdat(page), item,
			    sign * (long)slab_bytes(cp));
}

/*
 * KASAN's shadow of all the objects of a slab: @value, BSLAB_KASAN_FREE or
 * 0 (accessible).  The small slab's descriptor, past the objects, is left
 * alone.
 */
static void slab_kasan(const struct bslab_cache *cp,
		       const struct bslab_slab *sp, u8 value)
{
#ifdef CONFIG_KASAN_GENERIC
	kasan_poison(sp->first, (size_t)cp->objs * cp->chunk, value, false);
#endif
}

#ifdef CONFIG_KASAN_GENERIC
/**
 * bslab_kasan_freed() - does KASAN's shadow say @obj is a free object?
 * @obj: the start of an object
 *
 * Out of line here, where nothing is instrumented, because it reads the
 * shadow itself.
 *
 * Return: true if the object's first granule is poisoned as freed.
 */
bool bslab_kasan_freed(const void *obj)
{
	return READ_ONCE(*(u8 *)kasan_mem_to_shadow(obj)) == BSLAB_KASAN_FREE;
}
#endif

static void slab_destruct(const struct bslab_cache *cp,
			  const struct bslab_slab *sp, unsigned int n)
{
	void (*dtor)(void *obj, void *priv) = READ_ONCE(cp->dtor);
	unsigned int i;

	if (!dtor)
		return;
	for (i = 0; i < n; i++)
		dtor(slab_obj(cp, sp, i), cp->priv);
}

static int slab_construct(const struct bslab_cache *cp,
			  const struct bslab_slab *sp, gfp_t gfp)
{
	int (*ctor)(void *obj, void *priv, gfp_t gfp) = READ_ONCE(cp->ctor);
	unsigned int i;
	int err;

	if (!ctor)
		return 0;
	for (i = 0; i < cp->objs; i++) {
		err = ctor(slab_obj(cp, sp, i), cp->priv, gfp);
		if (err) {
			slab_destruct(cp, sp, i);
			return err;
		}
	}
	return 0;
}

/* An off-slab descriptor goes back (a large slab's bufctls with it). */
static void slab_free_desc(struct bslab_cache *cp, struct bslab_slab *sp)
{
	if (cp->offslab)
		bslab_cache_free(cp->desc_cache, sp);
}

static DEFINE_WAIT_OVERRIDE_MAP(hardirq_pages_map, LD_WAIT_CONFIG);

/**
 * bslab_alloc_pages() - pages for a slab or a large bslab_alloc()
 * @gfp: the allocation's flags
 * @order: how many pages, as a power of two
 * @nid: the node to take them from; the page allocator takes them from
 *	another unless @gfp has __GFP_THISNODE.  NUMA_NO_NODE: where the
 *	task's memory policy says (this CPU's node by default; interleaved
 *	over nodes for MPOL_INTERLEAVE), as SLUB's slabs for an allocation
 *	that names no node
 *
 * In hard IRQ (only where grow_allowed(): without PREEMPT_RT) lockdep is
 * told that the page allocator's spinlock_t locks are right there.
 *
 * Context: where grow_allowed(@gfp); no bslab spinlock held.
 * Return: the first page, or NULL.
 */
struct page *bslab_alloc_pages(gfp_t gfp, unsigned int order, int nid)
{
	struct page *page;

	if (!in_hardirq())
		return nid == NUMA_NO_NODE ? alloc_pages(gfp, order) :
		       alloc_pages_node(nid, gfp, order);
	/* (interrupts take the default policy) */
	bslab_nonrt_enter(&hardirq_pages_map);
	page = alloc_pages_node(nid, gfp, order);
	bslab_nonrt_exit(&hardirq_pages_map);
	return page;
}

static struct bslab_slab *slab_create(struct bslab_cache *cp,
				      unsigned int color, gfp_t gfp, int nid)
{
	struct bslab_slab *sp;
	struct bslab_bufctl *bc;
	struct page *page;
	unsigned int i;
	void *base;

	gfp &= ~__GFP_ZERO;
	page = bslab_alloc_pages(gfp | __GFP_NOWARN, cp->order, nid);
	if (!page)
		return NULL;
	base = page_address(page);

	sp = cp->offslab ? bslab_cache_alloc(cp->desc_cache, gfp) :
			   base + cp->desc;
	if (!sp)
		goto free_pages;
	sp->first = base + color;
	sp->color = color;
	sp->nid = page_to_nid(page);
	sp->inuse = 0;
	sp->state = BSLAB_SLAB_EMPTY;
	if (cp->large) {
		/* every bufctl free, the lowest address handed out first */
		for (i = cp->objs; i-- > 0;) {
			bc = &sp->bufctl[i];
			bc->buf = slab_obj(cp, sp, i);
			bc->next = i + 1 < cp->objs ? bc + 1 : NULL;
		}
		sp->freelist = sp->bufctl;
		sp->fresh = cp->objs;
	} else {
		sp->freelist = NULL;
		sp->fresh = 0;
		bitmap_zero(sp->out, cp->objs);
	}

	if (slab_construct(cp, sp, gfp))
		goto free_desc;
	slab_page_set(page, cp, sp);
	slab_account(cp, page, 1);
	if (cp->redzone_len)
		for (i = 0; i < cp->objs; i++)
			bslab_redzone_fill(cp, slab_obj(cp, sp, i));
	slab_kasan(cp, sp, BSLAB_KASAN_FREE);	/* every object is free */
	trace_bslab_slab_create(cp->name, base, cp->order, cp->objs);
	return sp;

free_desc:
	slab_free_desc(cp, sp);
free_pages:
	__free_pages(page, cp->order);
	return NULL;
}

/* The audit records of a slab's objects are not needed any more. */
static void slab_audit_forget(struct bslab_cache *cp, struct bslab_slab *sp)
{
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&cp->lock, flags);
	for (i = 0; i < cp->objs; i++)
		bslab_audit_forget_locked(cp, slab_obj(cp, sp, i));
	raw_spin_unlock_irqrestore(&cp->lock, flags);
}

/* A slab's pages, at @base, go back (after its objects are destructed). */
static __always_inline void slab_pages_free(struct bslab_cache *cp,
					    struct bslab_slab *sp, void *base)
{
	struct page *page = virt_to_page(base);

	if (unlikely(READ_ONCE(cp->audit)))
		slab_audit_forget(cp, sp);
	slab_page_clear(page);
	slab_account(cp, page, -1);
	__free_pages(page, cp->order);
}

/*
 * A slab of a BSLAB_TYPESAFE_BY_RCU cache, a grace period after it left
 * its cache: no reader that found one of its objects before can still be
 * looking.  Its pages and its descriptor go back.
 */
static void slab_rcu_free(struct rcu_head *head)
{
	struct bslab_slab *sp = container_of(head, struct bslab_slab, rcu);
	struct bslab_cache *cp = sp->rcu_cache;
	void *base = slab_base(cp, sp);

	trace_bslab_slab_destroy(cp->name, base, cp->order, cp->objs);
	slab_kasan(cp, sp, 0);
	slab_pages_free(cp, sp, base);
	slab_free_desc(cp, sp);	/* after the pages: it may be in them */
}

/*
 * A slab's pages go back, or, in a BSLAB_TYPESAFE_BY_RCU cache (which has
 * no destructor), a grace period later with its descriptor.
 * @dtor: run the destructor (false only for a cache whose module is gone).
 * Return: true if the caller is to free an off-slab descriptor.
 */
static bool slab_destroy_pages(struct bslab_cache *cp, struct bslab_slab *sp,
			       bool dtor)
{
	void *base;

	if (unlikely(cp->flags & BSLAB_TYPESAFE_BY_RCU)) {
		sp->rcu_cache = cp;
		call_rcu(&sp->rcu, slab_rcu_free);
		return false;
	}
	base = slab_base(cp, sp);
	trace_bslab_slab_destroy(cp->name, base, cp->order, cp->objs);
	slab_kasan(cp, sp, 0);	/* for the destructor */
	if (dtor)
		slab_destruct(cp, sp, cp->objs);
	slab_pages_free(cp, sp, base);
	return cp->offslab;
}

/*
 * Destroy the slabs on @dead (linked through ->list, no lock held), their
 * off-slab descriptors freed a batch at a time: one trip to the descriptor
 * cache's lock for up to SLABS_DESC_BATCH slabs, not one each.  Out of
 * line, and called only for a list with slabs on it: every batch free
 * ends here, and most destroy none.
 */
#define SLABS_DESC_BATCH	16

static noinline void __slabs_destroy(struct bslab_cache *cp,
				     struct list_head *dead, bool dtor)
{
	void *descs[SLABS_DESC_BATCH];
	struct bslab_slab *sp, *next;
	unsigned int n = 0;

	list_for_each_entry_safe(sp, next, dead, list) {
		if (!slab_destroy_pages(cp, sp, dtor))
			continue;
		descs[n++] = sp;
		if (n == ARRAY_SIZE(descs)) {
			bslab_cache_free_bulk(cp->desc_cache, n, descs);
			n = 0;
		}
	}
	if (n)
		bslab_cache_free_bulk(cp->desc_cache, n, descs);
}

/* Most batch frees destroy no slab: then not even a call. */
static __always_inline void slabs_destroy(struct bslab_cache *cp,
					  struct list_head *dead, bool dtor)
{
	if (!list_empty(dead))
		__slabs_destroy(cp, dead, dtor);
}

/* ---- the collections (cp->lock held) ---- */

/*
 * @sp's node, and the node whose collections it is on: its own; node 0,
 * the only one, on a kernel without NUMA, without reading the slab for it.
 */
static __always_inline int slab_nid(const struct bslab_slab *sp)
{
	return IS_ENABLED(CONFIG_NUMA) ? sp->nid : 0;
}

static __always_inline struct bslab_node *slab_node(struct bslab_cache *cp,
						    const struct bslab_slab *sp)
{
	return &cp->node[slab_nid(sp)];
}

/*
 * Add @d to (or take it from) a count the cache keeps for all nodes (@all)
 * and a node keeps for itself (@node; bslab_node_count()): the node's only
 * with NUMA.
 */
static __always_inline void node_count_add(unsigned long *node,
					   unsigned long *all, unsigned long d)
{
	if (IS_ENABLED(CONFIG_NUMA))
		*node += d;
	*all += d;
}

static __always_inline void node_count_sub(unsigned long *node,
					   unsigned long *all, unsigned long d)
{
	if (IS_ENABLED(CONFIG_NUMA))
		*node -= d;
	*all -= d;
}

static inline unsigned int slab_nfree(const struct bslab_cache *cp,
				      const struct bslab_slab *sp)
{
	return cp->objs - sp->inuse;
}

/* Free objects in the slabs (not those waiting to be destroyed). */
static unsigned long slab_free_objs_locked(const struct bslab_cache *cp)
{
	lockdep_assert_held(&cp->lock);
	return (cp->nr_full + cp->nr_partial + cp->nr_empty) * cp->objs -
	       cp->buf_out;
}

static void partial_insert_locked(struct bslab_cache *cp,
				  struct bslab_slab *sp)
{
	struct bslab_node *n = slab_node(cp, sp);
	struct rb_node **link = &n->partial.rb_root.rb_node, *parent = NULL;
	unsigned int nfree = slab_nfree(cp, sp);
	bool leftmost = true;

	lockdep_assert_held(&cp->lock);
	while (*link) {
		parent = *link;
		if (nfree < slab_nfree(cp, rb_entry(parent, struct bslab_slab,
						    node))) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&sp->node, parent, link);
	rb_insert_color_cached(&sp->node, &n->partial, leftmost);
}

static void slab_unlink_locked(struct bslab_cache *cp, struct bslab_slab *sp)
{
	struct bslab_node *n = slab_node(cp, sp);

	lockdep_assert_held(&cp->lock);
	switch (sp->state) {
	case BSLAB_SLAB_PARTIAL:
		rb_erase_cached(&sp->node, &n->partial);
		node_count_sub(&n->nr_partial, &cp->nr_partial, 1);
		break;
	case BSLAB_SLAB_FULL:
		list_del(&sp->list);
		node_count_sub(&n->nr_full, &cp->nr_full, 1);
		break;
	case BSLAB_SLAB_EMPTY:
		list_del(&sp->list);
		node_count_sub(&n->nr_empty, &cp->nr_empty, 1);
		break;
	default:
		WARN_ON_ONCE(1);	/* deferred slabs are on no collection */
	}
}

/* Put an unlinked slab where its use count says. */
static void slab_link_locked(struct bslab_cache *cp, struct bslab_slab *sp)
{
	struct bslab_node *n = slab_node(cp, sp);

	lockdep_assert_held(&cp->lock);
	WARN_ON_ONCE(sp->inuse > cp->objs);
	if (!sp->inuse) {
		sp->state = BSLAB_SLAB_EMPTY;
		list_add(&sp->list, &n->empty);
		node_count_add(&n->nr_empty, &cp->nr_empty, 1);
	} else if (sp->inuse == cp->objs) {
		sp->state = BSLAB_SLAB_FULL;
		list_add(&sp->list, &n->full);
		node_count_add(&n->nr_full, &cp->nr_full, 1);
	} else {
		sp->state = BSLAB_SLAB_PARTIAL;
		partial_insert_locked(cp, sp);
		node_count_add(&n->nr_partial, &cp->nr_partial, 1);
	}
}

/*
 * The slab of node @nid to allocate from: its fullest partial one, else an
 * empty one; NULL if the node has no free object.
 */
static struct bslab_slab *slab_pick_locked(struct bslab_cache *cp, int nid)
{
	struct bslab_node *n = &cp->node[nid];
	struct rb_node *node = rb_first_cached(&n->partial);

	lockdep_assert_held(&cp->lock);
	if (node)
		return rb_entry(node, struct bslab_slab, node);
	return list_first_entry_or_null(&n->empty, struct bslab_slab, list);
}

/*
 * Any node's slab with a free object, the nearest to @nid first: for an
 * allocation without __GFP_THISNODE that can have no slab of its node.
 */
static struct bslab_slab *slab_pick_near_locked(struct bslab_cache *cp,
						int nid)
{
	struct bslab_slab *sp, *best = NULL;
	int i, d, best_d = INT_MAX;

	lockdep_assert_held(&cp->lock);
	for (i = 0; i < nr_node_ids; i++) {
		sp = slab_pick_locked(cp, i);
		if (!sp)
			continue;
		d = node_distance(nid, i);
		if (d < best_d) {
			best = sp;
			best_d = d;
		}
	}
	return best;
}

static __always_inline void *slab_take_locked(struct bslab_cache *cp,
					      struct bslab_slab *sp)
{
	struct bslab_bufctl *bc;
	unsigned int idx;
	void *obj;

	lockdep_assert_held(&cp->lock);
	if (cp->large) {
		bc = sp->freelist;
		sp->freelist = bc->next;
		bslab_hash_insert_locked(cp, bc);
		obj = bc->buf;
	} else {
		if (sp->freelist) {
			obj = sp->freelist;
			sp->freelist = *(void **)(obj + cp->link);
			if (want_init_on_free() && cp->link < cp->size &&
			    !bslab_init_exempt(cp))
				*(void **)(obj + cp->link) = NULL;
			idx = slab_index(cp, sp, obj);
		} else {
			idx = sp->fresh;
			obj = slab_obj(cp, sp, idx);
			WRITE_ONCE(sp->fresh, idx + 1);
		}
		WARN_ON_ONCE(__test_and_set_bit(idx, sp->out));
	}
	sp->inuse++;
	kasan_obj_use(cp, obj, cp->size);	/* with the move: see san.h */
	/* counted with the take: a caller that drops the lock leaves no gap */
	cp->ev.slab_alloc++;
	node_count_add(&slab_node(cp, sp)->buf_out, &cp->buf_out, 1);
	if (cp->buf_out > cp->buf_out_max)
		cp->buf_out_max = cp->buf_out;
	/* The fullest partial slab stays the fullest: move only on a change of state. */
	if (sp->state != BSLAB_SLAB_PARTIAL || sp->inuse == cp->objs) {
		slab_unlink_locked(cp, sp);
		slab_link_locked(cp, sp);
	}
	return obj;
}

/**
 * bslab_obj_init_alloc() - zero an object handed out, as the kernel asks
 * @cp: the cache
 * @obj: the object, accessible for its whole chunk
 * @gfp: the allocation's flags
 *
 * For a caller that found want_init_on_alloc(@gfp) true: zeroes @obj if
 * @gfp has __GFP_ZERO, or if init_on_alloc is on and @cp is not exempt
 * (bslab_init_exempt()).  The slow path's; the fast path makes the same
 * test itself (bslab_cache_alloc()).  The memset is a tail call.
 *
 * Return: @obj.
 */
void *bslab_obj_init_alloc(struct bslab_cache *cp, void *obj, gfp_t gfp)
{
	if (!(gfp & __GFP_ZERO) && bslab_init_exempt(cp))
		return obj;
	return memset(obj, 0, cp->size);
}

/**
 * bslab_obj_init_free() - zero an object that comes back, as the kernel asks
 * @cp: the cache
 * @obj: an object of @cp that passed the free check
 *
 * For a caller that found want_init_on_free() true: zeroes @obj unless @cp
 * is exempt.  Not instrumented: the bytes past a bslab_alloc() size are
 * part of the object here.
 */
void bslab_obj_init_free(struct bslab_cache *cp, void *obj)
{
	if (!bslab_init_exempt(cp))
		memset(obj, 0, cp->size);
}

/*
 * Give @obj back to @sp, whose bit (or, @large, whose bufctl @bc) the caller
 * has claimed: onto the slab's free list (false if its use count says it
 * has none out: a bug, warned of).  The slab's counts and its place
 * among its node's collections wait for slab_settle_locked(), once for a
 * run of the slab's objects in a batch.
 */
static __always_inline bool slab_put_obj_locked(struct bslab_cache *cp,
						struct bslab_slab *sp,
						void *obj,
						struct bslab_bufctl *bc,
						const bool large)
{
	lockdep_assert_held(&cp->lock);
	if (WARN_ON_ONCE(!sp->inuse))
		return false;
	if (large) {
		bc->next = sp->freelist;
		sp->freelist = bc;
	} else {
		*(void **)(obj + cp->link) = sp->freelist;
		sp->freelist = obj;
	}
	sp->inuse--;
	return true;
}

/*
 * @sp has had @n objects put back (slab_put_obj_locked()) since it was last
 * where its use count says: count them, and put it where it now belongs.
 * Return the slab if it became empty and should go back to the page
 * allocator (it is then unlinked), else NULL.
 */
static __always_inline struct bslab_slab *
slab_settle_locked(struct bslab_cache *cp, struct bslab_slab *sp,
		   unsigned int n)
{
	struct bslab_node *nd = slab_node(cp, sp);
	struct rb_node *next;

	lockdep_assert_held(&cp->lock);
	cp->ev.slab_free += n;
	node_count_sub(&nd->buf_out, &cp->buf_out, n);

	if (sp->state == BSLAB_SLAB_PARTIAL && sp->inuse) {
		next = rb_next(&sp->node);
		if (next && slab_nfree(cp, rb_entry(next, struct bslab_slab,
						    node)) < slab_nfree(cp, sp)) {
			slab_unlink_locked(cp, sp);
			slab_link_locked(cp, sp);
		}
		return NULL;
	}
	slab_unlink_locked(cp, sp);
	if (!sp->inuse &&
	    (cp->dead ||
	     (bslab_node_count(&nd->nr_empty, &cp->nr_empty) >=
	      BSLAB_EMPTY_RESERVE &&
	      slab_free_objs_locked(cp) >= cp->irq_reserve)))
		return sp;
	slab_link_locked(cp, sp);
	return NULL;
}

/* ---- finding an object in the slabs ---- */

/*
 * Where @obj would be if it were an object of @cp that the slab layer has
 * handed out at least once: its slab (*@spp) and index (*@idxp), or why it
 * cannot be (BSLAB_FREE_NOT_SLAB for anything outside @cp's slabs).  Reads
 * only memory that is safe to read: the direct map's
 * struct pages, and descriptors those name.  Whether the object is out
 * right now is the caller's question (its bit, or the hash).
 */
static __always_inline enum bslab_bad_free
slab_locate(struct bslab_cache *cp, const void *obj,
	    struct bslab_slab **spp, u64 *idxp)
{
	struct page *page = slab_page_of(cp, obj);
	struct bslab_slab *sp;
	u64 idx;

	if (!page || slab_page_owner(page) != cp)
		return BSLAB_FREE_NOT_SLAB;	/* bslab_report_free() says more */
	sp = slab_page_slab(page);
	idx = slab_index(cp, sp, obj);
	if (idx >= cp->objs)
		return BSLAB_FREE_INTERIOR;
	if (idx >= READ_ONCE(sp->fresh))
		return BSLAB_FREE_NEVER_ALLOCATED;
	*spp = sp;
	*idxp = idx;
	return BSLAB_FREE_OK;
}

/*
 * Is @obj, found in *@sp at index @idx by slab_locate(), out of the slab
 * layer (handed out to a client or a magazine)?  A small object's bit, a
 * large object's bufctl in the hash: the one test of it.
 */
static bool slab_obj_out_locked(struct bslab_cache *cp, struct bslab_slab *sp,
				const void *obj, u64 idx)
{
	lockdep_assert_held(&cp->lock);
	return cp->large ? !!bslab_hash_find_locked(cp, obj) :
			   test_bit(idx, sp->out);
}

/**
 * bslab_obj_out_locked() - is @obj an object of @cp that the slab layer has out?
 * @cp: the cache, whose lock is held
 * @obj: any pointer
 *
 * Return: true if @obj is the start of an object of a slab of @cp that is
 * handed out (to a client or a magazine) right now.
 */
bool bslab_obj_out_locked(struct bslab_cache *cp, const void *obj)
{
	struct bslab_slab *sp;
	u64 idx;

	return !slab_locate(cp, obj, &sp, &idx) &&
	       slab_obj_out_locked(cp, sp, obj, idx);
}

/*
 * The slab of @obj, an allocated object of @cp, taking a large object's
 * bufctl out of the hash (*@bcp) and clearing a small object's bit; else
 * NULL and why in *@why.
 */
static struct bslab_slab *slab_claim_locked(struct bslab_cache *cp, void *obj,
					    struct bslab_bufctl **bcp,
					    enum bslab_bad_free *why)
{
	struct bslab_slab *sp;
	u64 idx;

	lockdep_assert_held(&cp->lock);
	*why = slab_locate(cp, obj, &sp, &idx);
	if (*why)
		return NULL;
	if (cp->large) {
		*bcp = bslab_hash_remove_locked(cp, obj);
		if (*bcp)
			return sp;
	} else if (__test_and_clear_bit(idx, sp->out)) {
		return sp;
	}
	*why = BSLAB_FREE_DOUBLE;
	return NULL;
}

/**
 * bslab_slab_locate() - where a pointer would be in @cp's slabs
 * @cp: the cache
 * @obj: any pointer
 *
 * Return: BSLAB_FREE_OK if @obj is the start of an object of a slab of @cp
 * that the slab layer has handed out at least once (out or not right now),
 * else why not, as far as the slab layer can tell (debug.c says more).
 */
enum bslab_bad_free bslab_slab_locate(struct bslab_cache *cp, const void *obj)
{
	struct bslab_slab *sp;
	u64 idx;

	return slab_locate(cp, obj, &sp, &idx);
}

/* ---- the slab layer's entry points ---- */

static unsigned int color_take_locked(struct bslab_cache *cp)
{
	unsigned int color = cp->color_next;

	lockdep_assert_held(&cp->lock);
	cp->color_next += cp->color_step;
	if (cp->color_next > cp->color_max)
		cp->color_next = 0;
	return color;
}

/*
 * A poisoned cache with a constructor: its free objects hold the pattern,
 * not their constructed state, so each is constructed again as it is
 * handed out.  One whose constructor fails goes back to its slab and the
 * rest close up.  Return: how many are left.
 */
static size_t slab_construct_out(struct bslab_cache *cp, gfp_t gfp, size_t n,
				 void **objs)
{
	int (*ctor)(void *obj, void *priv, gfp_t gfp) = READ_ONCE(cp->ctor);
	unsigned long flags;
	size_t i = 0;

	if (!ctor)		/* its module went away */
		return n;
	while (i < n) {
		if (!ctor(objs[i], cp->priv, gfp)) {
			i++;
			continue;
		}
		bslab_slab_free_batch(cp, 1, &objs[i]);
		raw_spin_lock_irqsave(&cp->lock, flags);
		cp->ev.alloc_fail++;
		raw_spin_unlock_irqrestore(&cp->lock, flags);
		objs[i] = objs[--n];
	}
	return n;
}

/* Poison every object of a new slab as never handed out (POISON mode). */
static void slab_poison_new_locked(struct bslab_cache *cp,
				   struct bslab_slab *sp)
{
	unsigned int i;

	lockdep_assert_held(&cp->lock);
	for (i = 0; i < cp->objs; i++)
		bslab_poison_free(cp, slab_obj(cp, sp, i), true);
}

/*
 * Link @sp, a slab just made, where allocations find it: counted, poisoned
 * if the cache is.  Return: the debug modes, as of now.
 */
static unsigned int slab_add_locked(struct bslab_cache *cp,
				    struct bslab_slab *sp)
{
	unsigned int modes = debug_modes(cp);

	lockdep_assert_held(&cp->lock);
	cp->ev.slab_create++;
	if (unlikely(modes & BSLAB_DBG_POISON))
		slab_poison_new_locked(cp, sp);
	slab_link_locked(cp, sp);
	return modes;
}

/* The most objects a cache keeps free for allocations that may not grow it. */
static unsigned long reserve_max(const struct bslab_cache *cp)
{
	return max_t(unsigned long, cp->objs, SZ_1M / cp->chunk);
}

/*
 * An allocation that may not grow the cache found no free object: the
 * cache's work keeps twice as many free from now on (at least a slab).
 */
static void reserve_raise_locked(struct bslab_cache *cp)
{
	lockdep_assert_held(&cp->lock);
	cp->irq_reserve = clamp(2 * cp->irq_reserve, (unsigned long)cp->objs,
				reserve_max(cp));
}

/**
 * bslab_slab_fill_reserve() - make slabs until the cache's reserve is free
 * @cp: the cache
 *
 * Where an allocation may not take pages (hard IRQ on PREEMPT_RT), the
 * cache serves it from free objects only; its work item calls this to
 * keep @cp->irq_reserve of them, ahead of that demand.
 *
 * Context: process context, may sleep (constructors run); the cache's work.
 */
void bslab_slab_fill_reserve(struct bslab_cache *cp)
{
	struct bslab_slab *sp;
	unsigned long flags;
	unsigned int color;

	might_sleep();
	for (;;) {
		raw_spin_lock_irqsave(&cp->lock, flags);
		if (cp->dead || slab_free_objs_locked(cp) >= cp->irq_reserve) {
			raw_spin_unlock_irqrestore(&cp->lock, flags);
			return;
		}
		color = color_take_locked(cp);
		raw_spin_unlock_irqrestore(&cp->lock, flags);
		sp = slab_create(cp, color, GFP_KERNEL, NUMA_NO_NODE);
		if (!sp)
			return;
		raw_spin_lock_irqsave(&cp->lock, flags);
		slab_add_locked(cp, sp);
		raw_spin_unlock_irqrestore(&cp->lock, flags);
	}
}

/**
 * bslab_slab_reserve_tick() - the reaper's look at a cache's reserve
 * @cp: the cache
 *
 * An interval without an allocation that could not grow the cache halves
 * the reserve kept for them.
 */
void bslab_slab_reserve_tick(struct bslab_cache *cp)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&cp->lock, flags);
	if (!cp->irq_demand)
		cp->irq_reserve /= 2;
	cp->irq_demand = 0;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
}

/**
 * bslab_slab_poison_all() - poison every free object of a cache, then check
 * @cp: a cache whose POISON bit was just set, magazines drained
 *
 * Frees poison from the moment the bit is set; this fills the objects that
 * were free before, then sets BSLAB_DBG_POISON_CHECK, all under the lock, so
 * an allocation checks only objects that hold the pattern.  The lock is held
 * across the whole cache: a debug switch, not a fast operation.
 */
void bslab_slab_poison_all(struct bslab_cache *cp)
{
	struct bslab_slab *sp, *list_sp;
	struct bslab_bufctl *bc;
	struct rb_node *node;
	unsigned long flags;
	unsigned int i;
	int nid = 0;

	raw_spin_lock_irqsave(&cp->lock, flags);
	node = rb_first_cached(&cp->node[0].partial);
	list_sp = list_first_entry_or_null(&cp->node[0].empty,
					   struct bslab_slab, list);
	for (;;) {
		if (node) {
			sp = rb_entry(node, struct bslab_slab, node);
			node = rb_next(node);
		} else if (list_sp) {
			sp = list_sp;
			list_sp = list_is_last(&sp->list, &cp->node[nid].empty) ?
				  NULL : list_next_entry(sp, list);
		} else if (++nid < nr_node_ids) {
			node = rb_first_cached(&cp->node[nid].partial);
			list_sp = list_first_entry_or_null(&cp->node[nid].empty,
							   struct bslab_slab,
							   list);
			continue;
		} else {
			break;
		}
		if (cp->large) {
			for (bc = sp->freelist; bc; bc = bc->next)
				bslab_poison_free(cp, bc->buf, false);
			continue;
		}
		for (i = 0; i < cp->objs; i++)
			if (!test_bit(i, sp->out))
				bslab_poison_free(cp, slab_obj(cp, sp, i),
						  i >= sp->fresh);
	}
	if (cp->debug & BSLAB_DBG_POISON)
		WRITE_ONCE(cp->debug, cp->debug | BSLAB_DBG_POISON_CHECK);
	raw_spin_unlock_irqrestore(&cp->lock, flags);
}

/*
 * Up to @n objects into @objs, from node @nid's slabs (NUMA_NO_NODE: this
 * CPU's node, bslab_home_node()); with @fill, making one new slab at most
 * (more only while the reserve holds them all: bslab_slab_fill()) and
 * leaving the cache's reserve free (what a fill does not take is for
 * allocations that may not grow the cache, as reaping and frees leave it);
 * with @take, only the node's free objects there are now
 * (bslab_slab_take()).  Inlined into each of its four callers, with
 * slab_take_locked(): @fill, @take and (for bslab_slab_alloc()) @n are
 * constants there, and the loop's per-object step is no call.
 *
 * Nodes: the node's partial slabs, then its empty ones, then a new slab of
 * its pages (for an allocation that names no node, of the pages the task's
 * memory policy gives: this CPU's node's but under a policy such as
 * MPOL_INTERLEAVE, as SLUB's new slabs).  The page allocator may put that
 * slab on another node (the node has no free pages, or the policy), unless
 * @gfp has __GFP_THISNODE: its objects are then taken, counted in
 * alloc_off_node.  Where no slab can be made (no pages, or a context that
 * may not take them), an allocation without __GFP_THISNODE takes the
 * nearest node's free objects rather than fail.
 */
static __always_inline size_t
slab_alloc_batch(struct bslab_cache *cp, gfp_t gfp, int nid, size_t n,
		 void **objs, bool fill, bool take)
{
	bool grow = grow_allowed(gfp), exact = gfp & __GFP_THISNODE;
	/* without NUMA, node 0: the only one there is (nid is 0 or none) */
	int home = !IS_ENABLED(CONFIG_NUMA) ? 0 :
		   nid == NUMA_NO_NODE ? bslab_home_node() : nid;
	struct bslab_slab *sp, *made = NULL;
	unsigned long flags;
	unsigned int color;
	unsigned int modes, first;
	bool kick = false, grown = false, nomem = false;
	size_t i = 0, j;

	raw_spin_lock_irqsave(&cp->lock, flags);
	/* read under the lock: see bslab_slab_poison_all() */
	modes = debug_modes(cp);
	first = modes;
	while (i < n) {
		sp = slab_pick_locked(cp, home);
		/* a slab just made on another node: this allocation's */
		if (!sp && made && made->inuse < cp->objs)
			sp = made;
		if (!sp && (!grow || nomem) && !exact && !take)
			sp = slab_pick_near_locked(cp, home);
		if (fill && sp && cp->irq_reserve &&
		    slab_free_objs_locked(cp) <= cp->irq_reserve)
			sp = NULL;
		if (sp) {
			if (unlikely(slab_nid(sp) != home))
				cp->ev.alloc_off_node++;
			objs[i++] = slab_take_locked(cp, sp);
			continue;
		}
		if (take)	/* what the node has: no slab, no failure */
			break;
		/* within the reserve after a slab: another, not a failure */
		if (fill && grown && i)
			break;
		if (!grow) {
			cp->ev.alloc_fail++;
			cp->ev.alloc_fail_irq++;
			reserve_raise_locked(cp);
			break;
		}
		if (!nomem) {
			color = color_take_locked(cp);
			made = NULL;	/* valid only while the lock is held */
			raw_spin_unlock_irqrestore(&cp->lock, flags);
			sp = slab_create(cp, color, gfp,
					 exact ? home : nid);
			raw_spin_lock_irqsave(&cp->lock, flags);
			if (sp) {
				made = sp;
				modes = slab_add_locked(cp, sp);
				/* objects taken before the lock was dropped may predate poison */
				first &= modes;
				grown = true;
				continue;
			}
			/* no pages: another node's free objects, if it may */
			nomem = true;
			if (!exact)
				continue;
		}
		/* a fill that took some has not failed its allocation */
		if (!fill || !i)
			cp->ev.alloc_fail++;
		break;
	}
	if (!grow && !take) {
		/* grow ahead of such demand, from the cache's work */
		cp->irq_demand += n;
		kick = slab_free_objs_locked(cp) < cp->irq_reserve;
	}
	if (cp->large && bslab_hash_wants_rescale_locked(cp))
		kick = true;
	raw_spin_unlock_irqrestore(&cp->lock, flags);

	if (likely(!first))
		goto out;
	/* a report of damaged poison shows the last life's stacks: check first */
	if (first & BSLAB_DBG_POISON_CHECK) {
		for (j = 0; j < i; j++)
			bslab_poison_check(cp, objs[j]);
		if (cp->ctor)
			i = slab_construct_out(cp, gfp, i, objs);
	}
	if ((first & BSLAB_DBG_AUDIT) && i)
		bslab_audit_alloc(cp, objs, i);
out:
	if (kick)
		schedule_work(&cp->work);
	return i;
}

/**
 * bslab_slab_alloc_batch() - allocate objects from the slab layer
 * @cp: the cache
 * @gfp: flags for a new slab's pages
 * @nid: the node, or NUMA_NO_NODE for this CPU's (see slab_alloc_batch())
 * @n: how many
 * @objs: filled with the objects
 *
 * Return: how many were allocated; fewer than @n only when a new slab could
 * not be made (no memory, a failed constructor, or a context where the page
 * allocator may not be called) and no other node's objects would do.
 */
size_t bslab_slab_alloc_batch(struct bslab_cache *cp, gfp_t gfp, int nid,
			      size_t n, void **objs)
{
	return slab_alloc_batch(cp, gfp, nid, n, objs, false, false);
}

/**
 * bslab_slab_take() - objects node @nid's slabs have free now
 * @cp: the cache
 * @gfp: the allocation's flags (for a debug mode's constructor)
 * @nid: the node
 * @n: how many are wanted
 * @objs: filled with them
 *
 * As bslab_slab_alloc_batch(), but makes no slab, takes no other node's
 * objects and counts no failure: the caller has somewhere else to look
 * (the node's depot magazines, bslab_depot_to_slabs()) before either.
 *
 * Return: how many were taken.
 */
size_t bslab_slab_take(struct bslab_cache *cp, gfp_t gfp, int nid, size_t n,
		       void **objs)
{
	return slab_alloc_batch(cp, gfp, nid, n, objs, false, true);
}

/**
 * bslab_slab_fill() - objects for a magazine from the slab layer
 * @cp: the cache
 * @gfp: flags for a new slab's pages
 * @nid: the node of the CPU whose magazine it is
 * @n: the magazine's size
 * @objs: filled with the objects
 *
 * Takes up to @n of the free objects the slab layer has, under one hold
 * of its lock (dropped only while a slab is made); if they are fewer, makes
 * one slab and takes the rest from it, up to @n.  So a fill makes one slab
 * at most, as a cache that grows one object at a time would, but for one
 * case: it leaves the cache's reserve (@cp->irq_reserve) free, and where
 * the reserve is larger than a slab (PREEMPT_RT's hard-IRQ demand raised
 * it) it makes slabs until it has one object beyond it.  The caller may
 * grow the cache (a task): the reserve is for those that may not.
 *
 * Return: how many were taken; fewer than @n when the last new slab did not
 * hold enough, or another could not be made; 0 only when a slab could not
 * be made before one object was taken.
 */
size_t bslab_slab_fill(struct bslab_cache *cp, gfp_t gfp, int nid, size_t n,
		       void **objs)
{
	return slab_alloc_batch(cp, gfp, nid, n, objs, true, false);
}

/*
 * A REDZONE cache's object about to be freed, still out of the slab layer
 * (not yet claimed, so the cache is consistent whenever the lock is
 * dropped): its guard must be intact.  If not: counted, the guard written
 * again, and reported with the lock dropped and taken again.  Returns
 * whether the lock was dropped.
 */
static bool slab_redzone_check_relock(struct bslab_cache *cp, void *obj,
				      unsigned long *flags)
{
	u8 want = 0, found;
	size_t at;

	lockdep_assert_held(&cp->lock);
	at = bslab_redzone_damage(cp, obj, &want);
	if (at == cp->redzone_len)
		return false;
	found = ((u8 *)obj)[cp->redzone + at];
	cp->ev.redzone_damaged++;
	bslab_redzone_fill(cp, obj);
	raw_spin_unlock_irqrestore(&cp->lock, *flags);
	bslab_redzone_report(cp, obj, at, found, want);
	raw_spin_lock_irqsave(&cp->lock, *flags);
	return true;
}

/*
 * The debug modes' part of freeing @obj, claimed by the slab layer and not
 * yet put back: its poison written, its free audited.
 */
static void slab_free_debug_locked(struct bslab_cache *cp, void *obj,
				   unsigned int modes,
				   depot_stack_handle_t stack)
{
	lockdep_assert_held(&cp->lock);
	if (modes & BSLAB_DBG_POISON)
		bslab_poison_free(cp, obj, false);
	if (cp->audit)
		bslab_audit_free_locked(cp, obj, stack);
}

/*
 * A batch of frees puts back a run of one slab's objects before it settles
 * the slab (slab_settle_locked()): objects freed together are mostly of a
 * few slabs, and a slab then moves in its node's collections once a run,
 * not once an object.  A run ends before the lock is dropped, so that no
 * one else sees a slab whose place does not match its use count.
 */
struct free_run {
	struct bslab_slab *sp;		/* the slab of the run, or NULL */
	unsigned int n;			/* its objects put back so far */
	bool defer;			/* empty slabs go to the work item */
	bool kick;			/* the work item has work */
	size_t freed;			/* by free_batch_plain_locked() */
	struct list_head dead;		/* empty slabs to destroy here */
};

/*
 * @n objects of @sp were put back: settle the slab (slab_settle_locked()),
 * and a slab that emptied goes to @run's list to destroy, or to the work
 * item.
 */
static __always_inline void free_run_settle_locked(struct bslab_cache *cp,
						   struct free_run *run,
						   struct bslab_slab *sp,
						   unsigned int n)
{
	struct bslab_slab *gone = slab_settle_locked(cp, sp, n);

	if (!gone)
		return;
	if (run->defer) {	/* counted destroyed when it is */
		gone->state = BSLAB_SLAB_DEFERRED;
		list_add(&gone->list, &cp->deferred);
		cp->nr_deferred++;
		run->kick = true;
		return;
	}
	list_add(&gone->list, &run->dead);
	cp->ev.slab_destroy++;
}

static __always_inline void free_run_end_locked(struct bslab_cache *cp,
						struct free_run *run)
{
	if (!run->sp)
		return;
	free_run_settle_locked(cp, run, run->sp, run->n);
	run->sp = NULL;
	run->n = 0;
}

/*
 * The same, out of line, for the general loop (a debugged cache's, or a
 * batch's after a bad pointer): where it goes on after the run.  The end
 * of a batch has it inline.
 */
static noinline void free_run_switch_locked(struct bslab_cache *cp,
					    struct free_run *run)
{
	free_run_end_locked(cp, run);
}

/* free_batch_plain_locked()'s run end before another slab, out of line. */
static noinline void free_run_next_locked(struct bslab_cache *cp,
					  struct free_run *run,
					  struct bslab_slab *sp,
					  unsigned int n)
{
	free_run_settle_locked(cp, run, sp, n);
}

/*
 * The batch's loop for the cache as it mostly is: no debug mode, no
 * redzone (neither changes while the lock is held), small or @large
 * objects (a loop for each), so none of their steps is looked for on each
 * object.  The same checks as slab_claim_locked()'s, made more cheaply:
 *
 * - an object in the same slab as the one before it (a magazine's rounds
 *   mostly are) is in a slab of @cp already looked up: its page and owner
 *   are not read again (a pointer outside the direct map cannot match a
 *   slab's address, which is in it), and it continues the run;
 * - an object of another slab ends the run before it is looked at, so
 *   the run's slab is always the slab looked up last (or none);
 * - "never handed out" (an index at or past the slab's fresh mark) needs
 *   no test of its own: such an object's bit is clear, or, @large, it has
 *   no bufctl in the hash, so the claim fails and the general loop looks
 *   again and says which it was;
 * - the run's slab and count are kept in locals, not in @run (which the
 *   general loop's run end, out of line, takes by address, so that the
 *   compiler would store them on each object); a run ends with its slab
 *   settled from them, and the last run of a batch with every object done
 *   (the common case) is settled here, inline;
 * - a batch of one (a free the magazines did not take) gets a copy of its
 *   own, with @n the constant 1: no loop, no counts.
 *
 * It stops at the first object that fails and leaves it, untouched, to
 * the general loop, which reports it.  Returns the index it stopped at.
 */
static __always_inline size_t
free_batch_plain_locked(struct bslab_cache *cp, size_t n, void **objs,
			struct free_run *run, const bool large)
{
	unsigned long off, slab, base = 1;	/* no slab's: theirs are aligned */
	struct bslab_bufctl *bc = NULL;
	struct bslab_slab *sp = NULL;
	unsigned int put = 0;		/* the run's objects put back */
	size_t i, freed = 0;
	struct page *page;
	u64 idx;

	lockdep_assert_held(&cp->lock);
	for (i = 0; i < n; i++) {
		void *obj = objs[i];

		if (!obj)
			continue;
		off = dmap_offset(obj);
		slab = off & cp->slab_mask;
		if (slab != base) {
			if (put) {	/* another slab: the run ends */
				free_run_next_locked(cp, run, sp, put);
				freed += put;
				put = 0;
			}
			if (unlikely(!dmap_offset_ok(off)))
				goto stop;
			page = dmap_page(slab);
			if (unlikely(slab_page_owner(page) != cp))
				goto stop;
			sp = slab_page_slab(page);
			base = slab;
		}
		idx = slab_index(cp, sp, obj);
		if (unlikely(idx >= cp->objs))
			goto stop;
		if (large)
			bc = bslab_hash_remove_locked(cp, obj);
		if (unlikely(large ? !bc : !__test_and_clear_bit(idx, sp->out)))
			goto stop;
		kasan_obj_free(cp, obj);	/* with the move: see san.h */
		if (likely(slab_put_obj_locked(cp, sp, obj, bc, large)))
			put++;
		else		/* claimed, but not put back: warned of */
			freed++;
	}
	/* every object done: the last run settled here, @run left empty */
	if (put)
		free_run_settle_locked(cp, run, sp, put);
	run->freed = freed + put;
	return n;
stop:			/* the general loop goes on from objs[i], in @run */
	run->sp = put ? sp : NULL;
	run->n = put;
	run->freed = freed + put;
	return i;
}

/**
 * bslab_slab_free_batch() - give objects back to the slab layer
 * @cp: the cache
 * @n: how many
 * @objs: the objects; NULL entries are skipped, others that are not
 *	allocated objects of @cp are counted, reported and left alone
 *
 * Slabs this empties beyond the cache's reserve go back to the page
 * allocator here, or from the cache's work item when the cache has a
 * destructor or this context may not call the page allocator.
 *
 * Context: any; no bslab lock held.
 * Return: how many were allocated objects of @cp.
 */
size_t bslab_slab_free_batch(struct bslab_cache *cp, size_t n, void **objs)
{
	struct free_run run = {
		.defer = READ_ONCE(cp->dtor) || !pages_allowed(),
		.dead = LIST_HEAD_INIT(run.dead),
	};
	unsigned int modes = debug_modes(cp);
	depot_stack_handle_t stack = 0;
	struct bslab_bufctl *bc = NULL;
	enum bslab_bad_free why;
	struct bslab_slab *sp;
	unsigned long flags;
	size_t i, freed;

	if (unlikely(modes & BSLAB_DBG_AUDIT))
		stack = bslab_audit_free_stack(cp);
	raw_spin_lock_irqsave(&cp->lock, flags);
	modes = debug_modes(cp);
	i = 0;
	if (likely(!modes && !cp->redzone_len)) {
		/* a batch of one (a free the magazines did not take): no loop */
		if (n == 1)
			i = cp->large ?
				free_batch_plain_locked(cp, 1, objs, &run, true) :
				free_batch_plain_locked(cp, 1, objs, &run, false);
		else
			i = cp->large ?
				free_batch_plain_locked(cp, n, objs, &run, true) :
				free_batch_plain_locked(cp, n, objs, &run, false);
		if (likely(i == n)) {	/* and its last run settled */
			freed = run.freed;
			goto settled;
		}
	}
	freed = run.freed;
	for (; i < n; i++) {
		if (!objs[i])
			continue;
		if (unlikely(cp->redzone_len)) {
			free_run_switch_locked(cp, &run);	/* the lock may drop */
			if (bslab_obj_out_locked(cp, objs[i]) &&
			    slab_redzone_check_relock(cp, objs[i], &flags))
				modes = debug_modes(cp);
		}
		sp = slab_claim_locked(cp, objs[i], &bc, &why);
		if (!sp) {
			free_run_switch_locked(cp, &run);
			cp->ev.free_invalid++;
			raw_spin_unlock_irqrestore(&cp->lock, flags);
			bslab_report_free(cp, objs[i], why);
			raw_spin_lock_irqsave(&cp->lock, flags);
			modes = debug_modes(cp);
			continue;
		}
		if (unlikely(modes))
			slab_free_debug_locked(cp, objs[i], modes, stack);
		kasan_obj_free(cp, objs[i]);	/* with the move: see san.h */
		if (sp != run.sp && run.sp)
			free_run_switch_locked(cp, &run);
		if (slab_put_obj_locked(cp, sp, objs[i], bc, cp->large)) {
			run.sp = sp;
			run.n++;
		}
		freed++;
	}
	free_run_end_locked(cp, &run);
settled:
	if (cp->large && bslab_hash_wants_rescale_locked(cp))
		run.kick = true;
	if (cp->dead && !cp->buf_out)
		run.kick = true;
	raw_spin_unlock_irqrestore(&cp->lock, flags);

	slabs_destroy(cp, &run.dead, true);
	if (run.kick)
		schedule_work(&cp->work);
	return freed;
}

BSLAB_EXPORT_INTERNAL(bslab_slab_free_batch);

/**
 * bslab_slab_alloc() - allocate one object from the slab layer
 * @cp: the cache
 * @gfp: flags for a new slab's pages
 * @nid: the node, or NUMA_NO_NODE for this CPU's (see slab_alloc_batch())
 *
 * Return: a constructed object, or NULL.
 */
void *bslab_slab_alloc(struct bslab_cache *cp, gfp_t gfp, int nid)
{
	void *obj;

	return slab_alloc_batch(cp, gfp, nid, 1, &obj, false, false) ? obj :
	       NULL;
}

/* Move the slabs of @from (and its count) to @to under the lock. */
static unsigned long slabs_take_locked(struct bslab_cache *cp,
				       struct list_head *from,
				       unsigned long *count,
				       struct list_head *to)
{
	unsigned long n = *count;

	lockdep_assert_held(&cp->lock);
	list_splice_init(from, to);
	*count = 0;
	return n;
}

/**
 * bslab_slab_release_empty() - give every empty slab back to the page allocator
 * @cp: the cache
 * @reserve: keep the empty slabs the cache's reserve needs (see
 *	bslab_slab_fill_reserve()); false when the cache goes away
 *
 * Unlinks every empty slab, those deferred by frees included, under the
 * lock, then destroys them without it.
 *
 * Context: process context, may sleep (destructors run).
 * Return: the number of slabs given back from the empty list.
 */
unsigned long bslab_slab_release_empty(struct bslab_cache *cp, bool reserve)
{
	struct bslab_slab *sp;
	unsigned long flags, n = 0;
	LIST_HEAD(dead);
	int nid = 0;

	might_sleep();
	raw_spin_lock_irqsave(&cp->lock, flags);
	if (!reserve)
		cp->irq_reserve = 0;
	/* the reserve's are kept on the last nodes: it is the cache's */
	while (cp->nr_empty &&
	       slab_free_objs_locked(cp) - cp->objs >= cp->irq_reserve) {
		while (list_empty(&cp->node[nid].empty))
			nid++;
		sp = list_last_entry(&cp->node[nid].empty, struct bslab_slab,
				     list);
		slab_unlink_locked(cp, sp);
		list_add(&sp->list, &dead);
		n++;
	}
	cp->ev.slab_destroy += n;
	cp->ev.slab_destroy += slabs_take_locked(cp, &cp->deferred,
						 &cp->nr_deferred, &dead);
	raw_spin_unlock_irqrestore(&cp->lock, flags);

	slabs_destroy(cp, &dead, true);
	return n;
}

/**
 * bslab_slab_destroy_deferred() - destroy the slabs frees left to process context
 * @cp: the cache
 *
 * Context: process context, may sleep; the cache's work item.
 */
void bslab_slab_destroy_deferred(struct bslab_cache *cp)
{
	unsigned long flags;
	LIST_HEAD(dead);

	might_sleep();
	raw_spin_lock_irqsave(&cp->lock, flags);
	cp->ev.slab_destroy += slabs_take_locked(cp, &cp->deferred,
						 &cp->nr_deferred, &dead);
	raw_spin_unlock_irqrestore(&cp->lock, flags);

	slabs_destroy(cp, &dead, true);
}

/**
 * bslab_slab_reap() - give every empty slab of a cache back
 * @cp: the cache
 *
 * Context: process context, may sleep (destructors run).
 * Return: the number of slabs given back.
 */
unsigned long bslab_slab_reap(struct bslab_cache *cp)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&cp->lock, flags);
	cp->ev.reap++;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	return bslab_slab_release_empty(cp, true);
}

/**
 * bslab_slab_node() - one node's share of a cache's slab layer now
 * @cp: the cache
 * @nid: the node
 * @slabs: set to the node's slabs (full, partial and empty)
 * @out: set to the objects out of them (in use or in magazines)
 *
 * Both read under the cache's lock.
 */
void bslab_slab_node(struct bslab_cache *cp, int nid, unsigned long *slabs,
		     unsigned long *out)
{
	struct bslab_node *n = &cp->node[nid];
	unsigned long flags;

	raw_spin_lock_irqsave(&cp->lock, flags);
	*slabs = bslab_node_count(&n->nr_full, &cp->nr_full) +
		 bslab_node_count(&n->nr_partial, &cp->nr_partial) +
		 bslab_node_count(&n->nr_empty, &cp->nr_empty);
	*out = bslab_node_count(&n->buf_out, &cp->buf_out);
	raw_spin_unlock_irqrestore(&cp->lock, flags);
}

/**
 * bslab_slab_out() - objects out of a cache's slab layer now
 * @cp: the cache
 *
 * Return: cp->buf_out (objects in use or in magazines), read under the
 * cache's lock.
 */
unsigned long bslab_slab_out(struct bslab_cache *cp)
{
	unsigned long flags, out;

	raw_spin_lock_irqsave(&cp->lock, flags);
	out = cp->buf_out;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	return out;
}

/* Objects in use of slabs that go at unload: kmemleak forgets them. */
static void slabs_forget_in_use(struct bslab_cache *cp, struct list_head *dead)
{
	struct bslab_bufctl *bc;
	struct bslab_slab *sp;
	unsigned long i;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK) || cp->metadata)
		return;
	if (cp->large) {
		for (i = 0; i < 1UL << cp->hash_bits; i++)
			for (bc = cp->hash[i]; bc; bc = bc->next)
				kmemleak_free(bc->buf);
		return;
	}
	list_for_each_entry(sp, dead, list)
		for_each_set_bit(i, sp->out, cp->objs)
			kmemleak_free(slab_obj(cp, sp, i));
}

/**
 * bslab_slab_release_all() - give back every slab of a dead cache, in use or not
 * @cp: a dead cache whose objects can no longer be used: its clients are
 *	gone (bslab is being unloaded)
 *
 * No destructor runs: the code it would call may be gone with its module.
 */
void bslab_slab_release_all(struct bslab_cache *cp)
{
	struct bslab_slab *sp;
	struct bslab_node *n;
	struct rb_node *node;
	unsigned long flags;
	LIST_HEAD(dead);
	int nid;

	raw_spin_lock_irqsave(&cp->lock, flags);
	for (nid = 0; nid < nr_node_ids; nid++) {
		n = &cp->node[nid];
		slabs_take_locked(cp, &n->empty, &n->nr_empty, &dead);
		slabs_take_locked(cp, &n->full, &n->nr_full, &dead);
		while ((node = rb_first_cached(&n->partial))) {
			sp = rb_entry(node, struct bslab_slab, node);
			rb_erase_cached(node, &n->partial);
			list_add(&sp->list, &dead);
		}
		n->nr_partial = 0;
		n->buf_out = 0;
	}
	cp->nr_empty = 0;
	cp->nr_full = 0;
	cp->nr_partial = 0;
	slabs_take_locked(cp, &cp->deferred, &cp->nr_deferred, &dead);
	raw_spin_unlock_irqrestore(&cp->lock, flags);

	slabs_forget_in_use(cp, &dead);
	if (cp->large)		/* the bufctls of objects in use */
		bslab_hash_release(cp);
	slabs_destroy(cp, &dead, false);
}

/**
 * bslab_obj_info() - where an allocated object lives (for tests and debugging)
 * @cp: the cache
 * @obj: an allocated object of @cp
 * @info: filled with its slab's base, color, use count and state
 *
 * Return: 0, or -ENOENT if @obj is not an allocated object of @cp.
 */
int bslab_obj_info(struct bslab_cache *cp, const void *obj,
		   struct bslab_obj_info *info)
{
	struct bslab_slab *sp = NULL;
	unsigned long flags;
	u64 idx;

	raw_spin_lock_irqsave(&cp->lock, flags);
	if (slab_locate(cp, obj, &sp, &idx) ||
	    !slab_obj_out_locked(cp, sp, obj, idx))
		sp = NULL;
	if (sp) {
		info->slab_base = slab_base(cp, sp);
		info->color = sp->color;
		info->inuse = sp->inuse;
		info->objs = cp->objs;
		info->state = sp->state;
	}
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	return sp ? 0 : -ENOENT;
}

BSLAB_EXPORT_INTERNAL(bslab_obj_info);
