package dev.jettison.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.analysis.TraceStatistics;
import dev.jettison.sim.fleet.ActivitySource;
import dev.jettison.sim.gen.OfficeCalibration;
import dev.jettison.sim.trace.DayKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputExperimentTest {
    private static final SavingsCurve UNUSED = SavingsCurve.paperFigure7(); // the paper model uses the paper's curve

    @Test
    void defaultTracesSayWhatThePaperSaysOfItsOwn() {
        var source = ActivitySource.generated(1);
        var s = TraceStatistics.of((d, day) -> source.activeRuns(d, day, DayKind.WEEKDAY), 200, 5);
        assertTrue(s.mostIdleDaytimeHour() >= 11.5 && s.mostIdleDaytimeHour() <= 13.75, "lunch is the most idle hour: " + s.mostIdleDaytimeHour());
        assertEquals(50, s.arrivalSdMinutes(), 10, "flexible hours");
        assertEquals(0.25, s.eveningShare(), 0.06, "laptops used some evenings");
        assertTrue(s.shortIdleShare() > 0.5, "most idle periods are short: " + s.shortIdleShare());
        assertTrue(s.idlePeriodsOver5Min() > s.idlePeriodsOver15Min());
    }

    @Test
    void shorterActiveBoutsMeanMoreIdlePeriodsAndMoreFullMigrationTraffic() {
        var busy = InputExperiment.run(Map.of(InputKnob.ACTIVE_BOUT, 3.0), UNUSED, 1);
        var calm = InputExperiment.run(Map.of(InputKnob.ACTIVE_BOUT, 15.0), UNUSED, 1);
        assertTrue(busy.stats().idlePeriodsOver5Min() > calm.stats().idlePeriodsOver5Min() + 3,
                busy.stats().idlePeriodsOver5Min() + " vs " + calm.stats().idlePeriodsOver5Min());
        var net = InputExperiment.GAPS.get(2);
        assertTrue(busy.of(net) > calm.of(net) + 5, "full migration's network use: " + busy.of(net) + " vs " + calm.of(net));
        assertTrue(busy.faithful().all() && calm.faithful().all(), busy.faithful() + " " + calm.faithful());
    }

    @Test
    void aSynchronisedBootStormIsNotThePapersOffice() {
        var storm = InputExperiment.run(Map.of(InputKnob.ARRIVAL_SD, 0.0), UNUSED, 1);
        assertFalse(storm.faithful().flexibleHours());
        assertTrue(storm.faithful().describe().contains("boot storm"), storm.faithful().describe());
        var noEvenings = InputExperiment.run(Map.of(InputKnob.EVENING, 0.0), UNUSED, 1);
        assertFalse(noEvenings.faithful().evenings());
    }

    @Test
    void calibrationKnobsChangeOnlyWhatTheySay() {
        var d = OfficeCalibration.DEFAULT;
        var s = d.withShortIdleShare(0.4);
        assertEquals(0.4, s.shortIdleShare());
        assertEquals(d.mediumIdleShare() / (1 - d.shortIdleShare()), s.mediumIdleShare() / (1 - s.shortIdleShare()), 1e-12,
                "medium and long gaps keep their proportion");
        var g = d.withIdleGapScale(2);
        assertEquals(2 * d.mediumIdleMedian(), g.mediumIdleMedian(), 1e-9);
        assertEquals(2 * d.longIdleMedian(), g.longIdleMedian(), 1e-9);
        assertEquals(d.shortIdleMedian(), g.shortIdleMedian());
        assertEquals(d, d.withArrival(d.arrivalMean(), d.arrivalSd()));
        var e = assertThrows(IllegalArgumentException.class, () -> d.withShortIdleShare(1.2));
        assertTrue(e.getMessage().contains("1.2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withActiveBoutMedian(-60));
    }

    @Test
    void theSweetSpotReadingIsMonotoneInTheShareKept() {
        var base = InputExperiment.run(Map.of(), UNUSED, 1);
        for (String scheme : new String[] {"full", "partial"}) {
            assertTrue(base.paper().sweetSpotMinutes(scheme, 0.95) <= base.paper().sweetSpotMinutes(scheme, 0.90));
            assertTrue(base.paper().sweetSpotMinutes(scheme, 0.90) <= base.paper().sweetSpotMinutes(scheme, 0.85));
            assertEquals(base.paper().sweetSpotMinutes(scheme), base.paper().sweetSpotMinutes(scheme, ModelRun.SWEET_SPOT_SHARE));
        }
    }
}
