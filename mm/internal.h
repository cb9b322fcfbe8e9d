/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bslab internals: the structures every layer shares.
 *
 * A cache (struct bslab_cache) owns slabs.  A slab (struct bslab_slab) is a
 * naturally aligned block of 2^order pages from the buddy allocator, cut into
 * objects of chunk_size bytes after a color offset.  Its pages are all on one
 * NUMA node, the slab's node.  A slab is on exactly one of its node's three
 * collections in the cache (struct bslab_node): the full list (no free
 * object), the partial tree (some free objects; sorted so the slab with the
 * fewest free objects comes first) or the empty list (no object in use).
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
 * LRU list; its low bits the slab's node, slab.h) and its descriptor
 * (page->private).  Slabs are naturally
 * aligned, so the page is found from any object by masking; a pointer
 * outside the direct map is refused before any page is looked at.  That is
 * what the free check of every free, magazine path included, costs: see
 * free_check_ok() in slab.h.
 *
 * Headers.  This one holds what every layer needs: the structures, the
 * lock order and its rules, the words.  Each layer's calls and inlines
 * are in a header of its own, included by the files that use them:
 *
 *   slab.h	the slab layer (slab.c): an object's slab from its address,
 *		the free check, the slab layer's calls
 *   san.h	what KASAN and kmemleak are told as objects move
 *   magazine.h	the CPU layer's steps (cache.c and magazine.c only)
 *   depot.h	the CPU layer and depot as the others see them: drains,
 *		purges, magazine sizes (magazine.c)
 *   hash.h	the bufctl hash of large caches (hash.c)
 *   reap.h	reaping a cache, the reaper, the shrinker, hotplug (reap.c)
 *   cache.h	bslab's own caches, module owners (cache.c)
 *   debug.h	debug modes, poison, redzones, reports (debug.c)
 *   audit.h	audit records and kmausers (audit.c)
 *   sizes.h	bslab_alloc()'s size classes (sizes.c)
 *   files.h	debugfs, /proc and verify (debugfs.c, procfs.c, verify.c)
 *   compat.h	the kernel versions' differences, wrapped once
 *
 * Lock order (take from the top down; never the other way):
 *
 *   bslab_setup_mutex		create and destroy: names, the cache list's
 *				writers, each cache's debugfs directory, the
 *				dead-cache list, module owners
 *     bslab_debug_mutex	switching debug modes, the debug= parameter
 *				(debug.c)
 *     cpu_hotplug_lock		(readers: bslab_cpu_drain_all(), the
 *				reaper's drain of idle CPUs)
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
 *  - cp: a struct bslab_cache pointer, in every file of mm/ (bslab.h
 *    names the clients' argument cache).
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
#include <linux/topology.h>
#include <linux/bitops.h>
#include <linux/jump_label.h>
#include <linux/jump_label_ratelimit.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/fault-inject.h>
#include <linux/kmemleak.h>
#include <bslab.h>

#include "compat.h"

/* Objects of at least this size are kept off-slab, found through the hash. */
#define BSLAB_LARGE_MIN		(PAGE_SIZE / 8)
/*
 * The descriptor caches (slab.c, "layout"; main.c makes them before any
 * other cache): bslab_desc_caches[i] holds off-slab descriptors for slabs
 * of up to bslab_desc_objs[i] objects.  The first BSLAB_DESC_SMALL are
 * small slabs' descriptors with their handed-out bits (64 and 128); the
 * rest large slabs' descriptors each with its array of bufctls (1 to 28,
 * so that every descriptor cache is a small cache: none needs bufctls).
 */
#define BSLAB_DESC_SMALL	2
#define BSLAB_DESC_CACHES	(BSLAB_DESC_SMALL + 7)
/* Default and smallest object alignment. */
#define BSLAB_MIN_ALIGN		8
/* Largest slab: 64 pages; so the largest object is 256 KiB on 4 KiB pages. */
#define BSLAB_MAX_ORDER		6
#define BSLAB_MAX_SIZE		(PAGE_SIZE << BSLAB_MAX_ORDER)
/*
 * Empty slabs of a node a free keeps before it gives one back to the page
 * allocator.
 */
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
 *
 * The slab holding @buf is the one @buf's first page names (slab.h), as
 * for every free, so the bufctl does not record it: 16 bytes an object.
 */
struct bslab_bufctl {
	struct bslab_bufctl *next;
	void *buf;
};

/**
 * struct bslab_slab - one slab
 * @list: link on the cache's full, empty or deferred list
 * @node: link in the cache's partial tree
 * @rcu: a slab of a BSLAB_TYPESAFE_BY_RCU cache that left the cache, its
 *	pages going back a grace period later (slab.c)
 * @rcu_cache: that slab's cache, for the RCU callback
 * @first: address of object 0: the slab's base plus @color
 * @freelist: small caches: the first free object that was handed out
 *	before; large caches: the first free bufctl
 * @inuse: objects allocated
 * @fresh: small caches: objects handed out at least once (those from
 *	@fresh on were never used and are not on @freelist); large caches:
 *	all of them.  Objects at index @fresh and above were never handed out.
 * @color: offset of the first object from the slab's base
 * @nid: the NUMA node of the slab's pages
 * @state: which collection the slab is on
 * @out: small caches: one bit per object, set while the slab layer has
 *	handed it out (to a client or a magazine); a free of an object whose
 *	bit is clear is a double free
 * @bufctl: large caches: the bufctl of each object, in object order
 *
 * The cache owning the slab is named by the slab's first page (see
 * slab_page_owner()), not here: 56 bytes plus the bits or the bufctls
 * (@nid fills what was padding).
 */
struct bslab_slab {
	union {
		struct list_head list;
		struct rb_node node;
		struct {
			struct rcu_head rcu;
			struct bslab_cache *rcu_cache;
		};
	};
	void *first;
	void *freelist;
	unsigned int inuse;
	unsigned int fresh;
	u16 color;
	u16 nid;
	u8 state;
	union {
		DECLARE_FLEX_ARRAY(unsigned long, out);
		DECLARE_FLEX_ARRAY(struct bslab_bufctl, bufctl);
	};
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
 * @remote: NUMA: other nodes' objects freed on this CPU, on their way
 *	home a magazine at a time: to their node's full magazines in the
 *	depot, or to their slabs in one hold of the slab lock
 * @owner: NUMA: the owner word of a slab of this cache on this CPU's home
 *	node (the cache | its tag, slab.h), set at create: the fast free's
 *	compare reads it through the per-CPU pointer it loads anyway
 * @busy: set while this CPU's task or interrupt uses its magazines
 * @ev: this CPU's counters
 * @used_seen: the reaper's: @ev's counters added up when it last looked
 *	(bslab_cpu_drain_idle(); read and written only by it, under
 *	bslab_caches_mutex)
 *
 * Used with preemption off, by the owning CPU only (and by whoever drains
 * it once that CPU is dead, or from a work item running on it), but for
 * @used_seen.
 */
struct bslab_cpu_cache {
	struct bslab_magazine *loaded;
	struct bslab_magazine *prev;
	struct bslab_magazine *remote;
	unsigned long owner;
	unsigned int busy;
	struct bslab_cpu_events ev;
	u64 used_seen;
};

/**
 * struct bslab_depot - a cache's magazines not loaded on any CPU
 * @lock: protects the magazines, counts and counters here, and the full
 *	magazines on each node's list (struct bslab_node), except the
 *	reaper's four fields below and the atomics
 * @empty: empty magazines, all of the current size
 * @nfull: full magazines, all of the current size, on the nodes' lists
 * @nempty: magazines on @empty
 * @min_full: fewest full magazines since the last working-set reap
 * @min_empty: fewest empty magazines since the last working-set reap
 * @size_idx: index of the current magazine size; read without @lock
 * @contention_seen: depot_contention at the last resize decision
 * @alloc_seen: allocations at the last resize decision
 * @idle_ticks: reap intervals in a row without an allocation (these three
 *	are the reaper's own, read and written only by it, under
 *	bslab_caches_mutex; see tick_resize() in reap.c)
 * @cpus_idle: the reaper's too: no CPU used the cache during its last
 *	second, so every depot magazine is surplus (reap_worker())
 * @limit_shift: the depot's bound is depot_limit_kb a CPU shifted left by
 *	this (magazine.c); written under @lock, read without
 * @spilled: a free emptied a full magazine into the slab layer, the
 *	depot being at its bound, since the last reap interval; set without
 *	@lock, cleared under it
 * @limit_grow_seen: depot_limit_grow at the last reap interval (@lock)
 * @transit_begun: magazines taken off a CPU or out of the depot by a drain
 *	or a purge, to be put back or emptied with no busy section or lock
 *	held (counted so that verify can tell when none was on the way)
 * @transit_done: ... of them put in the depot or emptied since
 * @ev: the depot's counters
 */
struct bslab_depot {
	raw_spinlock_t lock;	/* see above: not everything below */
	struct bslab_magazine *empty;
	unsigned long nfull;
	unsigned long nempty;
	unsigned long min_full;
	unsigned long min_empty;
	unsigned int size_idx;
	u64 contention_seen;
	u64 alloc_seen;
	unsigned int idle_ticks;
	bool cpus_idle;
	unsigned int limit_shift;
	bool spilled;
	u64 limit_grow_seen;
	atomic_long_t transit_begun;
	atomic_long_t transit_done;
	struct bslab_depot_events ev;
};

/**
 * struct bslab_node - what a cache keeps of one NUMA node
 * @partial: the node's slabs with some free objects, fewest free first
 * @full: the node's slabs with no free object
 * @empty: the node's slabs with no object in use
 * @nr_partial: slabs in @partial
 * @nr_full: slabs on @full
 * @nr_empty: slabs on @empty
 * @buf_out: objects out of the node's slabs (in use or in magazines)
 * @mag_full: the depot's full magazines whose rounds are on this node
 * @nr_mag_full: magazines on @mag_full
 * @min_mag_full: fewest on @mag_full since the last working-set reap
 *
 * The slab layer's members are under the cache's lock, the last three
 * under its depot's.  One for each possible node id (nr_node_ids): a kernel
 * without NUMA has one, whose four counts (@nr_partial, @nr_full,
 * @nr_empty, @buf_out) are the cache's own and are not kept twice: read
 * them with bslab_node_count().
 */
struct bslab_node {
	struct rb_root_cached partial;
	struct list_head full;
	struct list_head empty;
	unsigned long nr_partial;
	unsigned long nr_full;
	unsigned long nr_empty;
	unsigned long buf_out;
	struct bslab_magazine *mag_full;
	unsigned long nr_mag_full;
	unsigned long min_mag_full;
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
 * @large: bufctls off-slab, objects found through @hash; its descriptor
 *	is off-slab too
 * @offslab: the slab descriptor is off-slab: every large cache, and a
 *	small one whose slab holds more objects than an in-slab descriptor
 *	would leave room for, by more bytes than the descriptor takes
 *	(slab.c, "layout")
 * @desc_cache: where an off-slab descriptor comes from (NULL: in-slab)
 * @internal: one of bslab's own caches (created by bslab.ko itself),
 *	destroyed last at unload
 * @debug: BSLAB_DBG_* bits; any bit set keeps the cache off its CPU layer
 *	(see debug.c)
 * @metadata: one of bslab's metadata caches (slab descriptors, bufctls,
 *	magazines): its objects are not a client's, kmemleak is not told
 * @init_exempt: init_on_alloc and init_on_free leave the objects alone
 *	for what create fixed: @ctor, @metadata or BSLAB_NOTOUCH (see
 *	bslab_init_exempt(), which adds poisoning); set with them, and again
 *	when @ctor is cleared
 * @name: name given at create
 * @align: object alignment (at least BSLAB_MIN_ALIGN)
 * @link: small caches: offset of the free-list word in a free object
 * @redzone: REDZONE caches: offset of the guard bytes in a chunk
 * @redzone_len: bytes of guard (0: no redzone); fixed at create
 * @desc: small caches with the descriptor in the slab: its offset there
 * @color_step: color offset added per new slab
 * @color_max: largest color offset (the slab's slack, rounded down)
 * @owner: the module that created the cache (NULL: bslab itself)
 * @ctor: constructor, or NULL; cleared if @owner goes away
 * @dtor: destructor, or NULL; cleared if @owner goes away
 * @reclaim: reclaim callback, or NULL; cleared if @owner goes away
 * @priv: argument of @ctor, @dtor and @reclaim
 * @lock: the slab layer's lock; covers every member below up to @ev, and
 *	the slab layer's members of @node
 * @deferred: empty slabs for the cache's work to destroy (see slab.c)
 * @nr_partial: partial slabs, all nodes'
 * @nr_full: full slabs, all nodes'
 * @nr_empty: empty slabs, all nodes'
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
 * @rcu: frees the struct a grace period after it left bslab_caches, for
 *	the walkers of that list under RCU (its work is over by then)
 * @caches: link on bslab_caches (RCU list; written under bslab_setup_mutex
 *	and bslab_caches_mutex) or, once dead, on bslab_dead_caches
 * @debugfs: the cache's debugfs directory
 * @node: each node's slabs and full depot magazines (nr_node_ids of them)
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
 * goes away, and @init_exempt follows @ctor then.
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
	bool offslab;
	bool init_exempt;

	/* the rest of what create fixes */
	char name[BSLAB_NAME_MAX + 1];
	size_t align;
	unsigned int link;
	unsigned int redzone;
	unsigned int redzone_len;
	unsigned int desc;
	struct bslab_cache *desc_cache;
	unsigned int color_step;
	unsigned int color_max;
	struct module *owner;
	int (*ctor)(void *obj, void *priv, gfp_t gfp);
	void (*dtor)(void *obj, void *priv);
	void (*reclaim)(void *priv);
	void *priv;

	/* the slab layer */
	raw_spinlock_t lock ____cacheline_aligned_in_smp;
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
	union {
		struct work_struct work ____cacheline_aligned_in_smp;
		struct rcu_head rcu;
	};
	struct list_head caches;
	struct dentry *debugfs;

	struct bslab_node node[] ____cacheline_aligned_in_smp;
};

/*
 * A node's count of the slab layer (@node: its nr_partial, nr_full,
 * nr_empty or buf_out), given with the cache's count of the same (@all):
 * the node's, or on a kernel without NUMA the cache's, which is then the
 * one node's (the slab layer keeps only that one; slab.c).
 */
static inline unsigned long bslab_node_count(const unsigned long *node,
					     const unsigned long *all)
{
	return IS_ENABLED(CONFIG_NUMA) ? *node : *all;
}

extern struct mutex bslab_setup_mutex;
extern struct mutex bslab_caches_mutex;
extern struct list_head bslab_caches;
extern struct list_head bslab_dead_caches;
extern const unsigned short bslab_desc_objs[BSLAB_DESC_CACHES];
extern struct bslab_cache *bslab_desc_caches[BSLAB_DESC_CACHES];

static inline size_t slab_bytes(const struct bslab_cache *cp)
{
	return PAGE_SIZE << cp->order;
}

/*
 * This CPU's home node: its own if that has memory, else the nearest that
 * has (what numa_mem_id() is where the kernel keeps it; x86 does not).  An
 * allocation that names no node takes its slabs from there, and the
 * CPU's magazines hold only its objects.  Read with preemption on by
 * callers that may move: they check again where it matters.
 */
DECLARE_PER_CPU(int, bslab_home);
/*
 * This CPU's home node as the owner word of a slab tags it (slab.h:
 * owner_tag()), or a value no tag is, for a home beyond the tags.
 */
DECLARE_PER_CPU(unsigned long, bslab_home_tag);
/* The nodes that are some possible CPU's home, set with bslab_home. */
extern nodemask_t bslab_home_nodes;

static inline int bslab_home_node(void)
{
	if (!IS_ENABLED(CONFIG_NUMA))
		return 0;
	return raw_cpu_read(bslab_home);
}

int bslab_cpu_home(unsigned int cpu);
void bslab_home_init(void);

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
 * A free that reaches the slab layer outside the CPU layer holds the cache
 * between these two: a cache destroyed meanwhile, whose last object the
 * free may be, is released only after an RCU grace period
 * (synchronize_rcu() waits for a reader and for preemption off alike).
 * Preemption off is the cheaper hold; on PREEMPT_RT an RCU reader is the
 * one that leaves the free preemptible, so that pages_allowed() holds and
 * a slab it empties goes back to the page allocator at once rather than
 * from the cache's work item.
 */
static __always_inline void bslab_free_hold(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		rcu_read_lock();
	else
		preempt_disable();
}

static __always_inline void bslab_free_unhold(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		rcu_read_unlock();
	else
		preempt_enable();
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

#endif /* _BSLAB_INTERNAL_H */
