// SPDX-License-Identifier: GPL-2.0
/*
 * bslab_alloc(): memory by size, for callers with no object type (the
 * kmem_alloc of Bonwick's allocator, the kmalloc of Linux).
 *
 * Sizes up to BSLAB_ALLOC_MAX are rounded up to a size class, and each class
 * is an ordinary bslab cache named bslab_alloc_<size>, so each shows up in
 * every stats file like any client cache.  Classes step by 8 bytes to 64,
 * then by a quarter of the previous power of two (at most 25% internal
 * fragmentation).  A byte table indexed by (size - 1) / 8 maps a size to its
 * class in O(1).  Power-of-two classes are aligned to their size up to
 * PAGE_SIZE, so callers that ask for 2^k bytes get 2^k-aligned memory.
 *
 * Larger sizes go straight to the page allocator as compound pages;
 * bslab_free() checks the order of what it is given against the size.  Those
 * pages are counted (large_alloc, large_bytes), shown in kmastat and, as
 * SLUB does for kmalloc's large allocations, in /proc/meminfo's Slab
 * (SUnreclaim), so that meminfo and kmastat's Total agree.  Where no
 * pages may be taken (hard IRQ on PREEMPT_RT; see grow_allowed()), a large
 * allocation fails; where the page allocator may not be called for a free
 * (hard IRQ; see pages_allowed()), a large free is finished by a work
 * item: the pages wait on a lock-free list written into their own first
 * bytes.
 *
 * Locking: none of its own; the class table is written once at module load.
 */
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/workqueue.h>

#include "sizes.h"
#include "san.h"
#include "cache.h"

static const unsigned int class_sizes[] = {
	8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256,
	320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560,
	3072, 3584, 4096, 5120, 6144, 7168, 8192,
};

static struct bslab_cache *class_cache[ARRAY_SIZE(class_sizes)];
static u8 size_to_class[BSLAB_ALLOC_MAX / 8];
static atomic_long_t large_allocs = ATOMIC_LONG_INIT(0);
static atomic_long_t large_bytes = ATOMIC_LONG_INIT(0);

static_assert(ARRAY_SIZE(class_sizes) <= U8_MAX);

/* A large allocation whose free waits for process context, in its own memory. */
struct large_deferred {
	struct llist_node node;
	unsigned int order;
};

static LLIST_HEAD(large_deferred);

static void large_free_work_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&large_deferred);
	struct large_deferred *ld, *next;

	llist_for_each_entry_safe(ld, next, list, node)
		__free_pages(virt_to_page(ld), ld->order);
}

static DECLARE_WORK(large_free_work, large_free_work_fn);

static inline struct bslab_cache *class_of(size_t size)
{
	return class_cache[size_to_class[(size - 1) / 8]];
}

/**
 * bslab_size_class() - the cache bslab_alloc() uses for a size
 * @size: bytes
 *
 * Return: the size class cache, or NULL for 0 and sizes above
 * BSLAB_ALLOC_MAX.
 */
struct bslab_cache *bslab_size_class(size_t size)
{
	if (!size || size > BSLAB_ALLOC_MAX)
		return NULL;
	return class_of(size);
}

BSLAB_EXPORT_INTERNAL(bslab_size_class);

/* Above BSLAB_ALLOC_MAX: pages of node @nid, accounted as slab memory. */
static void *large_alloc(size_t size, gfp_t gfp, int nid)
{
	struct page *page;
	unsigned int order;

	if (unlikely(!grow_allowed(gfp)))
		return NULL;
	order = get_order(size);
	page = bslab_alloc_pages(gfp | __GFP_COMP | __GFP_NOWARN, order, nid);
	if (!page)
		return NULL;
	atomic_long_inc(&large_allocs);
	atomic_long_add(PAGE_SIZE << order, &large_bytes);
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    PAGE_SIZE << order);
	/* kmemleak's record comes from SLUB: see bslab_san_alloc() */
	if (pages_allowed())
		kmemleak_alloc(page_address(page), size, 1, gfp);
	return page_address(page);
}

