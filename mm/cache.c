// SPDX-License-Identifier: GPL-2.0
/*
 * bslab caches: creating, destroying and using a cache of one kind of object.
 *
 * bslab_cache_create() checks every argument before it allocates anything,
 * works out the layout (slab.c), gives an off-slab cache its bufctl hash
 * (hash.c), and only then publishes the cache: on the global list, in
 * debugfs and /proc/bslabinfo.  Any failure unwinds what was done, so there
 * is never a half-made cache.
 *
 * bslab_cache_destroy() unpublishes first, so no stats reader can find the
 * cache, empties every CPU's magazines and the depot into the slab layer,
 * gives back every empty slab, and only then waits for a hash rescale that
 * those frees may have queued.
 * A cache destroyed with objects still allocated is reported and kept,
 * unlisted and marked dead, together with the slabs holding those objects:
 * freeing them would hand memory in use back to the page allocator.
 *
 * The allocation entry points sit here.  The fast paths are a pop from or
 * a push to this CPU's loaded magazine and nothing else: they call only the
 * out-of-line slow paths, as tail calls, so they need no stack frame.  The
 * slow paths swap or exchange magazines (magazine.c) and fall back to the
 * slab layer.  Bulk calls move whole runs between the caller's array and
 * the magazines.
 *
 * Locking: bslab_caches_mutex covers the cache list (names are unique among
 * listed caches) and the debugfs/procfs files; see internal.h for the order.
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* Serializes create and destroy, and guards the list and the stats files. */
DEFINE_MUTEX(bslab_caches_mutex);
LIST_HEAD(bslab_caches);

static struct bslab_cache *cache_find(const char *name)
{
	struct bslab_cache *cp;

	lockdep_assert_held(&bslab_caches_mutex);
	list_for_each_entry(cp, &bslab_caches, caches)
		if (!strcmp(cp->name, name))
			return cp;
	return NULL;
}

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

struct bslab_cache *bslab_cache_create(const char *name, size_t size,
				       size_t align,
				       int (*ctor)(void *obj, void *priv,
						   gfp_t gfp),
				       void (*dtor)(void *obj, void *priv),
				       void (*reclaim)(void *priv),
				       void *priv, unsigned int flags)
{
	struct bslab_cache *cp;
	int err;

	err = check_name(name);
	if (!err)
		err = check_args(name, size, align, flags);
	if (err)
		return ERR_PTR(err);

	cp = kzalloc(sizeof(*cp), GFP_KERNEL);
	if (!cp)
		return ERR_PTR(-ENOMEM);
	strscpy(cp->name, name, sizeof(cp->name));
	cp->size = size;
	cp->align = max_t(size_t, align, BSLAB_MIN_ALIGN);
	if (flags & BSLAB_HWCACHE_ALIGN)
		cp->align = max_t(size_t, cp->align, cache_line_size());
	cp->flags = flags;
	cp->ctor = ctor;
	cp->dtor = dtor;
	cp->reclaim = reclaim;
	cp->priv = priv;
	spin_lock_init(&cp->lock);
	cp->partial = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&cp->full);
	INIT_LIST_HEAD(&cp->empty);
	INIT_WORK(&cp->hash_work, bslab_hash_work);

	err = bslab_slab_layout(cp);
	if (err) {
		pr_err("bslab: cache %s: an object of %zu bytes aligned to %zu does not fit in a slab\n",
		       name, size, cp->align);
		goto free_cache;
	}
	if (cp->large) {
		err = bslab_hash_init(cp);
		if (err)
			goto free_cache;
	}
	err = bslab_cpu_layer_init(cp);
	if (err)
		goto free_hash;

	mutex_lock(&bslab_caches_mutex);
	if (cache_find(name)) {
		mutex_unlock(&bslab_caches_mutex);
		pr_err("bslab: cache %s: a cache of that name exists\n", name);
		err = -EEXIST;
		goto free_hash;
	}
	list_add_tail(&cp->caches, &bslab_caches);
	bslab_debugfs_add(cp);
	mutex_unlock(&bslab_caches_mutex);
	return cp;

