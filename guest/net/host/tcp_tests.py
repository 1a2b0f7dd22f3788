#!/usr/bin/env python3
"""TCP checks against the guest stack's echo service, run as the Linux peer.

Run only inside the test's own network namespace (test-host.sh does that):
every connection goes to the guest address given on the command line.
"""
import argparse
import os
import signal
import socket
import threading
import time

MiB = 1 << 20
RESULTS = []


def echo_transfer(host, port, size, chunk_max=8192, pace_s=0.0, on_progress=None,
                  timeout=60.0, seed=None):
    """Send `size` random bytes while reading the echo back concurrently
    (echo servers deadlock a peer that writes everything before reading).
    Returns (ok, received_len, longest_gap_s)."""
    rnd = __import__("random").Random(seed)
    data = os.urandom(size)
    s = socket.create_connection((host, port), timeout=10)
    s.settimeout(timeout)
    send_err = []

    def sender():
        try:
            off = 0
            while off < size:
                n = min(rnd.randint(1, chunk_max), size - off)
                s.sendall(data[off:off + n])
                off += n
                if pace_s:
                    time.sleep(pace_s)
            s.shutdown(socket.SHUT_WR)   # our FIN: the guest must echo the rest, then FIN
        except OSError as e:
            send_err.append(e)

    t = threading.Thread(target=sender, daemon=True)
    t.start()
    got = bytearray()
    longest_gap, last = 0.0, time.monotonic()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        b = s.recv(65536)
        now = time.monotonic()
        if not b:
            break                         # the guest's FIN
        longest_gap = max(longest_gap, now - last)
        last = now
        got += b
        if on_progress:
            on_progress(len(got))
    t.join(5)
    s.close()
    if send_err:
        print(f"    sender error: {send_err[0]!r}")
    ok = bytes(got) == data and not send_err
    if not ok and len(got) == size:
        bad = next(i for i in range(size) if got[i] != data[i])
        print(f"    first differing byte at {bad}")
    return ok, len(got), longest_gap


def check(name, ok, detail=""):
    RESULTS.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def t_echo_1mib(a):
    t0 = time.monotonic()
    ok, n, _ = echo_transfer(a.host, a.port, MiB)
    dt = time.monotonic() - t0
    check("echo 1 MiB", ok, f"{n} bytes echoed in {dt:.2f} s ({n / dt / 1e6:.1f} MB/s)")


def t_concurrent(a, conns, size):
    res = [None] * conns

    def run(i):
        res[i] = echo_transfer(a.host, a.port, size, seed=i)

    t0 = time.monotonic()
    ts = [threading.Thread(target=run, args=(i,)) for i in range(conns)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    dt = time.monotonic() - t0
    ok = all(r and r[0] for r in res)
    total = sum(r[1] for r in res if r)
    check(f"{conns} concurrent connections x {size} bytes", ok,
          f"{total} bytes echoed in {dt:.2f} s")


def t_refused(a):
    try:
        socket.create_connection((a.host, a.port + 1), timeout=5).close()
        check("RST for a closed port", False, "connect succeeded")
    except ConnectionRefusedError:
        check("RST for a closed port", True, "connection refused")
    except OSError as e:
        check("RST for a closed port", False, repr(e))


def t_half_close(a):
    s = socket.create_connection((a.host, a.port), timeout=10)
    s.sendall(b"hello, guest\n")
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = s.recv(100)
        if not b:
            break
        got += b
    s.close()
    check("peer half-close: echo then guest FIN", got == b"hello, guest\n", repr(got))


def t_guest_close(a):
    """The guest closes first (SIGUSR1 -> net_tcp_close_all): we see EOF after
    the echo, our later FIN puts the guest's slot into TIME_WAIT."""
    s = socket.create_connection((a.host, a.port), timeout=10)
    s.sendall(b"x" * 5000)
    got = b""
    while len(got) < 5000:
        got += s.recv(8192)
    os.kill(a.harness_pid, signal.SIGUSR1)
    eof = s.recv(100) == b""
    s.close()
    time.sleep(0.3)
    ok2, n, _ = echo_transfer(a.host, a.port, 10000)   # service still accepts
    check("guest-initiated close (FIN_WAIT/TIME_WAIT) then new connection",
          eof and got == b"x" * 5000 and ok2, f"eof={eof} then {n} bytes echoed")


def t_pause(a, label, pause):
    """Echo 2 MiB at a paced rate; when 512 KiB have come back, pause the
    guest for 3 s. Every byte must still come back, in order."""
    size = 2 * MiB
    fired = threading.Event()

    def progress(n):
        if n >= 512 * 1024 and not fired.is_set():
            fired.set()
            threading.Thread(target=pause, daemon=True).start()

    t0 = time.monotonic()
    ok, n, gap = echo_transfer(a.host, a.port, size, pace_s=0.004, on_progress=progress,
                               timeout=90)
    dt = time.monotonic() - t0
    ok = ok and fired.is_set() and gap >= 2.5
    check(label, ok, f"{n}/{size} bytes echoed intact in {dt:.2f} s, "
          f"longest stall {gap:.2f} s")


def sigstop_pause(a):
    def pause():
        os.kill(a.harness_pid, signal.SIGSTOP)
        time.sleep(3)
        os.kill(a.harness_pid, signal.SIGCONT)
    return pause


def blackout_pause(a):
    def pause():
        os.kill(a.harness_pid, signal.SIGUSR2)   # 3 s, frames lost
    return pause


def t_max_conns(a):
    """All 8 slots busy at once."""
    socks = [socket.create_connection((a.host, a.port), timeout=10) for _ in range(8)]
    ok = True
    for i, s in enumerate(socks):
        msg = f"slot {i}".encode() * 100
        s.sendall(msg)
        got = b""
        while len(got) < len(msg):
            b = s.recv(8192)
            if not b:
                break
            got += b
        ok = ok and got == msg
    for s in socks:
        s.close()
    check("8 simultaneous connections", ok)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=7)
    p.add_argument("--harness-pid", type=int, required=True)
    p.add_argument("--lossy", action="store_true",
                   help="the harness drops frames: only the echo checks, with more time")
    a = p.parse_args()
    assert a.host.startswith("10.0.2."), "test traffic stays on the test's own 10.0.2.0/24"

    if a.lossy:
        t0 = time.monotonic()
        ok, n, gap = echo_transfer(a.host, a.port, MiB, timeout=120)
        check("echo 1 MiB over a lossy link", ok,
              f"{n} bytes echoed in {time.monotonic() - t0:.2f} s, longest stall {gap:.2f} s")
        t_concurrent(a, 2, 256 * 1024)
        passed = sum(RESULTS)
        print(f"lossy tcp tests: {passed} passed, {len(RESULTS) - passed} failed")
        return 0 if passed == len(RESULTS) else 1

    t_echo_1mib(a)
    t_concurrent(a, 2, MiB)
    t_refused(a)
    t_half_close(a)
    t_max_conns(a)
    time.sleep(2.5)              # let TIME_WAIT/LAST_ACK slots drain
    t_guest_close(a)
    t_pause(a, "connection survives SIGSTOP 3 s / SIGCONT mid-transfer", sigstop_pause(a))
    t_pause(a, "connection survives 3 s blackout with frames lost", blackout_pause(a))
    passed = sum(RESULTS)
    print(f"tcp tests: {passed} passed, {len(RESULTS) - passed} failed")
    return 0 if passed == len(RESULTS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
