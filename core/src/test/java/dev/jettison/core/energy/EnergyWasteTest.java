package dev.jettison.core.energy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnergyWasteTest {
    private final EnergyWaste waste = new EnergyWaste(PowerProfile.TABLE_1);

    private static double[] samples(int n1, double v1, int n2, double v2) {
        double[] s = new double[n1 + n2];
        Arrays.fill(s, 0, n1, v1);
        Arrays.fill(s, n1, n1 + n2, v2);
        return s;
    }

    @Test
    void conditionalProbabilityByHand() {
        // 90 gaps of 0.5 s, 10 of 100 s; t_b = 32.22 s.
        var d = new EmpiricalInterArrivals(samples(90, 0.5, 10, 100));
        double tb = waste.breakEvenSeconds();
        assertEquals(0.9, d.probabilityTooSoon(0, tb), 1e-12);     // 90 of 100 come before 32.22 s
        assertEquals(0.0, d.probabilityTooSoon(1, tb), 1e-12);     // only 100 s gaps outlast 1 s, none < 33.22 s
        assertEquals(1.0, d.probabilityTooSoon(70, tb), 1e-12);    // all survivors end before 102.22 s
        assertEquals(0.0, d.probabilityTooSoon(101, tb), 1e-12);   // nothing outlasts 101 s
        assertEquals(0.9, d.fractionBelow(1.0), 1e-12);
    }

    @Test
    void optimalWaitJustOutlastsTheShortGaps() {
        // E_waste(0) = 0.9 x 1948.6 J; any t_w > 0.5 s costs only 61.4 t_w: the optimum is the first grid step past 0.5 s.
        var d = new EmpiricalInterArrivals(samples(90, 0.5, 10, 100));
        assertEquals(0.6, waste.optimalWaitSeconds(d), 1e-9);
        assertEquals(0.6 * 61.40, waste.wasteJoules(d, 0.6), 1e-9);
    }

    @Test
    void optimalWaitOutlastsThreeSecondClusters() {
        // 50 gaps of 3 s, 50 of 40 s: waiting past 3 s leaves only 40 s gaps, which stay >= t_w + t_b until t_w = 7.78 s.
        var d = new EmpiricalInterArrivals(samples(50, 3, 50, 40));
        assertEquals(3.1, waste.optimalWaitSeconds(d), 1e-9);
        assertEquals(0.5 * PowerProfile.TABLE_1.transitionJoules(), waste.wasteJoules(d, 0), 1e-9);
    }

    @Test
    void neverWaitingIsBestWhenFaultsAreRare() {
        var d = new EmpiricalInterArrivals(samples(10, 200, 10, 300));
        assertEquals(0.0, waste.optimalWaitSeconds(d), 1e-12);
    }

    @Test
    void histogramAgreesWithExactSamples() {
        double[] s = {0.05, 0.2, 0.2, 1.5, 3.0, 12.0, 59.7, 60.5, 61.0, 250.0, 900.0};
        var exact = new EmpiricalInterArrivals(s);
        var h = new InterArrivalHistogram();
        for (double v : s) h.add(v);
        for (double w = 0; w <= 120; w += 1.0) {
            assertEquals(exact.probabilityTooSoon(w, waste.breakEvenSeconds()), h.probabilityTooSoon(w, waste.breakEvenSeconds()), 1e-12, "t_w=" + w);
        }
        assertEquals(exact.count(), h.count());
    }
}
