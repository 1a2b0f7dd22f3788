/*
 * The user/kernel ABI of the Jettison test guest: system call numbers, the
 * boot-info structure and the fixed addresses programs rely on. Shared by the
 * kernel (kernel/) and user mode (lib/, drivers/, programs/). Documented in
 * guest/README.md; keep both in step.
 */
#ifndef JTS_ABI_H
#define JTS_ABI_H

#include <stdint.h>

/*
 * System calls. User mode enters the kernel with `ud2` followed by a one-byte
 * call number (see lib/syscall.h): on our PVM hosts neither `syscall` nor
 * `int n` from CPL3 reaches the guest kernel, exceptions do. Arguments in
 * rdi, rsi, rdx; result in rax; every other register is preserved.
 */
#define SYS_EXIT        0   /* (code): power off through port 0xF4 */
#define SYS_WRITE       1   /* (buf, len) -> len: console output */
#define SYS_READLINE    2   /* (buf, cap) -> length of one complete input line (no newline), 0 = none yet */
#define SYS_WAIT        3   /* (deadline_tsc, event_mask) -> events (see WAIT_*) */
#define SYS_PORT_IN     4   /* (port, width 1/2/4) -> value, or -1 if the port is not allowed */
#define SYS_PORT_OUT    5   /* (port, width, value) -> 0, or -1 if the port is not allowed */
#define SYS_TSC_KHZ     6   /* () -> TSC frequency in kHz (user mode reads the TSC itself with rdtsc) */
#define SYS_UPTIME_MS   7   /* () -> milliseconds since the kernel calibrated the TSC */
#define SYS_BOOTINFO    8   /* (struct jts_bootinfo *, size) -> bytes copied */
#define SYS_REBOOT      9   /* (): reset through the i8042 (0xFE to port 0x64) */
#define SYS_KSTATS     10   /* (struct jts_kstats *, size) -> bytes copied: kernel counters */
#define SYS_COUNT      11

/* SYS_WAIT: bits 0..15 of the mask/result are devices (index into
 * jts_bootinfo.dev[]) that raised an interrupt since the last wait that
 * returned them; WAIT_CONSOLE = an input line is ready; WAIT_TIMEOUT (result
 * only) = the deadline passed. deadline_tsc 0 = just poll, ~0 = no deadline. */
#define WAIT_CONSOLE    (1u << 31)
#define WAIT_TIMEOUT    (1u << 30)
#define WAIT_DEV(i)     (1u << (i))

#define JTS_MAX_DEVS    16
#define JTS_MAX_E820    32
#define JTS_CMDLINE_MAX 2048

struct jts_pci_dev {
	uint8_t  slot, func;
	uint16_t vendor, device;
	uint16_t subsys;     /* subsystem id: virtio device type (1 = net, 2 = block) */
	uint32_t io;         /* BAR0 I/O base, 0 if BAR0 is not an I/O BAR */
	uint32_t io_size;    /* size of that BAR */
	uint8_t  irq_line;   /* PCI interrupt line register (0 if no interrupt pin) */
	uint8_t  irq_pin;    /* 1 = INTA .. 4 = INTD, 0 = none */
	uint8_t  ioapic_pin; /* IOAPIC input the kernel routed, 0xFF = polled only */
	uint8_t  pad;
};

struct jts_e820 {
	uint64_t addr, size;
	uint32_t type, pad;
};

struct jts_bootinfo {
	uint64_t mem_bytes;     /* sum of the e820 type-1 (usable) entries */
	uint64_t low_ram_end;   /* end of the usable RAM range that contains 1 MiB */
	uint64_t free_start;    /* first byte user mode may use for allocations (after kernel + page tables) */
	uint64_t mapped_end;    /* highest mapped RAM address + 1 */
	uint32_t cpus;
	uint32_t tsc_khz;
	uint32_t hz;            /* timer interrupts per second */
	uint32_t ndev;
	uint32_t ne820;
	uint32_t pad;
	struct jts_pci_dev dev[JTS_MAX_DEVS];
	struct jts_e820 e820[JTS_MAX_E820];
	char cmdline[JTS_CMDLINE_MAX];
};

/* kernel counters, for diagnosis (SYS_KSTATS, the "kstats" command) */
struct jts_kstats {
	uint64_t ticks;                   /* timer interrupts */
	uint64_t syscalls;
	uint64_t irqs[24];                /* interrupts per IOAPIC pin */
	uint64_t dev_irq[JTS_MAX_DEVS];   /* device events found by its interrupt */
	uint64_t dev_polled[JTS_MAX_DEVS];/* device events found by tick polling */
	uint64_t masked_pins;             /* bit p: pin p masked as unclaimed */
};

/*
 * Fixed guest-physical addresses used by the programs (identity mapped).
 * The pattern program's memory region starts at JTS_WORK_BASE; the page just
 * below it holds the memory-pattern header (see programs/pattern.c). The idle
 * program's warm region also starts at JTS_WORK_BASE.
 */
#define JTS_WORK_BASE        0x4000000ull   /* 64 MiB */
#define JTS_PATTERN_MEM_HDR  (JTS_WORK_BASE - 0x1000)

/* Exit codes written to port 0xF4 (QEMU exits with (code << 1) | 1). */
#define JTS_EXIT_OK     0
#define JTS_EXIT_FAIL   1
#define JTS_EXIT_PANIC  3

#endif
