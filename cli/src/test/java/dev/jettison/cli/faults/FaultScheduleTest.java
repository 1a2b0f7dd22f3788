package dev.jettison.cli.faults;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultScheduleTest {
    private static final List<FaultKind> KINDS = FaultKind.all(true);
    private static final List<Phase> PHASES = List.of(Phase.values());

    @Test
    void theSameSeedDrawsTheSameRuns() {
        assertEquals(FaultSchedule.plans(7, KINDS, PHASES, 3, 500, 20_000), FaultSchedule.plans(7, KINDS, PHASES, 3, 500, 20_000));
        assertNotEquals(FaultSchedule.plans(7, KINDS, PHASES, 3, 500, 20_000), FaultSchedule.plans(8, KINDS, PHASES, 3, 500, 20_000));
    }

    @Test
    void oneRunPerKindPhaseAndIndexInTableOrder() {
        var plans = FaultSchedule.plans(1, KINDS, PHASES, 2, 0, 0);
        assertEquals(4 * 3 * 2, plans.size());
        assertEquals("server-kill-consolidation-1", plans.getFirst().id());
        assertEquals("server-kill-consolidation-2", plans.get(1).id());
        assertEquals("desktop-kill-reintegration-2", plans.getLast().id());
    }

    /** A failure found with all kinds is reproduced by asking for its kind and phase alone. */
    @Test
    void fewerKindsOrPhasesLeaveTheOtherRunsAsTheyWere() {
        var all = FaultSchedule.plans(42, KINDS, PHASES, 3, 500, 20_000);
        var one = FaultSchedule.plans(42, List.of(new FaultKind.NetCut()), List.of(Phase.REMOTE), 3, 500, 20_000);
        assertEquals(all.stream().filter(p -> p.kind() instanceof FaultKind.NetCut && p.phase() == Phase.REMOTE).toList(), one);
    }

    @Test
    void pointsFallWithinEachPhasesWindow() {
        for (var p : FaultSchedule.plans(3, KINDS, PHASES, 20, 500, 20_000)) {
            assertTrue(p.outageMillis() >= 500 && p.outageMillis() <= 20_000, p.toString());
            assertTrue(p.patternSeed() > 0, p.toString());
            switch (p.phase()) {
                case CONSOLIDATION -> {
                    assertTrue(p.injectAfterMillis() >= 0 && p.injectAfterMillis() <= 300, p.toString());
                    assertEquals(0, p.remoteMillis());
                }
                case REMOTE -> assertTrue(p.injectAfterMillis() >= 1000 && p.injectAfterMillis() <= 5000, p.toString());
                case REINTEGRATION -> {
                    assertTrue(p.injectAfterMillis() >= 0 && p.injectAfterMillis() <= 300, p.toString());
                    assertTrue(p.remoteMillis() >= 1000 && p.remoteMillis() <= 5000, p.toString());
                }
            }
        }
    }

    @Test
    void refusesNoRunsAndAnEmptyOutageRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> FaultSchedule.plans(1, KINDS, PHASES, 0, 0, 1));
        assertTrue(e.getMessage().contains("--runs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FaultSchedule.plans(1, KINDS, PHASES, 1, 10, 5));
    }
}
