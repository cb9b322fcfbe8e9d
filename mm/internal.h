/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bslab internals: the structures every layer shares.
 *
 * A cache (struct bslab_cache) owns slabs.  A slab (struct bslab_slab) is a
 * naturally aligned block of 2^order pages from the buddy allocator, cut into
 * objects of chunk_size bytes after a color offset.  A slab is on exactly one
 * of the cache's three collections: the full list (no free object), the
 * partial tree (some free objects; sorted so the slab with the fewest free
 * objects comes first) or the empty list (no object in use).
 *
 * Small caches (chunk < PAGE_SIZE/8) keep the slab descriptor in the last
 * bytes of the slab and link free objects through a word inside each free
 * object (or just after it, when the object's contents must survive: a
 * constructor, a destructor or BSLAB_NOTOUCH).  The descriptor of any object
 * is found from its address alone: round down to the slab size.
 *
 * Large caches keep the descriptor and one bufctl per object off-slab,
 * allocated from two internal small caches.  A free object's bufctl sits on
 * its slab's free list; an allocated object's bufctl sits in the cache's
 * hash, keyed by the object's address (see hash.c).
 *
 * Above the slabs, each CPU holds two magazines of free objects per cache
 * (struct bslab_cpu_cache, used with preemption off and a busy word, no
 * lock), and each cache has a depot of full and empty magazines (see
 * magazine.c).
 *
 * Finding an object's slab: the first page of every slab names its cache
 * (page->lru.next, a word the page's owner may use while the page is on no
 * LRU list) and its descriptor (page->private).  Slabs are naturally
 * aligned, so the page is found from any object by masking; a pointer
 * outside the direct map is refused before any page is looked at.  That is
 * what the free check of every free, magazine path included, costs: see
 * free_check_ok() below.
 *
 * Lock order (take from the top down; never the other way):
 *
 *   bslab_setup_mutex		create and destroy: names, the cache list's
 *				writers, each cache's debugfs directory, the
 *				dead-cache list, module owners
 *     bslab_debug_mutex	switching debug modes (debug.c)
 *     cpu_hotplug_lock		(readers: bslab_cpu_drain_all())
 *     bslab_caches_mutex	walkers of the cache list that may sleep: the
 *				reaper, the shrinker (trylock only), the
 *				kmastat and bslabinfo files
 *       cache->depot.lock	one cache's depot; raw, irq-safe
 *       cache->lock		one cache's slab layer, hash and counters;
 *				raw, irq-safe, since alloc and free are
 *				called from any context, hard IRQ included
 *
 * Rules that keep CPU hotplug, debugfs and destroy apart (each broke once):
 *  - The CPU-dead callback takes no mutex: it walks the cache list under
 *    RCU and only moves magazines (spinlocks, no sleeping, no destructor).
 *  - No debugfs file is removed under bslab_caches_mutex, and no file reader
 *    takes bslab_setup_mutex or cpu_hotplug_lock (the magazines file uses
 *    IPIs to online CPUs and skips one that goes away).  debugfs_remove()
 *    waits for readers, so a reader waiting for a lock its remover holds
 *    would hang both, and lockdep does not see that wait.
 *  - The depot lock and the cache lock are held together only by verify
 *    (verify.c), which reads both, in the order above: magazines are taken
 *    out of the depot under its lock, their rounds go to the slab layer
 *    after it is dropped.  No code holds two caches' locks at once:
 *    the internal descriptor, bufctl and magazine caches are called only
 *    with no bslab spinlock held.
 *  - Under the raw spinlocks nothing sleeps, allocates or frees pages, or
 *    calls a client: pages, descriptors, bufctls, constructors and
 *    destructors are dealt with on slabs no one else can reach, with no
 *    bslab lock held.  In hard IRQ context pages are never freed, and
 *    taken only without PREEMPT_RT for an allocation that does not sleep
 *    (see pages_allowed() and grow_allowed()).
 *  - Destructors run only in process context with no bslab spinlock held:
 *    a slab emptied by a free is destroyed by the cache's work item when
 *    the cache has a destructor (or the free cannot use the page
 *    allocator).  The reaper and the shrinker run destructors under
 *    bslab_caches_mutex; destroy runs them with no lock held.
 *  - Functions named *_locked expect the lock their comment names; each
 *    asserts it with lockdep_assert_held().
 *
 * Words, each with one meaning in names, comments and stats files:
 *  - in use: allocated by a client and not yet freed (stats: buf_inuse =
 *    alloc - free).  out: handed out by the slab layer, so in use or held
 *    in a magazine (cache->buf_out = buf_inuse + buf_magazine).
 *  - ev: a struct of event counters (cache->ev for the slab layer,
 *    depot.ev, a CPU's ev; the stats snapshot's slab_ev, depot_ev, cpu_ev).
 *  - drain: give a magazine's rounds back to the slab layer (mag_drain(),
 *    bslab_cpu_drain(), bslab_cpu_layer_drain()).  flush: wait until work
 *    already queued has run (bslab_sizes_flush(), flush_work()).
 *  - release: give slabs back to the page allocator.  reap: decide what to
 *    give back and do it (depot surplus, then empty slabs).
 *  - init/exit: a part of the module, at load and unload.  init/destroy: a
 *    part of one cache, at its create and its destroy; a _destroy function
 *    accepts a part that was never made, so create's unwind is one call.
 */
