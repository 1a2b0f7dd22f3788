#!/usr/bin/env bash
# Usage: run.sh CMD [ARGS...]
# Boots an emulated L1 host (QEMU TCG, no hardware virtualization needed) whose
# CPU model advertises AMD SVM + nested paging, with Debian's stock kernel and
# kvm_amd loaded, so CMD sees a working /dev/kvm. The host's / is the L1 root
# (read-only, via 9p); the repo is mounted read-write at the same path; CMD
# runs in the current directory. Exits with CMD's exit code.
# Env: KVM_EMU_MEM (default 4G), KVM_EMU_SMP (default 1), KVM_EMU_CPU,
#      KVM_EMU_APPEND (extra kernel args), KVM_EMU_TIMEOUT (seconds, default 1800;
#      a hung L1 is killed and run.sh exits 124).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${KVM_EMU_CACHE:-/var/cache/jettison/kvm-emu}
REPO=$(git -C "$HERE" rev-parse --show-toplevel)
[ -f "$CACHE/initramfs.cpio.gz" ] || "$HERE/build.sh" >&2
KERNEL=$(ls "$CACHE"/kernel/boot/vmlinuz-* | head -1)
(($#)) || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

# Per-run control dir shared into L1: the command (as a script, so no quoting
# or cmdline-length limits), the cwd, exported env and repo path in; the exit code out.
CTL=$(mktemp -d /tmp/kvm-emu.XXXXXX)
trap 'rm -rf "$CTL"' EXIT
printf '%q ' "$@" > "$CTL/cmd"; echo >> "$CTL/cmd"
pwd > "$CTL/cwd"
export -p | grep -v -E '^declare -x (PWD|OLDPWD|SHLVL|_)=' > "$CTL/env" || true
# Tells the command it runs in the emulated host (timings are not native; see README). This is
# the only such signal: Java code asks dev.jettison.vmm.kvm.Kvm.inEmulatedHost().
echo 'export JETTISON_KVM_EMU=1' >> "$CTL/env"
echo "$REPO" > "$CTL/repo"

# One emulated CPU by default: with two, JVMs in here crashed twice (SIGSEGV at the entry of a
# freshly compiled method, in different programs), which points at multi-threaded TCG and the
# JIT patching code that another vCPU runs. KVM guests inside still get their own vCPU threads.
# AVX, AVX2, FMA and F16C are switched off: QEMU 7.2 was the first to emulate them and a JVM
# whose JIT used them crashed once in here (SIGSEGV in compiled code); SSE4.2 is long proven.
# TCG with -cpu max: every feature TCG can emulate, incl. svm + npt (kvm_amd
# needs SVM; NPT avoids shadow paging in L1's KVM) and no 'TCG doesn't support'
# warnings (EPYC,+svm,+npt also works). -nic none: no network device at all (loopback only policy).
# transparent_hugepage=never: with THP on in the emulated host, Debian's kernel as a KVM guest there
# read stale memory in 7 of 7 partial migrations (a tmpfs file's pages, a shell's heap: pages the
# guest had written on the desktop shortly before reached the server with older contents), and in
# none with it off. khugepaged and compaction move the desktop's guest RAM to other pages of the
# emulated host; the guest's writes must follow (KVM's MMU notifiers, then nested SVM's TLB flushes
# as TCG emulates them), and in this stack some did not. Our test guest, which writes far less
# memory, never showed it, nor did any hardware host. See docs/kvm-hosts.md.
# security_model=none: we run as root and want the files' real owners visible.
t0=$(date +%s.%N)
qrc=0
timeout -k 5 "${KVM_EMU_TIMEOUT:-1800}" qemu-system-x86_64 \
  -accel tcg,thread=multi -cpu "${KVM_EMU_CPU:-max,avx=off,avx2=off,fma=off,f16c=off}" \
  -smp "${KVM_EMU_SMP:-1}" -m "${KVM_EMU_MEM:-4G}" \
  -kernel "$KERNEL" -initrd "$CACHE/initramfs.cpio.gz" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 transparent_hugepage=never ${KVM_EMU_APPEND:-}" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs local,path="$REPO",mount_tag=repo,security_model=none,multidevs=remap \
  -virtfs local,path="$CTL",mount_tag=ctl,security_model=none \
  -nic none -nographic -no-reboot </dev/null || qrc=$?
t1=$(date +%s.%N)

# 124: timed out; 125: L1 died before CMD finished.
rc=$(cat "$CTL/rc" 2>/dev/null || { [ "$qrc" = 124 ] && echo 124 || echo 125; })
echo "kvm-emu: exit code $rc (L1 wall time $(awk "BEGIN{printf \"%.1f\", $t1 - $t0}") s)" >&2
exit "$rc"
