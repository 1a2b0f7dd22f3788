#!/usr/bin/env python3
"""Boot the test guest under QEMU (TCG) and check its JTS lines.

Usage: qemu-test.py GUEST_DIR [scenario ...]
GUEST_DIR holds jettison-guest.elf (and .bzImage), as printed by build.sh.
Scenarios (default: all): pattern idle shell panic net bzimage cost.
QEMU never gets a network beyond its own restricted user-mode stack.
Ends with "N passed, N failed".
"""
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU = shutil.which("qemu-system-x86_64")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1bc")

results = []


def check(name, ok, detail=""):
    results.append((name, bool(ok)))
    print(f"{'ok  ' if ok else 'FAIL'} - {name}{(': ' + detail) if detail else ''}", flush=True)
    return ok


class Qemu:
    """One QEMU run: serial on stdin/stdout, HMP monitor on a unix socket."""

    def __init__(self, kernel, append, smp="1", mem="256M", disk=None, net_port=None,
                 initrd=None, tmp=None, extra=()):
        self.mon_path = os.path.join(tmp, f"mon-{time.time_ns()}.sock")
        cmd = [QEMU, "-M", "pc", "-accel", "tcg", "-cpu", "max", "-m", mem, "-smp", smp,
               "-nographic", "-no-reboot", "-monitor", f"unix:{self.mon_path},server=on,wait=off",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
               "-kernel", kernel, "-append", append]
        if initrd:
            cmd += ["-initrd", initrd]
        cmd += list(extra)
        if disk:
            cmd += ["-drive", f"file={disk},format=raw,if=none,id=d0",
                    "-device", "virtio-blk-pci,disable-modern=on,drive=d0"]
        if net_port:
            cmd += ["-netdev", f"user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:{net_port}-:7",
                    "-device", "virtio-net-pci,disable-modern=on,netdev=n0"]
        else:
            cmd += ["-nic", "none"]
        self.cmd = cmd
        # cwd = tmp: monitor commands name files relatively (HMP would read
        # "SIZE /path" as a division)
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, cwd=tmp)
        self.lines = queue.Queue()
        self.log = []
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        buf = b""
        while True:
            chunk = self.p.stdout.read1(4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                self._line(line)
        if buf:
            self._line(buf)
        self.lines.put(None)

    def _line(self, raw):
        text = ANSI.sub("", raw.decode("utf-8", "replace")).replace("\r", "")
        i = text.find("JTS:")
        if i > 0:
            text = text[i:]          # firmware output may precede the first line
        self.log.append(text)
        self.lines.put(text)

    def expect(self, pattern, timeout=60):
        """Next line matching pattern (earlier lines are consumed); None on timeout/exit."""
        rx = re.compile(pattern)
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                return None
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                self.lines.put(None)
                return None
            m = rx.search(line)
            if m:
                return m

    def send(self, text):
        self.p.stdin.write(text.encode() + b"\n")
        self.p.stdin.flush()

    def monitor(self, *commands):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.mon_path)
        s.settimeout(10)
        out = b""
        for c in commands:
            s.sendall(c.encode() + b"\n")
            time.sleep(0.3)
        s.sendall(b"info status\n")
        end = time.time() + 10
        while b"VM status" not in out and time.time() < end:
            try:
                out += s.recv(65536)
            except socket.timeout:
                break
        s.close()
        return out.decode("utf-8", "replace")

    def wait(self, timeout=60):
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()

    def dump(self, n=40):
        print("  --- last serial lines ---")
        for l in self.log[-n:]:
            print("  | " + l)


def boot_checks(q, cmdline, cpus):
    m = q.expect(r"JTS:BOOT cpus=(\d+) mem_mib=(\d+)$", 120)
    if not check("boot line", m, m.group(0) if m else "no JTS:BOOT"):
        return False
    check(f"cpus={cpus}", int(m.group(1)) == cpus, m.group(0))
    check("mem_mib ~ 256", 250 <= int(m.group(2)) <= 256, m.group(0))
    m = q.expect(r"JTS:CMDLINE (.*)$", 10)
    check("cmdline echoed", m and m.group(1) == cmdline, m.group(0) if m else "none")
    m = q.expect(r"JTS:TSC khz=(\d+)$", 30)
    check("tsc calibrated", m and int(m.group(1)) > 100000, m.group(0) if m else "none")
    return True


