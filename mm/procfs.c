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
 * parameter changes it at load.  Readers take bslab_caches_mutex, then each
 * cache's lock for its snapshot.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "internal.h"

static ushort bslabinfo_mode = 0400;
module_param(bslabinfo_mode, ushort, 0400);
MODULE_PARM_DESC(bslabinfo_mode, "file mode of /proc/bslabinfo (default 0400)");

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
	if (!proc_create_single("bslabinfo", bslabinfo_mode & 0777, NULL,
				bslabinfo_show))
		return -ENOMEM;
	return 0;
}

void bslab_procfs_exit(void)
{
	remove_proc_entry("bslabinfo", NULL);
}
