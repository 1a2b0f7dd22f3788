package dev.jettison.core.consolidation;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ServerMemoryTest {

    @Test
    void admitsAtTheEstimateUntilFull() {
        var s = new ServerMemory(WorkingSet.SERVER_MEMORY_MIB);
        int n = 0;
        while (s.admit("vm" + n, WorkingSet.ESTIMATE_MIB) instanceof Admission.Admitted) n++;
        assertEquals(ServerMemory.vmsPerServer(16384, 157.87), n);
        assertEquals(103, n);
    }

    @Test
    void growthBeyondFreeMemoryMeansEviction() {
        var s = new ServerMemory(1000);
        s.admit("a", 400);
        s.admit("b", 400);
        assertInstanceOf(Admission.Admitted.class, s.grow("a", 550));
        assertInstanceOf(Admission.Refused.class, s.grow("b", 700));
        s.release("a");
        assertEquals(400, s.usedMiB(), 1e-9);
    }

    @Test
    void estimatorStartsAtTheMedianAndFollowsHistory() {
        var e = new WorkingSetEstimator();
        assertEquals(157.87, e.estimateMiB(), 1e-12);
        e.observe(100);
        assertEquals(100, e.estimateMiB(), 1e-12);
        e.observe(200);
        assertEquals(130, e.estimateMiB(), 1e-9);
    }
}