def scenario_pattern(guest, tmp):
    disk = os.path.join(tmp, "pattern.img")
    with open(disk, "wb") as f:
        f.truncate(64 << 20)
    cmdline = "prog=pattern pattern.mem_mib=16 pattern.disk_mib=8 pattern.rate=200 pattern.seed=7 bogus.key=1"
    q = Qemu(os.path.join(guest, "jettison-guest.elf"), cmdline, smp="2", disk=disk, tmp=tmp)
    try:
        if not boot_checks(q, cmdline, 2):
            return q.dump()
        m = q.expect(r"JTS:PCI (\S+) 1af4:1001 io=([0-9a-f]+) irq=(\d+)$", 10)
        check("virtio-blk found on PCI", m and int(m.group(2), 16) > 0, m.group(0) if m else "none")
        check("unknown key warned", q.expect(r"JTS:WARN unknown key bogus.key", 10))
        check("init line", q.expect(r"JTS:INIT program=pattern$", 10))
        m = q.expect(r"^JTS:PATTERN WROTE mem_mib=16 disk_mib=8 seed=7$", 120)
        check("pattern written", m, m.group(0) if m else "none")
        e1 = q.expect(r"^JTS:PATTERN EPOCH mem_k=(\d+) disk_k=(\d+)$", 20)
        e2 = q.expect(r"^JTS:PATTERN EPOCH mem_k=(\d+) disk_k=(\d+)$", 20)
        check("continuous rewriting advances", e1 and e2 and int(e2.group(1)) > int(e1.group(1))
              and int(e2.group(2)) > int(e1.group(2)), f"{e1 and e1.group(0)} -> {e2 and e2.group(0)}")
        # memory from outside: stop the VM, save the header page + region
        memfile = os.path.join(tmp, "mem.bin")
        q.monitor("stop", f"pmemsave 0x3fff000 {0x1000 + (16 << 20)} mem.bin", "cont")
        for _ in range(50):
            if os.path.exists(memfile) and os.path.getsize(memfile) == 0x1000 + (16 << 20):
                break
            time.sleep(0.2)
        r = subprocess.run([sys.executable, os.path.join(HERE, "check-pattern.py"), "mem", memfile,
                            "--allow-torn"], capture_output=True, text=True)
        check("memory pattern checked from outside (pmemsave)", r.returncode == 0, r.stdout.strip() or r.stderr.strip())
        q.send("kstats")
        m = q.expect(r"JTS:KSTATS ticks=(\d+) .* dev\d+=1001:irq(\d+)/poll(\d+)", 20)
        check("virtio-blk completions arrive by interrupt", m and int(m.group(2)) > 0, m and m.group(0))
        check("timer ticking", m and int(m.group(1)) > 100, m and m.group(0))
        q.send("verify")
        m = q.expect(r"^JTS:PATTERN VERIFY mem_bad=(\d+) disk_bad=(\d+) mem_k=(\d+) disk_k=(\d+) result=(ok|FAIL)$", 120)
        check("verify: 0 bad bytes", m and m.group(1) == "0" and m.group(2) == "0" and m.group(5) == "ok",
              m.group(0) if m else "no VERIFY line")
        q.send("halt")
        m = q.expect(r"JTS:PATTERN DONE mem_k=(\d+) disk_k=(\d+)", 60)
        check("halt flushes", m, m.group(0) if m else "none")
        rc = q.wait(60)
        check("halt exits QEMU with exit(0) -> status 1", rc == 1, f"rc={rc}")
        if m:
            r = subprocess.run([sys.executable, os.path.join(HERE, "check-pattern.py"), "disk", disk,
                                "--k", m.group(2)], capture_output=True, text=True)
            check("disk pattern checked from outside", r.returncode == 0, r.stdout.strip() or r.stderr.strip())
        if not all(ok for _, ok in results):
            q.dump()
    finally:
        q.kill()


def scenario_pattern_timers(guest, tmp):
    cmdline = "prog=pattern pattern.mem_mib=8 pattern.seed=4 pattern.timers=60 pattern.spots=4"
    q = Qemu(os.path.join(guest, "jettison-guest.elf"), cmdline, tmp=tmp)
    try:
        check("pattern written", q.expect(r"JTS:PATTERN WROTE mem_mib=8 disk_mib=0 seed=4$", 60))
        t0 = time.time()
        m = q.expect(r"JTS:PATTERN T60 n=1 reads=(\d+) read_bad=(\d+)$", 30)
        el = time.time() - t0
        check("first minute's burst after ~1 s at timers=60", m and el < 10, f"{m and m.group(0)} after {el:.1f}s")
        m = q.expect(r"JTS:PATTERN T60 n=3 reads=(\d+) read_bad=(\d+)$", 30)
        # three minutes: ~3 x 60 small bursts of 8 blocks plus 3 large ones of 8 x 16 + 64 blocks
        check("timer reads check every block they read", m and int(m.group(1)) >= 3 * (128 + 64) and m.group(2) == "0",
              m and m.group(0))
        q.send("verify")
        m = q.expect(r"JTS:PATTERN VERIFY mem_bad=0 disk_bad=0 .*result=ok$", 60)
        check("verify after timer reads", m, m and m.group(0))
    finally:
        q.kill()


