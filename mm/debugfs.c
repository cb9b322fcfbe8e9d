// SPDX-License-Identifier: GPL-2.0
/*
 * bslab debugfs: /sys/kernel/debug/bslab/.
 *
 *   kmastat		one row per cache (name, object size, objects in use
 *			and in total, memory held, allocations, failures) and
 *			a Total row, like Solaris kmastat
 *   kmastat_node	a row per cache and NUMA node it has slabs on (slabs,
 *			objects, memory), and a Total row per node
 *   <cache>/stats	every statistic of <bslab_stat_list.h>, one "name value" a
 *			line, in the table's order; then three lines for each
 *			online node: node<N>_slabs, _buf_total, _buf_out
 *   <cache>/slabs	one line per slab (address, color, objects in use and
 *			in total, state, node): the fragmentation view
 *   <cache>/magazines	per online CPU the rounds and size of the loaded and
 *			previous magazine, and of the remote one if it has
 *			one (NUMA) (read on that CPU by a cross-call,
 *			so the numbers are exact), then the depot
 *   <cache>/debug	the debug modes on; "+mode -mode" switches them
 *			(bslab_debug_set(), debug.c)
 *   <cache>/failslab	0 or 1: fault injection on the cache
 *   <cache>/users	kmausers of an audited cache (audit.c)
 *   <cache>/verify	the cache's consistency, "ok" when clean (verify.c)
 *   failslab/		the fault-injection attributes (debug.c)
 *   kmausers		kmausers of every audited cache (audit.c)
 *   verify		verify of every cache (verify.c)
 *   reap		write 1: bslab_cache_reap() every cache now (reap.c)
 *
 * Every writable file takes one short line (write_text()); the control
 * files of a cache write through debugfs_file_get(), so a write never
 * reaches a cache whose directory is being removed.
 *
 * Readers only take snapshots: a cache's statistics under its lock
 * (bslab_cache_stats()), the cache list under bslab_caches_mutex.  Files of
 * a cache are removed before the cache is freed; debugfs makes reads of a
 * removed file fail rather than reach the cache, and waits for reads under
 * way, so a reader takes neither bslab_setup_mutex nor the CPU hotplug lock
 * (internal.h's rules): the magazines file calls each online CPU without
 * the hotplug lock, and a CPU that went offline meanwhile is shown as such.
 * Documentation/admin-guide/bslab.rst describes each format.
 */
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/smp.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

#include "files.h"
#include "slab.h"
#include "debug.h"
#include "depot.h"
#include "reap.h"
#include "audit.h"
#include "sizes.h"

static struct dentry *bslab_debugfs_root;

#define SHOW_STAT(name) seq_printf(m, "%s %llu\n", #name, st.name)

/*
 * Each online node's share, after the table: node<N>_slabs,
 * node<N>_buf_total (objects in its slabs), node<N>_buf_out (of them, in
 * use or in magazines), read together under the cache's lock, and
 * node<N>_full_magazines (the depot's full magazines of its objects).
 */
static void stats_nodes(struct seq_file *m, struct bslab_cache *cp)
{
	unsigned long slabs, out;
	int nid;

	for_each_online_node(nid) {
		bslab_slab_node(cp, nid, &slabs, &out);
		seq_printf(m, "node%d_slabs %lu\nnode%d_buf_total %lu\nnode%d_buf_out %lu\n",
			   nid, slabs, nid, slabs * cp->objs, nid, out);
		seq_printf(m, "node%d_full_magazines %lu\n", nid,
			   READ_ONCE(cp->node[nid].nr_mag_full));
	}
}

static int stats_show(struct seq_file *m, void *v)
{
	struct bslab_stats st;

	bslab_cache_stats(m->private, &st);
#define BSLAB_GAUGE(name) SHOW_STAT(name)
#define BSLAB_EVENT(name) SHOW_STAT(name)
#define BSLAB_DEPOT_EVENT(name) SHOW_STAT(name)
#define BSLAB_CPU_EVENT(name) SHOW_STAT(name)
#include <bslab_stat_list.h>
	stats_nodes(m, m->private);
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
	seq_printf(m, "%p %6u %6u %6u %-8s %4u\n", slab_base(cp, sp),
		   sp->color, sp->inuse, cp->objs, state_names[sp->state],
		   sp->nid);
}

