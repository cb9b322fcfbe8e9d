// SPDX-License-Identifier: GPL-2.0
/*
 * bslab debugfs: /sys/kernel/debug/bslab/.
 *
 *   kmastat		one row per cache (name, object size, objects in use
 *			and in total, memory held, allocations, failures) and
 *			a Total row, like Solaris kmastat
 *   <cache>/stats	every statistic of <bslab_stat_list.h>, one "name value" a
 *			line, in the table's order
 *   <cache>/slabs	one line per slab (address, color, objects in use and
 *			in total, state): the fragmentation view
 *   <cache>/magazines	per online CPU the rounds and size of the loaded and
 *			previous magazine (read on that CPU by a cross-call,
 *			so the numbers are exact), then the depot
 *   <cache>/debug	the debug modes on; "+mode -mode" switches (debug.c)
 *   <cache>/failslab	0 or 1: fault injection on the cache (debug.c)
 *   <cache>/users	kmausers of an audited cache (audit.c)
 *   <cache>/verify	the cache's consistency, "ok" when clean (verify.c)
 *   failslab/		the fault-injection attributes (debug.c)
 *   kmausers		kmausers of every audited cache (audit.c)
 *   verify		verify of every cache (verify.c)
 *   reap		write 1: bslab_cache_reap() every cache now (reap.c)
 *
 * Readers only take snapshots: a cache's statistics under its lock
 * (bslab_cache_stats()), the cache list under bslab_caches_mutex.  Files of
 * a cache are removed before the cache is freed, under bslab_setup_mutex
 * and never under bslab_caches_mutex; debugfs makes reads of a removed file
 * fail rather than reach the cache, and waits for reads under way.  So no
 * reader may wait for bslab_setup_mutex or the CPU hotplug lock (see
 * internal.h): the magazines file calls each online CPU without the hotplug
 * lock, and a CPU that went offline meanwhile is shown as such.
 * Documentation/admin-guide/bslab.rst describes each format.
 */
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/smp.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

#include "internal.h"

static struct dentry *bslab_debugfs_root;

#define SHOW_STAT(name) seq_printf(m, "%s %llu\n", #name, st.name)

