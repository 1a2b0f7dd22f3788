/* bzboot: validate the bzImage (module 0 of the PVH start info) and lay out
 * memory like our VMM: protected-mode part at 1 MiB, zero page at 0x7000
 * (setup header copied from the image, e820, cmd_line_ptr), command line at
 * 0x20000, GDT at 0x500, identity page tables (2 MiB pages, 4 GiB) at 0x9000. */
#include <stdint.h>

struct start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};
struct module { uint64_t paddr, size, cmdline_paddr, reserved; };
struct memmap { uint64_t addr, size; uint32_t type, reserved; };

static void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }

static void puts_(const char *s) { while (*s) outb(0x3F8, (uint8_t)*s++); }

static void putx(uint64_t v)
{
	char b[19];
	int n = 0;
	b[n++] = '0';
	b[n++] = 'x';
	int started = 0;
	for (int i = 60; i >= 0; i -= 4) {
		int d = (v >> i) & 15;
		if (d || started || i == 0) {
			b[n++] = "0123456789abcdef"[d];
			started = 1;
		}
	}
	b[n] = 0;
	puts_(b);
}

static void fail(const char *why)
{
	puts_("JTS:BZBOOT FAIL ");
	puts_(why);
	puts_("\n");
	outb(0xF4, 2);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void copy(volatile uint8_t *d, const volatile uint8_t *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		d[i] = s[i];
}

static uint64_t rd(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void wr(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint8_t *phys(uint64_t a)
{
	__asm__("" : "+r"(a));
	return (uint8_t *)a;
}

void bzboot_main(uint32_t info)
{
	const struct start_info *si = (const void *)(uint64_t)info;
	if (si->magic != 0x336ec578)
		fail("bad PVH magic");
	if (si->nr_modules < 1)
		fail("no module: pass the bzImage with -initrd");
	const struct module *m = (const void *)si->modlist_paddr;
	const uint8_t *img = (const uint8_t *)m->paddr;
	uint64_t size = m->size;

	/* the checks our VMM makes (boot.rst) */
	if (size < 0x1000 || rd(img + 0x1fe, 2) != 0xAA55)
		fail("no boot_flag 0xAA55 at 0x1fe");
	if (rd(img + 0x202, 4) != 0x53726448)
		fail("no HdrS magic at 0x202");
	uint64_t version = rd(img + 0x206, 2);
	if (version < 0x020C)
		fail("boot protocol older than 2.12");
	if (!(rd(img + 0x236, 2) & 1))
		fail("XLF_KERNEL_64 not set");
	if (!(img[0x211] & 1))
		fail("LOADED_HIGH not set");
	uint64_t setup_sects = img[0x1f1] ? img[0x1f1] : 4;
	uint64_t setup = (setup_sects + 1) * 512;
	uint64_t pm = size - setup;
	uint64_t init_size = rd(img + 0x260, 4), pref = rd(img + 0x258, 8);
	if (pref != 0x100000 || rd(img + 0x214, 4) != 0x100000)
		fail("pref_address/code32_start is not 0x100000");
	if (init_size < pm)
		fail("init_size smaller than the image");
	if (rd(img + 0x1f4, 4) * 16 < pm)
		fail("syssize smaller than the image");
	puts_("JTS:BZBOOT ok version=");
	putx(version);
	puts_(" setup_sects=");
	putx(setup_sects);
	puts_(" pm_size=");
	putx(pm);
	puts_(" init_size=");
	putx(init_size);
	puts_("\n");
	if (m->paddr < 0x100000 + init_size)
		fail("module overlaps the kernel's load area");

	/* read everything the layout below might overwrite */
	static struct memmap mm[64];
	static char cmdline[2048];
	uint32_t nmm = si->memmap_entries < 64 ? si->memmap_entries : 64;
	for (uint32_t i = 0; i < nmm; i++)
		mm[i] = ((const struct memmap *)si->memmap_paddr)[i];
	const char *c = (const char *)si->cmdline_paddr;
	for (int i = 0; c && i < 2047 && c[i]; i++)
		cmdline[i] = c[i];

	copy(phys(0x100000), img + setup, pm);

	uint8_t *zp = phys(0x7000);
	for (int i = 0; i < 4096; i++)
		zp[i] = 0;
	uint64_t hdr_end = 0x202 + img[0x201];            /* end of the setup header */
	copy(zp + 0x1f1, img + 0x1f1, hdr_end - 0x1f1);
	zp[0x210] = 0xff;                                 /* type_of_loader */
	zp[0x211] |= 0x80;                                /* CAN_USE_HEAP */
	wr(zp + 0x228, 0x20000, 4);                       /* cmd_line_ptr */
	for (uint32_t i = 0; i < nmm; i++) {
		wr(zp + 0x2d0 + 20 * i, mm[i].addr, 8);
		wr(zp + 0x2d0 + 20 * i + 8, mm[i].size, 8);
		wr(zp + 0x2d0 + 20 * i + 16, mm[i].type, 4);
	}
	zp[0x1e8] = (uint8_t)nmm;
	copy(phys(0x20000), (const uint8_t *)cmdline, 2048);

	uint64_t *gdt = (uint64_t *)phys(0x500);
	gdt[0] = 0;
	gdt[1] = 0;
	gdt[2] = 0x00AF9A000000FFFFull;                   /* 0x10: 64-bit code */
	gdt[3] = 0x00CF92000000FFFFull;                   /* 0x18: data */

	uint64_t *pml4 = (uint64_t *)phys(0x9000), *pdpt = (uint64_t *)phys(0xA000);
	uint64_t *pd = (uint64_t *)phys(0xB000);
	for (int i = 0; i < 512; i++)
		pml4[i] = pdpt[i] = 0;
	pml4[0] = 0xA000 | 3;
	for (int i = 0; i < 4; i++)
		pdpt[i] = (0xB000 + 0x1000 * (uint64_t)i) | 3;
	for (uint64_t i = 0; i < 2048; i++)
		pd[i] = (i << 21) | 0x83;
}
