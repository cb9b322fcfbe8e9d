// SPDX-License-Identifier: GPL-2.0
/*
 * bslab debugging: how bugs are reported (a refused free diagnosed and
 * worded here too), how a cache is switched into the debug path, its modes
 * and the debug= parameter.  The files that switch them are debugfs.c's.
 *
 * Reports: every bug bslab finds in a caller's use of memory (an invalid or
 * double free, a write after free, an overwritten redzone) goes through
 * bslab_bug(), in one form, "bslab: BUG <cache>: <what>" and the stack that
 * found it, rate-limited, tainting the kernel; each kind has its counter
 * (free_invalid, write_after_free, redzone_damaged).  For an audited cache
 * the report goes on with where the object was last allocated and freed
 * (audit.c).
 *
 * Modes: poison, redzone (set at create) and failslab, below; audit in
 * audit.c.  verify.c checks a cache's consistency on request.
 *
 * The debug path.  A cache with any bit of cache->debug set does not use
 * its CPU layer: its slow paths never load a magazine, so once its
 * magazines are drained every allocation and free of it is a slow-path
 * call that goes to the slab layer, where the debug checks live.  The fast
 * paths are not touched, so a kernel with no debugged cache pays nothing
 * for any of this (SLUB does the same: a cache with debugging on always
 * takes its slow path).
 *
 * Switching a live cache on (bslab_debug_set()): the bit is set, then an RCU
 * grace period passes, so that every slow path that looked at cache->debug
 * before it was set (they run with preemption off) has finished and any
 * magazine it loaded is in place; then every CPU's magazines and the depot
 * are drained.  After that no magazine of the cache holds a round and none
 * is loaded again while a bit is set.  Switching the last bit off needs
 * nothing: the slow paths start loading magazines again.  Objects allocated
 * before a switch are freed like any other.  The slow paths and the slab
 * layer read cache->debug only behind the bslab_debugging static key (on
 * while any cache has a bit; see debug_modes()), which is switched off a
 * second after the last bit goes, so that switching in a loop does not
 * patch code each time.
 *
 * Fault injection uses the kernel's framework (lib/fault-inject.c): one set
 * of attributes for all of bslab in /sys/kernel/debug/bslab/failslab/
 * (probability, interval, times, space, verbose, task-filter, ...), applied
 * to the caches that opted in (BSLAB_FAILSLAB at create, or writing 1 to
 * /sys/kernel/debug/bslab/<cache>/failslab), the way failslab's
 * cache-filter works for SLUB.  A failure is injected before anything is
 * taken from a magazine or a slab, so nothing is constructed and lost; it
 * is counted in alloc_fail and fail_injected.  A bulk allocation asks once.
 *
 * Locking: bslab_debug_mutex serializes the switches; it is taken before
 * cpu_hotplug_lock (the drain takes it) and never under any other bslab
 * lock.  The debugfs writer that calls bslab_debug_set() runs with the
 * cache alive (debugfs removal waits for it), and takes no other mutex.
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/fs.h>
#include <linux/glob.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/stacktrace.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

#include "debug.h"
#include "depot.h"
#include "reap.h"
#include "audit.h"

static DEFINE_MUTEX(bslab_debug_mutex);
/*
 * Switched off a second after the last debugged cache goes: a cache whose
 * modes are switched on and off in a loop does not patch the kernel's code
 * each time (the key's users are only in the slow paths).
 */
DEFINE_STATIC_KEY_DEFERRED_FALSE(bslab_debugging, HZ);

/* The stack of the caller, @skip frames up, as report detail. */
static noinline void print_stack(unsigned int skip)
{
#ifdef CONFIG_STACKTRACE
	unsigned long entries[16];
	unsigned int n;

	n = stack_trace_save(entries, ARRAY_SIZE(entries), skip + 1);
	stack_trace_print(entries, n, 1);
#endif
}

/* The fault-injection attributes; tests set them directly. */
BSLAB_FAULT_ATTR(bslab_failslab);
BSLAB_EXPORT_INTERNAL(bslab_failslab);

/*
 * Reports: at most 100 every 5 seconds (the printk default of 10 would drop
 * reports of one bug burst; SLUB does not limit its reports at all).
 */
static DEFINE_RATELIMIT_STATE(bslab_bug_rs, 5 * HZ, 100);