#ifndef _BSLAB_INTERNAL_H
#define _BSLAB_INTERNAL_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/mutex.h>
#include <linux/mm.h>
#include <linux/bitops.h>
#include <linux/jump_label.h>
#include <linux/jump_label_ratelimit.h>
#include <linux/preempt.h>
#include <linux/fault-inject.h>
#include <linux/kmemleak.h>
#include <bslab.h>

#include "compat.h"

/* Objects of at least this size are kept off-slab, found through the hash. */
#define BSLAB_LARGE_MIN		(PAGE_SIZE / 8)
/* Default and smallest object alignment. */
#define BSLAB_MIN_ALIGN		8
/* Largest slab: 64 pages; so the largest object is 256 KiB on 4 KiB pages. */
#define BSLAB_MAX_ORDER		6
#define BSLAB_MAX_SIZE		(PAGE_SIZE << BSLAB_MAX_ORDER)
/* Empty slabs a free keeps before it gives one back to the page allocator. */
#define BSLAB_EMPTY_RESERVE	2
/* Buckets of a new bufctl hash; it never shrinks below this. */
#define BSLAB_HASH_MIN		64

enum bslab_slab_state {
	BSLAB_SLAB_EMPTY,
	BSLAB_SLAB_PARTIAL,
	BSLAB_SLAB_FULL,
	BSLAB_SLAB_DEFERRED,	/* empty, waiting for the cache's work */
};

/**
 * struct bslab_bufctl - the off-slab record of one object of a large cache
 * @next: next bufctl on the slab's free list or in the hash bucket
 * @buf: the object
 * @slab: the slab holding it
 */
struct bslab_bufctl {
	struct bslab_bufctl *next;
	void *buf;
	struct bslab_slab *slab;
};

/**
 * struct bslab_slab - one slab
 * @list: link on the cache's full, empty or deferred list
 * @node: link in the cache's partial tree
 * @first: address of object 0: the slab's base plus @color
 * @freelist: small caches: the first free object that was handed out
 *	before; large caches: the first free bufctl
 * @inuse: objects allocated
 * @fresh: small caches: objects handed out at least once (those from
 *	@fresh on were never used and are not on @freelist); large caches:
 *	all of them.  Objects at index @fresh and above were never handed out.
 * @color: offset of the first object from the slab's base
 * @state: which collection the slab is on
 * @out: small caches: one bit per object, set while the slab layer has
 *	handed it out (to a client or a magazine); a free of an object whose
 *	bit is clear is a double free
 *
 * The cache owning the slab is named by the slab's first page (see
 * slab_page_owner()), not here: 56 bytes plus the bits.
 */
struct bslab_slab {
	union {
		struct list_head list;
		struct rb_node node;
	};
	void *first;
	void *freelist;
	unsigned int inuse;
	unsigned int fresh;
	u16 color;
	u8 state;
	unsigned long out[];
};

/**
 * struct bslab_magazine - an array of free, constructed objects
 * @next: link on a depot list
 * @rounds: objects in @objs
 * @size: capacity of @objs; 0 only for the shared empty sentinel
 * @objs: the objects, @objs[@rounds - 1] on top
 */
struct bslab_magazine {
	struct bslab_magazine *next;
	unsigned int rounds;
	unsigned int size;
	void *objs[];
};

/**
 * struct bslab_cpu_cache - one CPU's magazines for one cache
 * @loaded: allocations pop from it, frees push to it
 * @prev: the magazine loaded before; always full or empty
 * @busy: set while this CPU's task or interrupt uses @loaded and @prev
 * @ev: this CPU's counters
 *
 * Used with preemption off, by the owning CPU only (and by whoever drains
 * it once that CPU is dead, or from a work item running on it).
 */
struct bslab_cpu_cache {
	struct bslab_magazine *loaded;
	struct bslab_magazine *prev;
	unsigned int busy;
	struct bslab_cpu_events ev;
};

/**
 * struct bslab_depot - a cache's magazines not loaded on any CPU
 * @lock: protects everything here
 * @full: full magazines, all of the current size
 * @empty: empty magazines, all of the current size
 * @nfull: magazines on @full
 * @nempty: magazines on @empty
 * @min_full: fewest full magazines since the last working-set reap
 * @min_empty: fewest empty magazines since the last working-set reap
 * @size_idx: index of the current magazine size; read without @lock
 * @contention_seen: depot_contention at the last resize decision
 * @alloc_seen: allocations at the last resize decision
 * @idle_ticks: reap intervals in a row without an allocation
 * @transit_begun: magazines taken off a CPU or out of the depot by a drain
 *	or a purge, to be put back or emptied with no busy section or lock
 *	held (counted so that verify can tell when none was on the way)
 * @transit_done: ... of them put in the depot or emptied since
 * @ev: the depot's counters
 */
