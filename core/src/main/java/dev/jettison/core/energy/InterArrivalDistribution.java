package dev.jettison.core.energy;

/**
 * Observed times between consecutive remote faults, as needed by Figure 3 and equation (4) (§3.3).
 * Two shapes: exact samples for offline analyses, and a bounded histogram for an agent that observes
 * faults forever.
 */
public sealed interface InterArrivalDistribution permits EmpiricalInterArrivals, InterArrivalHistogram {

    /** Number of observed inter-arrivals. */
    long count();

    /** Number of inter-arrivals I with I &lt; seconds. */
    long countBelow(double seconds);

    /**
     * p(I &lt; t_b + t_w | I &ge; t_w): having waited t_w since the last fault without seeing another, the
     * probability that the next fault still comes too soon for a microsleep to pay off (Figure 3, §3.3).
     * Zero when no inter-arrival is at least t_w long (nothing left that could interrupt a sleep).
     */
    default double probabilityTooSoon(double waitSeconds, double breakEvenSeconds) {
        long atLeastWait = count() - countBelow(waitSeconds);
        if (atLeastWait == 0) return 0.0;
        long tooSoon = countBelow(waitSeconds + breakEvenSeconds) - countBelow(waitSeconds);
        return (double) tooSoon / atLeastWait;
    }

    /** Fraction of inter-arrivals shorter than {@code seconds} (the paper's 99.23 % within 1 s, §3.3). */
    default double fractionBelow(double seconds) {
        return count() == 0 ? 0.0 : (double) countBelow(seconds) / count();
    }
}
