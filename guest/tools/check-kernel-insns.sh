#!/bin/sh
# Fails the build if kernel-mode code (boot/ and kernel/ objects: the .head and
# .ktext sections) uses instructions the PVM CPL0 emulator lacks or that must
# not appear there: SSE/AVX/x87 registers, rep string ops, cmpxchg16b,
# xsave/xrstor, int3, endbr64. See docs/kvm-notes.md in the shared docs.
set -e
elf="$1"
bad=$(objdump -d --no-show-raw-insn -j .head -j .ktext "$elf" |
	grep -E '%(x|y|z)mm|%st|\b(rep|repz|repnz|repe|repne)\b|cmpxchg16b|xsave|xrstor|\bint3\b|endbr64|fxsave|fxrstor' || true)
if [ -n "$bad" ]; then
	echo "kernel-mode code contains forbidden instructions:" >&2
	echo "$bad" >&2
	exit 1
fi
# User-mode code is not disassembled here: the byte after each `ud2` system
# call desynchronises objdump. -mgeneral-regs-only (Makefile) already keeps
# SSE/x87 out of every compiled file; the assembly files use none.
