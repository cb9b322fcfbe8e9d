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

struct bslab_cache;

/* Longest cache name, not counting the terminating NUL. */
#define BSLAB_NAME_MAX		31

/* Largest size served from bslab_alloc()'s size classes; above, pages. */
#define BSLAB_ALLOC_MAX		8192

/* Cache flags for bslab_cache_create(). */
#define BSLAB_NOMAGAZINE	0x0001u	/* no per-CPU layer (from issue 3 on) */
#define BSLAB_HWCACHE_ALIGN	0x0002u	/* align objects to the cache line */
#define BSLAB_RECLAIMABLE	0x0004u	/* pages count as SReclaimable */
#define BSLAB_NOTOUCH		0x0008u	/* never write into a free object */
#define BSLAB_FLAGS_VALID	(BSLAB_NOMAGAZINE | BSLAB_HWCACHE_ALIGN | \
				 BSLAB_RECLAIMABLE | BSLAB_NOTOUCH)

/*
 * The statistics of one cache, as one table: BSLAB_GAUGES are states read
 * when the snapshot is taken, BSLAB_EVENTS are counters that only grow.
 * The allocator keeps the events, bslab_cache_stats() fills the gauges, and
 * every stats file prints the same list in this order.  A new statistic is
 * one line here (and, for a gauge, one line where the snapshot is taken).
 */
#define BSLAB_GAUGES(X)							\
	X(buf_size)		/* object size asked for at create */	\
	X(align)		/* object alignment */			\
	X(chunk_size)		/* bytes each object takes in a slab */	\
	X(slab_size)		/* bytes of one slab */			\
	X(buf_per_slab)		/* objects in one slab */		\
	X(buf_inuse)		/* objects allocated now */		\
	X(buf_total)		/* objects in all slabs */		\
	X(buf_max)		/* most objects ever allocated at once */ \
	X(buf_constructed)	/* free objects in constructed state */	\
	X(slab_full)		/* slabs with no free object */		\
	X(slab_partial)		/* slabs with some free objects */	\
	X(slab_empty)		/* slabs with no object in use */	\
	X(mem_total)		/* bytes of pages the cache holds */	\
	X(offslab)		/* 1: descriptor and bufctls off-slab */ \
	X(hash_size)		/* buckets of the bufctl hash */	\
	X(color_step)		/* bytes between two slabs' colors */	\
	X(color_max)		/* largest color offset */		\
	X(color_next)		/* color of the next slab created */

#define BSLAB_EVENTS(X)							\
	X(alloc)		/* successful allocations */		\
	X(alloc_fail)		/* allocations that returned NULL */	\
	X(free)			/* frees */				\
	X(free_invalid)		/* frees of pointers not in the cache */ \
	X(slab_create)		/* slabs taken from the page allocator */ \
	X(slab_destroy)		/* slabs given back to it */		\
	X(hash_lookup)		/* bufctl hash lookups */		\
	X(hash_lookup_depth)	/* bufctls visited by those lookups */	\
	X(hash_rescale)		/* times the hash was resized */	\
	X(reap)			/* bslab_cache_reap() calls */

#define BSLAB_STATS(X) BSLAB_GAUGES(X) BSLAB_EVENTS(X)

/**
 * struct bslab_stats - a snapshot of one cache's statistics
 *
 * One u64 member per entry of BSLAB_STATS(), named as in the stats file
 * (/sys/kernel/debug/bslab/<cache>/stats).  Filled by bslab_cache_stats().
 */
struct bslab_stats {
#define BSLAB_STAT_MEMBER(name) u64 name;
	BSLAB_STATS(BSLAB_STAT_MEMBER)
#undef BSLAB_STAT_MEMBER
};

