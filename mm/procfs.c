// SPDX-License-Identifier: GPL-2.0
/*
 * bslab procfs: /proc/bslabinfo, one line per cache in exactly the layout of
 * /proc/slabinfo version 2.1, so slabtop-style parsers read it unchanged.
 *
 *   <objsize>		chunk_size: the bytes an object takes in a slab
 *   <pagesperslab>	2^order
 *   tunables		limit and batchcount: the magazine size (rounds a
 *			CPU holds per magazine, and moves per depot trip);
 *			sharedfactor: 0
 *   slabdata		active slabs (full + partial), all slabs, and
 *			objects held in magazines (sharedavail)
 *
 * Mode 0400 by default, like /proc/slabinfo; the bslabinfo_mode module
 * parameter may set 0440 at load (a group may read it); any mode that
 * gives more is refused, since the file shows kernel memory layout.
 * Readers take bslab_caches_mutex, then each cache's lock for its snapshot.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "files.h"

static ushort bslabinfo_mode = 0400;

static int bslabinfo_mode_set(const char *val, const struct kernel_param *kp)
{
	u16 mode;
	int ret = kstrtou16(val, 8, &mode);

	if (ret)
		return ret;
	if (mode != 0400 && mode != 0440) {
		pr_err("bslab: bslabinfo_mode=%o: only 0400 or 0440 (never readable by others)\n",
		       mode);
		return -EINVAL;
	}
	bslabinfo_mode = mode;
	return 0;
}

static const struct kernel_param_ops bslabinfo_mode_ops = {
	.set = bslabinfo_mode_set,
	.get = param_get_ushort,
};

module_param_cb(bslabinfo_mode, &bslabinfo_mode_ops, &bslabinfo_mode, 0400);
MODULE_PARM_DESC(bslabinfo_mode,
		 "file mode of /proc/bslabinfo, in octal: 0400 (default) or 0440");

static int bslabinfo_show(struct seq_file *m, void *v)
{
	struct bslab_cache *cp;
	struct bslab_stats st;

	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	mutex_lock(&bslab_caches_mutex);
	list_for_each_entry(cp, &bslab_caches, caches) {
		bslab_cache_stats(cp, &st);
		seq_printf(m, "%-17s %6llu %6llu %6llu %4llu %4lu : tunables %4llu %4llu %4u : slabdata %6llu %6llu %6llu\n",
			   cp->name, st.buf_inuse, st.buf_total,
			   st.chunk_size, st.buf_per_slab,
			   1UL << cp->order, st.magazine_size,
			   st.magazine_size, 0,
			   st.slab_full + st.slab_partial,
			   st.slab_full + st.slab_partial + st.slab_empty,
			   st.buf_magazine);
	}
	mutex_unlock(&bslab_caches_mutex);
	return 0;
}

int bslab_procfs_init(void)
{
	if (!proc_create_single("bslabinfo", bslabinfo_mode, NULL,
				bslabinfo_show))
		return -ENOMEM;
	return 0;
}

void bslab_procfs_exit(void)
{
	remove_proc_entry("bslabinfo", NULL);
}
