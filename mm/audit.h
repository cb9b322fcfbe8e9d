/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Audit (audit.c): records of who allocated and freed each object of an
 * audited cache; kmausers.
 */
#ifndef _BSLAB_AUDIT_H
#define _BSLAB_AUDIT_H

#include <linux/sched.h>
#include <linux/stackdepot.h>
#include "internal.h"

/**
 * struct bslab_audit - what is known of one object address of a cache
 * @next: next record in the bucket, or on the spare list
 * @addr: the object's address, inverted (~address); 0 on the spare list.
 *	kmemleak scans the records (kmalloc()ed, so tracked) and takes any
 *	word pointing into an object for a reference to it: the address as
 *	it is would keep kmemleak from ever reporting a leaked object of an
 *	audited cache, and, kept after its slab went back, would hide a leak
 *	of whatever object comes to lie there.  So it is stored inverted,
 *	records come zeroed and a slab's records are cleared as it goes.
 * @alloc_stack: stack of its last allocation (0 if it could not be saved)
 * @free_stack: stack of its last free, 0 while it is in use
 * @alloc_ns: local_clock() at the allocation
 * @free_ns: local_clock() at the free
 * @pid: the allocating task
 * @cpu: the allocating CPU
 * @in_use: allocated and not freed since
 * @comm: the allocating task's command
 */
struct bslab_audit {
	struct bslab_audit *next;
	unsigned long addr;
	depot_stack_handle_t alloc_stack;
	depot_stack_handle_t free_stack;
	u64 alloc_ns;
	u64 free_ns;
	pid_t pid;
	int cpu;
	bool in_use;
	char comm[TASK_COMM_LEN];
};

/**
 * struct bslab_audit_table - the records of one audited cache
 * @bits: log2 of the number of buckets
 * @records: records in the buckets
 * @in_use: ... of them for objects in use
 * @spare: records not in use by any address
 * @heads: the buckets
 */
struct bslab_audit_table {
	unsigned int bits;
	unsigned long records;
	unsigned long in_use;
	struct bslab_audit *spare;
	struct bslab_audit *heads[];
};

int bslab_audit_start(struct bslab_cache *cp);
void bslab_audit_stop(struct bslab_cache *cp);
void bslab_audit_alloc(struct bslab_cache *cp, void **objs, size_t n);
depot_stack_handle_t bslab_audit_free_stack(struct bslab_cache *cp);
void bslab_audit_free_locked(struct bslab_cache *cp, const void *obj,
			     depot_stack_handle_t stack);
void bslab_audit_forget_locked(struct bslab_cache *cp, const void *obj);
void bslab_audit_rescale(struct bslab_cache *cp);
void bslab_audit_report(struct bslab_cache *cp, const void *obj);
int bslab_audit_users_show(struct seq_file *m, struct bslab_cache *cp);
int bslab_audit_kmausers_show(struct seq_file *m);
int bslab_audit_users_store(struct bslab_cache *cp, char *buf);
void bslab_audit_leaks(struct bslab_cache *cp);

#endif /* _BSLAB_AUDIT_H */
