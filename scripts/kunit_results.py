#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit_results.py [--log-only NAME] [--allow-skip TEXT]... KSRC SERIAL_LOG OUTDIR
- judge one test boot.

Module-loaded KUnit suites print no top-level KTAP header, and the boot
prints its own empty plan (1..0), so the suite blocks are cut out of the
serial log and joined under one header into OUTDIR/results.ktap.  The
kernel's own tools/testing/kunit/kunit.py parse reads that and writes
OUTDIR/results.json; the tests are counted from the JSON (a parameterized
test counts once, failed if any of its cases failed), with the host-side tests of the tools
from OUTDIR/tools.results.  The run fails on any
failed test, on any kernel splat anywhere in the log (WARNING, BUG, Oops,
KASAN, lockdep, sleeping in atomic context, a bslab report...), on an init
error, or if init never finished.  The last line printed is "N passed, M
failed".

A skipped test fails the run, but for a skip whose reason contains an
--allow-skip TEXT (the cases that need KASAN, on the KCSAN and RT kernels):
those are counted apart and named.

With --log-only NAME (make soak), no KUnit suite and no tools' results are
looked for: the boot is one test, NAME, passed if the log is clean.

A test that provokes one of the kernel's own reports (KASAN's, lockdep's)
on purpose announces it first: a log line "BSLAB-EXPECT: <text>" forgives
the next report line that contains <text>, once.  An announced report that
never comes fails the run too.  bslab's own reports are counted inside the
test that provokes them (tst_count_reports(), as lib/slub_kunit.c counts
SLUB's) and printed as counted; a "bslab: BUG" line is a bug found, never
forgiven.
"""
import json
import os
import re
import subprocess
import sys

SPLATS = [
    r"WARNING:", r"BUG:", r"Oops", r"KASAN", r"UBSAN",
    r"possible circular locking", r"inconsistent lock state",
    r"possible recursive locking", r"lock held when returning",
    r"sleeping function called from invalid context",
    r"Kernel panic", r"kernel BUG at", r"general protection fault",
    r"Call Trace:", r"INFO: task .* blocked", r"rcu_.*stall",
    r"bslab: BUG ",
    # the test kernel loads QEMU's ACPI tables (fw_cfg and the dumps need
    # them); it once failed to, on every boot, unnoticed
    r"ACPI Error", r"ACPI BIOS Error",
]
# bslab's own reports: a test counts those it provokes, none is announced
OWN = {r"bslab: BUG "}
EXPECT = re.compile(r"BSLAB-EXPECT: (.*)$")
STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
SKIP_CASE = re.compile(r"^    ok \d+ (\S+) # SKIP (.*)$")
# a skipped case or one parameter of a case: its line may name KASAN
SKIP_LINE = re.compile(r"^\s+ok \d+ (.+?) # SKIP (.*)$")


def suite_blocks(lines):
    """Yield each suite's lines, from its indented KTAP header to its result."""
    block = None
    for line in lines:
        if re.match(r"^\s+KTAP version 1$", line) and block is None:
            block = [line]
            continue
        if block is None:
            continue
        block.append(line)
        if re.match(r"^(not )?ok \d+ ", line):
            yield block
            block = None
    if block is not None:
        yield block  # a suite that never finished: kunit.py reports it


def count(group):
    passed = failed = skipped = 0
    for suite in group.get("sub_groups", []):
        for case in suite.get("test_cases", []):
            passed += case["status"] == "PASS"
            skipped += case["status"] == "SKIP"
            failed += case["status"] not in ("PASS", "SKIP")
        for param in suite.get("sub_groups", []):
            statuses = [c["status"] for c in param.get("test_cases", [])]
            bad = any(s not in ("PASS", "SKIP") for s in statuses)
            failed += bad
            passed += not bad and bool(statuses)
            skipped += not statuses
    return passed, failed, skipped


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) == 2 else 2
    args = sys.argv[1:]
    log_only = None
    allow_skip = []
    while args and args[0] in ("--log-only", "--allow-skip"):
        if args[0] == "--log-only":
            log_only = args[1]
        else:
            allow_skip.append(args[1])
        args = args[2:]
    ksrc, log, out = (os.path.abspath(a) for a in args[:3])
    with open(log, errors="replace") as f:
        lines = [STAMP.sub("", ln.rstrip("\r\n")) for ln in f]

    problems = []
    expected = []  # (line number, text) announced and not yet seen
    for i, line in enumerate(lines):
        m = EXPECT.search(line)
        if m:
            expected.append((i + 1, m.group(1).strip()))
            continue
        m = SKIP_LINE.match(line)
        if m and any(t in m.group(2) for t in allow_skip):
            continue  # a skip this kernel allows names KASAN: no report
        for pat in SPLATS:
            if re.search(pat, line):
                hit = None
                if pat not in OWN:
                    hit = next((e for e in expected if e[1] in line), None)
                if hit:
                    expected.remove(hit)
                else:
                    problems.append(f"kernel report at serial.log line {i + 1}: {line.strip()}")
                break
        if line.startswith("BSLAB-ERROR:"):
            problems.append(line)
    for n, text in expected:
        problems.append(f"report announced at serial.log line {n} never came: {text}")
    if "BSLAB-DONE" not in lines:
        problems.append("init did not finish (crash or timeout); see serial.log")

    if log_only:
        for p in problems:
            print("FAIL:", p)
        print(f"{log_only}: {'failed' if problems else 'passed'}")
        print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
        return 1 if problems else 0

    blocks = list(suite_blocks(lines))
    ktap = ["KTAP version 1", f"1..{len(blocks)}"]
    for n, block in enumerate(blocks, 1):
        block[-1] = re.sub(r"^((?:not )?ok) \d+ ", rf"\1 {n} ", block[-1])
        ktap += block
    ktap_path = os.path.join(out, "results.ktap")
    json_path = os.path.join(out, "results.json")
    with open(ktap_path, "w") as f:
        f.write("\n".join(ktap) + "\n")

    passed = failed = 0
    if blocks:
        subprocess.run([sys.executable, os.path.join(ksrc, "tools/testing/kunit/kunit.py"),
                        "parse", f"--json={json_path}", ktap_path], check=False)
        with open(json_path) as f:
            passed, failed, skipped = count(json.load(f))
        allowed = [m.group(1) for m in map(SKIP_CASE.match, ktap)
                   if m and any(t in m.group(2) for t in allow_skip)]
        if allowed and skipped:
            print(f"{len(allowed)} test(s) skipped as this kernel allows"
                  f" ({'; '.join(allow_skip)}): {', '.join(allowed)}")
            skipped -= min(len(allowed), skipped)
        if skipped:
            problems.append(f"{skipped} test(s) skipped: a skipped test is not a pass")
            failed += skipped
    else:
        problems.append("no KUnit suite ran")

    # the host-side tests of the tools (tools_test.py), one line each
    tools = os.path.join(out, "tools.results")
    if os.path.exists(tools):
        with open(tools) as f:
            for line in f.read().splitlines():
                if line.startswith("ok "):
                    passed += 1
                elif line:
                    failed += 1
                    problems.append(f"tools: {line}")
    else:
        problems.append("the tools' tests (tools_test.py) did not run")

    for p in problems:
        print("FAIL:", p)
    if problems and not failed:
        failed = 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
