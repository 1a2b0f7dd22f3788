/*
 * PCI configuration mechanism #1, bus 0 only (that's all either machine has).
 * Records every function found, enables I/O decoding and bus mastering for
 * virtio devices, sizes BAR0 and routes each device's INTx to the IOAPIC.
 */
#include "kernel.h"
#include "x86.h"

struct jts_pci_dev pci_devs[JTS_MAX_DEVS];
uint32_t pci_ndev;

static uint32_t cfg_addr(unsigned slot, unsigned func, unsigned off)
{
	return 0x80000000u | (slot << 11) | (func << 8) | (off & 0xFC);
}

static uint32_t cfg_read(unsigned slot, unsigned func, unsigned off)
{
	outl(0xCF8, cfg_addr(slot, func, off));
	return inl(0xCFC);
}

static void cfg_write(unsigned slot, unsigned func, unsigned off, uint32_t v)
{
	outl(0xCF8, cfg_addr(slot, func, off));
	outl(0xCFC, v);
}

static void probe(unsigned slot, unsigned func, uint32_t id)
{
	if (pci_ndev >= JTS_MAX_DEVS)
		return;
	struct jts_pci_dev *d = &pci_devs[pci_ndev++];
	d->slot = (uint8_t)slot;
	d->func = (uint8_t)func;
	d->vendor = (uint16_t)id;
	d->device = (uint16_t)(id >> 16);
	d->subsys = (uint16_t)(cfg_read(slot, func, 0x2C) >> 16);
	uint32_t intr = cfg_read(slot, func, 0x3C);
	d->irq_pin = (uint8_t)(intr >> 8);
	d->irq_line = d->irq_pin ? (uint8_t)intr : 0;
	d->ioapic_pin = 0xFF;

	uint32_t hdr = (cfg_read(slot, func, 0x0C) >> 16) & 0x7F;
	uint32_t bar = hdr == 0 ? cfg_read(slot, func, 0x10) : 0;
	if (bar & 1) {
		/* size the I/O BAR with decoding off, then restore it */
		uint32_t cmd = cfg_read(slot, func, 0x04) & 0xFFFF;
		cfg_write(slot, func, 0x04, cmd & ~3u);
		cfg_write(slot, func, 0x10, 0xFFFFFFFF);
		uint32_t mask = cfg_read(slot, func, 0x10) & 0xFFFC;
		cfg_write(slot, func, 0x10, bar);
		d->io = bar & 0xFFFC;
		d->io_size = (~mask & 0xFFFF) + 1;
		/* a model that doesn't implement sizing: assume docs/machine.md's
		 * 0x100 rather than lock the driver out of its registers */
		if (!mask || (mask | (mask - 1)) != 0xFFFF || d->io_size > 0x1000 || d->io_size < 0x20)
			d->io_size = 0x100;
		if (d->vendor == 0x1AF4)
			cmd |= 0x5;                       /* I/O space + bus master */
		cfg_write(slot, func, 0x04, cmd);
	}
}

void pci_scan(void)
{
	for (unsigned slot = 0; slot < 32; slot++) {
		uint32_t id = cfg_read(slot, 0, 0);
		if ((id & 0xFFFF) == 0xFFFF)
			continue;
		probe(slot, 0, id);
		if (!((cfg_read(slot, 0, 0x0C) >> 16) & 0x80))
			continue;                         /* not multi-function */
		for (unsigned f = 1; f < 8; f++) {
			id = cfg_read(slot, f, 0);
			if ((id & 0xFFFF) != 0xFFFF)
				probe(slot, f, id);
		}
	}
}

/* INTx -> IOAPIC pin: the MP table's entry for (slot, pin) if any, else the
 * interrupt line (our machine: line = GSI = pin; QEMU's PIIX: the ISA IRQ the
 * firmware chose, which is the same GSI). Level-triggered, active high unless
 * the table says otherwise. */
void pci_route_irqs(void)
{
	for (uint32_t i = 0; i < pci_ndev; i++) {
		struct jts_pci_dev *d = &pci_devs[i];
		if (d->vendor != 0x1AF4 || !d->irq_pin || d->irq_pin > 4)
			continue;
		const struct irq_route *r = &mpinfo.pci[d->slot][d->irq_pin - 1];
		unsigned pin = r->valid ? r->pin : d->irq_line;
		if (pin == 0 || pin >= 24)
			continue;                         /* polled only */
		d->ioapic_pin = (uint8_t)pin;
		ioapic_route(pin, VEC_IRQ0 + pin, r->valid ? r->level : 1, r->valid ? r->active_low : 0);
	}
}
