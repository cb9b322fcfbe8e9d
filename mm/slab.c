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
 *     | color | obj 0 | obj 1 | ... | obj n-1 | slack | struct bslab_slab |
 *   large (object >= PAGE_SIZE/8):
 *     | color | obj 0 | obj 1 | ... | obj n-1 | slack |
 *     with the struct bslab_slab and n struct bslab_bufctl off-slab.
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
 * Fragmentation control: an allocation takes from the partial slab with the
 * fewest free objects, so nearly empty slabs drain and can be given back.
 * The partial slabs are an rbtree sorted by free count, ties to the right,
 * with the leftmost node cached.  Allocating from the leftmost slab only
 * lowers its key, so it stays leftmost: no rebalancing.  A free raises one
 * slab's key by one; the slab moves only if its successor now has fewer
 * free objects.  Then empty slabs are used, then a new slab is made.  A free
 * that empties a slab keeps it on the empty list if fewer than
 * BSLAB_EMPTY_RESERVE are there, else gives it back at once; reap gives back
 * all empty slabs.
 *
 * Locking: cp->lock (irq-safe spinlock) covers the three collections, every
 * slab's free list and counts, the hash and the counters.  It is dropped
 * around slab creation and destruction: pages, descriptors, bufctls,
 * constructors and destructors are dealt with under no spinlock, on a slab
 * that no one else can reach.
 */
#include <linux/mm.h>
#include <linux/cache.h>
#include <linux/vmstat.h>
#include <linux/mmzone.h>
#include <linux/log2.h>

#include "internal.h"

/* ---- layout ---- */

static unsigned int slab_objs(const struct bslab_cache *cp, unsigned int order,
			      size_t *waste)
{
	size_t bytes = PAGE_SIZE << order;
	size_t usable = cp->large ? bytes : bytes - sizeof(struct bslab_slab);
	unsigned int n = usable / cp->chunk;

	*waste = bytes - (size_t)n * cp->chunk;
	return n;
}

static unsigned int slab_order(const struct bslab_cache *cp)
{
	unsigned int min_order = 0, order, best;
	size_t waste, best_waste = SIZE_MAX;

	while (!slab_objs(cp, min_order, &waste))
		min_order++;

	/* Up to order 3 (or the first order that holds one object)... */
	for (order = min_order; order <= max(min_order, 3u); order++) {
		slab_objs(cp, order, &waste);
		if (waste * 16 <= (PAGE_SIZE << order))
			return order;
	}
	/* ...else any order that wastes no more than 1/8... */
	for (order = min_order; order <= BSLAB_MAX_ORDER; order++) {
		slab_objs(cp, order, &waste);
		if (waste * 8 <= (PAGE_SIZE << order))
			return order;
	}
	/* ...else (objects above half the largest slab) the least waste. */
	best = min_order;
	for (order = min_order; order <= BSLAB_MAX_ORDER; order++) {
		slab_objs(cp, order, &waste);
		waste <<= BSLAB_MAX_ORDER - order;
		if (waste < best_waste) {
			best_waste = waste;
			best = order;
		}
	}
	return best;
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
	size_t waste;

	cp->large = cp->size >= BSLAB_LARGE_MIN;
	cp->link = 0;
	if (!cp->large && keep) {
		cp->link = ALIGN(size, sizeof(void *));
		size = cp->link + sizeof(void *);
	}
	cp->chunk = ALIGN(size, cp->align);
	if (cp->chunk > BSLAB_MAX_SIZE)
		return -EINVAL;

	cp->order = slab_order(cp);
	cp->objs = slab_objs(cp, cp->order, &waste);
	cp->desc = cp->large ? 0 : slab_bytes(cp) - sizeof(struct bslab_slab);
	if (!cp->large)
		waste -= sizeof(struct bslab_slab);

	cp->color_step = max_t(unsigned int, cp->align, cache_line_size());
	cp->color_max = rounddown(waste, cp->color_step);
	cp->color_next = 0;
	return 0;
}

/* ---- creating and destroying slabs (no lock held) ---- */

static inline void *slab_obj(const struct bslab_cache *cp,
			     const struct bslab_slab *sp, unsigned int i)
{
	return sp->base + sp->color + (size_t)i * cp->chunk;
}

