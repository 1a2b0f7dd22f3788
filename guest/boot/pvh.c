/*
 * PVH boot (QEMU): turn the hvm_start_info that the PVH entry received into a
 * Linux zero page, so kmain sees the same input on both boot paths.
 * Runs before .bss is cleared: uses only its own .data buffer and the stack.
 */
#include <stdint.h>
#include "../kernel/kernel.h"

#define HVM_START_MAGIC 0x336ec578u

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;      /* version >= 1 */
	uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

/* zero page (4 KiB) followed by room for the command line */
static uint8_t pvh_zp[4096 + JTS_CMDLINE_MAX] __attribute__((section(".data.pvh"), aligned(4096)));

static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }

uint8_t *pvh_to_zeropage(uint32_t info_addr)
{
	const struct hvm_start_info *si = (const void *)(uint64_t)info_addr;
	uint8_t *zp = pvh_zp;

	for (uint32_t i = 0; i < sizeof pvh_zp; i++)
		zp[i] = 0;
	if (si->magic != HVM_START_MAGIC) {
		early_puts("JTS:PANIC bad PVH start info magic\n");
		machine_exit(JTS_EXIT_PANIC);
	}
	if (si->version >= 1 && si->memmap_paddr) {
		const struct hvm_memmap_entry *m = (const void *)si->memmap_paddr;
		uint32_t n = si->memmap_entries;
		if (n > 128)
			n = 128;
		for (uint32_t i = 0; i < n; i++) {
			uint8_t *e = zp + 0x2d0 + 20 * i;
			put64(e, m[i].addr);
			put64(e + 8, m[i].size);
			put32(e + 16, m[i].type);
		}
		zp[0x1e8] = (uint8_t)n;
	}
	if (si->cmdline_paddr) {
		const char *src = (const char *)si->cmdline_paddr;
		char *dst = (char *)zp + 4096;
		uint32_t i = 0;
		for (; i < JTS_CMDLINE_MAX - 1 && src[i]; i++)
			dst[i] = src[i];
		dst[i] = 0;
		put32(zp + 0x228, (uint32_t)(uint64_t)dst);
	}
	put64(zp + 0x070, si->rsdp_paddr);   /* boot_params.acpi_rsdp_addr */
	zp[0x210] = 0xff;                    /* type_of_loader: "undefined" */
	return zp;
}
