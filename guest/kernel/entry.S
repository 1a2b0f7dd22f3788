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
	/* an interrupt that woke cpu_idle: resume there without iretq */
	leaq idle_resume(%rip), %rax
	cmpq %rax, 17*8(%rsp)         /* the frame's RIP */
	je 2f
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
	iretq                     /* always to CPL3, see cpu_idle */

2:	popq %r15
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
	addq $16, %rsp
	movq 24(%rsp), %rsp       /* the stack pointer at the hlt */
	jmp idle_resume           /* interrupts stay disabled */

/*
 * cpu_idle: the only place the kernel enables interrupts (syscalls and
 * interrupts run with IF=0 through interrupt gates). An interrupt that
 * arrives here is handled and then resumes at idle_resume through the jump
 * above, so iretq only ever returns to user mode, the path measured to work
 * under PVM's CPL0 emulation (docs/kvm-notes.md).
 */
	.globl cpu_idle
cpu_idle:
	sti
	hlt                       /* sti's shadow: no interrupt before the hlt */
idle_resume:
	cli
	ret

/* enter_user(rip, rsp): drop to CPL3 with interrupts on and clean registers */
	.globl enter_user
enter_user:
	movl $0x23, %eax          /* user data selector (SEL_UDATA) */
	movl %eax, %ds
	movl %eax, %es
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	pushq $0x23               /* ss: SEL_UDATA */
	pushq %rsi                /* rsp */
	pushq $0x202              /* rflags: IF */
	pushq $0x2B               /* cs: SEL_UCODE */
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

/* load_gdt(ptr): lgdt, data segments, TR. CS stays 0x10 (SEL_KCODE), the
 * boot protocol's code selector, whose descriptor is the same in our GDT:
 * no far transfer needed. */
	.globl load_gdt
load_gdt:
	lgdt (%rdi)
	movl $0x18, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl $0x30, %eax          /* SEL_TSS */
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