static void slab_account(const struct bslab_cache *cp, struct page *page,
			 int sign)
{
	enum node_stat_item item = (cp->flags & BSLAB_RECLAIMABLE) ?
		NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;

	mod_node_page_state(page_pgdat(page), item,
			    sign * (long)slab_bytes(cp));
}

static void slab_destruct(const struct bslab_cache *cp,
			  const struct bslab_slab *sp, unsigned int n)
{
	unsigned int i;

	if (!cp->dtor)
		return;
	for (i = 0; i < n; i++)
		cp->dtor(slab_obj(cp, sp, i), cp->priv);
}

static int slab_construct(const struct bslab_cache *cp,
			  const struct bslab_slab *sp, gfp_t gfp)
{
	unsigned int i;
	int err;

	if (!cp->ctor)
		return 0;
	for (i = 0; i < cp->objs; i++) {
		err = cp->ctor(slab_obj(cp, sp, i), cp->priv, gfp);
		if (err) {
			slab_destruct(cp, sp, i);
			return err;
		}
	}
	return 0;
}

/*
 * A large slab's bufctls come and go in one bulk call each.  The pointer
 * array the bulk calls need is written into the slab's own pages, which
 * hold no object at those times (objects are at least PAGE_SIZE/8 bytes,
 * so the array takes at most 1/64 of the slab).
 */
static void slab_free_bufctls(struct bslab_slab *sp, void *pages)
{
	struct bslab_bufctl *bc;
	void **scratch = pages;
	size_t n = 0;

	for (bc = sp->freelist; bc; bc = bc->next)
		scratch[n++] = bc;
	bslab_cache_free_bulk(bslab_bufctl_cache, n, scratch);
	sp->freelist = NULL;
}

/* Descriptor and bufctls of a large slab; the lowest address is handed out first. */
static struct bslab_slab *slab_offslab_desc(struct bslab_cache *cp, gfp_t gfp,
					    void *pages)
{
	struct bslab_slab *sp;
	struct bslab_bufctl *bc;
	void **scratch = pages;
	unsigned int i;

	sp = bslab_cache_alloc(bslab_slab_cache, gfp);
	if (!sp)
		return NULL;
	if (!bslab_cache_alloc_bulk(bslab_bufctl_cache, gfp, cp->objs,
				    scratch)) {
		bslab_cache_free(bslab_slab_cache, sp);
		return NULL;
	}
	sp->freelist = NULL;
	for (i = cp->objs; i-- > 0;) {
		bc = scratch[i];
		bc->slab = sp;
		bc->next = sp->freelist;
		sp->freelist = bc;
	}
	return sp;
}

static struct bslab_slab *slab_create(struct bslab_cache *cp,
				      unsigned int color, gfp_t gfp)
{
	struct bslab_slab *sp;
	struct bslab_bufctl *bc;
	struct page *page;
	unsigned int i;
	void *base;

	gfp &= ~__GFP_ZERO;
	page = alloc_pages_node(NUMA_NO_NODE, gfp | __GFP_NOWARN, cp->order);
	if (!page)
		return NULL;
	base = page_address(page);

	if (cp->large) {
		sp = slab_offslab_desc(cp, gfp, base);
		if (!sp)
			goto free_pages;
		sp->fresh = cp->objs;
	} else {
		sp = base + cp->desc;
		sp->freelist = NULL;
		sp->fresh = 0;
	}
	sp->cache = cp;
	sp->base = base;
	sp->color = color;
	sp->inuse = 0;
	sp->state = BSLAB_SLAB_EMPTY;
	if (cp->large)
		for (bc = sp->freelist, i = 0; bc; bc = bc->next, i++)
			bc->buf = slab_obj(cp, sp, i);

	if (slab_construct(cp, sp, gfp))
		goto free_desc;
	set_page_private(page, (unsigned long)sp);
	slab_account(cp, page, 1);
	return sp;

free_desc:
	if (cp->large) {
		slab_free_bufctls(sp, base);
		bslab_cache_free(bslab_slab_cache, sp);
	}
free_pages:
	__free_pages(page, cp->order);
	return NULL;
}

