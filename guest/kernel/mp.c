/*
 * How many CPUs, where the IOAPIC is, and how interrupts are routed: from the
 * Intel MP table (our VMM, kvmtool-style), else from the ACPI MADT (QEMU's
 * PVH boot), else one CPU and the PC defaults. Runs on the boot page tables,
 * which map the first 4 GiB.
 */
#include "kernel.h"

struct mpinfo mpinfo;

static int sum8(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s += p[i];
	return s;
}

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* a pointer to a fixed physical address, laundered so gcc doesn't treat
 * small constants as out-of-bounds null-page accesses */
static const uint8_t *phys(uint64_t a)
{
	__asm__("" : "+r"(a));
	return (const uint8_t *)a;
}

static const uint8_t *scan(uint64_t from, uint64_t to, uint32_t sig32, uint32_t sig32b)
{
	for (uint64_t a = from; a < to; a += 16) {
		const uint8_t *p = phys(a);
		if (rd32(p) == sig32 && (!sig32b || rd32(p + 4) == sig32b))
			return p;
	}
	return 0;
}

/* MP table, Intel MultiProcessor Specification 1.4 */
static int parse_mptable(void)
{
	const uint8_t *fp = scan(0xF0000, 0x100000, 0x5F504D5F /* "_MP_" */, 0);
	if (!fp) {
		uint64_t ebda = (uint64_t)rd16(phys(0x40E)) << 4;
		if (ebda >= 0x80000 && ebda < 0xA0000)
			fp = scan(ebda, ebda + 1024, 0x5F504D5F, 0);
	}
	if (!fp || sum8(fp, 16) != 0)
		return 0;
	const uint8_t *ct = (const uint8_t *)(uint64_t)rd32(fp + 4);
	if (!ct || rd32(ct) != 0x504D4350 /* "PCMP" */)
		return 0;
	uint16_t count = rd16(ct + 34);
	const uint8_t *e = ct + 44, *end = ct + rd16(ct + 4);
	int pci_bus = -1, isa_bus = -1;
	uint32_t cpus = 0;
	/* first pass: processors, buses, IOAPIC */
	for (uint16_t i = 0; i < count && e < end; i++) {
		switch (e[0]) {
		case 0:
			if (e[3] & 1)
				cpus++;
			e += 20;
			break;
		case 1:
			if (e[2] == 'P' && e[3] == 'C' && e[4] == 'I')
				pci_bus = e[1];
			else if (e[2] == 'I' && e[3] == 'S' && e[4] == 'A')
				isa_bus = e[1];
			e += 8;
			break;
		case 2:
			if (e[3] & 1)
				mpinfo.ioapic_addr = rd32(e + 4);
			e += 8;
			break;
		default:
			e += 8;
		}
	}
	/* second pass: I/O interrupt assignments */
	e = ct + 44;
	for (uint16_t i = 0; i < count && e < end; i++) {
		if (e[0] == 0) {
			e += 20;
			continue;
		}
		if (e[0] == 3 && e[1] == 0 /* INT */) {
			uint16_t flags = rd16(e + 2);
			uint8_t bus = e[4], src = e[5], pin = e[7];
			unsigned po = flags & 3, el = (flags >> 2) & 3;
			if (bus == pci_bus) {
				struct irq_route *r = &mpinfo.pci[(src >> 2) & 31][src & 3];
				r->pin = pin;
				r->active_low = po == 3 || po == 0;   /* PCI default: active low */
				r->level = el == 3 || el == 0;       /* PCI default: level */
				r->valid = 1;
			} else if (bus == isa_bus && src < 16) {
				struct irq_route *r = &mpinfo.isa[src];
				r->pin = pin;
				r->active_low = po == 3;
				r->level = el == 3;
				r->valid = 1;
			}
		}
		e += 8;
	}
	mpinfo.cpus = cpus ? cpus : 1;
	mpinfo.source = "mptable";
	return 1;
}

