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
    private final long[] ramOffsets;
    private final long ramBytes;
    /**
     * Makes pages present before the VMM touches them. On a consolidation server guest RAM is
     * filled on demand through userfaultfd; a Java thread that touched a missing page itself would
     * stop in a page fault where the JVM cannot bring it to a safepoint, and the next garbage
     * collection would then wait for it forever. So device code asks for the pages first, from
     * an ordinary blocking wait.
     */
    @FunctionalInterface
    public interface Populator {
        void populate(long firstRamPage, int count) throws InterruptedException;
    }

    private volatile Populator populator;

    /** Pages the VMM itself touched (device emulation), or null when nobody asked. */
    private volatile java.util.concurrent.atomic.AtomicLongArray hostTouched;

    public GuestMemory(List<MemoryRegion> regions) {
        this.regions = List.copyOf(regions);
        this.ramOffsets = new long[this.regions.size()];
        long total = 0;
        for (int i = 0; i < this.regions.size(); i++) {
            ramOffsets[i] = total;
            total += this.regions.get(i).size();
        }
        this.ramBytes = total;
    }

    /** From now on, every access of the VMM first makes its pages present through {@code p}. */
    public void populateWith(Populator p) {
        this.populator = p;
    }

    /**
     * Starts (or restarts) recording which pages the VMM accesses on the guest's behalf. KVM's
     * dirty log sees only the guest's own writes; a virtio device that writes read data or a used
     * ring into guest memory is invisible to it, yet reintegration must send those pages back.
     * Every access is recorded, reads included: a superset is safe, a miss would corrupt the guest.
     */
    public void trackHostAccess() {
        hostTouched = new java.util.concurrent.atomic.AtomicLongArray((int) ((ramBytes / 4096 + 63) / 64));
    }

    /** RAM page numbers (position in RAM order, see {@link #ramPage}) touched since the last call; clears them. */
    public long[] takeHostTouchedPages() {
        var bits = hostTouched;
        if (bits == null) return new long[0];
        var out = new java.util.ArrayList<Long>();
        for (int w = 0; w < bits.length(); w++) {
            long word = bits.getAndSet(w, 0);
            while (word != 0) {
                out.add(w * 64L + Long.numberOfTrailingZeros(word));
                word &= word - 1;
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The page's number in RAM order: regions back to back, so the MMIO gap takes no numbers. */
    public long ramPage(long gpa) {
        for (int i = 0; i < regions.size(); i++) {
            if (regions.get(i).contains(gpa)) return (ramOffsets[i] + gpa - regions.get(i).guestAddress()) / 4096;
        }
        throw new GuestMemoryException("0x" + Long.toHexString(gpa) + " is not guest RAM");
    }

    /** The guest-physical address of RAM page {@code n}. */
    public long gpaOfRamPage(long n) {
        long off = n * 4096;
        for (int i = regions.size() - 1; i >= 0; i--) {
            if (off >= ramOffsets[i]) {
                if (off - ramOffsets[i] >= regions.get(i).size()) break;
                return regions.get(i).guestAddress() + off - ramOffsets[i];
            }
        }
        throw new GuestMemoryException("RAM page " + n + " is beyond the guest's " + ramBytes / 4096 + " pages");
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
        for (int i = 0; i < regions.size(); i++) {
            var r = regions.get(i);
            if (r.contains(gpa)) {
                long off = gpa - r.guestAddress();
                if (length > r.size() - off) {
                    throw new GuestMemoryException(length + " bytes at 0x" + Long.toHexString(gpa)
                            + " run past the end of guest RAM region " + r);
                }
                var bits = hostTouched;
                var pop = populator;
                if (pop != null && length > 0) {
                    long first = (ramOffsets[i] + off) / 4096, last = (ramOffsets[i] + off + length - 1) / 4096;
                    try {
                        pop.populate(first, (int) (last - first + 1));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new GuestMemoryException("interrupted while fetching guest pages " + first + ".." + last);
                    }
                }
                if (bits != null && length > 0) {
                    long first = (ramOffsets[i] + off) / 4096, last = (ramOffsets[i] + off + length - 1) / 4096;
                    for (long pg = first; pg <= last; pg++) {
                        int w = (int) (pg >>> 6);
                        long m = 1L << (pg & 63);
                        if ((bits.get(w) & m) == 0) bits.getAndUpdate(w, v -> v | m);
                    }
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
