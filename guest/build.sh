#!/usr/bin/env bash
# Build the Jettison test guest OS with Debian's gcc/binutils, into a
# content-addressed cache directory, and print that directory (only that, on
# stdout). Does nothing if that version is already built.
#   ${JETTISON_CACHE:-$HOME/.cache/jettison}/guest/<hash>/
#       jettison-guest.bzImage   Linux 64-bit boot protocol (our VMM)
#       jettison-guest.elf       PVH ELF (qemu-system-x86_64 -kernel)
#       BUILDINFO                compiler/binutils versions, source hash
#       bzboot.elf               test-only: boots the bzImage under QEMU like our VMM
# The hash covers every source file of the guest (guest/net/ included, not
# guest/linux/ or the tests) and this script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${JETTISON_CACHE:-$HOME/.cache/jettison}/guest"

for tool in gcc ld objcopy nm make sha256sum; do
	command -v "$tool" >/dev/null || { echo "build.sh: $tool not found (apt-get install gcc binutils make)" >&2; exit 1; }
done

sources() {
	cd "$here"
	{
		printf '%s\n' build.sh Makefile linker.ld tools/check-kernel-insns.sh \
			tools/bzboot/entry.S tools/bzboot/bzboot.c tools/bzboot/bzboot.ld
		find boot kernel drivers lib programs include -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \)
		[ -d net ] && find net -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \)
	} | LC_ALL=C sort
}

hash=$(cd "$here" && sources | while read -r f; do printf '%s\0' "$f"; sha256sum < "$f"; done |
	sha256sum | cut -c1-16)
out="$cache/$hash"
if [ -f "$out/jettison-guest.bzImage" ] && [ -f "$out/jettison-guest.elf" ] && [ -f "$out/BUILDINFO" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.build-$hash.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
make -s -C "$here" O="$tmp/build" -j"$(nproc)" >&2
mkdir -p "$tmp/out"
cp "$tmp/build/jettison-guest.bzImage" "$tmp/build/jettison-guest.elf" "$tmp/out/"
cp "$tmp/build/bzboot.elf" "$tmp/out/"       # test-only loader, see tools/bzboot/
{
	echo "source_hash=$hash"
	echo "gcc=$(gcc --version | head -1)"
	echo "binutils=$(ld --version | head -1)"
	echo "make=$(make --version | head -1)"
	if command -v dpkg-query >/dev/null; then
		echo "debian_gcc=$(dpkg-query -W -f='${Version}' gcc-12 2>/dev/null || true)"
		echo "debian_binutils=$(dpkg-query -W -f='${Version}' binutils 2>/dev/null || true)"
	fi
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	(cd "$here" && sources | sed 's/^/source=/')
} > "$tmp/out/BUILDINFO"
# publish atomically; a concurrent build of the same hash may have won
if ! mv -T "$tmp/out" "$out" 2>/dev/null; then
	[ -f "$out/jettison-guest.bzImage" ] || { echo "build.sh: could not publish $out" >&2; exit 1; }
fi
echo "$out"
