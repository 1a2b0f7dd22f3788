package dev.jettison.vmm.devices.pci;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * One PCI function's 256-byte type-0 configuration space. Writes pass through a per-byte mask,
 * so identity, class and status stay what the VMM set. BARs are assigned by the VMM before the
 * guest runs (there is no firmware) and never move: sizing them works, any other value written
 * is logged and ignored, because the device behind the BAR is already mapped on the bus.
 */
public class PciDevice {
    private static final Logger LOG = LoggerFactory.getLogger(PciDevice.class);

    public static final int CONFIG_SIZE = 256;
    public static final int VENDOR_ID = 0x00, DEVICE_ID = 0x02, COMMAND = 0x04, STATUS = 0x06, REVISION = 0x08,
            CLASS_PROG = 0x09, CACHE_LINE = 0x0C, LATENCY = 0x0D, HEADER_TYPE = 0x0E, BAR0 = 0x10,
            SUBSYSTEM_VENDOR = 0x2C, SUBSYSTEM_ID = 0x2E, ROM_BAR = 0x30, INTERRUPT_LINE = 0x3C, INTERRUPT_PIN = 0x3D;
    public static final int BAR_COUNT = 6;
    public static final int COMMAND_IO = 0x1, COMMAND_MEMORY = 0x2, COMMAND_MASTER = 0x4, COMMAND_INTX_DISABLE = 0x400;
    /** Command bits a guest may change: I/O, memory, bus master, parity, SERR, INTx disable. */
    private static final int COMMAND_WRITABLE = 0x0547;
    static final int BAR_IO = 0x1;

    private record Bar(int base, int size, boolean io) {
        int typeBits() { return io ? BAR_IO : 0; }

        int addressMask() { return ~(size - 1); }
    }

    /** Configuration state the guest can change, for the migration descriptor. */
    public record State(byte[] config, int sizingBars) {
        public State {
            config = config.clone();
        }

        @Override
        public byte[] config() { return config.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && sizingBars == s.sizingBars && Arrays.equals(config, s.config);
        }

        @Override
        public int hashCode() { return 31 * Arrays.hashCode(config) + sizingBars; }
    }

    private final String name;
    private final byte[] config = new byte[CONFIG_SIZE];
    private final byte[] writable = new byte[CONFIG_SIZE];
    private final Bar[] bars = new Bar[BAR_COUNT];
    /** Bit i set: BAR i was written all ones and reads back its size mask. */
    private int sizingBars;
    private int reportedMoves;

    public PciDevice(String name, int vendorId, int deviceId, int classCode, int revision,
                     int subsystemVendorId, int subsystemId) {
        this.name = name;
        put(VENDOR_ID, 2, vendorId);
        put(DEVICE_ID, 2, deviceId);
        put(REVISION, 1, revision);
        put(CLASS_PROG, 3, classCode);
        put(SUBSYSTEM_VENDOR, 2, subsystemVendorId);
        put(SUBSYSTEM_ID, 2, subsystemId);
        mask(COMMAND, 2, COMMAND_WRITABLE);
        mask(CACHE_LINE, 1, 0xFF);
        mask(LATENCY, 1, 0xFF);
        mask(INTERRUPT_LINE, 1, 0xFF);
    }

    public final String name() { return name; }

    public final int vendorId() { return get(VENDOR_ID, 2); }

    public final int deviceId() { return get(DEVICE_ID, 2); }

    /** Routes the function's interrupt: {@code pin} 1 = INTA; {@code line} is the GSI the guest should use. */
    public final synchronized void setInterrupt(int pin, int line) {
        put(INTERRUPT_PIN, 1, pin);
        put(INTERRUPT_LINE, 1, line);
    }

    /** Pre-assigns I/O BAR {@code index} at {@code base} spanning {@code size} ports (a power of two, at least 4). */
    public final synchronized void setIoBar(int index, int base, int size) {
        if (index < 0 || index >= BAR_COUNT) throw new IllegalArgumentException("BAR index " + index);
        if (size < 4 || Integer.bitCount(size) != 1 || (base & (size - 1)) != 0 || base + size > 0x10000) {
            throw new IllegalArgumentException("I/O BAR of " + size + " ports at 0x" + Integer.toHexString(base));
        }
        bars[index] = new Bar(base, size, true);
        put(BAR0 + 4 * index, 4, base | BAR_IO);
    }

