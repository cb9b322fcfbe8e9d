/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU layer's steps, each written once (as UMA's bucket pop and push):
 * entering and leaving a CPU's layer, and the moves of objects between a
 * client and the loaded magazine.  Used only by cache.c (the fast paths)
 * and magazine.c (the slow paths); see magazine.c for the algorithm.
 */
#ifndef _BSLAB_MAGAZINE_H
#define _BSLAB_MAGAZINE_H

#include "depot.h"
#include "san.h"
#include "debug.h"

/* The last object pushed on @m; for an empty magazine its header word. */
static __always_inline void *mag_top(const struct bslab_magazine *m)
{
	return ((void * const *)m->objs)[(long)m->rounds - 1];
}

/*
 * Enter this CPU's layer of @cp: preemption off and the busy word set, *@ccp
 * this CPU's cache.  Returns false, with preemption back on, when the code
 * this interrupt (or softirq) interrupted on this CPU is inside the layer:
 * the caller must use the slab layer.  See magazine.c for why this is
 * enough.  (A bool, not a NULL pointer: the kernel's
 * -fno-delete-null-pointer-checks would cost the fast path a test.)
 */
static __always_inline bool cpu_layer_enter(struct bslab_cache *cp,
					    struct bslab_cpu_cache **ccp)
{
	struct bslab_cpu_cache *cc = get_cpu_ptr(cp->cpu);

	/*
	 * Marked, for KCSAN: an interrupt on this CPU writes the word
	 * between our read and write, and always puts it back before we run
	 * again, so the value we act on is right; no other CPU touches it.
	 * (The same single mov either way.)
	 */
	if (unlikely(READ_ONCE(cc->busy))) {
		put_cpu_ptr(cp->cpu);
		return false;
	}
	WRITE_ONCE(cc->busy, 1);
	barrier();
	*ccp = cc;
	return true;
}

static __always_inline void cpu_layer_exit(struct bslab_cache *cp,
					   struct bslab_cpu_cache *cc)
{
	barrier();
	WRITE_ONCE(cc->busy, 0);
	put_cpu_ptr(cp->cpu);
}

/*
 * The fast paths' entry and exit: the same steps as cpu_layer_enter() and
 * cpu_layer_exit(), but this CPU's fields are reached by this_cpu
 * operations (%gs-relative on x86) instead of through a pointer made from
 * the CPU's offset: one add fewer an operation.  @pc is the cache's
 * per-CPU pointer, read once by the caller (a barrier would make the
 * compiler read it again).  Between the two, the loaded magazine is
 * cpu_fast_loaded() and a counter is cpu_fast_count().
 */
static __always_inline bool cpu_fast_enter(struct bslab_cpu_cache __percpu *pc)
{
	preempt_disable();
	/* marked, for KCSAN: see cpu_layer_enter() */
	if (unlikely(this_cpu_read(pc->busy))) {
		preempt_enable();
		return false;
	}
	this_cpu_write(pc->busy, 1);
	barrier();
	return true;
}

static __always_inline void cpu_fast_exit(struct bslab_cpu_cache __percpu *pc)
{
	barrier();
	this_cpu_write(pc->busy, 0);
	preempt_enable();
}

#define cpu_fast_loaded(pc)		raw_cpu_read((pc)->loaded)
#define cpu_fast_count(pc, event)	raw_cpu_inc((pc)->ev.event)

/*
 * The magazine operations, each written once (as UMA's bucket pop, push and
 * swap).  A magazine with rounds == size is full, one with no rounds empty;
 * the sentinel (size 0) is both, so nothing pops from it or pushes to it.
 */
static __always_inline bool mag_has_rounds(const struct bslab_magazine *m)
{
	return m->rounds;
}

static __always_inline bool mag_has_room(const struct bslab_magazine *m)
{
	return m->rounds < m->size;
}

/* Pop an object of @cp for a client (KASAN: accessible from now on). */
static __always_inline void *mag_pop(const struct bslab_cache *cp,
				     struct bslab_magazine *m)
{
	void *obj = m->objs[--m->rounds];

	kasan_obj_use(cp, obj, cp->size);
	return obj;
}

/* Push an object of @cp a client freed (KASAN: poisoned from now on). */
static __always_inline void mag_push(const struct bslab_cache *cp,
				     struct bslab_magazine *m, void *obj)
{
	kasan_obj_in(cp, obj);
	m->objs[m->rounds++] = obj;
}

/* Take up to @n rounds off the top of @m into @objs; returns how many. */
static __always_inline size_t mag_pop_many(const struct bslab_cache *cp,
					   struct bslab_magazine *m,
					   size_t n, void **objs)
{
	size_t k = min_t(size_t, n, m->rounds), i;

	m->rounds -= k;
	memcpy(objs, &m->objs[m->rounds], k * sizeof(void *));
	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		for (i = 0; i < k; i++)
			kasan_obj_use(cp, objs[i], cp->size);
	return k;
}

/* Exchange the loaded and the previous magazine of a busy CPU layer. */
static __always_inline void cpu_mag_swap(struct bslab_cpu_cache *cc)
{
	swap(cc->loaded, cc->prev);
}

