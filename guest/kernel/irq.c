/*
 * Interrupt plumbing: the 8259s are masked, device interrupts go through the
 * IOAPIC. The kernel's only device work in an IRQ is to read a virtio
 * device's ISR register (which lowers its level-triggered line) and remember
 * the device as pending for SYS_WAIT; the drivers themselves run in user
 * mode. Every timer tick also polls the UART and, until a device's interrupt
 * has been seen to work, the device's ISR: routing differs between our VMM
 * and QEMU, and polling keeps both working.
 */
#include "kernel.h"
#include "x86.h"

#define IOREGSEL 0x00
#define IOWIN    0x10
#define UNCLAIMED_LIMIT 1000     /* consecutive unclaimed IRQs before a pin is masked */

volatile uint32_t dev_pending;
struct jts_kstats kstats;
static uint32_t ioapic_pins;
static uint32_t unclaimed[24];
static uint8_t dev_irq_seen[JTS_MAX_DEVS];

static uint32_t io_read(uint32_t reg)
{
	mmio_write32(mpinfo.ioapic_addr + IOREGSEL, reg);
	return mmio_read32(mpinfo.ioapic_addr + IOWIN);
}

static void io_write(uint32_t reg, uint32_t v)
{
	mmio_write32(mpinfo.ioapic_addr + IOREGSEL, reg);
	mmio_write32(mpinfo.ioapic_addr + IOWIN, v);
}

void pic_disable(void)
{
	/* remap to 0x20/0x28 first so a stray 8259 vector can't look like an
	 * exception, then mask every line */
	outb(0x20, 0x11); outb(0xA0, 0x11);
	outb(0x21, 0x20); outb(0xA1, 0x28);
	outb(0x21, 0x04); outb(0xA1, 0x02);
	outb(0x21, 0x01); outb(0xA1, 0x01);
	outb(0x21, 0xFF); outb(0xA1, 0xFF);
}

void ioapic_mask(unsigned pin)
{
	if (pin < ioapic_pins)
		io_write(0x10 + 2 * pin, io_read(0x10 + 2 * pin) | (1u << 16));
}

void ioapic_route(unsigned pin, unsigned vector, int level, int active_low)
{
	if (pin >= ioapic_pins)
		return;
	io_write(0x11 + 2 * pin, lapic_id() << 24);
	io_write(0x10 + 2 * pin, vector | (level ? 1u << 15 : 0) | (active_low ? 1u << 13 : 0));
}

void ioapic_init(void)
{
	ioapic_pins = ((io_read(1) >> 16) & 0xFF) + 1;
	if (ioapic_pins > 24)
		ioapic_pins = 24;
	for (unsigned p = 0; p < ioapic_pins; p++)
		io_write(0x10 + 2 * p, 1u << 16);
	/* COM1: ISA IRQ 4, edge, active high unless the MP table/MADT says otherwise */
	const struct irq_route *r = &mpinfo.isa[4];
	unsigned pin = r->valid ? r->pin : 4;
	ioapic_route(pin, VEC_IRQ0 + pin, r->valid && r->level, r->valid && r->active_low);
}

/* read ISR of virtio device d; returns nonzero if it had something */
static int poll_dev(uint32_t d, uint64_t *counter)
{
	const struct jts_pci_dev *p = &pci_devs[d];
	if (p->vendor != 0x1AF4 || !p->io)
		return 0;
	uint8_t isr = inb((uint16_t)(p->io + 0x13));
	if (isr & 3) {
		dev_pending |= 1u << d;
		counter[d]++;
		return 1;
	}
	return 0;
}

void irq_pin(unsigned pin)
{
	int claimed = 0;
	kstats.irqs[pin]++;
	for (uint32_t d = 0; d < pci_ndev; d++) {
		if (pci_devs[d].ioapic_pin == pin && poll_dev(d, kstats.dev_irq)) {
			dev_irq_seen[d] = 1;
			claimed = 1;
		}
	}
	const struct irq_route *r = &mpinfo.isa[4];
	if (pin == (r->valid ? r->pin : 4u)) {
		uart_poll_rx();
		claimed = 1;
	}
	if (claimed) {
		unclaimed[pin] = 0;
	} else if (++unclaimed[pin] == UNCLAIMED_LIMIT) {
		/* a line nobody claims (e.g. wrong polarity) would storm: mask it
		 * and rely on the timer's polling */
		ioapic_mask(pin);
		kstats.masked_pins |= 1ull << pin;
		for (uint32_t d = 0; d < pci_ndev; d++) {
			if (pci_devs[d].ioapic_pin == pin) {
				pci_devs[d].ioapic_pin = 0xFF;
				dev_irq_seen[d] = 0;
			}
		}
		kprintf("JTS:WARN irq pin %u masked after %u unclaimed interrupts, polling instead\n",
			pin, UNCLAIMED_LIMIT);
	}
}

void irq_timer(void)
{
	kstats.ticks++;
	uart_poll_rx();
	for (uint32_t d = 0; d < pci_ndev; d++)
		if (!dev_irq_seen[d])
			poll_dev(d, kstats.dev_polled);
}
