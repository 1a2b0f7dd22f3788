package dev.jettison.sim.analysis;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.microsleep.MicrosleepPolicy;
import dev.jettison.core.prefetch.HoardHistory;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.microsleep.ReplayPoint;
import java.util.List;

/**
 * Figure 7 (§5.2): expected desktop energy saving as a function of how long the VM stays consolidated,
 * averaged over generated consolidations of different VMs, with on-demand prefetch and the microsleep
 * policy. The fleet simulator scales each partial consolidation's idle energy by this curve (§6).
 */
public record SavingsCurve(String profileName, double[] seconds, double[] saving) {

    /** Consolidation times evaluated, in minutes: dense where the curve bends, up to the paper's 308 min point and beyond. */
    public static final double[] DEFAULT_MINUTES = {0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 67, 80, 100,
            120, 150, 180, 240, 308, 360, 480, 600, 720, 900};

    /**
     * Figure 7 as the paper reports its deployment (§5.2): savings from idle periods "as short as 4
     * minutes", 7 % to 16 % under 10 minutes, 78 % at 67 minutes, 91 % at 308 minutes. §6 scales each
     * partial consolidation by this curve; the paper model uses these points, not our traces'.
     */
    public static SavingsCurve paperFigure7() {
        return new SavingsCurve("paper Figure 7 (§5.2)", new double[] {4 * 60, 5 * 60, 10 * 60, 67 * 60, 308 * 60},
                new double[] {0.0, 0.07, 0.16, 0.78, 0.91});
    }

    public static SavingsCurve compute(RemoteFaultGenerator gen, PowerProfile profile, int vms, PrefetchPolicy prefetch) {
        double[] s = new double[DEFAULT_MINUTES.length];
        for (int i = 0; i < s.length; i++) s[i] = DEFAULT_MINUTES[i] * 60;
        double[] sum = new double[s.length];
        for (int vm = 0; vm < vms; vm++) {
            var c = gen.consolidation(vm, 0, s[s.length - 1]);
            var out = ConsolidationReplay.run(c, prefetch, new HoardHistory(), profile, MicrosleepPolicy::paperDefault, s);
            List<ReplayPoint> pts = out.points();
            for (int i = 0; i < s.length; i++) sum[i] += pts.get(i).savingFraction();
        }
        for (int i = 0; i < s.length; i++) sum[i] /= vms;
        return new SavingsCurve(profile.name(), s, sum);
    }

    /** Fraction saved for a consolidation of {@code t} seconds (see {@link #savedJoules}). */
    public double at(double t) {
        return t <= 0 ? saving[0] : savedJoules(t, 1.0) / t;
    }

    /**
     * Joules saved by a consolidation of {@code t} seconds on a desktop idling at {@code idleWatts}.
     * Interpolates saved energy, not the fraction: a short consolidation still pays a whole
     * suspend/resume, so its loss stays finite as t shrinks. Beyond the last point, the last slope.
     */
    public double savedJoules(double t, double idleWatts) {
        int last = seconds.length - 1;
        if (t <= seconds[0]) return saving[0] * seconds[0] * idleWatts;
        if (t >= seconds[last]) {
            double slope = (saving[last] * seconds[last] - saving[last - 1] * seconds[last - 1]) / (seconds[last] - seconds[last - 1]);
            return (saving[last] * seconds[last] + slope * (t - seconds[last])) * idleWatts;
        }
        int lo = 0;
        int hi = last;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (seconds[mid] <= t) lo = mid; else hi = mid;
        }
        double f = (t - seconds[lo]) / (seconds[hi] - seconds[lo]);
        double a = saving[lo] * seconds[lo];
        double b = saving[hi] * seconds[hi];
        return (a + f * (b - a)) * idleWatts;
    }
}
