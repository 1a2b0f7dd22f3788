package dev.jettison.core.energy;

import java.util.Arrays;

/** Exact inter-arrival samples, sorted once; answers each count by binary search. */
public final class EmpiricalInterArrivals implements InterArrivalDistribution {
    private final double[] sorted;

    public EmpiricalInterArrivals(double[] seconds) {
        this.sorted = seconds.clone();
        for (double s : sorted) {
            if (!(s >= 0) || Double.isInfinite(s)) throw new IllegalArgumentException("inter-arrival must be finite and >= 0: " + s);
        }
        Arrays.sort(sorted);
    }

    /** Inter-arrivals of a sorted series of fault times, in seconds. */
    public static EmpiricalInterArrivals ofFaultTimes(double[] faultTimesSeconds) {
        if (faultTimesSeconds.length < 2) return new EmpiricalInterArrivals(new double[0]);
        double[] gaps = new double[faultTimesSeconds.length - 1];
        for (int i = 1; i < faultTimesSeconds.length; i++) gaps[i - 1] = faultTimesSeconds[i] - faultTimesSeconds[i - 1];
        return new EmpiricalInterArrivals(gaps);
    }

    @Override
    public long count() {
        return sorted.length;
    }

    @Override
    public long countBelow(double seconds) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < seconds) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