/**
 * bslab_cache_create() - create a cache of objects of one kind
 * @name: name shown in debugfs, /proc/bslabinfo and kmastat; 1 to
 *	BSLAB_NAME_MAX characters, no '/' and no white space, unique among
 *	live caches.  Copied, so the caller's string may go away.
 * @size: object size in bytes; at least 1.  Objects below PAGE_SIZE/8 keep
 *	their slab descriptor in the slab, larger ones keep it off-slab.
 * @align: object alignment, 0 for the default (8 bytes), else a power of
 *	two no larger than PAGE_SIZE.
 * @ctor: constructor or NULL.  Called with @priv on every object of a new
 *	slab before any of them is handed out, with the gfp flags of the
 *	allocation that grew the cache.  Returns 0 or a negative errno; a
 *	failure fails that allocation and gives the slab back.
 * @dtor: destructor or NULL.  Called on every object of a slab before its
 *	pages go back to the page allocator.
 * @reclaim: called when memory is short so the client can free objects it
 *	caches itself; may be NULL.
 * @priv: passed to @ctor, @dtor and @reclaim.
 * @flags: BSLAB_* cache flags.
 *
 * Context: process context, may sleep.
 * Return: the cache, or an ERR_PTR: -EINVAL for a bad name, size, alignment
 * or flag, -EEXIST for a name in use, -ENOMEM.  On error nothing is left
 * behind and a message naming the cache is logged.
 */
struct bslab_cache *bslab_cache_create(const char *name, size_t size,
				       size_t align,
				       int (*ctor)(void *obj, void *priv,
						   gfp_t gfp),
				       void (*dtor)(void *obj, void *priv),
				       void (*reclaim)(void *priv),
				       void *priv, unsigned int flags);

/**
 * bslab_cache_destroy() - destroy a cache
 * @cache: the cache, or NULL (nothing is done)
 *
 * Destructs every free object and gives every page back.  If objects are
 * still allocated, their number is logged, the slabs holding them and the
 * cache structure are kept (so those objects stay valid and may still be
 * freed), and only the rest is given back.
 *
 * Context: process context, may sleep.
 */
void bslab_cache_destroy(struct bslab_cache *cache);

/**
 * bslab_cache_alloc() - allocate one constructed object
 * @cache: the cache
 * @gfp: allocation flags for the pages of a new slab.  Without
 *	__GFP_DIRECT_RECLAIM the call never sleeps.  __GFP_ZERO zeroes the
 *	object; it is refused for caches with a constructor.
 *
 * Context: any; process context if @gfp allows sleeping.
 * Return: the object, or NULL when no memory could be had or the
 * constructor failed.
 */
void *bslab_cache_alloc(struct bslab_cache *cache, gfp_t gfp);

/**
 * bslab_cache_free() - give an object back to its cache
 * @cache: the cache it was allocated from
 * @obj: the object, in constructed state, or NULL (nothing is done)
 *
 * A pointer that is not an allocated object of @cache is logged and
 * ignored (counted in free_invalid).
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
 * Destructs the objects of every empty slab and gives those pages back to
 * the page allocator; sizes the bufctl hash of an off-slab cache to the
 * number of objects in use.
 *
 * Context: process context, may sleep.
 */
void bslab_cache_reap(struct bslab_cache *cache);

/**
 * bslab_cache_stats() - take a snapshot of a cache's statistics
 * @cache: the cache
 * @stats: filled with the statistics; see BSLAB_STATS()
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
 * bslab_alloc() - allocate memory of a given size
 * @size: bytes, at least 1
 * @gfp: allocation flags, as for bslab_cache_alloc()
 *
 * Sizes up to BSLAB_ALLOC_MAX come from the bslab_alloc_<class> caches,
 * aligned to at least 8 bytes (to the power of two for power-of-two
 * classes); larger sizes come straight from the page allocator.
 *
 * Context: any; process context if @gfp allows sleeping.
 * Return: the memory, or NULL (also for @size 0).
 */
void *bslab_alloc(size_t size, gfp_t gfp);

/**
 * bslab_free() - free memory from bslab_alloc()
 * @obj: the memory, or NULL (nothing is done)
 * @size: the size passed to bslab_alloc()
 *
 * Context: any.
 */
void bslab_free(void *obj, size_t size);

#endif /* _BSLAB_H */
