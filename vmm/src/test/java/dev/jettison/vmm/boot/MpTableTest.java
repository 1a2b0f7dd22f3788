package dev.jettison.vmm.boot;

import dev.jettison.vmm.devices.TestMachine;
import dev.jettison.vmm.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Parses the tables back the way a kernel's MP parser reads them. */
class MpTableTest {
    record IoInterrupt(int type, int flags, int bus, int busIrq, int apic, int pin) {}

    static int sum(byte[] b, int from, int length) {
        int s = 0;
        for (int i = from; i < from + length; i++) s += b[i] & 0xFF;
        return s & 0xFF;
    }

    @Test
    void tablesParseBackWithValidChecksumsAndTheMachineRouting() {
        GuestMemory memory = TestMachine.memory(2 << 20);
        int cpus = 4;
        var pci = List.of(new MpTable.PciInterrupt(1, 10), new MpTable.PciInterrupt(2, 11));
        int written = MpTable.write(memory, cpus, pci);

        // A kernel scans 0xF0000..0xFFFFF on 16-byte boundaries for the floating pointer.
        long found = -1;
        for (long a = 0xF0000; a < 0x100000; a += 16) {
            if (memory.readInt(a) == 0x5F504D5F) { // "_MP_"
                found = a;
                break;
            }
        }
        assertEquals(0xF0000, found);
        byte[] fp = memory.read(found, 16);
        assertEquals(0, sum(fp, 0, 16), "floating pointer checksum");
        assertEquals(1, fp[8], "length in paragraphs");
        assertEquals(4, fp[9], "MP 1.4");
        assertEquals(0, fp[11], "a configuration table follows, no default configuration");
        long tableAddr = ByteBuffer.wrap(fp).order(ByteOrder.LITTLE_ENDIAN).getInt(4) & 0xFFFFFFFFL;
        assertEquals(0xF0010, tableAddr);

        ByteBuffer h = ByteBuffer.wrap(memory.read(tableAddr, 44)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("PCMP", new String(memory.read(tableAddr, 4)));
        int length = h.getShort(4) & 0xFFFF;
        assertEquals(written - 16, length);
        byte[] table = memory.read(tableAddr, length);
        assertEquals(0, sum(table, 0, length), "table checksum");
        assertEquals(4, h.get(6));
        assertEquals(0xFEE00000L, h.getInt(36) & 0xFFFFFFFFL);
        int count = h.getShort(34) & 0xFFFF;

        ByteBuffer e = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        int at = 44, processors = 0, ioapicId = -1;
        List<String> buses = new ArrayList<>();
        List<IoInterrupt> io = new ArrayList<>(), local = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int type = e.get(at);
            switch (type) {
                case 0 -> {
                    assertEquals(processors, e.get(at + 1), "LAPIC ids 0..n-1");
                    assertEquals(processors == 0 ? 3 : 1, e.get(at + 3), "enabled; BSP flag on cpu 0 only");
                    processors++;
                    at += 20;
                }
                case 1 -> {
                    buses.add(e.get(at + 1) + ":" + new String(table, at + 2, 6));
                    at += 8;
                }
                case 2 -> {
                    ioapicId = e.get(at + 1);
                    assertEquals(1, e.get(at + 3) & 1, "usable");
                    assertEquals(0xFEC00000L, e.getInt(at + 4) & 0xFFFFFFFFL);
                    at += 8;
                }
                case 3, 4 -> {
                    var entry = new IoInterrupt(e.get(at + 1), e.getShort(at + 2), e.get(at + 4), e.get(at + 5),
                            e.get(at + 6) & 0xFF, e.get(at + 7));
                    (type == 3 ? io : local).add(entry);
                    at += 8;
                }
                default -> throw new AssertionError("unknown entry type " + type + " at " + at);
            }
        }
        assertEquals(length, at, "entries fill the table exactly");
        assertEquals(cpus, processors);
        assertEquals(List.of("0:PCI   ", "1:ISA   "), buses);
        assertEquals(cpus, ioapicId, "IOAPIC id = number of vCPUs");
        assertEquals(16 + 2, io.size());
        for (int irq = 0; irq < 16; irq++) {
            assertEquals(new IoInterrupt(0, 0b0101, 1, irq, cpus, irq == 0 ? 2 : irq), io.get(irq));
        }
        assertEquals(new IoInterrupt(0, 0b1101, 0, 1 << 2, cpus, 10), io.get(16));
        assertEquals(new IoInterrupt(0, 0b1101, 0, 2 << 2, cpus, 11), io.get(17));
        assertEquals(List.of(new IoInterrupt(3, 0, 1, 0, 0xFF, 0), new IoInterrupt(1, 0, 1, 0, 0xFF, 1)), local);
    }

    @Test
    void rejectsImpossibleConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> MpTable.build(0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> MpTable.build(9, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new MpTable.PciInterrupt(1, 24));
        for (int cpus = 1; cpus <= 8; cpus++) {
            byte[] image = MpTable.build(cpus, List.of(new MpTable.PciInterrupt(1, 10)));
            assertEquals(0, sum(image, 0, 16));
            assertEquals(0, sum(image, 16, image.length - 16));
        }
    }
}
