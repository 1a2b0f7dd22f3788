package dev.jettison.vmm.boot;

import dev.jettison.vmm.memory.GuestMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The Intel MultiProcessor Specification 1.4 tables that tell a firmware-less guest its CPUs,
 * buses, IOAPIC and interrupt routing (docs/machine.md, "MP table"): the floating pointer at
 * 0xF0000 and the configuration table right after it.
 */
public final class MpTable {
    public static final long ADDRESS = 0xF0000;
    /** The table must stay inside the reserved BIOS area below 1 MiB. */
    public static final long LIMIT = 0x100000;
    public static final int FLOATING_POINTER_BYTES = 16, HEADER_BYTES = 44;
    public static final long LAPIC_ADDRESS = 0xFEE00000L, IOAPIC_ADDRESS = 0xFEC00000L;
    public static final int MAX_CPUS = 8, ISA_IRQS = 16;
    public static final int PCI_BUS = 0, ISA_BUS = 1;
    public static final int SPEC_REV_1_4 = 4;

    // Entry types and their sizes.
    public static final int PROCESSOR = 0, BUS = 1, IOAPIC = 2, IO_INTERRUPT = 3, LOCAL_INTERRUPT = 4;
    static final int PROCESSOR_BYTES = 20, OTHER_ENTRY_BYTES = 8;

    public static final int INT_TYPE_INT = 0, INT_TYPE_NMI = 1, INT_TYPE_EXTINT = 3;
    /** Interrupt flags: polarity in bits 0-1, trigger mode in bits 2-3 (01 = high/edge, 11 = low/level). */
    public static final int FLAGS_EDGE_HIGH = 0b0101, FLAGS_LEVEL_HIGH = 0b1101, FLAGS_CONFORMING = 0;
    /** The version KVM's in-kernel LAPIC and IOAPIC report. */
    static final int LAPIC_VERSION = 0x14, IOAPIC_VERSION = 0x11;
    static final int CPU_ENABLED = 1, CPU_BSP = 2;
    /** Family 6 signature and FPU|APIC feature flags: what Linux expects of a CPU it will not inspect here. */
    static final int CPU_SIGNATURE = 0x600, CPU_FEATURES = 0x201;
    static final int ALL_LAPICS = 0xFF;

    /** A PCI slot's INTA and the IOAPIC pin (GSI) it is wired to. */
    public record PciInterrupt(int slot, int gsi) {
        public PciInterrupt {
            if (slot < 0 || slot > 31) throw new IllegalArgumentException("PCI slot " + slot);
            if (gsi < 0 || gsi > 23) throw new IllegalArgumentException("GSI " + gsi + " is not an IOAPIC pin");
        }
    }

    private MpTable() {}

    /** The IOAPIC's MP id: the first id after the CPUs' LAPIC ids 0..n-1. */
    public static int ioapicId(int cpus) { return cpus; }

    /** Writes both structures into guest RAM; returns the number of bytes written from {@link #ADDRESS}. */
    public static int write(GuestMemory memory, int cpus, List<PciInterrupt> pci) {
        byte[] image = build(cpus, pci);
        memory.write(ADDRESS, image);
        return image.length;
    }