struct bslab_depot {
	raw_spinlock_t lock;	/* everything below */
	struct bslab_magazine *full;
	struct bslab_magazine *empty;
	unsigned long nfull;
	unsigned long nempty;
	unsigned long min_full;
	unsigned long min_empty;
	unsigned int size_idx;
	u64 contention_seen;
	u64 alloc_seen;
	unsigned int idle_ticks;
	atomic_long_t transit_begun;
	atomic_long_t transit_done;
	struct bslab_depot_events ev;
};

/**
 * struct bslab_cache - a cache of objects of one kind
 * @cpu: the per-CPU layer
 * @slab_mask: ~(slab bytes - 1): masks an object's address to its slab's
 * @div_inv: inverse of the odd part of @chunk modulo 2^64 (free check)
 * @div_shift: @chunk is (odd part) << @div_shift
 * @flags: BSLAB_* flags
 * @size: object size given at create
 * @chunk: bytes one object takes in a slab: @size, the free-list word of a
 *	small cache that keeps contents, rounded up to @align
 * @order: a slab is 2^@order pages
 * @objs: objects in one slab
 * @large: descriptor and bufctls off-slab, objects found through @hash
 * @internal: one of bslab's own caches (created by bslab.ko itself),
 *	destroyed last at unload
 * @debug: BSLAB_DBG_* bits; any bit set keeps the cache off its CPU layer
 *	(see debug.c)
 * @metadata: one of bslab's metadata caches (slab descriptors, bufctls,
 *	magazines): its objects are not a client's, kmemleak is not told
 * @name: name given at create
 * @align: object alignment (at least BSLAB_MIN_ALIGN)
 * @link: small caches: offset of the free-list word in a free object
 * @redzone: REDZONE caches: offset of the guard bytes in a chunk
 * @redzone_len: bytes of guard (0: no redzone); fixed at create
 * @desc: small caches: offset of the slab descriptor in the slab
 * @color_step: color offset added per new slab
 * @color_max: largest color offset (the slab's slack, rounded down)
 * @owner: the module that created the cache (NULL: bslab itself)
 * @ctor: constructor, or NULL; cleared if @owner goes away
 * @dtor: destructor, or NULL; cleared if @owner goes away
 * @reclaim: reclaim callback, or NULL; cleared if @owner goes away
 * @priv: argument of @ctor, @dtor and @reclaim
 * @lock: the slab layer's lock; covers every member below up to @ev
 * @partial: slabs with some free objects, fewest free first
 * @full: slabs with no free object
 * @empty: slabs with no object in use
 * @deferred: empty slabs for the cache's work to destroy (see slab.c)
 * @nr_partial: slabs in @partial
 * @nr_full: slabs on @full
 * @nr_empty: slabs on @empty
 * @nr_deferred: slabs on @deferred
 * @buf_out: objects out of the slab layer: allocated by clients or held
 *	in magazines (the stats file's buf_inuse + buf_magazine)
 * @buf_out_max: highest @buf_out seen
 * @color_next: color of the next slab
 * @irq_reserve: free objects the cache's work keeps in the slabs for
 *	allocations that may not grow the cache (see grow_allowed()); raised
 *	when one fails, halved by the reaper after an interval without one
 * @irq_demand: slab-layer allocations that could not have grown the cache,
 *	since the last reaper tick
 * @hash_bits: @hash has 2^@hash_bits buckets
 * @hash: large caches: the bufctl hash table
 * @audit: audited caches: the audit records (audit.c)
 * @dead: destroyed while objects were still allocated (or its module went
 *	away); kept, unlisted, until the last of them is freed
 * @ev: the slab layer's event counters
 * @depot: the depot of magazines, its lock first
 * @work: process-context work: hash rescale, deferred slab destruction,
 *	freeing a dead cache whose last object came back
 * @caches: link on bslab_caches (RCU list; written under bslab_setup_mutex
 *	and bslab_caches_mutex) or, once dead, on bslab_dead_caches
 * @debugfs: the cache's debugfs directory
 *
 * Laid out by who touches what (Documentation/bslab.rst shows pahole's
 * view): the first cache line holds what every fast path and the free
 * check read, and nothing written after create; then the rest of what is
 * fixed at create; then the slab layer under @lock, from a cache line of
 * its own; then the depot, whose lock every depot exchange on any CPU
 * writes, on its own line too, so that it never shares one with @cpu; last
 * the lifecycle members, under the mutexes.
 *
 * Everything before @lock is fixed at create, except: @flags gains
 * BSLAB_NOMAGAZINE when the cache is destroyed with objects allocated;
 * @debug changes under bslab_debug_mutex (read-mostly: the slow paths read
 * it); @owner and the callbacks are cleared once, when the owning module
 * goes away.
 */
struct bslab_cache {
	/* read by the fast paths and the free check */
	struct bslab_cpu_cache __percpu *cpu;
	unsigned long slab_mask;
	u64 div_inv;
	unsigned int div_shift;
	unsigned int flags;
	size_t size;
	size_t chunk;
	unsigned int order;
	unsigned int objs;
	bool large;
	bool internal;
	u8 debug;
	bool metadata;

