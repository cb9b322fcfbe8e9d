/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KASAN and kmemleak: what the kernel's own checkers are told as objects
 * move between clients, magazines and slabs.  Everything here compiles to
 * nothing on a kernel without them.
 */
#ifndef _BSLAB_SAN_H
#define _BSLAB_SAN_H

#include "slab.h"

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

/*
 * Are @cp's free objects poisoned as freed?  Not in a BSLAB_TYPESAFE_BY_RCU
 * cache, whose readers may look at an object after its free (as SLUB's
 * KASAN hooks leave those alone); its objects are poisoned only until they
 * are first handed out.
 */
static __always_inline bool bslab_kasan_tracks(const struct bslab_cache *cp)
{
	return !(cp->flags & BSLAB_TYPESAFE_BY_RCU);
}

static __always_inline void kasan_obj_free(const struct bslab_cache *cp,
					   void *obj)
{
	if (bslab_kasan_tracks(cp))
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

static inline bool bslab_kasan_tracks(const struct bslab_cache *cp)
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

#endif /* _BSLAB_SAN_H */