static void slab_destroy(struct bslab_cache *cp, struct bslab_slab *sp)
{
	struct page *page = virt_to_page(sp->base);

	slab_destruct(cp, sp, cp->objs);
	if (cp->large) {
		slab_free_bufctls(sp, sp->base);
		bslab_cache_free(bslab_slab_cache, sp);
	}
	set_page_private(page, 0);
	slab_account(cp, page, -1);
	__free_pages(page, cp->order);
}

/* ---- the three collections (cp->lock held) ---- */

static inline unsigned int slab_nfree(const struct bslab_cache *cp,
				      const struct bslab_slab *sp)
{
	return cp->objs - sp->inuse;
}

static void partial_insert(struct bslab_cache *cp, struct bslab_slab *sp)
{
	struct rb_node **link = &cp->partial.rb_root.rb_node, *parent = NULL;
	unsigned int nfree = slab_nfree(cp, sp);
	bool leftmost = true;

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
	rb_insert_color_cached(&sp->node, &cp->partial, leftmost);
}

static void slab_unlink(struct bslab_cache *cp, struct bslab_slab *sp)
{
	switch (sp->state) {
	case BSLAB_SLAB_PARTIAL:
		rb_erase_cached(&sp->node, &cp->partial);
		cp->nr_partial--;
		break;
	case BSLAB_SLAB_FULL:
		list_del(&sp->list);
		cp->nr_full--;
		break;
	default:
		list_del(&sp->list);
		cp->nr_empty--;
	}
}

/* Put an unlinked slab where its use count says. */
static void slab_link(struct bslab_cache *cp, struct bslab_slab *sp)
{
	if (!sp->inuse) {
		sp->state = BSLAB_SLAB_EMPTY;
		list_add(&sp->list, &cp->empty);
		cp->nr_empty++;
	} else if (sp->inuse == cp->objs) {
		sp->state = BSLAB_SLAB_FULL;
		list_add(&sp->list, &cp->full);
		cp->nr_full++;
	} else {
		sp->state = BSLAB_SLAB_PARTIAL;
		partial_insert(cp, sp);
		cp->nr_partial++;
	}
}

/* The slab to allocate from: the fullest partial one, else an empty one. */
static struct bslab_slab *slab_pick(struct bslab_cache *cp)
{
	struct rb_node *node = rb_first_cached(&cp->partial);

	if (node)
		return rb_entry(node, struct bslab_slab, node);
	return list_first_entry_or_null(&cp->empty, struct bslab_slab, list);
}

static void *slab_take(struct bslab_cache *cp, struct bslab_slab *sp)
{
	struct bslab_bufctl *bc;
	void *obj;

	if (cp->large) {
		bc = sp->freelist;
		sp->freelist = bc->next;
		bslab_hash_insert(cp, bc);
		obj = bc->buf;
	} else if (sp->freelist) {
		obj = sp->freelist;
		sp->freelist = *(void **)(obj + cp->link);
	} else {
		obj = slab_obj(cp, sp, sp->fresh++);
	}
	sp->inuse++;
	/* The fullest partial slab stays the fullest: move only on a change of state. */
	if (sp->state != BSLAB_SLAB_PARTIAL || sp->inuse == cp->objs) {
		slab_unlink(cp, sp);
		slab_link(cp, sp);
	}
	return obj;
}

/*
 * Give @obj back to @sp.  Return the slab if it became empty and should go
 * back to the page allocator (it is then unlinked), else NULL.
 */
static struct bslab_slab *slab_put(struct bslab_cache *cp,
				   struct bslab_slab *sp, void *obj,
				   struct bslab_bufctl *bc)
{
	struct rb_node *next;

	if (cp->large) {
		bc->next = sp->freelist;
		sp->freelist = bc;
	} else {
		*(void **)(obj + cp->link) = sp->freelist;
		sp->freelist = obj;
	}
	sp->inuse--;

