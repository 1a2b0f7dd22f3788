package dev.jettison.sim.report;

import java.util.Locale;

/** How close to the paper a figure must come to count as reproduced. */
public sealed interface Tolerance {
    boolean accepts(double paper, double ours);

    String describe();

    /** Within ± {@code points} of the paper's value (percentages, in the figure's own unit). */
    record Points(double points) implements Tolerance {
        public boolean accepts(double paper, double ours) {
            return Math.abs(ours - paper) <= points;
        }

        public String describe() {
            return String.format(Locale.ROOT, "± %.0f points", points);
        }
    }

    /** Within ± {@code fraction} of the paper's value. */
    record Relative(double fraction) implements Tolerance {
        public boolean accepts(double paper, double ours) {
            return Math.abs(ours - paper) <= fraction * Math.abs(paper);
        }

        public String describe() {
            return String.format(Locale.ROOT, "± %.0f %%", 100 * fraction);
        }
    }

    /** Within a factor of the paper's value either way: for latencies the paper reads off a log axis. */
    record Factor(double factor) implements Tolerance {
        public boolean accepts(double paper, double ours) {
            return ours > 0 && ours <= paper * factor && ours >= paper / factor;
        }

        public String describe() {
            return String.format(Locale.ROOT, "within %.0fx", factor);
        }
    }

    /** Anywhere in [lo, hi]: for the paper's qualitative claims ("over two orders of magnitude"). */
    record Between(double lo, double hi) implements Tolerance {
        public boolean accepts(double paper, double ours) {
            return ours >= lo && ours <= hi;
        }

        public String describe() {
            return hi == Double.POSITIVE_INFINITY ? String.format(Locale.ROOT, ">= %s", trim(lo))
                    : String.format(Locale.ROOT, "%s to %s", trim(lo), trim(hi));
        }

        private static String trim(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
