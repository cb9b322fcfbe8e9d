#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""dump_helper.py OUTDIR - take memory dumps when the guest asks for them.

Runs beside QEMU (boot.sh starts it when BSLAB_DUMP=1).  When the guest
prints "BSLAB-DUMP: NAME" on its console (OUTDIR/serial.log), this asks
QEMU over its QMP socket (OUTDIR/qmp.sock) for dump-guest-memory into
OUTDIR/NAME.vmcore, an ELF core with the vmcoreinfo note (the vmcoreinfo
device hands QEMU the guest kernel's), then answers "dumped NAME" on the
guest's second serial port (OUTDIR/host.sock, the guest's /dev/ttyS1).
The guest stands still for the dump: QEMU stops its CPUs while it writes.
Exits when QEMU goes away.
"""
import json
import os
import re
import socket
import sys
import time

REQUEST = re.compile(r"BSLAB-DUMP: ([A-Za-z0-9_-]+)")


def connect(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.time() > deadline:
                raise
            time.sleep(0.2)


class Qmp:
    def __init__(self, path, deadline):
        self.sock = connect(path, deadline)
        self.buf = b""
        self.reply()                        # the greeting
        self.command("qmp_capabilities")

    def reply(self):
        while True:
            while b"\n" not in self.buf:
                data = self.sock.recv(65536)
                if not data:
                    raise EOFError("QEMU closed its QMP socket")
                self.buf += data
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            if "event" not in msg:          # events (STOP, RESUME...) pass
                return msg

    def command(self, name, **args):
        self.sock.sendall(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        msg = self.reply()
        if "error" in msg:
            raise RuntimeError(f"{name}: {msg['error']}")
        return msg["return"]


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) == 2 else 2
    out = os.path.abspath(sys.argv[1])
    log = os.path.join(out, "serial.log")
    deadline = time.time() + 60
    qmp = Qmp(os.path.join(out, "qmp.sock"), deadline)
    host = connect(os.path.join(out, "host.sock"), deadline)
    done = set()
    pos = 0
    while True:
        try:
            with open(log, "rb") as f:
                f.seek(pos)
                data = f.read()
        except FileNotFoundError:
            data = b""
        data = data[:data.rfind(b"\n") + 1]     # only whole lines
        pos += len(data)
        for name in REQUEST.findall(data.decode(errors="replace")):
            if name in done:
                continue
            done.add(name)
            path = os.path.join(out, name + ".vmcore")
            start = time.time()
            try:
                qmp.command("dump-guest-memory", paging=False,
                            protocol="file:" + path, format="elf")
                answer = f"dumped {name}"
                print(f"dump_helper: {path} in {time.time() - start:.1f} s", flush=True)
            except (RuntimeError, OSError) as e:
                answer = f"failed {name}"
                print(f"dump_helper: {name}: {e}", file=sys.stderr, flush=True)
            host.sendall(answer.encode() + b"\n")
        try:
            qmp.sock.settimeout(0.2)
            data = qmp.sock.recv(65536)
            if not data:
                return 0
            qmp.buf += data
        except socket.timeout:
            pass
        except OSError:
            return 0
        finally:
            qmp.sock.settimeout(None)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (EOFError, OSError) as e:
        print(f"dump_helper: {e}", file=sys.stderr)
        sys.exit(1)
