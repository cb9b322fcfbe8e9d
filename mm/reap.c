// SPDX-License-Identifier: GPL-2.0
/*
 * bslab reaping: giving memory back, on a timer, under memory pressure and
 * when a CPU goes away.
 *
 * The reaper is a delayed work item that runs every second while
 * reap_interval (module parameter, seconds, default 15, 0 for never; a new
 * value takes effect at once) is not 0:
 *
 *  - Every second, first the idle CPUs: a CPU that neither allocated nor
 *    freed an object of a cache during the second has its magazines of
 *    that cache taken off (bslab_cpu_drain_idle(), magazine.c), as Linux's
 *    old SLAB drained an untouched per-CPU array.  Otherwise every object
 *    an idle cache's CPUs hold (two magazines a CPU, up to 254 rounds
 *    each) keeps its slab from going back, on every CPU, for as long as
 *    the cache stays idle.  A CPU isolated from kernel noise (isolcpus=,
 *    nohz_full=) is not cross-called; its magazines wait for a reap on
 *    demand.
 *  - Then working-set reap (Bonwick & Adams 2001, section 3.6):
 *    the depot has recorded the fewest full and the fewest empty magazines
 *    it held during the second.  That many were never needed, so that many
 *    of each are freed (the rounds of full ones go back to the slab layer);
 *    then every empty slab goes back to the page allocator.  A cache no
 *    CPU used during the second needed none of its depot, including what
 *    the drain just put there: all of it is freed.  So what a burst of
 *    frees leaves in magazines goes back one to two seconds after the
 *    burst, where Bonwick's 15-second interval kept the depot's up to 30
 *    and the CPUs' for good: a file system's inodes after a mass delete or
 *    an umount are back with the page allocator before a dashboard's next
 *    sample.  A workload that frees and allocates again within the second
 *    keeps its magazines and depot.
 *  - Every reap_interval seconds, the policies that need a longer look
 *    (reap_tick_locked()):
 *    magazine size: if the depot lock was found taken more than
 *    resize_contention times during the interval, the cache's magazines grow
 *    a step (fewer depot trips per object); if the cache saw no allocation
 *    for idle_intervals ticks in a row, they shrink a step (less memory
 *    parked in magazines of an idle cache).  The depot's bound (magazine.c)
 *    and the hard-IRQ reserve (slab.c) take their interval's step.
 *
 * The shrinker reports what bslab could free at once (the rounds of full
 * depot magazines and the objects of empty slabs), plus the objects in use
 * in caches with a reclaim callback, which the client may give back (as
 * illumos does, bslab asks its clients whenever memory is short, even when
 * it has nothing cached itself: without that count the VM would never call
 * the scan).  The scan calls each cache's reclaim callback first, then
 * frees all of its depot magazines, then its empty slabs.
 * `echo 2 > /proc/sys/vm/drop_caches` runs it until nothing is left.
 *
 * CPU hotplug: once a CPU is dead, its loaded and previous magazines of
 * every cache go to the depot (full ones) or back to the slab layer, so no
 * object is stranded on a CPU that no longer runs.  The callback runs under
 * the CPU hotplug lock and takes no mutex: it walks the cache list under
 * RCU (destroy unlists a cache under the hotplug lock, so none is
 * unlisted while the callback walks), and draining only
 * takes spinlocks (a slab a drain empties in a cache with a destructor is
 * left to the cache's work).  Why no mutex: internal.h's rules.
 *
 * The shrinker leaves the CPUs' magazines (taking them needs the hotplug
 * lock and cross-calls, not for a reclaim path); the reaper takes the idle
 * ones within two seconds.  The debugfs reap file takes them all, at once
 * (bslab_reap_all()): bslab_cache_reap() on every cache, for an admin
 * about to compare /proc/meminfo with an earlier value.
 *
 * A reap of one cache (bslab_reap_now(), below), which each of these ends
 * in, frees depot magazines, then empty slabs, and counts both.
 *
 * Locking: the reaper and the shrinker walk the cache list under
 * bslab_caches_mutex (the shrinker only with a trylock: it may be called
 * from an allocation made under the mutex).  The reaper takes the hotplug
 * lock before it, for its drains of idle CPUs, and drops it before the
 * reaps, so that no destructor runs under it.  Reclaim callbacks run under
 * the mutex and must not create or destroy caches.  bslab_reap_all() walks
 * it under bslab_setup_mutex instead: draining the CPUs takes the hotplug
 * lock, which comes before bslab_caches_mutex in the lock order.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/shrinker.h>
#include <linux/workqueue.h>

#include "reap.h"
#include "depot.h"
#include "slab.h"
#include <trace/events/bslab.h>

static void reap_worker(struct work_struct *work);
static DECLARE_DELAYED_WORK(reap_work, reap_worker);
static bool reaper_ready;
static unsigned int reap_interval = 15;
/* Seconds since the reaper's last whole tick (reset by a new interval). */
static unsigned int reap_seconds;

