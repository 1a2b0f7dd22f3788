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

    /**
     * A shared mapping of {@code file}, {@code size} bytes: what is written lands in the file's page
     * cache, so it outlives this process (QEMU's memory-backend-file with share=on). With
     * {@code fresh} the file is emptied first and reads as zeros; otherwise its contents are kept,
     * and it must already be exactly {@code size} bytes.
     */
    public static MappedRegion sharedFile(java.nio.file.Path file, long size, boolean fresh, String what) {
        try (var fd = Fd.open(file.toString(), Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC | (fresh ? Libc.O_TRUNC : 0), 0600)) {
            if (fresh) {
                Libc.ftruncate(fd.get(), size);
            } else {
                long actual;
                try {
                    actual = java.nio.file.Files.size(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (actual != size) {
                    throw new IllegalArgumentException(what + " in " + file + " is " + actual + " bytes, expected " + size);
                }
            }
            // The mapping keeps the file open; the descriptor can go.
            return new MappedRegion(Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd.get(), 0), what);
        }
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
