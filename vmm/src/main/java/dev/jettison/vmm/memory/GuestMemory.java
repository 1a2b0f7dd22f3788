package dev.jettison.vmm.memory;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Guest-physical memory as the VMM sees it: a few regions, each a contiguous guest-physical
 * range backed by host memory. Every access from devices goes through here, so a guest that
 * hands a device an address outside its RAM gets a {@link GuestMemoryException}, never a read
 * of host memory.
 */
public final class GuestMemory {
    private final List<MemoryRegion> regions;
    private final long ramBytes;

    public GuestMemory(List<MemoryRegion> regions) {
        this.regions = List.copyOf(regions);
        long total = 0;
        for (var r : this.regions) total += r.size();
        this.ramBytes = total;
    }

    public List<MemoryRegion> regions() { return regions; }

    /** Bytes of RAM (not counting the MMIO gap). */
    public long ramBytes() { return ramBytes; }

    /** The region holding {@code gpa}, or null. */
    public MemoryRegion regionOf(long gpa) {
        for (var r : regions) if (r.contains(gpa)) return r;
        return null;
    }

    /** Host view of [gpa, gpa+length), which must lie within one region. */
    public MemorySegment slice(long gpa, long length) {
        if (length < 0) throw new GuestMemoryException("negative length " + length + " at 0x" + Long.toHexString(gpa));
        for (var r : regions) {
            if (r.contains(gpa)) {
                long off = gpa - r.guestAddress();
                if (length > r.size() - off) {
                    throw new GuestMemoryException(length + " bytes at 0x" + Long.toHexString(gpa)
                            + " run past the end of guest RAM region " + r);
                }
                return r.host().asSlice(off, length);
            }
        }
        throw new GuestMemoryException("0x" + Long.toHexString(gpa) + " (" + length
                + " bytes) is not guest RAM");
    }

    public byte readByte(long gpa) { return slice(gpa, 1).get(JAVA_BYTE, 0); }
    public short readShort(long gpa) { return slice(gpa, 2).get(JAVA_SHORT_UNALIGNED, 0); }
    public int readInt(long gpa) { return slice(gpa, 4).get(JAVA_INT_UNALIGNED, 0); }
    public long readLong(long gpa) { return slice(gpa, 8).get(JAVA_LONG_UNALIGNED, 0); }
    public void writeByte(long gpa, byte v) { slice(gpa, 1).set(JAVA_BYTE, 0, v); }
    public void writeShort(long gpa, short v) { slice(gpa, 2).set(JAVA_SHORT_UNALIGNED, 0, v); }
    public void writeInt(long gpa, int v) { slice(gpa, 4).set(JAVA_INT_UNALIGNED, 0, v); }
    public void writeLong(long gpa, long v) { slice(gpa, 8).set(JAVA_LONG_UNALIGNED, 0, v); }

    public void write(long gpa, byte[] data) {
        MemorySegment.copy(data, 0, slice(gpa, data.length), JAVA_BYTE, 0, data.length);
    }

    public byte[] read(long gpa, int length) {
        return slice(gpa, length).toArray(JAVA_BYTE);
    }
}