	if (sp->state == BSLAB_SLAB_PARTIAL && sp->inuse) {
		next = rb_next(&sp->node);
		if (next && slab_nfree(cp, rb_entry(next, struct bslab_slab,
						    node)) < slab_nfree(cp, sp)) {
			slab_unlink(cp, sp);
			slab_link(cp, sp);
		}
		return NULL;
	}
	slab_unlink(cp, sp);
	if (!sp->inuse && cp->nr_empty >= BSLAB_EMPTY_RESERVE) {
		cp->count.slab_destroy++;
		return sp;
	}
	slab_link(cp, sp);
	return NULL;
}

/* ---- finding an object's slab (cp->lock held) ---- */

/**
 * bslab_small_slab_of() - the slab of an object of a small cache
 * @cp: the cache
 * @obj: the object
 *
 * Rounds @obj down to the slab size and checks that the page there is a slab
 * of @cp (its page->private names the descriptor) and that @obj is the start
 * of an object handed out before.  Never reads memory that might not be a
 * slab of @cp.
 *
 * Return: the slab, or NULL if @obj is not an object of @cp.
 */
struct bslab_slab *bslab_small_slab_of(struct bslab_cache *cp,
				       const void *obj)
{
	unsigned long base, off;
	struct bslab_slab *sp;

	if (!virt_addr_valid(obj))
		return NULL;
	base = (unsigned long)obj & ~(slab_bytes(cp) - 1);
	sp = (struct bslab_slab *)(base + cp->desc);
	if (page_private(virt_to_page((void *)base)) != (unsigned long)sp ||
	    sp->cache != cp)
		return NULL;
	off = (unsigned long)obj - base;
	if (off < sp->color)
		return NULL;
	off -= sp->color;
	if (off % cp->chunk || off / cp->chunk >= sp->fresh)
		return NULL;
	return sp;
}

/* ---- the slab layer's entry points ---- */

static unsigned int color_take(struct bslab_cache *cp)
{
	unsigned int color = cp->color_next;

	cp->color_next += cp->color_step;
	if (cp->color_next > cp->color_max)
		cp->color_next = 0;
	return color;
}

/**
 * bslab_slab_alloc_batch() - allocate objects from the slab layer
 * @cp: the cache
 * @gfp: flags for a new slab's pages
 * @n: how many
 * @objs: filled with the objects
 *
 * Return: how many were allocated; fewer than @n only when a new slab could
 * not be made.
 */
size_t bslab_slab_alloc_batch(struct bslab_cache *cp, gfp_t gfp, size_t n,
			      void **objs)
{
	struct bslab_slab *sp;
	unsigned long flags;
	unsigned int color;
	bool rescale = false;
	size_t i = 0;

	spin_lock_irqsave(&cp->lock, flags);
	while (i < n) {
		sp = slab_pick(cp);
		if (sp) {
			objs[i++] = slab_take(cp, sp);
			continue;
		}
		color = color_take(cp);
		spin_unlock_irqrestore(&cp->lock, flags);
		sp = slab_create(cp, color, gfp);
		spin_lock_irqsave(&cp->lock, flags);
		if (!sp) {
			cp->count.alloc_fail++;
			break;
		}
		cp->count.slab_create++;
		slab_link(cp, sp);
	}
	cp->count.slab_alloc += i;
	cp->buf_inuse += i;
	cp->buf_max = max(cp->buf_max, cp->buf_inuse);
	if (cp->large)
		rescale = bslab_hash_wants_rescale(cp);
	spin_unlock_irqrestore(&cp->lock, flags);

	if (rescale)
		schedule_work(&cp->hash_work);
	return i;
}

/**
 * bslab_slab_free_batch() - give objects back to the slab layer
 * @cp: the cache
 * @n: how many
 * @objs: the objects; NULL entries are skipped, others not of @cp logged
 *
 * Return: how many were allocated objects of @cp.
 */
