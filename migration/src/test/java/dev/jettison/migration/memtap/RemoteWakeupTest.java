package dev.jettison.migration.memtap;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteWakeupTest {
    @Test
    void wakesBeforeARequestOnlyWhileTheDesktopSleepsAndAtMostOncePerSecond() {
        var packets = new AtomicInteger();
        var now = new AtomicLong(0);
        var w = new RemoteWakeup(packets::incrementAndGet, now::get);
        w.beforeRequest();
        assertEquals(0, packets.get(), "an awake desktop is not woken");
        w.desktopAsleep(true);
        assertTrue(w.isDesktopAsleep());
        w.beforeRequest();
        w.beforeRequest();
        assertEquals(1, packets.get(), "a burst of faults sends one packet");
        now.addAndGet(RemoteWakeup.MIN_INTERVAL_NANOS);
        w.beforeRequest();
        assertEquals(2, packets.get(), "a second later, still asleep: another packet");
        w.desktopAsleep(false);
        w.beforeRequest();
        assertEquals(2, packets.get());
        assertEquals(3, w.requestsWhileAsleep());
        assertFalse(w.isDesktopAsleep());
        // A request that timed out wakes even a desktop believed awake (the announcement may be lost).
        now.addAndGet(RemoteWakeup.MIN_INTERVAL_NANOS);
        w.wake();
        assertEquals(3, packets.get());
        assertEquals(1, w.timeoutWakes());
        assertEquals(3, w.packetsSent());
    }

    @Test
    void aDesktopThatFellAsleepHoldingARequestIsWokenAtOnce() {
        var packets = new AtomicInteger();
        var w = new RemoteWakeup(packets::incrementAndGet, () -> 0L);
        var outstanding = new java.util.concurrent.atomic.AtomicBoolean(false);
        w.outstanding(outstanding::get);
        w.desktopAsleep(true);
        assertEquals(0, packets.get(), "nothing asked of it: let it sleep");
        w.desktopAsleep(false);
        outstanding.set(true);
        w.desktopAsleep(true);
        assertEquals(1, packets.get(), "the announcement crossed a request: wake it now");
    }

    @Test
    void eachMicrosleepsFirstRequestWakesAtOnce() {
        var packets = new AtomicInteger();
        var now = new AtomicLong(0);
        var w = new RemoteWakeup(packets::incrementAndGet, now::get);
        w.desktopAsleep(true);
        w.beforeRequest();
        w.desktopAsleep(false);
        w.desktopAsleep(true); // asleep again within the same second
        w.beforeRequest();
        assertEquals(2, packets.get());
    }
}