/* Longest reap interval: a day. */
#define REAP_INTERVAL_MAX	(24 * 60 * 60)

/* (Re)arm the reaper for its next second; reap_interval 0 stops it. */
static void reaper_arm(void)
{
	if (READ_ONCE(reap_interval))
		mod_delayed_work(system_wq, &reap_work, HZ);
	else
		cancel_delayed_work(&reap_work);
}

static int reap_interval_set(const char *val, const struct kernel_param *kp)
{
	unsigned int secs;
	int ret = kstrtouint(val, 0, &secs);

	if (ret)
		return ret;
	if (secs > REAP_INTERVAL_MAX) {
		pr_err("bslab: reap_interval=%u: at most %u seconds (0 turns the reaper off)\n",
		       secs, REAP_INTERVAL_MAX);
		return -ERANGE;
	}
	WRITE_ONCE(reap_interval, secs);
	WRITE_ONCE(reap_seconds, 0);	/* the next tick a whole interval away */
	if (READ_ONCE(reaper_ready))
		reaper_arm();
	return 0;
}

static const struct kernel_param_ops reap_interval_ops = {
	.set = reap_interval_set,
	.get = param_get_uint,
};

module_param_cb(reap_interval, &reap_interval_ops, &reap_interval, 0644);
MODULE_PARM_DESC(reap_interval,
		 "seconds between magazine resizes (idle CPUs' magazines and the working-set reap: every second), 0: no reaper, at most 86400 (default 15); takes effect at once");

static unsigned int resize_contention = 3;
module_param(resize_contention, uint, 0644);
MODULE_PARM_DESC(resize_contention,
		 "depot contentions per reap interval that grow a cache's magazines (default 3)");

static unsigned int idle_intervals = 4;
module_param(idle_intervals, uint, 0644);
MODULE_PARM_DESC(idle_intervals,
		 "reap intervals without allocation that shrink a cache's magazines (default 4)");

static struct shrinker *bslab_shrinker;
static int hotplug_state;

/* ---- reaping one cache ---- */

/**
 * bslab_reap_now() - reap a cache: depot magazines, then empty slabs
 * @cp: the cache
 * @how: BSLAB_REAP_SURPLUS: the depot's working-set surplus (the reaper);
 *	BSLAB_REAP_ALL: every depot magazine (bslab_cache_reap(), and the
 *	reaper for a cache no CPU used during its second);
 *	BSLAB_REAP_SHRINK: every depot magazine, counted as shrinking
 *
 * Counts what was freed in reap_magazines, reap_objects and reap_pages, or
 * for the shrinker in shrink_objects and shrink_pages.
 *
 * Context: process context, may sleep (destructors run).
 * Return: objects given back: rounds of the freed magazines and objects of
 * the freed slabs.
 */
