/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bslab - an object-caching slab allocator (Bonwick 1994) for kernel modules.
 *
 * A client creates a cache for each kind of object it allocates, with an
 * optional constructor and destructor, and then allocates and frees objects
 * of that kind.  Objects are handed out in constructed state and keep that
 * state while they sit free in the cache, so the constructor runs once per
 * object, not once per allocation.  bslab_alloc()/bslab_free() add
 * kmem_alloc-style size classes on top for callers without a type.
 *
 * See Documentation/bslab.rst for the design and the admin guide for the
 * files under /sys/kernel/debug/bslab and /proc/bslabinfo.
 */
#ifndef _BSLAB_H
#define _BSLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/init.h>

struct bslab_cache;
struct module;

/* Longest cache name, not counting the terminating NUL. */
#define BSLAB_NAME_MAX		31

/* Largest size served from bslab_alloc()'s size classes; above, pages. */
#define BSLAB_ALLOC_MAX		8192

/* Cache flags for bslab_cache_create(). */
#define BSLAB_NOMAGAZINE	0x0001u	/* no per-CPU magazine layer */
#define BSLAB_HWCACHE_ALIGN	0x0002u	/* align objects to the cache line */
#define BSLAB_RECLAIMABLE	0x0004u	/* pages count as SReclaimable */
#define BSLAB_NOTOUCH		0x0008u	/* never write into a free object */
#define BSLAB_FAILSLAB		0x0010u	/* fault injection may fail allocations */
#define BSLAB_DEBUG_POISON	0x0020u	/* poison free objects, check on alloc */
#define BSLAB_DEBUG_AUDIT	0x0040u	/* record who allocated and freed each */
#define BSLAB_DEBUG_REDZONE	0x0080u	/* guard bytes after each object */
/*
 * BSLAB_TYPESAFE_BY_RCU: as the kernel's SLAB_TYPESAFE_BY_RCU.  A freed
 * object may be handed out again at once, but its memory stays an object
 * of this cache until a grace period has passed: a reader under
 * rcu_read_lock() that found it may still read it (and must check, after
 * taking a reference, that it is still the object it wanted).  So slab
 * pages go back to the page allocator only after a grace period, free
 * objects are never written (it implies BSLAB_NOTOUCH: no poison, no
 * init_on_free), KASAN does not call them freed, and destroy waits for
 * the pending pages.  A cache with it may not have a destructor.
 */
#define BSLAB_TYPESAFE_BY_RCU	0x0100u
#define BSLAB_FLAGS_VALID	(BSLAB_NOMAGAZINE | BSLAB_HWCACHE_ALIGN | \
				 BSLAB_RECLAIMABLE | BSLAB_NOTOUCH | \
				 BSLAB_FAILSLAB | BSLAB_DEBUG_POISON | \
				 BSLAB_DEBUG_AUDIT | BSLAB_DEBUG_REDZONE | \
				 BSLAB_TYPESAFE_BY_RCU)

/**
 * struct bslab_slab_events - the slab layer's counters of one cache
 *
 * One u64 member per BSLAB_EVENT line of <bslab_stat_list.h>.
 */
struct bslab_slab_events {
#define BSLAB_EVENT(name) u64 name
#include <bslab_stat_list.h>
};

/**
 * struct bslab_depot_events - the depot's counters of one cache
 *
 * One u64 member per BSLAB_DEPOT_EVENT line of <bslab_stat_list.h>.
 */
struct bslab_depot_events {
#define BSLAB_DEPOT_EVENT(name) u64 name
#include <bslab_stat_list.h>
};

/**
 * struct bslab_cpu_events - the CPU layer's counters of one cache on one CPU
 *
 * One u64 member per BSLAB_CPU_EVENT line of <bslab_stat_list.h>.
 */
struct bslab_cpu_events {
#define BSLAB_CPU_EVENT(name) u64 name
#include <bslab_stat_list.h>
};

