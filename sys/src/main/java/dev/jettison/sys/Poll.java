package dev.jettison.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** poll(2) over a fixed set of descriptors, reusing one native array. */
public final class Poll implements AutoCloseable {
    private static final long POLLFD_SIZE = 8;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment fds;
    private final int count;

    public Poll(int... descriptors) {
        count = descriptors.length;
        fds = arena.allocate(POLLFD_SIZE * count, 8);
        for (int i = 0; i < count; i++) {
            fds.set(ValueLayout.JAVA_INT, i * POLLFD_SIZE, descriptors[i]);
            fds.set(ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 4, Libc.POLLIN);
        }
    }

    /** Waits for input on any descriptor; returns false on timeout or EINTR. */
    public boolean await(int timeoutMs) {
        for (int i = 0; i < count; i++) fds.set(ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 6, (short) 0);
        return Libc.poll(fds, count, timeoutMs) > 0;
    }

    public boolean ready(int index) {
        return fds.get(ValueLayout.JAVA_SHORT, index * POLLFD_SIZE + 6) != 0;
    }

    @Override
    public void close() { arena.close(); }
}
