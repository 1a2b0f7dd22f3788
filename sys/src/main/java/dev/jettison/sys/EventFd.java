package dev.jettison.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;

/** An eventfd(2) counter, used to wake a thread blocked in poll. */
public final class EventFd implements AutoCloseable {
    private final Fd fd;

    public EventFd() {
        fd = new Fd(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
    }

    public Fd fd() { return fd; }

    public void signal() {
        try (var arena = Arena.ofConfined()) {
            Libc.write(fd.get(), arena.allocateFrom(ValueLayout.JAVA_LONG, 1L), 8);
        }
    }

    /** Reads and resets the counter; 0 when nothing was signalled. */
    public long drain() {
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocate(8);
            long n = Libc.readOrErrno(fd.get(), buf, 8);
            return n == 8 ? buf.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    @Override
    public void close() { fd.close(); }
}
