// SPDX-License-Identifier: GPL-2.0
/*
 * bslab audit: who allocated each object, who freed it last, and the
 * kmausers report built from that (Solaris' KMF_AUDIT and ::kmausers).
 *
 * A cache in AUDIT mode keeps one record per object address in a table of
 * its own: the stack of the allocation (saved in the kernel's stack depot,
 * so that a thousand allocations from one call site share one copy), the
 * CPU, pid, command and time; and once the object is freed, the stack and
 * time of that free.  The records live beside the objects, not in them, so
 * audit can be switched on for a cache that already holds objects (those
 * simply have no record until they are allocated again) and switched off
 * again, which frees every record.
 *
 * The table is a chained hash keyed by the object's address, under
 * cache->lock like the slab layer it describes.  An allocation takes its
 * records from the table's spare list under the lock; a record is never
 * allocated under the raw lock: when the spares run out, the allocation
 * path drops the lock, allocates what it lacks (GFP_NOWAIT) for itself
 * alone (records put on the shared spare list could be taken meanwhile by
 * another CPU, and this allocation would go unrecorded) and goes on.  A
 * record whose object's slab goes back to the page allocator returns to
 * the spare list, its address cleared, so the records never outnumber the
 * objects the cache held at its peak.  A record keeps its object's address
 * inverted, never as a pointer kmemleak would take for a reference (see
 * struct bslab_audit).  The table grows (never shrinks) from the cache's
 * work item, as the bufctl hash does.
 *
 * Stacks are saved without sleeping; the frames inside bslab are cut off, so
 * a stack starts at the caller of bslab_cache_alloc() or bslab_alloc().
 * With audit on, every allocation and free of the cache goes through the
 * slab layer (the debug path: see debug.c), where the records are made.
 *
 * kmausers: the records of objects in use, grouped by allocation stack,
 * largest group first, like ::kmausers: "<bytes> bytes for <n> allocations
 * with data size <size> from cache <name>:" and the stack.  Small groups
 * (below 8 KiB and 100 objects) are left out unless "all" is written to
 * the file.  A cache destroyed with objects in use lists them the same way.
 *
 * Locking: cache->lock covers cache->audit and everything in the table; the
 * table is installed before the AUDIT bit is set and taken away after it is
 * cleared (bslab_debug_set() under bslab_debug_mutex), so whoever sees the
 * bit finds a table or, racing with the switch off, no table, and then
 * records nothing.  Readers copy what they need under the lock and print
 * after it is dropped.
 */
#include <linux/hash.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "audit.h"
#include "debug.h"

/* Frames kept of a stack, after bslab's own are cut off. */
#define AUDIT_DEPTH		16
/* Buckets of a new table, and the most it grows to. */
#define AUDIT_BITS_MIN		8
#define AUDIT_BITS_MAX		20
/* ::kmausers' default: only users of at least this much, or this many. */
#define USERS_MIN_BYTES		8192
#define USERS_MIN_OBJS		100

static struct bslab_audit_table *table_new(unsigned int bits)
{
	struct bslab_audit_table *t;

	t = kvzalloc(struct_size(t, heads, 1UL << bits), GFP_KERNEL);
	if (t)
		t->bits = bits;
	return t;
}

static struct bslab_audit **bucket(struct bslab_audit_table *t,
				   const void *obj)
{
	return &t->heads[hash_ptr((void *)obj, t->bits)];
}

/* A record's @addr for @obj, and back (see struct bslab_audit) */
static inline unsigned long rec_addr(const void *obj)
{
	return ~(unsigned long)obj;
}

static inline const void *rec_obj(const struct bslab_audit *r)
{
	return (const void *)~r->addr;
}

static struct bslab_audit *find_locked(struct bslab_cache *cp,
				       const void *obj)
{
	struct bslab_audit *r;

	lockdep_assert_held(&cp->lock);
	for (r = *bucket(cp->audit, obj); r; r = r->next)
		if (r->addr == rec_addr(obj))
			return r;
	return NULL;
}

static void free_chain(struct bslab_audit *r)
{
	struct bslab_audit *next;

	for (; r; r = next) {
		next = r->next;
		kfree(r);
	}
}