/*
 * Reports a test provokes on purpose are counted by the test, inside it, as
 * lib/slub_kunit.c counts SLUB's: while a test has set a sink, a report made
 * by the sink's task (in its own context or in an interrupt of it), or by
 * any task if the sink says so, is counted there, printed without the
 * "bslab: BUG" a log judge fails on, and taints nothing.  Every other
 * report is a bug found.
 */
static struct bslab_report_sink __rcu *report_sink;

static bool report_counted(void)
{
	struct bslab_report_sink *sink;
	bool counted = false;

	rcu_read_lock();
	sink = rcu_dereference(report_sink);
	if (sink && (READ_ONCE(sink->any_task) || sink->task == current)) {
		atomic_inc(&sink->reports);
		counted = true;
	}
	rcu_read_unlock();
	return counted;
}

/**
 * bslab_report_sink_set() - count reports in a test instead of reporting them
 * @sink: where to count the reports @sink->task (or any task) makes;
 *	NULL: stop
 *
 * For bslab's KUnit tests.  One sink at a time; setting NULL waits until no
 * report looks at the old one, so its memory may be freed after.
 *
 * Return: 0, or -EBUSY if another sink is set.
 */
int bslab_report_sink_set(struct bslab_report_sink *sink)
{
	static DEFINE_MUTEX(sink_mutex);
	int err = 0;

	mutex_lock(&sink_mutex);
	if (sink && rcu_access_pointer(report_sink))
		err = -EBUSY;
	else
		rcu_assign_pointer(report_sink, sink);
	mutex_unlock(&sink_mutex);
	if (!sink)
		synchronize_rcu();
	return err;
}

BSLAB_EXPORT_INTERNAL(bslab_report_sink_set);

/**
 * bslab_bug() - report a bug a caller made with a cache's memory
 * @cp: the cache
 * @fmt: what is wrong, printf-style
 *
 * Every report has one form: a line "bslab: BUG <cache>: <what>", then the
 * stack of the call that found it.  The kernel is tainted 'B' (bad page) as
 * SLUB does, but lockdep stays on: bslab never reuses the memory in
 * question, so its own state is sound.  The caller counts the report in
 * the counter of its kind.
 *
 * A report a test counts (see bslab_report_sink_set()) is printed as
 * "bslab: counted by a test: BUG <cache>: <what>" and taints nothing.
 *
 * Return: true if the report was printed (not rate-limited); details a
 * caller adds are printed only then.
 */
bool bslab_bug(struct bslab_cache *cp, const char *fmt, ...)
{
	bool counted = report_counted();
	struct va_format vaf;
	va_list args;

	if (!counted)
		add_taint(TAINT_BAD_PAGE, LOCKDEP_STILL_OK);
	if (!__ratelimit(&bslab_bug_rs))
		return false;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (counted)
		pr_info("bslab: counted by a test: BUG %s: %pV\n", cp->name, &vaf);
	else
		pr_err("bslab: BUG %s: %pV\n", cp->name, &vaf);
	va_end(args);
	print_stack(1);
	return true;
}

/* ---- refused frees: why, in words ---- */

/* A cache on bslab's list, found by address (NULL: not a live cache). */
static struct bslab_cache *live_cache(const struct bslab_cache *addr)
{
	struct bslab_cache *cp, *found = NULL;