def scenario_idle(guest, tmp):
    disk = os.path.join(tmp, "idle.img")
    with open(disk, "wb") as f:
        f.truncate(16 << 20)
    cmdline = "prog=idle idle.warm_mib=32 idle.speed=60 idle.disk_every=30"
    q = Qemu(os.path.join(guest, "jettison-guest.elf"), cmdline, disk=disk, tmp=tmp)
    try:
        if not boot_checks(q, cmdline, 1):
            return q.dump()
        check("init line", q.expect(r"JTS:INIT program=idle$", 10))
        m = q.expect(r"JTS:IDLE WARM mib=32 ms=\d+$", 60)
        check("warm-up", m, m.group(0) if m else "none")
        t0 = time.time()
        m = q.expect(r"JTS:IDLE T60 n=1 dirty_kib=(\d+)$", 30)
        el = time.time() - t0
        check("T60 after ~1 s at speed 60", m and 0.5 < el < 10, f"{m and m.group(0)} after {el:.1f}s")
        check("dirty ~512 KiB per scaled minute (less if ticks were skipped)", m and 300 <= int(m.group(1)) <= 600, m and m.group(0))
        m = q.expect(r"JTS:IDLE T1 n=(\d+)$", 10)
        check("T1 lines", m, m and m.group(0))
        m = q.expect(r"JTS:IDLE DISK n=(\d+) block=\d+$", 20)
        check("disk write every 30 scaled s", m, m and m.group(0))
        q.send("status")
        m = q.expect(r"JTS:IDLE STATUS t1=(\d+) t60=(\d+) dirty_kib=(\d+) disk_writes=(\d+)", 20)
        check("status", m and int(m.group(1)) >= 60, m and m.group(0))
        q.send("reboot")
        check("reboot line", q.expect(r"JTS:REBOOT$", 20))
        rc = q.wait(30)
        check("reboot ends QEMU (-no-reboot) with status 0", rc == 0, f"rc={rc}")
        with open(disk, "rb") as f:
            data = f.read()
        check("idle disk write landed", b"JTSIDLE1 n=1 " in data)
        if not all(ok for _, ok in results):
            q.dump()
    finally:
        q.kill()


def scenario_shell(guest, tmp):
    cmdline = "prog=shell"
    q = Qemu(os.path.join(guest, "jettison-guest.elf"), cmdline, smp="4,sockets=1,cores=4", tmp=tmp)
    try:
        if not boot_checks(q, cmdline, 4):
            return q.dump()
        check("shell ready", q.expect(r"JTS:SHELL ready", 10))
        q.send("cpus")
        check("shell cpus", q.expect(r"JTS:SHELL cpus=4$", 10))
        q.send("mem")
        check("shell mem", q.expect(r"JTS:SHELL mem_mib=2\d\d ", 10))
        q.send("halt")
        check("shell halt", q.wait(30) == 1)
    finally:
        q.kill()


def scenario_panic(guest, tmp):
    q = Qemu(os.path.join(guest, "jettison-guest.elf"), "prog=shell", tmp=tmp)
    try:
        check("shell ready (panic test)", q.expect(r"JTS:SHELL ready", 120))
        q.send("crash")
        m = q.expect(r"JTS:PANIC vector=14 .*err=0x[0-9a-f]+ rip=0x[0-9a-f]+ cr2=0x0 .*mode=user", 20)
        check("user page fault -> JTS:PANIC", m, m and m.group(0))
        rc = q.wait(30)
        check("panic exits with code 3 -> status 7", rc == 7, f"rc={rc}")
    finally:
        q.kill()


def scenario_net(guest, tmp):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    q = Qemu(os.path.join(guest, "jettison-guest.elf"), "prog=net", net_port=port, tmp=tmp)
    try:
        m = q.expect(r"JTS:NET (UP|ERROR).*", 120)
        if m and "without guest/net" in m.group(0):
            check("net (skipped: built without guest/net)", True)
            return
        check("net up", m and m.group(1) == "UP", m and m.group(0))
        q.expect(r"JTS:NET LOG", 3)
        payload = os.urandom(20000)
        got = b""
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=30)
            c.settimeout(30)
            c.sendall(payload)
            while len(got) < len(payload):
                d = c.recv(65536)
                if not d:
                    break
                got += d
            c.close()
        except OSError as e:
            got = repr(e).encode()
        check("TCP echo through virtio-net (20000 bytes)", got == payload, f"{len(got)} bytes back")
        q.send("halt")
        check("net halt", q.wait(30) == 1)
        if not all(ok for _, ok in results):
            q.dump()
    finally:
        q.kill()


