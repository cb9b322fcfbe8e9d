// SPDX-License-Identifier: GPL-2.0
/*
 * bslab bufctl hash: from the address of an allocated large object to its
 * bufctl (its slab is the one the object's first page names, slab.h).
 *
 * Objects of PAGE_SIZE/8 and more would waste too much of a slab on an
 * in-slab descriptor and free-list words, so their bookkeeping lives
 * off-slab (Bonwick 1994, section 3.2): one bufctl per object, a slab's
 * all in one array after its descriptor (slab.c).  While an
 * object is allocated its bufctl sits in this hash: an array of 2^hash_bits
 * singly linked chains, indexed by a multiplicative hash of the object's
 * address.  Allocation inserts at a chain's head (O(1)); free searches the
 * chain and unlinks.  Every free's lookup is counted (hash_lookup) with the
 * number of bufctls it visited (hash_lookup_depth), so the average chain
 * depth a free pays is hash_lookup_depth / hash_lookup.
 *
 * Rescaling: the table is kept between 1/8 and 2 allocated objects per
 * bucket.  The alloc and free paths only notice that the load left that
 * band and queue the cache's work item; the work (or bslab_cache_reap())
 * allocates a table of one bucket per allocated object, rounded up to a
 * power of two and at least BSLAB_HASH_MIN, with GFP_KERNEL and no lock
 * held, then moves every bufctl across under cp->lock, so no lookup ever
 * sees a half-moved table and no entry is lost.  hash_rescale counts the
 * moves.
 *
 * Locking: the _locked functions are called with cp->lock held;
 * bslab_hash_rescale() takes it itself.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "hash.h"

static inline struct bslab_bufctl **
hash_bucket(struct bslab_cache *cp, const void *buf)
{
	return &cp->hash[hash_ptr(buf, cp->hash_bits)];
}

/**
 * bslab_hash_init() - give a large cache its first table
 * @cp: the cache
 *
 * Return: 0 or -ENOMEM.
 */
int bslab_hash_init(struct bslab_cache *cp)
{
	cp->hash_bits = ilog2(BSLAB_HASH_MIN);
	cp->hash = kvcalloc(BSLAB_HASH_MIN, sizeof(*cp->hash), GFP_KERNEL);
	return cp->hash ? 0 : -ENOMEM;
}

/**
 * bslab_hash_destroy() - free a cache's table
 * @cp: the cache, with no allocated object left in the hash (or one whose
 *	table was never made)
 */
void bslab_hash_destroy(struct bslab_cache *cp)
{
	kvfree(cp->hash);
	cp->hash = NULL;
}

/**
 * bslab_hash_insert_locked() - record an allocated object
 * @cp: the cache
 * @bc: the object's bufctl, with @bc->buf set
 */
void bslab_hash_insert_locked(struct bslab_cache *cp, struct bslab_bufctl *bc)
{
	struct bslab_bufctl **head = hash_bucket(cp, bc->buf);

	lockdep_assert_held(&cp->lock);
	bc->next = *head;
	*head = bc;
}

/*
 * Find the link pointing at @buf's bufctl; *@depth is set to the number of
 * bufctls visited, the one found included.
 */
static struct bslab_bufctl **hash_search(struct bslab_cache *cp,
					 const void *buf, u64 *depth)
{
	struct bslab_bufctl **link = hash_bucket(cp, buf);

	lockdep_assert_held(&cp->lock);
	for (*depth = 1; *link; link = &(*link)->next, (*depth)++) {
		if ((*link)->buf == buf)
			break;
	}
	return link;
}

/**
 * bslab_hash_find_locked() - the bufctl of an allocated object
 * @cp: the cache
 * @buf: the object
 *
 * A look, not a free: not counted in hash_lookup (verify and the tests
 * use it, and change no counter).
 *
 * Return: the bufctl, or NULL if @buf is not allocated from @cp.
 */
struct bslab_bufctl *bslab_hash_find_locked(struct bslab_cache *cp,
					    const void *buf)
{
	u64 depth;

	return *hash_search(cp, buf, &depth);
}

/**
 * bslab_hash_remove_locked() - take an object's bufctl out of the hash
 * @cp: the cache
 * @buf: the object being freed
 *
 * Return: the bufctl, or NULL if @buf is not allocated from @cp.
 */
struct bslab_bufctl *bslab_hash_remove_locked(struct bslab_cache *cp,
					      const void *buf)
{
	struct bslab_bufctl **link, *bc;
	u64 depth;

	link = hash_search(cp, buf, &depth);
	cp->ev.hash_lookup++;
	cp->ev.hash_lookup_depth += depth;
	bc = *link;
	if (bc)
		*link = bc->next;
	return bc;
}

static unsigned int hash_bits_for(unsigned long inuse)
{
	return ilog2(roundup_pow_of_two(max_t(unsigned long, inuse,
					      BSLAB_HASH_MIN)));
}

/**
 * bslab_hash_wants_rescale_locked() - has the load left the band the table is for?
 * @cp: the cache
 *
 * Return: true if the table should be rebuilt for the current load.
 */
bool bslab_hash_wants_rescale_locked(const struct bslab_cache *cp)
{
	unsigned long size = 1UL << cp->hash_bits;

	lockdep_assert_held(&cp->lock);
	return cp->buf_out > 2 * size ||
	       (size > BSLAB_HASH_MIN && cp->buf_out < size / 8);
}

/**
 * bslab_hash_rescale() - rebuild the table for the current load
 * @cp: a large cache
 *
 * Context: process context, may sleep; takes cp->lock.
 */
void bslab_hash_rescale(struct bslab_cache *cp)
{
	struct bslab_bufctl **table, **old, *bc, *next;
	unsigned int bits, old_bits, i;
	unsigned long flags;

	raw_spin_lock_irqsave(&cp->lock, flags);
	bits = hash_bits_for(cp->buf_out);
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	if (bits == READ_ONCE(cp->hash_bits))
		return;

	table = kvcalloc(1UL << bits, sizeof(*table), GFP_KERNEL);
	if (!table)
		return;	/* keep the old table: slower, still correct */

	raw_spin_lock_irqsave(&cp->lock, flags);
	old = cp->hash;
	old_bits = cp->hash_bits;
	cp->hash = table;
	cp->hash_bits = bits;
	for (i = 0; i < (1U << old_bits); i++) {
		for (bc = old[i]; bc; bc = next) {
			next = bc->next;
			bslab_hash_insert_locked(cp, bc);
		}
	}
	cp->ev.hash_rescale++;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	kvfree(old);
}

/**
 * bslab_hash_release() - forget the bufctls of every object still allocated
 * @cp: a dead cache whose slabs are all being given back (unload); the
 *	bufctls go with their slabs' descriptors
 */
void bslab_hash_release(struct bslab_cache *cp)
{
	memset(cp->hash, 0, sizeof(*cp->hash) << cp->hash_bits);
}
