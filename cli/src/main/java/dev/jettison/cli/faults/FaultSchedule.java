package dev.jettison.cli.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws every run's random points from the seed. Each run draws from its own generator, seeded by
 * the suite's seed and the run's kind, phase and index, so that choosing fewer kinds or phases
 * leaves the other runs' points as they were: a failure is reproduced by the same seed alone.
 */
public final class FaultSchedule {
    /** The paper's "consolidation" and "reintegration" phases: the fault lands 0-300 ms after the request. */
    static final long REQUEST_WINDOW_MILLIS = 300;
    static final long REMOTE_MIN_MILLIS = 1000;
    static final long REMOTE_MAX_MILLIS = 5000;

    private FaultSchedule() {}

    public static List<FaultPlan> plans(long seed, List<FaultKind> kinds, List<Phase> phases, int runs,
                                        long minOutageMillis, long maxOutageMillis) {
        if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1: " + runs);
        if (minOutageMillis < 0 || maxOutageMillis < minOutageMillis) {
            throw new IllegalArgumentException("outage range " + minOutageMillis + ".." + maxOutageMillis + " ms is empty");
        }
        var plans = new ArrayList<FaultPlan>();
        for (var kind : kinds) {
            for (var phase : phases) {
                for (int run = 1; run <= runs; run++) {
                    var r = new SplittableRandom(seed * 1_000_003L + (kind.name() + "/" + phase.label() + "/" + run).hashCode());
                    long patternSeed = 1 + r.nextLong(1 << 30);
                    long remote = phase == Phase.REINTEGRATION ? r.nextLong(REMOTE_MIN_MILLIS, REMOTE_MAX_MILLIS + 1) : 0;
                    long inject = phase == Phase.REMOTE ? r.nextLong(REMOTE_MIN_MILLIS, REMOTE_MAX_MILLIS + 1)
                            : r.nextLong(REQUEST_WINDOW_MILLIS + 1);
                    long outage = r.nextLong(minOutageMillis, maxOutageMillis + 1);
                    plans.add(new FaultPlan(kind, phase, run, patternSeed, remote, inject, outage));
                }
            }
        }
        return plans;
    }
}
