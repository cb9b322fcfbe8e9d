/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics of one bslab cache, as one table.  No include guard: this
 * file is included wherever the table is expanded, after defining either or
 * both of
 *   BSLAB_GAUGE(name)	a state read when a snapshot is taken
 *   BSLAB_EVENT(name)	a counter that only grows, kept by the allocator
 * and it undefines both at its end.  The stats file prints the table in this
 * order.  A new event is one line here; a new gauge is one line here and one
 * where bslab_cache_stats() takes the snapshot.
 */
#ifdef BSLAB_GAUGE
BSLAB_GAUGE(buf_size);		/* object size asked for at create */
BSLAB_GAUGE(align);		/* object alignment */
BSLAB_GAUGE(chunk_size);	/* bytes each object takes in a slab */
BSLAB_GAUGE(slab_size);		/* bytes of one slab */
BSLAB_GAUGE(buf_per_slab);	/* objects in one slab */
BSLAB_GAUGE(buf_inuse);		/* objects allocated now */
BSLAB_GAUGE(buf_total);		/* objects in all slabs */
BSLAB_GAUGE(buf_max);		/* most objects ever allocated at once */
BSLAB_GAUGE(buf_constructed);	/* free objects in constructed state */
BSLAB_GAUGE(slab_full);		/* slabs with no free object */
BSLAB_GAUGE(slab_partial);	/* slabs with some free objects */
BSLAB_GAUGE(slab_empty);	/* slabs with no object in use */
BSLAB_GAUGE(mem_total);		/* bytes of pages the cache holds */
BSLAB_GAUGE(offslab);		/* 1: descriptor and bufctls off-slab */
BSLAB_GAUGE(hash_size);		/* buckets of the bufctl hash */
BSLAB_GAUGE(color_step);	/* bytes between two slabs' colors */
BSLAB_GAUGE(color_max);		/* largest color offset */
BSLAB_GAUGE(color_next);	/* color of the next slab created */
#endif
#ifdef BSLAB_EVENT
BSLAB_EVENT(alloc);		/* successful allocations */
BSLAB_EVENT(alloc_fail);	/* allocations that returned NULL */
BSLAB_EVENT(free);		/* frees */
BSLAB_EVENT(free_invalid);	/* frees of pointers not in the cache */
BSLAB_EVENT(slab_create);	/* slabs taken from the page allocator */
BSLAB_EVENT(slab_destroy);	/* slabs given back to it */
BSLAB_EVENT(hash_lookup);	/* bufctl hash lookups */
BSLAB_EVENT(hash_lookup_depth);	/* bufctls visited by those lookups */
BSLAB_EVENT(hash_rescale);	/* times the hash was resized */
BSLAB_EVENT(reap);		/* bslab_cache_reap() calls */
#endif

#undef BSLAB_GAUGE
#undef BSLAB_EVENT
