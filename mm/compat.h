/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bslab compatibility: every kernel interface whose form differs between the
 * kernel versions bslab builds against (6.1, Debian bookworm's; 6.12; 7.2,
 * the newest) is wrapped here, so the rest of the code has one spelling.
 */
#ifndef _BSLAB_COMPAT_H
#define _BSLAB_COMPAT_H

#include <linux/version.h>
#include <linux/export.h>
#include <linux/module.h>
/* 6.1's <linux/shrinker.h> uses atomic_long_t without including it */
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/shrinker.h>
#include <linux/stackdepot.h>

/*
 * Symbols exported only for bslab's own test module live in a namespace.
 * Up to 6.12 the namespace is a bare identifier; from 6.13 on a string.
 */
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
#define BSLAB_EXPORT_INTERNAL(sym)	EXPORT_SYMBOL_NS_GPL(sym, "BSLAB_INTERNAL")
#define BSLAB_IMPORT_INTERNAL()		MODULE_IMPORT_NS("BSLAB_INTERNAL")
#else
#define BSLAB_EXPORT_INTERNAL(sym)	EXPORT_SYMBOL_NS_GPL(sym, BSLAB_INTERNAL)
#define BSLAB_IMPORT_INTERNAL()		MODULE_IMPORT_NS(BSLAB_INTERNAL)
#endif

/*
 * The shrinker: 6.7 and later allocate it (shrinker_alloc) and free it
 * (shrinker_free); earlier kernels register a caller-owned struct
 * (register_shrinker) and take it back with unregister_shrinker.
 */
static inline struct shrinker *
bslab_shrinker_create(const char *name,
		      unsigned long (*count)(struct shrinker *,
					     struct shrink_control *),
		      unsigned long (*scan)(struct shrinker *,
					    struct shrink_control *))
{
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
	struct shrinker *s = shrinker_alloc(0, "%s", name);
#else
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);
#endif

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
	shrinker_register(s);
#else
	if (register_shrinker(s, "%s", name)) {
		kfree(s);
		return NULL;
	}
#endif
	return s;
}

static inline void bslab_shrinker_destroy(struct shrinker *s)
{
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
	shrinker_free(s);
#else
	unregister_shrinker(s);
	kfree(s);
#endif
}

/*
 * Save a stack in the stack depot without sleeping; may the depot take
 * pages for it (@can_alloc)?  6.8 turned the can_alloc argument of
 * __stack_depot_save() into a flag of stack_depot_save_flags().  Kernels
 * without CONFIG_STACKDEPOT keep no stacks (handle 0).
 */
static inline depot_stack_handle_t
bslab_stack_save(unsigned long *entries, unsigned int n, bool can_alloc)
{
#if !IS_ENABLED(CONFIG_STACKDEPOT)
	return 0;
#elif KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE
	return stack_depot_save_flags(entries, n, GFP_NOWAIT | __GFP_NOWARN,
				      can_alloc ? STACK_DEPOT_FLAG_CAN_ALLOC : 0);
#elif KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
	return __stack_depot_save(entries, n, GFP_NOWAIT | __GFP_NOWARN,
				  can_alloc);
#else
	return __stack_depot_save(entries, n, 0, GFP_NOWAIT | __GFP_NOWARN,
				  can_alloc);
#endif
}

/*
 * KASAN's shadow, written the way mm/kasan/ writes it for slab objects.
 * kasan_poison() is exported (for KASAN's own test module) but declared
 * only in mm/kasan/kasan.h; the shadow values are generic KASAN's.
 */
#define BSLAB_KASAN_FREE	0xFB	/* KASAN_SLAB_FREE */
#define BSLAB_KASAN_REDZONE	0xFC	/* KASAN_SLAB_REDZONE */
#ifdef CONFIG_KASAN_GENERIC
#include <linux/kasan.h>
void kasan_poison(const void *addr, size_t size, u8 value, bool init);
#define BSLAB_KASAN_GRANULE	BIT(KASAN_SHADOW_SCALE_SHIFT)
#endif

/*
 * Filling a string field in a tracepoint (TP_fast_assign): 6.10 dropped
 * __assign_str()'s source argument (the field remembers it from
 * __string()).  Only mm/main.c, which creates the tracepoints, expands it.
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
#define bslab_trace_assign_str(field, ...)	__assign_str(field)
#else
#define bslab_trace_assign_str(field, src)	__assign_str(field, src)
#endif

/*
 * Fault injection (lib/fault-inject.c).  A kernel built without it, as
 * Debian's are, has no failslab for bslab: the attributes are an empty
 * struct and nothing fails.  Newer kernels' <linux/fault-inject.h> stubs
 * itself out that way; 6.1's declares nothing then, so bslab spells it.
 */
#include <linux/err.h>
#include <linux/fault-inject.h>
#ifdef CONFIG_FAULT_INJECTION
#define bslab_fault_attr		fault_attr
#define BSLAB_FAULT_ATTR(name)		DECLARE_FAULT_ATTR(name)
#define bslab_should_fail(attr, size)	should_fail(attr, size)
#else
struct bslab_fault_attr { };
#define BSLAB_FAULT_ATTR(name)		struct bslab_fault_attr name = { }
static inline bool bslab_should_fail(struct bslab_fault_attr *attr,
				     ssize_t size)
{
	return false;
}
#endif
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
#define bslab_fault_debugfs(name, dir, attr) \
	fault_create_debugfs_attr(name, dir, attr)
#else
struct dentry;
static inline struct dentry *
bslab_fault_debugfs(const char *name, struct dentry *dir,
		    struct bslab_fault_attr *attr)
{
	return ERR_PTR(-ENODEV);
}
#endif

/*
 * Code that takes a spinlock_t in hard IRQ context, which is right only
 * without PREEMPT_RT (there a spinlock_t spins), says so to lockdep's
 * wait-type check (PROVE_RAW_LOCK_NESTING) the kernel's way: a wait-type
 * override map held around it (DEFINE_WAIT_OVERRIDE_MAP, as
 * lib/debugobjects.c does; 6.5 on, and Debian's 6.1 has it backported).
 * Kernels without it have nothing to tell.
 */
#include <linux/lockdep.h>
#ifdef DEFINE_WAIT_OVERRIDE_MAP
static inline void bslab_nonrt_enter(struct lockdep_map *map)
{
	lock_map_acquire_try(map);
}

static inline void bslab_nonrt_exit(struct lockdep_map *map)
{
	lock_map_release(map);
}
#else
#define DEFINE_WAIT_OVERRIDE_MAP(_map, _wait_type) \
	struct lockdep_map __maybe_unused _map = { .name = #_wait_type }
static inline void bslab_nonrt_enter(struct lockdep_map *map)
{
}

static inline void bslab_nonrt_exit(struct lockdep_map *map)
{
}
#endif

#endif /* _BSLAB_COMPAT_H */
