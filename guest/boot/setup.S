/*
 * The bzImage "setup" part: a boot sector and the Linux boot-protocol header
 * (Documentation/arch/x86/boot.rst), version 2.15. Only the 64-bit entry is
 * supported: the real-mode code below just halts. SYSSIZE (16-byte units of
 * the protected-mode part) and INIT_SIZE (bytes the kernel needs from
 * 0x100000, .bss and boot page tables included) come from the Makefile.
 * Setup part = 2 sectors (setup_sects = 1).
 */
	.code16
	.section .text
	.globl _setup_start
_setup_start:
	cli
1:	hlt
	jmp 1b
	.ascii "Jettison test guest: load with the Linux 64-bit boot protocol (or PVH, from the ELF)."

	.org 0x1f1
setup_sects:	.byte 1
root_flags:	.word 0
syssize:	.long SYSSIZE
ram_size:	.word 0
vid_mode:	.word 0xFFFF
root_dev:	.word 0
boot_flag:	.word 0xAA55
	/* 0x200 */
jump:		.byte 0xEB, realmode_halt - header
header:		.ascii "HdrS"
version:	.word 0x020F
realmode_swtch:	.long 0
start_sys_seg:	.word 0x1000
kernel_version:	.word version_string - jump
type_of_loader:	.byte 0
loadflags:	.byte 0x01               /* LOADED_HIGH */
setup_move_size: .word 0x8000
code32_start:	.long 0x100000
ramdisk_image:	.long 0
ramdisk_size:	.long 0
bootsect_kludge: .long 0
heap_end_ptr:	.word 0
ext_loader_ver:	.byte 0
ext_loader_type: .byte 0
cmd_line_ptr:	.long 0
initrd_addr_max: .long 0x7fffffff
kernel_alignment: .long 0x100000
relocatable_kernel: .byte 0
min_alignment:	.byte 20
xloadflags:	.word 0x0001             /* XLF_KERNEL_64 */
cmdline_size:	.long 2047
hardware_subarch: .long 0
hardware_subarch_data: .quad 0
payload_offset:	.long 0
payload_length:	.long 0
setup_data:	.quad 0
pref_address:	.quad 0x100000
init_size:	.long INIT_SIZE
handover_offset: .long 0
kernel_info_offset: .long 0
	/* 0x26c */
realmode_halt:
	cli
2:	hlt
	jmp 2b
version_string:
	.asciz "jettison-guest"

	.org 0x400
