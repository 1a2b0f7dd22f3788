package dev.jettison.vmm.devices.pci;

import dev.jettison.vmm.devices.IoDevice;

import java.util.Map;
import java.util.TreeMap;

/**
 * PCI bus 0 behind configuration mechanism #1: a 32-bit address register at 0xCF8 (enable bit,
 * bus, device, function, register) and a data window at 0xCFC..0xCFF that accepts any size at
 * any offset. Only function 0 of bus 0 exists; everything else reads all ones, which is how a
 * guest learns a slot is empty.
 */
public final class PciBus implements IoDevice {
    public static final int CONFIG_ADDRESS_PORT = 0xCF8, PORT_COUNT = 8, SLOTS = 32;
    private static final int DATA_OFFSET = 4;
    private static final int ENABLE = 0x8000_0000;

    private final Map<Integer, PciDevice> slots = new TreeMap<>();
    private int address;

    public synchronized void attach(int slot, PciDevice device) {
        if (slot < 0 || slot >= SLOTS) throw new IllegalArgumentException("PCI slot " + slot);
        if (slots.containsKey(slot)) {
            throw new IllegalArgumentException("PCI slot " + slot + " already holds " + slots.get(slot));
        }
        slots.put(slot, device);
    }

    public synchronized PciDevice device(int slot) { return slots.get(slot); }

    public synchronized Map<Integer, PciDevice> devices() { return Map.copyOf(slots); }

    @Override
    public synchronized int read(int offset, int size) {
        if (offset < DATA_OFFSET) {
            // Only a dword access at 0xCF8 is the address register; byte ports there belong to other mechanisms.
            return offset == 0 && size == 4 ? address : ones(size);
        }
        PciDevice dev = target();
        if (dev == null) return ones(size);
        int reg = (address & 0xFC) + (offset - DATA_OFFSET);
        if (reg + size > PciDevice.CONFIG_SIZE) return ones(size);
        return dev.readConfig(reg, size);
    }

    @Override
    public synchronized void write(int offset, int size, int value) {
        if (offset < DATA_OFFSET) {
            if (offset == 0 && size == 4) address = value & 0x80FF_FFFC;
            return;
        }
        PciDevice dev = target();
        if (dev == null) return;
        int reg = (address & 0xFC) + (offset - DATA_OFFSET);
        if (reg + size > PciDevice.CONFIG_SIZE) return;
        dev.writeConfig(reg, size, value);
    }

    private PciDevice target() {
        if ((address & ENABLE) == 0) return null;
        int bus = (address >>> 16) & 0xFF, slot = (address >>> 11) & 0x1F, function = (address >>> 8) & 0x7;
        if (bus != 0 || function != 0) return null;
        return slots.get(slot);
    }

    private static int ones(int size) { return size == 4 ? -1 : (1 << (8 * size)) - 1; }
}
