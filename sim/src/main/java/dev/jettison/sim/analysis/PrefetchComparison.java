package dev.jettison.sim.analysis;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.microsleep.MicrosleepPolicy;
import dev.jettison.core.prefetch.HoardHistory;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.gen.Distributions;
import dev.jettison.sim.gen.GeneratedConsolidation;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.gen.Seeds;
import dev.jettison.sim.microsleep.ReplayPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Figures 5 and 6 (§3.4): one VM consolidated many times (the paper's had 58), replayed under each
 * prefetch strategy over a sweep of its size parameter; per setting, mean MiB migrated per
 * consolidation against mean microsleep length and energy saving.
 */
public final class PrefetchComparison {
    /** The paper's VM was consolidated 58 times (§3.4). */
    public static final int PAPER_CONSOLIDATIONS = 58;
    /** Median idle period we give that VM: a working day's mix of short and lunch-length absences. */
    public static final double MEDIAN_CONSOLIDATION_S = 40 * 60;

    public record Point(String strategy, PrefetchPolicy policy, double migratedMiB, double meanMicrosleepS, double saving, long remoteRequests) {
    }

    public static final int[] WINDOWS = {0, 2, 4, 8, 12, 16, 20, 32, 48, 64};
    public static final long[] HOARD_PAGES = {0, 640, 1280, 2560, 5120, 7680, 10240, 12800};

    public static List<GeneratedConsolidation> consolidations(RemoteFaultGenerator gen, int vm, int count) {
        var rng = new SplittableRandom(Seeds.mix(vm, 58));
        List<GeneratedConsolidation> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double d = Distributions.clamp(Distributions.logNormalMedian(rng, MEDIAN_CONSOLIDATION_S, 1.0), 120, 16 * 3600);
            out.add(gen.consolidation(vm, i, d));
        }
        return out;
    }

    /** Every setting is independent, so they run in parallel; the list keeps the sweep's order. */
    public static List<Point> sweep(List<GeneratedConsolidation> cs, PowerProfile profile) {
        List<Map.Entry<String, PrefetchPolicy>> settings = new ArrayList<>();
        for (int w : WINDOWS) settings.add(Map.entry("on-demand", new PrefetchPolicy.OnDemand(w)));
        for (long h : HOARD_PAGES) settings.add(Map.entry("hoarding", new PrefetchPolicy.Hoarding(h)));
        for (long h : HOARD_PAGES) settings.add(Map.entry("both", new PrefetchPolicy.Combined(PrefetchPolicy.DEFAULT_PIVOT_WINDOW, h)));
        return settings.parallelStream().map(e -> evaluate(e.getKey(), e.getValue(), cs, profile)).toList();
    }

    public static Point evaluate(String name, PrefetchPolicy policy, List<GeneratedConsolidation> cs, PowerProfile profile) {
        var history = new HoardHistory();
        double mib = 0, joules = 0, idle = 0, asleep = 0;
        long sleeps = 0, requests = 0;
        for (GeneratedConsolidation c : cs) {
            var out = ConsolidationReplay.run(c, policy, history, profile, MicrosleepPolicy::paperDefault, new double[] {c.durationSeconds()});
            ReplayPoint p = out.points().getFirst();
            mib += out.migratedMiB();
            joules += p.joules();
            idle += p.idleJoules();
            asleep += p.asleepSeconds();
            sleeps += p.microsleeps();
            requests += out.remoteRequests();
        }
        return new Point(name, policy, mib / cs.size(), sleeps == 0 ? 0 : asleep / sleeps, 1 - joules / idle, requests);
    }
}
