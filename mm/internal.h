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
 * Lock order (take from the top down; never the other way):
 *
 *   bslab_caches_mutex		the list of caches, debugfs and procfs files
 *     cache->lock		one cache's slab layer, hash and counters;
 *				an irq-safe spinlock, since alloc and free are
 *				called from any context
 *
 * No code holds two cache locks at once: the internal descriptor and bufctl
 * caches are called only with no cache lock held.  Page allocation,
 * constructors and destructors run with no bslab lock held.
 */
#ifndef _BSLAB_INTERNAL_H
#define _BSLAB_INTERNAL_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/mutex.h>
#include <linux/mm.h>
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
 * @list: link on the cache's full or empty list
 * @node: link in the cache's partial tree
 * @cache: the cache owning the slab
 * @base: address of the first page
 * @freelist: small caches: the first free object that was handed out
 *	before; large caches: the first free bufctl
 * @inuse: objects allocated
 * @fresh: small caches: objects handed out at least once (those from
 *	@fresh on were never used and are not on @freelist)
 * @color: offset of the first object from @base
 * @state: which collection the slab is on
 */
struct bslab_slab {
	union {
		struct list_head list;
		struct rb_node node;
	};
	struct bslab_cache *cache;
	void *base;
	void *freelist;
	unsigned int inuse;
	unsigned int fresh;
	u16 color;
	u8 state;
};

/**
 * struct bslab_cache - a cache of objects of one kind
 * @name: name given at create
 * @size: object size given at create
 * @align: object alignment (at least BSLAB_MIN_ALIGN)
 * @chunk: bytes one object takes in a slab: @size, the free-list word of a
 *	small cache that keeps contents, rounded up to @align
 * @order: a slab is 2^@order pages
 * @objs: objects in one slab
 * @link: small caches: offset of the free-list word in a free object
 * @desc: small caches: offset of the slab descriptor in the slab
 * @color_step: color offset added per new slab
 * @color_max: largest color offset (the slab's slack, rounded down)
 * @flags: BSLAB_* flags
 * @large: descriptor and bufctls off-slab, objects found through @hash
 * @ctor: constructor, or NULL
 * @dtor: destructor, or NULL
 * @reclaim: reclaim callback, or NULL
 * @priv: argument of @ctor, @dtor and @reclaim
 * @lock: the slab layer's lock; covers every member below up to @count
 * @partial: slabs with some free objects, fewest free first
 * @full: slabs with no free object
 * @empty: slabs with no object in use
 * @nr_partial: slabs in @partial
 * @nr_full: slabs on @full
 * @nr_empty: slabs on @empty
 * @buf_inuse: objects allocated
 * @buf_max: highest @buf_inuse seen
 * @color_next: color of the next slab
 * @hash: large caches: the bufctl hash table
 * @hash_bits: @hash has 2^@hash_bits buckets
 * @count: the event counters
 * @hash_work: deferred hash rescale
 * @caches: link on bslab_caches, under bslab_caches_mutex
 * @debugfs: the cache's debugfs directory
 * @dead: destroyed while objects were still allocated; kept for them
 *
 * Members up to @priv are fixed at create.
 */
struct bslab_cache {
	char name[BSLAB_NAME_MAX + 1];
	size_t size;
	size_t align;
	size_t chunk;
	unsigned int order;
	unsigned int objs;
	unsigned int link;
	unsigned int desc;
	unsigned int color_step;
	unsigned int color_max;
	unsigned int flags;
	bool large;
	int (*ctor)(void *obj, void *priv, gfp_t gfp);
	void (*dtor)(void *obj, void *priv);
	void (*reclaim)(void *priv);
	void *priv;

	spinlock_t lock;	/* the slab layer: everything below to count */
	struct rb_root_cached partial;
	struct list_head full;
	struct list_head empty;
	unsigned long nr_partial;
	unsigned long nr_full;
	unsigned long nr_empty;
	unsigned long buf_inuse;
	unsigned long buf_max;
	unsigned int color_next;
	struct bslab_bufctl **hash;
	unsigned int hash_bits;
	struct bslab_events count;

	struct work_struct hash_work;
	struct list_head caches;
	struct dentry *debugfs;
	bool dead;
};

extern struct mutex bslab_caches_mutex;
extern struct list_head bslab_caches;
extern struct bslab_cache *bslab_slab_cache;
extern struct bslab_cache *bslab_bufctl_cache;

static inline size_t slab_bytes(const struct bslab_cache *cp)
{
	return PAGE_SIZE << cp->order;
}

static inline unsigned long slab_total(const struct bslab_cache *cp)
{
	return cp->nr_full + cp->nr_partial + cp->nr_empty;
}

/* slab.c: the slab layer; callers hold cp->lock where marked _locked. */
int bslab_slab_layout(struct bslab_cache *cp);
void *bslab_slab_alloc(struct bslab_cache *cp, gfp_t gfp);
void bslab_slab_free(struct bslab_cache *cp, void *obj);
unsigned long bslab_slab_reap(struct bslab_cache *cp);
unsigned long bslab_slab_teardown(struct bslab_cache *cp);
struct bslab_slab *bslab_small_slab_of(struct bslab_cache *cp,
				       const void *obj);

/* hash.c: the bufctl hash of large caches; all under cp->lock. */
int bslab_hash_init(struct bslab_cache *cp);
void bslab_hash_fini(struct bslab_cache *cp);
void bslab_hash_insert(struct bslab_cache *cp, struct bslab_bufctl *bc);
struct bslab_bufctl *bslab_hash_remove(struct bslab_cache *cp,
				       const void *buf);
struct bslab_bufctl *bslab_hash_find(struct bslab_cache *cp,
				     const void *buf);
bool bslab_hash_wants_rescale(const struct bslab_cache *cp);
void bslab_hash_rescale(struct bslab_cache *cp);
void bslab_hash_work(struct work_struct *work);

/* sizes.c: bslab_alloc() size classes. */
int bslab_sizes_init(void);
void bslab_sizes_exit(void);
void bslab_sizes_large_stats(unsigned long *allocs, unsigned long *bytes);
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