def scenario_bzimage(guest, tmp):
    """The bzImage through the Linux 64-bit boot protocol, as our VMM loads it:
    tools/bzboot (a PVH ELF) receives the bzImage as QEMU's initrd, lays out
    memory per docs/machine.md and jumps to 0x100200."""
    shim = os.path.join(guest, "bzboot.elf")
    if not os.path.exists(shim):
        check("bzimage via bzboot shim (bzboot.elf not built)", False)
        return
    cmdline = "prog=shell"
    # one vCPU: like our VMM, bzboot passes no ACPI RSDP, so the CPU count
    # comes from SeaBIOS's MP table, which lists one CPU per socket
    q = Qemu(shim, cmdline, smp="1", initrd=os.path.join(guest, "jettison-guest.bzImage"), tmp=tmp)
    try:
        m = q.expect(r"JTS:BZBOOT (.*)$", 60)
        check("bzboot accepted the bzImage header", m and m.group(1).startswith("ok"), m and m.group(0))
        if not boot_checks(q, cmdline, 1):
            return q.dump()
        check("bzImage path reaches user mode", q.expect(r"JTS:SHELL ready", 20))
        q.send("halt")
        check("bzImage path halts", q.wait(30) == 1)
    finally:
        q.kill()


def cpl0_instructions(log_path, mark_pc):
    """From a QEMU "-d in_asm,exec,nochain" log: kernel-mode (CPL0) instructions
    executed before the first execution of mark_pc, and after it."""
    ninsn, cur = {}, None
    before = after = 0
    seen = False
    rx_trace = re.compile(r"\[([0-9a-f]+)/([0-9a-f]+)/([0-9a-f]+)/")
    with open(log_path, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                cur = []
                continue
            if cur is not None:
                m = re.match(r"0x([0-9a-f]+):", line)
                if m:
                    cur.append(int(m.group(1), 16))
                    continue
                if cur:
                    ninsn[cur[0]] = len(cur)
                cur = None
            if line.startswith("Trace"):
                m = rx_trace.search(line)
                if not m:
                    continue
                pc, flags = int(m.group(2), 16), int(m.group(3), 16)
                if flags & 3:
                    continue          # CPL3: native under PVM
                if pc == mark_pc:
                    seen = True
                if seen:
                    after += ninsn.get(pc, 1)
                else:
                    before += ninsn.get(pc, 1)
    return before, after


def scenario_cost(guest, tmp):
    """Kernel-mode instruction budget: PVM emulates CPL0 at ~5 M instructions/s."""
    elf = os.path.join(guest, "jettison-guest.elf")
    syms = {}
    for line in subprocess.run(["nm", elf], capture_output=True, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    log = os.path.join(tmp, "exec.log")
    q = Qemu(elf, "prog=shell", tmp=tmp,
             extra=["-d", "in_asm,exec,nochain", "-D", log,
                    "-dfilter", f"0x100000..0x{syms['__user_end']:x}"])
    try:
        ok = q.expect(r"JTS:SHELL ready", 120)
        check("shell ready (cost)", ok)
        time.sleep(5)
        q.send("uptime")
        m = q.expect(r"JTS:SHELL uptime_ms=(\d+)", 20)
        q.send("halt")
        q.wait(30)
        boot, after = cpl0_instructions(log, syms["enter_user"])
        secs = max(1.0, int(m.group(1)) / 1000.0) if m else 6.0
        check("boot to user mode < 1 M kernel-mode instructions (256 MiB)", 0 < boot < 1_000_000, f"{boot}")
        check("idle kernel < 50 K instructions/s", after / secs < 50_000, f"{after / secs:.0f}/s over {secs:.1f} s")
    finally:
        q.kill()


SCENARIOS = {"pattern": scenario_pattern, "pattern-timers": scenario_pattern_timers, "idle": scenario_idle, "shell": scenario_shell,
             "panic": scenario_panic, "net": scenario_net, "bzimage": scenario_bzimage,
             "cost": scenario_cost}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if not QEMU:
        sys.exit("qemu-system-x86_64 not found (apt-get install qemu-system-x86)")
    guest = sys.argv[1]
    names = sys.argv[2:] or list(SCENARIOS)
    with tempfile.TemporaryDirectory(prefix="jts-qemu-") as tmp:
        for n in names:
            print(f"# {n}", flush=True)
            SCENARIOS[n](guest, tmp)
    failed = sum(1 for _, ok in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