free_hash:
	bslab_cpu_layer_free(cp);
	bslab_hash_fini(cp);
free_cache:
	kfree(cp);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(bslab_cache_create);

void bslab_cache_destroy(struct bslab_cache *cache)
{
	unsigned long inuse;

	if (IS_ERR_OR_NULL(cache))
		return;
	might_sleep();

	mutex_lock(&bslab_caches_mutex);
	list_del(&cache->caches);
	bslab_debugfs_remove(cache);
	mutex_unlock(&bslab_caches_mutex);

	bslab_cpu_layer_destroy(cache);
	inuse = bslab_slab_teardown(cache);
	/* after the last free into the slab layer, which may queue it */
	cancel_work_sync(&cache->hash_work);
	if (inuse) {
		pr_err("bslab: cache %s: destroyed with %lu objects still allocated; keeping their %lu slabs\n",
		       cache->name, inuse, slab_total(cache));
		/* later frees of those objects go straight to the slabs */
		cache->flags |= BSLAB_NOMAGAZINE;
		cache->dead = true;
		return;
	}
	bslab_cpu_layer_free(cache);
	bslab_hash_fini(cache);
	kfree(cache);
}
EXPORT_SYMBOL_GPL(bslab_cache_destroy);

/*
 * The slow paths: everything the fast paths below do not, out of line.  They
 * look at the loaded magazine again (an interrupt may have changed it since
 * the fast path looked), then swap or exchange magazines, then use the slab
 * layer.  Preemption off and this CPU's busy word set (see magazine.c for
 * why that is enough); an interrupt that finds the word set goes to the
 * slab layer.
 */
static noinline void *cache_alloc_slow(struct bslab_cache *cache, gfp_t gfp)
{
	struct bslab_cpu_cache *cc;
	struct bslab_magazine *m;
	void *obj = NULL;

	if (unlikely((gfp & __GFP_ZERO) && cache->ctor)) {
		pr_err_ratelimited("bslab: cache %s: __GFP_ZERO would destroy constructed state\n",
				   cache->name);
		return NULL;
	}
	might_alloc(gfp);

	if (cpu_layer_enter(cache, &cc)) {
		m = cc->loaded;
		if (m->rounds) {
			obj = m->objs[--m->rounds];
			cc->ev.alloc_cpu++;
		} else {
			obj = bslab_cpu_alloc_slow(cache, cc);
		}
		cpu_layer_exit(cache, cc);
	} else {
		this_cpu_inc(cache->cpu->ev.cpu_busy);
	}

	if (!obj) {
		obj = bslab_slab_alloc(cache, gfp);
		if (!obj)
			return NULL;
		this_cpu_inc(cache->cpu->ev.alloc_slab);
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, cache->size);
	return obj;
}

static noinline void cache_free_slow(struct bslab_cache *cache, void *obj)
{
	struct bslab_cpu_cache *cc;
	struct bslab_magazine *m;
	bool done = false;

	if (cpu_layer_enter(cache, &cc)) {
		m = cc->loaded;
		if (m->rounds < m->size) {
			m->objs[m->rounds++] = obj;
			cc->ev.free_cpu++;
			done = true;
		} else {
			done = bslab_cpu_free_slow(cache, cc, obj);
		}
		cpu_layer_exit(cache, cc);
	} else {
		this_cpu_inc(cache->cpu->ev.cpu_busy);
	}

	if (!done && bslab_slab_free_batch(cache, 1, &obj))
		this_cpu_inc(cache->cpu->ev.free_slab);
}

/*
 * The fast paths: a pop from or a push to the loaded magazine, and nothing
 * else, so that they call nothing but (as a tail call) the slow paths and
 * need no stack frame.
 */
