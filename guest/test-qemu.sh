#!/usr/bin/env bash
# Boot the test guest under QEMU (TCG, no KVM needed) and check its JTS lines:
# boot/cpus/mem/cmdline/TSC/PCI, pattern write + continuous rewrite + verify
# (and the memory and disk content checked from outside), the idle program's
# timers at speed 60, the shell, the panic path, the network program, and the
# bzImage's 64-bit entry through a loader shim that lays memory out like our VMM,
# and the kernel-mode instruction budget (what PVM emulates).
#   guest/test-qemu.sh [scenario ...]     (pattern idle shell panic net bzimage cost)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v qemu-system-x86_64 >/dev/null || { echo "needs qemu-system-x86_64: apt-get install -y qemu-system-x86" >&2; exit 1; }
dir=$("$here/build.sh")
echo "# guest: $dir"
exec python3 "$here/tools/qemu-test.py" "$dir" "$@"
