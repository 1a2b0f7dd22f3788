package dev.jettison.migration.memserv;

import dev.jettison.migration.wire.Wire;
import dev.jettison.vmm.memory.GuestMemory;
import dev.jettison.vmm.memory.MemoryRegion;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Guest RAM as numbered 4 KiB pages, the numbering both ends of the wire use: page n is the n-th
 * page of RAM counting the regions in guest-physical order and skipping the MMIO gap, so page
 * numbers run densely from 0 to ramBytes/4096 and a range check against the Hello is enough.
 */
public final class GuestPages {
    private static final MemorySegment ZERO_PAGE = MemorySegment.ofArray(new byte[Wire.PAGE_SIZE]);

    private final List<MemorySegment> segments;
    private final long[] firstPage;
    private final long pageCount;

    private GuestPages(List<MemorySegment> segments) {
        this.segments = List.copyOf(segments);
        this.firstPage = new long[segments.size()];
        long n = 0;
        for (int i = 0; i < segments.size(); i++) {
            MemorySegment s = segments.get(i);
            if (s.byteSize() % Wire.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("RAM segment " + i + " of " + s.byteSize() + " bytes is not whole 4 KiB pages");
            }
            if (s.isNative() && s.address() % Wire.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("RAM segment " + i + " is not page-aligned");
            }
            firstPage[i] = n;
            n += s.byteSize() / Wire.PAGE_SIZE;
        }
        this.pageCount = n;
    }

    /** The VM's RAM regions in guest-physical order. */
    public static GuestPages of(GuestMemory memory) {
        List<MemorySegment> segs = new ArrayList<>();
        for (MemoryRegion r : memory.regions()) segs.add(r.host());
        return new GuestPages(segs);
    }

    public static GuestPages of(List<MemorySegment> segments) {
        return new GuestPages(segments);
    }

    public static GuestPages of(MemorySegment segment) {
        return new GuestPages(List.of(segment));
    }

    public long pageCount() { return pageCount; }

    public long bytes() { return pageCount * Wire.PAGE_SIZE; }

    public List<MemorySegment> segments() { return segments; }

    /** The host memory of page {@code n}. */
    public MemorySegment page(long n) {
        if (n < 0 || n >= pageCount) throw new IndexOutOfBoundsException("page " + n + " outside " + pageCount + " pages");
        int i = segmentOf(n);
        return segments.get(i).asSlice((n - firstPage[i]) * Wire.PAGE_SIZE, Wire.PAGE_SIZE);
    }

    /** Host address where page {@code n} starts. */
    public long hostAddress(long n) {
        return page(n).address();
    }

    /** The page holding host address {@code address}, or -1 if it is not guest RAM. */
    public long pageAt(long address) {
        for (int i = 0; i < segments.size(); i++) {
            MemorySegment s = segments.get(i);
            long off = address - s.address();
            if (off >= 0 && off < s.byteSize()) return firstPage[i] + off / Wire.PAGE_SIZE;
        }
        return -1;
    }

    private int segmentOf(long n) {
        int i = firstPage.length - 1;
        while (firstPage[i] > n) i--;
        return i;
    }

    /** True if every byte of the 4 KiB page is zero. */
    public static boolean isZero(MemorySegment page) {
        return MemorySegment.mismatch(page, 0, Wire.PAGE_SIZE, ZERO_PAGE, 0, Wire.PAGE_SIZE) == -1;
    }
}