	/* the rest of what create fixes */
	char name[BSLAB_NAME_MAX + 1];
	size_t align;
	unsigned int link;
	unsigned int redzone;
	unsigned int redzone_len;
	unsigned int desc;
	unsigned int color_step;
	unsigned int color_max;
	struct module *owner;
	int (*ctor)(void *obj, void *priv, gfp_t gfp);
	void (*dtor)(void *obj, void *priv);
	void (*reclaim)(void *priv);
	void *priv;

	/* the slab layer */
	raw_spinlock_t lock ____cacheline_aligned_in_smp;
	struct rb_root_cached partial;
	struct list_head full;
	struct list_head empty;
	struct list_head deferred;
	unsigned long nr_partial;
	unsigned long nr_full;
	unsigned long nr_empty;
	unsigned long nr_deferred;
	unsigned long buf_out;
	unsigned long buf_out_max;
	unsigned int color_next;
	unsigned long irq_reserve;
	unsigned long irq_demand;
	unsigned int hash_bits;
	struct bslab_bufctl **hash;
	struct bslab_audit_table *audit;
	bool dead;
	struct bslab_slab_events ev;

	/* the depot */
	struct bslab_depot depot ____cacheline_aligned_in_smp;

	/* lifecycle */
	struct work_struct work ____cacheline_aligned_in_smp;
	struct list_head caches;
	struct dentry *debugfs;
};

extern struct mutex bslab_setup_mutex;
extern struct mutex bslab_caches_mutex;
extern struct list_head bslab_caches;
extern struct list_head bslab_dead_caches;
extern struct bslab_cache *bslab_slab_cache;
extern struct bslab_cache *bslab_bufctl_cache;

static inline size_t slab_bytes(const struct bslab_cache *cp)
{
	return PAGE_SIZE << cp->order;
}

static inline unsigned long slab_total(const struct bslab_cache *cp)
{
	return cp->nr_full + cp->nr_partial + cp->nr_empty + cp->nr_deferred;
}

/*
 * May this context call the page allocator (and take the spinlock_t locks
 * inside it) for anything, with no gfp flags to go by?  Not in hard IRQ or
 * NMI context, where a spinlock_t is a bug on PREEMPT_RT and a lockdep
 * report with PROVE_RAW_LOCK_NESTING; not with preemption or interrupts
 * off on PREEMPT_RT, where it may sleep.  What bslab does only where this
 * holds: free pages, run destructors, tell kmemleak, fill a depot.
 */
static inline bool pages_allowed(void)
{
	if (in_hardirq() || in_nmi())
		return false;
	return !IS_ENABLED(CONFIG_PREEMPT_RT) || preemptible();
}

/*
 * May an allocation with @gfp take new pages here (grow a cache)?  Where
 * pages_allowed(), yes.  In hard IRQ on a kernel without PREEMPT_RT, yes
 * if @gfp does not ask to sleep (GFP_ATOMIC, GFP_NOWAIT), as SLUB and the
 * drivers that allocate there rely on: the page allocator's locks are
 * spinning locks there, and bslab_alloc_pages() tells lockdep so.  Never in
 * NMI, nor where PREEMPT_RT forbids it: there a cache holds a reserve for
 * such allocations instead (slab.c, "Contexts").
 */
static inline bool grow_allowed(gfp_t gfp)
{
	if (pages_allowed())
		return true;
	if (IS_ENABLED(CONFIG_PREEMPT_RT) || in_nmi())
		return false;
	return !gfpflags_allow_blocking(gfp);
}

/* ---- the slab of an object, from its first page ---- */

