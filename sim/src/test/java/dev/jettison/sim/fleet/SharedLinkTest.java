package dev.jettison.sim.fleet;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SharedLinkTest {
    private static final double GBIT = 1e9;
    private static final double GIB = 1024.0 * 1024 * 1024;

    @Test
    void oneTransferRunsAtLineRate() {
        var link = new SharedLink(GBIT);
        link.start(0, 0, 4 * GIB, false);
        assertEquals(4 * GIB * 8 / GBIT, link.nextCompletion(), 1e-9);
    }

    @Test
    void twoEqualTransfersTakeTwiceAsLongAsOne() {
        var one = new SharedLink(GBIT);
        one.start(0, 0, GIB, false);
        double alone = one.nextCompletion();
        var link = new SharedLink(GBIT);
        link.start(0, 0, GIB, false);
        link.start(0, 1, GIB, false);
        double t = link.nextCompletion();
        assertEquals(2 * alone, t, 1e-9);
        link.complete(t);
        assertEquals(2 * alone, link.nextCompletion(), 1e-9, "both finish together");
    }

    @Test
    void lateArrivalSharesOnlyWhileBothRun() {
        // A: 1 GiB from t=0. B: 1 GiB from t = alone/2. A has half left, shared: finishes at alone/2 + alone = 1.5 alone.
        var link = new SharedLink(GBIT);
        double alone = GIB * 8 / GBIT;
        link.start(0, 0, GIB, false);
        link.start(alone / 2, 1, GIB, false);
        double ta = link.nextCompletion();
        assertEquals(1.5 * alone, ta, 1e-9);
        assertEquals(0, link.complete(ta).owner());
        // B shared for a whole 'alone' at half rate = half a GiB; the other half alone takes alone/2.
        assertEquals(2 * alone, link.nextCompletion(), 1e-9);
    }

    @Test
    void cancelledTransferFreesItsShare() {
        var link = new SharedLink(GBIT);
        double alone = GIB * 8 / GBIT;
        var a = link.start(0, 0, GIB, false);
        link.start(0, 1, GIB, false);
        link.cancel(alone / 2, a); // B received a quarter GiB so far
        assertEquals(alone / 2 + 0.75 * alone, link.nextCompletion(), 1e-9);
        assertEquals(1, link.complete(link.nextCompletion()).owner());
        assertEquals(Double.POSITIVE_INFINITY, link.nextCompletion());
    }
}
