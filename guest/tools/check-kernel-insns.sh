#!/bin/sh
# Fails the build if kernel-mode code uses an instruction outside a short
# allow-list. Under PVM, guest CPL0 code is emulated instruction by
# instruction and the emulator lacks some instructions (cmpxchg16b, xsave,
# xrstor, int3... see docs/kvm-notes.md in the shared docs); the kernel
# sticks to plain integer instructions plus the few privileged ones it needs.
# Checked: .ktext and the 64-bit parts of .head. Not checked: the 32-bit PVH
# entry (QEMU only; objdump would decode it as 64-bit) and user-mode code
# (native under PVM; -mgeneral-regs-only keeps SSE/x87 out of it, and the
# byte after each `ud2` system call desynchronises objdump anyway).
set -e
elf="$1"
sym() { nm "$elf" | awk -v s="$1" '$3==s{print "0x"$1}'; }

allowed='mov movl movq movb movw movabs movzbl movzwl movsbl movswl movslq movzbw movsbw cltq cqto cltd
push pushq pop popq lea add addl addq addb addw sub subl subq subb adc sbb inc dec neg not and andl andq andb andw
or orl orq orb orw xor xorl xorq xorb test testb testw testl testq cmp cmpb cmpw cmpl cmpq
shl shr sar shld shrd rol ror imul mul div idiv bt bts btr
sete setne setb setae seta setbe setl setge setg setle sets setns
cmove cmovne cmovb cmovae cmova cmovbe cmovl cmovge cmovg cmovle cmovs cmovns
jmp je jne jb jae ja jbe jl jge jg jle js jns call ret
in out cli sti hlt cld rdtsc iretq lgdt lidt ltr
nop nopl nopw xchg data16 cs ds ...'

check_range() {
	objdump -d --no-show-raw-insn -j "$1" ${2:+--start-address=$2} ${3:+--stop-address=$3} "$elf" |
		awk -F'\t' 'NF >= 2 && $1 ~ /^ *[0-9a-f]+:$/ { split($2, a, " "); print $1 " " a[1] " | " $2 }'
}

bad=$( { check_range .ktext; check_range .head "$(sym startup_64)" "$(sym pvh_start)";
	 check_range .head "$(sym pvh_start64)"; } |
	awk -v allowed="$allowed" 'BEGIN { n = split(allowed, w, /[ \n]+/); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
		!($2 in ok) { print }')
if [ -n "$bad" ]; then
	echo "kernel-mode code uses instructions outside the allow-list (tools/check-kernel-insns.sh):" >&2
	echo "$bad" >&2
	exit 1
fi