static inline void slab_page_set(struct page *page, struct bslab_cache *cp,
				 struct bslab_slab *sp)
{
	set_page_private(page, (unsigned long)sp);
	WRITE_ONCE(page->lru.next, (struct list_head *)cp);
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
 * The first page of the slab that the direct-map offset @off would lie in
 * if it were an object of @cp (PAGE_OFFSET is aligned far beyond any slab,
 * so masking the offset masks the address).  On x86-64 the offset is the
 * physical address, which spares virt_to_page() its kernel-image test.
 */
static __always_inline struct page *dmap_slab_page(const struct bslab_cache *cp,
						   unsigned long off)
{
	off &= cp->slab_mask;
#ifdef CONFIG_X86_64
	return pfn_to_page(off >> PAGE_SHIFT);
#else
	return virt_to_page((void *)(off + PAGE_OFFSET));
#endif
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
	return (const struct bslab_cache *)READ_ONCE(page->lru.next);
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
 */
static __always_inline bool free_check_ok(const struct bslab_cache *cp,
					  const void *obj)
{
	unsigned long off = dmap_offset(obj);
	const struct bslab_slab *sp;
	const struct page *page;

	if (unlikely(!dmap_offset_ok(off)))
		return false;
	page = dmap_slab_page(cp, off);
	if (unlikely(slab_page_owner(page) != cp))
		return false;
	sp = slab_page_slab(page);
	return likely(slab_index(cp, sp, obj) < READ_ONCE(sp->fresh));
}

DECLARE_STATIC_KEY_TRUE(bslab_free_check);

/*
 * What the kernel's own checkers see of bslab's objects (compiled away on
 * kernels without them).  KASAN (generic mode): a free object, in a slab or
 * a magazine, is poisoned in KASAN's shadow as a freed slab object; an
 * object handed out is unpoisoned for its size, and the rest of its chunk
 * is a redzone, so a use after free or an access past the end is a KASAN
 * report.  bslab's own accesses to free objects (free-list words, poison
 * patterns, verify) are in files built without KASAN instrumentation
 * (slab.c, debug.c, verify.c; see Kbuild).  A free whose object KASAN's
 * shadow already calls free is a double free, caught at once even when
 * the first free went into a magazine.  kmemleak: every object handed out
 * to a client is registered, and unregistered when freed, so a scan
 * reports a leaked one with its allocation stack; bslab's metadata caches
 * (descriptors, bufctls, magazines) are left out, so their pointers never
 * hide a leak.
 */
#ifdef CONFIG_KASAN_GENERIC
bool bslab_kasan_freed(const void *obj);

static __always_inline void kasan_obj_free(const struct bslab_cache *cp,
					   void *obj)
{
	kasan_poison(obj, cp->chunk, BSLAB_KASAN_FREE, false);
}

/* @obj is handed out for @size bytes; the rest of its chunk is a redzone. */
static __always_inline void kasan_obj_use(const struct bslab_cache *cp,
					  void *obj, size_t size)
{
	size_t whole = round_down(size, BSLAB_KASAN_GRANULE);
	size_t used = round_up(size, BSLAB_KASAN_GRANULE);

	kasan_poison(obj, whole, 0, false);
	if (used != whole)
		kasan_poison(obj + whole, BSLAB_KASAN_GRANULE,
			     size & (BSLAB_KASAN_GRANULE - 1), false);
	if (used < cp->chunk)
		kasan_poison(obj + used, cp->chunk - used, BSLAB_KASAN_REDZONE,
			     false);
}
#else
static inline bool bslab_kasan_freed(const void *obj)
{
	return false;
}

static inline void kasan_obj_free(const struct bslab_cache *cp, void *obj)
{
}

static inline void kasan_obj_use(const struct bslab_cache *cp, void *obj,
				 size_t size)
{
}
#endif

/*
 * KASAN's view of an object changes with its owner, in the same step: an
 * object leaving a magazine for a client (mag_pop()) or the slab layer
 * (slab_take_locked(), under the cache's lock) is made accessible there;
 * one entering a magazine (mag_push()) or the slab layer (under the lock)
 * is poisoned there.  So whoever holds a magazine (its CPU, in the busy
 * section) or the lock sees shadows that agree with where the objects are,
 * and verify can check them (verify.c).  With free_check=0 a pointer is
 * not checked before it enters a magazine: it is poisoned only if it is an
 * object of the cache, never random memory.
 */
static __always_inline void kasan_obj_in(const struct bslab_cache *cp,
					 void *obj)
{
	if (IS_ENABLED(CONFIG_KASAN_GENERIC) &&
	    (static_branch_likely(&bslab_free_check) || free_check_ok(cp, obj)))
		kasan_obj_free(cp, obj);
}

/*
 * @obj goes to a client (KASAN was told with the move).  kmemleak
 * allocates its record from the kernel's slab allocator, which must not be
 * called where the page allocator may not (see pages_allowed()): objects
 * allocated there are not tracked (and kmemleak_free() of an object it does
 * not know is a quiet no-op).
 */
static __always_inline void *bslab_san_alloc(struct bslab_cache *cp,
					     void *obj, gfp_t gfp)
{
	if (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK) && !cp->metadata &&
	    pages_allowed())
		kmemleak_alloc(obj, cp->size, 1, gfp);
	return obj;
}

/*
 * @obj, which passed the free check, comes back from a client.  Return:
 * false if KASAN's shadow says it is free already (a double free); KASAN
 * poisons it when it enters a magazine or the slab layer.
 */
static __always_inline bool bslab_san_free(struct bslab_cache *cp, void *obj)
{
	if (bslab_kasan_freed(obj))
		return false;
	if (!cp->metadata)
		kmemleak_free(obj);
	return true;
}

/* The same, with the free check off: no double free is looked for. */
static __always_inline void bslab_san_free_unchecked(struct bslab_cache *cp,
						     void *obj)
{
	if (!cp->metadata)
		kmemleak_free(obj);
}

/* Either of the two, as the free check says; false: a double free. */
static __always_inline bool bslab_san_free_any(struct bslab_cache *cp,
					       void *obj)
{
	if (static_branch_likely(&bslab_free_check))
		return bslab_san_free(cp, obj);
	bslab_san_free_unchecked(cp, obj);
	return true;
}

/* Are KASAN or kmemleak built in (so every free must be seen one by one)? */
#define BSLAB_SANITIZERS	(IS_ENABLED(CONFIG_KASAN_GENERIC) || \
				 IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))

