package dev.jettison.sim.fleet;

/**
 * Latencies in 1 %-wide logarithmic bins from 1 ms to ~11 days: fixed memory however many
 * reintegrations a run has, percentiles good to 1 %.
 */
public final class LatencyHistogram {
    private static final double MIN_S = 0.001;
    private static final double GROWTH = Math.log(1.01);
    private final long[] bins = new long[2200];
    private long count;
    private double sum;
    private double max;

    public void add(double seconds) {
        int b = seconds <= MIN_S ? 0 : (int) Math.min(bins.length - 1, Math.floor(Math.log(seconds / MIN_S) / GROWTH) + 1);
        bins[b]++;
        count++;
        sum += seconds;
        max = Math.max(max, seconds);
    }

    public void addAll(LatencyHistogram o) {
        for (int i = 0; i < bins.length; i++) bins[i] += o.bins[i];
        count += o.count;
        sum += o.sum;
        max = Math.max(max, o.max);
    }

    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    public double max() {
        return max;
    }

    /** Upper edge of the bin holding the q-quantile (never above the observed maximum). */
    public double quantile(double q) {
        if (count == 0) return 0;
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int i = 0; i < bins.length; i++) {
            seen += bins[i];
            if (seen >= rank) return Math.min(max, MIN_S * Math.exp(GROWTH * i));
        }
        return max;
    }
}