unsigned long bslab_reap_now(struct bslab_cache *cp, enum bslab_reap_how how)
{
	struct bslab_depot_events *ev = &cp->depot.ev;
	unsigned long objs, mags, slabs, flags;

	objs = bslab_depot_purge(cp, how != BSLAB_REAP_SURPLUS, &mags);
	slabs = bslab_slab_reap(cp);
	/* not depot_contention's business: a plain lock */
	raw_spin_lock_irqsave(&cp->depot.lock, flags);
	if (how == BSLAB_REAP_SHRINK) {
		ev->shrink_objects += objs + slabs * cp->objs;
		ev->shrink_pages += slabs << cp->order;
	} else {
		ev->reap_magazines += mags;
		ev->reap_objects += objs;
		ev->reap_pages += slabs << cp->order;
	}
	raw_spin_unlock_irqrestore(&cp->depot.lock, flags);
	trace_bslab_reap(cp->name, how, mags, slabs);
	return objs + slabs * cp->objs;
}

/* ---- the reaper ---- */

/* Grow or shrink the magazine size by the interval's contention and use. */
static void tick_resize(struct bslab_cache *cp, const struct bslab_stats *st)
{
	struct bslab_depot *d = &cp->depot;
	u64 contention = st->depot_contention - d->contention_seen;

	d->contention_seen = st->depot_contention;
	if (st->alloc != d->alloc_seen)
		d->idle_ticks = 0;
	else if (d->idle_ticks < UINT_MAX)
		d->idle_ticks++;
	d->alloc_seen = st->alloc;

	if (contention > resize_contention)
		bslab_magazine_resize(cp, true);
	else if (idle_intervals && d->idle_ticks >= idle_intervals &&
		 bslab_magazine_resize(cp, false))
		d->idle_ticks = 0;
}

/*
 * One reap interval of one cache: resize, bound, reserve, then its second's
 * reap (@how).
 */
static void reap_tick_locked(struct bslab_cache *cp, enum bslab_reap_how how)
{
	struct bslab_stats st;

	lockdep_assert_held(&bslab_caches_mutex);
	if (!(cp->flags & BSLAB_NOMAGAZINE)) {
		bslab_cache_stats(cp, &st);
		tick_resize(cp, &st);
		bslab_depot_limit_tick(cp);
	}
	bslab_slab_reserve_tick(cp);
	bslab_reap_now(cp, how);
}

/**
 * bslab_reap_tick() - one reap interval of one cache, now
 * @cp: the cache
 *
 * What the reaper does to each cache every reap_interval seconds: the
 * magazine resize policy, then the working-set reap of the depot, then
 * every empty slab back to the page allocator.
 *
 * Context: process context; takes bslab_caches_mutex.
 */
void bslab_reap_tick(struct bslab_cache *cp)
{
	mutex_lock(&bslab_caches_mutex);
	reap_tick_locked(cp, BSLAB_REAP_SURPLUS);
	mutex_unlock(&bslab_caches_mutex);
}

BSLAB_EXPORT_INTERNAL(bslab_reap_tick);

/*
 * Every second: the idle CPUs' magazines of each cache, then the
 * working-set reap of each cache (of its whole depot if no CPU used it);
 * every reap_interval seconds the whole tick instead of the reap.  The
 * drains need the hotplug lock, which comes before bslab_caches_mutex; it
 * is dropped before the reaps, which run destructors.
 */
static void reap_worker(struct work_struct *work)
{
	struct bslab_cache *cp;
	unsigned int secs = READ_ONCE(reap_seconds) + 1;
	bool tick = secs >= READ_ONCE(reap_interval);
	enum bslab_reap_how how;

	WRITE_ONCE(reap_seconds, tick ? 0 : secs);
	cpus_read_lock();
	mutex_lock(&bslab_caches_mutex);
	list_for_each_entry(cp, &bslab_caches, caches)
		cp->depot.cpus_idle = bslab_cpu_drain_idle(cp);
	cpus_read_unlock();
	list_for_each_entry(cp, &bslab_caches, caches) {
		how = cp->depot.cpus_idle ? BSLAB_REAP_ALL : BSLAB_REAP_SURPLUS;
		if (tick)
			reap_tick_locked(cp, how);
		else
			bslab_reap_now(cp, how);
	}
	mutex_unlock(&bslab_caches_mutex);
	reaper_arm();
}