/* The last object pushed on @m; for an empty magazine its header word. */
static __always_inline void *mag_top(const struct bslab_magazine *m)
{
	return ((void * const *)m->objs)[(long)m->rounds - 1];
}

/* Why a free was refused; bslab_report_free() words each. */
enum bslab_bad_free {
	BSLAB_FREE_OK,			/* not refused */
	BSLAB_FREE_NOT_MAPPED,		/* outside the direct map of RAM */
	BSLAB_FREE_NOT_SLAB,		/* RAM bslab does not own */
	BSLAB_FREE_OTHER_CACHE,		/* an object of another cache */
	BSLAB_FREE_INTERIOR,		/* not the start of an object */
	BSLAB_FREE_NEVER_ALLOCATED,	/* never handed out by the slab layer */
	BSLAB_FREE_DOUBLE,		/* already free */
};

/* slab.c: the slab layer.  Functions named _locked expect cp->lock. */
int bslab_slab_layout(struct bslab_cache *cp);
struct page *bslab_alloc_pages(gfp_t gfp, unsigned int order);
void bslab_slab_fill_reserve(struct bslab_cache *cp);
void bslab_slab_reserve_tick(struct bslab_cache *cp);
void *bslab_slab_alloc(struct bslab_cache *cp, gfp_t gfp);
size_t bslab_slab_alloc_batch(struct bslab_cache *cp, gfp_t gfp, size_t n,
			      void **objs);
size_t bslab_slab_free_batch(struct bslab_cache *cp, size_t n, void **objs);
unsigned long bslab_slab_reap(struct bslab_cache *cp);
unsigned long bslab_slab_release_empty(struct bslab_cache *cp, bool reserve);
unsigned long bslab_slab_out(struct bslab_cache *cp);
void bslab_slab_destroy_deferred(struct bslab_cache *cp);
void bslab_slab_release_all(struct bslab_cache *cp);
bool bslab_obj_out_locked(struct bslab_cache *cp, const void *obj);
enum bslab_bad_free bslab_free_diagnose(struct bslab_cache *cp,
					const void *obj);
void bslab_report_free(struct bslab_cache *cp, const void *obj,
		       enum bslab_bad_free why);
void bslab_free_invalid(struct bslab_cache *cp, const void *obj,
			enum bslab_bad_free why);

/*
 * Enter this CPU's layer of @cp: preemption off and the busy word set, *@ccp
 * this CPU's cache.  Returns false, with preemption back on, when the code
 * this interrupt (or softirq) interrupted on this CPU is inside the layer:
 * the caller must use the slab layer.  See magazine.c for why this is
 * enough.  (A bool, not a NULL pointer: the kernel's
 * -fno-delete-null-pointer-checks would cost the fast path a test.)
 */
static __always_inline bool cpu_layer_enter(struct bslab_cache *cp,
					    struct bslab_cpu_cache **ccp)
{
	struct bslab_cpu_cache *cc = get_cpu_ptr(cp->cpu);

	/*
	 * Marked, for KCSAN: an interrupt on this CPU writes the word
	 * between our read and write, and always puts it back before we run
	 * again, so the value we act on is right; no other CPU touches it.
	 * (The same single mov either way.)
	 */
	if (unlikely(READ_ONCE(cc->busy))) {
		put_cpu_ptr(cp->cpu);
		return false;
	}
	WRITE_ONCE(cc->busy, 1);
	barrier();
	*ccp = cc;
	return true;
}

static __always_inline void cpu_layer_exit(struct bslab_cache *cp,
					   struct bslab_cpu_cache *cc)
{
	barrier();
	WRITE_ONCE(cc->busy, 0);
	put_cpu_ptr(cp->cpu);
}

/*
 * The magazine operations, each written once (as UMA's bucket pop, push and
 * swap).  A magazine with rounds == size is full, one with no rounds empty;
 * the sentinel (size 0) is both, so nothing pops from it or pushes to it.
 */
static __always_inline bool mag_has_rounds(const struct bslab_magazine *m)
{
	return m->rounds;
}

static __always_inline bool mag_has_room(const struct bslab_magazine *m)
{
	return m->rounds < m->size;
}

/* Pop an object of @cp for a client (KASAN: accessible from now on). */
static __always_inline void *mag_pop(const struct bslab_cache *cp,
				     struct bslab_magazine *m)
{
	void *obj = m->objs[--m->rounds];

	kasan_obj_use(cp, obj, cp->size);
	return obj;
}

/* Push an object of @cp a client freed (KASAN: poisoned from now on). */
static __always_inline void mag_push(const struct bslab_cache *cp,
				     struct bslab_magazine *m, void *obj)
{
	kasan_obj_in(cp, obj);
	m->objs[m->rounds++] = obj;
}

