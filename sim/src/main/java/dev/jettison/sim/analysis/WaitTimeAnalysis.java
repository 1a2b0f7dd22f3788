package dev.jettison.sim.analysis;

import dev.jettison.core.energy.EmpiricalInterArrivals;
import dev.jettison.core.energy.EnergyWaste;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.sim.gen.GeneratedConsolidation;
import java.util.List;

/**
 * Figures 3 and 4 (§3.3): from remote-fault inter-arrivals, the probability that the next fault comes
 * too soon for a microsleep given the wait so far, the expected energy waste of each wait, and the
 * wait that minimises it.
 */
public record WaitTimeAnalysis(double breakEvenSeconds, double[] waits, double[] probabilityTooSoon,
                               double[] wasteJoules, double optimalWaitSeconds, double fractionWithinOneSecond, long interArrivals) {

    /** Figure 3 and 4 span 0-60 s of wait in the paper. */
    public static final double PLOT_MAX_WAIT_S = 60;

    public static WaitTimeAnalysis of(List<GeneratedConsolidation> traces, PowerProfile profile) {
        int n = 0;
        for (GeneratedConsolidation c : traces) n += Math.max(0, c.faults().size() - 1);
        double[] gaps = new double[n];
        int k = 0;
        for (GeneratedConsolidation c : traces) {
            var f = c.faults();
            for (int i = 1; i < f.size(); i++) gaps[k++] = (f.get(i).tMillis() - f.get(i - 1).tMillis()) / 1000.0;
        }
        return of(new EmpiricalInterArrivals(gaps), profile);
    }

    public static WaitTimeAnalysis of(EmpiricalInterArrivals d, PowerProfile profile) {
        var waste = new EnergyWaste(profile);
        int steps = (int) PLOT_MAX_WAIT_S * 2;
        double[] w = new double[steps + 1];
        double[] p = new double[steps + 1];
        double[] e = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            w[i] = i * 0.5;
            p[i] = d.probabilityTooSoon(w[i], waste.breakEvenSeconds());
            e[i] = waste.wasteJoules(d, w[i]);
        }
        return new WaitTimeAnalysis(waste.breakEvenSeconds(), w, p, e, waste.optimalWaitSeconds(d), d.fractionBelow(1.0), d.count());
    }
}