	if (!addr)
		return NULL;
	rcu_read_lock();
	list_for_each_entry_rcu(cp, &bslab_caches, caches) {
		if (cp == addr) {
			found = cp;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * bslab_owner_of() - the live cache whose slab holds @obj, if any
 * @obj: any pointer
 *
 * Tries each slab size, since the first page of a slab of another cache
 * is found with that cache's mask.  Reads only struct pages of the direct
 * map and compares the owner word with the caches on bslab's list.
 *
 * Context: any.
 * Return: the cache, or NULL.
 */
struct bslab_cache *bslab_owner_of(const void *obj)
{
	struct bslab_cache *other;
	unsigned int order;
	unsigned long base;

	for (order = 0; order <= BSLAB_MAX_ORDER; order++) {
		base = (unsigned long)obj & ~((PAGE_SIZE << order) - 1);
		if (!virt_addr_valid((void *)base))
			continue;
		other = live_cache(slab_page_owner(virt_to_page((void *)base)));
		if (other && other->order == order)
			return other;
	}
	return NULL;
}

/**
 * bslab_free_diagnose() - why a free of @obj into @cp is wrong
 * @cp: the cache the free was for
 * @obj: a pointer that failed the free check
 *
 * Return: the reason (an object that passes every test but is refused is
 * taken to be free already).
 */
enum bslab_bad_free bslab_free_diagnose(struct bslab_cache *cp,
					const void *obj)
{
	return bslab_slab_locate(cp, obj) ?: BSLAB_FREE_DOUBLE;
}

static const char *const bad_free_reasons[] = {
	[BSLAB_FREE_NOT_MAPPED] = "not in the direct map (a stack, vmalloc or module address?)",
	[BSLAB_FREE_NOT_SLAB] = "not memory of a bslab slab (kmalloc, page or static memory?)",
	[BSLAB_FREE_INTERIOR] = "not the start of an object",
	[BSLAB_FREE_NEVER_ALLOCATED] = "the object was never allocated",
	[BSLAB_FREE_DOUBLE] = "the object is already free (double free)",
};

/**
 * bslab_report_free() - report a refused free
 * @cp: the cache the free was for
 * @obj: the pointer
 * @why: what is wrong with it
 *
 * Through bslab_bug(): "bslab: BUG <name>: invalid free of <ptr>: <why>",
 * then the stack of the free.
 */
void bslab_report_free(struct bslab_cache *cp, const void *obj,
		       enum bslab_bad_free why)
{
	const struct bslab_cache *other;

	/* the slab layer says only "not in my slabs": whose, then? */
	if (why == BSLAB_FREE_NOT_SLAB && !virt_addr_valid(obj))
		why = BSLAB_FREE_NOT_MAPPED;
	other = why == BSLAB_FREE_NOT_SLAB ? bslab_owner_of(obj) : NULL;
	if (other) {
		bslab_bug(cp, "invalid free of %p: it belongs to cache %s", obj,
			  other->name);
		return;
	}
	if (bslab_bug(cp, "invalid free of %p: %s", obj, bad_free_reasons[why]) &&
	    why == BSLAB_FREE_DOUBLE)
		bslab_audit_report(cp, obj);
}

/**
 * bslab_free_invalid() - count and report a free refused before the slab layer
 * @cp: the cache
 * @obj: the pointer, which is not reused
 * @why: what is wrong with it
 */
void bslab_free_invalid(struct bslab_cache *cp, const void *obj,
			enum bslab_bad_free why)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&cp->lock, flags);
	cp->ev.free_invalid++;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	bslab_report_free(cp, obj, why);
}

/* ---- switching ---- */

/**
 * debug_check_modes() - may a cache have these debug modes?
 * @name: the cache's name, for the message
 * @modes: BSLAB_DBG_* modes wanted
 * @flags: the cache's BSLAB_* flags
 * @ctor: its constructor, or NULL
 * @dtor: its destructor, or NULL
 * @live: switched on a live cache (else at create)
 *
 * Poison writes into free objects.  BSLAB_NOTOUCH forbids that.  A cache
 * with a constructor gets poison only at create: its free objects lose
 * their constructed state and each is constructed again as it is handed
 * out (illumos does the same); switched off on a live cache, objects
 * poisoned meanwhile would be handed out unconstructed.  A cache with a
 * destructor cannot have it at all: an object would have to be destructed
 * when freed, and frees come from any context while destructors run only
 * in process context.  Audit needs the kernel's stack depot.
 *
 * Return: 0 or -EINVAL, with a message naming the cache.
 */
static int debug_check_modes(const char *name, unsigned int modes,
			     unsigned int flags, const void *ctor,
			     const void *dtor, bool live)
{
	if ((modes & BSLAB_DBG_AUDIT) && !IS_ENABLED(CONFIG_STACKDEPOT)) {
		pr_err("bslab: cache %s: audit needs a kernel with CONFIG_STACKDEPOT\n",
		       name);
		return -EINVAL;
	}
	if (!(modes & BSLAB_DBG_POISON))
		return 0;
	if (flags & BSLAB_NOTOUCH) {
		pr_err("bslab: cache %s: poison would write into free objects, which BSLAB_NOTOUCH forbids\n",
		       name);
		return -EINVAL;
	}
	if (dtor) {
		pr_err("bslab: cache %s: poison would destroy the state its destructor expects (objects would be destructed at every free, from any context; destructors run only in process context)\n",
		       name);
		return -EINVAL;
	}
	if (ctor && live) {
		pr_err("bslab: cache %s: poison on a cache with a constructor is chosen at create (BSLAB_DEBUG_POISON, or debug=P before): objects poisoned while it is on would be handed out unconstructed after\n",
		       name);
		return -EINVAL;
	}
	return 0;
}

/* Write cache->debug where the slab layer reads it: under its lock. */
static void set_debug_bits(struct bslab_cache *cp, unsigned int debug)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&cp->lock, flags);
	WRITE_ONCE(cp->debug, debug);
	raw_spin_unlock_irqrestore(&cp->lock, flags);
}