/* Take up to @n rounds off the top of @m into @objs; returns how many. */
static __always_inline size_t mag_pop_many(const struct bslab_cache *cp,
					   struct bslab_magazine *m,
					   size_t n, void **objs)
{
	size_t k = min_t(size_t, n, m->rounds), i;

	m->rounds -= k;
	memcpy(objs, &m->objs[m->rounds], k * sizeof(void *));
	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		for (i = 0; i < k; i++)
			kasan_obj_use(cp, objs[i], cp->size);
	return k;
}

/* Exchange the loaded and the previous magazine of a busy CPU layer. */
static __always_inline void cpu_mag_swap(struct bslab_cpu_cache *cc)
{
	swap(cc->loaded, cc->prev);
}

/*
 * Load @m; the loaded magazine becomes the previous one (the old previous
 * one is the caller's to keep or give back).
 */
static __always_inline void cpu_mag_load(struct bslab_cpu_cache *cc,
					 struct bslab_magazine *m)
{
	cc->prev = cc->loaded;
	cc->loaded = m;
}

/* magazine.c: the CPU layer and the depot. */
extern struct bslab_magazine bslab_no_magazine;
int bslab_magazine_init(void);
void bslab_magazine_exit(void);
int bslab_cpu_layer_init(struct bslab_cache *cp);
void bslab_cpu_layer_drain(struct bslab_cache *cp);
void *bslab_cpu_alloc_slow(struct bslab_cache *cp, struct bslab_cpu_cache *cc);
bool bslab_depot_add_empty(struct bslab_cache *cp);
bool bslab_cpu_free_slow(struct bslab_cache *cp, struct bslab_cpu_cache *cc,
			 void *obj);
size_t bslab_cpu_take(struct bslab_cache *cp, size_t n, void **objs);
size_t bslab_cpu_put(struct bslab_cache *cp, size_t n, void **objs);
void bslab_cpu_drain(struct bslab_cache *cp, unsigned int cpu);
void bslab_cpu_drain_all(struct bslab_cache *cp);
void bslab_cpu_layer_destroy(struct bslab_cache *cp);
unsigned long bslab_depot_purge(struct bslab_cache *cp, bool all,
				unsigned long *mags);
void bslab_depot_count(struct bslab_cache *cp, u64 *counter, u64 n);
enum bslab_reap_how {
	BSLAB_REAP_SURPLUS,	/* the depot's working-set surplus */
	BSLAB_REAP_ALL,		/* every depot magazine */
	BSLAB_REAP_SHRINK,	/* every depot magazine, for the shrinker */
};

unsigned long bslab_reap_now(struct bslab_cache *cp, enum bslab_reap_how how);
unsigned int bslab_magazine_size(const struct bslab_cache *cp);
bool bslab_magazine_resize(struct bslab_cache *cp, bool up);

/* reap.c: the reaper, the shrinker, CPU hotplug, module notifier. */
int bslab_reap_init(void);
void bslab_reap_exit(void);
int bslab_owner_init(void);
void bslab_owner_exit(void);
void bslab_reap_tick(struct bslab_cache *cp);
void bslab_reap_all(void);

/* hash.c: the bufctl hash of large caches; _locked: under cp->lock. */
int bslab_hash_init(struct bslab_cache *cp);
void bslab_hash_destroy(struct bslab_cache *cp);
void bslab_hash_insert_locked(struct bslab_cache *cp, struct bslab_bufctl *bc);
struct bslab_bufctl *bslab_hash_remove_locked(struct bslab_cache *cp,
					      const void *buf);
struct bslab_bufctl *bslab_hash_find_locked(struct bslab_cache *cp,
					    const void *buf);
bool bslab_hash_wants_rescale_locked(const struct bslab_cache *cp);
void bslab_hash_rescale(struct bslab_cache *cp);
void bslab_hash_release(struct bslab_cache *cp);

/* cache.c */
/*
 * How to make one of bslab's own caches: see bslab_internal_create().
 * @metadata: its objects describe other objects (see struct bslab_cache).
 */
struct bslab_internal_desc {
	char name[BSLAB_NAME_MAX + 1];
	size_t size;
	size_t align;
	unsigned int flags;
	bool metadata;
};

int bslab_internal_create(struct bslab_cache **caches, unsigned int n,
			  void (*describe)(unsigned int i,
					   struct bslab_internal_desc *d));
void bslab_internal_destroy(struct bslab_cache **caches, unsigned int n);
void bslab_cache_work(struct work_struct *work);
void bslab_cache_release_dead(void);
void bslab_owner_going(struct module *mod);

/* debug.c: the debug path, fault injection. */
#define BSLAB_DBG_FAILSLAB	0x01	/* allocations may fail by injection */
#define BSLAB_DBG_POISON	0x02	/* free objects are filled with a pattern */
#define BSLAB_DBG_POISON_CHECK	0x04	/* ... all of them: allocations check it */
#define BSLAB_DBG_AUDIT		0x08	/* allocations and frees are recorded */
#define BSLAB_DBG_REDZONE	0x10	/* guard bytes after objects (at create) */
/* The modes a live cache can switch; redzone changes the layout. */
#define BSLAB_DBG_LIVE		(BSLAB_DBG_FAILSLAB | BSLAB_DBG_POISON | \
				 BSLAB_DBG_AUDIT)
