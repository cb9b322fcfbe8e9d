/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces bslab's tests use whose form differs between the
 * kernel versions bslab builds against: each wrapped once, here.  (The
 * allocator's own differences live in mm/compat.h.)
 */
#ifndef _BSLAB_KUNIT_COMPAT_H
#define _BSLAB_KUNIT_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/version.h>

/* hrtimer_setup() arrived in 6.13; hrtimer_init() left in 7.0. */
static inline void
bslab_test_hrtimer_setup(struct hrtimer *timer,
			 enum hrtimer_restart (*fn)(struct hrtimer *),
			 clockid_t clock, enum hrtimer_mode mode)
{
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

#endif /* _BSLAB_KUNIT_COMPAT_H */
