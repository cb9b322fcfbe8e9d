/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slab layer (slab.c) as the other layers see it: finding an object's
 * slab from its address alone, the free check every free makes, and the
 * slab layer's calls.  Used by the layers above it (cache.c, magazine.c,
 * sizes.c), by what reads slabs (verify.c, debugfs.c) and by the tests.
 */
#ifndef _BSLAB_SLAB_H
#define _BSLAB_SLAB_H

#include "internal.h"

/* ---- the slab of an object, from its first page ---- */

/*
 * The owner word names the cache and, in bits 1 to 5 (a struct bslab_cache
 * is aligned to far more), the slab's node: node ids up to
 * BSLAB_OWNER_NODES - 2 as they are, larger ones as BSLAB_OWNER_NODES - 1.
 * So the free check's one compare with "this cache, this CPU's home node"
 * (owner_home()) also tells a free of this CPU's node's object, the one
 * the magazines may take, from a remote one (internal.h: bslab_home_tag).
 * Bit 0 stays clear: the word is also the page's compound_head, whose bit
 * 0 says "a tail page" (page_folio() of an object would go astray).
 */
#define BSLAB_OWNER_NODES	32
#define BSLAB_OWNER_SHIFT	1
#define BSLAB_OWNER_MASK	((BSLAB_OWNER_NODES - 1UL) << BSLAB_OWNER_SHIFT)
/* No owner word holds it (bit 0): the home tag of a CPU beyond the tags. */
#define BSLAB_OWNER_NONE	1UL

static inline unsigned long owner_tag(int nid)
{
	return min_t(unsigned long, nid, BSLAB_OWNER_NODES - 1) <<
	       BSLAB_OWNER_SHIFT;
}

static inline void slab_page_set(struct page *page, struct bslab_cache *cp,
				 struct bslab_slab *sp)
{
	set_page_private(page, (unsigned long)sp);
	WRITE_ONCE(page->lru.next,
		   (struct list_head *)((unsigned long)cp | owner_tag(sp->nid)));
}

static inline void slab_page_clear(struct page *page)
{
	WRITE_ONCE(page->lru.next, NULL);
	smp_wmb();	/* pairs with slab_page_owner()'s reader */
	set_page_private(page, 0);
}

/*
 * @addr's offset into the direct map of RAM; not below the end of it for a
 * stack, vmalloc, module or user address.
 */
static __always_inline unsigned long dmap_offset(const void *addr)
{
	return (unsigned long)addr - PAGE_OFFSET;
}

static __always_inline bool dmap_offset_ok(unsigned long off)
{
	return off < (unsigned long)high_memory - PAGE_OFFSET;
}

/*
 * The page at the direct-map offset @off; dmap_slab_page(): the first page
 * of the slab that @off would lie in if it were an object of @cp
 * (PAGE_OFFSET is aligned far beyond any slab, so masking the offset masks
 * the address).  On x86-64 the offset is the physical address, which
 * spares virt_to_page() its kernel-image test.
 */
static __always_inline struct page *dmap_page(unsigned long off)
{
#ifdef CONFIG_X86_64
	return pfn_to_page(off >> PAGE_SHIFT);
#else
	return virt_to_page((void *)(off + PAGE_OFFSET));
#endif
}

static __always_inline struct page *dmap_slab_page(const struct bslab_cache *cp,
						   unsigned long off)
{
	return dmap_page(off & cp->slab_mask);
}

/*
 * As dmap_slab_page(), or NULL if @addr is not in the direct map, so that
 * nothing past this reads memory bslab may not own.
 */
static __always_inline struct page *slab_page_of(const struct bslab_cache *cp,
						 const void *addr)
{
	unsigned long off = dmap_offset(addr);

	if (unlikely(!dmap_offset_ok(off)))
		return NULL;
	return dmap_slab_page(cp, off);
}

/* The cache the slab starting at @page belongs to, if it is one. */
static __always_inline const struct bslab_cache *
slab_page_owner(const struct page *page)
{
	return (const struct bslab_cache *)
		((unsigned long)READ_ONCE(page->lru.next) & ~BSLAB_OWNER_MASK);
}