static int slabs_show(struct seq_file *m, void *v)
{
	struct bslab_cache *cp = m->private;
	struct bslab_slab *sp;
	struct bslab_node *n;
	struct rb_node *node;
	unsigned long flags;
	int nid;

	seq_puts(m, "# slab             color  inuse  total state    node\n");
	raw_spin_lock_irqsave(&cp->lock, flags);
	for (nid = 0; nid < nr_node_ids; nid++) {
		n = &cp->node[nid];
		list_for_each_entry(sp, &n->full, list)
			slab_line(m, cp, sp);
		for (node = rb_first_cached(&n->partial); node;
		     node = rb_next(node))
			slab_line(m, cp, rb_entry(node, struct bslab_slab, node));
		list_for_each_entry(sp, &n->empty, list)
			slab_line(m, cp, sp);
	}
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
	unsigned int remote_rounds, remote_size;
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
	p->remote_rounds = cc->remote->rounds;
	p->remote_size = cc->remote->size;
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
		else if (!p.remote_size)
			seq_printf(m, "cpu %u loaded %u/%u previous %u/%u\n", cpu,
				   p.loaded_rounds, p.loaded_size,
				   p.prev_rounds, p.prev_size);
		else
			seq_printf(m, "cpu %u loaded %u/%u previous %u/%u remote %u/%u\n",
				   cpu, p.loaded_rounds, p.loaded_size,
				   p.prev_rounds, p.prev_size, p.remote_rounds,
				   p.remote_size);
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

/* The kmastat table.  Takes bslab_caches_mutex. */
static int kmastat_show(struct seq_file *m, void *v)
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
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kmastat);

static void kmastat_node_rule(struct seq_file *m)
{
	seq_puts(m, "------------------------------- ---- --------- --------- --------- ------------\n");
}

/*
 * kmastat by node: a row for each cache and each online node where it has
 * slabs, then a Total row for each online node (slab memory only: the
 * large bslab_alloc() pages are not told apart by node).  Takes
 * bslab_caches_mutex.
 */
