#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""tools_test.py OUTDIR [--csv GUEST_CSV] [--dump VMCORE --serial LOG -s FILE...]
- the host-side tests of bslab's tools.

The guest runs bslabstat live under busybox (qemu/init); these tests run
the same script on this machine's shells and awks (dash, bash and busybox
sh; mawk, gawk and busybox awk) on recorded workloads whose answer is known,
and bslabplot on the result; given GUEST_CSV (what bslabstat --csv wrote
in the guest during make check's leak hunt), replays and charts that too,
into OUTDIR/bslabstat.png.  Given the dump QEMU took of the leak hunt, the
guest's serial log and the debug info (vmlinux and the modules, -s), reads
the dump with bslab_drgn.py and compares its kmastat and kmausers with what
the guest printed just before the dump, line for line.  Prints one "ok NAME" or "not ok NAME: why"
line per test and writes the same lines to OUTDIR/tools.results, which
kunit_results.py counts with the KUnit suites.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BSLABSTAT = os.path.join(TOP, "scripts", "bslabstat")
BSLABPLOT = os.path.join(TOP, "scripts", "bslabplot")
HEADER = "time,name,size,inuse,total,mags,mem,alloc,fail"
MEMINFO = ("Slab", "SReclaimable", "SUnreclaim", "VmallocUsed",
           "KernelStack", "PageTables", "Percpu")


def workload(intervals=24, dt=0.5):
    """Samples of six caches with known shapes, as bslabstat --csv writes.

    Objects in use per sample:
      grow_stop    +40 a sample for 6 intervals, then flat
      grow_shrink  up 4 intervals, down 4, repeated
      spike        flat, 2000 more for one sample
      leak         +60 a sample, with churn that drops 80 every fifth
      small_leak   +1 a sample: steady, but under the threshold
      steady       the same number, with up and down noise
      odd,na%me    +1 a sample (16 bytes): a name the CSV must encode
    and two of bslab's own, which the rule judges only when -c names them:
      bslab_magazine_62  +2 a sample: magazines that CPUs fill and keep
      bslab_bufctl_1     the leak's shape: the bufctls of its objects
    """
    size = {"grow_stop": 1024, "grow_shrink": 192, "spike": 4096,
            "leak": 104, "small_leak": 64, "steady": 168, "odd,na%me": 16,
            "bslab_magazine_62": 512, "bslab_bufctl_1": 72}
    rows = [HEADER]
    allocs = dict.fromkeys(size, 0)
    for i in range(intervals + 1):
        t = 100.0 + i * dt
        inuse = {
            "grow_stop": 100 + 40 * min(i, 6),
            "grow_shrink": 50 + 30 * (i % 8 if i % 8 <= 4 else 8 - i % 8),
            "spike": 10 + (2000 if i == 9 else 0),
            "leak": 500 + 60 * i - (80 if i % 5 == 3 else 0),
            "small_leak": 20 + i,
            "steady": 1500 + (32 if i % 3 == 1 else 0),
            "odd,na%me": 5 + i,
            "bslab_magazine_62": 6 + 2 * i,
            "bslab_bufctl_1": 500 + 60 * i - (80 if i % 5 == 3 else 0),
        }
        for name, n in inuse.items():
            allocs[name] += 1000
            per_slab = max(1, 4096 // size[name])
            slabs = (n + per_slab - 1) // per_slab
            csvname = name.replace("%", "%25").replace(",", "%2C")
            rows.append(f"{t:.2f},{csvname},{size[name]},{n},{slabs * per_slab},"
                        f"0,{slabs * 4096},{allocs[name]},0")
        rows.append(f"{t:.2f},bslab_alloc_pages,-,3,3,-,{3 * 65536},-,-")
        for k in MEMINFO:
            rows.append(f"{t:.2f},meminfo:{k},,,,,{(50 + i) * 1048576},,")
    return "\n".join(rows) + "\n"


def summary(out):
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("leak suspects"))
    return lines[start:]


class Tests:
    def __init__(self, tmp):
        self.tmp = tmp
        self.results = []
        self.csv = os.path.join(tmp, "workload.csv")
        with open(self.csv, "w") as f:
            f.write(workload())

    def run(self, name, fn):
        try:
            fn()
            self.results.append(f"ok {name}")
        except AssertionError as e:
            self.results.append(f"not ok {name}: {e}")
        except Exception as e:      # a broken test fails alone
            self.results.append(f"not ok {name}: {type(e).__name__}: {e}")
        print(self.results[-1], flush=True)

    def bslabstat(self, shell, awk, *args, code=0):
        """Run bslabstat under SHELL with AWK first in PATH."""
        bindir = os.path.join(self.tmp, f"bin-{awk.replace(' ', '-')}")
        os.makedirs(bindir, exist_ok=True)
        with open(os.path.join(bindir, "awk"), "w") as f:
            f.write(f"#!/bin/sh\nexec {awk} \"$@\"\n")
        os.chmod(os.path.join(bindir, "awk"), 0o755)
        env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"])
        p = subprocess.run(shell.split() + [BSLABSTAT] + list(args), env=env,
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == code, \
            f"{shell}/{awk} {' '.join(args)}: exit {p.returncode}: {p.stdout}{p.stderr}"
        return p.stdout + p.stderr

    def rule(self, shell, awk):
        out = self.bslabstat(shell, awk, "--replay", self.csv)
        lines = out.splitlines()
        # a header, one line per interval, then the summary
        assert lines[0].split()[:3] == ["time", "bslab-mem", "Slab"], out
        rows = [ln for ln in lines if re.match(r"^ *[0-9]+\.[0-9]s ", ln)]
        assert len(rows) == 24, f"{shell}/{awk}: not 24 interval lines:\n{out}"
        s = summary(out)
        assert s[0] == "leak suspects:" and len(s) == 2, \
            f"{shell}/{awk}: want exactly one suspect:\n{out}"
        want = "  leak grew in 19 of 24 intervals, 50.8K to 197.0K (+146.2K, 12.2K/s)"
        assert s[1] == want, f"{shell}/{awk}: wrong verdict: {s[1]}"
        # named as soon as sure: after the tenth interval, not the ninth
        early = [i for i, ln in enumerate(lines)
                 if ln.startswith("bslabstat: leak suspect: leak ")]
        assert len(early) == 1, f"{shell}/{awk}: named {len(early)} times:\n{out}"
        assert lines[early[0] - 1].lstrip().startswith("5.0s"), \
            f"{shell}/{awk}: named after {lines[early[0] - 1]}"
        assert "bslabstat: leak suspect: " not in out.replace(
            "bslabstat: leak suspect: leak ", ""), out
        assert "meminfo over the run (12.0 s): Slab 50.0M->74.0M" in out, out
        # bslab's own caches: shown, not judged, though both fit the rule
        assert lines[-3] == ("bslab's own caches over the run (not judged): "
                             "bslab_magazine_62 +24.0K, bslab_bufctl_1 +101.2K"), out

    def options(self):
        out = self.bslabstat("dash", "mawk", "-c", "spike,grow_*", "--replay", self.csv)
        assert summary(out) == ["leak suspects: none"], out
        assert "leak" not in "\n".join(out.splitlines()[1:-2]), out
        out = self.bslabstat("dash", "mawk", "-c", "*leak", "-t", "8", "--replay", self.csv)
        s = summary(out)
        assert len(s) == 3 and "small_leak grew in 24 of 24" in out, out
        out = self.bslabstat("dash", "mawk", "-c", "odd?na%me", "-t", "8", "--replay", self.csv)
        assert summary(out)[1:] == [
            "  odd,na%me grew in 24 of 24 intervals, 80 to 464 (+384, 32/s)"], out
        out = self.bslabstat("dash", "mawk", "-t", "1M", "--replay", self.csv)
        assert summary(out) == ["leak suspects: none"], out
        # -c that names bslab's own caches has them judged
        out = self.bslabstat("dash", "mawk", "-c", "bslab_magazine_*,leak", "--replay", self.csv)
        assert summary(out)[1:] == [
            "  leak grew in 19 of 24 intervals, 50.8K to 197.0K (+146.2K, 12.2K/s)",
            "  bslab_magazine_62 grew in 24 of 24 intervals, 3.0K to 27.0K (+24.0K, 2.0K/s)"], out
        assert "bslab's own caches" not in out and "bufctl" not in out, out
        for bad in (["-t", "12Q", "1"], ["-x"], ["0.5", "x"], ["1.2.3"],
                    ["--replay", "/nonexistent"]):
            out = self.bslabstat("dash", "mawk", *bad, code=2)
            assert out.startswith("bslabstat: ") or out.startswith("Usage"), out
        broken = os.path.join(self.tmp, "broken.csv")
        with open(broken, "w") as f:
            f.write(HEADER + "\n1.0,x,1,2\n")
        out = self.bslabstat("dash", "mawk", "--replay", broken, code=2)
        assert "broken.csv:2: not a bslabstat CSV line" in out, out
        short = os.path.join(self.tmp, "short.csv")
        with open(short, "w") as f:
            f.write("\n".join(workload(intervals=6).splitlines()) + "\n")
        out = self.bslabstat("dash", "mawk", "--replay", short)
        assert "leak suspects: none named: 6 intervals, the rule needs 10" in out, out
        help_text = self.bslabstat("dash", "mawk", "--help")
        assert "The leak rule." in help_text, help_text

    def live(self):
        """The sampler itself, on files laid out as the kernel's."""
        root = os.path.join(self.tmp, "fake")
        os.makedirs(os.path.join(root, "bslab"), exist_ok=True)
        with open(os.path.join(root, "uptime"), "w") as f:
            f.write("123.45 200.00\n")
        with open(os.path.join(root, "meminfo"), "w") as f:
            f.write("MemTotal:        2000000 kB\nSlab:              40000 kB\n"
                    "KernelStack:        1000 kB\n")
        with open(os.path.join(root, "bslab", "kmastat"), "w") as f:
            f.write("cache      buf\nname       size\n-------- ------\n"
                    "demo_x 64 10 63 0 4096 100 0\n"
                    "we,ird%2C 32 1 126 0 4096 5 0\n"
                    "bslab_alloc_pages - 1 1 - 8192 - -\n-------- ------\n"
                    "Total 12288 100 0\n")
        csv = os.path.join(self.tmp, "live.csv")
        os.environ["BSLAB_DEBUGFS"] = os.path.join(root, "bslab")
        os.environ["PROC"] = root
        try:
            out = self.bslabstat("dash", "mawk", "--csv", csv, "0.1", "3")
        finally:
            del os.environ["BSLAB_DEBUGFS"], os.environ["PROC"]
        assert "leak suspects: none named: 3 intervals" in out, out
        # interrupted (^C: the terminal's process group), it still sums up
        env = dict(os.environ, BSLAB_DEBUGFS=os.path.join(root, "bslab"), PROC=root)
        # (as from a terminal: SIGINT not ignored, whatever ran this test)
        csv2 = os.path.join(self.tmp, "live2.csv")
        p = subprocess.Popen(["dash", BSLABSTAT, "--csv", csv2, "0.1"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        # interrupted once it has two samples (a summary needs them): on a
        # busy machine that can take longer than any fixed sleep
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and p.poll() is None:
            try:
                with open(csv2) as f:
                    if len(f.read().splitlines()) >= 1 + 2 * 5:
                        break
            except FileNotFoundError:
                pass
            time.sleep(0.1)
        os.killpg(p.pid, signal.SIGINT)
        try:
            text = p.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            raise AssertionError("bslabstat did not stop on SIGINT") from None
        assert "meminfo over the run" in text and "leak suspects: none" in text, text
        with open(csv) as f:
            rows = f.read().splitlines()
        assert rows[0] == HEADER and len(rows) == 1 + 4 * 5, rows
        assert "123.45,demo_x,64,10,63,0,4096,100,0" in rows, rows
        # a name's "," and "%" are encoded in the CSV
        assert "123.45,we%2Cird%252C,32,1,126,0,4096,5,0" in rows, rows
        assert "123.45,meminfo:Slab,,,,,40960000,," in rows, rows

    def plot(self):
        png = os.path.join(self.tmp, "workload.png")
        p = subprocess.run(["/usr/bin/python3", BSLABPLOT, self.csv, "-o", png, "-t", "16K"],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stdout + p.stderr
        with open(png, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", "not a PNG"
        assert "leak suspects: leak" in p.stdout, p.stdout
        p = subprocess.run(["/usr/bin/python3", BSLABPLOT, "/nonexistent.csv", "-o", png],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode != 0 and "bslabplot: " in p.stderr, p.stderr

    def guest(self, path, outdir):
        """The guest's recording: demo_name alone, on this machine's awk."""
        assert os.path.getsize(path) > 0, \
            f"{path} is empty: the guest wrote no CSV (see serial.log)"
        out = self.bslabstat("dash", "mawk", "--replay", path)
        s = summary(out)
        assert len(s) == 2 and s[1].startswith("  demo_name grew in "), out
        # --node: each sample's NUMA nodes (make check's guest has four,
        # one of them without memory; a kernel without NUMA, one, and no
        # node meminfo files), and their totals over the run
        with open(path) as f:
            rows = [ln.split(",") for ln in f]
        nodes = {r[1] for r in rows if r[1].startswith("node:")}
        slabs = {r[1] for r in rows if re.match(r"meminfo:node\d+_Slab$", r[1])}
        assert nodes and (not slabs or len(slabs) == len(nodes)), (nodes, slabs)
        over = [ln for ln in out.splitlines() if re.match(r"node \d+ over the run: bslab ", ln)]
        assert len(over) == len(nodes), out
        mem = {}
        for r in rows:
            if r[1].startswith("node:") and int(r[6]) > 0:
                mem[r[1]] = mem.get(r[1], 0) + 1
        assert mem, "no node holds any of bslab's memory: " + str(nodes)
        png = os.path.join(outdir, "bslabstat.png")
        p = subprocess.run(["/usr/bin/python3", BSLABPLOT, path, "-o", png],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and "leak suspects: demo_name" in p.stdout, \
            p.stdout + p.stderr
        print(p.stdout.strip())

    def lint(self):
        """shellcheck on every shell script, flake8 on every Python one."""
        scripts = os.path.join(TOP, "scripts")
        shell, python = [], []
        for name in sorted(os.listdir(scripts)):
            path = os.path.join(scripts, name)
            if not os.path.isfile(path):
                continue
            with open(path, errors="replace") as f:
                first = f.readline()
            if name.endswith(".py") or "python" in first:
                python.append(path)
            elif name.endswith(".sh") or first.startswith("#!/bin/"):
                shell.append(path)
        shell.append(os.path.join(TOP, ".ci", "run"))
        p = subprocess.run(["shellcheck", "-x", "-P", "SCRIPTDIR"] + shell,
                           capture_output=True, text=True, check=False)
        assert p.returncode == 0, "shellcheck:\n" + p.stdout + p.stderr
        p = subprocess.run(["shellcheck", "-s", "sh", os.path.join(TOP, "qemu", "init")],
                           capture_output=True, text=True, check=False)
        assert p.returncode == 0, "shellcheck qemu/init:\n" + p.stdout + p.stderr
        p = subprocess.run(["flake8", "--config", os.path.join(TOP, ".flake8")] + python,
                           capture_output=True, text=True, check=False)
        assert p.returncode == 0, "flake8:\n" + p.stdout + p.stderr
        assert len(shell) >= 10 and len(python) >= 4, (shell, python)

    def apt_waits(self):
        """Every apt-get that takes dpkg's lock waits for it.

        .ci/run builds the next kernel (kernel.sh installs its
        linux-source package) while a check installs packages
        (check-deb, check-distro, deps.sh): without a wait, whichever
        came second failed at once on the lock ("Could not get lock
        /var/lib/dpkg/lock-frontend"), and CI lost a kernel.
        """
        paths = [os.path.join(TOP, "scripts", n)
                 for n in sorted(os.listdir(os.path.join(TOP, "scripts")))]
        paths.append(os.path.join(TOP, ".ci", "run"))
        calls = 0
        for path in paths:
            if not os.path.isfile(path):
                continue
            with open(path, errors="replace") as f:
                for n, line in enumerate(f, 1):
                    code = line.split("#", 1)[0]
                    if '"' in code.split("apt-get", 1)[0]:
                        continue        # a message that names apt-get
                    for call in re.findall(r"apt-get\b[^|;&]*", code):
                        words = call.split()
                        if not {"install", "purge", "remove", "update"} & set(words):
                            continue
                        if "Dir::State::Lists" in call or '"${opts[@]}"' in call:
                            continue    # a private apt index: no system lock
                        calls += 1
                        assert "DPkg::Lock::Timeout=" in call, \
                            "%s:%d: apt-get without DPkg::Lock::Timeout: %s" % (
                                os.path.relpath(path, TOP), n, line.strip())
        assert calls >= 8, "only %d apt-get calls found" % calls

    def dump(self, core, serial, symbols):
        """bslab_drgn.py on the dump: what the guest printed before it."""
        sys.path.insert(0, os.path.join(TOP, "scripts"))
        import bslab_drgn
        with open(serial, errors="replace") as f:
            log = [ln.rstrip("\r\n") for ln in f]

        def block(what):
            try:
                start = log.index(f"BSLAB-{what}-BEGIN leakhunt")
                end = log.index(f"BSLAB-{what}-END leakhunt")
            except ValueError:
                raise AssertionError(f"no {what} block in {serial}") from None
            return "\n".join(log[start + 1:end]) + "\n"

        guest_kmastat, guest_kmausers = block("KMASTAT"), block("KMAUSERS")
        guest_nodes = block("KMASTAT_NODE")
        assert os.path.exists(core), f"no dump {core}: see {serial}"
        prog = bslab_drgn.open_program(core, symbols)
        ours = bslab_drgn.kmastat(prog)
        assert ours == guest_kmastat, "kmastat differs:\n" + diff(guest_kmastat, ours)
        ours = bslab_drgn.kmastat_node(prog)
        assert ours == guest_nodes, "kmastat_node differs:\n" + diff(guest_nodes, ours)
        assert len([ln for ln in ours.splitlines() if ln.startswith("Total ")]) == \
            bslab_drgn.nr_online_nodes(prog) >= 1, ours
        ours = bslab_drgn.kmausers(prog)
        assert "demo_rename+0x" in ours, ours
        assert ours == guest_kmausers, "kmausers differs:\n" + diff(guest_kmausers, ours)

        # find: the objects bslab_sanitize leaked (its cache is dead now)
        leaked = [int(m.group(1), 16) for m in
                  (re.search(r"BSLAB-LEAKED: (0x[0-9a-f]+)", ln) for ln in log) if m]
        assert len(leaked) == 8, f"{len(leaked)} BSLAB-LEAKED lines"
        for addr in leaked:
            for off in (0, 17):
                f = bslab_drgn.find_address(prog, addr + off)
                assert f and bslab_drgn.cache_name(f["cache"]) == "t_san_leak" and \
                    f["dead"] and f["object"] == addr and f["offset"] == off and \
                    f["state"] == "allocated", (hex(addr + off), f)
        assert bslab_drgn.find_address(prog, int(prog["init_uts_ns"].address_of_())) is None

        # slabs: what kmastat says of demo_name, slab by slab
        row = next(ln.split() for ln in guest_kmastat.splitlines()
                   if ln.startswith("demo_name "))
        slabs = bslab_drgn.cache_slabs(prog, bslab_drgn.cache_by_name(prog, "demo_name"))
        assert sum(s["total"] for s in slabs) == int(row[3]), (row, len(slabs))
        assert sum(s["inuse"] for s in slabs) == int(row[2]) + int(row[4]), row

        # and the command line, as a user types it
        cmd = ["/usr/bin/python3", os.path.join(TOP, "scripts", "bslab_drgn.py"), "-c", core]
        for sym in symbols:
            cmd += ["-s", sym]
        p = subprocess.run(cmd + ["kmausers", "demo_name"], capture_output=True,
                           text=True, timeout=600)
        assert p.returncode == 0 and "demo_rename+0x" in p.stdout and \
            "cache demo_name: " in p.stdout, p.stdout + p.stderr
        p = subprocess.run(cmd + ["find", hex(leaked[0] + 5)], capture_output=True,
                           text=True, timeout=600)
        want = "%s: cache t_san_leak (dead), slab 0x" % hex(leaked[0] + 5)
        assert p.returncode == 0 and p.stdout.startswith(want) and \
            p.stdout.rstrip().endswith(" at %s+5: allocated" % hex(leaked[0])), p.stdout + p.stderr


def diff(a, b):
    import difflib
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                        "guest", "drgn", n=1))


def main():
    ap = argparse.ArgumentParser(description="the host-side tests of bslab's tools")
    ap.add_argument("outdir")
    ap.add_argument("--csv", help="what bslabstat --csv wrote in the guest")
    ap.add_argument("--dump", help="the vmcore QEMU took of the leak hunt")
    ap.add_argument("--serial", help="the guest's serial log")
    ap.add_argument("-s", dest="symbols", action="append", default=[],
                    help="debug info for drgn: vmlinux and the modules")
    args = ap.parse_args()
    out = args.outdir
    tmp = tempfile.mkdtemp(prefix="bslab-tools-")
    t = Tests(tmp)
    for shell in ("dash", "bash", "busybox sh"):
        for awk in ("mawk", "gawk", "busybox awk"):
            t.run(f"bslabstat_rule[{shell}/{awk}]",
                  lambda s=shell, a=awk: t.rule(s, a))
    t.run("bslabstat_options", t.options)
    t.run("bslabstat_live_sampler", t.live)
    t.run("bslabplot", t.plot)
    t.run("lint_scripts", t.lint)
    t.run("apt_waits_for_dpkg_lock", t.apt_waits)
    if args.csv:
        t.run("bslabstat_bslabplot_guest_recording", lambda: t.guest(args.csv, out))
    if args.dump:
        t.run("drgn_kmastat_kmausers_find_slabs_on_a_dump",
              lambda: t.dump(args.dump, args.serial, args.symbols))
    shutil.rmtree(tmp)
    with open(os.path.join(out, "tools.results"), "w") as f:
        f.write("\n".join(t.results) + "\n")
    return 0 if all(r.startswith("ok ") for r in t.results) else 1


if __name__ == "__main__":
    sys.exit(main())
