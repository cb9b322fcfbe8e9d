# SPDX-License-Identifier: GPL-2.0
#
# bslab: the user-facing targets.  The modules themselves are described in
# Kbuild; this file only drives the kernel's build system and the scripts.
#
#   make            build bslab.ko, bslab_test.ko and the demo against KDIR
#                   (default: the cached debug test kernel, built if needed)
#   make check      the tests: boot QEMU, run every KUnit suite, judge the log
#                   (EXTRA_TESTS=<dir> adds client test modules; KVER=6.1
#                   or 7.2 for another kernel, FLAVOUR=kcsan or rt another
#                   checker; HOTPLUG_SECONDS, default 180, the length of
#                   the CPU hotplug storm)
#   make run        boot QEMU, run the demo workload, show the stats files
#   make check-distro  bslab on Debian's stock 6.1, 6.1-rt and 6.12 kernels
#                   (their headers, their vmlinuz): load, stats, hotplug,
#                   unload
#   make deb        the bslab-dkms package: build/deb/bslab-dkms_*.deb
#   make check-deb  build it, install it, dkms build for those three
#                   kernels' headers, build a client against it, purge it
#   make soak       bslab_soak under CPU hotplug, drop_caches, fault
#                   injection and readers for SOAK_SECONDS (default 300)
#   make bench      bslab against SLUB on the perf kernel: build/bench/results.*
#   make checkpatch checkpatch --strict on every source file
#   make sparse     rebuild with sparse (C=2)
#   make layout     pahole's view of bslab's structures (build/layout)
#   make tools      the tools' host-side tests, shellcheck and flake8 on
#                   every script (build/tools; make check runs them too)
#   make clean

# The kernel: Debian's linux-source-$(KVER) (6.1, 6.12, 7.2) built with
# qemu/base.config + qemu/$(FLAVOUR).config (debug, kcsan, rt, perf).
KVER ?= 6.12
FLAVOUR ?= debug
SOAK_SECONDS ?= 300
HOTPLUG_SECONDS ?= 180
KDIR ?= $(shell $(CURDIR)/scripts/kernel.sh $(FLAVOUR) $(KVER) | tail -n 1)
KSRC = $(shell readlink -f $(KDIR)/source)
SOURCES = $(wildcard include/*.h mm/*.[ch] kunit/*.[ch] examples/*/*.c) \
	  demo/bslab_demo.c bench/bslab_bench.c soak/bslab_soak.c

all: modules

modules:
	bash scripts/modules.sh $(KDIR) /dev/stdout

check:
	KDIR=$(KDIR) EXTRA_TESTS=$(EXTRA_TESTS) HOTPLUG_SECONDS=$(HOTPLUG_SECONDS) \
		bash scripts/check.sh

run:
	KDIR=$(KDIR) bash scripts/run.sh

bench:
	bash scripts/bench.sh

check-distro:
	bash scripts/distro.sh

deb:
	bash scripts/deb.sh

check-deb:
	bash scripts/deb.sh check

soak:
	SOAK_SECONDS=$(SOAK_SECONDS) KVER=$(KVER) FLAVOUR=$(FLAVOUR) bash scripts/soak.sh

checkpatch:
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		-f $(filter-out mm/compat.h kunit/compat.h,$(SOURCES))
	@# The compat headers exist to test kernel versions; nothing else may.
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore LINUX_VERSION_CODE -f mm/compat.h kunit/compat.h
	@# TRACE_EVENT() is written the way include/trace/events/ writes it,
	@# and TRACE_INCLUDE_PATH is a path, not a division.
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT,SPACING \
		-f include/trace/events/bslab.h

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

layout:
	bash scripts/layout.sh

tools:
	bash scripts/deps.sh
	mkdir -p build/tools
	/usr/bin/python3 scripts/tools_test.py build/tools

# Needs no kernel: removes what kbuild and the scripts wrote, by name.
clean:
	rm -rf build .bslab-kdir Module.symvers modules.order .tmp_versions
	find . -path ./.git -prune -o \( -name '*.o' -o -name '*.ko' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
		-o -name '*.symvers' -o -name 'modules.order' \) -type f \
		-print0 | xargs -0 rm -f

.PHONY: all modules check check-distro deb check-deb run bench soak checkpatch sparse layout tools clean