/* Free a table that no one can reach any more, records and all. */
static void table_free(struct bslab_audit_table *t)
{
	unsigned long i;

	if (!t)
		return;
	for (i = 0; i < 1UL << t->bits; i++)
		free_chain(t->heads[i]);
	free_chain(t->spare);
	kvfree(t);
}

/**
 * bslab_audit_start() - give a cache an audit table
 * @cp: the cache, about to get its AUDIT bit
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int bslab_audit_start(struct bslab_cache *cp)
{
	struct bslab_audit_table *t;
	unsigned long flags;
	int err;

	might_sleep();
	err = stack_depot_init();
	if (err)
		return err;
	t = table_new(AUDIT_BITS_MIN);
	if (!t)
		return -ENOMEM;
	raw_spin_lock_irqsave(&cp->lock, flags);
	if (!cp->audit) {
		cp->audit = t;
		t = NULL;
	}
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	kvfree(t);
	return 0;
}

/**
 * bslab_audit_stop() - free a cache's audit table
 * @cp: the cache, whose AUDIT bit is clear (or which is being freed)
 *
 * Context: process context.
 */
void bslab_audit_stop(struct bslab_cache *cp)
{
	struct bslab_audit_table *t;
	unsigned long flags;

	raw_spin_lock_irqsave(&cp->lock, flags);
	t = cp->audit;
	cp->audit = NULL;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	table_free(t);
}

/* May this context allocate a record (GFP_NOWAIT)? */
static bool records_allowed(void)
{
	if (in_nmi())
		return false;
	return !IS_ENABLED(CONFIG_PREEMPT_RT) || preemptible();
}

/* The caller's stack, bslab's own frames cut off, in the stack depot. */
static noinline depot_stack_handle_t audit_stack(void)
{
	unsigned long entries[AUDIT_DEPTH + 8];
	unsigned int n, skip = 0;

	if (!IS_ENABLED(CONFIG_STACKTRACE))
		return 0;
	n = stack_trace_save(entries, ARRAY_SIZE(entries), 1);
#ifdef MODULE
	while (skip < n && within_module(entries[skip], THIS_MODULE))
		skip++;
#endif
	return bslab_stack_save(entries + skip, min(n - skip, AUDIT_DEPTH),
				pages_allowed());
}

static DEFINE_WAIT_OVERRIDE_MAP(hardirq_records_map, LD_WAIT_CONFIG);

/*
 * A chain of up to @n new records (fewer only if memory is short).  In
 * hard IRQ (only without PREEMPT_RT: records_allowed()) lockdep is told
 * that the page allocator's spinlock_t locks are right there.
 */
static struct bslab_audit *records_new(size_t n)
{
	struct bslab_audit *chain = NULL, *r;
	bool irq = in_hardirq();

	if (irq)
		bslab_nonrt_enter(&hardirq_records_map);
	for (; n; n--) {
		r = kzalloc(sizeof(*r), GFP_NOWAIT | __GFP_NOWARN);
		if (!r)
			break;
		r->next = chain;
		chain = r;
	}
	if (irq)
		bslab_nonrt_exit(&hardirq_records_map);
	return chain;
}

/* Give what is left of @chain to the table's spare list; false: no table. */
static bool spares_give_locked(struct bslab_cache *cp,
			       struct bslab_audit *chain)
{
	struct bslab_audit *last;

	lockdep_assert_held(&cp->lock);
	if (!cp->audit)
		return false;
	if (chain) {
		for (last = chain; last->next; last = last->next)
			;
		last->next = cp->audit->spare;
		cp->audit->spare = chain;
	}
	return true;
}

/*
 * Record the allocation of @obj, with a record of *@mine (this caller's
 * own) or else of the spare list; false if no record was to be had.
 */
static bool record_alloc_locked(struct bslab_cache *cp, const void *obj,
				depot_stack_handle_t stack,
				struct bslab_audit **mine)
{
	struct bslab_audit_table *t = cp->audit;
	struct bslab_audit *r, **head, **from;