/**
 * struct bslab_stats - a snapshot of one cache's statistics
 * @slab_ev: the slab layer's events as one struct
 * @depot_ev: the depot's events as one struct
 * @cpu_ev: the CPU layer's events, summed over CPUs, as one struct
 *
 * One u64 member per line of <bslab_stat_list.h>, in its order and named as
 * in the stats file (/sys/kernel/debug/bslab/<cache>/stats): the gauges,
 * then the events of each layer; each event is also a member of its own.
 * Filled by bslab_cache_stats().
 */
struct bslab_stats {
#define BSLAB_GAUGE(name) u64 name
#include <bslab_stat_list.h>
	union {
		struct bslab_slab_events slab_ev;
		struct {
#define BSLAB_EVENT(name) u64 name
#include <bslab_stat_list.h>
		};
	};
	union {
		struct bslab_depot_events depot_ev;
		struct {
#define BSLAB_DEPOT_EVENT(name) u64 name
#include <bslab_stat_list.h>
		};
	};
	union {
		struct bslab_cpu_events cpu_ev;
		struct {
#define BSLAB_CPU_EVENT(name) u64 name
#include <bslab_stat_list.h>
		};
	};
};

/**
 * struct bslab_cache_args - the optional arguments of a cache
 * @align: object alignment, 0 for the default (8 bytes), else a power of
 *	two no larger than PAGE_SIZE.
 * @ctor: constructor or NULL.  Called with @priv on every object of a new
 *	slab before any of them is handed out, with the gfp flags of the
 *	allocation that grew the cache, in the context of that allocation
 *	(hard IRQ included, without PREEMPT_RT, for a GFP_ATOMIC allocation
 *	there), or from the cache's work item when it grows the reserve of
 *	a PREEMPT_RT kernel (with GFP_KERNEL).  Returns 0 or a negative
 *	errno; a failure fails that allocation and gives the slab back.  In a
 *	cache with BSLAB_DEBUG_POISON it is also called on each object as it
 *	is handed out, in that allocation's context and with its gfp flags
 *	(a failure fails that allocation).
 * @dtor: destructor or NULL.  Called on every object of a slab before its
 *	pages go back to the page allocator.  Context: always process
 *	context with no bslab spinlock held; it may sleep.  (A free that
 *	empties a slab of a cache with a destructor leaves the slab to a
 *	work item.)
 * @reclaim: called by bslab's shrinker when memory is short, so the client
 *	can free objects it caches itself; may be NULL.  Called under memory
 *	pressure even when bslab itself has nothing to give back.  It must
 *	not create or destroy caches.
 * @priv: passed to @ctor, @dtor and @reclaim.
 *
 * Zero-initialise it and set what you need: a member added later (for
 * debugging, NUMA or object moving) then keeps its default in your code.
 */
struct bslab_cache_args {
	size_t align;
	int (*ctor)(void *obj, void *priv, gfp_t gfp);
	void (*dtor)(void *obj, void *priv);
	void (*reclaim)(void *priv);
	void *priv;
};

/**
 * bslab_cache_create_args() - create a cache of objects of one kind
 * @name: name shown in debugfs, /proc/bslabinfo and kmastat; 1 to
 *	BSLAB_NAME_MAX characters, no '/' and no white space, unique among
 *	live caches; ".", ".." and the names of bslab's top-level debugfs
 *	files ("kmastat", "kmausers", "failslab", "verify", "reap") are
 *	reserved.
 *	Copied, so the caller's string may go away.
 * @size: object size in bytes; at least 1.  Objects below PAGE_SIZE/8 keep
 *	their slab descriptor in the slab, larger ones keep it off-slab.
 * @args: the optional arguments (struct bslab_cache_args), or NULL for
 *	none.  Read during the call only.
 * @flags: BSLAB_* cache flags.
 *
 * The cache belongs to the calling module (this is a macro that passes
 * THIS_MODULE).  A module must destroy its caches before it is unloaded;
 * if it does not, bslab reports each cache by name and module when the
 * module goes away, never calls its constructor, destructor or reclaim
 * callback again (they would point into freed module text), and destroys
 * the cache: at once if it holds no objects, else when the last object is
 * freed or bslab unloads.
 *
 * Context: process context, may sleep.
 * Return: the cache, or an ERR_PTR: -EINVAL for a bad name, size, alignment
 * or flag, -EEXIST for a name in use, -ENOMEM.  On error nothing is left
 * behind and a message naming the cache is logged.
 */
