#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench_report.py OUTDIR SERIES/PAIRING=KDIR... - results of make bench.

For each SERIES/PAIRING (e.g. 6.12/tuned, 7.2/shipped), reads the
"BSLAB-BENCH key=value ..." lines that bslab_bench printed in
OUTDIR/SERIES/PAIRING/{single,hot,smp,numa}/serial.log (hot: W1 again with
the free check on, on the tuned kernel; its variants get a "_check" suffix;
numa: W9, on a kernel with NUMA, a guest of two nodes under -icount),
and the "BSLAB-W14 stack=... key=value ..." lines of W14's boots
(OUTDIR/SERIES/PAIRING/w14-{single,smp}/serial.log: ext4 on SLUB and on
bslab, one line per run, the median of the runs taken), and writes
OUTDIR/results.json (one record per kernel x pairing x workload x variant x
size) and OUTDIR/results.txt (a table per kernel and pairing, with the
targets of issues 21 and 22).  Every figure comes from the logs: nothing
here is typed in by hand.  The kernel settings that affect either
allocator are read from each KDIR/.config and recorded.
"""
import json
import os
import re
import sys

CONFIGS = ["CONFIG_KASAN", "CONFIG_PROVE_LOCKING", "CONFIG_DEBUG_PREEMPT",
           "CONFIG_SLUB_DEBUG", "CONFIG_SLUB_DEBUG_ON", "CONFIG_KFENCE",
           "CONFIG_INIT_ON_ALLOC_DEFAULT_ON", "CONFIG_INIT_ON_FREE_DEFAULT_ON",
           "CONFIG_MEMCG", "CONFIG_SLAB_FREELIST_HARDENED",
           "CONFIG_SLAB_FREELIST_RANDOM", "CONFIG_SLAB_BUCKETS",
           "CONFIG_RANDOM_KMALLOC_CACHES", "CONFIG_HARDENED_USERCOPY",
           "CONFIG_STACKPROTECTOR_STRONG", "CONFIG_CPU_MITIGATIONS",
           "CONFIG_NUMA", "CONFIG_PREEMPT", "CONFIG_SMP"]

# Targets of issue 21: lower bounds on SLUB/bslab, on both kernels and in
# both pairings (W5's is bslab's two-CPU time at or below SLUB's)
TARGETS = {"W1": 2.0, "W2": 2.0, "W3": 2.0, "W4": 1.3, "W5": 1.0, "W6": 2.0,
           "W7": 1.0, "W7b": 0.6}


def parse(path, mode, suffix=""):
    records = []
    if not os.path.exists(path):
        return records
    for line in open(path, errors="replace"):
        m = re.search(r"BSLAB-BENCH (workload=.*)$", line.strip())
        if not m:
            continue
        kv = dict(f.split("=", 1) for f in m.group(1).split())
        rec = {"workload": kv["workload"], "variant": kv["variant"] + suffix,
               "size": int(kv["size"]), "unit": kv["unit"],
               "repetitions": int(kv["reps"]), "mode": mode}
        for k, v in kv.items():
            if k.startswith(("bslab", "slub", "value")):
                rec[k] = float(v)
        if min(rec.get("bslab", 1), rec.get("slub", 1)) < 0:
            rec["error"] = "a measurement failed (negative errno in the log)"
        elif "bslab" in rec and "slub" in rec and rec["bslab"] > 0:
            if rec["unit"] == "pages":
                if rec["slub"] <= 0:     # no ratio to a zero
                    rec["target"] = "ok" if rec["bslab"] <= 0 else "short (SLUB holds none)"
                    records.append(rec)
                    continue
                rec["ratio"] = round(rec["bslab"] / rec["slub"], 3)
                rec["ratio_meaning"] = "bslab pages / SLUB pages (<1 means bslab uses less)"
            elif rec["unit"] == "local_share":
                if rec["slub"] <= 0:
                    rec["target"] = "ok"
                    records.append(rec)
                    continue
                rec["ratio"] = round(rec["bslab"] / rec["slub"], 3)
                rec["ratio_meaning"] = ("bslab's share of objects of the CPU's node / "
                                        "SLUB's (>=1 means bslab is as local)")
            else:
                rec["ratio"] = round(rec["slub"] / rec["bslab"], 3)
                rec["ratio_meaning"] = "SLUB time / bslab time (>1 means bslab is faster)"
        records.append(rec)
    return records


# W14's figures: (key in the BSLAB-W14 line, variant); throughput is
# compared bslab/SLUB (>1: bslab did more), pages bslab/SLUB (<1: bslab
# held fewer).  The lines' slab_kb_* (/proc/meminfo's Slab) are not
# compared: each run starts where the one before left the rest of the
# kernel's slabs (dentries, buffer heads), so the first run of a boot
# grows more whichever allocator it is.
W14_THROUGHPUT = [("dbench_mbs", "dbench_MB/s"), ("dbench_ops", "dbench_ops"),
                  ("stress_bogo_ops", "stress-ng_bogo_ops")]
W14_PAGES = [("peak", "pages_peak"), ("after_work", "pages_after_work"),
             ("after_umount", "pages_after_umount"),
             ("settled", "pages_after_umount_31s")]
# A two-CPU W14 row is noise, not a figure, when the runs of one stack
# differ by more than this (their max / min): the difference between the
# stacks is a few percent, MTTCG's between two runs of one stack up to 15%.
W14_SPREAD = 1.05


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    if not n:
        return None
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def parse_w14(path, mode):
    """W14's records from one boot's log: medians of the runs per stack."""
    runs = {"slub": [], "bslab": []}
    if not os.path.exists(path):
        return []
    errors, done = [], False
    for line in open(path, errors="replace"):
        m = re.search(r"BSLAB-W14 (stack=.*)$", line.strip())
        if m:
            kv = dict(f.split("=", 1) for f in m.group(1).split())
            if kv["stack"] in runs:
                runs[kv["stack"]].append(kv)
        m = re.search(r"BSLAB-ERROR: (W14: .*)$", line.strip())
        if m:
            errors.append(m.group(1))
        done = done or "BSLAB-W14-DONE" in line
    if errors or not done or not runs["slub"] or not runs["bslab"]:
        why = errors[0] if errors else "W14 did not finish (%s)" % path
        return [{"workload": "W14", "variant": "run", "size": 0, "unit": "-",
                 "mode": mode, "repetitions": 0, "error": why}]

    def values(stack, key):
        vals = []
        for kv in runs[stack]:
            try:
                vals.append(float(kv[key]))
            except (KeyError, ValueError):
                continue        # "-": not measured in this run
        return vals

    recs = []
    suffix = "" if mode == "single" else "_2cpu"
    rows = [(k, v, "throughput") for k, v in W14_THROUGHPUT]
    if mode == "single":
        rows += [(k, v, "pages") for k, v in W14_PAGES]
    for key, variant, kind in rows:
        bv, sv = values("bslab", key), values("slub", key)
        if not bv or not sv:
            continue
        b, s = median(bv), median(sv)
        unit = variant.split("_", 1)[1] if kind == "throughput" else "pages"
        rec = {"workload": "W14", "variant": variant + suffix, "size": 0,
               "unit": unit, "repetitions": min(len(bv), len(sv)), "mode": mode,
               "bslab": b, "slub": s, "bslab_runs": bv, "slub_runs": sv}
        spread = max(max(v) / min(v) if min(v) > 0 else 0 for v in (bv, sv))
        if mode == "smp" and min(len(bv), len(sv)) < 2:
            rec["noisy"] = "one run of a stack: its spread unknown"
        elif mode == "smp" and spread > W14_SPREAD:
            rec["noisy"] = "runs of one stack %.2fx apart" % spread
        if kind == "throughput":
            if b > 0 and s > 0:
                rec["ratio"] = round(b / s, 3)
                rec["ratio_meaning"] = \
                    "bslab throughput / SLUB throughput (>1 means bslab did more)"
            else:
                rec["error"] = "no throughput in the log"
        elif s > 0:
            rec["ratio"] = round(b / s, 3)
            rec["ratio_meaning"] = "bslab / SLUB (<1 means bslab holds less)"
        else:
            rec["target"] = "ok" if b <= 0 else "short (SLUB holds none)"
        recs.append(rec)
    return recs


def config(kdir):
    found = {}
    try:
        for line in open(os.path.join(kdir, ".config")):
            for c in CONFIGS:
                if line.startswith(c + "="):
                    found[c] = line.strip().split("=", 1)[1]
                elif line.startswith("# %s is not set" % c):
                    found[c] = "n"
    except OSError:
        pass
    return {c: found.get(c, "n") for c in CONFIGS}


def verdict(rec, floor):
    w = rec["workload"]
    if w == "W8":
        limit = 1.05 if rec["variant"] == "steady" else 1.02
        return "ok" if rec["ratio"] <= limit else "short (target <= %.2fx)" % limit
    if w == "W13":
        # time: SLUB/bslab; pages: bslab/SLUB
        limit = {"reap_all": 0.5, "destroy": 0.1}.get(rec["variant"])
        if limit:
            return "ok" if rec["ratio"] >= limit else \
                "short (target: at most %gx SLUB's time)" % (1 / limit)
        if rec["variant"] != "two_intervals":
            return ""
        return "ok" if rec["ratio"] <= 1.1 else "short (target <= 1.10x)"
    if w == "W11":
        # time: SLUB/bslab; the peak: bslab/SLUB pages
        if rec["variant"] == "peak":
            return "ok" if rec["ratio"] <= 1.05 else "short (target <= 1.05x)"
        t = {"overall": 1.5, "growth": 1.0}.get(rec["variant"])
        if t is None:
            return ""
        return "ok" if rec["ratio"] >= t else "short (target >= %.1fx)" % t
    if w == "W9":
        # issue 23: remote frees >= 1.3x SLUB, locality >= SLUB's; the
        # local pair against W1 (kernel(): w1_delta)
        if rec["variant"] == "remote_free":
            return "ok" if rec["ratio"] >= 1.3 else "short (target >= 1.3x)"
        if rec["unit"] == "local_share":
            return "ok" if rec["ratio"] >= 1.0 else "short (target >= SLUB's)"
        if rec["variant"] == "local_pair" and "w1_delta" in rec:
            return "ok" if rec["w1_delta"] <= 2 else \
                "short (%+.1f instructions on W1's; target within 2)" % rec["w1_delta"]
        return ""
    if w == "W14":
        # throughput: bslab/SLUB >= 1; pages: bslab/SLUB <= 1.05
        if rec["unit"] == "pages":
            return "ok" if rec["ratio"] <= 1.05 else "short (target <= 1.05x)"
        return "ok" if rec["ratio"] >= 1.0 else "short (target >= 1.0x)"
    if w == "W1" and rec["variant"].endswith("_check"):
        return ""       # the tuned kernel with the check: its cost, no target
    if w == "W1" and rec["variant"] == "zero_pair":
        # kmem_cache_zalloc(): both sides pay the same memset
        return "ok" if rec["ratio"] >= 1.0 else "short (target >= 1.0x)"
    if w == "W1":
        if rec["ratio"] < TARGETS["W1"]:
            return "short (target >= 2.0x)"
        if floor and rec["bslab"] > 4 * floor:
            return "ok (stretch short: > 4x the W10 floor %.2f)" % floor
        return "ok"
    if w in TARGETS:
        t = TARGETS[w]
        return "ok" if rec["ratio"] >= t else "short (target >= %.1fx)" % t
    return ""


# A wall-time run (a few seconds) is noise, not a result, when more than
# NOISY_BUSY percent of the host's CPU time was busy in the second just
# before or just after it (another job beside the bench: bench.sh's
# host-busy file), or when W4's ring alone (the baseline) took more than
# NOISY_SPREAD times longer in its slowest repetition than in its fastest
# (a burst: with the host quiet, four runs spread 1.7x to 5.2x under
# MTTCG; beside a kernel build, 750x).
NOISY_BUSY = 15
NOISY_SPREAD = 10.0


def noise(base, recs):
    """Why the smp run under base is noise, or None."""
    try:
        busy = [int(x) for x in open(os.path.join(base, "smp", "host-busy"))]
    except (OSError, ValueError):
        busy = []
    if busy and max(busy) > NOISY_BUSY:
        return "host %d%% busy beside it" % max(busy)
    ring = next((r for r in recs if r["variant"] == "ring_baseline"), None)
    if ring and ring.get("value_min", 0) > 0 and \
            ring["value_max"] / ring["value_min"] > NOISY_SPREAD:
        return "ring baseline spread %.2fx" % (ring["value_max"] / ring["value_min"])
    return None


def w14_noise(path):
    """Why W14's two-CPU boot is noise (its own host-busy file), or None."""
    try:
        busy = [int(x) for x in open(os.path.join(path, "host-busy"))]
    except (OSError, ValueError):
        return None
    if busy and max(busy) > NOISY_BUSY:
        return "host %d%% busy beside it" % max(busy)
    return None


