/*
 * Entry points of the protected-mode image (loaded at 0x100000).
 *
 *  0x100000  32-bit Linux-protocol entry: not supported, halts.
 *  0x100200  64-bit Linux boot protocol entry (our VMM): long mode, paging on,
 *            RSI = boot_params ("zero page").
 *  pvh_start 32-bit PVH entry (QEMU -kernel with the ELF): EBX = hvm_start_info,
 *            paging off. Builds boot page tables, enters long mode and turns
 *            the start info into a zero page, so the rest is identical.
 *
 * Both paths meet at common64, which clears the kernel .bss (a plain qword
 * loop: no rep string instructions in kernel mode, see docs/kvm-notes.md) and
 * calls kmain. The user .bss (~220 KiB) is cleared in user mode, where it
 * costs nothing under PVM.
 */
	.section .head, "ax"
	.code32
	.globl _start32
_start32:
	cli
1:	hlt
	jmp 1b

	.org 0x200
	.code64
	.globl startup_64
startup_64:
	cli
	cld
	movq %rsi, %r12          /* boot_params; r12 survives the bss loop */
	jmp common64

common64:
	movq $__kbss_start, %rax
	movq $__kbss_end, %rcx
1:	cmpq %rcx, %rax
	jae 2f
	movq $0, (%rax)
	addq $8, %rax
	jmp 1b
2:	movq $kstack_top, %rsp      /* the user .bss is cleared by lib/start.S, natively */
	xorl %ebp, %ebp
	movq %r12, %rdi
	call kmain
5:	cli
	hlt
	jmp 5b

/* ---- PVH ---- */
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	movl %ebx, %esi                /* hvm_start_info, kept in esi */

	/* zero the 6 boot page-table pages (PML4, PDPT, 4 PDs) */
	movl $boot_pt, %edi
	movl $(6 * 4096 / 4), %ecx
	xorl %eax, %eax
1:	movl %eax, (%edi)
	addl $4, %edi
	decl %ecx
	jnz 1b

	/* PML4[0] -> PDPT, PDPT[0..3] -> PDs: identity map 0..4 GiB in 2 MiB pages */
	movl $(boot_pt + 0x1000 + 0x3), boot_pt
	movl $(boot_pt + 0x1000), %edi
	movl $(boot_pt + 0x2000 + 0x3), %eax
	movl $4, %ecx
2:	movl %eax, (%edi)
	addl $0x1000, %eax
	addl $8, %edi
	decl %ecx
	jnz 2b

	movl $(boot_pt + 0x2000), %edi
	movl $0x83, %eax              /* present | writable | 2 MiB page */
	xorl %edx, %edx               /* high dword of the entry */
	movl $2048, %ecx
3:	movl %eax, (%edi)
	movl %edx, 4(%edi)
	addl $0x200000, %eax
	adcl $0, %edx
	addl $8, %edi
	decl %ecx
	jnz 3b

	movl $boot_pt, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax               /* PAE */
	movl %eax, %cr4
	movl $0xC0000080, %ecx        /* EFER */
	rdmsr
	orl $0x100, %eax              /* LME */
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax         /* PG | WP | PE */
	movl %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $0x10, $pvh_start64

	.code64
pvh_start64:
	movl $0x18, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $pvh_stack_top, %rsp
	movl %esi, %edi               /* zero-extends the start_info address */
	call pvh_to_zeropage          /* boot/pvh.c, returns the zero page */
	movq %rax, %r12
	jmp common64

	.section .rodata
	.balign 16
boot_gdt:                       /* the boot protocol's layout: CS 0x10, DS 0x18 */
	.quad 0
	.quad 0
	.quad 0x00AF9A000000FFFF        /* 0x10: 64-bit code */
	.quad 0x00CF92000000FFFF        /* 0x18: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

/* The PVH ELF note QEMU looks for (Xen's XEN_ELFNOTE_PHYS32_ENTRY = 18). */
	.section .note.pvh, "a", @note
	.balign 4
	.long 4                          /* namesz */
	.long 4                          /* descsz */
	.long 18                         /* type */
	.asciz "Xen"
	.balign 4
	.long pvh_start
	.balign 4

/* Boot page tables and the PVH stack: outside .bss, which common64 clears
 * while they are still in use. */
	.section .bootpt, "aw", @nobits
	.balign 4096
	.globl boot_pt
boot_pt:
	.skip 6 * 4096
	.skip 4096
pvh_stack_top:

	.section .note.GNU-stack, "", @progbits
