package dev.jettison.vmm.devices.pci;

import dev.jettison.vmm.devices.DeviceSet;
import dev.jettison.vmm.devices.IoBus;
import dev.jettison.vmm.devices.TestMachine;
import dev.jettison.vmm.devices.serial.ConsoleSink;
import dev.jettison.vmm.devices.virtio.InMemoryNetBackend;
import dev.jettison.vmm.devices.virtio.VirtioBlock;
import dev.jettison.vmm.devices.virtio.VirtioNet;
import dev.jettison.vmm.devices.virtio.testing.MemoryBlockBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Enumerates bus 0 the way a kernel does: only through ports 0xCF8/0xCFC. */
class PciBusTest {
    private final TestMachine machine = new TestMachine();
    private final IoBus io = new IoBus();

    PciBusTest() {
        DeviceSet.create(io, TestMachine.memory(1 << 20), machine::line, machine, ConsoleSink.discard(),
                List.of(new VirtioBlock(new MemoryBlockBackend(64, false), "disk0"),
                        new VirtioNet(new InMemoryNetBackend(), new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56})));
    }

    private int config(int bus, int slot, int fn, int reg, int size) {
        io.write(0xCF8, 4, 0x8000_0000 | bus << 16 | slot << 11 | fn << 8 | (reg & 0xFC));
        return io.read(0xCFC + (reg & 3), size);
    }

    private void configWrite(int slot, int reg, int size, int value) {
        io.write(0xCF8, 4, 0x8000_0000 | slot << 11 | (reg & 0xFC));
        io.write(0xCFC + (reg & 3), size, value);
    }

    @Test
    void enumerationFindsHostBridgeAndVirtioDevices() {
        Map<Integer, Integer> found = new TreeMap<>();
        for (int slot = 0; slot < 32; slot++) {
            int id = config(0, slot, 0, 0, 4);
            if (id != 0xFFFF_FFFF) found.put(slot, id);
        }
        assertEquals(Map.of(0, 0x1237_8086, 1, 0x1001_1AF4, 2, 0x1000_1AF4), found);
        assertEquals(0x0600_0000, config(0, 0, 0, 0x08, 4) & 0xFFFF_FF00, "host bridge class");
        assertEquals(0x0002_1AF4, config(0, 1, 0, 0x2C, 4), "block: subsystem 2");
        assertEquals(0x0001_1AF4, config(0, 2, 0, 0x2C, 4), "net: subsystem 1");
        assertEquals(0x0100_0000, config(0, 1, 0, 0x08, 4) & 0xFFFF_FF00);
        assertEquals(0x0200_0000, config(0, 2, 0, 0x08, 4) & 0xFFFF_FF00);
        assertEquals(0, config(0, 1, 0, 0x0E, 1), "type-0 header, single function");
        assertEquals(0xFFFF_FFFF, config(0, 1, 1, 0, 4), "function 1 absent");
        assertEquals(0xFFFF_FFFF, config(1, 0, 0, 0, 4), "bus 1 absent");
    }

    @Test
    void dataWindowTakesAnySizeAtAnyOffset() {
        assertEquals(0x1001, config(0, 1, 0, 0x02, 2), "device id via 16-bit read at 0xCFE");
        assertEquals(0x1A, config(0, 1, 0, 0x01, 1));
        assertEquals(0x10, config(0, 1, 0, 0x03, 1));
        io.write(0xCF8, 4, 0x8000_0800);
        assertEquals(0x8000_0800, io.read(0xCF8, 4), "address register reads back");
        io.write(0xCF8, 4, 0x0000_0800);
        assertEquals(0xFFFF_FFFF, io.read(0xCFC, 4), "enable bit clear: nothing answers");
    }

    @Test
    void bar0IsAPreassignedIoBarThatSizesButDoesNotMove() {
        assertEquals(0xC001, config(0, 1, 0, 0x10, 4));
        assertEquals(0xC101, config(0, 2, 0, 0x10, 4));
        configWrite(1, 0x10, 4, 0xFFFF_FFFF);
        int probe = config(0, 1, 0, 0x10, 4);
        assertEquals(1, probe & 1, "I/O BAR");
        assertEquals(0x100, (~(probe & ~3) + 1) & 0xFFFF, "size 0x100");
        configWrite(1, 0x10, 4, 0xC001);
        assertEquals(0xC001, config(0, 1, 0, 0x10, 4));
        configWrite(1, 0x10, 4, 0xD001);
        assertEquals(0xC001, config(0, 1, 0, 0x10, 4), "move ignored");
        configWrite(1, 0x14, 4, 0xFFFF_FFFF);
        assertEquals(0, config(0, 1, 0, 0x14, 4), "unimplemented BAR sizes to nothing");
    }

    @Test
    void interruptLineIsTheGsiAndIdentityIsReadOnly() {
        assertEquals(10, config(0, 1, 0, 0x3C, 1));
        assertEquals(11, config(0, 2, 0, 0x3C, 1));
        assertEquals(1, config(0, 1, 0, 0x3D, 1), "INTA");
        assertEquals(0, config(0, 0, 0, 0x3D, 1), "host bridge has no interrupt");
        assertEquals(1, config(0, 1, 0, 0x04, 2) & 1, "I/O decoding enabled without firmware");
        configWrite(1, 0x00, 4, 0);
        assertEquals(0x1001_1AF4, config(0, 1, 0, 0, 4));
        configWrite(1, 0x04, 2, 0x0007);
        assertEquals(0x0007, config(0, 1, 0, 0x04, 2));
    }
}