/*
 * What the owner word of a slab of @cp on this CPU's home node holds, from
 * @pc, @cp's per-CPU caches (bslab_cpu_cache.owner: one load, where the
 * cache | this CPU's tag would take two).  On a CPU whose home is beyond
 * the tags, nothing a slab's can hold: its frees take the way of remote
 * ones, which looks at the slab's node.
 */
static __always_inline unsigned long
owner_home(const struct bslab_cache *cp, struct bslab_cpu_cache __percpu *pc)
{
	if (!IS_ENABLED(CONFIG_NUMA))
		return (unsigned long)cp;
	return raw_cpu_read(pc->owner);
}

/* The address of the first page of @sp, a slab of @cp. */
static inline void *slab_base(const struct bslab_cache *cp,
			      const struct bslab_slab *sp)
{
	return (void *)((unsigned long)sp->first & cp->slab_mask);
}

static __always_inline struct bslab_slab *slab_page_slab(const struct page *page)
{
	smp_rmb();	/* owner first; see slab_page_clear() */
	return (struct bslab_slab *)page_private(page);
}

/* Object @i of @sp. */
static inline void *slab_obj(const struct bslab_cache *cp,
			     const struct bslab_slab *sp, unsigned int i)
{
	return sp->first + (size_t)i * cp->chunk;
}

/*
 * The index of @obj in @sp if it is the start of an object, else a number
 * at least as large as any slab's object count.  (@obj - first) * (inverse
 * of chunk's odd part), rotated right by chunk's power of two, maps k *
 * chunk to k; the map is a bijection on 64-bit words, so no other
 * difference (negative, interior, past the end) lands below 2^64 / chunk.
 */
static __always_inline u64 slab_index(const struct bslab_cache *cp,
				      const struct bslab_slab *sp,
				      const void *obj)
{
	u64 n = (unsigned long)obj - (unsigned long)sp->first;

	return ror64(n * cp->div_inv, cp->div_shift);
}

/*
 * The free check every free makes (free_check=1, the default): @obj is the
 * start of an object of a slab of @cp that the slab layer has handed out at
 * least once.  Costs about a dozen instructions and two cache lines (the
 * struct page, the descriptor); needs no lock: a slab with an object in use
 * cannot go away, and a bad pointer racing with the destruction of a slab
 * reads stale but mapped memory.  Double frees are checked separately.
 * @owner, @mask: what the slab's owner word must hold, under @mask.
 * Return: whether @obj passed; if so, its slab in *@spp.
 */
static __always_inline bool free_check_slab(const struct bslab_cache *cp,
					    const void *obj,
					    unsigned long owner,
					    unsigned long mask,
					    const struct bslab_slab **spp)
{
	unsigned long off = dmap_offset(obj);
	const struct bslab_slab *sp;
	const struct page *page;

	if (unlikely(!dmap_offset_ok(off)))
		return false;
	page = dmap_slab_page(cp, off);
	if (unlikely(((unsigned long)READ_ONCE(page->lru.next) & mask) != owner))
		return false;
	sp = slab_page_slab(page);
	*spp = sp;
	return likely(slab_index(cp, sp, obj) < READ_ONCE(sp->fresh));
}

/* The free check, for an object of any node. */
static __always_inline bool free_check_ok(const struct bslab_cache *cp,
					  const void *obj)
{
	const struct bslab_slab *sp;

	return free_check_slab(cp, obj, (unsigned long)cp, ~BSLAB_OWNER_MASK,
			       &sp);
}

/*
 * The free check of the fast path: free_check_ok(), and @obj is of this
 * CPU's home node, in the same compare (owner_home(); @pc is @cp->cpu,
 * which the caller has loaded for its push).  False for a pointer
 * that is not an object of @cp and for another node's object alike: the
 * caller's slow path tells them apart (free_check_node()).  One
 * instruction more than free_check_ok() on a kernel with NUMA, none
 * without.
 */
static __always_inline bool
free_check_home(const struct bslab_cache *cp,
		struct bslab_cpu_cache __percpu *pc, const void *obj)
{
	const struct bslab_slab *sp;

	return free_check_slab(cp, obj, owner_home(cp, pc), ~0UL, &sp);
}