def kernel(out, name, kdir):
    """The records of one kernel and pairing, with their W5 scaling."""
    series, pairing = name.split("/")
    base = os.path.join(out, series, pairing)
    recs = parse(os.path.join(base, "single", "serial.log"), "single") + \
        parse(os.path.join(base, "hot", "serial.log"), "single", "_check") + \
        parse(os.path.join(base, "smp", "serial.log"), "smp") + \
        parse(os.path.join(base, "numa", "serial.log"), "numa")
    floor = next((r["value"] for r in recs if r["workload"] == "W10"
                  and r["variant"] == "preempt_percpu_pop_push"), None)
    # W5 scaling: per-operation time of all CPUs together, 1 CPU over 2
    by = {(r["workload"], r["variant"]): r for r in recs}
    for loop in ("pair", "batch256"):
        one, two = by.get(("W5", loop + "_1cpu")), by.get(("W5", loop + "_2cpu"))
        if not one or not two or not two["bslab"] or not two["slub"]:
            continue
        b, s = one["bslab"] / two["bslab"], one["slub"] / two["slub"]
        recs.append({"workload": "W5", "variant": loop + "_scaling", "size": 64,
                     "unit": "x", "mode": "smp", "repetitions": two["repetitions"],
                     "bslab": round(b, 3), "slub": round(s, 3),
                     "target": "ok" if b >= 1.8 else "short (bslab 1->2 CPU target >= 1.8x)",
                     "ratio_meaning": "throughput on 2 CPUs / on 1 CPU, per allocator"})
    # W9's local pair on two nodes against W1's on one, the same kernel
    for r in recs:
        if r["workload"] == "W9" and r["variant"] == "local_pair":
            w1 = next((x for x in recs if x["workload"] == "W1" and
                       x["variant"] == "hot_pair" and x["size"] == r["size"] and
                       x["mode"] == "single"), None)
            if w1 and "bslab" in r and "bslab" in w1:
                r["w1_delta"] = round(r["bslab"] - w1["bslab"], 2)
    smp = [r for r in recs if r["mode"] == "smp"]
    why = noise(base, smp)
    for r in smp:
        if why:
            r["noisy"] = why
        elif r["workload"] == "W4" and "ratio" in r and \
                min(r["bslab"], r["slub"]) <= 0:
            r["noisy"] = "no time left after the ring baseline"
    recs += parse_w14(os.path.join(base, "w14-single", "serial.log"), "single")
    w14smp = parse_w14(os.path.join(base, "w14-smp", "serial.log"), "smp")
    why = w14_noise(os.path.join(base, "w14-smp"))
    for r in w14smp:
        if why:
            r["noisy"] = why    # the host's business before the runs' spread
    recs += w14smp
    for r in recs:
        r["kernel"], r["pairing"] = series, pairing
        if "noisy" in r:
            r.pop("ratio", None)
            r["target"] = "noisy (%s): no figure" % r["noisy"]
        elif "ratio" in r and "target" not in r:
            r["target"] = verdict(r, floor)
    return recs, config(kdir)