void *bslab_alloc(size_t size, gfp_t gfp)
{
	if (unlikely(!size))
		return NULL;
	if (likely(size <= BSLAB_ALLOC_MAX)) {
		struct bslab_cache *cp = class_of(size);
		void *obj = bslab_cache_alloc(cp, gfp);

		/* KASAN: bytes past @size are a redzone, as for kmalloc */
		if (IS_ENABLED(CONFIG_KASAN_GENERIC) && obj)
			kasan_obj_use(cp, obj, size);
		return obj;
	}
	return large_alloc(size, gfp, NUMA_NO_NODE);
}
EXPORT_SYMBOL_GPL(bslab_alloc);

void *bslab_alloc_node(size_t size, gfp_t gfp, int node)
{
	struct bslab_cache *cp;
	void *obj;

	if (unlikely(!size))
		return NULL;
	if (unlikely(size > BSLAB_ALLOC_MAX)) {
		if (node != NUMA_NO_NODE &&
		    (node < 0 || node >= nr_node_ids)) {
			pr_err_ratelimited("bslab: %s(%zu, node %d): no such node\n",
					   __func__, size, node);
			return NULL;
		}
		return large_alloc(size, gfp, node);
	}
	cp = class_of(size);
	obj = bslab_cache_alloc_node(cp, gfp, node);
	if (IS_ENABLED(CONFIG_KASAN_GENERIC) && obj)
		kasan_obj_use(cp, obj, size);
	return obj;
}
EXPORT_SYMBOL_GPL(bslab_alloc_node);

void bslab_free(void *obj, size_t size)
{
	struct page *page;
	unsigned int order;

	if (unlikely(!obj))
		return;
	if (unlikely(!size)) {
		pr_err("bslab: %s of %p with size 0\n", __func__, obj);
		return;
	}
	if (likely(size <= BSLAB_ALLOC_MAX)) {
		bslab_cache_free(class_of(size), obj);
		return;
	}

	order = get_order(size);
	page = virt_addr_valid(obj) ? virt_to_page(obj) : NULL;
	if (!page || !PageHead(page) || compound_order(page) != order ||
	    page_address(page) != obj) {
		pr_err("bslab: %s of %p, size %zu: not a bslab_alloc of that size\n",
		       __func__, obj, size);
		return;
	}
	atomic_long_dec(&large_allocs);
	atomic_long_sub(PAGE_SIZE << order, &large_bytes);
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    -(long)(PAGE_SIZE << order));
	kmemleak_free(obj);
	if (unlikely(!pages_allowed())) {
		struct large_deferred *ld = obj;

		ld->order = order;
		llist_add(&ld->node, &large_deferred);
		schedule_work(&large_free_work);
		return;
	}
	__free_pages(page, order);
}
EXPORT_SYMBOL_GPL(bslab_free);

/**
 * bslab_sizes_large_stats() - what bslab_alloc() holds straight from pages
 * @allocs: number of live allocations above BSLAB_ALLOC_MAX
 * @bytes: bytes of pages they hold
 */
void bslab_sizes_large_stats(unsigned long *allocs, unsigned long *bytes)
{
	*allocs = atomic_long_read(&large_allocs);
	*bytes = atomic_long_read(&large_bytes);
}

BSLAB_EXPORT_INTERNAL(bslab_sizes_large_stats);

/**
 * bslab_sizes_flush() - finish the large frees deferred from hard IRQ context
 *
 * Context: process context, may sleep.
 */
void bslab_sizes_flush(void)
{
	flush_work(&large_free_work);
}

BSLAB_EXPORT_INTERNAL(bslab_sizes_flush);

void bslab_sizes_exit(void)
{
	bslab_sizes_flush();
	bslab_internal_destroy(class_cache, ARRAY_SIZE(class_cache));
}

/* Power-of-two classes are aligned to their size (up to a page). */
static void class_describe(unsigned int i, struct bslab_internal_desc *d)
{
	unsigned int size = class_sizes[i];

	snprintf(d->name, sizeof(d->name), "bslab_alloc_%u", size);
	d->size = size;
	d->align = is_power_of_2(size) ? min_t(unsigned int, size, PAGE_SIZE) :
					 0;
}

int bslab_sizes_init(void)
{
	unsigned int i, s = 0;
	int err;

	err = bslab_internal_create(class_cache, ARRAY_SIZE(class_cache),
				    class_describe);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(class_sizes); i++)
		for (; s < class_sizes[i] / 8; s++)
			size_to_class[s] = i;
	return 0;
}