/**
 * bslab_debug_set() - switch debug modes of a cache on and off
 * @cp: the cache, live
 * @set: BSLAB_DBG_* modes to switch on
 * @clear: BSLAB_DBG_* modes to switch off
 *
 * Context: process context, may sleep; no bslab lock held.
 * Return: 0, or -EINVAL if the cache cannot have a mode asked for.
 */
int bslab_debug_set(struct bslab_cache *cp, unsigned int set,
		    unsigned int clear)
{
	unsigned int old, new;
	int err;

	might_sleep();
	if ((set | clear) & BSLAB_DBG_REDZONE) {
		pr_err("bslab: cache %s: redzone changes where objects lie in a slab: it is set when the cache is created (BSLAB_DEBUG_REDZONE, or debug=Z before), not on a live cache\n",
		       cp->name);
		return -EINVAL;
	}
	/* switching poison off a constructed cache is as impossible as on */
	err = debug_check_modes(cp->name, (set & ~clear) |
				(clear & cp->debug & BSLAB_DBG_POISON),
				cp->flags, cp->ctor, cp->dtor, true);
	if (err)
		return err;
	mutex_lock(&bslab_debug_mutex);
	old = cp->debug;
	new = (old | set) & ~clear;
	if (!(new & BSLAB_DBG_POISON))
		new &= ~BSLAB_DBG_POISON_CHECK;
	/* the audit table is there whenever the bit is: see audit.c */
	if ((new & ~old & BSLAB_DBG_AUDIT) && bslab_audit_start(cp)) {
		mutex_unlock(&bslab_debug_mutex);
		return -ENOMEM;
	}
	if (!old && new)		/* before the bits: see debug_modes() */
		static_branch_deferred_inc(&bslab_debugging);
	set_debug_bits(cp, new);
	if (old && !new)
		static_branch_slow_dec_deferred(&bslab_debugging);
	if (old & ~new & BSLAB_DBG_AUDIT)
		bslab_audit_stop(cp);
	if (!old && new) {
		/* slow paths that saw no debug bit have left: drain */
		synchronize_rcu();
		bslab_cpu_drain_all(cp);
		bslab_reap_now(cp, BSLAB_REAP_ALL);
	}
	if ((new & BSLAB_DBG_POISON) && !(old & BSLAB_DBG_POISON))
		bslab_slab_poison_all(cp);
	mutex_unlock(&bslab_debug_mutex);
	return 0;
}

/**
 * bslab_debug_destroy() - a cache's debug part, at its destroy
 * @cp: the cache, with or without debug modes
 *
 * Its audit records, if any, are freed.
 *
 * Context: process context; the cache is unreachable.
 */
void bslab_debug_destroy(struct bslab_cache *cp)
{
	if (cp->debug)
		static_branch_slow_dec_deferred(&bslab_debugging);
	cp->debug = 0;
	bslab_audit_stop(cp);
}

/* ---- poison ---- */

/*
 * Free objects hold POISON_FREED, objects never handed out POISON_NEW (and
 * so does an object just allocated, until its user writes it), Solaris'
 * 0xdeadbeef and 0xbaddcafe, as bytes in memory order.  A small cache's
 * free-list word, when it lives inside the object, is left alone.
 */
#define POISON_FREED	0xdeadbeefU
#define POISON_NEW	0xbaddcafeU

static u8 pattern_byte(u32 pattern, size_t i)
{
	return pattern >> (8 * (i & 3));
}

/* The free-list word inside a small cache's free object: [*lo, *hi). */
static void link_word(const struct bslab_cache *cp, size_t *lo, size_t *hi)
{
	*lo = *hi = 0;
	if (!cp->large && cp->link < cp->size) {
		*lo = cp->link;
		*hi = cp->link + sizeof(void *);
	}
}

