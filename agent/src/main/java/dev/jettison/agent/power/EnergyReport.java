package dev.jettison.agent.power;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot of an {@link EnergyMeter}: where the time went, what it cost, and what staying idle
 * would have cost instead (equations 1 and 2, §3.3; normalised like Figures 6 and 7, §5.2).
 *
 * @param profile            name of the power profile the energy was computed from
 * @param wall               time since the meter started; the {@code timeIn} values add up to it exactly
 * @param timeIn             time spent in each state
 * @param joules             energy used: Σ P_state · t_state
 * @param idleJoules         equation (1): the same wall time left powered and idle
 * @param microsleepLengths  time in S3 of each microsleep, the one in progress measured up to now
 * @param wakeups            completed wake-ups by cause
 * @param abortedSuspends    suspends that resumed without reaching S3
 * @param series             the power curve, one step per state change, for a plot like Figure 8
 * @param state              the state at the snapshot
 */
public record EnergyReport(String profile, Duration wall, Map<PowerState, Duration> timeIn, double joules,
                           double idleJoules, List<Duration> microsleepLengths, Map<WakeSource, Long> wakeups,
                           long abortedSuspends, List<PowerStep> series, PowerState state) {
    private static final double JOULES_PER_WH = 3600.0;

    public EnergyReport {
        timeIn = Map.copyOf(new EnumMap<>(timeIn));
        microsleepLengths = List.copyOf(microsleepLengths);
        wakeups = Map.copyOf(wakeups);
        series = List.copyOf(series);
    }

    public Duration timeIn(PowerState s) {
        return timeIn.getOrDefault(s, Duration.ZERO);
    }

    public double wattHours() {
        return joules / JOULES_PER_WH;
    }

    public double idleWattHours() {
        return idleJoules / JOULES_PER_WH;
    }

    /** Energy saved against staying idle; negative when microsleeps cost more than they saved (§5.2). */
    public double savingWattHours() {
        return (idleJoules - joules) / JOULES_PER_WH;
    }

    /** Saving as a percentage of the idle energy, the measure of Figure 7 (§5.2); 0 before any time passed. */
    public double savingPercent() {
        return idleJoules == 0 ? 0 : 100.0 * (idleJoules - joules) / idleJoules;
    }

    /** Mean draw over the wall time, the "61.4 W to 43.8 W" of Figure 8 (§5.2). */
    public double averageWatts() {
        double s = seconds(wall);
        return s == 0 ? 0 : joules / s;
    }

    public int microsleeps() {
        return microsleepLengths.size();
    }

    /** Mean microsleep length, the metric of Figure 5 (§3.4); zero without microsleeps. */
    public Duration meanMicrosleep() {
        if (microsleepLengths.isEmpty()) return Duration.ZERO;
        Duration sum = Duration.ZERO;
        for (Duration d : microsleepLengths) sum = sum.plus(d);
        return sum.dividedBy(microsleepLengths.size());
    }

    public long wakeups(WakeSource by) {
        return wakeups.getOrDefault(by, 0L);
    }

    public long totalWakeups() {
        return wakeups.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The power curve as CSV ("seconds,watts,state"), two rows per step so that plotting the
     * points joined by lines draws the steps, and a last row at the snapshot's wall time.
     */
    public String seriesCsv() {
        var sb = new StringBuilder("seconds,watts,state\n");
        for (int i = 0; i < series.size(); i++) {
            PowerStep s = series.get(i);
            Duration end = i + 1 < series.size() ? series.get(i + 1).at() : wall;
            row(sb, s.at(), s);
            row(sb, end, s);
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, Duration at, PowerStep s) {
        sb.append(String.format(Locale.ROOT, "%.9f,%.2f,%s\n", seconds(at), s.watts(), s.state()));
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
