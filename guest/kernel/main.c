/*
 * Kernel main: bring the machine up in a fixed order, print the JTS boot
 * lines the tests parse, and drop to the user-mode program runner. After
 * this the kernel only runs on traps, interrupts and system calls.
 */
#include "kernel.h"
#include "x86.h"

extern char __user_end[];
extern uint8_t ustack_top[];          /* lib/start.S */
void _ustart(void);                   /* lib/start.S: user-mode entry */

static void print_cmdline(void)
{
	early_puts("JTS:CMDLINE ");
	for (const char *p = kboot.cmdline; *p; p++)
		uart_putc(*p == '\n' || *p == '\r' ? ' ' : *p);
	uart_putc('\n');
}

void kmain(const uint8_t *zp)
{
	uart_init();
	cpu_init();                       /* from here on faults print JTS:PANIC */
	boot_parse(zp);
	mp_init();
	kprintf("JTS:BOOT cpus=%u mem_mib=%lu\n", mpinfo.cpus, kboot.mem_bytes >> 20);
	print_cmdline();

	paging_init();
	pic_disable();
	lapic_init();
	timer_calibrate();
	kprintf("JTS:TSC khz=%u\n", tsc_khz);

	ioapic_init();
	pci_scan();
	pci_route_irqs();
	for (uint32_t i = 0; i < pci_ndev; i++) {
		const struct jts_pci_dev *d = &pci_devs[i];
		if (d->func)
			kprintf("JTS:PCI %u.%u %04x:%04x io=%x irq=%u\n", d->slot, d->func,
				d->vendor, d->device, d->io, d->irq_line);
		else
			kprintf("JTS:PCI %u %04x:%04x io=%x irq=%u\n", d->slot,
				d->vendor, d->device, d->io, d->irq_line);
	}
	kprintf("JTS:INFO ioapic=0x%x irq_source=%s free_start=0x%lx hz=%u\n",
		mpinfo.ioapic_addr, mpinfo.source, paging_free_start, HZ);
	timer_start();
	enter_user((uint64_t)_ustart, (uint64_t)ustack_top);
}
