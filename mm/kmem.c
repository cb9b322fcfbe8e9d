// SPDX-License-Identifier: GPL-2.0
/*
 * bslab's side of <bslab_kmem.h>: the kernel's kmem_cache API for a module
 * moved onto bslab without editing its source.
 *
 * The header renames struct kmem_cache to struct bslab_cache in the code
 * that includes it, and maps each kmem_cache_*() call to bslab's.  What it
 * cannot do inline is here: creating a cache from a kmem_cache
 * description (SLAB_* flags, a kmem constructor, a usercopy region), the
 * mempool callbacks for mempool_create_slab_pool(), and kfree()/ksize() of
 * the module, which must tell a kmalloc() pointer (SLUB's: handed on) from
 * a bslab object (a bug: reported, then freed into its own cache, so no
 * memory is lost and SLUB never sees a page that is not its own).  The
 * header sends kfree() here only while bslab's free check is on.
 *
 * SLAB_* flags, by their nearest meaning:
 *
 *   SLAB_HWCACHE_ALIGN		BSLAB_HWCACHE_ALIGN
 *   SLAB_RECLAIM_ACCOUNT	BSLAB_RECLAIMABLE (SReclaimable)
 *   SLAB_TYPESAFE_BY_RCU	BSLAB_TYPESAFE_BY_RCU (the same semantics)
 *   SLAB_POISON		BSLAB_DEBUG_POISON (not with
 *				SLAB_TYPESAFE_BY_RCU, as in SLUB)
 *   SLAB_RED_ZONE		BSLAB_DEBUG_REDZONE
 *   SLAB_STORE_USER		BSLAB_DEBUG_AUDIT
 *   SLAB_FAILSLAB		BSLAB_FAILSLAB
 *   SLAB_PANIC			panic() if the cache cannot be made
 *   SLAB_ACCOUNT		accepted; objects are not charged to a memory
 *				cgroup (bslab's pages count as Slab in
 *				/proc/meminfo, not in memory.stat)
 *   SLAB_NO_MERGE, SLAB_MEM_SPREAD, SLAB_CONSISTENCY_CHECKS,
 *   SLAB_NOLEAKTRACE, SLAB_DEBUG_OBJECTS, SLAB_TRACE, SLAB_NO_USER_FLAGS,
 *   SLAB_SKIP_KFENCE, SLAB_NO_OBJ_EXT
 *				accepted: bslab never merges caches and
 *				always checks frees; the rest have no bslab
 *				counterpart and change nothing a client sees
 *   SLAB_CACHE_DMA, SLAB_CACHE_DMA32, any other
 *				refused (-EINVAL, a message naming the cache
 *				and the flags): bslab takes pages from the
 *				normal zones only
 *
 * The usercopy region is accepted and not enforced: bslab's pages are not
 * slab pages to HARDENED_USERCOPY, which then checks nothing in them.
 */
#include <linux/mm.h>
#define BSLAB_KMEM_NO_MAP	/* the declarations, not the mapping */
#include <bslab_kmem.h>

#include "internal.h"
#include "debug.h"

/* Flags whose meaning carries over, each to its bslab flag. */
static const struct {
	slab_flags_t slab;
	unsigned int bslab;
} kmem_flag_map[] = {
	{ SLAB_HWCACHE_ALIGN, BSLAB_HWCACHE_ALIGN },
	{ SLAB_RECLAIM_ACCOUNT, BSLAB_RECLAIMABLE },
	{ SLAB_TYPESAFE_BY_RCU, BSLAB_TYPESAFE_BY_RCU },
	{ SLAB_POISON, BSLAB_DEBUG_POISON },
	{ SLAB_RED_ZONE, BSLAB_DEBUG_REDZONE },
	{ SLAB_STORE_USER, BSLAB_DEBUG_AUDIT },
	{ SLAB_FAILSLAB, BSLAB_FAILSLAB },
};

/* Flags accepted with no bslab counterpart (see above); some are not in every kernel. */
#ifndef SLAB_NO_MERGE
#define SLAB_NO_MERGE		0
#endif
#ifndef SLAB_MEM_SPREAD
#define SLAB_MEM_SPREAD		0
#endif
#ifndef SLAB_NO_USER_FLAGS
#define SLAB_NO_USER_FLAGS	0
#endif
#ifndef SLAB_SKIP_KFENCE
#define SLAB_SKIP_KFENCE	0
#endif
#ifndef SLAB_NO_OBJ_EXT
#define SLAB_NO_OBJ_EXT		0
#endif

