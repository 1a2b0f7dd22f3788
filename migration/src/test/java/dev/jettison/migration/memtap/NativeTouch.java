package dev.jettison.migration.memtap;

import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A vCPU stand-in: touches guest RAM from inside system calls (the kernel copies to or from the
 * page through a scratch file), so the touching thread waits for its userfault in native code,
 * as a vCPU in KVM_RUN does. A Java thread faulting in Java code would block the JVM's safepoints
 * and, with them, the Java fault handler.
 */
final class NativeTouch implements AutoCloseable {
    private final Path file;
    private final Fd fd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment scratch = arena.allocate(8, 8);

    NativeTouch() throws IOException {
        file = Files.createTempFile("touch", ".bin");
        fd = Fd.open(file.toString(), Libc.O_RDWR, 0);
        Files.delete(file);
    }

    /** Reads 8 bytes of guest memory: the kernel reads the page (a read fault) to write it to the file. */
    long readLong(MemorySegment guest, long offset) {
        check(Libc.pwrite(fd.get(), guest.asSlice(offset, 8), 8, 0));
        check(Libc.pread(fd.get(), scratch, 8, 0));
        return scratch.get(ValueLayout.JAVA_LONG, 0);
    }

    /** Writes 8 bytes of guest memory: the kernel writes into the page (a write fault) from the file. */
    void writeLong(MemorySegment guest, long offset, long value) {
        scratch.set(ValueLayout.JAVA_LONG, 0, value);
        check(Libc.pwrite(fd.get(), scratch, 8, 8));
        check(Libc.pread(fd.get(), guest.asSlice(offset, 8), 8, 8));
    }

    /** Touches every page of {@code guest} (reads), so Java code may then look at it safely. */
    void touchAll(MemorySegment guest) {
        long chunk = 1 << 20;
        for (long off = 0; off < guest.byteSize(); off += chunk) {
            long n = Math.min(chunk, guest.byteSize() - off);
            long done = 0;
            while (done < n) done += Libc.pwrite(fd.get(), guest.asSlice(off + done, n - done), n - done, 0);
        }
    }

    private static void check(long n) {
        if (n != 8) throw new IllegalStateException("short transfer: " + n);
    }

    @Override
    public void close() {
        fd.close();
        arena.close();
    }
}