def table(recs):
    lines = ["%-4s %-26s %6s %-12s %10s %10s %7s  %s" %
             ("wl", "variant", "size", "unit", "bslab", "slub", "ratio", "target")]
    for r in recs:
        if "noisy" in r:
            lines.append("%-4s %-26s %6s %-12s %10s %10s %7s  %s" %
                         (r["workload"], r["variant"], r["size"], r["unit"],
                          "-", "-", "-", r["target"]))
            continue
        if "value" in r:
            lines.append("%-4s %-26s %6s %-12s %10.2f %10s %7s" %
                         (r["workload"], r["variant"], "-", r["unit"], r["value"], "-", "-"))
            continue
        if r["unit"] == "x":
            lines.append("%-4s %-26s %6d %-12s %10.2f %10.2f %7s  %s" %
                         (r["workload"], r["variant"], r["size"], "scaling",
                          r["bslab"], r["slub"], "-", r["target"]))
            continue
        lines.append("%-4s %-26s %6d %-12s %10.2f %10.2f %7.3f  %s" %
                     (r["workload"], r["variant"], r["size"], r["unit"],
                      r.get("bslab", 0), r.get("slub", 0), r.get("ratio", 0),
                      r.get("target", "")))
    return lines


PAIRINGS = {
    "tuned": "perf kernel (no allocator hardening), bslab free_check=0",
    "shipped": "Debian's allocator and hardening options, bslab's free check on",
}


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) == 2 else 2
    out = sys.argv[1]
    recs, configs, text = [], {}, []
    for arg in sys.argv[2:]:
        name, kdir = arg.split("=", 1)
        krecs, configs[name] = kernel(out, name, kdir)
        recs += krecs
        series, pairing = name.split("/")
        text.append("== %s %s: %s" % (series, pairing, PAIRINGS.get(pairing, "")))
        text += table(krecs)
        text.append("kernel: " + " ".join("%s=%s" % (k[7:], v)
                                          for k, v in configs[name].items()))
        text.append("")
    text.append("ratio: SLUB/bslab for time (>1: bslab faster); "
                "bslab/SLUB for pages (<1: bslab smaller) and for "
                "W14's throughput (>1: bslab did more)")
    result = {
        "method": {
            "single": "one CPU, QEMU TCG -icount shift=0: the guest clock "
                      "counts instructions; values are instructions per operation",
            "smp": "two CPUs, QEMU multi-threaded TCG, wall time; values are ns "
                   "per operation",
            "statistic": "median of the repetitions, interleaved bslab/SLUB "
                         "after one warm-up each; min and max given as spread",
            "pairings": PAIRINGS,
        },
        "kernel_config": configs,
        "results": recs,
    }
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(result, f, indent=2)
    text = "\n".join(text) + "\n"
    with open(os.path.join(out, "results.txt"), "w") as f:
        f.write(text)
    print(text, end="")
    errors = [r for r in recs if "error" in r]
    for r in errors:
        print("bench: %s %s %s %s %d: %s" % (
            r["kernel"], r["pairing"], r["workload"], r["variant"], r["size"], r["error"]))
    done = sum(1 for r in recs if "ratio" in r)
    if errors:
        return 1
    if not done:
        print("bench: no results found in the logs")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
