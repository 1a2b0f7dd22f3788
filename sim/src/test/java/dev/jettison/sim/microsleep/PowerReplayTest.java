package dev.jettison.sim.microsleep;

import static org.junit.jupiter.api.Assertions.*;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.microsleep.MicrosleepPolicy;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PowerReplayTest {
    private static final PowerProfile P = PowerProfile.TABLE_1;

    @Test
    void noRequestsMeansOneLongSleepByHand() {
        var r = new PowerReplay(P, MicrosleepPolicy.fixed(6), new double[] {100});
        ReplayPoint pt = r.finish().getFirst();
        double asleep = 100 - 6 - 8.38;
        assertEquals(6, pt.awakeSeconds(), 1e-9);
        assertEquals(8.38, pt.suspendingSeconds(), 1e-9);
        assertEquals(asleep, pt.asleepSeconds(), 1e-9);
        assertEquals(1, pt.microsleeps());
        double expected = 6 * 61.40 + 8.38 * 107.90 + asleep * 1.95 + 8.58 * 121.72;
        assertEquals(expected, pt.joules(), 1e-9);
    }

    @Test
    void requestDuringSleepCostsAResume() {
        var r = new PowerReplay(P, MicrosleepPolicy.fixed(6), new double[] {200});
        r.request(50);
        ReplayPoint pt = r.finish().getFirst();
        assertEquals(2, pt.microsleeps());
        assertEquals(8.58, pt.resumingSeconds(), 1e-9);
        // awake 0-6 and 58.58-64.58
        assertEquals(12, pt.awakeSeconds(), 1e-9);
    }

    @Test
    void requestsDuringSuspendWaitForSuspendThenResume() {
        var r = new PowerReplay(P, MicrosleepPolicy.fixed(6), new double[] {25});
        r.request(7); // suspend began at 6; resume ends at 22.96, next sleep would be at 28.96
        ReplayPoint pt = r.finish().getFirst();
        assertEquals(8.38, pt.suspendingSeconds(), 1e-9);
        assertEquals(8.58, pt.resumingSeconds(), 1e-9);
        assertEquals(0, pt.asleepSeconds(), 1e-9);
        assertEquals(6 + 25 - 22.96, pt.awakeSeconds(), 1e-9);
    }

    @Test
    void stateTimesAlwaysSumToTheHorizon() {
        var rng = new SplittableRandom(7);
        double[] horizons = {60, 300, 600, 1800, 3600, 7200};
        var r = new PowerReplay(P, MicrosleepPolicy.fixed(6), horizons);
        double t = 0;
        while (t < 8000) {
            t += rng.nextDouble() < 0.9 ? rng.nextDouble() : rng.nextDouble() * 120;
            r.request(t);
        }
        List<ReplayPoint> pts = r.finish();
        assertEquals(horizons.length, pts.size());
        for (ReplayPoint pt : pts) assertEquals(pt.horizonSeconds(), pt.accountedSeconds(), 1e-6);
    }

    @Test
    void busyDesktopNeverSleepsAndSavesNothing() {
        var r = new PowerReplay(P, MicrosleepPolicy.fixed(6), new double[] {100});
        for (int i = 1; i <= 100; i++) r.request(i);
        ReplayPoint pt = r.finish().getFirst();
        assertEquals(0, pt.microsleeps());
        assertEquals(0, pt.savingFraction(), 1e-12);
    }
}
