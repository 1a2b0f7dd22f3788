package dev.jettison.sys;

import java.lang.foreign.MemorySegment;

/** An owned mmap(2) mapping; unmapped on close. */
public final class MappedRegion implements AutoCloseable {
    private final MemorySegment segment;
    private final String what;
    private boolean closed;

    private MappedRegion(MemorySegment segment, String what) {
        this.segment = segment;
        this.what = what;
    }

    /**
     * Anonymous private memory that reserves no swap and is populated only when touched: the
     * shape guest RAM needs so that the consolidation server grows with the working set only.
     */
    public static MappedRegion anonymous(long size, String what) {
        return new MappedRegion(Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0), what);
    }

    public static MappedRegion ofFd(Fd fd, long size, int prot, int flags, String what) {
        return new MappedRegion(Libc.mmap(size, prot, flags, fd.get(), 0), what);
    }

    public MemorySegment segment() {
        if (closed) throw new IllegalStateException(what + " is unmapped");
        return segment;
    }

    public long address() { return segment.address(); }

    public long size() { return segment.byteSize(); }

    /** Gives the pages back to the kernel; the range reads as zero (or faults again under userfaultfd). */
    public void discard(long offset, long length) {
        Libc.madvise(segment.asSlice(offset, length), length, Libc.MADV_DONTNEED);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.munmap(segment, segment.byteSize());
    }
}