static void fill(u8 *obj, size_t size, u32 pattern, size_t lo, size_t hi)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (i < lo || i >= hi)
			obj[i] = pattern_byte(pattern, i);
}

/* The first byte of @obj that does not hold @pattern; size if none. */
static size_t mismatch(const u8 *obj, size_t size, u32 pattern, size_t lo,
		       size_t hi)
{
	size_t i;

	for (i = 0; i < size; i++)
		if ((i < lo || i >= hi) && obj[i] != pattern_byte(pattern, i))
			return i;
	return size;
}

/**
 * bslab_poison_free() - fill a free object with its pattern
 * @cp: a poisoned cache
 * @obj: the object, free or being freed
 * @fresh: never handed out (POISON_NEW) rather than freed (POISON_FREED)
 */
void bslab_poison_free(struct bslab_cache *cp, void *obj, bool fresh)
{
	size_t lo, hi;

	link_word(cp, &lo, &hi);
	fill(obj, cp->size, fresh ? POISON_NEW : POISON_FREED, lo, hi);
}

/**
 * bslab_poison_damage() - where a free object's poison is damaged
 * @cp: a poisoned cache
 * @obj: a free object, poisoned
 * @want: set to the byte that should be there, if one is damaged
 *
 * A free object holds POISON_FREED, or POISON_NEW if it was never handed
 * out (either is accepted: the pattern that holds longest is taken to be
 * the one written).
 *
 * Return: the offset of the first damaged byte, or the object's size.
 */
size_t bslab_poison_damage(const struct bslab_cache *cp, const void *obj,
			   u8 *want)
{
	size_t lo, hi, freed, fresh, at;

	link_word(cp, &lo, &hi);
	freed = mismatch(obj, cp->size, POISON_FREED, lo, hi);
	if (freed == cp->size)
		return freed;
	fresh = mismatch(obj, cp->size, POISON_NEW, lo, hi);
	if (fresh == cp->size)
		return fresh;
	/* the pattern that held longer is the one that was there */
	at = max(freed, fresh);
	*want = pattern_byte(at == freed ? POISON_FREED : POISON_NEW, at);
	return at;
}

/**
 * bslab_poison_check() - check an object being handed out
 * @cp: a poisoned cache
 * @obj: the object, just taken from a slab
 *
 * A free object must hold POISON_FREED, or POISON_NEW if it was never
 * handed out.  A byte that holds neither was written after the object was
 * freed: reported (the offset, and the bytes around it), counted in
 * write_after_free.  The object is handed out either way, filled with
 * POISON_NEW, so its user never sees stale data or a free-list word.
 */
void bslab_poison_check(struct bslab_cache *cp, void *obj)
{
	unsigned long flags;
	char prefix[32];
	size_t at, row, n;
	u8 *p = obj;
	u8 bytes[32];
	u8 want;

	at = bslab_poison_damage(cp, obj, &want);
	if (at < cp->size) {
		raw_spin_lock_irqsave(&cp->lock, flags);
		cp->ev.write_after_free++;
		raw_spin_unlock_irqrestore(&cp->lock, flags);
		if (!bslab_bug(cp,
			       "write after free: object %p, byte %zu of %zu is %#04x, not %#04x",
			       obj, at, cp->size, p[at], want))
			goto out;
		/* the bytes from the row of the first bad one, by object offset */
		row = at & ~15UL;
		n = min_t(size_t, sizeof(bytes), cp->size - row);
		/* copied here, where KASAN does not look: the object is free */
		memcpy(bytes, p + row, n);
		snprintf(prefix, sizeof(prefix), "bslab:   %zu+", row);
		print_hex_dump(KERN_ERR, prefix, DUMP_PREFIX_OFFSET, 16, 1,
			       bytes, n, false);
		bslab_audit_report(cp, obj);
	}
out:
	fill(obj, cp->size, POISON_NEW, 0, 0);
}

/* ---- redzone ---- */

/*
 * The guard after each object of a REDZONE cache holds Solaris'
 * 0xfeedface (bytes by their offset in the chunk, as the poison patterns).
 * It is written when the slab is made and checked on every free (every
 * free of a debugged cache reaches the slab layer) and by verify.  Redzone
 * changes where objects lie, so it is chosen when the cache is created.
 */
