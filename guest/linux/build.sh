#!/usr/bin/env bash
# Assembles the stock-Linux guest from Debian packages only: Debian's generic kernel (bzImage;
# it has X86_MPPARSE, which our MP-table machine needs, see docs/machine.md) and an initramfs
# of busybox-static plus the virtio modules in dependency order. Output is cached outside the
# repo, keyed by the package versions; prints the output directory on its last line.
# Usage: guest/linux/build.sh [--flavour amd64|cloud-amd64]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
flavour=amd64
[ "${1:-}" = "--flavour" ] && flavour="$2"

export DEBIAN_FRONTEND=noninteractive
pkg=$(apt-cache depends "linux-image-$flavour" 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
if [ -z "$pkg" ]; then
  apt-get update -qq
  pkg=$(apt-cache depends "linux-image-$flavour" | awk '/Depends: linux-image-/{print $2; exit}')
fi
kver=$(apt-cache policy "$pkg" | awk '/Candidate:/{print $2}')
bver=$(apt-cache policy busybox-static | awk '/Candidate:/{print $2}')
key=$(printf '%s %s %s %s' "$pkg" "$kver" "$bver" "$(sha256sum "$here/build.sh" "$here/init" | sha256sum)" | sha256sum | cut -c1-16)
out="${JETTISON_CACHE:-$HOME/.cache/jettison}/linux/$key"
if [ -f "$out/vmlinuz" ] && [ -f "$out/initramfs.cpio.gz" ]; then
  echo "$out"; exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download -qq "$pkg" busybox-static >&2
dpkg -x "$pkg"_*.deb kernel
dpkg -x busybox-static_*.deb busybox

modroot=$(ls -d kernel/lib/modules/*)
modver=$(basename "$modroot")
mkdir -p root/bin root/sbin root/proc root/sys root/dev root/tmp root/lib/modules root/mnt
cp busybox/bin/busybox root/bin/busybox
for applet in sh mount umount insmod mkdir cat echo ls ip ping poweroff reboot sleep dd cmp hexdump uname free nproc grep sed awk cut printf dmesg switch_root; do
  ln -sf busybox "root/bin/$applet"
done

# The virtio drivers in load order, each after what it depends on (modinfo -F depends on
# 6.1: virtio needs virtio_ring; virtio_pci needs both plus the legacy/modern helpers;
# virtio_net needs net_failover, which needs failover).
# cpuid and msr (no dependencies) give /dev/cpu/0/{cpuid,msr}, for the init's jettison.action=cpuinfo.
# ext4 and what it needs (crc16, mbcache, jbd2; crc32c_generic for metadata checksums, which ext4
# asks the crypto API for and nothing could load on demand) mount root=/dev/vda (guest/debian).
wanted="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk failover net_failover virtio_net cpuid msr crc16 mbcache jbd2 crc32c_generic ext4"
order=""
for m in $wanted; do
  path=$(find "$modroot" -name "$m.ko*" | head -n1)
  [ -n "$path" ] || { echo "no module $m in $pkg (skipped)" >&2; continue; }
  case "$path" in
    *.xz) xz -dc "$path" > "root/lib/modules/$m.ko" ;;
    *.zst) zstd -qdc "$path" > "root/lib/modules/$m.ko" ;;
    *) cp "$path" "root/lib/modules/$m.ko" ;;
  esac
  order="$order $m"
done
echo "$order" > root/lib/modules/order
cp "$here/init" root/init
chmod +x root/init
(cd root && find . | cpio -o -H newc --quiet | gzip -9) > initramfs.cpio.gz

mkdir -p "$out"
cp kernel/boot/vmlinuz-* "$out/vmlinuz"
cp initramfs.cpio.gz "$out/initramfs.cpio.gz"
cat > "$out/BUILDINFO" <<INFO
kernel package: $pkg $kver (modules $modver)
busybox-static: $bver
modules loaded:$order
built: $(date -u +%Y-%m-%dT%H:%M:%SZ)
INFO
echo "$out"