	lockdep_assert_held(&cp->lock);
	r = find_locked(cp, obj);
	if (!r) {
		from = *mine ? mine : &t->spare;
		r = *from;
		if (!r)
			return false;
		*from = r->next;
		head = bucket(t, obj);
		r->next = *head;
		*head = r;
		r->addr = rec_addr(obj);
		t->records++;
	} else if (r->in_use) {
		t->in_use--;	/* a record the slab layer never saw freed */
	}
	r->alloc_stack = stack;
	r->free_stack = 0;
	r->alloc_ns = local_clock();
	r->pid = task_pid_nr(current);
	r->cpu = raw_smp_processor_id();
	r->in_use = true;
	/* get_task_comm() takes a spinlock_t: not under a raw lock */
	memcpy(r->comm, current->comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = '\0';
	t->in_use++;
	return true;
}

/**
 * bslab_audit_alloc() - record objects the slab layer just handed out
 * @cp: an audited cache
 * @objs: the objects
 * @n: how many
 *
 * Records come from the table's spare list.  When it runs out, the lock is
 * dropped and the records still lacking are allocated (GFP_NOWAIT) for
 * this call alone, so that another CPU recording meanwhile cannot take
 * them: every object is recorded unless memory is short (or this context
 * may not allocate: NMI, or atomic on PREEMPT_RT).  An object for which no
 * record can be had is counted in audit_lost and goes unrecorded.
 *
 * Context: any; no bslab lock held.
 */
void bslab_audit_alloc(struct bslab_cache *cp, void **objs, size_t n)
{
	depot_stack_handle_t stack = audit_stack();
	bool tried = !records_allowed(), grow = false;
	struct bslab_audit *mine = NULL;
	unsigned long flags;
	size_t i = 0;

	for (;;) {
		raw_spin_lock_irqsave(&cp->lock, flags);
		if (!cp->audit)
			break;
		while (i < n && record_alloc_locked(cp, objs[i], stack, &mine))
			i++;
		if (i == n || tried) {
			cp->ev.audit_lost += n - i;
			grow = cp->audit->records > 2UL << cp->audit->bits &&
			       cp->audit->bits < AUDIT_BITS_MAX;
			break;
		}
		raw_spin_unlock_irqrestore(&cp->lock, flags);
		mine = records_new(n - i);
		tried = true;
	}
	if (spares_give_locked(cp, mine))	/* any this call did not use */
		mine = NULL;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	free_chain(mine);
	if (grow)
		schedule_work(&cp->work);
}

/**
 * bslab_audit_free_stack() - the stack to record for a free
 * @cp: the cache
 *
 * Taken before the free takes cache->lock.
 *
 * Return: a stack depot handle, or 0 if @cp is not audited.
 */
depot_stack_handle_t bslab_audit_free_stack(struct bslab_cache *cp)
{
	if (!(debug_modes(cp) & BSLAB_DBG_AUDIT))
		return 0;
	return audit_stack();
}

/**
 * bslab_audit_free_locked() - record the free of an object
 * @cp: the cache
 * @obj: the object, just found allocated and taken back by the slab layer
 * @stack: from bslab_audit_free_stack()
 */
void bslab_audit_free_locked(struct bslab_cache *cp, const void *obj,
			     depot_stack_handle_t stack)
{
	struct bslab_audit *r;

	lockdep_assert_held(&cp->lock);
	if (!cp->audit)
		return;
	r = find_locked(cp, obj);
	if (!r || !r->in_use)	/* allocated before audit was on */
		return;
	r->in_use = false;
	r->free_stack = stack;
	r->free_ns = local_clock();
	cp->audit->in_use--;
}

/**
 * bslab_audit_forget_locked() - an object's slab is going away
 * @cp: the cache
 * @obj: an object of the slab
 *
 * Its record, if any, goes back to the spare list.
 */
void bslab_audit_forget_locked(struct bslab_cache *cp, const void *obj)
{
	struct bslab_audit_table *t = cp->audit;
	struct bslab_audit **link, *r;

	lockdep_assert_held(&cp->lock);
	if (!t)
		return;
	for (link = bucket(t, obj); (r = *link); link = &r->next) {
		if (r->addr != rec_addr(obj))
			continue;
		*link = r->next;
		t->in_use -= r->in_use;
		t->records--;
		r->addr = 0;		/* see struct bslab_audit */
		r->next = t->spare;
		t->spare = r;
		return;
	}
}

/**
 * bslab_audit_rescale() - grow a cache's audit table to its records
 * @cp: the cache
 *
 * Context: the cache's work item.
 */
void bslab_audit_rescale(struct bslab_cache *cp)
{
	struct bslab_audit_table *t, *old;
	struct bslab_audit *r, *next, **head;
	unsigned long flags, i;
	unsigned int bits;

	t = READ_ONCE(cp->audit);
	if (!t)
		return;
	bits = clamp_t(unsigned int, ilog2(READ_ONCE(t->records) | 1) + 1,
		       AUDIT_BITS_MIN, AUDIT_BITS_MAX);
	if (bits <= READ_ONCE(t->bits))
		return;
	t = table_new(bits);
	if (!t)
		return;
	raw_spin_lock_irqsave(&cp->lock, flags);
	old = cp->audit;
	if (!old || old->bits >= bits) {
		raw_spin_unlock_irqrestore(&cp->lock, flags);
		kvfree(t);
		return;
	}
	for (i = 0; i < 1UL << old->bits; i++) {
		for (r = old->heads[i]; r; r = next) {
			next = r->next;
			head = bucket(t, rec_obj(r));
			r->next = *head;
			*head = r;
		}
	}
	t->records = old->records;
	t->in_use = old->in_use;
	t->spare = old->spare;
	cp->audit = t;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	kvfree(old);
}

/* ---- reports ---- */

/* Print a saved stack, one "bslab:" line per frame. */
static void print_stack_lines(depot_stack_handle_t stack)
{
	unsigned long *entries;
	unsigned int n, i;

	n = IS_ENABLED(CONFIG_STACKDEPOT) && stack ?
	    stack_depot_fetch(stack, &entries) : 0;
	if (!n)
		pr_err("bslab:     (stack not saved)\n");
	for (i = 0; i < n; i++)
		pr_err("bslab:     %pS\n", (void *)entries[i]);
}

/**
 * bslab_audit_report() - add what audit knows of an object to a report
 * @cp: the cache
 * @obj: the object a report is about
 *
 * Context: any; no bslab lock held.
 */
void bslab_audit_report(struct bslab_cache *cp, const void *obj)
{
	struct bslab_audit r;
	unsigned long flags;
	bool found = false;
	u64 now;

	raw_spin_lock_irqsave(&cp->lock, flags);
	if (cp->audit) {
		struct bslab_audit *p = find_locked(cp, obj);

		if (p) {
			r = *p;
			found = true;
		}
	}
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	if (!found)
		return;
	now = local_clock();
	pr_err("bslab:   allocated by task %d (%s) on CPU %d, %llu ms ago:\n",
	       r.pid, r.comm, r.cpu, div_u64(now - r.alloc_ns, NSEC_PER_MSEC));
	print_stack_lines(r.alloc_stack);
	if (r.in_use)
		return;
	pr_err("bslab:   freed %llu ms ago:\n",
	       div_u64(now - r.free_ns, NSEC_PER_MSEC));
	print_stack_lines(r.free_stack);
}

/* One group of kmausers: objects in use from one allocation stack. */
struct audit_user {
	struct bslab_cache *cp;
	depot_stack_handle_t stack;
	unsigned long objs;
};

static int cmp_handle(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_user(const void *a, const void *b)
{
	const struct audit_user *x = a, *y = b;
	u64 bx = (u64)x->objs * x->cp->size, by = (u64)y->objs * y->cp->size;

	if (bx != by)
		return bx > by ? -1 : 1;
	return cmp_handle(&x->stack, &y->stack);
}

/*
 * The allocation stacks of @cp's objects in use, sorted; *@n of them.
 * Copied under the lock into an array sized beforehand (retried if the
 * cache outgrew it meanwhile).  Return: the array (kvfree it), NULL if the
 * cache is not audited or there is no memory (*@n is 0 then).
 */
static u32 *stacks_in_use(struct bslab_cache *cp, unsigned long *n)
{
	struct bslab_audit_table *t;
	unsigned long want = 64, flags, i;
	struct bslab_audit *r;
	u32 *stacks;

	*n = 0;
	for (;;) {
		stacks = kvmalloc_array(want, sizeof(*stacks), GFP_KERNEL);
		if (!stacks)
			return NULL;
		raw_spin_lock_irqsave(&cp->lock, flags);
		t = cp->audit;
		if (!t || t->in_use <= want)
			break;
		want = t->in_use + t->in_use / 4;
		raw_spin_unlock_irqrestore(&cp->lock, flags);
		kvfree(stacks);
	}
	for (i = 0; t && i < 1UL << t->bits; i++)
		for (r = t->heads[i]; r; r = r->next)
			if (r->in_use)
				stacks[(*n)++] = r->alloc_stack;
	raw_spin_unlock_irqrestore(&cp->lock, flags);
	if (!t) {
		kvfree(stacks);
		return NULL;
	}
	sort(stacks, *n, sizeof(*stacks), cmp_handle, NULL);
	return stacks;
}

/*
 * Append @cp's groups to *@users (*@nr of them, room for *@room), one per
 * allocation stack.  Return: objects in use that have a record, or
 * -ENOMEM.
 */
static long users_add(struct bslab_cache *cp, struct audit_user **users,
		      size_t *nr, size_t *room)
{
	unsigned long n, i, j;
	struct audit_user *u;
	u32 *stacks;

	stacks = stacks_in_use(cp, &n);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && stacks[j] == stacks[i]; j++)
			;
		if (*nr == *room) {
			u = kvmalloc_array(max_t(size_t, 16, *room * 2),
					   sizeof(*u), GFP_KERNEL);
			if (!u) {
				kvfree(stacks);
				return -ENOMEM;
			}
			if (*nr)
				memcpy(u, *users, *nr * sizeof(*u));
			kvfree(*users);
			*users = u;
			*room = max_t(size_t, 16, *room * 2);
		}
		(*users)[(*nr)++] = (struct audit_user){
			.cp = cp, .stack = stacks[i], .objs = j - i,
		};
	}
	kvfree(stacks);
	return n;
}