    public final synchronized void setCommand(int command) { put(COMMAND, 2, command); }

    public final synchronized int command() { return get(COMMAND, 2); }

    public final boolean ioEnabled() { return (command() & COMMAND_IO) != 0; }

    public final synchronized int interruptLine() { return get(INTERRUPT_LINE, 1); }

    public synchronized int readConfig(int offset, int size) {
        checkAccess(offset, size);
        int v = 0;
        for (int i = 0; i < size; i++) v |= readByte(offset + i) << (8 * i);
        return v;
    }

    private int readByte(int offset) {
        if (offset >= BAR0 && offset < BAR0 + 4 * BAR_COUNT) {
            int index = (offset - BAR0) / 4;
            return (barValue(index) >>> (8 * (offset & 3))) & 0xFF;
        }
        return config[offset] & 0xFF;
    }

    private int barValue(int index) {
        Bar bar = bars[index];
        if (bar == null) return 0;
        return (sizingBars & (1 << index)) != 0 ? bar.addressMask() | bar.typeBits() : bar.base() | bar.typeBits();
    }

    public synchronized void writeConfig(int offset, int size, int value) {
        checkAccess(offset, size);
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            if (at >= BAR0 && at < BAR0 + 4 * BAR_COUNT) continue;
            int m = writable[at] & 0xFF;
            int b = (value >>> (8 * i)) & 0xFF;
            config[at] = (byte) ((config[at] & ~m) | (b & m));
        }
        // A BAR write is judged on the whole dword it produces.
        int first = Math.max(offset, BAR0), last = Math.min(offset + size, BAR0 + 4 * BAR_COUNT);
        for (int at = first & ~3; at < last; at += 4) {
            int index = (at - BAR0) / 4;
            int merged = config32(at);
            for (int i = 0; i < size; i++) {
                int o = offset + i;
                if (o >= at && o < at + 4) {
                    int shift = 8 * (o - at);
                    merged = (merged & ~(0xFF << shift)) | (((value >>> (8 * i)) & 0xFF) << shift);
                }
            }
            writeBar(index, merged);
        }
    }

    private int config32(int at) {
        return (config[at] & 0xFF) | (config[at + 1] & 0xFF) << 8 | (config[at + 2] & 0xFF) << 16 | (config[at + 3] & 0xFF) << 24;
    }

    private void writeBar(int index, int value) {
        Bar bar = bars[index];
        if (bar == null) return;
        int address = value & bar.addressMask();
        if (address == bar.addressMask()) {
            sizingBars |= 1 << index;
        } else {
            sizingBars &= ~(1 << index);
            if (address != bar.base() && reportedMoves++ < 8) {
                LOG.warn("{}: guest tried to move BAR{} from 0x{} to 0x{}; BARs are fixed, ignored", name, index,
                        Integer.toHexString(bar.base()), Integer.toHexString(address));
            }
        }
    }

    private static void checkAccess(int offset, int size) {
        if ((size != 1 && size != 2 && size != 4) || offset < 0 || offset + size > CONFIG_SIZE) {
            throw new IllegalArgumentException("config access of " + size + " bytes at 0x" + Integer.toHexString(offset));
        }
    }

    private void put(int offset, int size, int value) {
        for (int i = 0; i < size; i++) config[offset + i] = (byte) (value >>> (8 * i));
    }

    private int get(int offset, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) v |= (config[offset + i] & 0xFF) << (8 * i);
        return v;
    }

    private void mask(int offset, int size, int bits) {
        for (int i = 0; i < size; i++) writable[offset + i] = (byte) (bits >>> (8 * i));
    }

    public synchronized State snapshot() { return new State(config, sizingBars); }

    /** Restores what the guest changed; identity and BAR placement come from this VMM's own setup. */
    public synchronized void restore(State s) {
        byte[] c = s.config();
        if (c.length != CONFIG_SIZE) throw new IllegalArgumentException(name + ": config snapshot of " + c.length + " bytes");
        for (int i = 0; i < CONFIG_SIZE; i++) {
            int m = writable[i] & 0xFF;
            config[i] = (byte) ((config[i] & ~m) | (c[i] & m));
        }
        sizingBars = s.sizingBars() & ((1 << BAR_COUNT) - 1);
    }

    @Override
    public String toString() { return name; }
}
