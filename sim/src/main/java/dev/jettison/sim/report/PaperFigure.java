package dev.jettison.sim.report;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One number §6 publishes, how we measure it on a {@link ModelRun}, and how close we must come.
 *
 * @param where  the figure or sentence it comes from
 * @param paper  the paper's value, in {@code unit}
 */
public record PaperFigure(String name, String where, double paper, String unit, Tolerance tolerance, ToDoubleFunction<ModelRun> measure) {

    public double of(ModelRun run) {
        return measure.applyAsDouble(run);
    }

    public boolean reproducedBy(ModelRun run) {
        double v = of(run);
        return !Double.isNaN(v) && tolerance.accepts(paper, v);
    }

    public String format(double v) {
        if (Double.isNaN(v)) return "n/a";
        String num = Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
        return unit.isEmpty() ? num : num + " " + unit;
    }

    /** The figures `jettison sim reproduce` checks, in the paper's order (§6, Figures 10 and 11). */
    public static List<PaperFigure> section6() {
        return List.of(
                new PaperFigure("partial / full energy, best timeout, 100 desktops", "Fig. 10, §6 \"within 85%\"", 85, "%",
                        new Tolerance.Points(10), r -> 100 * r.bestPartialOverBestFull()),
                new PaperFigure("idle-timeout sweet spot, full", "Fig. 10, §6 \"between 5-10 min\"", 7.5, "min",
                        new Tolerance.Between(5, 10), r -> r.sweetSpotMinutes("full")),
                new PaperFigure("idle-timeout sweet spot, partial", "Fig. 10, §6 \"between 5-10 min\"", 7.5, "min",
                        new Tolerance.Between(5, 10), r -> r.sweetSpotMinutes("partial")),
                new PaperFigure("full reintegration latency, 100 desktops", "Fig. 11(a), §6 \"151 s\"", 151, "s",
                        new Tolerance.Factor(2), r -> r.weekday("full", 100).latencyMeanS()),
                new PaperFigure("latency gap full/partial, 100 desktops", "Fig. 11(a) \"over two orders\"", 2, "orders",
                        new Tolerance.Between(2, Double.POSITIVE_INFINITY), r -> r.latencyOrders(100)),
                new PaperFigure("latency gap full/partial, 500 desktops", "Fig. 11(a) \"three orders\"", 3, "orders",
                        new Tolerance.Between(2.5, 3.5), r -> r.latencyOrders(500)),
                new PaperFigure("full migration network use, 100 desktops", "Fig. 11(b), §6 \"65% utilization\"", 65, "%",
                        new Tolerance.Points(15), r -> 100 * r.weekday("full", 100).networkUtilisation()),
                new PaperFigure("network full/partial, 100 desktops", "Fig. 11(b) \"an order of magnitude\"", 10, "x",
                        new Tolerance.Between(10, Double.POSITIVE_INFINITY), r -> r.networkRatio(100)),
                new PaperFigure("partial / full energy, 10 desktops", "Fig. 11(c), §6 \"85%\"", 85, "%",
                        new Tolerance.Points(10), r -> 100 * r.partialOverFull(10)),
                new PaperFigure("partial / full energy, 500 desktops", "Fig. 11(c), §6 \"104%\"", 104, "%",
                        new Tolerance.Points(10), r -> 100 * r.partialOverFull(500)),
                new PaperFigure("partial, USD per desktop-year", "Fig. 11(c), §6 \"USD 37.35\"", 37.35, "USD",
                        new Tolerance.Relative(0.15), r -> r.usdPerDesktopYear("partial")),
                new PaperFigure("full, USD per desktop-year", "Fig. 11(c), §6 \"33.95\"", 33.95, "USD",
                        new Tolerance.Relative(0.15), r -> r.usdPerDesktopYear("full")),
                new PaperFigure("share of a weekday on the server, partial, 100 desktops", "§6 \"76%\"", 76, "%",
                        new Tolerance.Points(10), r -> 100 * r.weekday("partial", 100).fractionAway()));
    }
}
