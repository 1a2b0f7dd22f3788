/*
 * Read the Linux zero page (boot_params): e820 map, command line, ACPI RSDP.
 * Both boot paths hand us one (boot/pvh.c synthesises it for PVH).
 */
#include "kernel.h"

struct kboot kboot;

static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

void boot_parse(const uint8_t *zp)
{
	uint32_t n = zp[0x1e8];
	if (n > 128)
		n = 128;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = zp + 0x2d0 + 20 * i;
		uint64_t addr = get64(e), size = get64(e + 8);
		uint32_t type = get32(e + 16);
		if (kboot.ne820 == JTS_MAX_E820) {
			/* only what we keep gets mapped, so only that counts */
			kprintf("JTS:WARN e820 entry %u and later ignored (at most %u)\n", i, JTS_MAX_E820);
			break;
		}
		struct jts_e820 *k = &kboot.e820[kboot.ne820++];
		k->addr = addr;
		k->size = size;
		k->type = type;
		if (type == 1) {
			kboot.mem_bytes += size;
			if (addr <= 0x100000 && addr + size > 0x100000)
				kboot.low_ram_end = addr + size;
			if (addr + size > kboot.mapped_end)
				kboot.mapped_end = addr + size;
		}
	}
	if (kboot.low_ram_end == 0)
		kpanic("no usable e820 RAM range contains 1 MiB (%u entries)", n);

	uint32_t cmd = get32(zp + 0x228);
	if (cmd) {
		const char *src = (const char *)(uint64_t)cmd;
		uint32_t i = 0;
		for (; i < JTS_CMDLINE_MAX - 1 && src[i]; i++)
			kboot.cmdline[i] = src[i];
		/* trailing blanks/newlines are not part of the command */
		while (i && (kboot.cmdline[i - 1] == ' ' || kboot.cmdline[i - 1] == '\n' || kboot.cmdline[i - 1] == '\r'))
			i--;
		kboot.cmdline[i] = 0;
	}
	kboot.acpi_rsdp = get64(zp + 0x070);
}