void *bslab_cache_alloc(struct bslab_cache *cache, gfp_t gfp)
{
	struct bslab_cpu_cache *cc;
	struct bslab_magazine *m;
	void *obj = NULL;

	if (unlikely(gfp & __GFP_ZERO))
		return cache_alloc_slow(cache, gfp);
	might_alloc(gfp);
	if (likely(cpu_layer_enter(cache, &cc))) {
		m = cc->loaded;
		if (likely(m->rounds)) {
			obj = m->objs[--m->rounds];
			cc->ev.alloc_cpu++;
		}
		cpu_layer_exit(cache, cc);
	}
	if (unlikely(!obj))
		return cache_alloc_slow(cache, gfp);
	return obj;
}
EXPORT_SYMBOL_GPL(bslab_cache_alloc);

void bslab_cache_free(struct bslab_cache *cache, void *obj)
{
	struct bslab_cpu_cache *cc;
	struct bslab_magazine *m;
	bool done = false;

	if (unlikely(!obj))
		return;
	if (likely(cpu_layer_enter(cache, &cc))) {
		m = cc->loaded;
		if (likely(m->rounds < m->size)) {
			m->objs[m->rounds++] = obj;
			cc->ev.free_cpu++;
			done = true;
		}
		cpu_layer_exit(cache, cc);
	}
	if (unlikely(!done))
		cache_free_slow(cache, obj);
}
EXPORT_SYMBOL_GPL(bslab_cache_free);

/*
 * Bulk requests move whole runs between the caller's array and this CPU's
 * loaded and previous magazines (one busy section per run).  When both are
 * used up, one object goes through the single-object path, which exchanges
 * magazines with the depot, and the next run continues.  Only when the
 * magazines and the depot are empty (or the cache has none) does the rest
 * come from the slab layer, in one batch under one lock hold.
 */
static size_t cpu_take(struct bslab_cache *cache, size_t n, void **objs)
{
	struct bslab_cpu_cache *cc;
	struct bslab_magazine *m;
	size_t got = 0, k;

	if (cpu_layer_enter(cache, &cc)) {
		while (got < n) {
			m = cc->loaded;
			if (!m->rounds) {
				if (!cc->prev->rounds)
					break;
				cc->loaded = cc->prev;	/* prev was full */
				cc->prev = m;
				continue;
			}
			k = min_t(size_t, n - got, m->rounds);
			m->rounds -= k;
			memcpy(&objs[got], &m->objs[m->rounds], k * sizeof(void *));
			got += k;
		}
		cc->ev.alloc_cpu += got;
		cpu_layer_exit(cache, cc);
	}
	return got;
}

/* Put objects into this CPU's magazines; returns how many of @objs it used. */
static size_t cpu_put(struct bslab_cache *cache, size_t n, void **objs)
{
	struct bslab_cpu_cache *cc;
	struct bslab_magazine *m;
	size_t i = 0, put = 0;

	if (cpu_layer_enter(cache, &cc)) {
		m = cc->loaded;
		for (; i < n; i++) {
			if (!objs[i])
				continue;
			if (m->rounds == m->size) {
				if (!cc->prev->size || cc->prev->rounds)
					break;
				cc->loaded = cc->prev;	/* prev was empty */
				cc->prev = m;
				m = cc->loaded;
			}
			m->objs[m->rounds++] = objs[i];
			put++;
		}
		cc->ev.free_cpu += put;
		cpu_layer_exit(cache, cc);
	}
	return i;
}

int bslab_cache_alloc_bulk(struct bslab_cache *cache, gfp_t gfp, size_t n,
			   void **objs)
{
	size_t got = 0, more;

	if (gfp & __GFP_ZERO) {
		pr_err("bslab: cache %s: __GFP_ZERO is not supported by bulk allocation\n",
		       cache->name);
		return 0;
	}
	might_alloc(gfp);
	while (got < n) {
		got += cpu_take(cache, n - got, objs + got);
		if (got == n ||
		    !READ_ONCE(cache->depot.nfull))	/* nothing to exchange */
			break;
		objs[got] = bslab_cache_alloc(cache, gfp);
		if (!objs[got])
			goto fail;
		got++;
	}
	if (got == n)
		return n;
	more = bslab_slab_alloc_batch(cache, gfp, n - got, objs + got);
	if (more == n - got) {
		this_cpu_add(cache->cpu->ev.alloc_slab, more);
		return n;
	}
	bslab_slab_free_batch(cache, more, objs + got);
fail:
	/* all or nothing */
	bslab_cache_free_bulk(cache, got, objs);
	return 0;
}
EXPORT_SYMBOL_GPL(bslab_cache_alloc_bulk);

