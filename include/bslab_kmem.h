/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bslab_kmem.h - the kernel's kmem_cache API on bslab.
 *
 * A module written for SLUB moves to bslab without an edit: build it with
 *
 *	ccflags-y += -I<bslab>/include -include bslab_kmem.h
 *	KBUILD_EXTRA_SYMBOLS += <bslab>/Module.symvers
 *
 * and every kmem_cache it makes is a bslab cache (in kmastat, debugfs,
 * /proc/bslabinfo, under bslab's debugging), owned by the module.
 *
 * How: this header includes the kernel headers that define the API first,
 * then renames struct kmem_cache to struct bslab_cache for the code that
 * follows, and maps each call:
 *
 *   kmem_cache_create() (both forms on 6.12 and later: positional, and
 *   with struct kmem_cache_args), kmem_cache_create_usercopy(),
 *   KMEM_CACHE(), KMEM_CACHE_USERCOPY()	-> bslab_kmem_create()
 *   kmem_cache_alloc(), _zalloc(), _alloc_lru(), _alloc_node()
 *						-> bslab_cache_alloc()
 *   kmem_cache_free()				-> bslab_cache_free()
 *   kmem_cache_alloc_bulk(), _free_bulk()	-> the bslab bulk calls
 *   kmem_cache_destroy()			-> bslab_cache_destroy()
 *   kmem_cache_shrink()			-> bslab_cache_reap()
 *   kmem_cache_size()				-> bslab_cache_size()
 *   alloc_inode_sb()				-> bslab_cache_alloc()
 *   mempool_create_slab_pool(), mempool_init_slab_pool()
 *						-> a mempool on the bslab cache
 *   kfree(), ksize()				-> checked: see below
 *   __getname(), __putname()			-> stay the kernel's own
 *						   (names_cache or kmalloc())
 *
 * SLAB_* flags keep their nearest meaning (mm/kmem.c has the table);
 * SLAB_TYPESAFE_BY_RCU keeps its own.  A flag bslab cannot honour
 * (SLAB_CACHE_DMA, SLAB_CACHE_DMA32) fails the create with a message
 * naming the cache.  _alloc_node() takes its object from the node asked
 * for (bslab_cache_alloc_node()); the
 * list_lru of _alloc_lru() needs nothing from bslab, whose objects are not
 * charged to memory cgroups.
 *
 * What cannot be mapped, and how it is caught:
 *  - A bslab cache passed to a kernel function that takes a struct
 *    kmem_cache (declared before this header renamed it) is a build error:
 *    the kernel builds with -Werror=incompatible-pointer-types.  So is a
 *    call this header does not map (kmem_cache_alloc_noprof(), the sheaf
 *    calls of 7.x).
 *  - kfree() or ksize() of an object of a bslab cache in the module:
 *    reported ("bslab: BUG <cache>: kfree() of <ptr>, an object of this
 *    cache"), and the object goes back to its cache.  kfree() is checked
 *    while bslab's free check is on (free_check=1, the default).  The
 *    same from code outside the module (kfree_rcu(), kvfree(), another
 *    subsystem's kfree()) is not seen, and would give a page of bslab's
 *    to SLUB: a module must not hand its cache objects to such code.
 *  - A kernel header included after this one that allocates from or frees
 *    into one of the kernel's own caches in an inline function would reach
 *    bslab: only fs.h's __getname()/__putname() are kept the kernel's
 *    (which is why this header must come first, as -include puts it).
 *
 * Documentation/api.rst: "Moving a module from kmem_cache to bslab".
 */
#ifndef _BSLAB_KMEM_H
#define _BSLAB_KMEM_H

#include <linux/slab.h>
#include <linux/jump_label.h>
#include <linux/fs.h>
#include <linux/mempool.h>
#include <linux/module.h>
#include <bslab.h>

/* bslab's side (mm/kmem.c), which includes this header for these alone */
struct bslab_cache *bslab_kmem_create(const char *name, unsigned int size,
				      unsigned int align, slab_flags_t flags,
				      unsigned int useroffset,
				      unsigned int usersize,
				      void (*ctor)(void *obj),
				      struct module *owner);
int bslab_kmem_ctor(void *obj, void *priv, gfp_t gfp);
void *bslab_kmem_mempool_alloc(gfp_t gfp, void *pool_data);
void bslab_kmem_mempool_free(void *obj, void *pool_data);
void bslab_kmem_kfree(const void *obj);
size_t bslab_kmem_ksize(const void *obj);
char *bslab_kmem_getname(void);
void bslab_kmem_putname(const char *name);
DECLARE_STATIC_KEY_TRUE(bslab_free_check);

#ifndef BSLAB_KMEM_NO_MAP

/*
 * fs.h's path buffers stay the kernel's: mm/kmem.c calls its __getname()
 * and __putname(), whatever they are in this kernel (names_cachep, a SLUB
 * cache, up to 6.x; kmalloc() and kfree() in 7.x).
 */
#undef __getname
#undef __putname
#define __getname()		bslab_kmem_getname()
#define __putname(name)		bslab_kmem_putname(name)

/* kmem_cache_create() is a macro where struct kmem_cache_args exists */
#ifdef kmem_cache_create
#define BSLAB_KMEM_HAVE_ARGS	1
#endif

/* ---- from here on, a kmem_cache is a bslab cache ---- */

#define kmem_cache bslab_cache

#undef kmem_cache_create
#undef kmem_cache_create_usercopy
#undef KMEM_CACHE
#undef KMEM_CACHE_USERCOPY

#ifdef BSLAB_KMEM_HAVE_ARGS
static inline struct bslab_cache *
bslab_kmem_create_args(const char *name, unsigned int size,
		       struct kmem_cache_args *args, slab_flags_t flags,
		       struct module *owner)
{
	/* freeptr_offset: bslab never writes into a free SLAB_TYPESAFE_BY_RCU object */
	return bslab_kmem_create(name, size, args->align, flags,
				 args->useroffset, args->usersize, args->ctor,
				 owner);
}

static inline struct bslab_cache *
bslab_kmem_create_noargs(const char *name, unsigned int size, void *args,
			 slab_flags_t flags, struct module *owner)
{
	if (WARN_ON_ONCE(args))
		return NULL;
	return bslab_kmem_create(name, size, 0, flags, 0, 0, NULL, owner);
}
#endif

static inline struct bslab_cache *
bslab_kmem_create_legacy(const char *name, unsigned int size,
			 unsigned int align, slab_flags_t flags,
			 void (*ctor)(void *obj), struct module *owner)
{
	return bslab_kmem_create(name, size, align, flags, 0, 0, ctor, owner);
}

#ifdef BSLAB_KMEM_HAVE_ARGS
/* The form the third argument's type names, as the kernel's _Generic() does. */
#define bslab_kmem_create_form(a)					\
	__builtin_choose_expr(__builtin_types_compatible_p(typeof(a),	\
		struct kmem_cache_args *), bslab_kmem_create_args,	\
	__builtin_choose_expr(__builtin_types_compatible_p(typeof(a),	\
		void *), bslab_kmem_create_noargs, bslab_kmem_create_legacy))

#define kmem_cache_create(name, size, args, ...)			\
({									\
	typeof(args) __bslab_args = (args);				\
									\
	bslab_kmem_create_form(__bslab_args)((name), (size),		\
					     __bslab_args, __VA_ARGS__, \
					     THIS_MODULE);		\
})
#else
#define kmem_cache_create(name, size, align, flags, ctor)		\
	bslab_kmem_create_legacy((name), (size), (align), (flags), (ctor), \
				 THIS_MODULE)
#endif

#define kmem_cache_create_usercopy(name, size, align, flags, useroffset, \
				   usersize, ctor)			\
	bslab_kmem_create((name), (size), (align), (flags), (useroffset), \
			  (usersize), (ctor), THIS_MODULE)

#define KMEM_CACHE(s, flags)						\
	bslab_kmem_create(#s, sizeof(struct s), __alignof__(struct s),	\
			  (flags), 0, 0, NULL, THIS_MODULE)

#define KMEM_CACHE_USERCOPY(s, flags, field)				\
	bslab_kmem_create(#s, sizeof(struct s), __alignof__(struct s),	\
			  (flags), offsetof(struct s, field),		\
			  sizeof_field(struct s, field), NULL, THIS_MODULE)

/* ---- objects ---- */

#undef kmem_cache_alloc
#undef kmem_cache_zalloc
#undef kmem_cache_alloc_lru
#undef kmem_cache_alloc_node
#undef kmem_cache_free
#undef kmem_cache_alloc_bulk
#undef kmem_cache_free_bulk
#undef kmem_cache_destroy
#undef kmem_cache_shrink
#undef kmem_cache_size
#undef alloc_inode_sb

static inline void *bslab_kmem_alloc(struct bslab_cache *cache, gfp_t gfp)
{
	return bslab_cache_alloc(cache, gfp);
}

static inline int bslab_kmem_shrink(struct bslab_cache *cache)
{
	bslab_cache_reap(cache);
	return 0;
}

#define kmem_cache_alloc(cache, gfp)	bslab_kmem_alloc((cache), (gfp))
#define kmem_cache_zalloc(cache, gfp)	bslab_kmem_alloc((cache), (gfp) | __GFP_ZERO)
#define kmem_cache_alloc_lru(cache, lru, gfp)				\
	({ (void)(lru); bslab_kmem_alloc((cache), (gfp)); })
#define kmem_cache_alloc_node(cache, gfp, node)				\
	bslab_cache_alloc_node((cache), (gfp), (node))
#define kmem_cache_free(cache, obj)	bslab_cache_free((cache), (obj))
#define kmem_cache_alloc_bulk(cache, gfp, n, objs)			\
	bslab_cache_alloc_bulk((cache), (gfp), (n), (objs))
#define kmem_cache_free_bulk(cache, n, objs)				\
	bslab_cache_free_bulk((cache), (n), (objs))
#define kmem_cache_destroy(cache)	bslab_cache_destroy(cache)
#define kmem_cache_shrink(cache)	bslab_kmem_shrink(cache)
#define kmem_cache_size(cache)		bslab_cache_size(cache)
#define alloc_inode_sb(sb, cache, gfp)					\
	kmem_cache_alloc_lru((cache), &(sb)->s_inode_lru, (gfp))

/* ---- mempools of cache objects ---- */

#undef mempool_create_slab_pool
#undef mempool_init_slab_pool

static inline void *bslab_kmem_pool_data(struct bslab_cache *cache)
{
	return cache;
}

#define mempool_create_slab_pool(min_nr, cache)				\
	mempool_create((min_nr), bslab_kmem_mempool_alloc,		\
		       bslab_kmem_mempool_free, bslab_kmem_pool_data(cache))
#define mempool_init_slab_pool(pool, min_nr, cache)			\
	mempool_init((pool), (min_nr), bslab_kmem_mempool_alloc,	\
		     bslab_kmem_mempool_free, bslab_kmem_pool_data(cache))

/* ---- kfree() and ksize() that tell a bslab object ---- */

/*
 * kfree() is checked while bslab's free check is on (free_check=1, the
 * default); with it off the call is the kernel's kfree(), behind one
 * patched-out jump (a kfree() of a cache object is then not caught).
 * ksize() is rare and always checked.
 */
static __always_inline void bslab_kmem_kfree_site(const void *obj)
{
	if (static_branch_likely(&bslab_free_check))
		bslab_kmem_kfree(obj);
	else
		kfree(obj);
}

#undef kfree
#undef ksize
#define kfree(obj)	bslab_kmem_kfree_site(obj)
#define ksize(obj)	bslab_kmem_ksize(obj)

#endif /* BSLAB_KMEM_NO_MAP */
#endif /* _BSLAB_KMEM_H */
