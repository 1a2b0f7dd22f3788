package dev.jettison.sim.fleet;

import dev.jettison.sim.gen.OfficeActivityGenerator;
import dev.jettison.sim.gen.OfficeCalibration;
import dev.jettison.sim.trace.ActivityDay;
import dev.jettison.sim.trace.ActivityTraceReader;
import dev.jettison.sim.trace.DayKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where desktop-days come from: the generator, or recorded traces sampled like the paper's (§6). */
@FunctionalInterface
public interface ActivitySource {
    ActivityDay day(int desktop, int day, DayKind kind);

    /** The day's active runs alone, in {@link ActivityDay#activeRuns()}'s layout: all the fleet simulator reads. */
    default int[] activeRuns(int desktop, int day, DayKind kind) {
        return day(desktop, day, kind).activeRuns();
    }

    static ActivitySource generated(long seed) {
        return generated(seed, OfficeCalibration.DEFAULT);
    }

    /** The generator with another calibration: the input experiments of issue 14 vary it. */
    static ActivitySource generated(long seed, OfficeCalibration cal) {
        var g = new OfficeActivityGenerator(seed, cal);
        return new ActivitySource() {
            @Override
            public ActivityDay day(int desktop, int day, DayKind kind) {
                return g.day(desktop, day, kind);
            }

            @Override
            public int[] activeRuns(int desktop, int day, DayKind kind) {
                return g.activeRuns(desktop, day, kind); // skips the record: the year benchmark makes 36.5 million
            }
        };
    }

    /**
     * Desktop-days of the wanted kind from a trace file, assigned to desktops round-robin (the paper
     * drew its 10-500 desktops from 22 users' 2,086 days the same way).
     */
    static ActivitySource fromFile(Path file) throws IOException {
        List<ActivityDay> weekday = new ArrayList<>();
        List<ActivityDay> weekend = new ArrayList<>();
        try (var r = ActivityTraceReader.open(file)) {
            for (ActivityDay d; (d = r.next()) != null; ) (d.kind() == DayKind.WEEKDAY ? weekday : weekend).add(d);
        }
        return (desktop, day, kind) -> {
            List<ActivityDay> pool = kind == DayKind.WEEKDAY ? weekday : weekend;
            if (pool.isEmpty()) throw new IllegalArgumentException(file + " has no " + kind.name().toLowerCase() + " days");
            return pool.get(Math.floorMod(desktop + day * 7919, pool.size()));
        };
    }
}
