// SPDX-License-Identifier: GPL-2.0
/*
 * bslab caches: creating, destroying and using a cache of one kind of object.
 *
 * bslab_cache_create_args() (and its positional form, bslab_cache_create(),
 * a wrapper in bslab.h) checks every argument before it allocates anything,
 * works out the layout (slab.c), gives an off-slab cache its bufctl hash
 * (hash.c), and only then publishes the cache: on the global list, in
 * debugfs and /proc/bslabinfo.  Any failure unwinds what was done, so there
 * is never a half-made cache.
 *
 * bslab_cache_destroy() first checks that it was given a live cache: a
 * second destroy of the same cache is reported and does nothing (found by
 * address among the live and the dead caches, before anything of it is
 * read).  It then unpublishes the cache, so no stats reader or CPU hotplug
 * walker can find it (under the hotplug lock, which the latter runs under:
 * no grace period to wait for; the struct is freed after one), empties
 * every CPU's magazines and the depot into the slab layer, gives back every
 * empty slab, and only then waits for the cache's work, which those frees
 * may have queued.  A cache destroyed with objects still allocated is
 * reported and kept, marked dead on bslab_dead_caches, with the slabs
 * holding those objects: freeing them would hand memory in use back to the
 * page allocator.  When the last of them is freed, the cache's work frees
 * the dead cache.
 *
 * Owners: the create macros record the module that called them.  When a
 * module goes away without destroying its caches, the module notifier
 * reports each, clears its constructor, destructor and reclaim callback
 * (they point into the module), and destroys it: freed at once if it holds
 * no objects, else kept dead as above.  A reference on the module would be
 * wrong: its exit function is where it destroys its caches.
 *
 * Free check: every free (magazine path included) first checks that the
 * pointer is the start of an object of a slab of this cache, and that it is
 * not the object this CPU freed last (free_check_ok(), cpu_freed_last()).  A
 * pointer that fails is counted in free_invalid, reported, and never put
 * into a magazine.  The module parameter free_check=0 turns this off (a
 * static key: the check then costs one no-op), and with it the kfree()
 * check of modules built with <bslab_kmem.h> (kmem.c).  A double free
 * that the cheap check cannot see (the object went through magazines in
 * between) is caught only when both copies reach the slab layer.
 *
 * NUMA: the same compare tells this CPU's node's objects from others'
 * (the owner word carries the slab's node, slab.h), so the fast path
 * pushes only those; another node's object takes cache_free_away() home,
 * by way of the CPU's remote magazine (magazine.c): to its node's
 * magazines in the depot, or to its slab.  An allocation
 * that names a node (bslab_cache_alloc_node()) uses the magazines only for
 * this CPU's node, and that node's slabs directly otherwise.
 *
 * The allocation entry points sit here.  The fast paths are a pop from or
 * a push to this CPU's loaded magazine and nothing else: they call only the
 * out-of-line slow paths, as tail calls, so they need no stack frame.  A
 * zeroing allocation (__GFP_ZERO, kmem_cache_zalloc()) leaves at the flag's
 * test, which every allocation makes, for the same pop out of line and
 * then the memset (cache_alloc_zero()).  With init_on_alloc=1 the plain
 * path ends the same way: one test of the cache's exemptions (a byte of
 * its first line, and the poison bit), then the memset as a tail call.
 * The slow paths swap or exchange magazines (magazine.c) and fall back to
 * the slab layer, holding the cache there as bslab_free_hold() says (a
 * destroyed cache is released only after a grace period).  Bulk calls
 * move whole runs between the caller's array and the magazines.
 *
 * Locking (the order and the rules: internal.h): bslab_setup_mutex
 * serializes create, destroy and the owner notifier, so names are unique
 * among listed caches; the list changes under both mutexes and is walked
 * under either, or under RCU.
 */
#include <linux/cpu.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cache.h"
#include "magazine.h"
#include "reap.h"
#include "hash.h"
#include "audit.h"
#include "files.h"
#include <trace/events/bslab.h>

static void cache_work(struct work_struct *work);

/* Serializes create, destroy and owner changes; names, debugfs directories. */
DEFINE_MUTEX(bslab_setup_mutex);
/* Sleeping walkers of the cache list: reaper, shrinker, kmastat, bslabinfo. */
DEFINE_MUTEX(bslab_caches_mutex);
LIST_HEAD(bslab_caches);
/* Caches destroyed with objects still allocated; under bslab_setup_mutex. */
LIST_HEAD(bslab_dead_caches);
BSLAB_EXPORT_INTERNAL(bslab_setup_mutex);
BSLAB_EXPORT_INTERNAL(bslab_dead_caches);

/**
 * DOC: bslab_free_check
 *
 * On while bslab checks what is freed (free_check=1).  A static key, on
 * by default: every free into a cache checks its pointer (above), and a
 * module built with <bslab_kmem.h> sends its kfree() calls through
 * bslab_kmem_kfree(), which looks for an object of a bslab cache.  Off
 * (free_check=0), neither is made: each is a patched-out jump, and the
 * module's kfree() is the kernel's.  Exported for that header's inline
 * kfree(); only the module parameter switches it.  (A DOC: section: the
 * key is defined by a macro, which kernel-doc cannot read as a symbol.)
 */
DEFINE_STATIC_KEY_TRUE(bslab_free_check);
EXPORT_SYMBOL_GPL(bslab_free_check);
/*
 * On when the machine may have more than one NUMA node (nr_node_ids > 1,
 * set at load by bslab_home_init()): frees then send another node's
 * objects home.  A kernel without NUMA, or with it on a machine of one
 * node, pays a no-op.
 */
DEFINE_STATIC_KEY_FALSE(bslab_numa);
DEFINE_PER_CPU(int, bslab_home);
DEFINE_PER_CPU(unsigned long, bslab_home_tag);
nodemask_t bslab_home_nodes;

/* The node with memory nearest to @nid (@nid itself if it has memory). */
static int nearest_memory_node(int nid)
{
	int n, best = first_memory_node, best_d = INT_MAX;

	if (node_state(nid, N_MEMORY))
		return nid;
	for_each_node_state(n, N_MEMORY) {
		if (node_distance(nid, n) < best_d) {
			best = n;
			best_d = node_distance(nid, n);
		}
	}
	return best;
}

