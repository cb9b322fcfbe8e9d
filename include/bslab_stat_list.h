/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics of one bslab cache, as one table.  No include guard: this
 * file is included wherever the table is expanded, after defining any of
 *   BSLAB_GAUGE(name)		a state read when a snapshot is taken
 *   BSLAB_EVENT(name)		a counter of the slab layer (under cache->lock)
 *   BSLAB_DEPOT_EVENT(name)	a counter of the depot (under depot.lock)
 *   BSLAB_CPU_EVENT(name)	a per-CPU counter, summed when read
 * and it undefines them all at its end.  The stats file prints the table in
 * this order.  A new counter is one line here; a new gauge is one line here
 * and one where bslab_cache_stats() takes the snapshot.
 */
#ifdef BSLAB_GAUGE
BSLAB_GAUGE(buf_size);		/* object size asked for at create */
BSLAB_GAUGE(align);		/* object alignment */
BSLAB_GAUGE(chunk_size);	/* bytes each object takes in a slab */
BSLAB_GAUGE(slab_size);		/* bytes of one slab */
BSLAB_GAUGE(buf_per_slab);	/* objects in one slab */
BSLAB_GAUGE(buf_inuse);		/* objects allocated by clients now */
BSLAB_GAUGE(buf_total);		/* objects in all slabs */
BSLAB_GAUGE(buf_out_max);	/* most objects out of slabs at once */
BSLAB_GAUGE(buf_constructed);	/* free objects in constructed state */
BSLAB_GAUGE(buf_magazine);	/* free objects held in magazines */
BSLAB_GAUGE(slab_full);		/* slabs with no free object */
BSLAB_GAUGE(slab_partial);	/* slabs with some free objects */
BSLAB_GAUGE(slab_empty);	/* slabs with no object in use */
BSLAB_GAUGE(mem_total);		/* bytes of pages the cache holds */
BSLAB_GAUGE(offslab);		/* 1: slab descriptor off-slab */
BSLAB_GAUGE(hash_size);		/* buckets of the bufctl hash */
BSLAB_GAUGE(color_step);	/* bytes between two slabs' colors */
BSLAB_GAUGE(color_max);		/* largest color offset */
BSLAB_GAUGE(color_next);	/* color of the next slab created */
BSLAB_GAUGE(irq_reserve);	/* free objects kept for those allocations (RT) */
BSLAB_GAUGE(magazine_size);	/* rounds of a new magazine; 0: no CPU layer */
BSLAB_GAUGE(full_magazines);	/* full magazines in the depot */
BSLAB_GAUGE(empty_magazines);	/* empty magazines in the depot */
BSLAB_GAUGE(depot_limit);	/* bytes its full magazines may hold */
BSLAB_GAUGE(alloc);		/* allocations that returned an object */
BSLAB_GAUGE(free);		/* frees of allocated objects */
#endif
#ifdef BSLAB_EVENT
BSLAB_EVENT(slab_alloc);	/* objects the slab layer handed out */
BSLAB_EVENT(slab_free);		/* objects given back to the slab layer */
BSLAB_EVENT(alloc_fail);	/* allocations that returned NULL */
BSLAB_EVENT(fail_injected);	/* ... of them failed by fault injection */
BSLAB_EVENT(alloc_fail_irq);	/* ... of them where no page may be taken (RT) */
BSLAB_EVENT(alloc_off_node);	/* objects handed out from another node than asked */
BSLAB_EVENT(free_invalid);	/* frees of pointers not in the cache */
BSLAB_EVENT(write_after_free);	/* poisoned objects found written */
BSLAB_EVENT(redzone_damaged);	/* frees that found a redzone written */
BSLAB_EVENT(audit_lost);	/* allocations audit had no memory to record */
BSLAB_EVENT(slab_create);	/* slabs taken from the page allocator */
BSLAB_EVENT(slab_destroy);	/* slabs given back to it */
BSLAB_EVENT(hash_lookup);	/* bufctl hash lookups */
BSLAB_EVENT(hash_lookup_depth);	/* bufctls visited by those lookups */
BSLAB_EVENT(hash_rescale);	/* times the hash was resized */
BSLAB_EVENT(reap);		/* reaps of the cache, any cause */
#endif
#ifdef BSLAB_DEPOT_EVENT
BSLAB_DEPOT_EVENT(depot_alloc);		/* full magazines handed to CPUs */
BSLAB_DEPOT_EVENT(depot_free);		/* full magazines taken from CPUs */
BSLAB_DEPOT_EVENT(depot_remote);	/* ... of them of remote frees (NUMA) */
BSLAB_DEPOT_EVENT(depot_contention);	/* depot lock found taken */
BSLAB_DEPOT_EVENT(magazine_alloc_fail);	/* no empty magazine could be had */
BSLAB_DEPOT_EVENT(magazine_resize_up);	/* magazine size grew a step */
BSLAB_DEPOT_EVENT(magazine_resize_down);	/* magazine size shrank a step */
BSLAB_DEPOT_EVENT(depot_limit_grow);	/* fills after a spill: bound doubled */
BSLAB_DEPOT_EVENT(reap_magazines);	/* magazines freed by reaping */
BSLAB_DEPOT_EVENT(reap_objects);	/* their rounds given to the slab layer */
BSLAB_DEPOT_EVENT(reap_pages);		/* pages freed by reaping */
BSLAB_DEPOT_EVENT(reap_cpu_drains);	/* idle CPUs whose magazines the reaper took */
BSLAB_DEPOT_EVENT(shrink_objects);	/* objects freed by the shrinker */
BSLAB_DEPOT_EVENT(shrink_pages);	/* pages freed by the shrinker */
BSLAB_DEPOT_EVENT(reclaim_calls);	/* reclaim callbacks the shrinker made */
#endif
#ifdef BSLAB_CPU_EVENT
BSLAB_CPU_EVENT(alloc_cpu);	/* allocations from the loaded magazine */
BSLAB_CPU_EVENT(alloc_swap);	/* ... after swapping loaded and previous */
BSLAB_CPU_EVENT(alloc_depot);	/* ... after exchanging with the depot */
BSLAB_CPU_EVENT(alloc_fill);	/* ... from a magazine the slab layer filled */
BSLAB_CPU_EVENT(alloc_slab);	/* allocations the slab layer served */
BSLAB_CPU_EVENT(free_cpu);	/* frees into the loaded magazine */
BSLAB_CPU_EVENT(free_swap);	/* ... after swapping loaded and previous */
BSLAB_CPU_EVENT(free_depot);	/* ... after exchanging with the depot */
BSLAB_CPU_EVENT(free_spill);	/* ... after emptying one (depot full) */
BSLAB_CPU_EVENT(free_slab);	/* frees the slab layer took */
BSLAB_CPU_EVENT(free_remote);	/* frees of another node's objects (NUMA) */
BSLAB_CPU_EVENT(cpu_busy);	/* interrupt found the CPU layer in use */
#endif

#undef BSLAB_GAUGE
#undef BSLAB_EVENT
#undef BSLAB_DEPOT_EVENT
#undef BSLAB_CPU_EVENT
