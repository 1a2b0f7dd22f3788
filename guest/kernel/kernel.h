/* Kernel-wide declarations. Each kernel/ file does one job; this header is
 * the list of what they offer each other. */
#ifndef JTS_KERNEL_H
#define JTS_KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include "jts_abi.h"

#define HZ 100                 /* LAPIC timer ticks per second */
#define VEC_TIMER   0x20
#define VEC_IRQ0    0x30       /* IOAPIC pin p -> vector VEC_IRQ0 + p */
#define VEC_SPURIOUS 0xFF
#define KSTACK_SIZE 16384

/* GDT selectors. Kernel code/data are 0x10/0x18 like the Linux 64-bit boot
 * protocol's __BOOT_CS/__BOOT_DS, so loading our GDT never needs a far
 * jump or far return to reload CS (instructions the PVM emulator may lack). */
#define SEL_KCODE 0x10
#define SEL_KDATA 0x18
#define SEL_UDATA 0x23
#define SEL_UCODE 0x2B
#define SEL_TSS   0x30

/* boot.c: what the boot loader told us, normalised */
struct kboot {
	uint64_t mem_bytes, low_ram_end, mapped_end;
	uint32_t ne820;
	struct jts_e820 e820[JTS_MAX_E820];
	char cmdline[JTS_CMDLINE_MAX];
	uint64_t acpi_rsdp;
};
extern struct kboot kboot;
void boot_parse(const uint8_t *zp);

/* uart.c */
void uart_init(void);
void uart_putc(char c);
void uart_write(const char *s, size_t n);
void uart_poll_rx(void);                  /* drain received bytes into the line buffer */
int  uart_line_ready(void);
size_t uart_read_line(char *buf, size_t cap);
void early_puts(const char *s);           /* before uart_init / without .bss */

/* console.c */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kpanic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void machine_exit(int code) __attribute__((noreturn));
void machine_reboot(void) __attribute__((noreturn));

/* cpu.c: GDT, TSS, IDT */
void cpu_init(void);
void enter_user(uint64_t rip, uint64_t rsp) __attribute__((noreturn));
/* enable interrupts and halt until one has been handled; returns with
 * interrupts disabled (entry.S: never returns from an interrupt to CPL0
 * with iretq) */
void cpu_idle(void);
extern uint8_t kstack_top[];

/* trap.c */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
void trap_dispatch(struct trapframe *tf);

/* syscall.c */
void syscall_dispatch(struct trapframe *tf, unsigned nr);
int  uaccess_ok(uint64_t p, uint64_t len);

/* paging.c */
void paging_init(void);
extern uint64_t paging_free_start;
extern uint64_t kernel_ranges[2][2];     /* supervisor-only ranges */

/* mp.c: MP table / ACPI MADT */
struct irq_route { uint8_t pin, level, active_low, valid; };
struct mpinfo {
	uint32_t cpus;
	uint32_t ioapic_addr;
	const char *source;                   /* "mptable", "acpi" or "default" */
	struct irq_route isa[16];
	struct irq_route pci[32][4];          /* [slot][INTA..INTD] */
};
extern struct mpinfo mpinfo;
void mp_init(void);

/* lapic.c: local APIC, PIT calibration, timer */
extern uint32_t tsc_khz;
extern uint64_t tsc_boot;
void lapic_init(void);
void timer_calibrate(void);
void timer_start(void);
void lapic_eoi(void);
uint32_t lapic_id(void);

/* irq.c: 8259 masking, IOAPIC routing, device events */
void pic_disable(void);
void ioapic_init(void);
void ioapic_route(unsigned pin, unsigned vector, int level, int active_low);
void ioapic_mask(unsigned pin);
void irq_timer(void);
void irq_pin(unsigned pin);
extern volatile uint32_t dev_pending;
extern struct jts_kstats kstats;

/* pci.c */
extern struct jts_pci_dev pci_devs[JTS_MAX_DEVS];
extern uint32_t pci_ndev;
void pci_scan(void);
void pci_route_irqs(void);

#endif