/**
 * bslab_home_init() - every possible CPU's home node (bslab_home_node())
 *
 * At load: a CPU's node is fixed when it becomes possible, and nodes do
 * not gain or lose memory while bslab runs (memory hotplug of a node is
 * not supported).  Turns on the frees' NUMA test (bslab_numa) on a
 * machine of more than one node.
 */
void bslab_home_init(void)
{
	unsigned int cpu;
	int home;

	for_each_possible_cpu(cpu) {
		home = nearest_memory_node(cpu_to_node(cpu));
		per_cpu(bslab_home, cpu) = home;
		node_set(home, bslab_home_nodes);
		per_cpu(bslab_home_tag, cpu) =
			home < BSLAB_OWNER_NODES - 1 ? owner_tag(home) :
						       BSLAB_OWNER_NONE;
	}
	if (nr_node_ids > 1)
		static_branch_enable(&bslab_numa);
}

/**
 * bslab_cpu_home() - a CPU's home node
 * @cpu: a possible CPU
 *
 * Return: the node whose objects @cpu's magazines hold, and plain
 * allocations there take (bslab_home_node() on that CPU).
 */
int bslab_cpu_home(unsigned int cpu)
{
	return IS_ENABLED(CONFIG_NUMA) ? per_cpu(bslab_home, cpu) : 0;
}

BSLAB_EXPORT_INTERNAL(bslab_cpu_home);

static int free_check_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	if (on)
		static_branch_enable(&bslab_free_check);
	else
		static_branch_disable(&bslab_free_check);
	return 0;
}

static int free_check_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n",
			  static_key_enabled(&bslab_free_check) ? 'Y' : 'N');
}

static const struct kernel_param_ops free_check_ops = {
	.set = free_check_set,
	.get = free_check_get,
};

module_param_cb(free_check, &free_check_ops, NULL, 0644);
MODULE_PARM_DESC(free_check,
		 "check every free: the pointer is an object of the cache, not the one just freed, and a <bslab_kmem.h> module's kfree() is not of a cache object (default Y; costs about 25 instructions a free)");

static struct bslab_cache *cache_find(const char *name)
{
	struct bslab_cache *cp;

	lockdep_assert_held(&bslab_setup_mutex);
	list_for_each_entry(cp, &bslab_caches, caches)
		if (!strcmp(cp->name, name))
			return cp;
	return NULL;
}

/* Is @addr a cache on @list?  Compares addresses only: reads nothing of it. */
static bool cache_listed(const struct bslab_cache *addr, struct list_head *list)
{
	struct bslab_cache *cp;

	lockdep_assert_held(&bslab_setup_mutex);
	list_for_each_entry(cp, list, caches)
		if (cp == addr)
			return true;
	return false;
}

static void cache_struct_free(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct bslab_cache, rcu));
}

/*
 * Free a cache's structure and its parts; any part may never have been
 * made.  The struct itself goes a grace period later: a walker of bslab_caches
 * under RCU (live_cache() in debug.c) may still be reading its link.  By
 * call_rcu(), not kfree_rcu(): a destroy of a SLUB cache waits for every
 * kfree_rcu() queued before it (kvfree_rcu_barrier()), and should not wait
 * for ours; bslab's unload waits for these (rcu_barrier()).  The slabs a
 * BSLAB_TYPESAFE_BY_RCU cache gave back are freed by RCU callbacks that
 * read the cache: those are waited for first.
 */
static void cache_struct_destroy(struct bslab_cache *cp)
{
	/* slabs of a BSLAB_TYPESAFE_BY_RCU cache waiting for a grace period */
	if (cp->flags & BSLAB_TYPESAFE_BY_RCU)
		rcu_barrier();
	bslab_debug_destroy(cp);
	bslab_cpu_layer_destroy(cp);
	bslab_hash_destroy(cp);
	call_rcu(&cp->rcu, cache_struct_free);
}

/*
 * Names that are files of bslab's own in its debugfs directory (made by
 * bslab_debugfs_init() and bslab_debug_init()), or not names.
 */
static const char *const reserved_names[] = {
	".", "..", "kmastat", "kmastat_node", "kmausers", "failslab", "verify",
	"reap",
};

