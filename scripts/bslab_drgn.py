#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""bslab_drgn.py - bslab's structures through drgn: kmastat and kmausers
on a crash dump (or the live kernel), as ::kmastat and ::kmausers are on a
Solaris dump.

As a command:

  bslab_drgn.py [-c CORE] [-s FILE]... COMMAND [ARGS]

  CORE is a vmcore (QEMU's dump-guest-memory, kdump) or /proc/kcore (the
  default: the running kernel, as root).  Each -s names a debug-info file:
  vmlinux, bslab.ko and the modules of the caches' clients (their stack
  frames are named from it); without -s, drgn looks in the usual places.

  kmastat [--node]            the kmastat table, with its Total line;
                              --node: by NUMA node, as kmastat_node
  kmausers [CACHE] [--all]    the audit records of objects in use, grouped
                              by allocation stack (every audited cache, or
                              CACHE); --all also shows the small groups
  find ADDRESS                the cache, slab and object that contain ADDRESS
  slabs CACHE                 a cache's slabs, as its debugfs slabs file
                              (with each slab's node)
  caches                      the caches' names and addresses

As a module, in drgn or a script (prog is a drgn.Program with bslab's debug
info loaded): for_each_cache(prog), cache_by_name(prog, name),
cache_stats(prog, cache), kmastat(prog), kmastat_node(prog),
nr_node_ids(prog), kmausers(prog, cache=None,
show_all=None), find_address(prog, addr), cache_slabs(prog, cache) and
stack_entries(prog, handle).

The output of kmastat and kmausers is the text of the debugfs files of the
same names (make check compares them, line for line, with what the guest
printed just before QEMU dumped its memory).  The helpers read bslab's
structures as mm/internal.h lays them out; a change there is a change here.
"""
import argparse
import os
import sys

import drgn
from drgn import Object, cast
from drgn.helpers.linux.cpumask import for_each_possible_cpu
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.mm import pfn_to_page
from drgn.helpers.linux.percpu import per_cpu_ptr
from drgn.helpers.linux.rbtree import rbtree_inorder_for_each_entry

# mm/internal.h: BSLAB_DBG_AUDIT (a #define, so not in the debug info)
BSLAB_DBG_AUDIT = 0x08
# mm/audit.c: ::kmausers' default thresholds
USERS_MIN_BYTES = 8192
USERS_MIN_OBJS = 100
# enum bslab_slab_state, in order
STATE_NAMES = ("empty", "partial", "full", "deferred")
OWNER_MASK = 0x3e           # mm/slab.h: BSLAB_OWNER_MASK, the slab's node
# lib/stackdepot.c: records are aligned to 1 << DEPOT_STACK_ALIGN in a pool
DEPOT_STACK_ALIGN = 4

CPU_ALLOC = ("alloc_cpu", "alloc_swap", "alloc_depot", "alloc_fill", "alloc_slab")
CPU_FREE = ("free_cpu", "free_swap", "free_depot", "free_spill", "free_slab",
            "free_remote")


# ---- modules: where their code and data are in this kernel ----
#
# drgn 0.0.22 (Debian 12) cannot list the modules of a 6.4+ kernel (struct
# module's layout changed), so it loads a module's debug info for its types
# but cannot place its variables and functions.  These helpers place them
# from the dump itself: the module list, each module's memory regions and
# its kallsyms (which hold data symbols too on kernels with KALLSYMS_ALL,
# as Debian's and make check's are).

_MODULES = {}


def _modules(prog):
    """{name: {"regions": [(base, size)], "text": (base, size),
    "syms": [(address, name)] sorted, "by_name": {name: address}}}"""
    if id(prog) in _MODULES:
        return _MODULES[id(prog)]
    mods = {}
    for mod in list_for_each_entry("struct module", prog["modules"].address_of_(), "list"):
        try:
            regions = [(int(m.base), int(m.size)) for m in mod.mem]
            text = regions[0]                        # MOD_TEXT
        except AttributeError:                       # before 6.4: core_layout
            regions = [(int(mod.core_layout.base), int(mod.core_layout.size))]
            text = (int(mod.core_layout.base), int(mod.core_layout.text_size))
        ks = mod.kallsyms
        strtab = ks.strtab
        syms = []
        for i in range(1, int(ks.num_symtab)):
            sym = ks.symtab[i]
            if int(sym.st_shndx) == 0:               # SHN_UNDEF
                continue
            name = (strtab + int(sym.st_name)).string_().decode(errors="replace")
            if not name or name.startswith("$"):     # mapping symbols
                continue
            syms.append((int(sym.st_value), name))
        syms.sort()
        mods[mod.name.string_().decode()] = {
            "regions": regions, "text": text, "syms": syms,
            "by_name": {n: a for a, n in syms}}
    _MODULES[id(prog)] = mods
    return mods


def _var(prog, name, module="bslab"):
    """A global variable of a module, where the dump has it."""
    obj = prog.object(name)
    mod = _modules(prog).get(module)
    if mod is None:
        return obj
    addr = obj.address_
    if any(b <= addr < b + n for b, n in mod["regions"]):
        return obj                                   # drgn placed it
    if name not in mod["by_name"]:
        raise LookupError(f"{module}: no symbol {name} in its kallsyms "
                          "(a kernel without KALLSYMS_ALL needs a newer drgn)")
    return Object(prog, obj.type_, address=mod["by_name"][name])


def for_each_cache(prog, dead=False):
    """Yield every bslab cache (struct bslab_cache *) on bslab_caches, in
    creation order; with dead=True, those on bslab_dead_caches instead."""
    head = _var(prog, "bslab_dead_caches" if dead else "bslab_caches").address_of_()
    yield from list_for_each_entry("struct bslab_cache", head, "caches")


def cache_name(cache):
    return cache.name.string_().decode()


def cache_by_name(prog, name):
    """The cache called name (live caches first, then dead ones), or None."""
    for dead in (False, True):
        for cache in for_each_cache(prog, dead):
            if cache_name(cache) == name:
                return cache
    return None


def _slab_total(cache):
    return int(cache.nr_full + cache.nr_partial + cache.nr_empty + cache.nr_deferred)


def cache_stats(prog, cache):
    """The numbers bslab_cache_stats() gives, as a dict (the ones kmastat
    and the leak hunt use)."""
    ev = dict.fromkeys(CPU_ALLOC + CPU_FREE, 0)
    for cpu in for_each_possible_cpu(prog):
        cev = per_cpu_ptr(cache.cpu, cpu).ev
        for k in ev:
            ev[k] += int(getattr(cev, k))
    alloc = sum(ev[k] for k in CPU_ALLOC)
    free = sum(ev[k] for k in CPU_FREE)
    inuse = max(alloc - free, 0)
    out = int(cache.buf_out)
    slabs = _slab_total(cache)
    slab_size = int(prog["PAGE_SIZE"]) << int(cache.order)
    return {
        "buf_size": int(cache.size),
        "buf_inuse": inuse,
        "buf_total": slabs * int(cache.objs),
        "buf_magazine": max(out - inuse, 0),
        "mem_total": slabs * slab_size,
        "alloc": alloc,
        "free": free,
        "alloc_fail": int(cache.ev.alloc_fail),
        "slabs": slabs,
        "slab_size": slab_size,
    }


def _rule():
    return ("------------------------------- ------ --------- --------- --------- "
            "------------ ------------ ------")


def kmastat(prog):
    """The kmastat table (mm/debugfs.c's kmastat_show()) as a string."""
    lines = [
        "cache                              buf       buf       buf       buf"
        "       memory        alloc  alloc",
        "name                              size    in use     total   in mags"
        "       in use      succeed   fail",
        _rule(),
    ]
    mem = allocs = fails = 0
    for cache in for_each_cache(prog):
        st = cache_stats(prog, cache)
        lines.append("%-31s %6d %9d %9d %9d %12d %12d %6d" % (
            cache_name(cache), st["buf_size"], st["buf_inuse"], st["buf_total"],
            st["buf_magazine"], st["mem_total"], st["alloc"], st["alloc_fail"]))
        mem += st["mem_total"]
        allocs += st["alloc"]
        fails += st["alloc_fail"]
    large_n = int(_var(prog, "large_allocs").counter)
    large_bytes = int(_var(prog, "large_bytes").counter)
    lines.append("%-31s %6s %9d %9d %9s %12d %12s %6s" % (
        "bslab_alloc_pages", "-", large_n, large_n, "-", large_bytes, "-", "-"))
    lines.append(_rule())
    lines.append("%-31s %6s %9s %9s %9s %12d %12d %6d" % (
        "Total", "", "", "", "", mem + large_bytes, allocs, fails))
    return "\n".join(lines) + "\n"


def stack_entries(prog, handle):
    """The return addresses of a stack depot handle (lib/stackdepot.c)."""
    if not handle:
        return []
    parts = Object(prog, "union handle_parts", value={"handle": handle})
    try:
        pool = int(parts.pool_index_plus_1) - 1
    except AttributeError:                       # before 6.8
        pool = int(parts.pool_index)
    base = prog["stack_pools"][pool]
    offset = int(parts.offset) << DEPOT_STACK_ALIGN
    record = cast("struct stack_record *", cast("char *", base) + offset)
    return [int(record.entries[i]) for i in range(int(record.size))]


_VMLINUX_ENDS = {}


def _vmlinux_symbol_ends(prog):
    """Sorted addresses of vmlinux's symbols, read from its ELF symbol table
    (kallsyms measures a symbol up to the next one, not by st_size)."""
    import struct
    if id(prog) in _VMLINUX_ENDS:
        return _VMLINUX_ENDS[id(prog)]
    addrs = []
    path = _VMLINUX.get(id(prog))
    if path:
        with open(path, "rb") as f:
            data = f.read()
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
        for i in range(shnum):
            sh_type, = struct.unpack_from("<I", data, shoff + i * shentsize + 4)
            if sh_type != 2:                         # SHT_SYMTAB
                continue
            off, size = struct.unpack_from("<QQ", data, shoff + i * shentsize + 0x18)
            for st_name, info, other, shndx, value, _ in struct.iter_unpack(
                    "<IBBHQQ", data[off:off + size]):
                if shndx != 0 and shndx < 0xff00 and st_name and value:
                    addrs.append(value)
    addrs = sorted(set(addrs))
    _VMLINUX_ENDS[id(prog)] = addrs
    return addrs


def format_frame(prog, addr):
    """A return address as the kernel's %pS prints it: name+off/size, and
    [module] for a module's code."""
    import bisect
    for name, mod in _modules(prog).items():
        if not any(b <= addr < b + n for b, n in mod["regions"]):
            continue
        base, size = mod["text"]
        end = base + size if base <= addr < base + size else \
            next(b + n for b, n in mod["regions"] if b <= addr < b + n)
        best = None
        for a, sym in mod["syms"]:
            if a <= addr:
                best = (a, sym)
            elif a < end:
                end = a
                break
        if best is None:
            return "0x%x [%s]" % (addr, name)
        return "%s+0x%x/0x%x [%s]" % (best[1], addr - best[0], end - best[0], name)
    try:
        sym = prog.symbol(addr)
    except LookupError:
        return "0x%x" % addr
    ends = _vmlinux_symbol_ends(prog)
    i = bisect.bisect_right(ends, sym.address)
    size = ends[i] - sym.address if i < len(ends) else sym.size
    return "%s+0x%x/0x%x" % (sym.name, addr - sym.address, size)


def _stacks_in_use(cache):
    table = cache.audit
    if not table:
        return None
    stacks = []
    for i in range(1 << int(table.bits)):
        rec = table.heads[i]
        while rec:
            if rec.in_use:
                stacks.append(int(rec.alloc_stack))
            rec = rec.next
    return stacks


def kmausers(prog, cache=None, show_all=None):
    """The kmausers report of one cache (its users file) or of every
    audited cache (the top-level kmausers file), as a string.  show_all
    None follows what was last written to the files ("all" or "large")."""
    if show_all is None:
        show_all = bool(_var(prog, "users_all"))
    caches = [cache] if cache is not None else [
        c for c in for_each_cache(prog) if int(c.debug) & BSLAB_DBG_AUDIT]
    lines = []
    if cache is not None and not int(cache.debug) & BSLAB_DBG_AUDIT:
        name = cache_name(cache)
        return (f"cache {name} is not audited (echo +audit > "
                f"/sys/kernel/debug/bslab/{name}/debug)\n")
    users = []          # (bytes, handle, objs, cache)
    recorded = 0
    for c in caches:
        stacks = _stacks_in_use(c)
        if stacks is None:
            continue
        recorded = len(stacks)
        counts = {}
        for h in stacks:
            counts[h] = counts.get(h, 0) + 1
        for h, n in counts.items():
            users.append((n * int(c.size), h, n, c))
    users.sort(key=lambda u: (-u[0], u[1]))
    hidden = 0
    for nbytes, handle, n, c in users:
        if not (show_all or n >= USERS_MIN_OBJS or nbytes >= USERS_MIN_BYTES):
            hidden += 1
            continue
        lines.append("%d bytes for %d allocations with data size %d from cache %s:" % (
            nbytes, n, int(c.size), cache_name(c)))
        entries = stack_entries(prog, handle)
        if not entries:
            lines.append("\t (stack not saved)")
        lines += ["\t " + format_frame(prog, a) for a in entries]
    if hidden:
        lines.append("(%d smaller users below %d bytes and %d allocations not shown; "
                     "echo all > this file to show them)" % (
                         hidden, USERS_MIN_BYTES, USERS_MIN_OBJS))
    if cache is not None:
        inuse = cache_stats(prog, cache)["buf_inuse"]
        lines.append("cache %s: %d objects in use recorded, %d allocated before audit "
                     "was on or not recorded" % (cache_name(cache), recorded,
                                                 max(inuse - recorded, 0)))
    elif not caches:
        lines.append("no cache is audited (echo +audit > "
                     "/sys/kernel/debug/bslab/<cache>/debug)")
    return "\n".join(lines) + "\n" if lines else ""


def is_numa(prog):
    """Does the kernel have NUMA (nr_node_ids is a variable only then)?"""
    try:
        prog["nr_node_ids"]
        return True
    except (KeyError, LookupError):
        return False


def nr_node_ids(prog):
    """The kernel's nr_node_ids: a variable on a NUMA kernel, 1 without."""
    return int(prog["nr_node_ids"]) if is_numa(prog) else 1


def online_nodes(prog):
    """The online NUMA nodes, in order (node 0 alone without NUMA)."""
    try:
        from drgn.helpers.linux.nodemask import for_each_online_node
        return list(for_each_online_node(prog))
    except (ImportError, KeyError, LookupError):
        return list(range(nr_node_ids(prog)))


def nr_online_nodes(prog):
    return len(online_nodes(prog))


def _each_slab(prog, cache):
    """Each node's full, partial and empty slabs, then the deferred ones
    (the debugfs slabs file's order)."""
    for nid in range(nr_node_ids(prog)):
        node = cache.node[nid]
        yield from list_for_each_entry("struct bslab_slab", node.full.address_of_(), "list")
        yield from rbtree_inorder_for_each_entry("struct bslab_slab",
                                                 node.partial.rb_root.address_of_(), "node")
        yield from list_for_each_entry("struct bslab_slab", node.empty.address_of_(), "list")
    yield from list_for_each_entry("struct bslab_slab", cache.deferred.address_of_(), "list")


def cache_slabs(prog, cache):
    """The cache's slabs as its debugfs slabs file lists them: a list of
    dicts (base, color, inuse, total, state, node, slab)."""
    mask = int(cache.slab_mask)
    return [{"base": int(sp.first) & mask, "color": int(sp.color),
             "inuse": int(sp.inuse), "total": int(cache.objs),
             "state": STATE_NAMES[int(sp.state)], "node": int(sp.nid), "slab": sp}
            for sp in _each_slab(prog, cache)]


def kmastat_node(prog):
    """The kmastat_node table (mm/debugfs.c's kmastat_node_show()) as a
    string: a row per cache and online node it has slabs on, a Total row
    per online node."""
    rule = "------------------------------- ---- --------- --------- --------- ------------"
    lines = ["cache                           node     slabs       buf       buf       memory",
             "name                                             total    in use       in use",
             rule]
    page = int(prog["PAGE_SIZE"])
    nodes = online_nodes(prog)
    mem = dict.fromkeys(nodes, 0)
    numa = is_numa(prog)
    for cache in for_each_cache(prog):
        slab_size = page << int(cache.order)
        for nid in nodes:
            # mm/internal.h, bslab_node_count(): without NUMA, the cache's
            node = cache.node[nid] if numa else cache
            slabs = int(node.nr_full + node.nr_partial + node.nr_empty)
            if not slabs:
                continue
            lines.append("%-31s %4d %9d %9d %9d %12d" % (
                cache_name(cache), nid, slabs, slabs * int(cache.objs),
                int(node.buf_out), slabs * slab_size))
            mem[nid] += slabs * slab_size
    lines.append(rule)
    for nid in nodes:
        lines.append("%-31s %4d %9s %9s %9s %12d" % ("Total", nid, "", "", "", mem[nid]))
    return "\n".join(lines) + "\n"


def _magazine_rounds(prog, cache):
    """Addresses of the free objects held in the cache's magazines."""
    objs = set()

    def add(mag):
        for i in range(int(mag.rounds)):
            objs.add(int(mag.objs[i]))

    for cpu in for_each_possible_cpu(prog):
        cc = per_cpu_ptr(cache.cpu, cpu)
        for mag in (cc.loaded, cc.prev):
            if mag:
                add(mag)
    heads = [cache.node[nid].mag_full for nid in range(nr_node_ids(prog))]
    for mag in heads + [cache.depot.empty]:
        while mag:
            add(mag)
            mag = mag.next
    return objs


def _is_out(cache, sp, index):
    """Whether the slab layer has handed object index of sp out."""
    if not cache.large:
        word = int(sp.out[index // 64])
        return bool(word >> (index % 64) & 1)
    target = int(sp.first) + index * int(cache.chunk)
    for i in range(1 << int(cache.hash_bits)):
        bc = cache.hash[i]
        while bc:
            if int(bc.buf) == target:
                return True
            bc = bc.next
    return False


def _page_offset(prog):
    """Where the direct map of RAM starts (x86-64)."""
    for name in ("PAGE_OFFSET", "page_offset_base"):
        try:
            return int(prog[name])
        except (KeyError, LookupError):
            pass
    return 0xffff888000000000                        # 4-level, no KASLR


def find_address(prog, addr):
    """The bslab object that contains addr, as a dict (cache, dead, slab,
    index, object, offset, state), or None if no cache's slab holds it."""
    # only the direct map holds slabs (mm/internal.h: slab_page_of())
    page_offset = _page_offset(prog)
    off = addr - page_offset
    if off < 0 or off >= int(prog["high_memory"]) - page_offset:
        return None
    shift = int(prog["PAGE_SHIFT"])
    for dead in (False, True):
        for cache in for_each_cache(prog, dead):
            page = pfn_to_page(prog, (off & int(cache.slab_mask)) >> shift)
            try:
                # the cache, its low bits the slab's node (mm/slab.h: owner_tag())
                owner = int(page.lru.next) & ~OWNER_MASK
            except drgn.FaultError:
                continue
            if owner != int(cache.value_()):
                continue
            sp = cast("struct bslab_slab *", page.private)
            first, chunk = int(sp.first), int(cache.chunk)
            if addr < first or addr >= first + chunk * int(cache.objs):
                return {"cache": cache, "dead": dead, "slab": sp, "index": None,
                        "object": None, "offset": addr - first, "state": "slab space"}
            index = (addr - first) // chunk
            obj = first + index * chunk
            if index >= int(sp.fresh):
                state = "never allocated"
            elif not _is_out(cache, sp, index):
                state = "free"
            elif obj in _magazine_rounds(prog, cache):
                state = "free in a magazine"
            else:
                state = "allocated"
            return {"cache": cache, "dead": dead, "slab": sp, "index": index,
                    "object": obj, "offset": addr - obj, "state": state}
    return None


def _vmcoreinfo(core):
    """The VMCOREINFO note of an ELF core, as a dict."""
    import struct
    with open(core, "rb") as f:
        ehdr = f.read(64)
        phoff, = struct.unpack_from("<Q", ehdr, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", ehdr, 0x36)
        f.seek(phoff)
        phdrs = f.read(phentsize * phnum)
        for i in range(phnum):
            p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(
                "<IIQQQQ", phdrs, i * phentsize)
            if p_type != 4:                      # PT_NOTE
                continue
            f.seek(p_offset)
            notes, pos = f.read(p_filesz), 0
            while pos + 12 <= len(notes):
                namesz, descsz, _ = struct.unpack_from("<III", notes, pos)
                name = notes[pos + 12:pos + 12 + namesz].rstrip(b"\0")
                desc_at = pos + 12 + (namesz + 3) // 4 * 4
                desc = notes[desc_at:desc_at + descsz]
                pos = desc_at + (descsz + 3) // 4 * 4
                if name == b"VMCOREINFO":
                    return dict(line.split("=", 1) for line in
                                desc.decode(errors="replace").splitlines() if "=" in line)
    return {}


class _PageTables:
    """x86-64 kernel address translation by walking the page tables in a
    dump's physical memory.  drgn before 0.0.30 takes a dump whose
    phys_base is 0 (a kernel that is not relocatable, such as make check's)
    for one without phys_base and cannot translate any kernel address; this
    reads the kernel's half of the address space for it."""
    START_KERNEL_MAP = 0xffffffff80000000
    ADDR = 0x000ffffffffff000

    def __init__(self, prog, info):
        self.prog = prog
        self.pgd = int(info["SYMBOL(swapper_pg_dir)"], 16) - self.START_KERNEL_MAP + \
            int(info.get("NUMBER(phys_base)", "0"), 0)
        self.pages = {}

    def _entry(self, table, index):
        return int.from_bytes(self.prog.read(table + index * 8, 8, True), "little")

    def phys(self, page):
        if page not in self.pages:
            table = self.pgd
            for shift in (39, 30, 21, 12):
                e = self._entry(table, (page >> shift) & 511)
                if not e & 1:
                    raise drgn.FaultError("page not present", page)
                if shift in (30, 21) and e & 0x80:           # 1 GiB or 2 MiB page
                    table = (e & self.ADDR & ~((1 << shift) - 1)) + \
                        (page & ((1 << shift) - 1) & ~0xfff)
                    break
                table = e & self.ADDR
            self.pages[page] = table
        return self.pages[page]

    def read(self, address, count, offset, physical):
        out = bytearray()
        while count:
            n = min(count, 4096 - (address & 0xfff))
            out += self.prog.read(self.phys(address & ~0xfff) + (address & 0xfff), n, True)
            address += n
            count -= n
        return bytes(out)


_VMLINUX = {}


def open_program(core, files):
    """A drgn Program on CORE (/proc/kcore: the running kernel) with the
    debug info in FILES (vmlinux and modules; none: drgn's default search)."""
    prog = drgn.Program()
    _VMLINUX[id(prog)] = next((f for f in files if os.path.basename(f).startswith("vmlinux")),
                              None)
    if core == "/proc/kcore":
        prog.set_kernel()
    else:
        prog.set_core_dump(core)
        info = _vmcoreinfo(core)
        probe = int(info.get("SYMBOL(init_uts_ns)", "0"), 16)
        try:
            prog.read(probe, 8)
        except drgn.FaultError:
            if "SYMBOL(swapper_pg_dir)" not in info:
                raise
            tables = _PageTables(prog, info)
            prog.add_memory_segment(1 << 63, 1 << 63, tables.read)
    try:
        prog.load_debug_info(files or None, default=not files, main=bool(files))
    except drgn.MissingDebugInfoError as e:
        # drgn 0.0.22 cannot list a 6.4+ kernel's modules: _modules() does
        # that; other modules without debug info are only unnamed frames
        lines = [ln for ln in str(e).splitlines()[1:]
                 if "could not find loaded kernel modules" not in ln]
        if lines:
            print("bslab_drgn: no debug info for: " + "; ".join(lines), file=sys.stderr)
    return prog


def main():
    ap = argparse.ArgumentParser(prog="bslab_drgn.py", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("-c", "--core", default="/proc/kcore",
                    help="vmcore to read (default: /proc/kcore, the running kernel)")
    ap.add_argument("-s", "--symbols", action="append", default=[], metavar="FILE",
                    help="vmlinux or a module with debug info (repeat)")
    ap.add_argument("command", choices=("kmastat", "kmausers", "find", "slabs", "caches"))
    ap.add_argument("args", nargs="*")
    ap.add_argument("--all", action="store_true", help="kmausers: every group")
    ap.add_argument("--node", action="store_true", help="kmastat: by NUMA node")
    a = ap.parse_args()
    try:
        prog = open_program(a.core, a.symbols)
        prog["bslab_caches"]
    except (OSError, ValueError, drgn.FaultError) as e:
        print(f"bslab_drgn: {a.core}: {e}", file=sys.stderr)
        return 1
    except LookupError:
        print("bslab_drgn: no bslab_caches: is bslab loaded, and bslab.ko given with -s?",
              file=sys.stderr)
        return 1

    def need_cache(name):
        cache = cache_by_name(prog, name)
        if cache is None:
            print(f"bslab_drgn: no cache {name}", file=sys.stderr)
            sys.exit(1)
        return cache

    if a.command == "kmastat":
        sys.stdout.write(kmastat_node(prog) if a.node else kmastat(prog))
    elif a.command == "kmausers":
        cache = need_cache(a.args[0]) if a.args else None
        sys.stdout.write(kmausers(prog, cache, True if a.all else None))
    elif a.command == "caches":
        for dead in (False, True):
            for c in for_each_cache(prog, dead):
                print("0x%x %s%s" % (c.value_(), cache_name(c), " (dead)" if dead else ""))
    elif a.command == "slabs":
        if len(a.args) != 1:
            ap.error("slabs takes one CACHE")
        print("# slab             color  inuse  total state    node")
        for s in cache_slabs(prog, need_cache(a.args[0])):
            print("%016x %6d %6d %6d %-8s %4d" % (s["base"], s["color"], s["inuse"],
                                                  s["total"], s["state"], s["node"]))
    elif a.command == "find":
        if len(a.args) != 1:
            ap.error("find takes one ADDRESS")
        try:
            addr = int(a.args[0], 0)
        except ValueError:
            ap.error(f"{a.args[0]} is not an address")
        f = find_address(prog, addr)
        if f is None:
            print("0x%x: not in any bslab slab" % addr)
            return 1
        name = cache_name(f["cache"]) + (" (dead)" if f["dead"] else "")
        if f["object"] is None:
            print("0x%x: cache %s, slab 0x%x, not in an object (offset %d from the first)" % (
                addr, name, f["slab"].value_(), f["offset"]))
        else:
            print("0x%x: cache %s, slab 0x%x, object %d at 0x%x+%d: %s" % (
                addr, name, f["slab"].value_(), f["index"], f["object"],
                f["offset"], f["state"]))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:                          # | head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