#define KMEM_FLAGS_IGNORED	(SLAB_PANIC | SLAB_ACCOUNT | SLAB_NO_MERGE | \
				 SLAB_MEM_SPREAD | SLAB_CONSISTENCY_CHECKS | \
				 SLAB_NOLEAKTRACE | SLAB_DEBUG_OBJECTS | \
				 SLAB_TRACE | SLAB_NO_USER_FLAGS | \
				 SLAB_SKIP_KFENCE | SLAB_NO_OBJ_EXT)

/**
 * bslab_kmem_ctor() - a kmem_cache constructor run as a bslab constructor
 * @obj: the object
 * @priv: the kmem constructor, void (*)(void *)
 * @gfp: unused: a kmem constructor cannot fail or allocate
 *
 * Return: 0.
 */
int bslab_kmem_ctor(void *obj, void *priv, gfp_t gfp)
{
	void (*ctor)(void *obj) = priv;

	ctor(obj);
	return 0;
}
EXPORT_SYMBOL_GPL(bslab_kmem_ctor);

/* SLAB_* flags as BSLAB_* flags, or -EINVAL for one bslab cannot honour. */
static int kmem_flags(const char *name, slab_flags_t flags)
{
	slab_flags_t known = KMEM_FLAGS_IGNORED;
	unsigned int bflags = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kmem_flag_map); i++) {
		known |= kmem_flag_map[i].slab;
		if (flags & kmem_flag_map[i].slab)
			bflags |= kmem_flag_map[i].bslab;
	}
	if (flags & ~known) {
		pr_err("bslab: cache %s: SLAB flags %#lx have no bslab meaning (bslab takes pages from the normal zones only)\n",
		       name, (__force unsigned long)(flags & ~known));
		return -EINVAL;
	}
	/* SLUB does not poison SLAB_TYPESAFE_BY_RCU caches either */
	if (bflags & BSLAB_TYPESAFE_BY_RCU)
		bflags &= ~BSLAB_DEBUG_POISON;
	return bflags;
}

/**
 * bslab_kmem_create() - a bslab cache from a kmem_cache description
 * @name: the cache's name (bslab's rules: see bslab_cache_create_args())
 * @size: object size
 * @align: alignment, 0 for the default
 * @flags: SLAB_* flags, mapped as the table at the top of this file says
 * @useroffset: start of the usercopy region (accepted, not enforced)
 * @usersize: its size
 * @ctor: kmem constructor, or NULL
 * @owner: the module whose unload orphans the cache
 *
 * What kmem_cache_create() and its forms become under <bslab_kmem.h>.
 *
 * Context: process context, may sleep.
 * Return: the cache, or NULL (as kmem_cache_create()) after a message naming
 * the cache; with SLAB_PANIC a failure panics.
 */
struct bslab_cache *bslab_kmem_create(const char *name, unsigned int size,
				      unsigned int align, slab_flags_t flags,
				      unsigned int useroffset,
				      unsigned int usersize,
				      void (*ctor)(void *obj),
				      struct module *owner)
{
	struct bslab_cache_args args = {
		.align = align,
		.ctor = ctor ? bslab_kmem_ctor : NULL,
		.priv = ctor,
	};
	struct bslab_cache *cp;
	int bflags;

	if (usersize && (useroffset > size || usersize > size - useroffset)) {
		pr_err("bslab: cache %s: usercopy region %u+%u is not in the object's %u bytes\n",
		       name, useroffset, usersize, size);
		cp = ERR_PTR(-EINVAL);
		goto out;
	}
	bflags = kmem_flags(name ?: "(null)", flags);
	if (bflags < 0) {
		cp = ERR_PTR(bflags);
		goto out;
	}
	cp = __bslab_cache_create_args(name, size, &args, bflags, owner);
out:
	if (!IS_ERR(cp))
		return cp;
	if (flags & SLAB_PANIC)
		panic("bslab: cannot create cache %s: %pe\n", name ?: "(null)",
		      cp);
	return NULL;
}
EXPORT_SYMBOL_GPL(bslab_kmem_create);

/**
 * bslab_kmem_mempool_alloc() - mempool_alloc_t of a bslab cache
 * @gfp: allocation flags
 * @pool_data: the cache
 *
 * Return: an object, or NULL.
 */
void *bslab_kmem_mempool_alloc(gfp_t gfp, void *pool_data)
{
	return bslab_cache_alloc(pool_data, gfp);
}
EXPORT_SYMBOL_GPL(bslab_kmem_mempool_alloc);

/**
 * bslab_kmem_mempool_free() - mempool_free_t of a bslab cache
 * @obj: the object
 * @pool_data: the cache
 */
void bslab_kmem_mempool_free(void *obj, void *pool_data)
{
	bslab_cache_free(pool_data, obj);
}
EXPORT_SYMBOL_GPL(bslab_kmem_mempool_free);