static int kmastat_node_show(struct seq_file *m, void *v)
{
	unsigned long slabs, out, *mem;
	struct bslab_cache *cp;
	int nid;

	mem = kcalloc(nr_node_ids, sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	seq_puts(m, "cache                           node     slabs       buf       buf       memory\n");
	seq_puts(m, "name                                             total    in use       in use\n");
	kmastat_node_rule(m);
	mutex_lock(&bslab_caches_mutex);
	list_for_each_entry(cp, &bslab_caches, caches) {
		for_each_online_node(nid) {
			bslab_slab_node(cp, nid, &slabs, &out);
			if (!slabs)
				continue;
			seq_printf(m, "%-31s %4d %9lu %9lu %9lu %12lu\n", cp->name,
				   nid, slabs, slabs * cp->objs, out,
				   slabs * slab_bytes(cp));
			mem[nid] += slabs * slab_bytes(cp);
		}
	}
	mutex_unlock(&bslab_caches_mutex);
	kmastat_node_rule(m);
	for_each_online_node(nid)
		seq_printf(m, "%-31s %4d %9s %9s %9s %12lu\n", "Total", nid, "",
			   "", "", mem[nid]);
	kfree(mem);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kmastat_node);

/* ---- writes ---- */

/*
 * Every writable file takes one short line: copied from the writer, white
 * space around it trimmed.  Return: the text, in @buf; ERR_PTR(-EINVAL) if
 * it does not fit in @size - 1 bytes, ERR_PTR(-EFAULT) if it cannot be read.
 */
static char *write_text(struct iov_iter *from, char *buf, size_t size)
{
	size_t len = iov_iter_count(from);

	if (len >= size)
		return ERR_PTR(-EINVAL);
	if (copy_from_iter(buf, len, from) != len)
		return ERR_PTR(-EFAULT);
	buf[len] = '\0';
	return strim(buf);
}

/* A top-level file's write: its line to @store (0 or -errno). */
static ssize_t top_write(struct iov_iter *from, int (*store)(char *text))
{
	size_t len = iov_iter_count(from);
	char buf[16], *text = write_text(from, buf, sizeof(buf));
	int err;

	if (IS_ERR(text))
		return PTR_ERR(text);
	err = store(text);
	return err ?: len;
}

/* ---- control files: debug modes, audit, verify ---- */

/* The debug modes, as the debug file names them. */
static const char *const mode_names[] = {
	"failslab", "poison", "audit", "redzone",
};

static const unsigned int mode_bits[] = {
	BSLAB_DBG_FAILSLAB, BSLAB_DBG_POISON, BSLAB_DBG_AUDIT, BSLAB_DBG_REDZONE,
};

/*
 * Per-cache control files with their own read_iter and write_iter
 * (debugfs's simple attributes have neither), so that kernel code, bslab's
 * tests, can write them as well as write(2) can.  Created "unsafe", so each
 * access to the cache holds the file against removal itself.
 *
 *   <cache>/debug	the modes on ("poison failslab", or "none"); takes
 *			"+mode", "-mode", "mode" (= +mode) or "none", several
 *			separated by spaces
 *   <cache>/failslab	"0" or "1": the failslab mode alone
 *   <cache>/users	kmausers of the cache (audit.c); takes "all" or "large"
 *   kmausers		kmausers of every audited cache (top level); the same
 *   <cache>/verify	the cache's consistency (verify.c), "ok" when clean
 *   verify		the same for every cache (top level)
 */
struct ctl_file {
	int (*show)(struct seq_file *m, struct bslab_cache *cp);
	int (*store)(struct bslab_cache *cp, char *buf);
};

static int ctl_show(struct seq_file *m, void *v)
{
	const struct ctl_file *ctl = m->private;
	struct dentry *d = m->file->f_path.dentry;
	int err;

	err = debugfs_file_get(d);
	if (err)
		return err;
	err = ctl->show(m, file_inode(m->file)->i_private);
	debugfs_file_put(d);
	return err;
}

static ssize_t ctl_write(struct file *file, const struct ctl_file *ctl,
			 struct iov_iter *from)
{
	struct bslab_cache *cp = file_inode(file)->i_private;
	struct dentry *d = file->f_path.dentry;
	size_t len = iov_iter_count(from);
	char buf[64], *text;
	int err;

	if (!ctl->store)
		return -EPERM;
	text = write_text(from, buf, sizeof(buf));
	if (IS_ERR(text))
		return PTR_ERR(text);
	err = debugfs_file_get(d);
	if (err)
		return err;
	err = ctl->store(cp, text);
	debugfs_file_put(d);
	return err ?: len;
}

/* A control file's open, write and file_operations, from its ctl_file. */
#define DEFINE_CTL_FILE(name)						\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, ctl_show, (void *)&name##_ctl);	\
}									\
									\
