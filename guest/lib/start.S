/* User-mode entry: the kernel irets here at CPL3 with RSP = ustack_top. */
	.text
	.globl _ustart
_ustart:
	/* clear the user .bss (our stack included: nothing is on it yet) */
	movq $__ubss_start, %rax
	movq $__ubss_end, %rcx
1:	cmpq %rcx, %rax
	jae 2f
	movq $0, (%rax)
	addq $8, %rax
	jmp 1b
2:	xorl %ebp, %ebp
	andq $-16, %rsp
	call umain                 /* programs/main.c; never returns */
	ud2
	.byte 0                    /* SYS_EXIT with whatever is in rdi */

	.bss
	.balign 16
	.globl ustack, ustack_top
ustack:
	.skip 65536
ustack_top:

	.section .note.GNU-stack, "", @progbits
