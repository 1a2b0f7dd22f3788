/*
 * Trap and interrupt entry. Every vector has a stub that pushes a dummy
 * error code when the CPU does not, then its vector number, and jumps to
 * trap_common, which saves the general registers as a struct trapframe
 * (kernel.h) and calls trap_dispatch. Plain pushes and pops only.
 */
	.text
	.code64

/* vectors 8, 10-14, 17, 21, 29, 30: the CPU pushes an error code itself */
	.altmacro
	.macro stub v
	.balign 16
vec_\v:
	.if ((\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30))
	pushq $\v
	.else
	pushq $0
	pushq $\v
	.endif
	jmp trap_common
	.endm

	.set i, 0
	.rept 256
	stub %i
	.set i, i + 1
	.endr

	.macro vecaddr v
	.quad vec_\v
	.endm

	.section .rodata
	.balign 8
	.globl trap_vectors
trap_vectors:
	.set i, 0
	.rept 256
	vecaddr %i
	.set i, i + 1
	.endr

	.text
trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp            /* vector, error code */
	iretq

/* enter_user(rip, rsp): drop to CPL3 with interrupts on and clean registers */
	.globl enter_user
enter_user:
	movl $0x1B, %eax          /* user data selector */
	movl %eax, %ds
	movl %eax, %es
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	pushq $0x1B               /* ss */
	pushq %rsi                /* rsp */
	pushq $0x202              /* rflags: IF */
	pushq $0x23               /* cs: user code */
	pushq %rdi                /* rip */
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
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
	iretq

/* load_gdt(ptr): lgdt, reload CS with a far return, data segments, TR */
	.globl load_gdt
load_gdt:
	lgdt (%rdi)
	pushq $0x08
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl $0x28, %eax
	ltr %ax
	ret

	.globl load_idt
load_idt:
	lidt (%rdi)
	ret

/* the kernel stack (TSS RSP0); in .bss, cleared by common64 before use */
	.bss
	.balign 16
	.globl kstack, kstack_top
kstack:
	.skip 16384
kstack_top:

	.section .note.GNU-stack, "", @progbits