/* Print a saved stack into @m, eight spaces in, one frame a line. */
static void seq_stack(struct seq_file *m, depot_stack_handle_t stack)
{
	unsigned long *entries;
	unsigned int n, i;

	n = IS_ENABLED(CONFIG_STACKDEPOT) && stack ?
	    stack_depot_fetch(stack, &entries) : 0;
	if (!n)
		seq_puts(m, "\t (stack not saved)\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "\t %pS\n", (void *)entries[i]);
}

/* Whether users files show every group (written "all") or the large ones. */
static bool users_all;

static bool user_shown(const struct audit_user *u, bool all)
{
	return all || u->objs >= USERS_MIN_OBJS ||
	       (u64)u->objs * u->cp->size >= USERS_MIN_BYTES;
}

static void users_print(struct seq_file *m, struct audit_user *users,
			size_t nr)
{
	bool all = READ_ONCE(users_all);
	size_t i, hidden = 0;

	sort(users, nr, sizeof(*users), cmp_user, NULL);
	for (i = 0; i < nr; i++) {
		if (!user_shown(&users[i], all)) {
			hidden++;
			continue;
		}
		seq_printf(m, "%llu bytes for %lu allocations with data size %zu from cache %s:\n",
			   (u64)users[i].objs * users[i].cp->size,
			   users[i].objs, users[i].cp->size,
			   users[i].cp->name);
		seq_stack(m, users[i].stack);
	}
	if (hidden)
		seq_printf(m, "(%zu smaller users below %d bytes and %d allocations not shown; echo all > this file to show them)\n",
			   hidden, USERS_MIN_BYTES, USERS_MIN_OBJS);
}

/*
 * How many objects of @cp are in use but have no record (allocated before
 * audit was on, or their record was lost).
 */
static unsigned long unrecorded(struct bslab_cache *cp, unsigned long rec)
{
	struct bslab_stats st;

	bslab_cache_stats(cp, &st);
	return st.buf_inuse > rec ? st.buf_inuse - rec : 0;
}

/**
 * bslab_audit_users_show() - the kmausers report of one cache
 * @m: the file
 * @cp: the cache
 *
 * Return: 0 or -ENOMEM.
 */
int bslab_audit_users_show(struct seq_file *m, struct bslab_cache *cp)
{
	struct audit_user *users = NULL;
	size_t nr = 0, room = 0;
	long rec;

	if (!(READ_ONCE(cp->debug) & BSLAB_DBG_AUDIT)) {
		seq_printf(m, "cache %s is not audited (echo +audit > /sys/kernel/debug/bslab/%s/debug)\n",
			   cp->name, cp->name);
		return 0;
	}
	rec = users_add(cp, &users, &nr, &room);
	if (rec < 0)
		return rec;
	users_print(m, users, nr);
	kvfree(users);
	seq_printf(m, "cache %s: %ld objects in use recorded, %lu allocated before audit was on or not recorded\n",
		   cp->name, rec, unrecorded(cp, rec));
	return 0;
}

/**
 * bslab_audit_kmausers_show() - the kmausers report of every audited cache
 * @m: the file
 *
 * Context: takes bslab_caches_mutex.
 * Return: 0 or -ENOMEM.
 */
int bslab_audit_kmausers_show(struct seq_file *m)
{
	struct audit_user *users = NULL;
	size_t nr = 0, room = 0;
	struct bslab_cache *cp;
	unsigned int caches = 0;
	long rec = 0;

	mutex_lock(&bslab_caches_mutex);
	list_for_each_entry(cp, &bslab_caches, caches) {
		if (!(READ_ONCE(cp->debug) & BSLAB_DBG_AUDIT))
			continue;
		caches++;
		rec = users_add(cp, &users, &nr, &room);
		if (rec < 0)
			break;
	}
	if (rec >= 0)
		users_print(m, users, nr);
	mutex_unlock(&bslab_caches_mutex);
	kvfree(users);
	if (rec < 0)
		return rec;
	if (!caches)
		seq_puts(m, "no cache is audited (echo +audit > /sys/kernel/debug/bslab/<cache>/debug)\n");
	return 0;
}

/**
 * bslab_audit_users_store() - what a write to a kmausers file asks for
 * @cp: the cache of the file, or NULL for the top-level file
 * @buf: "all" (every user) or "large" (::kmausers' default)
 *
 * The choice holds for every kmausers file until changed.
 *
 * Return: 0 or -EINVAL.
 */
int bslab_audit_users_store(struct bslab_cache *cp, char *buf)
{
	if (!strcmp(buf, "all")) {
		WRITE_ONCE(users_all, true);
	} else if (!strcmp(buf, "large")) {
		WRITE_ONCE(users_all, false);
	} else {
		pr_err("bslab: %s%s: write \"all\" or \"large\", not \"%s\"\n",
		       cp ? cp->name : "kmausers", cp ? "/users" : "", buf);
		return -EINVAL;
	}
	return 0;
}

/**
 * bslab_audit_leaks() - list the objects in use of a cache being destroyed
 * @cp: the cache, unreachable, with objects in use
 *
 * Grouped by allocation stack, largest first, every group (at most 16).
 */
void bslab_audit_leaks(struct bslab_cache *cp)
{
	struct audit_user *users = NULL;
	size_t nr = 0, room = 0, i;
	long rec;

	if (!READ_ONCE(cp->audit))
		return;
	rec = users_add(cp, &users, &nr, &room);
	if (rec <= 0)
		goto out;
	sort(users, nr, sizeof(*users), cmp_user, NULL);
	for (i = 0; i < nr && i < 16; i++) {
		pr_err("bslab: cache %s: %lu objects (%llu bytes) allocated at:\n",
		       cp->name, users[i].objs,
		       (u64)users[i].objs * cp->size);
		print_stack_lines(users[i].stack);
	}
	if (nr > i)
		pr_err("bslab: cache %s: and %zu more allocation stacks\n",
		       cp->name, nr - i);
out:
	kvfree(users);
}