#define BSLAB_DBG_MODES		(BSLAB_DBG_LIVE | BSLAB_DBG_REDZONE)
/* Guard bytes at least, after each object of a REDZONE cache. */
#define BSLAB_REDZONE_MIN	8

extern struct bslab_fault_attr bslab_failslab;
/* On while any cache has a debug mode: see debug_modes(). */
extern struct static_key_false_deferred bslab_debugging;

/*
 * The debug modes of @cp.  While no cache has any, this is a no-op and 0,
 * so the slow paths and the slab layer pay nothing for debugging.
 */
static __always_inline unsigned int debug_modes(const struct bslab_cache *cp)
{
	if (!static_branch_unlikely(&bslab_debugging.key))
		return 0;
	return READ_ONCE(cp->debug);
}

void bslab_debug_forget(struct bslab_cache *cp);

int bslab_debug_set(struct bslab_cache *cp, unsigned int set,
		    unsigned int clear);
int bslab_debug_check_modes(const char *name, unsigned int modes,
			    unsigned int flags, const void *ctor,
			    const void *dtor, bool live);
int bslab_debug_at_create(const char *name, unsigned int flags,
			  const void *ctor, const void *dtor);
void bslab_poison_free(struct bslab_cache *cp, void *obj, bool fresh);
void bslab_poison_check(struct bslab_cache *cp, void *obj);
size_t bslab_poison_damage(const struct bslab_cache *cp, const void *obj,
			   u8 *want);
void bslab_redzone_fill(const struct bslab_cache *cp, void *obj);
size_t bslab_redzone_damage(const struct bslab_cache *cp, const void *obj,
			    u8 *want);
void bslab_redzone_report(struct bslab_cache *cp, const void *obj, size_t at,
			  u8 found, u8 want);
void bslab_slab_poison_all(struct bslab_cache *cp);
bool bslab_debug_alloc_fails(struct bslab_cache *cp, gfp_t gfp);
__printf(2, 3) bool bslab_bug(struct bslab_cache *cp, const char *fmt, ...);
void bslab_debug_files(struct bslab_cache *cp, struct dentry *dir);
void bslab_debug_init(struct dentry *root);
void bslab_debug_exit(void);

/* audit.c: records of who allocated and freed each object; kmausers. */
struct bslab_audit;

/**
 * struct bslab_audit_table - the records of one audited cache
 * @bits: log2 of the number of buckets
 * @records: records in the buckets
 * @in_use: ... of them for objects in use
 * @spare: records not in use by any address
 * @heads: the buckets
 */
struct bslab_audit_table {
	unsigned int bits;
	unsigned long records;
	unsigned long in_use;
	struct bslab_audit *spare;
	struct bslab_audit *heads[];
};

int bslab_audit_start(struct bslab_cache *cp);
void bslab_audit_stop(struct bslab_cache *cp);
void bslab_audit_alloc(struct bslab_cache *cp, void **objs, size_t n);
depot_stack_handle_t bslab_audit_free_stack(struct bslab_cache *cp);
void bslab_audit_free_locked(struct bslab_cache *cp, const void *obj,
			     depot_stack_handle_t stack);
void bslab_audit_forget_locked(struct bslab_cache *cp, const void *obj);
void bslab_audit_rescale(struct bslab_cache *cp);
void bslab_audit_report(struct bslab_cache *cp, const void *obj);
int bslab_audit_users_show(struct seq_file *m, struct bslab_cache *cp);
int bslab_audit_kmausers_show(struct seq_file *m);
int bslab_audit_users_store(struct bslab_cache *cp, char *buf);
void bslab_audit_leaks(struct bslab_cache *cp);

/* verify.c: consistency checks of a cache. */
int bslab_verify_show(struct seq_file *m, struct bslab_cache *cp);
int bslab_verify_all_show(struct seq_file *m);

/* sizes.c: bslab_alloc() size classes. */
int bslab_sizes_init(void);
void bslab_sizes_exit(void);
void bslab_sizes_large_stats(unsigned long *allocs, unsigned long *bytes);
void bslab_sizes_flush(void);
struct bslab_cache *bslab_size_class(size_t size);

/* debugfs.c and procfs.c */
int bslab_debugfs_init(void);
void bslab_debugfs_exit(void);
void bslab_debugfs_add(struct bslab_cache *cp);
void bslab_debugfs_remove(struct bslab_cache *cp);
void bslab_kmastat_show(struct seq_file *m);
int bslab_procfs_init(void);
void bslab_procfs_exit(void);

/* For tests: where an object lives.  Exported in the BSLAB_INTERNAL namespace. */
struct bslab_obj_info {
	void *slab_base;
	unsigned int color;
	unsigned int inuse;
	unsigned int objs;
	enum bslab_slab_state state;
};

int bslab_obj_info(struct bslab_cache *cache, const void *obj,
		   struct bslab_obj_info *info);

#endif /* _BSLAB_INTERNAL_H */
