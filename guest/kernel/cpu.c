/*
 * GDT (kernel and user segments, 64-bit TSS), TSS (RSP0 = kernel stack,
 * IST1 = double-fault stack) and IDT (interrupt gates for all 256 vectors).
 */
#include "kernel.h"

#define DF_STACK_SIZE 8192

static uint8_t df_stack[DF_STACK_SIZE] __attribute__((aligned(16)));

struct tss {
	uint32_t reserved0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

static struct tss tss;

/* 0x10 kernel code, 0x18 kernel data, 0x20 user data, 0x28 user code,
 * 0x30 TSS (two slots); see SEL_* in kernel.h */
static uint64_t gdt[8];

struct idt_entry {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, reserved;
} __attribute__((packed));

static struct idt_entry idt[256];

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t trap_vectors[256];
void load_gdt(const struct dtr *);
void load_idt(const struct dtr *);

void cpu_init(void)
{
	tss.rsp0 = (uint64_t)kstack_top;
	tss.ist[0] = (uint64_t)(df_stack + DF_STACK_SIZE);
	tss.iomap_base = sizeof tss;          /* no I/O bitmap: CPL3 port I/O faults */

	gdt[0] = 0;
	gdt[1] = 0;
	gdt[SEL_KCODE / 8] = 0x00AF9A000000FFFFull;        /* kernel code, L=1 */
	gdt[SEL_KDATA / 8] = 0x00CF92000000FFFFull;        /* kernel data */
	gdt[SEL_UDATA / 8] = 0x00CFF2000000FFFFull;        /* user data, DPL3 */
	gdt[SEL_UCODE / 8] = 0x00AFFA000000FFFFull;        /* user code, DPL3, L=1 */
	uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
	gdt[SEL_TSS / 8] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
			   (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
	gdt[SEL_TSS / 8 + 1] = base >> 32;
	struct dtr g = { sizeof gdt - 1, (uint64_t)gdt };
	load_gdt(&g);

	for (int v = 0; v < 256; v++) {
		uint64_t off = trap_vectors[v];
		idt[v].off0 = (uint16_t)off;
		idt[v].sel = SEL_KCODE;
		idt[v].ist = v == 8 ? 1 : 0;      /* double fault on its own stack */
		idt[v].type = 0x8E;               /* present, DPL0, 64-bit interrupt gate */
		idt[v].off1 = (uint16_t)(off >> 16);
		idt[v].off2 = (uint32_t)(off >> 32);
		idt[v].reserved = 0;
	}
	struct dtr i = { sizeof idt - 1, (uint64_t)idt };
	load_idt(&i);
}
