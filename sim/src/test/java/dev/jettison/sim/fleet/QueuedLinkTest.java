package dev.jettison.sim.fleet;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class QueuedLinkTest {
    private static final double GBIT = 1e9;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double ALONE = GIB * 8 / GBIT;

    @Test
    void secondTransferWaitsForTheFirstAndIsChargedOnlyItsOwnService() {
        var link = new QueuedLink(GBIT);
        var a = link.start(0, 0, GIB, false);
        var b = link.start(0, 1, GIB, false);
        assertEquals(ALONE, link.nextCompletion(), 1e-9);
        assertSame(a, link.complete(ALONE));
        assertEquals(2 * ALONE, link.nextCompletion(), 1e-9);
        assertSame(b, link.complete(2 * ALONE));
        assertEquals(ALONE, b.servedSeconds(2 * ALONE), 1e-9, "waiting is not service");
        assertEquals(2 * ALONE, link.busySeconds(), 1e-9);
    }

    @Test
    void cancelledWhileWaitingUsesNoCapacity() {
        var link = new QueuedLink(GBIT);
        link.start(0, 0, GIB, false);
        var b = link.start(0, 1, GIB, false);
        link.start(0, 2, GIB, false);
        link.cancel(1, b);
        link.complete(ALONE);
        assertEquals(2, link.complete(link.nextCompletion()).owner());
        assertEquals(0, b.servedSeconds(10));
        assertEquals(2 * GIB, link.deliveredBytes(), 1);
    }

    @Test
    void reintegrationsGoFirstWhenAsked() {
        var link = new QueuedLink(GBIT, true);
        link.start(0, 0, GIB, false);
        link.start(0, 1, GIB, false);
        link.start(0, 2, GIB, true);
        link.complete(ALONE);
        assertEquals(2, link.complete(link.nextCompletion()).owner());
    }

    @Test
    void cancellingTheOneInServiceStartsTheNext() {
        var link = new QueuedLink(GBIT);
        var a = link.start(0, 0, GIB, false);
        link.start(0, 1, GIB, false);
        link.cancel(ALONE / 2, a);
        assertEquals(ALONE / 2 + ALONE, link.nextCompletion(), 1e-9);
        assertEquals(ALONE / 2, a.servedSeconds(100), 1e-9);
    }
}
