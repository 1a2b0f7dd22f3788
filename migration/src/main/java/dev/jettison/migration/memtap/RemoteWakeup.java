package dev.jettison.migration.memtap;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * remoteWakeup for one desktop (paper §4): knows whether the desktop has announced a microsleep
 * and wakes it through {@code packets} (real Wake-on-LAN magic packets, sent by the agent) before
 * memtap or cownetdisk asks it for state. While it sleeps, at most one packet per
 * {@link #MIN_INTERVAL_NANOS} goes out however many faults pile up; a request that times out
 * wakes it regardless, in case the announcement was lost.
 */
public final class RemoteWakeup implements DesktopWaker {
    /** One packet a second is plenty: the desktop needs seconds to resume (Table 1: 8.58 s). */
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private final DesktopWaker packets;
    private final LongSupplier clock;
    private volatile BooleanSupplier waiting = () -> false;
    private boolean asleep;
    private long lastSentNanos;
    private boolean sentOnce;
    private long sent, wakeRequests, faultsWhileAsleep;

    public RemoteWakeup(DesktopWaker packets) {
        this(packets, System::nanoTime);
    }

    RemoteWakeup(DesktopWaker packets, LongSupplier clock) {
        this.packets = packets;
        this.clock = clock;
    }

    /**
     * Tells whether requests to the desktop are outstanding now. A desktop whose announcement of a
     * microsleep crossed a request on the wire has gone to sleep holding it: wake it at once rather
     * than when the request times out.
     */
    public void outstanding(BooleanSupplier waiting) {
        this.waiting = waiting;
    }

    /** The desktop said it is going to sleep ({@code true}) or is awake again. */
    public void desktopAsleep(boolean asleep) {
        synchronized (this) {
            this.asleep = asleep;
            if (!asleep) return;
            sentOnce = false; // the first request of each microsleep wakes at once
            if (!waiting.getAsBoolean() || !due()) return;
            faultsWhileAsleep++;
        }
        packets.wake();
    }

    public synchronized boolean isDesktopAsleep() { return asleep; }

    @Override
    public void beforeRequest() {
        synchronized (this) {
            if (!asleep) return;
            faultsWhileAsleep++;
            if (!due()) return;
        }
        packets.wake();
    }

    @Override
    public void wake() {
        synchronized (this) {
            wakeRequests++;
            if (!due()) return;
        }
        packets.wake();
    }

    /** Whether a packet may go now; if so, counts it. */
    private boolean due() {
        long now = clock.getAsLong();
        if (sentOnce && now - lastSentNanos < MIN_INTERVAL_NANOS) return false;
        sentOnce = true;
        lastSentNanos = now;
        sent++;
        return true;
    }

    /** Magic packets sent so far. */
    public synchronized long packetsSent() { return sent; }

    /** Requests that found the desktop announced asleep: remote faults that cost a wake-up. */
    public synchronized long requestsWhileAsleep() { return faultsWhileAsleep; }

    /** Times a request went unanswered and the desktop was woken just in case. */
    public synchronized long timeoutWakes() { return wakeRequests; }
}
