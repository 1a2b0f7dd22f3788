package dev.jettison.core.energy;

/**
 * Inter-arrivals in fixed-width bins up to a horizon, plus one overflow bin. Memory is fixed however
 * long a desktop keeps observing faults, which is what the live agent and the streaming simulator need.
 * Counts are exact at bin edges; between edges a bin counts as wholly below the edge above it.
 */
public final class InterArrivalHistogram implements InterArrivalDistribution {
    /** 100 ms resolution: an order finer than the 1 s steps over which Figure 3 changes (§3.3). */
    public static final double DEFAULT_BIN_SECONDS = 0.1;
    /** Longer than t_b + any useful t_w (Figure 4 stops being interesting well before 2 min, §3.3). */
    public static final double DEFAULT_HORIZON_SECONDS = 600.0;

    private final double binSeconds;
    private final long[] bins;
    private long overflow;
    private long total;
    /** Prefix sums rebuilt lazily: queries come in bursts (one optimisation scans ~1,200 waits). */
    private long[] below;
    private boolean dirty = true;

    public InterArrivalHistogram() {
        this(DEFAULT_BIN_SECONDS, DEFAULT_HORIZON_SECONDS);
    }

    public InterArrivalHistogram(double binSeconds, double horizonSeconds) {
        if (!(binSeconds > 0) || !(horizonSeconds > binSeconds)) throw new IllegalArgumentException("bad histogram shape");
        this.binSeconds = binSeconds;
        this.bins = new long[(int) Math.ceil(horizonSeconds / binSeconds)];
    }

    public void add(double seconds) {
        if (!(seconds >= 0)) throw new IllegalArgumentException("inter-arrival must be >= 0: " + seconds);
        long idx = (long) Math.floor(seconds / binSeconds);
        if (idx >= bins.length) overflow++; else bins[(int) idx]++;
        total++;
        dirty = true;
    }

    @Override
    public long count() {
        return total;
    }

    @Override
    public long countBelow(double seconds) {
        if (seconds <= 0) return 0;
        long edge = (long) Math.ceil(seconds / binSeconds - 1e-9);
        if (edge > bins.length) return total - overflow;
        if (dirty) {
            if (below == null) below = new long[bins.length + 1];
            for (int i = 0; i < bins.length; i++) below[i + 1] = below[i] + bins[i];
            dirty = false;
        }
        return below[(int) edge];
    }
}