/*
 * Load @m; the loaded magazine becomes the previous one (the old previous
 * one is the caller's to keep or give back).
 */
static __always_inline void cpu_mag_load(struct bslab_cpu_cache *cc,
					 struct bslab_magazine *m)
{
	cc->prev = cc->loaded;
	cc->loaded = m;
}

/*
 * The CPU layer's steps between a client and this CPU's loaded magazine.
 * Each does its whole step, counts it in the CPU's counters and, on a
 * kernel built with lockdep or DEBUG_PREEMPT, asserts that the layer was
 * entered (preemption off, the busy word set); elsewhere the assertion
 * compiles to nothing, so the fast paths stay as short as before.
 */
static __always_inline void cpu_layer_assert(const struct bslab_cpu_cache *cc)
{
	if (IS_ENABLED(CONFIG_PROVE_LOCKING) || IS_ENABLED(CONFIG_DEBUG_PREEMPT)) {
		lockdep_assert_preemption_disabled();
		WARN_ON_ONCE(!READ_ONCE(cc->busy));
	}
}

/* An object for a client off the loaded magazine; NULL if it is empty. */
static __always_inline void *cpu_pop(const struct bslab_cache *cp,
				     struct bslab_cpu_cache *cc)
{
	struct bslab_magazine *m = cc->loaded;
	void *obj = NULL;

	cpu_layer_assert(cc);
	if (likely(mag_has_rounds(m))) {
		obj = mag_pop(cp, m);
		cc->ev.alloc_cpu++;
	}
	return obj;
}

/*
 * The free check's half that needs the CPU layer: is @obj the object this
 * CPU freed last (still on top of @m, its loaded magazine)?  Always false
 * with free_check=0.
 */
static __always_inline bool mag_freed_last(const struct bslab_magazine *m,
					   const void *obj)
{
	return static_branch_likely(&bslab_free_check) &&
	       unlikely(mag_top(m) == obj);
}

static __always_inline bool cpu_freed_last(const struct bslab_cpu_cache *cc,
					   const void *obj)
{
	return mag_freed_last(cc->loaded, obj);
}

/*
 * What a run of frees into the magazines stops at, for the single free to
 * sort out: a pointer the free check refuses, the object this CPU freed
 * last, or (NUMA) another node's object, which no magazine may take.
 */
static __always_inline bool cpu_free_stop(const struct bslab_cache *cp,
					  const struct bslab_cpu_cache *cc,
					  const void *obj)
{
	if (!static_branch_likely(&bslab_free_check))
		return slab_obj_remote(cp, obj);
	return !free_check_home(cp, cp->cpu, obj) || mag_top(cc->loaded) == obj;
}

/*
 * Push @obj, which passed the free check, onto the loaded magazine; false
 * if it is full.
 */
static __always_inline bool cpu_push(const struct bslab_cache *cp,
				     struct bslab_cpu_cache *cc, void *obj)
{
	struct bslab_magazine *m = cc->loaded;

	cpu_layer_assert(cc);
	if (likely(mag_has_room(m))) {
		mag_push(cp, m, obj);
		cc->ev.free_cpu++;
		return true;
	}
	return false;
}

/*
 * Up to @n objects for a client into @objs: the loaded magazine, then the
 * previous one if it is full (swapped in); no depot.  Counted as one run.
 * Returns how many.
 */
static __always_inline size_t cpu_pop_many(const struct bslab_cache *cp,
					   struct bslab_cpu_cache *cc,
					   size_t n, void **objs)
{
	size_t got = 0;

	cpu_layer_assert(cc);
	while (got < n) {
		if (!mag_has_rounds(cc->loaded)) {
			if (!mag_has_rounds(cc->prev))
				break;
			cpu_mag_swap(cc);	/* previous was full */
		}
		got += mag_pop_many(cp, cc->loaded, n - got, objs + got);
	}
	cc->ev.alloc_cpu += got;
	return got;
}

/* magazine.c: the CPU layer's slow paths, bulk runs and a cache's part. */
int bslab_cpu_layer_init(struct bslab_cache *cp);
void bslab_cpu_layer_drain(struct bslab_cache *cp);
void bslab_cpu_layer_destroy(struct bslab_cache *cp);
void *bslab_cpu_alloc_slow(struct bslab_cache *cp, struct bslab_cpu_cache *cc);
void *bslab_cpu_fill(struct bslab_cache *cp, gfp_t gfp, int nid);
bool bslab_depot_add_empty(struct bslab_cache *cp);
bool bslab_cpu_free_remote(struct bslab_cache *cp, void *obj);
unsigned int bslab_depot_to_slabs(struct bslab_cache *cp, int nid);
bool bslab_cpu_free_slow(struct bslab_cache *cp, struct bslab_cpu_cache *cc,
			 void *obj);
size_t bslab_cpu_take(struct bslab_cache *cp, size_t n, void **objs);
size_t bslab_cpu_put(struct bslab_cache *cp, size_t n, void **objs);

#endif /* _BSLAB_MAGAZINE_H */
