#!/usr/bin/env bash
# Builds the Debian desktop guest's disk: a raw ext4 image of Debian 12 (bookworm) made with
# debootstrap (minbase plus the packages below, Debian's only, no mount or loop device needed:
# mkfs.ext4 -d fills the filesystem from a directory). Our files under rootfs/ go on top: the
# init (/usr/sbin/jettison-init), the checker and the small clients of ours (docs/guests.md).
# Output, cached outside the repo under ${JETTISON_CACHE:-~/.cache/jettison}/debian/KEY/, where
# KEY hashes this script, rootfs/ and the archive's package versions as apt sees them here:
#   debian.img         the raw disk (sparse; boot it with guest/linux's kernel and root=/dev/vda)
#   BUILDINFO          what went in: every package and version (dpkg-query), sizes, dates
#   id_ed25519[.pub]   a key pair root accepts over ssh (for tests; never for anything else)
#   ssh_known_hosts    the image's host keys, as a known_hosts line for any address
# Prints the output directory on its last line; a second call with nothing changed is instant.
# Needs root (debootstrap's chroot), debootstrap and e2fsprogs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
suite=bookworm
size=1G
# What an idle desktop keeps running, headless (docs/guests.md says what each is for):
# openssh-server (remote login), cron (periodic jobs), fetchmail (a mail client that polls),
# curl (our chat poller's HTTP client), iproute2 (eth0's address), netbase (/etc/services,
# /etc/protocols, which fetchmail and curl look up), procps (ps, for looking around).
packages="openssh-server,cron,fetchmail,curl,iproute2,netbase,procps"

export DEBIAN_FRONTEND=noninteractive
# The archive as this machine's apt is set up to reach it (no host named here).
mirror() { apt-cache policy 2>/dev/null | awk -v s=" $suite/main amd64 Packages" 'index($0, s) {print $2; exit}'; }
m=$(mirror)
if [ -z "$m" ]; then apt-get update -qq; m=$(mirror); fi
[ -n "$m" ] || { echo "no $suite/main archive in apt's sources: cannot build the Debian guest" >&2; exit 1; }
# The suite's versions of what we ask for, plus the date of its index: a point release moves both.
versions=$(apt-cache madison ${packages//,/ } | awk -v s=" $suite/main " 'index($0, s)' | tr -s ' ')
release=$(grep -h -m1 '^Date:' /var/lib/apt/lists/*_dists_${suite}_InRelease 2>/dev/null || true)
inputs=$(cd "$here" && find build.sh rootfs -type f -print0 | sort -z | xargs -0 sha256sum)
key=$(printf '%s\n' "$suite $size $packages" "$m" "$versions" "$release" "$inputs" | sha256sum | cut -c1-16)
cache="${JETTISON_CACHE:-$HOME/.cache/jettison}/debian"
out="$cache/$key"
if [ -f "$out/debian.img" ] && [ -f "$out/BUILDINFO" ]; then
  echo "$out"; exit 0
fi

if ! command -v debootstrap >/dev/null || ! command -v mkfs.ext4 >/dev/null; then
  apt-get install -y -qq debootstrap e2fsprogs >&2
fi
[ "$(id -u)" = 0 ] || { echo "guest/debian/build.sh needs root (debootstrap)" >&2; exit 1; }

t0=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/jettison-debian.XXXXXX")
cleanup() {
  # debootstrap leaves /proc and /sys mounted in the target when it fails half way.
  for d in proc sys dev/pts dev; do umount -l "$work/root/$d" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$cache/debs"
# --cache-dir keeps the .debs between builds (a change to rootfs/ then downloads nothing).
debootstrap --variant=minbase --include="$packages" --cache-dir="$cache/debs" "$suite" "$work/root" "$m" >&2
root="$work/root"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

# The desktop's user, whose programs (the mail and chat pollers) run without root.
in_root useradd --create-home --uid 1000 --shell /bin/bash desktop
echo jettison-debian > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 jettison-debian\n::1 localhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
: > "$root/etc/resolv.conf"  # no DNS: every address the guest polls is given as a number
printf '/dev/vda / ext4 rw,noatime 0 1\n' > "$root/etc/fstab"

# ssh: the host keys openssh-server's postinst made at build (one set for every VM of this image,
# fine for tests) and a key pair for root, kept beside the image.
ls "$root"/etc/ssh/ssh_host_*_key >/dev/null
mkdir -p "$work/keys" "$root/root/.ssh"
ssh-keygen -q -t ed25519 -N '' -C jettison-test -f "$work/keys/id_ed25519"
cp "$work/keys/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
chmod 700 "$root/root/.ssh"; chmod 600 "$root/root/.ssh/authorized_keys"
mkdir -p "$root/etc/ssh/sshd_config.d"
printf 'PasswordAuthentication no\nPermitRootLogin prohibit-password\nUseDNS no\n' > "$root/etc/ssh/sshd_config.d/jettison.conf"
awk '{print "* " $1 " " $2}' "$root"/etc/ssh/ssh_host_*_key.pub > "$work/keys/ssh_known_hosts"

# Ours, on top.
cp -a "$here/rootfs/." "$root/"
chown -R 0:0 "$root/usr/sbin/jettison-init" "$root/usr/local" "$root/etc/cron.d"
chmod 755 "$root/usr/sbin/jettison-init" "$root"/usr/local/bin/*
chmod 644 "$root"/etc/cron.d/*  # cron ignores files others may write
mkdir -p "$root/var/lib/jettison-check" "$root/var/log/jettison"
in_root chown desktop:desktop /var/log/jettison

packagelist=$(in_root dpkg-query -W -f '${Package} ${Version}\n')
# What a desktop disk never reads: apt's lists and archives, manuals, translations; the
# copyright files stay.
rm -rf "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
       "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/locale/* "$root"/var/log/*.log
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete

# ext4 with the whole tree, no mount: sparse file of $size, a small journal, inode tables zeroed
# now (so the guest's ext4lazyinit thread has nothing to write at boot).
truncate -s "$size" "$work/debian.img"
mkfs.ext4 -q -F -L jettison-debian -J size=16 -E lazy_itable_init=0,lazy_journal_init=0 \
  -d "$root" "$work/debian.img" >&2
e2fsck -fn "$work/debian.img" >&2
t1=$(date +%s)

mkdir -p "$out.tmp"
mv "$work/debian.img" "$work"/keys/* "$out.tmp/"
cat > "$out.tmp/BUILDINFO" <<INFO
image: debian.img, raw ext4, $(stat -c %s "$out.tmp/debian.img") bytes, $(du -k "$out.tmp/debian.img" | cut -f1) KiB allocated
tree: $(du -sk --apparent-size "$root" | cut -f1) KiB, $(find "$root" | wc -l) files
suite: $suite, variant minbase, from $m; asked for: $packages
built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $((t1 - t0)) s with debootstrap $(dpkg-query -W -f '${Version}' debootstrap), e2fsprogs $(dpkg-query -W -f '${Version}' e2fsprogs)
key: $key
packages ($(echo "$packagelist" | wc -l), dpkg-query -W):
$packagelist
INFO
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
