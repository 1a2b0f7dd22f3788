package dev.jettison.sim.gen;

import dev.jettison.sim.trace.ActivityDay;
import dev.jettison.sim.trace.DayKind;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Seeded synthetic user-activity traces, one desktop-day at a time. A desktop-day depends only on
 * (seed, desktop, day), so a fleet can be generated lazily, in any order, without storing traces.
 */
public final class OfficeActivityGenerator {
    private final long seed;
    private final OfficeCalibration cal;

    public OfficeActivityGenerator(long seed) {
        this(seed, OfficeCalibration.DEFAULT);
    }

    public OfficeActivityGenerator(long seed, OfficeCalibration cal) {
        this.seed = seed;
        this.cal = cal;
    }

    public ActivityDay day(int desktop, int day, DayKind kind) {
        return new ActivityDay("d" + desktop, day, kind, activeRuns(desktop, day, kind));
    }

    /**
     * The same desktop-day as {@link #day} as its bare active runs ({@link ActivityDay#activeRuns()}'s
     * layout): the fleet simulator reads nothing else, and a year of 100,000 desktops would otherwise
     * build, check and copy 36.5 million records and names it never uses.
     */
    public int[] activeRuns(int desktop, int day, DayKind kind) {
        RandomGenerator rng = new SplittableRandom(Seeds.mix(seed, desktop, day, kind.ordinal()));
        RunBuilder runs = new RunBuilder();
        if (kind == DayKind.WEEKDAY) weekday(rng, runs); else weekend(rng, runs);
        return runs.toArray();
    }

    private void weekday(RandomGenerator rng, RunBuilder runs) {
        if (rng.nextDouble() < cal.absentWeekdayProbability()) return;
        double arrive = Distributions.clamp(Distributions.normal(rng, cal.arrivalMean(), cal.arrivalSd()), 6.5 * 3600, 12 * 3600);
        double leave = Distributions.clamp(arrive + Distributions.normal(rng, cal.workdayMean(), cal.workdaySd()), arrive + 2 * 3600, 23.5 * 3600);
        double lunch = Distributions.normal(rng, cal.lunchStartMean(), cal.lunchStartSd());
        double lunchEnd = lunch + cal.lunchMin() + rng.nextDouble() * (cal.lunchMax() - cal.lunchMin());
        if (lunch > arrive && lunchEnd < leave) {
            session(rng, runs, arrive, lunch);
            session(rng, runs, lunchEnd, leave);
        } else {
            session(rng, runs, arrive, leave);
        }
        if (rng.nextDouble() < cal.eveningProbability()) {
            double start = Math.max(leave + 1800, Distributions.normal(rng, cal.eveningStartMean(), cal.eveningStartSd()));
            double len = cal.eveningMin() + rng.nextDouble() * (cal.eveningMax() - cal.eveningMin());
            session(rng, runs, start, Math.min(start + len, ActivityDay.SECONDS_PER_DAY));
        }
    }

    private void weekend(RandomGenerator rng, RunBuilder runs) {
        if (rng.nextDouble() >= cal.weekendActiveProbability()) return;
        int sessions = 1 + rng.nextInt(2);
        double t = 10 * 3600 + rng.nextDouble() * 4 * 3600;
        for (int i = 0; i < sessions && t < 22 * 3600; i++) {
            double len = cal.weekendSessionMin() + rng.nextDouble() * (cal.weekendSessionMax() - cal.weekendSessionMin());
            session(rng, runs, t, Math.min(t + len, ActivityDay.SECONDS_PER_DAY));
            t += len + 3600 + rng.nextDouble() * 4 * 3600;
        }
    }

    /** A stretch at the desk: active bouts separated by mostly short, sometimes long, idle gaps. */
    private void session(RandomGenerator rng, RunBuilder runs, double start, double end) {
        double t = start;
        while (t < end) {
            double bout = Distributions.logNormalMedian(rng, cal.activeBoutMedian(), cal.activeBoutSigma());
            runs.active(t, Math.min(t + bout, end));
            t += bout + idleGap(rng);
        }
    }

    private double idleGap(RandomGenerator rng) {
        double u = rng.nextDouble();
        double median;
        if (u < cal.shortIdleShare()) median = cal.shortIdleMedian();
        else if (u < cal.shortIdleShare() + cal.mediumIdleShare()) median = cal.mediumIdleMedian();
        else median = cal.longIdleMedian();
        return Distributions.logNormalMedian(rng, median, cal.idleSigma());
    }

    /** Collects active runs on the 5 s slot grid, merging runs that touch. */
    private static final class RunBuilder {
        private int[] a = new int[32];
        private int n;

        void active(double startS, double endS) {
            int s = (int) Math.max(0, Math.floor(startS / ActivityDay.SLOT_SECONDS));
            int e = (int) Math.min(ActivityDay.SLOTS_PER_DAY, Math.ceil(endS / ActivityDay.SLOT_SECONDS));
            if (e <= s) return;
            if (n > 0 && s <= a[n - 1]) { // touches or overlaps the previous run
                a[n - 1] = Math.max(a[n - 1], e);
                return;
            }
            if (n + 2 > a.length) a = java.util.Arrays.copyOf(a, a.length * 2);
            a[n++] = s;
            a[n++] = e;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
