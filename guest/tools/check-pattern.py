#!/usr/bin/env python3
"""Check the pattern program's content from outside the guest.

  check-pattern.py disk IMAGE [--k K]
      IMAGE is the raw disk: block 0 is the header ("JTSPAT01", u64 seed,
      u64 nblocks, u64 K_disk), block b of the region is at (b + 1) * 4096.
  check-pattern.py mem DUMP [--k K] [--allow-torn]
      DUMP is guest memory from JTS_PATTERN_MEM_HDR (0x3FFF000) on: the header
      page, then the region (e.g. QEMU's "pmemsave 0x3fff000 SIZE FILE").
      --allow-torn accepts block K % n half-way between two epochs (a dump
      taken while the guest was rewriting it).

Word i of block b of region r at epoch e is
  mix(seed ^ (r << 62) ^ (e << 40) ^ (b << 9) ^ i)
and after K rewrites block b has epoch K // n + (1 if b < K % n else 0).
Prints one line, exits 0 if every byte matches.
"""
import argparse
import struct
import sys

M64 = (1 << 64) - 1
BLOCK = 4096
WORDS = 512


def mix(z):
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def block_words(seed, region, epoch, b):
    key = (seed ^ (region << 62) ^ (epoch << 40) ^ (b << 9)) & M64
    return [mix(key ^ i) for i in range(WORDS)]


def epoch_of(b, k, n):
    return k // n + (1 if b < k % n else 0)


def bad_bytes(got, want):
    bad = 0
    for g, w in zip(got, want):
        x = g ^ w
        while x:
            if x & 0xFF:
                bad += 1
            x >>= 8
    return bad


def check_region(data, region, seed, n, k, allow_torn=False):
    bad = 0
    torn_block = k % n if allow_torn else -1
    for b in range(n):
        raw = data[b * BLOCK:(b + 1) * BLOCK]
        if len(raw) < BLOCK:
            bad += BLOCK - len(raw)
            raw = raw + bytes(BLOCK - len(raw))
        got = struct.unpack("<512Q", raw)
        e = epoch_of(b, k, n)
        want = block_words(seed, region, e, b)
        if list(got) == want:
            continue
        if b == torn_block:
            newer = block_words(seed, region, e + 1, b)
            if all(g == w or g == v for g, w, v in zip(got, want, newer)):
                continue
        bad += bad_bytes(got, want)
    return bad


def read_header(raw, what):
    magic, seed, n, k = raw[:8], *struct.unpack("<QQQ", raw[8:32])
    if magic != b"JTSPAT01":
        sys.exit(f"{what}: no JTSPAT01 header (got {magic!r})")
    return seed, n, k


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["disk", "mem"])
    ap.add_argument("file")
    ap.add_argument("--k", type=int, help="expected K (rewrite count) from the guest's output")
    ap.add_argument("--allow-torn", action="store_true")
    a = ap.parse_args()
    with open(a.file, "rb") as f:
        data = f.read()
    region = 1 if a.kind == "disk" else 0
    seed, n, k = read_header(data[:BLOCK], a.file)
    problems = []
    if a.k is not None and a.k != k:
        problems.append(f"header K={k} but expected {a.k}")
    bad = check_region(data[BLOCK:], region, seed, n, k, a.allow_torn) if n else 0
    if bad:
        problems.append(f"{bad} bad bytes")
    print(f"check-pattern {a.kind}: seed={seed} nblocks={n} k={k} bad_bytes={bad} "
          f"result={'FAIL ' + '; '.join(problems) if problems else 'ok'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
