package dev.jettison.migration.wire;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Drops a connection whose peer has been silent too long while it was expected to speak, so
 * the thread blocked reading it gets an error and recovers instead of waiting forever. Silence
 * counts only while {@code expecting} holds: a desktop in a microsleep, for one, says nothing
 * and must not be taken for dead. A timeout on the socket itself would do for a phase with a
 * reply due, but it can fire inside a frame and leave the stream out of step; closing is clean.
 */
public final class SilenceWatchdog implements AutoCloseable {
    private final Transport transport;
    private final long limitNanos;
    private final BooleanSupplier expecting;
    private final Thread thread;
    private volatile long lastHeard = System.nanoTime();
    private volatile boolean fired;
    private volatile boolean closed;

    public SilenceWatchdog(String name, Transport transport, Duration limit, BooleanSupplier expecting) {
        if (limit.isNegative() || limit.isZero()) throw new IllegalArgumentException("silence limit must be > 0: " + limit);
        this.transport = transport;
        this.limitNanos = limit.toNanos();
        this.expecting = expecting;
        this.thread = Thread.ofVirtual().name(name).start(this::watch);
    }

    /** The peer spoke (or silence starts counting afresh, e.g. after a wake-up). */
    public void heard() {
        lastHeard = System.nanoTime();
    }

    /** Whether this watchdog closed the connection. */
    public boolean fired() { return fired; }

    private void watch() {
        long period = Math.max(10, Math.min(250, limitNanos / 4_000_000));
        while (!closed) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            if (!expecting.getAsBoolean()) {
                heard(); // silence while not expected does not count
                continue;
            }
            if (System.nanoTime() - lastHeard > limitNanos) {
                fired = true;
                transport.close();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