#define REDZONE_PATTERN	0xfeedfaceU

/**
 * bslab_redzone_fill() - write an object's guard bytes
 * @cp: a REDZONE cache
 * @obj: the object
 */
void bslab_redzone_fill(const struct bslab_cache *cp, void *obj)
{
	u8 *rz = (u8 *)obj + cp->redzone;
	size_t i;

	for (i = 0; i < cp->redzone_len; i++)
		rz[i] = pattern_byte(REDZONE_PATTERN, cp->redzone + i);
}

/**
 * bslab_redzone_damage() - the first damaged guard byte of an object
 * @cp: a REDZONE cache
 * @obj: the object
 * @want: set to what that byte should hold
 *
 * Return: its offset in the guard, or @cp->redzone_len if intact.
 */
size_t bslab_redzone_damage(const struct bslab_cache *cp, const void *obj,
			    u8 *want)
{
	const u8 *rz = (const u8 *)obj + cp->redzone;
	size_t i;

	for (i = 0; i < cp->redzone_len; i++) {
		*want = pattern_byte(REDZONE_PATTERN, cp->redzone + i);
		if (rz[i] != *want)
			return i;
	}
	return i;
}

/**
 * bslab_redzone_report() - report an overwritten guard
 * @cp: the cache
 * @obj: the object being freed
 * @at: offset of the first damaged byte in the guard
 * @found: what it held
 * @want: what it should have held
 */
void bslab_redzone_report(struct bslab_cache *cp, const void *obj, size_t at,
			  u8 found, u8 want)
{
	if (bslab_bug(cp,
		      "redzone overwritten: object %p, byte %zu (%zu past its end) is %#04x, not %#04x",
		      obj, cp->redzone + at, cp->redzone + at - cp->size, found,
		      want))
		bslab_audit_report(cp, obj);
}

/**
 * bslab_debug_alloc_fails() - should this allocation fail, by injection?
 * @cp: a cache with a debug bit set
 * @gfp: the allocation's flags (__GFP_NOFAIL ones never fail)
 *
 * Return: true if the caller must fail the allocation (it is counted).
 */
bool bslab_debug_alloc_fails(struct bslab_cache *cp, gfp_t gfp)
{
	unsigned long flags;

	if (!(READ_ONCE(cp->debug) & BSLAB_DBG_FAILSLAB) ||
	    (gfp & __GFP_NOFAIL) || !bslab_should_fail(&bslab_failslab, cp->size))
		return false;
	raw_spin_lock_irqsave(&cp->lock, flags);
	cp->ev.alloc_fail++;
	cp->ev.fail_injected++;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	return true;
}

/* ---- the debug= parameter ---- */

/*
 * debug=<modes>[,<cache>...][;<modes>[,<cache>...]...], as slub_debug=:
 * mode letters P (poison), U (audit, "user tracking" in slub_debug), Z
 * (redzone) and A (failslab); cache names may use shell
 * wildcards (glob_match(), on kernels with CONFIG_GLOB); no name means every
 * cache.  Checked when
 * written, applied to each cache created afterwards (the size classes at
 * load included).
 */
static char debug_param[256];

static unsigned int letter_modes(const char *s, size_t n, bool *bad)
{
	unsigned int modes = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case 'P':
			modes |= BSLAB_DBG_POISON;
			break;
		case 'A':
			modes |= BSLAB_DBG_FAILSLAB;
			break;
		case 'U':
			modes |= BSLAB_DBG_AUDIT;
			break;
		case 'Z':
			modes |= BSLAB_DBG_REDZONE;
			break;
		case '-':
			break;
		default:
			*bad = true;
		}
	}
	return modes;
}

/* The first @c in [@s, @end), or @end. */
static const char *find_char(const char *s, const char *end, char c)
{
	const char *hit = memchr(s, c, end - s);

	return hit ?: end;
}

/*
 * Shell wildcards where the kernel has them (CONFIG_GLOB; Debian's kernels
 * do), else the exact name.
 */
static bool name_matches(const char *pat, const char *name)
{
	if (IS_ENABLED(CONFIG_GLOB))
		return glob_match(pat, name);
	return !strcmp(pat, name);
}