void bslab_cache_free_bulk(struct bslab_cache *cache, size_t n, void **objs)
{
	size_t i = 0;

	if (cache->flags & BSLAB_NOMAGAZINE) {
		this_cpu_add(cache->cpu->ev.free_slab,
			     bslab_slab_free_batch(cache, n, objs));
		return;
	}
	while (i < n) {
		i += cpu_put(cache, n - i, objs + i);
		if (i < n)
			bslab_cache_free(cache, objs[i++]);  /* exchanges */
	}
}
EXPORT_SYMBOL_GPL(bslab_cache_free_bulk);

void bslab_cache_reap(struct bslab_cache *cache)
{
	might_sleep();
	bslab_cpu_flush_all(cache);
	bslab_reap_now(cache, true);
	if (cache->large)
		bslab_hash_rescale(cache);
}
EXPORT_SYMBOL_GPL(bslab_cache_reap);

static void sum_cpu_events(struct bslab_cache *cache,
			   struct bslab_cpu_events *sum)
{
	const unsigned int n = sizeof(*sum) / sizeof(u64);
	u64 *to = (u64 *)sum;
	const u64 *from;
	unsigned int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		from = (const u64 *)&per_cpu_ptr(cache->cpu, cpu)->ev;
		for (i = 0; i < n; i++)
			to[i] += READ_ONCE(from[i]);
	}
}

void bslab_cache_stats(struct bslab_cache *cache, struct bslab_stats *st)
{
	unsigned long flags, out;

	spin_lock_irqsave(&cache->lock, flags);
	st->events = cache->count;
	st->slab_full = cache->nr_full;
	st->slab_partial = cache->nr_partial;
	st->slab_empty = cache->nr_empty;
	out = cache->buf_inuse;
	st->buf_max = cache->buf_max;
	st->hash_size = cache->large ? 1UL << cache->hash_bits : 0;
	st->color_next = cache->color_next;
	spin_unlock_irqrestore(&cache->lock, flags);

	spin_lock_irqsave(&cache->depot.lock, flags);
	st->depot = cache->depot.ev;
	st->full_magazines = cache->depot.nfull;
	st->empty_magazines = cache->depot.nempty;
	spin_unlock_irqrestore(&cache->depot.lock, flags);
	st->magazine_size = bslab_magazine_size(cache);

	/*
	 * Per-CPU counters are read while CPUs update them: exact when the
	 * cache is quiet, within a few operations otherwise.
	 */
	sum_cpu_events(cache, &st->cpu);
	st->alloc = st->alloc_cpu + st->alloc_swap + st->alloc_depot +
		    st->alloc_slab;
	st->free = st->free_cpu + st->free_swap + st->free_depot +
		   st->free_slab;
	st->buf_inuse = st->alloc > st->free ? st->alloc - st->free : 0;
	st->buf_magazine = out > st->buf_inuse ? out - st->buf_inuse : 0;

	st->buf_size = cache->size;
	st->align = cache->align;
	st->chunk_size = cache->chunk;
	st->slab_size = slab_bytes(cache);
	st->buf_per_slab = cache->objs;
	st->buf_total = (st->slab_full + st->slab_partial + st->slab_empty) *
			cache->objs;
	st->buf_constructed = st->buf_magazine +
			      (cache->ctor ? st->buf_total - out : 0);
	st->mem_total = (st->slab_full + st->slab_partial + st->slab_empty) *
			st->slab_size;
	st->offslab = cache->large;
	st->color_step = cache->color_step;
	st->color_max = cache->color_max;
}
EXPORT_SYMBOL_GPL(bslab_cache_stats);

const char *bslab_cache_name(const struct bslab_cache *cache)
{
	return cache->name;
}
EXPORT_SYMBOL_GPL(bslab_cache_name);
