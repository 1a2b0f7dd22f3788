package dev.jettison.core.microsleep;

import dev.jettison.core.energy.EnergyWaste;
import dev.jettison.core.energy.InterArrivalHistogram;
import dev.jettison.core.energy.PowerProfile;

/**
 * t_w learnt from this desktop's own faults: observed inter-arrivals go into a bounded histogram and
 * t_w is re-optimised with equation (4) (§3.3) every {@link #reoptimiseEvery} requests. Until enough
 * inter-arrivals are seen it uses the paper's 6 s, which came from the same optimisation on the
 * deployment's traces.
 */
public final class AdaptiveWaitPolicy implements MicrosleepPolicy {
    /** Inter-arrivals needed before trusting our own estimate over the paper's. */
    public static final int DEFAULT_MIN_SAMPLES = 500;
    /** Re-optimising scans the histogram; doing it every request would be wasteful. */
    public static final int DEFAULT_REOPTIMISE_EVERY = 256;

    private final EnergyWaste waste;
    private final InterArrivalHistogram histogram = new InterArrivalHistogram();
    private final int minSamples;
    private final int reoptimiseEvery;
    private long waitMillis;
    private long lastRequest = Long.MIN_VALUE;
    private long sinceOptimised;

    public AdaptiveWaitPolicy(PowerProfile profile) {
        this(profile, DEFAULT_MIN_SAMPLES, DEFAULT_REOPTIMISE_EVERY);
    }

    public AdaptiveWaitPolicy(PowerProfile profile, int minSamples, int reoptimiseEvery) {
        this(profile, Math.round(PAPER_OPTIMAL_WAIT_SECONDS * 1000), minSamples, reoptimiseEvery);
    }

    /**
     * @param initialWaitMillis t_w until enough inter-arrivals are seen: another deployment's optimum, or a
     *                          short wait for a desktop whose transitions are fast or emulated
     */
    public AdaptiveWaitPolicy(PowerProfile profile, long initialWaitMillis, int minSamples, int reoptimiseEvery) {
        if (minSamples < 1 || reoptimiseEvery < 1) {
            throw new IllegalArgumentException("bad adaptive policy settings: minSamples " + minSamples
                    + " and reoptimiseEvery " + reoptimiseEvery + " must be >= 1");
        }
        if (initialWaitMillis < 0) throw new IllegalArgumentException("initial wait must be >= 0 ms: " + initialWaitMillis);
        this.waitMillis = initialWaitMillis;
        this.waste = new EnergyWaste(profile);
        this.minSamples = minSamples;
        this.reoptimiseEvery = reoptimiseEvery;
    }

    @Override
    public void onRequest(long nowMillis) {
        if (lastRequest != Long.MIN_VALUE) {
            if (nowMillis < lastRequest) {
                throw new IllegalArgumentException("request at " + nowMillis + " ms is before the previous one at " + lastRequest + " ms");
            }
            histogram.add((nowMillis - lastRequest) / 1000.0);
            if (histogram.count() >= minSamples && ++sinceOptimised >= reoptimiseEvery) {
                waitMillis = Math.round(waste.optimalWaitSeconds(histogram) * 1000);
                sinceOptimised = 0;
            }
        }
        lastRequest = nowMillis;
    }

    @Override
    public long waitMillis() {
        return waitMillis;
    }

    @Override
    public long sleepAtMillis() {
        return lastRequest == Long.MIN_VALUE ? Long.MIN_VALUE : lastRequest + waitMillis;
    }

    public long observedInterArrivals() {
        return histogram.count();
    }
}