static int stats_show(struct seq_file *m, void *v)
{
	struct bslab_stats st;

	bslab_cache_stats(m->private, &st);
#define BSLAB_GAUGE(name) SHOW_STAT(name)
#define BSLAB_EVENT(name) SHOW_STAT(name)
#define BSLAB_DEPOT_EVENT(name) SHOW_STAT(name)
#define BSLAB_CPU_EVENT(name) SHOW_STAT(name)
#include <bslab_stat_list.h>
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static const char *const state_names[] = {
	[BSLAB_SLAB_EMPTY] = "empty",
	[BSLAB_SLAB_PARTIAL] = "partial",
	[BSLAB_SLAB_FULL] = "full",
	[BSLAB_SLAB_DEFERRED] = "deferred",
};

static void slab_line(struct seq_file *m, const struct bslab_cache *cp,
		      const struct bslab_slab *sp)
{
	seq_printf(m, "%p %6u %6u %6u %s\n", slab_base(cp, sp), sp->color,
		   sp->inuse, cp->objs, state_names[sp->state]);
}

static int slabs_show(struct seq_file *m, void *v)
{
	struct bslab_cache *cp = m->private;
	struct bslab_slab *sp;
	struct rb_node *node;
	unsigned long flags;

	seq_puts(m, "# slab             color  inuse  total state\n");
	raw_spin_lock_irqsave(&cp->lock, flags);
	list_for_each_entry(sp, &cp->full, list)
		slab_line(m, cp, sp);
	for (node = rb_first_cached(&cp->partial); node; node = rb_next(node))
		slab_line(m, cp, rb_entry(node, struct bslab_slab, node));
	list_for_each_entry(sp, &cp->empty, list)
		slab_line(m, cp, sp);
	list_for_each_entry(sp, &cp->deferred, list)
		slab_line(m, cp, sp);
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(slabs);

struct mag_peek {
	struct bslab_cache *cp;
	unsigned int busy;
	unsigned int loaded_rounds, loaded_size, prev_rounds, prev_size;
};

/* Runs on the CPU it looks at, in an IPI: nothing there can move under it. */
static void peek_cpu(void *arg)
{
	struct mag_peek *p = arg;
	struct bslab_cpu_cache *cc = this_cpu_ptr(p->cp->cpu);

	p->busy = cc->busy;
	if (p->busy)
		return;
	p->loaded_rounds = cc->loaded->rounds;
	p->loaded_size = cc->loaded->size;
	p->prev_rounds = cc->prev->rounds;
	p->prev_size = cc->prev->size;
}

static int magazines_show(struct seq_file *m, void *v)
{
	struct mag_peek p = { .cp = m->private };
	struct bslab_depot *d = &p.cp->depot;
	unsigned long flags, nfull, nempty, min_full, min_empty;
	unsigned int cpu;

	/* no cpus_read_lock(): see the top of this file */
	for_each_online_cpu(cpu) {
		if (smp_call_function_single(cpu, peek_cpu, &p, 1))
			seq_printf(m, "cpu %u offline\n", cpu);
		else if (p.busy)
			seq_printf(m, "cpu %u busy\n", cpu);
		else
			seq_printf(m, "cpu %u loaded %u/%u previous %u/%u\n", cpu,
				   p.loaded_rounds, p.loaded_size,
				   p.prev_rounds, p.prev_size);
	}

	raw_spin_lock_irqsave(&d->lock, flags);
	nfull = d->nfull;
	nempty = d->nempty;
	min_full = d->min_full;
	min_empty = d->min_empty;
	raw_spin_unlock_irqrestore(&d->lock, flags);
	seq_printf(m, "depot full %lu empty %lu min_full %lu min_empty %lu magazine_size %u\n",
		   nfull, nempty, min_full, min_empty,
		   bslab_magazine_size(p.cp));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(magazines);

static void kmastat_rule(struct seq_file *m)
{
	seq_puts(m, "------------------------------- ------ --------- --------- --------- ------------ ------------ ------\n");
}

/**
 * bslab_kmastat_show() - print the kmastat table
 * @m: where to print
 *
 * Context: takes bslab_caches_mutex.
 */
void bslab_kmastat_show(struct seq_file *m)
{
	unsigned long large_n, large_bytes;
	u64 mem = 0, allocs = 0, fails = 0;
	struct bslab_cache *cp;
	struct bslab_stats st;

	seq_puts(m, "cache                              buf       buf       buf       buf       memory        alloc  alloc\n");
	seq_puts(m, "name                              size    in use     total   in mags       in use      succeed   fail\n");
	kmastat_rule(m);
	mutex_lock(&bslab_caches_mutex);
	list_for_each_entry(cp, &bslab_caches, caches) {
		bslab_cache_stats(cp, &st);
		seq_printf(m, "%-31s %6llu %9llu %9llu %9llu %12llu %12llu %6llu\n",
			   cp->name, st.buf_size, st.buf_inuse, st.buf_total,
			   st.buf_magazine, st.mem_total, st.alloc,
			   st.alloc_fail);
		mem += st.mem_total;
		allocs += st.alloc;
		fails += st.alloc_fail;
	}
	mutex_unlock(&bslab_caches_mutex);
	bslab_sizes_large_stats(&large_n, &large_bytes);
	seq_printf(m, "%-31s %6s %9lu %9lu %9s %12lu %12s %6s\n",
		   "bslab_alloc_pages", "-", large_n, large_n, "-", large_bytes,
		   "-", "-");
	kmastat_rule(m);
	seq_printf(m, "%-31s %6s %9s %9s %9s %12llu %12llu %6llu\n", "Total",
		   "", "", "", "", mem + large_bytes, allocs, fails);
}

static int kmastat_show(struct seq_file *m, void *v)
{
	bslab_kmastat_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kmastat);

/**
 * bslab_debugfs_add() - give a new cache its directory
 * @cp: the cache
 *
 * Context: bslab_setup_mutex held.  A failure leaves the cache without
 * files, which debugfs already reports; the cache works regardless.
 */
void bslab_debugfs_add(struct bslab_cache *cp)
{
	lockdep_assert_held(&bslab_setup_mutex);
	cp->debugfs = debugfs_create_dir(cp->name, bslab_debugfs_root);
	debugfs_create_file("stats", 0400, cp->debugfs, cp, &stats_fops);
	debugfs_create_file("slabs", 0400, cp->debugfs, cp, &slabs_fops);
	debugfs_create_file("magazines", 0400, cp->debugfs, cp,
			    &magazines_fops);
	bslab_debug_files(cp, cp->debugfs);
}

/**
 * bslab_debugfs_remove() - remove a cache's directory
 * @cp: the cache
 *
 * Waits for reads under way.
 *
 * Context: bslab_setup_mutex held, bslab_caches_mutex not.
 */
void bslab_debugfs_remove(struct bslab_cache *cp)
{
	lockdep_assert_held(&bslab_setup_mutex);
	debugfs_remove_recursive(cp->debugfs);
	cp->debugfs = NULL;
}

/*
 * The reap file is removed only with bslab (its fops pin the module while
 * it is open), never by a destroy: its writer may take bslab_setup_mutex,
 * and it needs none of debugfs' removal proxy (which has no write_iter).
 */
static ssize_t reap_write(struct kiocb *iocb, struct iov_iter *from)
{
	size_t len = iov_iter_count(from);
	char buf[8];
	bool yes;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_iter(buf, len, from) != len)
		return -EFAULT;
	buf[len] = '\0';
	if (kstrtobool(strim(buf), &yes) || !yes)
		return -EINVAL;
	bslab_reap_all();
	return len;
}

static const struct file_operations reap_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write_iter = reap_write,
	.llseek = noop_llseek,
};

int bslab_debugfs_init(void)
{
	bslab_debugfs_root = debugfs_create_dir("bslab", NULL);
	debugfs_create_file("kmastat", 0400, bslab_debugfs_root, NULL,
			    &kmastat_fops);
	debugfs_create_file_unsafe("reap", 0200, bslab_debugfs_root, NULL,
				   &reap_fops);
	bslab_debug_init(bslab_debugfs_root);
	return 0;
}

void bslab_debugfs_exit(void)
{
	debugfs_remove_recursive(bslab_debugfs_root);
	bslab_debugfs_root = NULL;
}