/**
 * bslab_reap_all() - bslab_cache_reap() every cache, as the reap file asks
 *
 * Client caches first, then bslab's internal ones (the descriptors,
 * bufctls and magazines the first reaps freed), so everything a cache does
 * not use goes back to the page allocator: what an admin asks before
 * comparing /proc/meminfo's Slab with an earlier value.  bslab_setup_mutex
 * keeps the cache list still (its writers hold it) while magazines are
 * drained on every CPU, which bslab_caches_mutex may not be held for.
 *
 * Context: process context; takes bslab_setup_mutex.
 */
void bslab_reap_all(void)
{
	struct bslab_cache *cp;

	mutex_lock(&bslab_setup_mutex);
	list_for_each_entry_reverse(cp, &bslab_caches, caches)
		bslab_cache_reap_nowait(cp);	/* the work takes this mutex */
	mutex_unlock(&bslab_setup_mutex);
}

/* ---- the shrinker ---- */

static unsigned long shrink_count(struct shrinker *s,
				  struct shrink_control *sc)
{
	unsigned long n = 0;
	struct bslab_cache *cp;

	if (!mutex_trylock(&bslab_caches_mutex))
		return 0;
	list_for_each_entry(cp, &bslab_caches, caches) {
		n += READ_ONCE(cp->depot.nfull) * bslab_magazine_size(cp) +
		     READ_ONCE(cp->nr_empty) * cp->objs;
		if (READ_ONCE(cp->reclaim))	/* what the client may give back */
			n += READ_ONCE(cp->buf_out);
	}
	mutex_unlock(&bslab_caches_mutex);
	return n ?: SHRINK_EMPTY;
}

static unsigned long shrink_scan(struct shrinker *s,
				 struct shrink_control *sc)
{
	void (*reclaim)(void *priv);
	unsigned long freed = 0, flags;
	struct bslab_cache *cp;

	if (!mutex_trylock(&bslab_caches_mutex))
		return SHRINK_STOP;
	list_for_each_entry(cp, &bslab_caches, caches) {
		if (freed >= sc->nr_to_scan)
			break;
		reclaim = READ_ONCE(cp->reclaim);
		if (reclaim) {
			reclaim(cp->priv);
			raw_spin_lock_irqsave(&cp->depot.lock, flags);
			cp->depot.ev.reclaim_calls++;
			raw_spin_unlock_irqrestore(&cp->depot.lock, flags);
		}
		freed += bslab_reap_now(cp, BSLAB_REAP_SHRINK);
	}
	mutex_unlock(&bslab_caches_mutex);
	trace_bslab_shrink(sc->nr_to_scan, freed);
	return freed;
}

/* ---- CPU hotplug ---- */

/* No mutex here: see the top of this file. */
static int cpu_dead(unsigned int cpu)
{
	struct bslab_cache *cp;

	rcu_read_lock();
	list_for_each_entry_rcu(cp, &bslab_caches, caches)
		bslab_cpu_drain(cp, cpu);
	rcu_read_unlock();
	return 0;
}

int bslab_reap_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "bslab:dead",
					NULL, cpu_dead);
	if (ret < 0)
		return ret;
	hotplug_state = ret;

	bslab_shrinker = bslab_shrinker_create("bslab", shrink_count,
					       shrink_scan);
	if (!bslab_shrinker) {
		cpuhp_remove_state_nocalls(hotplug_state);
		return -ENOMEM;
	}
	WRITE_ONCE(reaper_ready, true);
	reaper_arm();
	return 0;
}

void bslab_reap_exit(void)
{
	WRITE_ONCE(reaper_ready, false);
	cancel_delayed_work_sync(&reap_work);
	bslab_shrinker_destroy(bslab_shrinker);
	cpuhp_remove_state_nocalls(hotplug_state);
}
