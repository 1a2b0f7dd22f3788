/*
 * The kernel's page tables: identity map of every usable e820 range in 4 KiB
 * pages (so dirty tracking and remote faults work page by page), the kernel
 * image and the page tables supervisor-only, everything else user-accessible
 * (user-mode drivers and programs work on physical memory directly), the
 * LAPIC and IOAPIC pages supervisor-only and uncached. Page 0 stays unmapped
 * to catch null pointers.
 *
 * Cost: under PVM this loop runs emulated (~5 M instructions/s) and a 4 GiB
 * guest has ~1M PTEs, so the fill loop for whole 2 MiB chunks is a bare
 * unrolled store loop; only chunks touching a supervisor range go page by page.
 */
#include "kernel.h"
#include "x86.h"

#define PTE_P    0x001ull
#define PTE_W    0x002ull
#define PTE_U    0x004ull
#define PTE_PWT  0x008ull
#define PTE_PCD  0x010ull
#define PTE_USER (PTE_P | PTE_W | PTE_U)
#define PTE_KERN (PTE_P | PTE_W)
#define ADDR_MASK 0x000FFFFFFFFFF000ull
#define CHUNK    0x200000ull

extern char __image_start[], __kernel_end[], __user_end[], _end[];

uint64_t paging_free_start;
uint64_t kernel_ranges[2][2];

static uint64_t next_page, pt_limit;
static uint64_t *pml4;

static uint64_t *alloc_pt_page(int zero)
{
	if (next_page + 4096 > pt_limit)
		kpanic("page-table area exhausted at 0x%lx", next_page);
	uint64_t *p = (uint64_t *)next_page;
	next_page += 4096;
	if (zero)
		for (int i = 0; i < 512; i++)
			p[i] = 0;
	return p;
}

/* the next-level table of entry e of table t, created if missing */
static uint64_t *next_level(uint64_t *t, unsigned e)
{
	if (!(t[e] & PTE_P))
		t[e] = (uint64_t)alloc_pt_page(1) | PTE_USER;
	return (uint64_t *)(t[e] & ADDR_MASK);
}

static uint64_t *pd_for(uint64_t a)
{
	uint64_t *pdpt = next_level(pml4, (a >> 39) & 511);
	return next_level(pdpt, (a >> 30) & 511);
}

static int is_kernel(uint64_t a)
{
	return (a >= kernel_ranges[0][0] && a < kernel_ranges[0][1]) ||
	       (a >= kernel_ranges[1][0] && a < kernel_ranges[1][1]);
}

static int overlaps_kernel(uint64_t s, uint64_t e)
{
	return (s < kernel_ranges[0][1] && e > kernel_ranges[0][0]) ||
	       (s < kernel_ranges[1][1] && e > kernel_ranges[1][0]);
}

static void map_ram(uint64_t start, uint64_t end)
{
	while (start < end) {
		uint64_t chunk = start & ~(CHUNK - 1);
		uint64_t stop = end < chunk + CHUNK ? end : chunk + CHUNK;
		uint64_t *pd = pd_for(start);
		unsigned pdi = (start >> 21) & 511;
		uint64_t *pt;
		if (pd[pdi] & PTE_P) {
			pt = (uint64_t *)(pd[pdi] & ADDR_MASK);
		} else {
			/* a chunk filled completely right below needs no zeroing */
			pt = alloc_pt_page(!(start == chunk && stop == chunk + CHUNK));
			pd[pdi] = (uint64_t)pt | PTE_USER;
		}
		uint64_t *p = pt + ((start >> 12) & 511);
		uint64_t *e = pt + (((stop - 1) >> 12) & 511) + 1;
		if (overlaps_kernel(start, stop)) {
			for (uint64_t a = start; p < e; p++, a += 4096)
				*p = a | (is_kernel(a) ? PTE_KERN : PTE_USER);
		} else {
			uint64_t v = start | PTE_USER;
			while (e - p >= 8) {
				p[0] = v;
				p[1] = v + 0x1000;
				p[2] = v + 0x2000;
				p[3] = v + 0x3000;
				p[4] = v + 0x4000;
				p[5] = v + 0x5000;
				p[6] = v + 0x6000;
				p[7] = v + 0x7000;
				v += 0x8000;
				p += 8;
			}
			for (; p < e; p++, v += 0x1000)
				*p = v;
		}
		start = stop;
	}
}

static void map_mmio(uint64_t a)
{
	a &= ~0xFFFull;
	uint64_t *pd = pd_for(a);
	unsigned pdi = (a >> 21) & 511;
	if (!(pd[pdi] & PTE_P))
		pd[pdi] = (uint64_t)alloc_pt_page(1) | PTE_USER;
	uint64_t *pt = (uint64_t *)(pd[pdi] & ADDR_MASK);
	pt[(a >> 12) & 511] = a | PTE_KERN | PTE_PCD | PTE_PWT;
}

void paging_init(void)
{
	/* size the page-table area first: it is itself supervisor-only */
	uint64_t pages = 8;                       /* PML4, PDPTs, MMIO tables, slack */
	uint64_t top = 0;
	for (uint32_t i = 0; i < kboot.ne820; i++) {
		const struct jts_e820 *r = &kboot.e820[i];
		if (r->type != 1)
			continue;
		pages += (r->size >> 21) + 2;
		if (r->addr + r->size > top)
			top = r->addr + r->size;
	}
	pages += (top >> 30) + 2;                 /* page directories */
	next_page = ((uint64_t)_end + 4095) & ~4095ull;
	pt_limit = next_page + pages * 4096;
	if (pt_limit > kboot.low_ram_end)
		kpanic("not enough low RAM for page tables (need up to 0x%lx)", pt_limit);
	kernel_ranges[0][0] = (uint64_t)__image_start;
	kernel_ranges[0][1] = (uint64_t)__kernel_end;
	kernel_ranges[1][0] = (uint64_t)__user_end;   /* boot page tables + ours */
	kernel_ranges[1][1] = pt_limit;

	pml4 = alloc_pt_page(1);
	for (uint32_t i = 0; i < kboot.ne820; i++) {
		const struct jts_e820 *r = &kboot.e820[i];
		if (r->type != 1)
			continue;
		uint64_t s = (r->addr + 4095) & ~4095ull, e = (r->addr + r->size) & ~4095ull;
		if (s < 0x1000)
			s = 0x1000;
		if (s < e)
			map_ram(s, e);
	}
	map_mmio(0xFEE00000);                      /* LAPIC */
	map_mmio(mpinfo.ioapic_addr);              /* IOAPIC */
	write_cr3((uint64_t)pml4);
	write_cr0(read_cr0() | (1u << 16) | (1u << 5) | (1u << 1));   /* WP, NE, MP */
	paging_free_start = (pt_limit + 0xFFFF) & ~0xFFFFull;
}
