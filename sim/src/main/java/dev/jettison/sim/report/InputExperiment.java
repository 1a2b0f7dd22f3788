package dev.jettison.sim.report;

import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.analysis.TraceStatistics;
import dev.jettison.sim.fleet.ActivitySource;
import dev.jettison.sim.fleet.FleetModel;
import dev.jettison.sim.fleet.FleetSimulator;
import dev.jettison.sim.gen.OfficeCalibration;
import dev.jettison.sim.trace.DayKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The input as an experiment (issue 14): the figures no model switch closes come, the report said,
 * from our generated traces standing in for the paper's. This varies the generator's parameters one
 * at a time, then all combinations of the ones that move something, under the paper model, and keeps
 * apart the variants that still say what the paper says of its traces ({@link Faithful}).
 */
public record InputExperiment(Variant base, Map<InputKnob, List<Variant>> oneAtATime, List<Variant> grid,
                              Map<PaperFigure, List<Variant>> confirmations, long seed) {

    /** Office sizes every {@link PaperFigure} needs. */
    static final int[] DESKTOPS = {10, 100, 500};
    /** Trace statistics come from this many desktops over this many weekdays. */
    static final int STAT_DESKTOPS = 200;
    static final int STAT_DAYS = 5;
    /** Extra seeds that check a combination chosen at the report's seed was not luck. */
    static final int CONFIRM_SEEDS = 3;

    /** The combinations tried together: the knobs that move the gaps, at levels spanning what they do. */
    static final Map<InputKnob, double[]> GRID = gridLevels();

    private static Map<InputKnob, double[]> gridLevels() {
        Map<InputKnob, double[]> g = new LinkedHashMap<>();
        g.put(InputKnob.ACTIVE_BOUT, new double[] {1, 2, 3, 5, 9});
        g.put(InputKnob.SHORT_SHARE, new double[] {0.2, 0.4, 0.55, 0.72});
        g.put(InputKnob.GAP_SCALE, new double[] {0.5, 1, 2});
        g.put(InputKnob.ARRIVAL_SD, new double[] {30, 50, 90});
        g.put(InputKnob.EVENING, new double[] {0.25, 0.5, 1});
        return g;
    }

    /**
     * The figures the model switches left open, the ones these experiments are about (sweet spots, full
     * migration's network use and latency, the latency gap), one instance each: figures compare by identity.
     */
    public static final List<PaperFigure> GAPS = gapFigures();
    static final List<PaperFigure> ALL = PaperFigure.section6();

    private static List<PaperFigure> gapFigures() {
        var all = PaperFigure.section6();
        return List.of(all.get(1), all.get(2), all.get(6), all.get(4), all.get(3));
    }

    /**
     * What the paper states of its 2,086 tracker days, as bounds a varied generator must keep (our reading
     * of its words; §6): VMs 76 % of a weekday on the server at 5 min (± 10 points, the report's own
     * tolerance), flexible hours (first activity spread at least 20 min), the lunch hour the most
     * correlated inactivity (least active daytime hour centred 11:30-13:45), laptops used in the evenings
     * (at least 10 % of weekdays active after 19:00).
     */
    public record Faithful(boolean share76, boolean flexibleHours, boolean lunchMostIdle, boolean evenings) {
        static Faithful of(TraceStatistics s, ModelRun paper) {
            double share = 100 * paper.weekday("partial", 100).fractionAway();
            return new Faithful(Math.abs(share - 76) <= 10, s.arrivalSdMinutes() >= 20,
                    s.mostIdleDaytimeHour() >= 11.5 && s.mostIdleDaytimeHour() <= 13.75, s.eveningShare() >= 0.10);
        }

        public boolean all() {
            return share76 && flexibleHours && lunchMostIdle && evenings;
        }

        /** What it breaks, or "yes". */
        public String describe() {
            List<String> broken = new ArrayList<>();
            if (!share76) broken.add("76 %");
            if (!flexibleHours) broken.add("boot storm");
            if (!lunchMostIdle) broken.add("lunch");
            if (!evenings) broken.add("evenings");
            return broken.isEmpty() ? "yes" : "no: " + String.join(", ", broken);
        }
    }

    /** One generator setting: its levels (knob to level), its traces' statistics and the paper model on it. */
    public record Variant(Map<InputKnob, Double> levels, OfficeCalibration cal, TraceStatistics stats, ModelRun paper, Faithful faithful) {
        public double of(PaperFigure f) {
            return f.of(paper);
        }

        public boolean closes(PaperFigure f) {
            return f.reproducedBy(paper);
        }

        public long reproduced() {
            return ALL.stream().filter(this::closes).count();
        }
    }

    static Variant run(Map<InputKnob, Double> levels, SavingsCurve ourCurve, long seed) {
        OfficeCalibration cal = OfficeCalibration.DEFAULT;
        for (var e : levels.entrySet()) cal = e.getKey().at(cal, e.getValue());
        var source = ActivitySource.generated(seed, cal);
        var stats = TraceStatistics.of((d, day) -> source.activeRuns(d, day, DayKind.WEEKDAY), STAT_DESKTOPS, STAT_DAYS);
        var paper = ModelRun.run(FleetModel.paper(), new FleetSimulator(source), ourCurve, seed, false, DESKTOPS);
        return new Variant(Map.copyOf(levels), cal, stats, paper, Faithful.of(stats, paper));
    }

    public static InputExperiment compute(SavingsCurve ourCurve, long seed, Consumer<String> log) {
        log.accept("input experiments: the generator's parameters one at a time (paper model)");
        Variant base = run(Map.of(), ourCurve, seed);
        Map<InputKnob, List<Variant>> one = new LinkedHashMap<>();
        for (InputKnob k : InputKnob.all()) {
            List<Variant> vs = new ArrayList<>();
            for (double level : k.levels()) vs.add(level == k.defaultLevel() ? base : run(Map.of(k, level), ourCurve, seed));
            one.put(k, vs);
        }
        List<Map<InputKnob, Double>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (var e : GRID.entrySet()) {
            List<Map<InputKnob, Double>> next = new ArrayList<>();
            for (var c : combos) {
                for (double level : e.getValue()) {
                    var m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), level);
                    next.add(m);
                }
            }
            combos = next;
        }
        log.accept("input experiments: " + combos.size() + " combinations");
        List<Variant> grid = combos.parallelStream().map(c -> run(c, ourCurve, seed)).toList();
        Map<PaperFigure, List<Variant>> confirm = new LinkedHashMap<>();
        for (PaperFigure f : GAPS) {
            Variant best = closest(grid, f, true);
            if (best == null) continue;
            List<Variant> again = new ArrayList<>();
            for (int i = 1; i <= CONFIRM_SEEDS; i++) again.add(run(best.levels(), ourCurve, seed + i));
            confirm.put(f, again);
        }
        return new InputExperiment(base, one, grid, confirm, seed);
    }

    /** The variant whose value of {@code f} is nearest the paper's (within tolerance first), among faithful ones if asked. */
    static Variant closest(List<Variant> vs, PaperFigure f, boolean faithfulOnly) {
        Variant best = null;
        double bestMiss = Double.POSITIVE_INFINITY;
        for (Variant v : vs) {
            if (faithfulOnly && !v.faithful().all()) continue;
            double x = v.of(f);
            if (Double.isNaN(x)) continue;
            // Within tolerance counts as a miss of 0; then more figures reproduced wins.
            double miss = v.closes(f) ? -v.reproduced() : Math.abs(x - f.paper());
            if (miss < bestMiss) {
                bestMiss = miss;
                best = v;
            }
        }
        return best;
    }

    /** Faithful combinations that bring every gap figure within tolerance at once. */
    public List<Variant> closingAllGaps(boolean faithfulOnly) {
        return grid.stream().filter(v -> !faithfulOnly || v.faithful().all()).filter(v -> GAPS.stream().allMatch(v::closes)).toList();
    }
}
