# SPDX-License-Identifier: GPL-2.0
#
# bslab: the user-facing targets.  The modules themselves are described in
# Kbuild; this file only drives the kernel's build system and the scripts.
#
#   make            build bslab.ko, its demo and (on a kernel with KUnit)
#                   its tests against the kernel you run, as any out-of-tree
#                   module: KDIR, default /lib/modules/$(uname -r)/build
#   make install    bslab.ko and the demo into /lib/modules (modules_install)
#   make check      the tests: boot QEMU, run every KUnit suite, judge the log
#                   (EXTRA_TESTS=<dir> adds client test modules; KVER=6.1
#                   or 7.2 for another kernel, FLAVOUR=kcsan or rt another
#                   checker; HOTPLUG_SECONDS the length of the CPU hotplug
#                   storm; BSLAB_CMDLINE more kernel arguments, e.g.
#                   init_on_alloc=1)
#   make run        boot QEMU, run the demo workload, show the stats files
#                   (WORKLOAD=ext4: ext4 built on bslab, dbench on it, and
#                   kmastat, bslabtop and kmausers for its inode cache)
#   make check-distro  bslab on Debian's stock 6.1, 6.1-rt and 6.12 kernels
#                   (their headers, their vmlinuz): load, stats, hotplug,
#                   unload
#   make deb        the bslab-dkms package: build/deb/bslab-dkms_*.deb
#   make check-deb  build it, install it, dkms build for those three
#                   kernels' headers, build a client against it, purge it
#   make soak       bslab_soak under CPU hotplug, drop_caches, fault
#                   injection and readers for SOAK_SECONDS
#   make bench      bslab against SLUB on 6.12 and 7.2, tuned and as Debian
#                   ships them (BENCH_KVERS=6.12 for one): build/bench/results.*
#                   (W14, ext4 on each: W14="REPS DBENCH_S STRESS_S SETTLE_S")
#   make w11-record record W11's real workload again: bench/w11.replay.xz
#   make checkpatch checkpatch --strict on every source file
#   make sparse     rebuild with sparse (C=2)
#   make layout     pahole's view of bslab's structures (build/layout)
#   make tools      the tools' host-side tests, shellcheck and flake8 on
#                   every script (build/tools; make check runs them too)
#   make clean

# The test targets (check, run, soak, bench, layout, checkpatch, sparse)
# build their own kernels: Debian's linux-source-$(KVER) built with
# qemu/base.config + qemu/$(FLAVOUR).config (scripts/kernel.sh; the
# defaults of KVER, FLAVOUR and the other knobs are stated once, in the
# scripts that use them).  KDIR on the command line points them at a
# kernel of your own instead.  Plain make and make install use KDIR, by
# default the running kernel's headers.
KDIR ?= /lib/modules/$(shell uname -r)/build
# (each looked up once, when first used)
TEST_KDIR = $(eval TEST_KDIR := $$(shell $(CURDIR)/scripts/kernel.sh | tail -n 1))$(TEST_KDIR)
KSRC = $(eval KSRC := $$(shell readlink -f $(TEST_KDIR)/source))$(KSRC)
SOURCES = $(wildcard include/*.h mm/*.[ch] kunit/*.[ch] examples/*/*.c) \
	  demo/bslab_demo.c bench/bslab_bench.c soak/bslab_soak.c

# What kbuild leaves in the checkout: every object and module, but those
# under build/ (the copies make check, run and bench build in, which may be
# in use by a check running beside this make) and .git.
define clean_objs
	find . \( -path ./.git -o -path ./build \) -prune -o \( -name '*.o' \
		-o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.symvers' -o -name 'modules.order' \) \
		-type f -print0 | xargs -0 rm -f
endef

# Build in the checkout against the kernel $(1), with kbuild targets $(2).
# Out-of-tree kbuild cannot tell that another kernel is meant (its command
# lines are the same, relative to the kernel) and would keep objects built
# for the old one, which oops at once: the kernel the objects are for is
# recorded in .bslab-kdir, and another one cleans first (not with kbuild's
# clean, which would delete the modules of a check running from build/).
define build_here
	@k=$$(readlink -f $(1)); \
	if [ "$$(cat .bslab-kdir 2>/dev/null)" != "$$k" ]; then \
		echo "bslab: building for $$k for the first time; cleaning"; \
		$(clean_objs); \
	fi; \
	rm -f .bslab-kdir; \
	$(MAKE) -C $$k M=$(CURDIR) $(2) && echo "$$k" >.bslab-kdir
endef

all: modules

headers:
	@test -f $(KDIR)/Makefile || { \
		echo "bslab: no kernel build directory at $(KDIR)."; \
		echo "  For the kernel you run: apt-get install linux-headers-$$(uname -r)"; \
		echo "  For another: make KDIR=<its build directory>."; \
		echo "  (make check and make run build their own test kernels.)"; \
		exit 1; }

modules: headers
	$(call build_here,$(KDIR),modules)

install: headers
	$(call build_here,$(KDIR),BSLAB_ONLY=1 modules modules_install)

# (make passes KDIR, KVER, FLAVOUR and the others to the scripts when they
# are given on its command line or in the environment.)
check:
	bash scripts/check.sh

run:
	bash scripts/run.sh

bench:
	bash scripts/bench.sh

w11-record:
	bash scripts/w11_record.sh

check-distro:
	bash scripts/distro.sh

deb:
	bash scripts/deb.sh

check-deb:
	bash scripts/deb.sh check

soak:
	bash scripts/soak.sh

checkpatch:
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		-f $(filter-out mm/compat.h kunit/compat.h include/bslab_kmem.h,$(SOURCES))
	@# KMEM_CACHE(s, ...) names the struct and takes its size and
	@# alignment, as the kernel's own does: an argument used twice.
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore MACRO_ARG_REUSE -f include/bslab_kmem.h
	@# The compat headers exist to test kernel versions; nothing else may.
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore LINUX_VERSION_CODE -f mm/compat.h kunit/compat.h
	@# TRACE_EVENT() is written the way include/trace/events/ writes it,
	@# and TRACE_INCLUDE_PATH is a path, not a division.
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT,SPACING \
		-f include/trace/events/bslab.h

sparse:
	$(call build_here,$(TEST_KDIR),C=2 modules)

layout:
	bash scripts/layout.sh

tools:
	bash scripts/deps.sh
	mkdir -p build/tools
	/usr/bin/python3 scripts/tools_test.py build/tools

# Needs no kernel: removes what kbuild and the scripts wrote, by name.
clean:
	rm -rf build .bslab-kdir .tmp_versions
	$(clean_objs)

.PHONY: all headers modules install check check-distro deb check-deb run bench w11-record soak checkpatch sparse layout tools clean
