#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""w11_reduce.py SERIAL_LOG OUT.xz - W11's replay program from a recording.

Reads the events qemu/init's W11 recording sent between its BSLAB-W11
lines (gzipped, base64; one line an event: "A bytes_req ptr call_site" for
kmem_cache_alloc, "M bytes_req ptr" for kmalloc, "F ptr [cache]" for
kmem_cache_free and kfree, "P phase" where the workload's steady and
teardown phases begin) and writes the replay bslab_bench reads
(bench/bslab_bench.c, "W11"), xz-compressed:

  - a kmem_cache_alloc object's cache is the one its kmem_cache_free names;
    one never freed in the trace takes the cache its call site's other
    objects of that size went to (else "obj_<size>");
  - a kmalloc object goes to the kmalloc size class that holds its request
    (kmalloc-8 ... kmalloc-8k); requests above 8 KiB are page-allocator
    allocations and are left out, as are frees of objects allocated before
    the recording began;
  - each cache's objects get slots, a freed slot is reused first, so the
    replay's arrays are as small as the most objects live at once;
  - the phases are the workload's own (its markers); the objects still
    live at the end are freed in the order they were made, as the last
    of the teardown.
"""
import base64
import collections
import gzip
import lzma
import struct
import sys

MAGIC = b"BSLABW11"
VERSION = 1
KMALLOC = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]
FREE = 1 << 31


def events(path):
    b64, inside = [], False
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("BSLAB-W11-BEGIN"):
            inside = True
        elif line.startswith("BSLAB-W11-END"):
            inside = False
        elif inside and line.startswith("W11:"):
            b64.append(line[4:])
    if not b64 or not b64[0].startswith("begin-base64"):
        sys.exit("w11_reduce: no W11 recording in %s" % path)
    body = "".join(x for x in b64[1:] if x != "====")
    return gzip.decompress(base64.b64decode(body)).decode().splitlines()


def kmalloc_class(req):
    for c in KMALLOC:
        if req <= c:
            return "kmalloc-%s" % (c if c < 1024 else "%dk" % (c // 1024)), c
    return None, None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ev = events(sys.argv[1])
    # pass 1: every object (an allocation), and the cache its free names
    objs = []               # [kind, size, call_site, cache name or None]
    seq = []                # ("a", obj), ("f", obj) or ("p", phase)
    live = {}
    stale = unknown = large = 0
    for line in ev:
        f = line.split()
        if f[0] in ("A", "M"):
            ptr = f[2]
            if ptr in live:         # its free was not traced: free it here
                seq.append(("f", live.pop(ptr)))
                stale += 1
            size = int(f[1])
            if f[0] == "A":
                objs.append(["A", size, f[3] if len(f) > 3 else "", None])
            else:
                name, cls = kmalloc_class(size)
                if not name:
                    large += 1
                    continue
                objs.append(["M", cls, "", name])
            live[ptr] = len(objs) - 1
            seq.append(("a", len(objs) - 1))
        elif f[0] == "P":
            seq.append(("p", f[1]))
        elif f[0] == "F":
            o = live.pop(f[1], None)
            if o is None:
                unknown += 1
                continue
            if objs[o][0] == "A" and len(f) > 2 and objs[o][3] is None:
                objs[o][3] = f[2]
            seq.append(("f", o))
    # objects never freed: their call site's cache, else one of their size
    by_site = collections.defaultdict(collections.Counter)
    for o in objs:
        if o[0] == "A" and o[3]:
            by_site[(o[2], o[1])][o[3]] += 1
    for o in objs:
        if o[3] is None:
            c = by_site.get((o[2], o[1]))
            o[3] = c.most_common(1)[0][0] if c else "obj_%d" % o[1]
    # caches, in order of first use; one size each (the largest seen)
    caches = {}
    for o in objs:
        caches[o[3]] = max(caches.get(o[3], 0), o[1])
    names = list(caches)
    if len(names) > 128:
        sys.exit("w11_reduce: %d caches, the format holds 128" % len(names))
    index = {n: i for i, n in enumerate(names)}
    # pass 2: slots, phases
    free_slots = [[] for _ in names]
    high = [0] * len(names)
    slot_of = {}
    out = []
    n_live = peak = peak_at = 0
    marks = {}

    def emit(kind, o):
        nonlocal n_live, peak, peak_at
        c = index[objs[o][3]]
        if kind == "a":
            s = free_slots[c].pop() if free_slots[c] else high[c]
            high[c] = max(high[c], s + 1)
            slot_of[o] = s
            out.append((c << 24) | s)
            n_live += 1
            if n_live > peak:
                peak, peak_at = n_live, len(out)
        else:
            s = slot_of.pop(o)
            free_slots[c].append(s)
            out.append(FREE | (c << 24) | s)
            n_live -= 1

    for kind, o in seq:
        if kind == "p":
            marks[o] = len(out)
        else:
            emit(kind, o)
    if "steady" not in marks or "teardown" not in marks:
        sys.exit("w11_reduce: the recording has no phase markers")
    growth_end, steady_end = marks["steady"], marks["teardown"]
    for o in sorted(slot_of):
        emit("f", o)
    head = MAGIC + struct.pack("<5I", VERSION, len(names), len(out),
                               growth_end, steady_end)
    body = b"".join(struct.pack("<II24s", caches[n], high[i],
                                n.encode()[:23])
                    for i, n in enumerate(names))
    data = head + body + struct.pack("<%dI" % len(out), *out)
    with open(sys.argv[2], "wb") as f:
        f.write(lzma.compress(data, preset=9 | lzma.PRESET_EXTREME))
    print("w11_reduce: %d events (growth %d, steady %d, teardown %d), %d "
          "caches, %d objects live at most (event %d); left out: %d frees "
          "of objects made before, %d page-allocator kmallocs; %d frees "
          "not traced" % (len(out), growth_end, steady_end - growth_end,
                          len(out) - steady_end, len(names), peak, peak_at,
                          unknown, large, stale))
    top = collections.Counter(objs[o][3] for k, o in seq if k == "a")
    print("w11_reduce: most allocated: " + ", ".join(
        "%s (%d B) %d" % (n, caches[n], k) for n, k in top.most_common(8)))


if __name__ == "__main__":
    main()