static ssize_t name##_write(struct kiocb *iocb, struct iov_iter *from)	\
{									\
	return ctl_write(iocb->ki_filp, &name##_ctl, from);		\
}									\
									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read_iter = seq_read_iter,					\
	.write_iter = name##_write,					\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

static int debug_show(struct seq_file *m, struct bslab_cache *cp)
{
	unsigned int modes = READ_ONCE(cp->debug), i;
	bool any = false;

	for (i = 0; i < ARRAY_SIZE(mode_bits); i++) {
		if (modes & mode_bits[i]) {
			seq_printf(m, "%s%s", any ? " " : "", mode_names[i]);
			any = true;
		}
	}
	seq_puts(m, any ? "\n" : "none\n");
	return 0;
}

static int debug_store(struct bslab_cache *cp, char *buf)
{
	unsigned int set = 0, clear = 0, i;
	char *word;
	bool off;

	while ((word = strsep(&buf, " ,\n"))) {
		if (!*word)
			continue;
		if (!strcmp(word, "none")) {	/* what can be switched */
			clear |= BSLAB_DBG_LIVE &
				 ~(cp->ctor ? BSLAB_DBG_POISON : 0);
			continue;
		}
		off = *word == '-';
		word += *word == '-' || *word == '+';
		for (i = 0; i < ARRAY_SIZE(mode_names); i++)
			if (!strcmp(word, mode_names[i]))
				break;
		if (i == ARRAY_SIZE(mode_names)) {
			pr_err("bslab: cache %s: debug: no mode \"%s\" (modes: failslab, poison, audit; redzone only at create)\n",
			       cp->name, word);
			return -EINVAL;
		}
		if (off)
			clear |= mode_bits[i];
		else
			set |= mode_bits[i];
	}
	return bslab_debug_set(cp, set & ~clear, clear);
}

static const struct ctl_file debug_ctl = {
	.show = debug_show, .store = debug_store,
};

DEFINE_CTL_FILE(debug);

static int failslab_show(struct seq_file *m, struct bslab_cache *cp)
{
	seq_printf(m, "%d\n", !!(READ_ONCE(cp->debug) & BSLAB_DBG_FAILSLAB));
	return 0;
}

static int failslab_store(struct bslab_cache *cp, char *buf)
{
	bool on;
	int err = kstrtobool(buf, &on);

	if (err)
		return err;
	return bslab_debug_set(cp, on ? BSLAB_DBG_FAILSLAB : 0,
			       on ? 0 : BSLAB_DBG_FAILSLAB);
}

static const struct ctl_file failslab_ctl = {
	.show = failslab_show, .store = failslab_store,
};

DEFINE_CTL_FILE(failslab);

static int users_show(struct seq_file *m, struct bslab_cache *cp)
{
	return bslab_audit_users_show(m, cp);
}

static const struct ctl_file users_ctl = {
	.show = users_show, .store = bslab_audit_users_store,
};

DEFINE_CTL_FILE(users);

static const struct ctl_file verify_ctl = { .show = bslab_verify_show };

DEFINE_CTL_FILE(verify);

static int verify_all_show(struct seq_file *m, void *v)
{
	return bslab_verify_all_show(m);
}
DEFINE_SHOW_ATTRIBUTE(verify_all);

/* The top-level kmausers file: no cache, and nothing to hold. */
static int kmausers_show(struct seq_file *m, void *v)
{
	return bslab_audit_kmausers_show(m);
}

static int kmausers_open(struct inode *inode, struct file *file)
{
	return single_open(file, kmausers_show, NULL);
}

static int kmausers_store(char *text)
{
	return bslab_audit_users_store(NULL, text);
}

static ssize_t kmausers_write(struct kiocb *iocb, struct iov_iter *from)
{
	return top_write(from, kmausers_store);
}

static const struct file_operations kmausers_fops = {
	.owner = THIS_MODULE,
	.open = kmausers_open,
	.read_iter = seq_read_iter,
	.write_iter = kmausers_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* The control files of a cache's directory. */
static void ctl_files_add(struct bslab_cache *cp, struct dentry *dir)
{
	debugfs_create_file_unsafe("debug", 0600, dir, cp, &debug_fops);
	debugfs_create_file_unsafe("users", 0600, dir, cp, &users_fops);
	debugfs_create_file_unsafe("verify", 0400, dir, cp, &verify_fops);
	if (IS_ENABLED(CONFIG_FAULT_INJECTION))
		debugfs_create_file_unsafe("failslab", 0600, dir, cp,
					   &failslab_fops);
}

/* The top-level control files. */
static void ctl_files_init(struct dentry *root)
{
	/* "unsafe": debugfs's proxy would hide read_iter and write_iter */
	debugfs_create_file_unsafe("kmausers", 0600, root, NULL,
				   &kmausers_fops);
	debugfs_create_file("verify", 0400, root, NULL, &verify_all_fops);
	if (IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS))
		bslab_fault_debugfs("failslab", root, &bslab_failslab);
}

/* ---- directories ---- */

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
	ctl_files_add(cp, cp->debugfs);
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
static int reap_store(char *text)
{
	bool yes;

	if (kstrtobool(text, &yes) || !yes)
		return -EINVAL;
	bslab_reap_all();
	return 0;
}

static ssize_t reap_write(struct kiocb *iocb, struct iov_iter *from)
{
	return top_write(from, reap_store);
}

static const struct file_operations reap_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write_iter = reap_write,
	.llseek = noop_llseek,
};

void bslab_debugfs_init(void)
{
	bslab_debugfs_root = debugfs_create_dir("bslab", NULL);
	debugfs_create_file("kmastat", 0400, bslab_debugfs_root, NULL,
			    &kmastat_fops);
	debugfs_create_file("kmastat_node", 0400, bslab_debugfs_root, NULL,
			    &kmastat_node_fops);
	debugfs_create_file_unsafe("reap", 0200, bslab_debugfs_root, NULL,
				   &reap_fops);
	ctl_files_init(bslab_debugfs_root);
}

void bslab_debugfs_exit(void)
{
	debugfs_remove_recursive(bslab_debugfs_root);
	bslab_debugfs_root = NULL;
}