#define bslab_cache_create_args(name, size, args, flags) \
	__bslab_cache_create_args(name, size, args, flags, THIS_MODULE)

/**
 * __bslab_cache_create_args() - bslab_cache_create_args() with an explicit owner
 * @name: as for bslab_cache_create_args()
 * @size: as for bslab_cache_create_args()
 * @args: as for bslab_cache_create_args()
 * @flags: as for bslab_cache_create_args()
 * @owner: the module whose unload orphans the cache, or NULL
 *
 * Context: process context, may sleep.
 * Return: as for bslab_cache_create_args().
 */
struct bslab_cache *__bslab_cache_create_args(const char *name, size_t size,
					      const struct bslab_cache_args *args,
					      unsigned int flags,
					      struct module *owner);

/**
 * __bslab_cache_create() - bslab_cache_create() with an explicit owner
 * @name: as for bslab_cache_create_args()
 * @size: as for bslab_cache_create_args()
 * @align: &bslab_cache_args.align
 * @ctor: &bslab_cache_args.ctor
 * @dtor: &bslab_cache_args.dtor
 * @reclaim: &bslab_cache_args.reclaim
 * @priv: &bslab_cache_args.priv
 * @flags: as for bslab_cache_create_args()
 * @owner: the module whose unload orphans the cache, or NULL
 *
 * Context: process context, may sleep.
 * Return: as for bslab_cache_create_args().
 */
static inline struct bslab_cache *
__bslab_cache_create(const char *name, size_t size, size_t align,
		     int (*ctor)(void *obj, void *priv, gfp_t gfp),
		     void (*dtor)(void *obj, void *priv),
		     void (*reclaim)(void *priv), void *priv,
		     unsigned int flags, struct module *owner)
{
	const struct bslab_cache_args args = {
		.align = align,
		.ctor = ctor,
		.dtor = dtor,
		.reclaim = reclaim,
		.priv = priv,
	};

	return __bslab_cache_create_args(name, size, &args, flags, owner);
}

/**
 * bslab_cache_create() - create a cache, the optional arguments in a row
 * @name: as for bslab_cache_create_args()
 * @size: as for bslab_cache_create_args()
 * @align: &bslab_cache_args.align
 * @ctor: &bslab_cache_args.ctor
 * @dtor: &bslab_cache_args.dtor
 * @reclaim: &bslab_cache_args.reclaim
 * @priv: &bslab_cache_args.priv
 * @flags: as for bslab_cache_create_args()
 *
 * The positional form of bslab_cache_create_args(), after Bonwick's
 * kmem_cache_create(); it stays for the clients that call it.  New
 * arguments are added to struct bslab_cache_args only.  A macro, so that
 * the cache belongs to the calling module.
 *
 * Context: process context, may sleep.
 * Return: as for bslab_cache_create_args().
 */
#define bslab_cache_create(name, size, align, ctor, dtor, reclaim, priv, \
			   flags)					\
	__bslab_cache_create(name, size, align, ctor, dtor, reclaim, priv, \
			     flags, THIS_MODULE)

/**
 * bslab_cache_destroy() - destroy a cache
 * @cache: the cache, or NULL (nothing is done)
 *
 * Destructs every free object and gives every page back.  If objects are
 * still allocated, their number is logged, the slabs holding them and the
 * cache structure are kept (so those objects stay valid and may still be
 * freed; the cache is freed with the last of them), and only the rest is
 * given back.  Destroying a cache that is already destroyed is reported
 * and does nothing, as far as it can be told (the memory of a freed cache
 * may since belong to a new one).
 *
 * Context: process context, may sleep.
 */
void bslab_cache_destroy(struct bslab_cache *cache);

