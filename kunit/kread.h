/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a procfs, debugfs or sysfs file from kernel code, for bslab's test
 * and benchmark modules (bslab.ko itself reads no files).  kernel_read()
 * needs .read_iter, which debugfs's proxy and /proc/slabinfo lack; those
 * are seq_files, and a seq_file reads into a kernel iov_iter directly.
 */
#ifndef _BSLAB_KREAD_H
#define _BSLAB_KREAD_H

#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

static inline ssize_t bslab_kread(struct file *f, char *buf, size_t len,
				  loff_t *pos)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t n;

	if (f->f_op->read_iter)
		return kernel_read(f, buf, len, pos);
	init_sync_kiocb(&kiocb, f);
	kiocb.ki_pos = *pos;
	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
	n = seq_read_iter(&kiocb, &iter);
	if (n > 0)
		*pos = kiocb.ki_pos;
	return n;
}

#endif /* _BSLAB_KREAD_H */