/*
 * free_check_ok() for a free free_check_home() turned away, answering
 * both of its questions in one look at the page: the node of @obj's slab
 * (from the descriptor the check reads anyway), or NUMA_NO_NODE if @obj
 * is not an object of @cp.
 */
static __always_inline int free_check_node(const struct bslab_cache *cp,
					   const void *obj)
{
	const struct bslab_slab *sp;

	if (!free_check_slab(cp, obj, (unsigned long)cp, ~BSLAB_OWNER_MASK,
			     &sp))
		return NUMA_NO_NODE;
	return sp->nid;
}

DECLARE_STATIC_KEY_TRUE(bslab_free_check);
DECLARE_STATIC_KEY_FALSE(bslab_numa);

/*
 * Is @obj, an object of @cp, on another NUMA node than this CPU's
 * (bslab_home_node())?  Its slab's first page says: the page the free
 * check has just read.  Only on a machine of more than one node (the key;
 * nothing at all on a kernel without NUMA); a pointer outside the direct
 * map is left to the free's other checks.
 */
static __always_inline bool slab_obj_remote(const struct bslab_cache *cp,
					    const void *obj)
{
	unsigned long off = dmap_offset(obj);

	if (!IS_ENABLED(CONFIG_NUMA) || !static_branch_unlikely(&bslab_numa) ||
	    !dmap_offset_ok(off))
		return false;
	return page_to_nid(dmap_slab_page(cp, off)) != bslab_home_node();
}

/* Why a free was refused; bslab_report_free() words each. */
enum bslab_bad_free {
	BSLAB_FREE_OK,			/* not refused */
	BSLAB_FREE_NOT_SLAB,		/* not in a slab of the cache */
	BSLAB_FREE_NOT_MAPPED,		/* ... nor in the direct map of RAM */
	BSLAB_FREE_INTERIOR,		/* not the start of an object */
	BSLAB_FREE_NEVER_ALLOCATED,	/* never handed out by the slab layer */
	BSLAB_FREE_DOUBLE,		/* already free */
};

/* slab.c.  Functions named _locked expect cp->lock. */
int bslab_slab_layout(struct bslab_cache *cp);
struct page *bslab_alloc_pages(gfp_t gfp, unsigned int order, int nid);
void bslab_slab_fill_reserve(struct bslab_cache *cp);
void bslab_slab_reserve_tick(struct bslab_cache *cp);
void *bslab_slab_alloc(struct bslab_cache *cp, gfp_t gfp, int nid);
size_t bslab_slab_alloc_batch(struct bslab_cache *cp, gfp_t gfp, int nid,
			      size_t n, void **objs);
size_t bslab_slab_take(struct bslab_cache *cp, gfp_t gfp, int nid, size_t n,
		       void **objs);
size_t bslab_slab_fill(struct bslab_cache *cp, gfp_t gfp, int nid, size_t n,
		       void **objs);
size_t bslab_slab_free_batch(struct bslab_cache *cp, size_t n, void **objs);
unsigned long bslab_slab_reap(struct bslab_cache *cp);
unsigned long bslab_slab_release_empty(struct bslab_cache *cp, bool reserve);
unsigned long bslab_slab_out(struct bslab_cache *cp);
void bslab_slab_node(struct bslab_cache *cp, int nid, unsigned long *slabs,
		     unsigned long *out);
void bslab_slab_destroy_deferred(struct bslab_cache *cp);
void bslab_slab_release_all(struct bslab_cache *cp);
bool bslab_obj_out_locked(struct bslab_cache *cp, const void *obj);
void *bslab_obj_init_alloc(struct bslab_cache *cp, void *obj, gfp_t gfp);
void bslab_obj_init_free(struct bslab_cache *cp, void *obj);
enum bslab_bad_free bslab_slab_locate(struct bslab_cache *cp, const void *obj);

/* For tests: where an object lives.  Exported in the BSLAB_INTERNAL namespace. */
struct bslab_obj_info {
	void *slab_base;
	unsigned int color;
	unsigned int inuse;
	unsigned int objs;
	enum bslab_slab_state state;
};

int bslab_obj_info(struct bslab_cache *cp, const void *obj,
		   struct bslab_obj_info *info);

#endif /* _BSLAB_SLAB_H */