    /** The floating pointer followed by the configuration table, as they sit from {@link #ADDRESS}. */
    public static byte[] build(int cpus, List<PciInterrupt> pci) {
        if (cpus < 1 || cpus > MAX_CPUS) throw new IllegalArgumentException("1.." + MAX_CPUS + " vCPUs, not " + cpus);
        int entries = cpus + 2 + 1 + ISA_IRQS + pci.size() + 2;
        int tableBytes = HEADER_BYTES + cpus * PROCESSOR_BYTES + (entries - cpus) * OTHER_ENTRY_BYTES;
        if (ADDRESS + FLOATING_POINTER_BYTES + tableBytes > LIMIT) {
            throw new IllegalArgumentException("MP table of " + tableBytes + " bytes does not fit below 1 MiB");
        }
        ByteBuffer b = ByteBuffer.allocate(FLOATING_POINTER_BYTES + tableBytes).order(ByteOrder.LITTLE_ENDIAN);
        long tableAddress = ADDRESS + FLOATING_POINTER_BYTES;

        // Floating pointer: feature byte 1 = 0 says "a configuration table exists", IMCR absent (virtual wire).
        b.put(ascii("_MP_", 4)).putInt((int) tableAddress).put((byte) 1).put((byte) SPEC_REV_1_4)
                .put((byte) 0).put(new byte[5]);
        b.put(10, checksumByte(b.array(), 0, FLOATING_POINTER_BYTES));

        int t = FLOATING_POINTER_BYTES;
        b.position(t);
        b.put(ascii("PCMP", 4)).putShort((short) tableBytes).put((byte) SPEC_REV_1_4).put((byte) 0)
                .put(ascii("JETTISON", 8)).put(ascii("JETTISON-PC", 12))
                .putInt(0).putShort((short) 0).putShort((short) entries).putInt((int) LAPIC_ADDRESS)
                .putShort((short) 0).put((byte) 0).put((byte) 0);

        for (int cpu = 0; cpu < cpus; cpu++) {
            b.put((byte) PROCESSOR).put((byte) cpu).put((byte) LAPIC_VERSION)
                    .put((byte) (CPU_ENABLED | (cpu == 0 ? CPU_BSP : 0)))
                    .putInt(CPU_SIGNATURE).putInt(CPU_FEATURES).put(new byte[8]);
        }
        b.put((byte) BUS).put((byte) PCI_BUS).put(ascii("PCI", 6));
        b.put((byte) BUS).put((byte) ISA_BUS).put(ascii("ISA", 6));
        int ioapic = ioapicId(cpus);
        b.put((byte) IOAPIC).put((byte) ioapic).put((byte) IOAPIC_VERSION).put((byte) 1).putInt((int) IOAPIC_ADDRESS);
        for (int irq = 0; irq < ISA_IRQS; irq++) {
            // The PIT's IRQ 0 arrives on IOAPIC pin 2 (the pin the 8259 cascade would use), as on every PC.
            interrupt(b, IO_INTERRUPT, INT_TYPE_INT, FLAGS_EDGE_HIGH, ISA_BUS, irq, ioapic, irq == 0 ? 2 : irq);
        }
        for (var p : pci) {
            // Source IRQ for PCI: device number in bits 2-6, pin (0 = INTA) in bits 0-1.
            interrupt(b, IO_INTERRUPT, INT_TYPE_INT, FLAGS_LEVEL_HIGH, PCI_BUS, p.slot() << 2, ioapic, p.gsi());
        }
        interrupt(b, LOCAL_INTERRUPT, INT_TYPE_EXTINT, FLAGS_CONFORMING, ISA_BUS, 0, ALL_LAPICS, 0);
        interrupt(b, LOCAL_INTERRUPT, INT_TYPE_NMI, FLAGS_CONFORMING, ISA_BUS, 0, ALL_LAPICS, 1);
        if (b.position() != b.capacity()) throw new IllegalStateException("MP table size mismatch");
        b.put(t + 7, checksumByte(b.array(), t, tableBytes));
        return b.array();
    }

    private static void interrupt(ByteBuffer b, int entry, int type, int flags, int bus, int busIrq, int apic, int pin) {
        b.put((byte) entry).put((byte) type).putShort((short) flags).put((byte) bus).put((byte) busIrq)
                .put((byte) apic).put((byte) pin);
    }

    /** Space-padded ASCII, the way MP tables spell names. */
    private static byte[] ascii(String s, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) ' ');
        byte[] src = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(src, 0, out, 0, Math.min(src.length, length));
        return out;
    }

    /** The byte that makes {@code length} bytes from {@code from} sum to zero (its own slot must hold 0). */
    static byte checksumByte(byte[] data, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i++) sum += data[i];
        return (byte) -sum;
    }
}