/**
 * bslab_cache_alloc() - allocate one constructed object
 * @cache: the cache
 * @gfp: allocation flags for the pages of a new slab.  Without
 *	__GFP_DIRECT_RECLAIM the call never sleeps.  __GFP_ZERO zeroes the
 *	object; it is refused for caches with a constructor.  The kernel's
 *	init_on_alloc=1 zeroes every object of a cache without one (and
 *	init_on_free=1 every object freed).
 *
 * In hard interrupt context, as with SLUB, a GFP_ATOMIC (or GFP_NOWAIT)
 * allocation grows the cache when it has no free object, and fails only
 * when the page allocator has no memory to give.  On PREEMPT_RT (where
 * hard IRQ handlers that allocate are rare, and SLUB may not take pages
 * there either) nothing may take pages in hard IRQ or with preemption or
 * interrupts off: such an allocation comes from this CPU's magazines or a
 * slab with a free object, or fails (counted in alloc_fail and
 * alloc_fail_irq); a failure makes the cache keep a reserve of free objects
 * for such allocations (stats: irq_reserve), grown from process context
 * ahead of that demand, so the failures stop after the first.
 *
 * Context: any; process context if @gfp allows sleeping.
 * Return: the object, or NULL when no memory could be had or the
 * constructor failed.
 */
void *bslab_cache_alloc(struct bslab_cache *cache, gfp_t gfp);

/**
 * bslab_cache_alloc_node() - allocate one constructed object of a NUMA node
 * @cache: the cache
 * @gfp: allocation flags, as for bslab_cache_alloc().  With __GFP_THISNODE
 *	the object is @node's or the allocation fails; without it, @node is
 *	where the object comes from unless that node has no memory to give,
 *	when another's is taken (counted in alloc_off_node), as the page
 *	allocator does.
 * @node: the node, or NUMA_NO_NODE for this CPU's (bslab_cache_alloc()).
 *	A node that is not online is taken as NUMA_NO_NODE (but with
 *	__GFP_THISNODE, which then fails); a number that is no node id is
 *	refused with a message naming the cache.
 *
 * The object comes from this CPU's magazines when @node is this CPU's
 * node (numa_mem_id(): a CPU of a node without memory allocates from the
 * nearest node with some), else from @node's slabs.
 *
 * Context: as bslab_cache_alloc().
 * Return: the object, or NULL.
 */
void *bslab_cache_alloc_node(struct bslab_cache *cache, gfp_t gfp, int node);

/**
 * bslab_cache_free() - give an object back to its cache
 * @cache: the cache it was allocated from
 * @obj: the object, in constructed state, or NULL (nothing is done)
 *
 * Every free is checked (unless bslab is loaded with free_check=0): a
 * pointer that is not the start of an object of a slab of @cache (memory
 * of another cache, of kmalloc, a stack, an interior pointer) or that is
 * the object this CPU freed last is logged ("bslab: cache <name>: invalid
 * free of <ptr>: <why>"), counted in free_invalid and never reused.  A
 * double free with other frees in between is caught when both copies reach
 * the slab layer (at once for BSLAB_NOMAGAZINE caches).
 *
 * Context: any.
 */
void bslab_cache_free(struct bslab_cache *cache, void *obj);

/**
 * bslab_cache_alloc_bulk() - allocate several objects at once
 * @cache: the cache
 * @gfp: allocation flags, as for bslab_cache_alloc()
 * @n: how many objects
 * @objs: array of at least @n pointers, filled with the objects
 *
 * All or nothing: on failure no object stays allocated.
 *
 * Context: as bslab_cache_alloc().
 * Return: @n on success, 0 on failure.
 */
int bslab_cache_alloc_bulk(struct bslab_cache *cache, gfp_t gfp, size_t n,
			   void **objs);

