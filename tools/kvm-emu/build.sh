#!/usr/bin/env bash
# Builds what run.sh needs to boot an *emulated* L1 host (QEMU TCG, emulated AMD
# SVM CPU) with Debian's stock kernel, so that /dev/kvm exists inside it even
# though this machine's own kernel offers no usable KVM.
#
# Everything downloaded/built goes to $CACHE (never into the repo). Idempotent:
# steps whose output already exists are skipped; delete $CACHE to start over.
# Only Debian's apt repositories are used (the only registry reachable here).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${KVM_EMU_CACHE:-/var/cache/jettison/kvm-emu}
mkdir -p "$CACHE"
cd "$CACHE"

# Host tools: qemu (TCG), kmod (depmod: the kernel .deb ships no modules.dep),
# cpio/gzip for the initramfs, gcc for the static KVM smoke test.
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v depmod >/dev/null             || need+=(kmod)
command -v cpio >/dev/null               || need+=(cpio)
command -v gcc >/dev/null                || need+=(gcc libc6-dev)
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

# Kernel: whatever linux-image-amd64 currently points at (6.1.0-N-amd64 on bookworm).
# Downloaded, not installed: we only need vmlinuz + modules for the L1 guest.
KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
KVER=${KPKG#linux-image-}
if [ ! -f "kernel/boot/vmlinuz-$KVER" ]; then
  apt-get download "$KPKG" busybox-static
  rm -rf kernel bb
  dpkg -x "${KPKG}"_*.deb kernel
  dpkg -x busybox-static_*.deb bb
  depmod -b kernel "$KVER"          # generate modules.dep for dependency resolution
fi
MODDIR=kernel/lib/modules/$KVER

# Record exact versions used.
{
  echo "kernel_pkg=$KPKG $(dpkg-deb -f "${KPKG}"_*.deb Version)"
  echo "busybox_static=$(dpkg-deb -f busybox-static_*.deb Version)"
  echo "qemu=$(dpkg-query -W -f '${Version}' qemu-system-x86)"
} > versions.txt

# Initramfs: busybox + the modules we need (with deps, per modules.dep) + /init.
# kvm-amd pulls ccp/kvm/irqbypass; 9p over virtio lets L1 see host directories.
MODS="kvm-amd 9p 9pnet_virtio virtio_pci virtio_console overlay tun veth"
if [ ! -f initramfs.cpio.gz ] || [ "$HERE/init" -nt initramfs.cpio.gz ] || [ "$HERE/build.sh" -nt initramfs.cpio.gz ]; then
  rm -rf initrd && mkdir -p initrd/{bin,sbin,proc,sys,dev,mnt,host,run,lib/modules}
  cp bb/bin/busybox initrd/bin/busybox
  for a in sh mount umount mkdir insmod cat echo sleep poweroff chroot dmesg ls grep ln cp ip; do
    ln -sf busybox "initrd/bin/$a"
  done
  # Resolve dependencies in load order (deps first), de-duplicated.
  order=()
  for m in $MODS; do
    line=$(grep -E "/${m//_/[-_]}\.ko(\.xz|\.zst)?:" "$MODDIR/modules.dep")
    path=${line%%:*}; deps=${line#*:}
    for d in $(echo "$deps" | tr ' ' '\n' | tac) "$path"; do
      [[ " ${order[*]-} " == *" $d "* ]] || order+=("$d")
    done
  done
  : > initrd/lib/modules/load-order
  for p in "${order[@]}"; do
    b=$(basename "$p")
    case "$b" in                     # bookworm ships plain .ko; handle compressed too
      *.xz)  xz -dc "$MODDIR/$p" > "initrd/lib/modules/${b%.xz}"; b=${b%.xz} ;;
      *.zst) zstd -qdc "$MODDIR/$p" > "initrd/lib/modules/${b%.zst}"; b=${b%.zst} ;;
      *)     cp "$MODDIR/$p" "initrd/lib/modules/$b" ;;
    esac
    echo "$b" >> initrd/lib/modules/load-order
  done
  install -m755 "$HERE/init" initrd/init
  (cd initrd && find . | cpio -o -H newc --quiet | gzip -9) > initramfs.cpio.gz
fi

# Static KVM smoke test, run inside L1 (static: independent of what L1 mounts).
if [ ! -x kvmtest ] || [ "$HERE/kvmtest.c" -nt kvmtest ]; then
  gcc -O2 -static -pthread -o kvmtest "$HERE/kvmtest.c"
fi

cat versions.txt
echo "built: $CACHE/kernel/boot/vmlinuz-$KVER $CACHE/initramfs.cpio.gz $CACHE/kvmtest"
