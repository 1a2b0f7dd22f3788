package dev.jettison.sim.fleet;

import dev.jettison.sim.trace.DayKind;

/** Which days a fleet run simulates: one kind only (the paper ran weekdays and weekends apart, §6), or a calendar. */
public sealed interface DayPlan {
    int count();

    DayKind kindOf(int day);

    /** "weekday", "weekend" or "calendar", for tables and CSV. */
    String label();

    /** {@code count} days all of one kind, as the paper simulated them (§6). */
    record Only(DayKind kind, int count) implements DayPlan {
        public Only {
            if (count <= 0) throw new IllegalArgumentException("days must be > 0");
        }

        public DayKind kindOf(int day) {
            return kind;
        }

        public String label() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code count} consecutive days from a Monday: five weekdays, then two weekend days. */
    record Calendar(int count) implements DayPlan {
        public static final int YEAR = 365;

        public Calendar {
            if (count <= 0) throw new IllegalArgumentException("days must be > 0");
        }

        public DayKind kindOf(int day) {
            return day % 7 >= 5 ? DayKind.WEEKEND : DayKind.WEEKDAY;
        }

        public String label() {
            return "calendar";
        }
    }
}