/*
 * The bslab cache @obj is an object of, if it is in a slab of one: not a
 * pointer SLUB knows (in one of its slabs), nor outside the direct map.
 *
 * A SLUB slab is nearly every pointer a module gives kfree() (ext4 under
 * W14's dbench: 1.4 million kfree() calls a run, none of them anything
 * else), so it is told first and cheaply: kfree() itself takes any pointer
 * but NULL for one of the direct map (virt_to_folio() with no check), so
 * @obj may too before the slab test.  Only a pointer that is not SLUB's
 * pays for virt_addr_valid() and the search of bslab's slabs: as a bslab
 * object it is the module's bug, and as a large kmalloc() the rare case.
 * (virt_addr_valid() first, on every pointer, cost ext4 on bslab about
 * 0.3% of dbench's throughput in make bench's W14, 6.12 tuned.)
 */
static bool kmem_slub_or_null(const void *obj)
{
	return ZERO_OR_NULL_PTR(obj) || folio_test_slab(virt_to_folio(obj));
}

/* The same for a pointer already known to be neither NULL nor SLUB's. */
static struct bslab_cache *kmem_owner_other(const void *obj)
{
	return virt_addr_valid(obj) ? bslab_owner_of(obj) : NULL;
}

static struct bslab_cache *kmem_owner(const void *obj)
{
	if (likely(kmem_slub_or_null(obj)))
		return NULL;
	return kmem_owner_other(obj);
}

/*
 * kfree() of a pointer that is in no SLUB slab: a large kmalloc(), or an
 * object of a bslab cache.  Out of line, so that bslab_kmem_kfree()'s
 * common case saves no registers and ends in a jump to kfree().
 */
static noinline void kmem_kfree_other(const void *obj)
{
	struct bslab_cache *cp = kmem_owner_other(obj);

	if (likely(!cp)) {
		kfree(obj);
		return;
	}
	bslab_bug(cp,
		  "kfree() of %p, an object of this cache (kmem_cache_free() it); freed into the cache",
		  obj);
	bslab_cache_free(cp, (void *)obj);
}

/**
 * bslab_kmem_kfree() - kfree() in a module built with <bslab_kmem.h>
 * @obj: what the module passed to kfree()
 *
 * A kmalloc() pointer goes to kfree().  An object of a bslab cache is the
 * module's bug (it should be kmem_cache_free()): reported through
 * bslab_bug(), "bslab: BUG <cache>: kfree() of <ptr>, an object of this
 * cache", with the stack, and then freed into its cache as
 * kmem_cache_free() would, so nothing is lost and no page of bslab's
 * reaches SLUB.  The header calls this while bslab's free check is on
 * (free_check=1, the default), and the kernel's kfree() while it is off.
 *
 * Context: any.
 */
void bslab_kmem_kfree(const void *obj)
{
	if (likely(kmem_slub_or_null(obj))) {
		kfree(obj);
		return;
	}
	kmem_kfree_other(obj);
}
EXPORT_SYMBOL_GPL(bslab_kmem_kfree);

/**
 * bslab_kmem_ksize() - ksize() in a module built with <bslab_kmem.h>
 * @obj: what the module passed to ksize()
 *
 * As kfree(): a kmalloc() pointer goes to ksize(); an object of a bslab
 * cache is reported and its cache's object size returned.
 *
 * Context: any.
 * Return: the usable size of @obj.
 */
size_t bslab_kmem_ksize(const void *obj)
{
	struct bslab_cache *cp = kmem_owner(obj);

	if (likely(!cp))
		return ksize(obj);
	bslab_bug(cp, "ksize() of %p, an object of this cache (use kmem_cache_size())",
		  obj);
	return bslab_cache_size(cp);
}
EXPORT_SYMBOL_GPL(bslab_kmem_ksize);

/**
 * bslab_kmem_getname() - __getname() in a module built with <bslab_kmem.h>
 *
 * The kernel's own path buffer, from the kernel's __getname(): names_cachep
 * (a SLUB cache no moved module owns) or, in 7.x, kmalloc(PATH_MAX).  Out
 * of line so that the header need not know which.
 *
 * Context: process context; may sleep.
 * Return: a buffer of PATH_MAX bytes, or NULL.
 */
char *bslab_kmem_getname(void)
{
	return __getname();
}
EXPORT_SYMBOL_GPL(bslab_kmem_getname);

/**
 * bslab_kmem_putname() - __putname() in a module built with <bslab_kmem.h>
 * @name: a buffer from bslab_kmem_getname(), or NULL
 *
 * Gives @name back through the kernel's own __putname().
 *
 * Context: any.
 */
void bslab_kmem_putname(const char *name)
{
	__putname(name);
}
EXPORT_SYMBOL_GPL(bslab_kmem_putname);
