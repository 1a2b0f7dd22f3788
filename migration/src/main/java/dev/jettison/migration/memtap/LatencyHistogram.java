package dev.jettison.migration.memtap;

/**
 * Log-linear histogram of durations in nanoseconds with under 1 % relative error, fixed size
 * whatever the count: remote-fault service times are recorded for a whole consolidation, which
 * can be millions of faults. Not thread-safe; callers hold their own lock.
 */
public final class LatencyHistogram {
    /** 64 linear sub-buckets per power of two: relative error at most 1/64. */
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private final long[] counts = new long[(64 - SUB_BITS) * SUB];
    private long total;
    private long max;

    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        if (v > max) max = v;
    }

    public long count() { return total; }

    public long maxNanos() { return max; }

    /** The value at quantile {@code q} in [0, 1] (upper bound of its bucket, capped at the max), 0 when empty. */
    public long quantileNanos(double q) {
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(upperBound(i), max);
        }
        return max;
    }

    /** Values below 64 are exact; above, v = m * 2^s with m in [64, 128) and 64 buckets per power of two. */
    static int index(long v) {
        if (v < SUB) return (int) v;
        int s = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
        long m = v >>> s;
        return SUB * (s + 1) + (int) (m - SUB);
    }

    static long upperBound(int i) {
        if (i < SUB) return i;
        int s = i / SUB - 1;
        long m = i % SUB + SUB;
        return ((m + 1) << s) - 1;
    }
}