/* ACPI: RSDP -> RSDT/XSDT -> MADT ("APIC") */
static const uint8_t *find_rsdp(void)
{
	if (kboot.acpi_rsdp && kboot.acpi_rsdp < 0x100000000ull)
		return (const uint8_t *)kboot.acpi_rsdp;
	const uint8_t *p = scan(0xE0000, 0x100000, 0x20445352 /* "RSD " */, 0x20525450 /* "PTR " */);
	if (!p) {
		uint64_t ebda = (uint64_t)rd16(phys(0x40E)) << 4;
		if (ebda >= 0x80000 && ebda < 0xA0000)
			p = scan(ebda, ebda + 1024, 0x20445352, 0x20525450);
	}
	return p;
}

static void parse_madt(const uint8_t *t)
{
	uint32_t len = rd32(t + 4), cpus = 0;
	mpinfo.ioapic_addr = 0;
	for (const uint8_t *e = t + 44; e + 2 <= t + len && e[1] >= 2; e += e[1]) {
		if (e[0] == 0 && (rd32(e + 4) & 1))              /* processor local APIC, enabled */
			cpus++;
		else if (e[0] == 9 && (rd32(e + 8) & 1))         /* local x2APIC, enabled */
			cpus++;
		else if (e[0] == 1 && !mpinfo.ioapic_addr)       /* IOAPIC */
			mpinfo.ioapic_addr = rd32(e + 4);
		else if (e[0] == 2 && e[2] == 0 && e[3] < 16) {  /* interrupt source override */
			uint16_t flags = rd16(e + 8);
			struct irq_route *r = &mpinfo.isa[e[3]];
			r->pin = (uint8_t)rd32(e + 4);
			r->active_low = (flags & 3) == 3;
			r->level = ((flags >> 2) & 3) == 3;
			r->valid = 1;
		}
	}
	if (!mpinfo.ioapic_addr)
		mpinfo.ioapic_addr = 0xFEC00000;
	mpinfo.cpus = cpus ? cpus : 1;
	mpinfo.source = "acpi";
}

static int parse_acpi(void)
{
	const uint8_t *rsdp = find_rsdp();
	if (!rsdp || sum8(rsdp, 20) != 0)
		return 0;
	int xsdt = rsdp[15] >= 2 && rd32(rsdp + 24 + 4) == 0 && rd32(rsdp + 24);
	const uint8_t *sdt = (const uint8_t *)(uint64_t)(xsdt ? rd32(rsdp + 24) : rd32(rsdp + 16));
	if (!sdt)
		return 0;
	uint32_t len = rd32(sdt + 4), step = xsdt ? 8 : 4;
	for (uint32_t off = 36; off + step <= len; off += step) {
		if (xsdt && rd32(sdt + off + 4))
			continue;                             /* above 4 GiB: not mapped yet */
		const uint8_t *t = (const uint8_t *)(uint64_t)rd32(sdt + off);
		if (t && rd32(t) == 0x43495041 /* "APIC" */) {
			parse_madt(t);
			return 1;
		}
	}
	return 0;
}

/*
 * The MP table gives PCI interrupt routing; the MADT, where a firmware made
 * one, is the better CPU count (SeaBIOS's MP table lists one CPU per
 * package). Our VMM has only the MP table. The legacy areas are scanned for
 * an RSDP only when there is no MP table, so our machine never reads its
 * unbacked 0xE0000 segment.
 */
void mp_init(void)
{
	mpinfo.ioapic_addr = 0xFEC00000;
	int have_mp = parse_mptable();
	if (have_mp && !kboot.acpi_rsdp)
		return;
	struct mpinfo saved = mpinfo;
	if (parse_acpi()) {
		if (have_mp) {
			saved.cpus = mpinfo.cpus;
			saved.source = "mptable+acpi";
			mpinfo = saved;           /* keep the MP table's routing */
		}
		return;
	}
	if (have_mp)
		return;
	mpinfo.cpus = 1;
	mpinfo.source = "default";
}
