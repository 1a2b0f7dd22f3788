package dev.jettison.sim.analysis;

import dev.jettison.sim.trace.ActivityDay;

/**
 * What the paper says about its 2,086 tracker days (§2 Figure 1, §6), measured on weekday traces so
 * an input experiment can tell whether a varied generator still describes the paper's office.
 *
 * @param idlePeriodsOver5Min   idle periods longer than the 5 min timeout per weekday (the two pieces
 *                              of the night, before and after midnight, count: the simulator's day does)
 * @param idlePeriodsOver15Min  the same, longer than 15 min
 * @param shortIdleShare        share of all idle periods that are under 5 min
 * @param arrivalSdMinutes      spread of the day's first activity over present desktops (§6: flexible hours,
 *                              no synchronised boot storm)
 * @param eveningShare          share of present weekdays with activity from 19:00 (§6: laptops taken home)
 * @param mostIdleDaytimeHour   the middle of the hour (within 10:00-17:00) in which present desktops are least active
 *                              (§6: the lunch hour is the most correlated period of inactivity)
 * @param idleShareOfDay        share of a weekday in idle periods over 5 min
 */
public record TraceStatistics(int desktopDays, double idlePeriodsOver5Min, double idlePeriodsOver15Min, double shortIdleShare,
                              double arrivalSdMinutes, double eveningShare, double mostIdleDaytimeHour, double idleShareOfDay) {

    private static final int FIVE_MIN = 300;
    private static final int EVENING_SLOT = 19 * 3600 / ActivityDay.SLOT_SECONDS;
    private static final int DAYTIME_FROM = 10 * 3600 / ActivityDay.SLOT_SECONDS;
    private static final int HOUR = 3600 / ActivityDay.SLOT_SECONDS;
    private static final int DAYTIME_TO = 17 * 3600 / ActivityDay.SLOT_SECONDS;

    /** A desktop-day's active runs in {@link ActivityDay#activeRuns()}'s layout (the fleet's ActivitySource, for weekdays). */
    @FunctionalInterface
    public interface Weekdays {
        int[] activeRuns(int desktop, int day);
    }

    /** Weekdays {@code 0..days-1} of desktops {@code 0..desktops-1}. */
    public static TraceStatistics of(Weekdays source, int desktops, int days) {
        long over5 = 0, over15 = 0, periods = 0, shortOnes = 0, present = 0, evening = 0;
        double idle5Seconds = 0, arrivalSum = 0, arrivalSq = 0;
        int window = DAYTIME_TO - DAYTIME_FROM;
        long[] activeDiff = new long[window + 1]; // +1 at a run's first daytime slot, -1 after its last
        for (int day = 0; day < days; day++) {
            for (int d = 0; d < desktops; d++) {
                int[] a = source.activeRuns(d, day);
                int prev = 0;
                for (int i = 0; i <= a.length; i += 2) {
                    int end = i < a.length ? a[i] : ActivityDay.SLOTS_PER_DAY;
                    int len = (end - prev) * ActivityDay.SLOT_SECONDS;
                    if (len > 0) {
                        periods++;
                        if (len < FIVE_MIN) shortOnes++;
                        if (len > FIVE_MIN) {
                            over5++;
                            idle5Seconds += len;
                        }
                        if (len > 3 * FIVE_MIN) over15++;
                    }
                    if (i < a.length) prev = a[i + 1];
                }
                if (a.length == 0) continue;
                present++;
                double arrivalMin = a[0] * ActivityDay.SLOT_SECONDS / 60.0;
                arrivalSum += arrivalMin;
                arrivalSq += arrivalMin * arrivalMin;
                if (a[a.length - 1] > EVENING_SLOT) evening++;
                for (int i = 0; i < a.length; i += 2) {
                    int s = Math.max(a[i], DAYTIME_FROM), e = Math.min(a[i + 1], DAYTIME_TO);
                    if (s < e) {
                        activeDiff[s - DAYTIME_FROM]++;
                        activeDiff[e - DAYTIME_FROM]--;
                    }
                }
            }
        }
        int n = desktops * days;
        // Most idle = the hour with the fewest active desktop-slots among the same present desktops.
        long[] prefix = new long[window + 1];
        long active = 0;
        for (int s = 0; s < window; s++) {
            active += activeDiff[s];
            prefix[s + 1] = prefix[s] + active;
        }
        int best = 0;
        for (int s = 1; s + HOUR <= window; s++) if (prefix[s + HOUR] - prefix[s] < prefix[best + HOUR] - prefix[best]) best = s;
        double mean = present == 0 ? 0 : arrivalSum / present;
        double sd = present < 2 ? 0 : Math.sqrt(Math.max(0, arrivalSq / present - mean * mean));
        return new TraceStatistics(n, over5 / (double) n, over15 / (double) n, periods == 0 ? 0 : shortOnes / (double) periods,
                sd, present == 0 ? 0 : evening / (double) present, (DAYTIME_FROM + best + HOUR / 2) * ActivityDay.SLOT_SECONDS / 3600.0,
                idle5Seconds / n / ActivityDay.SECONDS_PER_DAY);
    }
}
