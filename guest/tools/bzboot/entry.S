/*
 * bzboot: a test-only loader that boots jettison-guest.bzImage under QEMU the
 * way our VMM does (docs/machine.md), so the 64-bit boot-protocol entry is
 * exercised without KVM. QEMU starts it through PVH with the bzImage as its
 * initrd (module 0). It enters long mode on its own tables, lets bzboot.c
 * validate the image and lay out memory, then switches to the machine.md
 * state (GDT at 0x500 with CS 0x10, page tables at 0x9000, RSI = 0x7000,
 * RSP = 0x8ff0, other GPRs 0) and jumps to 0x100200.
 */
	.section .text.entry, "ax"
	.code32
	.globl bz_pvh_start
bz_pvh_start:
	cli
	cld
	movl %ebx, %esi
	/* own tables: PML4 -> PDPT -> 4 PDs, 2 MiB identity pages for 4 GiB */
	movl $bz_pt, %edi
	movl $(6 * 1024), %ecx
	xorl %eax, %eax
1:	movl %eax, (%edi)
	addl $4, %edi
	decl %ecx
	jnz 1b
	movl $(bz_pt + 0x1003), bz_pt
	movl $(bz_pt + 0x1000), %edi
	movl $(bz_pt + 0x2003), %eax
	movl $4, %ecx
2:	movl %eax, (%edi)
	addl $0x1000, %eax
	addl $8, %edi
	decl %ecx
	jnz 2b
	movl $(bz_pt + 0x2000), %edi
	movl $0x83, %eax
	xorl %edx, %edx
	movl $2048, %ecx
3:	movl %eax, (%edi)
	movl %edx, 4(%edi)
	addl $0x200000, %eax
	adcl $0, %edx
	addl $8, %edi
	decl %ecx
	jnz 3b
	movl $bz_pt, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax
	movl %eax, %cr4
	movl $0xC0000080, %ecx
	rdmsr
	orl $0x100, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax
	movl %eax, %cr0
	lgdt bz_gdt_ptr
	ljmp $0x08, $bz_64

	.code64
bz_64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movq $bz_stack_top, %rsp
	movl %esi, %edi
	call bzboot_main              /* prepares everything; returns when ready */

	/* switch to the machine.md state */
	movq $0x9000, %rax
	movq %rax, %cr3
	lgdt machine_gdt_ptr
	pushq $0x10
	leaq 4f(%rip), %rax
	pushq %rax
	lretq
4:	movl $0x18, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl $0x8ff0, %esp
	movl $0x7000, %esi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	jmp *kernel_entry(%rip)

	.section .rodata
	.balign 8
kernel_entry:
	.quad 0x100200
bz_gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF
	.quad 0x00CF92000000FFFF
bz_gdt_end:
bz_gdt_ptr:
	.word bz_gdt_end - bz_gdt - 1
	.long bz_gdt
machine_gdt_ptr:                   /* the GDT bzboot.c wrote at 0x500 */
	.word 4 * 8 - 1
	.quad 0x500

	.section .note.pvh, "a", @note
	.balign 4
	.long 4, 4, 18
	.asciz "Xen"
	.long bz_pvh_start

	.bss
	.balign 4096
bz_pt:
	.skip 6 * 4096
	.skip 16384
bz_stack_top:

	.section .note.GNU-stack, "", @progbits