/**
 * bslab_cache_alloc_bulk_node() - allocate several objects of a NUMA node
 * @cache: the cache
 * @gfp: allocation flags, as for bslab_cache_alloc_node()
 * @node: the node, as for bslab_cache_alloc_node()
 * @n: how many objects
 * @objs: array of at least @n pointers, filled with the objects
 *
 * All or nothing, as bslab_cache_alloc_bulk().  For NUMA_NO_NODE it is
 * that call; for a node, the objects come from that node's slabs in one
 * batch.
 *
 * Context: as bslab_cache_alloc().
 * Return: @n on success, 0 on failure.
 */
int bslab_cache_alloc_bulk_node(struct bslab_cache *cache, gfp_t gfp,
				int node, size_t n, void **objs);

/**
 * bslab_cache_free_bulk() - free several objects at once
 * @cache: the cache they were allocated from
 * @n: how many objects
 * @objs: the objects; NULL entries are skipped
 *
 * Context: any.
 */
void bslab_cache_free_bulk(struct bslab_cache *cache, size_t n, void **objs);

/**
 * bslab_cache_reap() - give back the memory a cache holds but does not use
 * @cache: the cache
 *
 * Empties every online CPU's magazines and the depot into the slab layer,
 * destructs the objects of every empty slab and gives those pages back to
 * the page allocator; sizes the bufctl hash of an off-slab cache to the
 * number of objects in use.  Afterwards the cache holds only pages with
 * objects in use: slabs that frees left to the cache's work item (in a
 * context that may not call the page allocator, or in a cache with a
 * destructor) are given back too, before it returns.
 *
 * Context: process context, may sleep.
 */
void bslab_cache_reap(struct bslab_cache *cache);

/**
 * bslab_cache_stats() - take a snapshot of a cache's statistics
 * @cache: the cache
 * @stats: filled with the statistics; see <bslab_stat_list.h>
 *
 * Context: any.
 */
void bslab_cache_stats(struct bslab_cache *cache, struct bslab_stats *stats);

/**
 * bslab_cache_name() - the name of a cache
 * @cache: the cache
 *
 * Return: the name given at create.
 */
const char *bslab_cache_name(const struct bslab_cache *cache);

/**
 * bslab_cache_size() - the object size of a cache
 * @cache: the cache
 *
 * Return: the size given at create (what a client may use of an object;
 * kmem_cache_size() of <bslab_kmem.h>).
 */
unsigned int bslab_cache_size(const struct bslab_cache *cache);

/**
 * bslab_alloc() - allocate memory of a given size
 * @size: bytes, at least 1
 * @gfp: allocation flags, as for bslab_cache_alloc()
 *
 * Sizes up to BSLAB_ALLOC_MAX come from the bslab_alloc_<class> caches,
 * aligned to at least 8 bytes (to the power of two for power-of-two
 * classes); larger sizes come straight from the page allocator (so in hard
 * interrupt context on PREEMPT_RT, where no pages may be taken, they fail).
 *
 * Context: any; process context if @gfp allows sleeping.
 * Return: the memory, or NULL (also for @size 0).
 */
void *bslab_alloc(size_t size, gfp_t gfp);

/**
 * bslab_alloc_node() - allocate memory of a given size on a NUMA node
 * @size: bytes, at least 1
 * @gfp: allocation flags, as for bslab_cache_alloc_node()
 * @node: the node, as for bslab_cache_alloc_node()
 *
 * bslab_alloc() of @node's memory: a size class's object through
 * bslab_cache_alloc_node(), or pages of @node above BSLAB_ALLOC_MAX.
 * Freed with bslab_free().
 *
 * Context: as bslab_alloc().
 * Return: the memory, or NULL.
 */
void *bslab_alloc_node(size_t size, gfp_t gfp, int node);

/**
 * bslab_free() - free memory from bslab_alloc()
 * @obj: the memory, or NULL (nothing is done)
 * @size: the size passed to bslab_alloc()
 *
 * A size of another size class than the allocation's is refused as a free
 * into the wrong cache (see bslab_cache_free()), and the memory is not
 * reused.
 *
 * Context: any.
 */
void bslab_free(void *obj, size_t size);

#endif /* _BSLAB_H */
