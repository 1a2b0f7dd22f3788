package dev.jettison.sim.report;

import dev.jettison.core.energy.CostModel;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.fleet.FleetConfig;
import dev.jettison.sim.fleet.FleetModel;
import dev.jettison.sim.fleet.FleetResult;
import dev.jettison.sim.fleet.FleetSimulator;
import dev.jettison.sim.fleet.Scheme;
import dev.jettison.sim.trace.DayKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Section 6 under one {@link FleetModel}: the Figure 10 timeout sweep at 100 desktops and the
 * Figure 11 scaling runs at a 5 min timeout, with the derived figures the paper quotes.
 */
public record ModelRun(FleetModel model, List<FleetResult> sweep, List<FleetResult> scale) {
    public static final int[] DESKTOPS = {10, 50, 100, 200, 300, 400, 500};
    public static final double[] TIMEOUT_MIN = {1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60};
    /** Figure 10 is for 100 desktops (§6). */
    public static final int FIG10_DESKTOPS = 100;
    /** §6 quotes the per-desktop slope "with at least 100 desktops"; we take it from 100 to 500. */
    public static final int SLOPE_FROM = 100;
    public static final int SLOPE_TO = 500;
    /** A timeout is in the sweet spot while it keeps at least this share of the sweep's best saving. */
    public static final double SWEET_SPOT_SHARE = 0.90;

    /** @param weekends also run Figure 11(c)'s weekend days (the paper's other dataset) */
    public static ModelRun run(FleetModel model, FleetSimulator sim, SavingsCurve ourCurve, long seed, boolean weekends) {
        return run(model, sim, ourCurve, seed, weekends, DESKTOPS);
    }

    /**
     * @param desktops the office sizes of the scaling runs; every {@link PaperFigure} needs 10, 100 and 500
     *                 (the input experiments run only those)
     */
    public static ModelRun run(FleetModel model, FleetSimulator sim, SavingsCurve ourCurve, long seed, boolean weekends, int[] desktops) {
        Scheme full = model.full();
        Scheme partial = model.partial(ourCurve);
        List<FleetResult> sweep = new ArrayList<>();
        for (Scheme s : List.of(full, partial)) {
            for (double m : TIMEOUT_MIN) sweep.add(sim.run(FleetConfig.paper(FIG10_DESKTOPS, DayKind.WEEKDAY, seed, model).withTimeout(m * 60), s));
        }
        List<FleetResult> scale = new ArrayList<>();
        for (DayKind k : weekends ? List.of(DayKind.values()) : List.of(DayKind.WEEKDAY)) {
            for (Scheme s : List.of(full, partial)) for (int d : desktops) scale.add(sim.run(FleetConfig.paper(d, k, seed, model), s));
        }
        return new ModelRun(model, sweep, scale);
    }

    public FleetResult at(String scheme, int desktops, DayKind k) {
        return scale.stream().filter(r -> r.scheme().equals(scheme) && r.config().desktops() == desktops && r.config().kind() == k)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no run for " + scheme + " " + desktops + " " + k));
    }

    public FleetResult weekday(String scheme, int desktops) {
        return at(scheme, desktops, DayKind.WEEKDAY);
    }

    /** Partial's weekday kWh/day over full's; NaN when full saves nothing (a ratio would mislead). */
    public double partialOverFull(int desktops) {
        double f = weekday("full", desktops).kWhSavedPerDay();
        return f <= 0 ? Double.NaN : weekday("partial", desktops).kWhSavedPerDay() / f;
    }

    /** USD per desktop per year: the weekday kWh/day slope from 100 to 500 desktops, annualised like Figure 11(c)'s y2 axis. */
    public double usdPerDesktopYear(String scheme) {
        double kWh = (weekday(scheme, SLOPE_TO).kWhSavedPerDay() - weekday(scheme, SLOPE_FROM).kWhSavedPerDay()) / (SLOPE_TO - SLOPE_FROM);
        return CostModel.usdPerYear(kWh, CostModel.USD_PER_KWH);
    }

    /** Orders of magnitude between full and partial mean reintegration latency. */
    public double latencyOrders(int desktops) {
        return Math.log10(weekday("full", desktops).latencyMeanS() / weekday("partial", desktops).latencyMeanS());
    }

    public double networkRatio(int desktops) {
        return weekday("full", desktops).networkGiBPerDay() / weekday("partial", desktops).networkGiBPerDay();
    }

    private List<FleetResult> sweepOf(String scheme) {
        return sweep.stream().filter(r -> r.scheme().equals(scheme)).toList();
    }

    public double bestKWh(String scheme) {
        return sweepOf(scheme).stream().mapToDouble(FleetResult::kWhSavedPerDay).max().orElse(Double.NaN);
    }

    /** The sweep's saving at a timeout of {@code minutes} over its best: what the sweet spot is read from. */
    public double savingShareAt(String scheme, double minutes) {
        return sweepOf(scheme).stream().filter(r -> r.config().idleTimeoutSeconds() == minutes * 60).mapToDouble(FleetResult::kWhSavedPerDay)
                .findFirst().orElse(Double.NaN) / bestKWh(scheme);
    }

    /** Figure 10: partial's best saving over full's best (§6: "it gets to within 85%"). */
    public double bestPartialOverBestFull() {
        return bestKWh("partial") / bestKWh("full");
    }

    /**
     * The longest timeout (minutes) that still keeps {@link #SWEET_SPOT_SHARE} of the sweep's best saving:
     * beyond it savings fall off, below it the network and latency only get worse (§6, Figure 10).
     */
    public double sweetSpotMinutes(String scheme) {
        return sweetSpotMinutes(scheme, SWEET_SPOT_SHARE);
    }

    /** The sweet spot read with another share of the best saving (§6 says only "significantly reduce"). */
    public double sweetSpotMinutes(String scheme, double share) {
        double best = bestKWh(scheme);
        return sweepOf(scheme).stream().filter(r -> r.kWhSavedPerDay() >= share * best)
                .map(r -> r.config().idleTimeoutSeconds() / 60).max(Comparator.naturalOrder()).orElse(Double.NaN);
    }
}
