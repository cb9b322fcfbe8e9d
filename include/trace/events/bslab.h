/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bslab's tracepoints: allocations and frees, slabs made and given back,
 * magazine exchanges with the depot and magazine resizes, reaps and the
 * shrinker.  Each costs a patched-out branch while disabled, and nothing on
 * kernels without CONFIG_TRACEPOINTS.  Enable them in tracefs
 * (events/bslab/), with perf (-e 'bslab:*') or bpftrace
 * (tracepoint:bslab:*); Documentation/admin-guide/bslab.rst has one-liners.
 *
 * bslab_trace_assign_str() is mm/compat.h's spelling of __assign_str(),
 * whose form changed in 6.10; it is expanded only where mm/main.c creates
 * the tracepoints, after including compat.h.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM bslab

#if !defined(_TRACE_BSLAB_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_BSLAB_H

#include <linux/tracepoint.h>
#include <linux/gfp.h>
#include <trace/events/mmflags.h>

TRACE_EVENT(bslab_alloc,
	TP_PROTO(const char *cache, const void *obj, size_t bytes,
		 unsigned long call_site, gfp_t gfp),
	TP_ARGS(cache, obj, bytes, call_site, gfp),
	TP_STRUCT__entry(
		__string(cache, cache)
		__field(const void *, obj)
		__field(size_t, bytes)
		__field(unsigned long, call_site)
		__field(unsigned long, gfp)
	),
	TP_fast_assign(
		bslab_trace_assign_str(cache, cache);
		__entry->obj = obj;
		__entry->bytes = bytes;
		__entry->call_site = call_site;
		__entry->gfp = (__force unsigned long)gfp;
	),
	TP_printk("cache=%s obj=%p bytes=%zu call_site=%pS gfp=%s",
		  __get_str(cache), __entry->obj, __entry->bytes,
		  (void *)__entry->call_site,
		  show_gfp_flags(__entry->gfp))
);

TRACE_EVENT(bslab_free,
	TP_PROTO(const char *cache, const void *obj, unsigned long call_site),
	TP_ARGS(cache, obj, call_site),
	TP_STRUCT__entry(
		__string(cache, cache)
		__field(const void *, obj)
		__field(unsigned long, call_site)
	),
	TP_fast_assign(
		bslab_trace_assign_str(cache, cache);
		__entry->obj = obj;
		__entry->call_site = call_site;
	),
	TP_printk("cache=%s obj=%p call_site=%pS", __get_str(cache),
		  __entry->obj, (void *)__entry->call_site)
);

DECLARE_EVENT_CLASS(bslab_slab,
	TP_PROTO(const char *cache, const void *base, unsigned int order,
		 unsigned int objs),
	TP_ARGS(cache, base, order, objs),
	TP_STRUCT__entry(
		__string(cache, cache)
		__field(const void *, base)
		__field(unsigned int, order)
		__field(unsigned int, objs)
	),
	TP_fast_assign(
		bslab_trace_assign_str(cache, cache);
		__entry->base = base;
		__entry->order = order;
		__entry->objs = objs;
	),
	TP_printk("cache=%s slab=%p order=%u objs=%u", __get_str(cache),
		  __entry->base, __entry->order, __entry->objs)
);

DEFINE_EVENT(bslab_slab, bslab_slab_create,
	TP_PROTO(const char *cache, const void *base, unsigned int order,
		 unsigned int objs),
	TP_ARGS(cache, base, order, objs)
);

DEFINE_EVENT(bslab_slab, bslab_slab_destroy,
	TP_PROTO(const char *cache, const void *base, unsigned int order,
		 unsigned int objs),
	TP_ARGS(cache, base, order, objs)
);

TRACE_EVENT(bslab_magazine_exchange,
	TP_PROTO(const char *cache, bool full, unsigned int rounds),
	TP_ARGS(cache, full, rounds),
	TP_STRUCT__entry(
		__string(cache, cache)
		__field(bool, full)
		__field(unsigned int, rounds)
	),
	TP_fast_assign(
		bslab_trace_assign_str(cache, cache);
		__entry->full = full;
		__entry->rounds = rounds;
	),
	TP_printk("cache=%s %s rounds=%u", __get_str(cache),
		  __entry->full ? "took_full" : "gave_full", __entry->rounds)
);

TRACE_EVENT(bslab_magazine_spill,
	TP_PROTO(const char *cache, unsigned int rounds),
	TP_ARGS(cache, rounds),
	TP_STRUCT__entry(
		__string(cache, cache)
		__field(unsigned int, rounds)
	),
	TP_fast_assign(
		bslab_trace_assign_str(cache, cache);
		__entry->rounds = rounds;
	),
	TP_printk("cache=%s rounds=%u", __get_str(cache), __entry->rounds)
);

TRACE_EVENT(bslab_magazine_resize,
	TP_PROTO(const char *cache, unsigned int from, unsigned int to),
	TP_ARGS(cache, from, to),
	TP_STRUCT__entry(
		__string(cache, cache)
		__field(unsigned int, from)
		__field(unsigned int, to)
	),
	TP_fast_assign(
		bslab_trace_assign_str(cache, cache);
		__entry->from = from;
		__entry->to = to;
	),
	TP_printk("cache=%s rounds=%u->%u", __get_str(cache), __entry->from,
		  __entry->to)
);

TRACE_EVENT(bslab_reap,
	TP_PROTO(const char *cache, int how, unsigned long magazines,
		 unsigned long slabs),
	TP_ARGS(cache, how, magazines, slabs),
	TP_STRUCT__entry(
		__string(cache, cache)
		__field(int, how)
		__field(unsigned long, magazines)
		__field(unsigned long, slabs)
	),
	TP_fast_assign(
		bslab_trace_assign_str(cache, cache);
		__entry->how = how;
		__entry->magazines = magazines;
		__entry->slabs = slabs;
	),
	TP_printk("cache=%s how=%s magazines=%lu slabs=%lu",
		  __get_str(cache),
		  __print_symbolic(__entry->how, { 0, "surplus" }, { 1, "all" },
				   { 2, "shrink" }),
		  __entry->magazines, __entry->slabs)
);

TRACE_EVENT(bslab_shrink,
	TP_PROTO(unsigned long scanned, unsigned long freed),
	TP_ARGS(scanned, freed),
	TP_STRUCT__entry(
		__field(unsigned long, scanned)
		__field(unsigned long, freed)
	),
	TP_fast_assign(
		__entry->scanned = scanned;
		__entry->freed = freed;
	),
	TP_printk("scanned=%lu freed=%lu", __entry->scanned, __entry->freed)
);

#endif /* _TRACE_BSLAB_H */

/* out of tree: found again as trace/events/bslab.h, by ccflags' -I */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH trace/events
#define TRACE_INCLUDE_FILE bslab
#include <trace/define_trace.h>
