/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debugging (debug.c): the modes a cache can have, poison and redzones,
 * the report of a bug in a client, and the diagnosis of a refused free.
 */
#ifndef _BSLAB_DEBUG_H
#define _BSLAB_DEBUG_H

#include "slab.h"

#define BSLAB_DBG_FAILSLAB	0x01	/* allocations may fail by injection */
#define BSLAB_DBG_POISON	0x02	/* free objects are filled with a pattern */
#define BSLAB_DBG_POISON_CHECK	0x04	/* ... all of them: allocations check it */
#define BSLAB_DBG_AUDIT		0x08	/* allocations and frees are recorded */
#define BSLAB_DBG_REDZONE	0x10	/* guard bytes after objects (at create) */
/* The modes a live cache can switch; redzone changes the layout. */
#define BSLAB_DBG_LIVE		(BSLAB_DBG_FAILSLAB | BSLAB_DBG_POISON | \
				 BSLAB_DBG_AUDIT)
#define BSLAB_DBG_MODES		(BSLAB_DBG_LIVE | BSLAB_DBG_REDZONE)
/* Guard bytes at least, after each object of a REDZONE cache. */
#define BSLAB_REDZONE_MIN	8

extern struct bslab_fault_attr bslab_failslab;
/* On while any cache has a debug mode: see debug_modes(). */
extern struct static_key_false_deferred bslab_debugging;

/*
 * The debug modes of @cp.  While no cache has any, this is a no-op and 0,
 * so the slow paths and the slab layer pay nothing for debugging.
 */
static __always_inline unsigned int debug_modes(const struct bslab_cache *cp)
{
	if (!static_branch_unlikely(&bslab_debugging.key))
		return 0;
	return READ_ONCE(cp->debug);
}

/*
 * Caches whose objects init_on_alloc and init_on_free leave alone, as SLUB
 * leaves those with a constructor, SLAB_TYPESAFE_BY_RCU or SLAB_POISON:
 * a constructor's state, BSLAB_NOTOUCH's promise that a free object's
 * bytes stay as the client left them, poisoning's own patterns (which
 * erase a freed object's data and mark a new one's), and bslab's metadata.
 * The debug bits are read directly, not behind debug_modes()'s static
 * key: with init_on_free this runs on every free, and a jump on that path
 * patched while a debug mode is switched on or off under way is what one
 * 7.2 run under QEMU's MTTCG died of ("Oops: int3" at this test; see
 * the issue 21 notes).  The key only saves the load where no cache is
 * debugged; the bits are set after the key is raised and cleared before
 * it drops, so the answer is the same.
 */
static inline bool bslab_init_exempt(const struct bslab_cache *cp)
{
	return READ_ONCE(cp->init_exempt) ||
	       (READ_ONCE(cp->debug) & BSLAB_DBG_POISON);
}

/*
 * What bslab_init_exempt() reads in one load: the exemptions create fixes.
 * Called where they are set or change (create, an internal cache marked
 * metadata before it has objects, the constructor cleared when its module
 * goes away), so that the test on every allocation with init_on_alloc=1
 * is two loads, not four.
 */
static inline void bslab_init_exempt_update(struct bslab_cache *cp)
{
	bool exempt = READ_ONCE(cp->ctor) || cp->metadata ||
		      (cp->flags & BSLAB_NOTOUCH);

	WRITE_ONCE(cp->init_exempt, exempt);
}

void bslab_debug_destroy(struct bslab_cache *cp);

int bslab_debug_set(struct bslab_cache *cp, unsigned int set,
		    unsigned int clear);
int bslab_debug_at_create(const char *name, unsigned int flags,
			  const void *ctor, const void *dtor);
void bslab_poison_free(struct bslab_cache *cp, void *obj, bool fresh);
void bslab_poison_check(struct bslab_cache *cp, void *obj);
size_t bslab_poison_damage(const struct bslab_cache *cp, const void *obj,
			   u8 *want);
void bslab_redzone_fill(const struct bslab_cache *cp, void *obj);
size_t bslab_redzone_damage(const struct bslab_cache *cp, const void *obj,
			    u8 *want);
void bslab_redzone_report(struct bslab_cache *cp, const void *obj, size_t at,
			  u8 found, u8 want);
void bslab_slab_poison_all(struct bslab_cache *cp);
bool bslab_debug_alloc_fails(struct bslab_cache *cp, gfp_t gfp);
__printf(2, 3) bool bslab_bug(struct bslab_cache *cp, const char *fmt, ...);
struct bslab_cache *bslab_owner_of(const void *obj);

/**
 * struct bslab_report_sink - where a test counts the reports it provokes
 * @task: the task whose reports are counted
 * @any_task: count every task's reports, not only @task's
 * @reports: how many were counted
 */
struct bslab_report_sink {
	struct task_struct *task;
	bool any_task;
	atomic_t reports;
};

int bslab_report_sink_set(struct bslab_report_sink *sink);
void bslab_debug_exit(void);

enum bslab_bad_free bslab_free_diagnose(struct bslab_cache *cp,
					const void *obj);
void bslab_report_free(struct bslab_cache *cp, const void *obj,
		       enum bslab_bad_free why);
void bslab_free_invalid(struct bslab_cache *cp, const void *obj,
			enum bslab_bad_free why);

#endif /* _BSLAB_DEBUG_H */