static int check_name(const char *name)
{
	size_t len, i;

	if (!name) {
		pr_err("bslab: cache (null): a cache needs a name\n");
		return -EINVAL;
	}
	len = strnlen(name, BSLAB_NAME_MAX + 1);
	if (!len || len > BSLAB_NAME_MAX) {
		pr_err("bslab: cache %.*s%s: name must be 1 to %d characters\n",
		       BSLAB_NAME_MAX, name, len ? "..." : "\"\"",
		       BSLAB_NAME_MAX);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (name[i] == '/' || !isgraph(name[i])) {
			pr_err("bslab: cache %*pE: name may not contain '/', spaces or control characters\n",
			       (int)len, name);
			return -EINVAL;
		}
	}
	for (i = 0; i < ARRAY_SIZE(reserved_names); i++) {
		if (!strcmp(name, reserved_names[i])) {
			pr_err("bslab: cache %s: name is reserved (it would collide with /sys/kernel/debug/bslab/%s)\n",
			       name, name);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_args(const char *name, size_t size, size_t align,
		      unsigned int flags)
{
	if (flags & ~BSLAB_FLAGS_VALID) {
		pr_err("bslab: cache %s: unknown flags %#x\n", name,
		       flags & ~BSLAB_FLAGS_VALID);
		return -EINVAL;
	}
	if (!size || size > BSLAB_MAX_SIZE) {
		pr_err("bslab: cache %s: size %zu is not in 1..%lu\n", name,
		       size, BSLAB_MAX_SIZE);
		return -EINVAL;
	}
	if (align && (!is_power_of_2(align) || align > PAGE_SIZE)) {
		pr_err("bslab: cache %s: align %zu is not a power of two up to %lu\n",
		       name, align, PAGE_SIZE);
		return -EINVAL;
	}
	return 0;
}

/*
 * BSLAB_TYPESAFE_BY_RCU: free objects are never written (BSLAB_NOTOUCH), and
 * no destructor, which would have to run a grace period after the slab
 * left the cache, from an RCU callback, where it may not sleep.
 */
static int check_rcu(const char *name, unsigned int *flags,
		     const struct bslab_cache_args *args)
{
	if (!(*flags & BSLAB_TYPESAFE_BY_RCU))
		return 0;
	if (args->dtor) {
		pr_err("bslab: cache %s: BSLAB_TYPESAFE_BY_RCU with a destructor: readers may look at an object until a grace period after its slab is given back, and destructors do not run from RCU callbacks\n",
		       name);
		return -EINVAL;
	}
	*flags |= BSLAB_NOTOUCH;
	return 0;
}

struct bslab_cache *__bslab_cache_create_args(const char *name, size_t size,
					      const struct bslab_cache_args *args,
					      unsigned int flags,
					      struct module *owner)
{
	static const struct bslab_cache_args none;
	size_t align;
	struct bslab_cache *cp;
	int err, debug, i;

	if (!args)
		args = &none;
	align = args->align;

	err = check_name(name);
	if (!err)
		err = check_args(name, size, align, flags);
	if (!err)
		err = check_rcu(name, &flags, args);
	if (err)
		return ERR_PTR(err);
	debug = bslab_debug_at_create(name, flags, args->ctor, args->dtor);
	if (debug < 0)
		return ERR_PTR(debug);

	cp = kzalloc(struct_size(cp, node, nr_node_ids), GFP_KERNEL);
	if (!cp)
		return ERR_PTR(-ENOMEM);
	/* the owner word's low bits are the slab's node (slab.h) */
	if (WARN_ON_ONCE((unsigned long)cp &
			 (BSLAB_OWNER_MASK | BSLAB_OWNER_NONE))) {
		kfree(cp);
		return ERR_PTR(-EINVAL);
	}
	strscpy(cp->name, name, sizeof(cp->name));
	cp->size = size;
	cp->align = max_t(size_t, align, BSLAB_MIN_ALIGN);
	if (flags & BSLAB_HWCACHE_ALIGN)
		cp->align = max_t(size_t, cp->align, cache_line_size());
	cp->flags = flags;
	cp->ctor = args->ctor;
	cp->dtor = args->dtor;
	cp->reclaim = args->reclaim;
	cp->priv = args->priv;
	cp->owner = owner == THIS_MODULE ? NULL : owner;
	cp->internal = owner == THIS_MODULE;
	cp->debug = debug;
	bslab_init_exempt_update(cp);
	if (debug)
		static_branch_deferred_inc(&bslab_debugging);
	raw_spin_lock_init(&cp->lock);
	for (i = 0; i < nr_node_ids; i++) {
		cp->node[i].partial = RB_ROOT_CACHED;
		INIT_LIST_HEAD(&cp->node[i].full);
		INIT_LIST_HEAD(&cp->node[i].empty);
	}
	INIT_LIST_HEAD(&cp->deferred);
	INIT_WORK(&cp->work, cache_work);
	if (debug & BSLAB_DBG_AUDIT) {
		err = bslab_audit_start(cp);
		if (err)
			goto fail;
	}

	err = bslab_slab_layout(cp);
	if (err) {
		pr_err("bslab: cache %s: an object of %zu bytes aligned to %zu does not fit in a slab\n",
		       name, size, cp->align);
		goto fail;
	}
	if (cp->large) {
		err = bslab_hash_init(cp);
		if (err)
			goto fail;
	}
	err = bslab_cpu_layer_init(cp);
	if (err)
		goto fail;

	mutex_lock(&bslab_setup_mutex);
	if (cache_find(name)) {
		mutex_unlock(&bslab_setup_mutex);
		pr_err("bslab: cache %s: a cache of that name exists\n", name);
		err = -EEXIST;
		goto fail;
	}
	mutex_lock(&bslab_caches_mutex);
	list_add_tail_rcu(&cp->caches, &bslab_caches);
	mutex_unlock(&bslab_caches_mutex);
	bslab_debugfs_add(cp);
	mutex_unlock(&bslab_setup_mutex);
	return cp;

fail:
	cache_struct_destroy(cp);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(__bslab_cache_create_args);

/**
 * bslab_internal_create() - create a set of bslab's own caches
 * @caches: where to put them
 * @n: how many
 * @describe: fills in the name, size, alignment and flags of cache @i
 *
 * The caches are made in order.  If one cannot be, those already made are
 * destroyed and every slot of @caches is NULL.
 *
 * Return: 0 or the error of the create that failed.
 */
int bslab_internal_create(struct bslab_cache **caches, unsigned int n,
			  void (*describe)(unsigned int i,
					   struct bslab_internal_desc *d))
{
	struct bslab_internal_desc d;
	struct bslab_cache_args args;
	unsigned int i;

	for (i = 0; i < n; i++) {
		memset(&d, 0, sizeof(d));
		describe(i, &d);
		args = (struct bslab_cache_args){ .align = d.align };
		caches[i] = bslab_cache_create_args(d.name, d.size, &args,
						    d.flags);
		if (IS_ERR(caches[i])) {
			int err = PTR_ERR(caches[i]);

			caches[i] = NULL;
			bslab_internal_destroy(caches, i);
			return err;
		}
		caches[i]->metadata = d.metadata;	/* no object exists yet */
		bslab_init_exempt_update(caches[i]);
	}
	return 0;
}

/**
 * bslab_internal_destroy() - destroy a set made by bslab_internal_create()
 * @caches: the caches; NULL slots are skipped
 * @n: how many
 *
 * In reverse order of creation; every slot is NULL afterwards.
 */
void bslab_internal_destroy(struct bslab_cache **caches, unsigned int n)
{
	while (n--) {
		bslab_cache_destroy(caches[n]);
		caches[n] = NULL;
	}
}

void bslab_cache_destroy(struct bslab_cache *cp)
{
	unsigned long inuse, flags;
	bool live, dead;

	if (IS_ERR_OR_NULL(cp))
		return;
	might_sleep();

	mutex_lock(&bslab_setup_mutex);
	live = cache_listed(cp, &bslab_caches);
	dead = !live && cache_listed(cp, &bslab_dead_caches);
	if (!live) {
		mutex_unlock(&bslab_setup_mutex);
		if (dead)
			pr_err("bslab: cache %s: destroyed twice (it is dead, kept for objects still allocated)\n",
			       cp->name);
		else
			pr_err("bslab: %s(%p): not a live cache (destroyed twice?)\n",
			       __func__, cp);
		return;
	}
	/*
	 * Unlisted under the CPU hotplug lock, which the CPU-dead callback
	 * runs under: once it is dropped no callback can see the cache, and
	 * destroy waits for no grace period.
	 */
	cpus_read_lock();
	mutex_lock(&bslab_caches_mutex);
	list_del_rcu(&cp->caches);
	mutex_unlock(&bslab_caches_mutex);
	cpus_read_unlock();
	/* debugfs_remove() waits for readers: never under bslab_caches_mutex */
	bslab_debugfs_remove(cp);
	mutex_unlock(&bslab_setup_mutex);

	bslab_cpu_layer_drain(cp);
	bslab_slab_release_empty(cp, false);
	inuse = bslab_slab_out(cp);
	/* after the last free into the slab layer, which may queue it */
	cancel_work_sync(&cp->work);
	/* a free of a live object may have deferred a slab to the cancelled work */
	bslab_slab_destroy_deferred(cp);
	if (!inuse) {
		cache_struct_destroy(cp);
		return;
	}

	pr_err("bslab: cache %s: destroyed with %lu objects still allocated; keeping their %lu slabs until they are freed\n",
	       cp->name, inuse, slab_total(cp));
	bslab_audit_leaks(cp);
	/* later frees of those objects go straight to the slabs */
	cp->flags |= BSLAB_NOMAGAZINE;
	mutex_lock(&bslab_setup_mutex);
	raw_spin_lock_irqsave(&cp->lock, flags);
	cp->dead = true;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	list_add_tail(&cp->caches, &bslab_dead_caches);
	mutex_unlock(&bslab_setup_mutex);
	schedule_work(&cp->work);	/* in case the last one came back already */
}
EXPORT_SYMBOL_GPL(bslab_cache_destroy);

/*
 * One object through this CPU's layer, the whole step: enter, pop or push
 * (magazine.h), leave.  The fast paths' steps do only that, and say with a
 * bool whether they did it (a miss leaves the layer on a path of its own,
 * so a hit tests nothing after the pop or push); the slow paths' go on,
 * still inside the layer, to swap or exchange magazines (magazine.c), and
 * count an interrupted layer (cpu_busy).
 */
static __always_inline bool cpu_alloc_fast(struct bslab_cache *cp,
					   void **objp)
{
	struct bslab_cpu_cache __percpu *pc = cp->cpu;
	struct bslab_magazine *m;

	if (unlikely(!cpu_fast_enter(pc)))
		return false;
	m = cpu_fast_loaded(pc);
	if (unlikely(!mag_has_rounds(m))) {
		cpu_fast_exit(pc);
		return false;
	}
	*objp = mag_pop(cp, m);
	cpu_fast_count(pc, alloc_cpu);
	cpu_fast_exit(pc);
	return true;
}

/*
 * An object from this CPU's magazines, or NULL.  @nid: an allocation for
 * that node takes one only if this CPU's magazines hold that node's
 * objects (this CPU's node, bslab_home_node(), looked at with preemption
 * off); NUMA_NO_NODE, any allocation.
 */
static __always_inline void *cpu_alloc(struct bslab_cache *cp, int nid)
{
	struct bslab_cpu_cache *cc;
	void *obj = NULL;

	if (unlikely(!cpu_layer_enter(cp, &cc))) {
		this_cpu_inc(cp->cpu->ev.cpu_busy);
		return NULL;
	}
	if (nid == NUMA_NO_NODE || nid == bslab_home_node()) {
		obj = cpu_pop(cp, cc);
		if (!obj)
			obj = bslab_cpu_alloc_slow(cp, cc);
	}
	cpu_layer_exit(cp, cc);
	return obj;
}

enum cpu_free_result {
	CPU_FREE_DONE,		/* in a magazine */
	CPU_FREE_NOT,		/* not taken: go on to the slab layer */
	CPU_FREE_DOUBLE,	/* the object this CPU freed last */
};

/*
 * The fast free's step: a push onto the loaded magazine of @pc (@cp's
 * per-CPU caches), or with @remote (another node's object) onto the
 * remote one; false if the object must go the slow way (magazine.c:
 * bslab_cpu_free_remote() for a remote one).
 */
static __always_inline bool cpu_push_fast(struct bslab_cache *cp,
					  struct bslab_cpu_cache __percpu *pc,
					  void *obj, const bool remote)
{
	struct bslab_magazine *m;

	if (unlikely(!cpu_fast_enter(pc)))
		return false;
	m = remote ? raw_cpu_read(pc->remote) : cpu_fast_loaded(pc);
	if (unlikely((!remote && mag_freed_last(m, obj)) || !mag_has_room(m))) {
		cpu_fast_exit(pc);
		return false;
	}
	mag_push(cp, m, obj);
	if (remote)
		cpu_fast_count(pc, free_remote);
	else
		cpu_fast_count(pc, free_cpu);
	cpu_fast_exit(pc);
	return true;
}

static __always_inline bool cpu_free_fast(struct bslab_cache *cp, void *obj)
{
	return cpu_push_fast(cp, cp->cpu, obj, false);
}

static __always_inline enum cpu_free_result
cpu_free(struct bslab_cache *cp, void *obj)
{
	enum cpu_free_result done = CPU_FREE_NOT;
	struct bslab_cpu_cache *cc;

	if (unlikely(!cpu_layer_enter(cp, &cc))) {
		this_cpu_inc(cp->cpu->ev.cpu_busy);
		return CPU_FREE_NOT;
	}
	if (cpu_freed_last(cc, obj))
		done = CPU_FREE_DOUBLE;
	else if (likely(cpu_push(cp, cc, obj)))
		done = CPU_FREE_DONE;
	else if (bslab_cpu_free_slow(cp, cc, obj))
		done = CPU_FREE_DONE;
	cpu_layer_exit(cp, cc);
	return done;
}

/*
 * One object from the slab layer, of node @nid (NUMA_NO_NODE: this
 * CPU's).  For another node than this CPU's, whose full magazines in the
 * depot no magazine of this CPU loads (remote frees leave them there):
 * the node's free objects in its slabs, then a depot magazine's
 * (bslab_depot_to_slabs()), before a new slab.
 */
static void *slab_alloc_node(struct bslab_cache *cp, gfp_t gfp, int nid)
{
	void *obj;

	if (nid != NUMA_NO_NODE && nid != bslab_home_node() &&
	    READ_ONCE(cp->node[nid].nr_mag_full)) {
		do {
			if (bslab_slab_take(cp, gfp, nid, 1, &obj))
				return obj;
		} while (bslab_depot_to_slabs(cp, nid));
	}
	return bslab_slab_alloc(cp, gfp, nid);
}

/*
 * The slow paths: everything the fast paths below do not, out of line.  They
 * look at the loaded magazine again (an interrupt may have changed it since
 * the fast path looked), then swap or exchange magazines, then use the slab
 * layer.  Preemption off and this CPU's busy word set (see magazine.c for
 * why that is enough); an interrupt that finds the word set goes to the
 * slab layer.
 */
static noinline void *cache_alloc_slow(struct bslab_cache *cp, gfp_t gfp,
				       int nid)
{
	void *obj;

	if (unlikely((gfp & __GFP_ZERO) && cp->ctor)) {
		pr_err_ratelimited("bslab: cache %s: __GFP_ZERO would destroy constructed state\n",
				   cp->name);
		return NULL;
	}
	might_alloc(gfp);
	if (debug_modes(cp) && bslab_debug_alloc_fails(cp, gfp))
		return NULL;

	obj = cpu_alloc(cp, nid);
	/* magazines are filled for this CPU's node only */
	if (!obj && !(cp->flags & BSLAB_NOMAGAZINE) &&
	    (nid == NUMA_NO_NODE || nid == bslab_home_node())) {
		obj = bslab_cpu_fill(cp, gfp, nid);
		if (IS_ERR(obj))
			return NULL;
	}
	if (!obj) {
		obj = slab_alloc_node(cp, gfp, nid);
		if (!obj)
			return NULL;
		this_cpu_inc(cp->cpu->ev.alloc_slab);
	}
	bslab_san_alloc(cp, obj, gfp);
	if (want_init_on_alloc(gfp))
		bslab_obj_init_alloc(cp, obj, gfp);
	trace_bslab_alloc(cp->name, obj, cp->size, _RET_IP_, gfp);
	return obj;
}

/* A pointer that failed the free check: say why, count it, drop it. */
static noinline void cache_free_refused(struct bslab_cache *cp, void *obj)
{
	bslab_free_invalid(cp, obj, bslab_free_diagnose(cp, obj));
}

static noinline void cache_free_slow(struct bslab_cache *cp, void *obj)
{
	bool rt_retry = IS_ENABLED(CONFIG_PREEMPT_RT);
	enum cpu_free_result done;

again:
	done = cpu_free(cp, obj);
	if (done == CPU_FREE_DOUBLE) {
		bslab_free_invalid(cp, obj, BSLAB_FREE_DOUBLE);
		return;
	}
	if (done == CPU_FREE_DONE)
		return;
	/* PREEMPT_RT: the magazine the CPU layer could not allocate */
	if (rt_retry && bslab_depot_add_empty(cp)) {
		rt_retry = false;
		goto again;
	}
	/*
	 * Held until the cache is last touched: a dead cache whose last
	 * object this call frees is released only after a grace period
	 * (dead_cache_reclaim(); bslab_free_hold()).
	 */
	bslab_free_hold();
	if (bslab_slab_free_batch(cp, 1, &obj))
		this_cpu_inc(cp->cpu->ev.free_slab);
	bslab_free_unhold();
}

/*
 * Another node's object goes home, so that the magazines allocations use
 * hold only their CPU's node's objects: by way of this CPU's remote
 * magazine (bslab_cpu_free_remote()), a magazine at a time to its node's
 * full magazines in the depot or to its slabs, or at once to its slab
 * where that cannot be had.
 */
static noinline void cache_free_remote(struct bslab_cache *cp, void *obj)
{
	if (bslab_cpu_free_remote(cp, obj))
		return;
	bslab_free_hold();	/* see cache_free_slow() */
	if (bslab_slab_free_batch(cp, 1, &obj))
		this_cpu_inc(cp->cpu->ev.free_remote);
	bslab_free_unhold();
}

/* init_on_free=1: a free that passed the checks, zeroed, then freed. */
static noinline void cache_free_init(struct bslab_cache *cp, void *obj)
{
	bslab_obj_init_free(cp, obj);
	if (slab_obj_remote(cp, obj))
		cache_free_remote(cp, obj);
	else
		cache_free_slow(cp, obj);
}

/*
 * __GFP_ZERO (kmem_cache_zalloc()): the fast path's pop, then the memset,
 * out of line so that bslab_cache_alloc() tests the flag once and nothing
 * more.  A cache with a constructor goes to the slow path, which refuses.
 * (ext4 and jbd2 zalloc their journal heads, allocation contexts, io_ends
 * and transactions: from the magazines, as every other allocation.)
 */
static noinline void *cache_alloc_zero(struct bslab_cache *cp, gfp_t gfp)
{
	void *obj;

	if (unlikely(cp->ctor))
		return cache_alloc_slow(cp, gfp, NUMA_NO_NODE);
	might_alloc(gfp);
	if (unlikely(!cpu_alloc_fast(cp, &obj)))
		return cache_alloc_slow(cp, gfp, NUMA_NO_NODE);
	trace_bslab_alloc(cp->name, obj, cp->size, _RET_IP_, gfp);
	obj = bslab_san_alloc(cp, obj, gfp);
	return memset(obj, 0, cp->size);	/* as bslab_obj_init_alloc() */
}

/*
 * The fast paths: a pop from or a push to the loaded magazine, and nothing
 * else, so that they call nothing but (as a tail call) the slow paths and
 * need no stack frame.  Free first makes the free check (see the top of
 * this file).
 */
void *bslab_cache_alloc(struct bslab_cache *cp, gfp_t gfp)
{
	void *obj;

	if (unlikely(gfp & __GFP_ZERO))
		return cache_alloc_zero(cp, gfp);
	might_alloc(gfp);
	if (unlikely(!cpu_alloc_fast(cp, &obj)))
		return cache_alloc_slow(cp, gfp, NUMA_NO_NODE);
	trace_bslab_alloc(cp->name, obj, cp->size, _RET_IP_, gfp);
	obj = bslab_san_alloc(cp, obj, gfp);
	/* init_on_alloc=1 (@gfp has no __GFP_ZERO here): as the zalloc path */
	if (want_init_on_alloc(gfp) && !bslab_init_exempt(cp))
		return memset(obj, 0, cp->size);
	return obj;
}
EXPORT_SYMBOL_GPL(bslab_cache_alloc);

/*
 * A free the fast path does not take: with @check, one the fast path's
 * one compare did not pass (see free_check_home()): not an object of @cp
 * (refused), or another node's (to its slab), or one of this CPU's node
 * beyond the owner word's tags; without (free_check=0), another node's.
 * The check and the node come from one look at the page
 * (free_check_node()); a remote object goes onto this CPU's remote
 * magazine here if it has room, as a local one onto the loaded magazine.
 */
static noinline void cache_free_away(struct bslab_cache *cp, void *obj,
				     bool check)
{
	bool remote = true;

	if (check) {
		int nid = free_check_node(cp, obj);

		if (unlikely(nid == NUMA_NO_NODE)) {
			cache_free_refused(cp, obj);
			return;
		}
		if (unlikely(!bslab_san_free(cp, obj))) {
			bslab_free_invalid(cp, obj, BSLAB_FREE_DOUBLE);
			return;
		}
		remote = nid != bslab_home_node();
	}
	trace_bslab_free(cp->name, obj, _RET_IP_);
	if (want_init_on_free())
		return cache_free_init(cp, obj);
	if (!remote) {
		if (!cpu_free_fast(cp, obj))
			cache_free_slow(cp, obj);
	} else if (!cpu_push_fast(cp, cp->cpu, obj, true)) {
		cache_free_remote(cp, obj);
	}
}

void bslab_cache_free(struct bslab_cache *cp, void *obj)
{
	/* loaded once, for the check and the push */
	struct bslab_cpu_cache __percpu *pc = cp->cpu;

	if (unlikely(!obj))
		return;
	if (static_branch_likely(&bslab_free_check)) {
		/* and, on a kernel with NUMA, of this CPU's node */
		if (unlikely(!free_check_home(cp, pc, obj)))
			return cache_free_away(cp, obj, true);
		if (unlikely(!bslab_san_free(cp, obj))) {
			bslab_free_invalid(cp, obj, BSLAB_FREE_DOUBLE);
			return;
		}
	} else {
		bslab_san_free_unchecked(cp, obj);
		if (slab_obj_remote(cp, obj))	/* NUMA: another node's */
			return cache_free_away(cp, obj, false);
	}
	trace_bslab_free(cp->name, obj, _RET_IP_);
	if (want_init_on_free())		/* init_on_free=1 */
		return cache_free_init(cp, obj);
	if (unlikely(!cpu_push_fast(cp, pc, obj, false)))
		cache_free_slow(cp, obj);
}
EXPORT_SYMBOL_GPL(bslab_cache_free);

/*
 * An allocation that names a node: that node's object from this CPU's
 * magazines if they hold that node's (bslab_home_node()), else from the
 * slab layer.  A node that is not online is no node's request, but with
 * __GFP_THISNODE, which then fails; a number that is no node id is
 * refused.
 */
void *bslab_cache_alloc_node(struct bslab_cache *cp, gfp_t gfp, int node)
{
	if (node == NUMA_NO_NODE)
		return bslab_cache_alloc(cp, gfp);
	if (unlikely(node < 0 || node >= nr_node_ids)) {
		pr_err_ratelimited("bslab: cache %s: allocation for node %d: no such node\n",
				   cp->name, node);
		return NULL;
	}
	if (unlikely(!node_online(node))) {
		if (gfp & __GFP_THISNODE)
			return NULL;
		return bslab_cache_alloc(cp, gfp);
	}
	return cache_alloc_slow(cp, gfp, node);
}
EXPORT_SYMBOL_GPL(bslab_cache_alloc_node);

/*
 * Objects a bulk allocation hands out: what the single path does for each.
 * Nothing at all (not even the loop) on a kernel without the sanitizers
 * and tracepoints, unless init_on_alloc is on.
 */
static __always_inline void bulk_out(struct bslab_cache *cp, size_t n,
				     void **objs, gfp_t gfp)
{
	bool init = want_init_on_alloc(gfp) && !bslab_init_exempt(cp);
	size_t i;

	if (!BSLAB_SANITIZERS && !IS_ENABLED(CONFIG_TRACEPOINTS) && !init)
		return;
	for (i = 0; i < n; i++) {
		bslab_san_alloc(cp, objs[i], gfp);
		if (init)	/* accessible for its whole chunk (san.h) */
			memset(objs[i], 0, cp->size);
		trace_bslab_alloc(cp->name, objs[i], cp->size, _RET_IP_,
				  gfp);
	}
}

/*
 * Bulk requests move whole runs between the caller's array and this CPU's
 * loaded and previous magazines (one busy section per run).  When both are
 * used up, one object goes through the single-object path, which exchanges
 * magazines with the depot, and the next run continues.  Only when the
 * magazines and the depot are empty (or the cache has none) does the rest
 * come from the slab layer, in one batch under one lock hold.
 */
int bslab_cache_alloc_bulk(struct bslab_cache *cp, gfp_t gfp, size_t n,
			   void **objs)
{
	size_t got = 0, more;

	if (gfp & __GFP_ZERO) {
		pr_err("bslab: cache %s: __GFP_ZERO is not supported by bulk allocation\n",
		       cp->name);
		return 0;
	}
	might_alloc(gfp);
	if (debug_modes(cp) && bslab_debug_alloc_fails(cp, gfp))
		return 0;
	while (got < n) {
		more = bslab_cpu_take(cp, n - got, objs + got);
		bulk_out(cp, more, objs + got, gfp);
		got += more;
		if (got == n ||
		    !READ_ONCE(cp->node[bslab_home_node()].nr_mag_full))
			break;
		objs[got] = bslab_cache_alloc(cp, gfp);
		if (!objs[got])
			goto fail;
		got++;
	}
	if (got == n)
		return n;
	more = bslab_slab_alloc_batch(cp, gfp, NUMA_NO_NODE, n - got,
				      objs + got);
	if (more == n - got) {
		this_cpu_add(cp->cpu->ev.alloc_slab, more);
		bulk_out(cp, more, objs + got, gfp);
		return n;
	}
	bslab_slab_free_batch(cp, more, objs + got);
fail:
	/* all or nothing */
	bslab_cache_free_bulk(cp, got, objs);
	return 0;
}
EXPORT_SYMBOL_GPL(bslab_cache_alloc_bulk);

int bslab_cache_alloc_bulk_node(struct bslab_cache *cp, gfp_t gfp, int node,
				size_t n, void **objs)
{
	size_t got;

	if (node == NUMA_NO_NODE)
		return bslab_cache_alloc_bulk(cp, gfp, n, objs);
	if (node < 0 || node >= nr_node_ids || (gfp & __GFP_ZERO)) {
		pr_err("bslab: cache %s: bulk allocation for node %d%s: refused\n",
		       cp->name, node, gfp & __GFP_ZERO ? " with __GFP_ZERO" : "");
		return 0;
	}
	if (!node_online(node)) {
		if (gfp & __GFP_THISNODE)
			return 0;
		return bslab_cache_alloc_bulk(cp, gfp, n, objs);
	}
	might_alloc(gfp);
	if (debug_modes(cp) && bslab_debug_alloc_fails(cp, gfp))
		return 0;
	got = 0;
	/* the node's free objects, then its depot magazines', then new */
	if (READ_ONCE(cp->node[node].nr_mag_full)) {
		do
			got += bslab_slab_take(cp, gfp, node, n - got,
					       objs + got);
		while (got < n && bslab_depot_to_slabs(cp, node));
	}
	if (got < n)
		got += bslab_slab_alloc_batch(cp, gfp, node, n - got,
					      objs + got);
	if (got < n) {
		bslab_slab_free_batch(cp, got, objs);
		return 0;
	}
	this_cpu_add(cp->cpu->ev.alloc_slab, n);
	bulk_out(cp, n, objs, gfp);
	return n;
}
EXPORT_SYMBOL_GPL(bslab_cache_alloc_bulk_node);

void bslab_cache_free_bulk(struct bslab_cache *cp, size_t n, void **objs)
{
	size_t i = 0;

	if (cp->flags & BSLAB_NOMAGAZINE) {
		/* each free checked, seen and zeroed on its own */
		if (BSLAB_SANITIZERS || trace_bslab_free_enabled() ||
		    want_init_on_free()) {
			for (; i < n; i++)
				bslab_cache_free(cp, objs[i]);
			return;
		}
		bslab_free_hold();	/* see cache_free_slow() */
		this_cpu_add(cp->cpu->ev.free_slab,
			     bslab_slab_free_batch(cp, n, objs));
		bslab_free_unhold();
		return;
	}
	while (i < n) {
		i += bslab_cpu_put(cp, n - i, objs + i);
		if (i < n)
			bslab_cache_free(cp, objs[i++]);  /* exchanges */
	}
}
EXPORT_SYMBOL_GPL(bslab_cache_free_bulk);

/**
 * bslab_cache_reap_nowait() - bslab_cache_reap() but for waiting for the
 *	cache's work
 * @cp: the cache
 *
 * For bslab_reap_all(), which holds bslab_setup_mutex: the cache's work
 * takes it (to free a dead cache), so waiting for the work there could
 * deadlock.  Slabs the work took before the reap may still be on their way
 * back when this returns.
 *
 * Context: process context, may sleep.
 */
void bslab_cache_reap_nowait(struct bslab_cache *cp)
{
	might_sleep();
	bslab_cpu_drain_all(cp);
	bslab_reap_now(cp, BSLAB_REAP_ALL);
	if (cp->large)
		bslab_hash_rescale(cp);
}

void bslab_cache_reap(struct bslab_cache *cp)
{
	bslab_cache_reap_nowait(cp);
	/*
	 * The reap took every deferred slab still listed; the cache's work
	 * may have taken some before it and be destroying them now.  Wait
	 * for it, so that the pages are back when this returns (not from the
	 * work itself: a destructor that reaps its own cache).
	 */
	if (current_work() != &cp->work)
		flush_work(&cp->work);
}
EXPORT_SYMBOL_GPL(bslab_cache_reap);

static void sum_cpu_events(struct bslab_cache *cp,
			   struct bslab_cpu_events *sum)
{
	const unsigned int n = sizeof(*sum) / sizeof(u64);
	u64 *to = (u64 *)sum;
	const u64 *from;
	unsigned int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		from = (const u64 *)&per_cpu_ptr(cp->cpu, cpu)->ev;
		for (i = 0; i < n; i++)
			to[i] += READ_ONCE(from[i]);
	}
}

void bslab_cache_stats(struct bslab_cache *cp, struct bslab_stats *st)
{
	unsigned long flags, out, slabs;

	raw_spin_lock_irqsave(&cp->lock, flags);
	slabs = slab_total(cp);
	st->slab_ev = cp->ev;
	st->slab_full = cp->nr_full;
	st->slab_partial = cp->nr_partial;
	st->slab_empty = cp->nr_empty + cp->nr_deferred;
	out = cp->buf_out;
	st->buf_out_max = cp->buf_out_max;
	st->hash_size = cp->large ? 1UL << cp->hash_bits : 0;
	st->color_next = cp->color_next;
	st->irq_reserve = cp->irq_reserve;
	raw_spin_unlock_irqrestore(&cp->lock, flags);

	raw_spin_lock_irqsave(&cp->depot.lock, flags);
	st->depot_ev = cp->depot.ev;
	st->full_magazines = cp->depot.nfull;
	st->empty_magazines = cp->depot.nempty;
	st->depot_limit = bslab_depot_limit_of(cp);
	raw_spin_unlock_irqrestore(&cp->depot.lock, flags);
	st->magazine_size = bslab_magazine_size(cp);

	/*
	 * Per-CPU counters are read while CPUs update them: exact when the
	 * cache is quiet, within a few operations otherwise.
	 */
	sum_cpu_events(cp, &st->cpu_ev);
	st->alloc = st->alloc_cpu + st->alloc_swap + st->alloc_depot +
		    st->alloc_fill + st->alloc_slab;
	st->free = st->free_cpu + st->free_swap + st->free_depot +
		   st->free_spill + st->free_slab + st->free_remote;
	st->buf_inuse = st->alloc > st->free ? st->alloc - st->free : 0;
	st->buf_magazine = out > st->buf_inuse ? out - st->buf_inuse : 0;

	st->buf_size = cp->size;
	st->align = cp->align;
	st->chunk_size = cp->chunk;
	st->slab_size = slab_bytes(cp);
	st->buf_per_slab = cp->objs;
	st->buf_total = slabs * cp->objs;
	st->buf_constructed = st->buf_magazine +
			      (cp->ctor ? st->buf_total - out : 0);
	st->mem_total = slabs * st->slab_size;
	st->offslab = cp->offslab;
	st->color_step = cp->color_step;
	st->color_max = cp->color_max;
}
EXPORT_SYMBOL_GPL(bslab_cache_stats);

const char *bslab_cache_name(const struct bslab_cache *cp)
{
	return cp->name;
}
EXPORT_SYMBOL_GPL(bslab_cache_name);

unsigned int bslab_cache_size(const struct bslab_cache *cp)
{
	return cp->size;
}
EXPORT_SYMBOL_GPL(bslab_cache_size);

/* ---- the cache's work item, dead caches ---- */

/* Free a dead cache whose last object came back; called from its work. */
static void dead_cache_reclaim(struct bslab_cache *cp)
{
	mutex_lock(&bslab_setup_mutex);
	if (!cache_listed(cp, &bslab_dead_caches)) {	/* unload has it */
		mutex_unlock(&bslab_setup_mutex);
		return;
	}
	if (bslab_slab_out(cp)) {
		mutex_unlock(&bslab_setup_mutex);
		return;
	}
	/* reported before it leaves the list, which is what waiters watch */
	pr_info("bslab: cache %s: the last object of the destroyed cache was freed; cache released\n",
		cp->name);
	list_del(&cp->caches);
	mutex_unlock(&bslab_setup_mutex);

	synchronize_rcu();	/* the last free has left the cache */
	/*
	 * That free may have queued this work again while it ran (the work
	 * destroy queued, say); nothing can queue it any more, and its
	 * memory is about to go.
	 */
	cancel_work(&cp->work);
	bslab_slab_release_empty(cp, false);
	cache_struct_destroy(cp);
}

/**
 * cache_work() - a cache's process-context work
 * @work: the cache's work
 *
 * Rescales the bufctl hash, destroys the slabs frees deferred (running
 * destructors in process context), makes the slabs the cache's reserve
 * for allocations that may not grow it needs, and frees a dead cache
 * whose last object came back.
 */
static void cache_work(struct work_struct *work)
{
	struct bslab_cache *cp = container_of(work, struct bslab_cache, work);

	if (cp->large)
		bslab_hash_rescale(cp);
	if (READ_ONCE(cp->audit))
		bslab_audit_rescale(cp);
	bslab_slab_destroy_deferred(cp);
	bslab_slab_fill_reserve(cp);
	if (READ_ONCE(cp->dead))
		dead_cache_reclaim(cp);
}

/**
 * bslab_cache_release_dead() - free every dead cache, objects and all, at unload
 *
 * Clients of bslab hold a reference on it, so at its unload they are all
 * gone and no one can use those objects any more.
 */
void bslab_cache_release_dead(void)
{
	struct bslab_cache *cp;

	for (;;) {
		mutex_lock(&bslab_setup_mutex);
		cp = list_first_entry_or_null(&bslab_dead_caches,
					      struct bslab_cache, caches);
		if (cp)
			list_del(&cp->caches);
		mutex_unlock(&bslab_setup_mutex);
		if (!cp)
			return;
		cancel_work_sync(&cp->work);
		pr_err("bslab: cache %s: %lu objects of the destroyed cache were never freed; releasing its %lu slabs at unload\n",
		       cp->name, bslab_slab_out(cp), slab_total(cp));
		bslab_audit_leaks(cp);
		bslab_slab_release_all(cp);
		cache_struct_destroy(cp);
	}
}

/* ---- owners: modules that go away without destroying their caches ---- */

static void cache_orphan(struct bslab_cache *cp)
{
	lockdep_assert_held(&bslab_setup_mutex);
	mutex_lock(&bslab_caches_mutex);	/* the shrinker calls reclaim under it */
	WRITE_ONCE(cp->ctor, NULL);
	WRITE_ONCE(cp->dtor, NULL);
	WRITE_ONCE(cp->reclaim, NULL);
	cp->owner = NULL;
	bslab_init_exempt_update(cp);
	mutex_unlock(&bslab_caches_mutex);
}

/**
 * bslab_owner_going() - a module is going away: orphan and destroy its caches
 * @mod: the module
 *
 * Every cache @mod created and did not destroy is reported by name and
 * module, loses its callbacks, and is destroyed (kept dead if it still
 * holds objects).  Caches it destroyed with objects still allocated lose
 * their callbacks too.
 */
void bslab_owner_going(struct module *mod)
{
	struct bslab_cache *cp, *found;

	mutex_lock(&bslab_setup_mutex);
	list_for_each_entry(cp, &bslab_dead_caches, caches) {
		if (cp->owner == mod) {
			pr_err("bslab: cache %s: module %s is gone; the objects it left allocated stay until freed\n",
			       cp->name, mod->name);
			cache_orphan(cp);
		}
	}
	mutex_unlock(&bslab_setup_mutex);

	for (;;) {
		found = NULL;
		mutex_lock(&bslab_setup_mutex);
		list_for_each_entry(cp, &bslab_caches, caches) {
			if (cp->owner == mod) {
				found = cp;
				cache_orphan(cp);
				break;
			}
		}
		mutex_unlock(&bslab_setup_mutex);
		if (!found)
			return;
		pr_err("bslab: cache %s: module %s is unloading without destroying it; destroying it without its callbacks\n",
		       found->name, mod->name);
		bslab_cache_destroy(found);
	}
}

BSLAB_EXPORT_INTERNAL(bslab_owner_going);

static int owner_notify(struct notifier_block *nb, unsigned long action,
			void *data)
{
	if (action == MODULE_STATE_GOING)
		bslab_owner_going(data);
	return NOTIFY_DONE;
}

static struct notifier_block owner_nb = {
	.notifier_call = owner_notify,
};

int bslab_owner_init(void)
{
	return register_module_notifier(&owner_nb);
}

void bslab_owner_exit(void)
{
	unregister_module_notifier(&owner_nb);
}
