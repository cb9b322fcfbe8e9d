#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench_report.py KDIR OUTDIR - results of make bench.

Reads the "BSLAB-BENCH key=value ..." lines that bslab_bench printed in
OUTDIR/{single,nocheck,smp}/serial.log (nocheck: W1 again with bslab's
free_check=0; its variants get a "_nocheck" suffix) and writes OUTDIR/results.json (one record
per workload x variant x size) and OUTDIR/results.txt (a table with the
targets of issue 4).  Every figure comes from the logs: nothing here is
typed in by hand.  The kernel settings that affect either allocator are
read from KDIR/.config and recorded.
"""
import json
import os
import re
import sys

CONFIGS = ["CONFIG_KASAN", "CONFIG_PROVE_LOCKING", "CONFIG_DEBUG_PREEMPT",
           "CONFIG_SLUB_DEBUG", "CONFIG_SLUB_DEBUG_ON", "CONFIG_KFENCE",
           "CONFIG_INIT_ON_ALLOC_DEFAULT_ON", "CONFIG_INIT_ON_FREE_DEFAULT_ON",
           "CONFIG_MEMCG", "CONFIG_SLAB_FREELIST_HARDENED",
           "CONFIG_SLAB_FREELIST_RANDOM", "CONFIG_PREEMPT", "CONFIG_SMP"]

# Targets: (workload, lower bound on SLUB/bslab, description)
TARGETS = {"W1": 1.5, "W2": 1.5, "W3": 1.0, "W4": 1.3, "W5": 1.0, "W6": 1.0,
           "W7": 0.8}


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
                rec["ratio"] = round(rec["bslab"] / rec["slub"], 3)
                rec["ratio_meaning"] = "bslab pages / SLUB pages (<1 means bslab uses less)"
            else:
                rec["ratio"] = round(rec["slub"] / rec["bslab"], 3)
                rec["ratio_meaning"] = "SLUB time / bslab time (>1 means bslab is faster)"
        records.append(rec)
    return records


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
    if w == "W1" and floor:
        if rec["ratio"] < TARGETS["W1"]:
            return "short (target >= 1.5x)"
        if rec["bslab"] > 2 * floor:
            return "short (> 2x the W10 floor %.2f)" % floor
        return "ok"
    if w == "W2" and rec["variant"].endswith(("n256", "n1000")):
        return "ok" if rec["ratio"] >= 2.0 else "short (target >= 2x)"
    if w in TARGETS:
        t = TARGETS[w]
        return "ok" if rec["ratio"] >= t else "short (target >= %.1fx)" % t
    return ""


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) == 2 else 2
    kdir, out = sys.argv[1], sys.argv[2]
    recs = parse(os.path.join(out, "single", "serial.log"), "single") + \
        parse(os.path.join(out, "nocheck", "serial.log"), "single", "_nocheck") + \
        parse(os.path.join(out, "smp", "serial.log"), "smp")
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
    for r in recs:
        if "ratio" in r and "target" not in r:
            r["target"] = verdict(r, floor)
    result = {
        "method": {
            "single": "one CPU, QEMU TCG -icount shift=0: the guest clock "
                      "counts instructions; values are instructions per operation",
            "smp": "two CPUs, QEMU multi-threaded TCG, wall time; values are ns "
                   "per operation",
            "statistic": "median of the repetitions, interleaved bslab/SLUB "
                         "after one warm-up each; min and max given as spread",
        },
        "kernel_config": config(kdir),
        "results": recs,
    }
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(result, f, indent=2)

    lines = ["%-4s %-26s %6s %-12s %10s %10s %7s  %s" %
             ("wl", "variant", "size", "unit", "bslab", "slub", "ratio", "target")]
    for r in recs:
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
    lines.append("")
    lines.append("ratio: SLUB/bslab for time (>1: bslab faster); "
                 "bslab/SLUB for pages (<1: bslab smaller)")
    lines.append("kernel: " + " ".join("%s=%s" % (k[7:], v)
                                       for k, v in result["kernel_config"].items()))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "results.txt"), "w") as f:
        f.write(text)
    print(text, end="")
    errors = [r for r in recs if "error" in r]
    for r in errors:
        print("bench: %s %s %d: %s" % (r["workload"], r["variant"], r["size"], r["error"]))
    done = sum(1 for r in recs if "ratio" in r)
    if errors:
        return 1
    if not done:
        print("bench: no results found in the logs")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
