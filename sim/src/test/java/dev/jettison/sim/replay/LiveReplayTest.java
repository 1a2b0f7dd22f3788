package dev.jettison.sim.replay;

import static org.junit.jupiter.api.Assertions.*;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.trace.TraceFormatException;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LiveReplayTest {
    private static final Path FAULTS = Path.of("src/test/resources/live/faults-desk-1-c2.csv");
    private static final Path POWER = Path.of("src/test/resources/live/power-desk-1-c2.csv");
    private static final SavingsCurve FLAT = new SavingsCurve("flat", new double[] {60, 86_400}, new double[] {0.5, 0.5});

    @Test
    void powerCurveIntegratesItsSteps() throws Exception {
        var c = PowerCurve.read(new StringReader("seconds,watts,state\n0,61.4,AWAKE\n10,61.4,AWAKE\n10,1.95,ASLEEP\n110,1.95,ASLEEP\n"), "t");
        assertEquals(614 + 195, c.joules(), 1e-9);
        assertEquals(110, c.wallSeconds(), 1e-9);
        assertEquals(1, c.microsleeps());
        assertEquals(100, c.secondsIn("ASLEEP"), 1e-9);
    }

    @Test
    void malformedPowerCurveNamesTheFileAndTheProblem() {
        var e = assertThrows(TraceFormatException.class, () -> PowerCurve.read(new StringReader("seconds,watts,state\n0,61.4,AWAKE\n5,61.4,DOZING\n"), "p.csv"));
        assertTrue(e.getMessage().contains("p.csv:3") && e.getMessage().contains("DOZING"), e.getMessage());
        var back = assertThrows(TraceFormatException.class, () -> PowerCurve.read(new StringReader("seconds,watts,state\n5,61.4,AWAKE\n1,61.4,AWAKE\n"), "p.csv"));
        assertTrue(back.getMessage().contains("p.csv:3") && back.getMessage().contains("backwards"), back.getMessage());
        var junk = assertThrows(TraceFormatException.class, () -> PowerCurve.read(new StringReader("seconds,watts,state\nabc,61.4,AWAKE\n"), "p.csv"));
        assertTrue(junk.getMessage().contains("p.csv"), junk.getMessage());
    }

    @Test
    void traceReplayOfTheLiveConsolidationPredictsItsMicrosleepsAndSaving() throws Exception {
        var r = LiveReplay.of(FAULTS, POWER, PowerProfile.TABLE_1, PrefetchPolicy.paperDefault(), FLAT);
        assertEquals(3600, r.wallSeconds(), 1e-6);
        assertEquals(52, r.demandFaults());
        assertEquals(r.measured().microsleeps(), r.replayed().microsleeps());
        assertEquals(r.measuredSaving(), r.replayed().savingFraction(), 0.02);
        assertEquals(0.5, r.ourCurveSaving(), 1e-9, "the fleet's prediction is the curve it is given");
    }

    /** Recorded from the daemons (resources/live/README.md): the idle test guest an hour away at 30x time. */
    @Test
    void recordedHourReplaysWithinAPointOfWhatTheDesktopMeasured() throws Exception {
        Path live = Path.of("src/test/resources/live");
        var r = LiveReplay.of(live.resolve("faults-desk-1-recorded-hour.csv"), live.resolve("power-desk-1-recorded-hour.csv"),
                PowerProfile.TABLE_1, PrefetchPolicy.paperDefault(), FLAT, 30);
        assertEquals(3602.4, r.wallSeconds(), 0.1, "the power curve is in the desktop's own seconds");
        assertEquals(9433, r.demandFaults());
        assertEquals(54, r.measured().microsleeps());
        assertEquals(0.3616, r.measuredSaving(), 0.0005);
        assertEquals(r.measuredSaving(), r.replayed().savingFraction(), 0.01, "the trace replay predicts the saving within a point");
        assertEquals(r.measured().microsleeps(), r.replayed().microsleeps(), 3);
        // What moved once each: the desktop reported 3.35 MiB on demand + 35.33 MiB prefetched.
        assertEquals(38.68, r.replayedMiB(), 0.05);
        assertTrue(r.liveMiB() < 40 && r.liveMiB() > 37, "prefetched-then-touched pages count once: " + r.liveMiB());
    }

    @Test
    void withoutTheTimeScaleTheTraceWouldEndAfterTwoMinutesOfAnHour() throws Exception {
        Path live = Path.of("src/test/resources/live");
        var unscaled = LiveReplay.of(live.resolve("faults-desk-1-recorded-hour.csv"), live.resolve("power-desk-1-recorded-hour.csv"),
                PowerProfile.TABLE_1, PrefetchPolicy.paperDefault(), FLAT, 1);
        assertTrue(unscaled.replayed().savingFraction() > unscaled.measuredSaving() + 0.3,
                "all faults squeezed into the first 2 min leave a long sleep: " + unscaled.replayed().savingFraction());
        assertThrows(IllegalArgumentException.class, () -> LiveReplay.of(live.resolve("faults-desk-1-recorded-hour.csv"),
                live.resolve("power-desk-1-recorded-hour.csv"), PowerProfile.TABLE_1, PrefetchPolicy.paperDefault(), FLAT, 0));
    }
}
