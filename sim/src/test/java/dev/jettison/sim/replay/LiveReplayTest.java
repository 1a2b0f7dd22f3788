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
        assertTrue(e.getMessage().contains("p.csv") && e.getMessage().contains("DOZING"), e.getMessage());
        var back = assertThrows(TraceFormatException.class, () -> PowerCurve.read(new StringReader("seconds,watts,state\n5,61.4,AWAKE\n1,61.4,AWAKE\n"), "p.csv"));
        assertTrue(back.getMessage().contains("backwards"), back.getMessage());
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
}
