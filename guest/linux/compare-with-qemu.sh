#!/usr/bin/env bash
# Boots Debian's kernel with our initramfs (jettison.action=cpuinfo) under QEMU -accel kvm -cpu host
# and under our VMM, on this host's KVM, and diffs what each guest saw: CPUID leaves, MSRs, and the
# boot log with timestamps and numbers masked. Needs a KVM that runs stock kernels: on a PVM host
# run it in the emulated one, `tools/kvm-emu/run.sh guest/linux/compare-with-qemu.sh OUTDIR`.
# docs/machine.md records what it showed and what we did about each difference.
# Usage: guest/linux/compare-with-qemu.sh OUTDIR [CPUS]     (boot both, then diff)
#        guest/linux/compare-with-qemu.sh --diff OUTDIR        (diff the logs of an earlier run again)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

lines() { grep -a "$1" "$2" | sed 's/\r$//'; }
messages() {
  grep -a '^\[ *[0-9.]*\] ' "$1" | sed -E 's/^\[ *[0-9.]+\] //; s/[0-9a-f]{8,}/H/g; s/[0-9]+(\.[0-9]+)?/N/g' \
    | grep -v -E '^ |^R[A-Z0-9]*:|^(FS|CS|Code):|Call Trace|Modules linked' | sort -u
}
# Plain files, not process substitution: the emulated host has no /dev/fd.
compare() {
  local out="$1" who
  for who in qemu ours; do
    lines 'JTS-LINUX:\(CPUID\|MSR\|CLOCK\|CPUS\)' "$out/$who.log" > "$out/$who.cpu"
    messages "$out/$who.log" > "$out/$who.messages"
  done
  {
    echo "== CPUID and MSRs of CPU 0 (< QEMU, > ours)"
    diff "$out/qemu.cpu" "$out/ours.cpu" || true
    echo "== boot log messages only one of them printed (< QEMU, > ours)"
    diff "$out/qemu.messages" "$out/ours.messages" || true
  } | tee "$out/diff.txt"
}
if [ "$1" = "--diff" ]; then compare "$2"; exit 0; fi

out="$1"; cpus="${2:-2}"
mkdir -p "$out"
linux=$(bash "$here/build.sh" 2>/dev/null | tail -1)
cmdline="console=ttyS0 acpi=off reboot=k panic=-1 jettison.action=cpuinfo jettison.then=reboot"

# QEMU reboots at the end (reboot=k) and -no-reboot makes that its exit.
timeout 600 qemu-system-x86_64 -accel kvm -cpu host -smp "$cpus" -m 256 -kernel "$linux/vmlinuz" \
  -initrd "$linux/initramfs.cpio.gz" -append "$cmdline" -display none -serial stdio -monitor none \
  -nic none -no-reboot </dev/null > "$out/qemu.log" 2>&1 || echo "qemu: exit $?" >> "$out/qemu.log"
"$repo/jettison" vm run --guest linux --mem 256M --cpus "$cpus" --timeout 600 --cmdline "$cmdline" \
  > "$out/ours.log" 2>&1 || echo "ours: exit $?" >> "$out/ours.log"

compare "$out"
