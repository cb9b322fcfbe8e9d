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
 * cache, waits for a queued hash rescale, then gives back every empty slab.
 * A cache destroyed with objects still allocated is reported and kept,
 * unlisted and marked dead, together with the slabs holding those objects:
 * freeing them would hand memory in use back to the page allocator.
 *
 * The allocation entry points sit here, above the slab layer, so that the
 * per-CPU magazine layer can be put between them and the slab layer.
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

	cancel_work_sync(&cache->hash_work);
	inuse = bslab_slab_teardown(cache);
	if (inuse) {
		pr_err("bslab: cache %s: destroyed with %lu objects still allocated; keeping their %lu slabs\n",
		       cache->name, inuse, slab_total(cache));
		cache->dead = true;
		return;
	}
	bslab_hash_fini(cache);
	kfree(cache);
}
EXPORT_SYMBOL_GPL(bslab_cache_destroy);

void *bslab_cache_alloc(struct bslab_cache *cache, gfp_t gfp)
{
	void *obj;

	if (unlikely((gfp & __GFP_ZERO) && cache->ctor)) {
		pr_err_ratelimited("bslab: cache %s: __GFP_ZERO would destroy constructed state\n",
				   cache->name);
		return NULL;
	}
	might_alloc(gfp);
	obj = bslab_slab_alloc(cache, gfp);
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, cache->size);
	return obj;
}
EXPORT_SYMBOL_GPL(bslab_cache_alloc);

void bslab_cache_free(struct bslab_cache *cache, void *obj)
{
	if (obj)
		bslab_slab_free(cache, obj);
}
EXPORT_SYMBOL_GPL(bslab_cache_free);

void bslab_cache_reap(struct bslab_cache *cache)
{
	might_sleep();
	bslab_slab_reap(cache);
	if (cache->large)
		bslab_hash_rescale(cache);
}
EXPORT_SYMBOL_GPL(bslab_cache_reap);

void bslab_cache_stats(struct bslab_cache *cache, struct bslab_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&cache->lock, flags);
	st->events = cache->count;
	st->slab_full = cache->nr_full;
	st->slab_partial = cache->nr_partial;
	st->slab_empty = cache->nr_empty;
	st->buf_inuse = cache->buf_inuse;
	st->buf_max = cache->buf_max;
	st->hash_size = cache->large ? 1UL << cache->hash_bits : 0;
	st->color_next = cache->color_next;
	spin_unlock_irqrestore(&cache->lock, flags);

	st->buf_size = cache->size;
	st->align = cache->align;
	st->chunk_size = cache->chunk;
	st->slab_size = slab_bytes(cache);
	st->buf_per_slab = cache->objs;
	st->buf_total = (st->slab_full + st->slab_partial + st->slab_empty) *
			cache->objs;
	st->buf_constructed = cache->ctor ? st->buf_total - st->buf_inuse : 0;
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
