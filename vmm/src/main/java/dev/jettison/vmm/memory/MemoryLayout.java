package dev.jettison.vmm.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * Where RAM of a given size sits in guest-physical space on the jettison-pc machine
 * (docs/machine.md): below 3 GiB, then the 32-bit MMIO gap, then the rest from 4 GiB.
 */
public final class MemoryLayout {
    public static final long MIB = 1L << 20, GIB = 1L << 30;
    public static final long MMIO_GAP_START = 3 * GIB;
    public static final long MMIO_GAP_END = 4 * GIB;
    public static final long MAX_RAM = 16 * GIB;
    public static final long MIN_RAM = 16 * MIB;

    /** A guest-physical RAM range. */
    public record Range(long start, long size) {
        public long end() { return start + size; }
    }

    private MemoryLayout() {}

    public static List<Range> ramRanges(long ramBytes) {
        if (ramBytes < MIN_RAM || ramBytes > MAX_RAM) {
            throw new IllegalArgumentException("guest RAM must be between 16 MiB and 16 GiB, not "
                    + ramBytes / MIB + " MiB");
        }
        if ((ramBytes & (MIB - 1)) != 0) {
            throw new IllegalArgumentException("guest RAM must be a whole number of MiB, not " + ramBytes + " bytes");
        }
        var out = new ArrayList<Range>();
        out.add(new Range(0, Math.min(ramBytes, MMIO_GAP_START)));
        if (ramBytes > MMIO_GAP_START) out.add(new Range(MMIO_GAP_END, ramBytes - MMIO_GAP_START));
        return out;
    }
}