/* The modes debug= gives @name (with @name NULL: only check the syntax). */
static unsigned int param_modes(const char *param, const char *name,
				bool *bad)
{
	char pat[BSLAB_NAME_MAX + 2];
	unsigned int modes = 0, these;
	const char *g, *end, *p, *q;
	bool named, match;

	for (g = param; *g; g = *end ? end + 1 : end) {
		end = strchrnul(g, ';');
		p = find_char(g, end, ',');
		these = letter_modes(g, p - g, bad);
		named = false;
		match = false;
		while (p < end) {
			p++;
			q = find_char(p, end, ',');
			if (q - p > BSLAB_NAME_MAX || q == p) {
				*bad = true;
			} else {
				strscpy(pat, p, q - p + 1);
				named = true;
				match |= name && name_matches(pat, name);
			}
			p = q;
		}
		if (!named || match)
			modes |= these;
	}
	return modes;
}

static int debug_param_set(const char *val, const struct kernel_param *kp)
{
	char buf[sizeof(debug_param)];
	bool bad = false;

	if (strscpy(buf, val, sizeof(buf)) < 0) {
		pr_err("bslab: debug=: longer than %zu characters\n",
		       sizeof(buf) - 1);
		return -EINVAL;
	}
	strim(buf);
	param_modes(buf, NULL, &bad);
	if (bad) {
		pr_err("bslab: debug=%s: want <P|U|Z|A...>[,<cache>...][;...]\n", buf);
		return -EINVAL;
	}
	mutex_lock(&bslab_debug_mutex);
	strscpy(debug_param, buf, sizeof(debug_param));
	mutex_unlock(&bslab_debug_mutex);
	return 0;
}

static const struct kernel_param_ops debug_param_ops = {
	.set = debug_param_set,
	.get = param_get_string,
};

static struct kparam_string debug_param_str = {
	.maxlen = sizeof(debug_param),
	.string = debug_param,
};

module_param_cb(debug, &debug_param_ops, &debug_param_str, 0644);
MODULE_PARM_DESC(debug,
		 "debug modes for caches created from now on, as slub_debug=: <P(oison)|U(audit)|Z(redzone)|A(failslab)...>[,<cache glob>...][;...]");

/**
 * bslab_debug_at_create() - the debug modes a new cache starts with
 * @name: its name
 * @flags: its BSLAB_* flags
 * @ctor: its constructor, or NULL
 * @dtor: its destructor, or NULL
 *
 * The modes its flags ask for, and those the debug= parameter gives its
 * name.  A mode the cache cannot have is an error if its flags ask for it;
 * if only debug= does, it is left out with a message.
 *
 * Return: BSLAB_DBG_* bits, or a negative errno.
 */
int bslab_debug_at_create(const char *name, unsigned int flags,
			  const void *ctor, const void *dtor)
{
	unsigned int asked = 0, given;
	bool bad = false;
	int err;

	if (flags & BSLAB_FAILSLAB)
		asked |= BSLAB_DBG_FAILSLAB;
	if (flags & BSLAB_DEBUG_POISON)
		asked |= BSLAB_DBG_POISON;
	if (flags & BSLAB_DEBUG_AUDIT)
		asked |= BSLAB_DBG_AUDIT;
	if (flags & BSLAB_DEBUG_REDZONE)
		asked |= BSLAB_DBG_REDZONE;
	err = debug_check_modes(name, asked, flags, ctor, dtor, false);
	if (err)
		return err;
	mutex_lock(&bslab_debug_mutex);
	given = param_modes(debug_param, name, &bad) & ~asked;
	mutex_unlock(&bslab_debug_mutex);
	if (debug_check_modes(name, given & BSLAB_DBG_POISON, flags, ctor,
			      dtor, false))
		given &= ~BSLAB_DBG_POISON;
	if (debug_check_modes(name, given & BSLAB_DBG_AUDIT, flags, ctor,
			      dtor, false))
		given &= ~BSLAB_DBG_AUDIT;
	asked |= given;
	/* no object exists yet: every one will be poisoned */
	if (asked & BSLAB_DBG_POISON)
		asked |= BSLAB_DBG_POISON_CHECK;
	return asked;
}

/**
 * bslab_debug_exit() - at unload, after every cache is gone
 *
 * The static key's switch-off may still be pending: it runs now, before
 * the module's code and the key go.
 */
void bslab_debug_exit(void)
{
	static_key_deferred_flush(&bslab_debugging);
}