size_t bslab_slab_free_batch(struct bslab_cache *cp, size_t n, void **objs)
{
	struct bslab_slab *sp, *gone, *next;
	struct bslab_bufctl *bc = NULL;
	LIST_HEAD(dead);
	unsigned long flags;
	bool rescale = false;
	size_t i, freed = 0, bad = 0;

	spin_lock_irqsave(&cp->lock, flags);
	for (i = 0; i < n; i++) {
		if (!objs[i])
			continue;
		if (cp->large) {
			bc = bslab_hash_remove(cp, objs[i]);
			sp = bc ? bc->slab : NULL;
		} else {
			sp = bslab_small_slab_of(cp, objs[i]);
			if (sp && !sp->inuse)
				sp = NULL;
		}
		if (!sp) {
			cp->count.free_invalid++;
			bad++;
			continue;
		}
		gone = slab_put(cp, sp, objs[i], bc);
		if (gone)
			list_add(&gone->list, &dead);
		freed++;
	}
	cp->count.slab_free += freed;
	cp->buf_inuse -= freed;
	if (cp->large)
		rescale = bslab_hash_wants_rescale(cp);
	spin_unlock_irqrestore(&cp->lock, flags);

	list_for_each_entry_safe(sp, next, &dead, list)
		slab_destroy(cp, sp);
	if (bad)
		pr_err_ratelimited("bslab: cache %s: %zu free(s) of pointers that are not allocated objects of this cache\n",
				   cp->name, bad);
	if (rescale)
		schedule_work(&cp->hash_work);
	return freed;
}

/**
 * bslab_slab_alloc() - allocate one object from the slab layer
 * @cp: the cache
 * @gfp: flags for a new slab's pages
 *
 * Return: a constructed object, or NULL.
 */
void *bslab_slab_alloc(struct bslab_cache *cp, gfp_t gfp)
{
	void *obj;

	return bslab_slab_alloc_batch(cp, gfp, 1, &obj) ? obj : NULL;
}

/* Unlink every empty slab under the lock, then destroy them without it. */
static unsigned long slab_release_empty(struct bslab_cache *cp)
{
	struct bslab_slab *sp, *next;
	unsigned long flags, n;
	LIST_HEAD(dead);

	spin_lock_irqsave(&cp->lock, flags);
	list_splice_init(&cp->empty, &dead);
	n = cp->nr_empty;
	cp->nr_empty = 0;
	cp->count.slab_destroy += n;
	spin_unlock_irqrestore(&cp->lock, flags);

	list_for_each_entry_safe(sp, next, &dead, list)
		slab_destroy(cp, sp);
	return n;
}

/**
 * bslab_slab_reap() - give every empty slab of a cache back
 * @cp: the cache
 *
 * Return: the number of slabs given back.
 */
unsigned long bslab_slab_reap(struct bslab_cache *cp)
{
	unsigned long flags;

	spin_lock_irqsave(&cp->lock, flags);
	cp->count.reap++;
	spin_unlock_irqrestore(&cp->lock, flags);
	return slab_release_empty(cp);
}

/**
 * bslab_slab_teardown() - give back what a dying cache can
 * @cp: the cache, unreachable for new users
 *
 * Return: the number of objects still allocated; their slabs are kept.
 */
unsigned long bslab_slab_teardown(struct bslab_cache *cp)
{
	unsigned long flags, inuse;

	slab_release_empty(cp);
	spin_lock_irqsave(&cp->lock, flags);
	inuse = cp->buf_inuse;
	spin_unlock_irqrestore(&cp->lock, flags);
	return inuse;
}

/**
 * bslab_obj_info() - where an allocated object lives (for tests and debugging)
 * @cache: the cache
 * @obj: an allocated object of @cache
 * @info: filled with its slab's base, color, use count and state
 *
 * Return: 0, or -ENOENT if @obj is not an allocated object of @cache.
 */
int bslab_obj_info(struct bslab_cache *cache, const void *obj,
		   struct bslab_obj_info *info)
{
	struct bslab_bufctl *bc;
	struct bslab_slab *sp;
	unsigned long flags;

	spin_lock_irqsave(&cache->lock, flags);
	if (cache->large) {
		bc = bslab_hash_find(cache, obj);
		sp = bc ? bc->slab : NULL;
	} else {
		sp = bslab_small_slab_of(cache, obj);
	}
	if (sp) {
		info->slab_base = sp->base;
		info->color = sp->color;
		info->inuse = sp->inuse;
		info->objs = cache->objs;
		info->state = sp->state;
	}
	spin_unlock_irqrestore(&cache->lock, flags);
	return sp ? 0 : -ENOENT;
}

BSLAB_EXPORT_INTERNAL(bslab_obj_info);
