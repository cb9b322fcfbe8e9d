// SPDX-License-Identifier: GPL-2.0
/*
 * bslab debugging: how bugs are reported, how a cache is switched into the
 * debug path, and fault injection (failslab) on it.
 *
 * Reports: every bug bslab finds in a caller's use of memory (an invalid or
 * double free today) goes through bslab_bug(), in one form, "bslab: BUG
 * <cache>: <what>" and the stack that found it, rate-limited, tainting the
 * kernel; each kind has its counter (free_invalid).
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
 * before a switch are freed like any other.
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
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/stacktrace.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

#include "internal.h"

static DEFINE_MUTEX(bslab_debug_mutex);

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
DECLARE_FAULT_ATTR(bslab_failslab);
BSLAB_EXPORT_INTERNAL(bslab_failslab);

/*
 * Reports: at most 100 every 5 seconds (the printk default of 10 would drop
 * reports of one bug burst; SLUB does not limit its reports at all).
 */
static DEFINE_RATELIMIT_STATE(bslab_bug_rs, 5 * HZ, 100);

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
 * Return: true if the report was printed (not rate-limited); details a
 * caller adds are printed only then.
 */
bool bslab_bug(struct bslab_cache *cp, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	add_taint(TAINT_BAD_PAGE, LOCKDEP_STILL_OK);
	if (!__ratelimit(&bslab_bug_rs))
		return false;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("bslab: BUG %s: %pV\n", cp->name, &vaf);
	va_end(args);
	print_stack(1);
	return true;
}

/**
 * bslab_debug_set() - switch debug modes of a cache on and off
 * @cp: the cache, live
 * @set: BSLAB_DBG_* bits to switch on
 * @clear: BSLAB_DBG_* bits to switch off
 *
 * Context: process context, may sleep; no bslab lock held.
 */
void bslab_debug_set(struct bslab_cache *cp, unsigned int set,
		     unsigned int clear)
{
	unsigned int old;

	might_sleep();
	mutex_lock(&bslab_debug_mutex);
	old = cp->debug;
	WRITE_ONCE(cp->debug, (old | set) & ~clear);
	if (!old && cp->debug) {
		/* slow paths that saw no debug bit have left: drain */
		synchronize_rcu();
		bslab_cpu_drain_all(cp);
		bslab_reap_now(cp, BSLAB_REAP_ALL);
	}
	mutex_unlock(&bslab_debug_mutex);
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
	    (gfp & __GFP_NOFAIL) || !should_fail(&bslab_failslab, cp->size))
		return false;
	raw_spin_lock_irqsave(&cp->lock, flags);
	cp->ev.alloc_fail++;
	cp->ev.fail_injected++;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	return true;
}

/*
 * <cache>/failslab: "0" or "1".  Its own read_iter and write_iter (debugfs's
 * simple attributes have neither), so that kernel code, bslab's tests, can
 * write it as well as write(2) can.  Created "unsafe", so each access to
 * the cache holds the file against removal itself.
 */
static int failslab_show(struct seq_file *m, void *v)
{
	struct bslab_cache *cp = m->private;
	struct dentry *d = m->file->f_path.dentry;

	if (debugfs_file_get(d))
		return -EIO;
	seq_printf(m, "%d\n", !!(READ_ONCE(cp->debug) & BSLAB_DBG_FAILSLAB));
	debugfs_file_put(d);
	return 0;
}

static int failslab_open(struct inode *inode, struct file *file)
{
	return single_open(file, failslab_show, inode->i_private);
}

static ssize_t failslab_write(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct bslab_cache *cp = file_inode(file)->i_private;
	struct dentry *d = file->f_path.dentry;
	size_t len = iov_iter_count(from);
	char buf[8] = {};
	bool on;
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_iter(buf, len, from) != len)
		return -EFAULT;
	err = kstrtobool(buf, &on);
	if (err)
		return err;
	err = debugfs_file_get(d);
	if (err)
		return err;
	if (on)
		bslab_debug_set(cp, BSLAB_DBG_FAILSLAB, 0);
	else
		bslab_debug_set(cp, 0, BSLAB_DBG_FAILSLAB);
	debugfs_file_put(d);
	return len;
}

static const struct file_operations failslab_fops = {
	.owner = THIS_MODULE,
	.open = failslab_open,
	.read_iter = seq_read_iter,
	.write_iter = failslab_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * bslab_debug_files() - the debug files of a cache's debugfs directory
 * @cp: the cache
 * @dir: its directory
 */
void bslab_debug_files(struct bslab_cache *cp, struct dentry *dir)
{
	if (IS_ENABLED(CONFIG_FAULT_INJECTION))
		debugfs_create_file_unsafe("failslab", 0600, dir, cp,
					   &failslab_fops);
}

/**
 * bslab_debug_init() - bslab's global debug files
 * @root: /sys/kernel/debug/bslab
 */
void bslab_debug_init(struct dentry *root)
{
	if (IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS))
		fault_create_debugfs_attr("failslab", root, &bslab_failslab);
}
