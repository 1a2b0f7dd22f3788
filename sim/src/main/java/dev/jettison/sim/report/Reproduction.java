package dev.jettison.sim.report;

import dev.jettison.core.consolidation.WorkingSet;
import dev.jettison.core.energy.CostModel;
import dev.jettison.core.energy.EnergyModel;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.analysis.PrefetchComparison;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.analysis.WaitTimeAnalysis;
import dev.jettison.sim.fleet.ActivitySource;
import dev.jettison.sim.fleet.FleetResult;
import dev.jettison.sim.fleet.FleetSimulator;
import dev.jettison.sim.gen.GeneratedConsolidation;
import dev.jettison.sim.gen.MigrationSizes;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.gen.Seeds;
import dev.jettison.sim.plot.Charts;
import dev.jettison.sim.trace.DayKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Regenerates every reproduced figure (3, 4, 5, 6, 7, 9, 10, 11, plus 2) as PNG and CSV and writes
 * report.md setting both models' numbers beside the paper's, with the experiments explaining each miss.
 */
public final class Reproduction {
    /** VMs whose traces feed Figures 3, 4 and 7; the paper pooled 313 idle periods of 3 users (§3.2). */
    public static final int TRACE_VMS = 60;

    private final long seed;
    private final Path out;
    private final Consumer<String> log;

    public Reproduction(long seed, Path out, Consumer<String> log) {
        this.seed = seed;
        this.out = out;
        this.log = log;
    }

    public Path run() throws IOException {
        Files.createDirectories(out);
        var gen = new RemoteFaultGenerator(seed);
        var p = PowerProfile.TABLE_1;

        log.accept("Figures 2-4: remote-fault traces of " + TRACE_VMS + " idle VMs");
        List<GeneratedConsolidation> traces = new ArrayList<>();
        for (int vm = 0; vm < TRACE_VMS; vm++) traces.add(gen.consolidation(vm, 0, gen.calibration().horizonSeconds()));
        var wait = WaitTimeAnalysis.of(traces, p);
        double[] ws = traces.stream().mapToDouble(c -> WorkingSet.pagesToMiB(c.memoryPages())).sorted().toArray();
        Charts.write(new Charts.Spec("Figure 2. Working set sizes of idle VMs (4 GiB)", "working set (MiB)", "CDF")
                .add("generated", ws, cdf(ws.length)), out.resolve("fig2-working-set.png"));
        Charts.write(new Charts.Spec("Figure 3. p(next fault < t_b after waiting t_w), t_b = " + f2(wait.breakEvenSeconds()) + " s",
                "wait time t_w (s)", "probability").add("generated traces", wait.waits(), wait.probabilityTooSoon()), out.resolve("fig3-conditional-probability.png"));
        Charts.write(new Charts.Spec("Figure 4. Expected energy waste vs sleep timeout", "t_w (s)", "E_waste (J)")
                .add("Table 1 desktop", wait.waits(), wait.wasteJoules())
                .subtitle("optimum t_w = " + f1(wait.optimalWaitSeconds()) + " s (paper: 6 s)"), out.resolve("fig4-energy-waste.png"));
        csv("fig3-4.csv", "t_w_s,p_too_soon,e_waste_j", wait.waits(), wait.probabilityTooSoon(), wait.wasteJoules());

        log.accept("Figures 5-6: prefetch strategies over " + PrefetchComparison.PAPER_CONSOLIDATIONS + " consolidations of one VM");
        var cs = PrefetchComparison.consolidations(gen, 1000, PrefetchComparison.PAPER_CONSOLIDATIONS);
        var points = PrefetchComparison.sweep(cs, p);
        var f5 = new Charts.Spec("Figure 5. Mean microsleep length vs state migrated", "MiB migrated per consolidation", "mean microsleep (s)").style(Charts.Style.LINES_AND_POINTS);
        var f6 = new Charts.Spec("Figure 6. Energy savings vs state migrated", "MiB migrated per consolidation", "energy saving (%)").style(Charts.Style.LINES_AND_POINTS);
        try (var w = new PrintWriter(Files.newBufferedWriter(out.resolve("fig5-6.csv")))) {
            w.println("strategy,policy,migrated_mib,mean_microsleep_s,saving,remote_requests");
            for (String s : List.of("on-demand", "hoarding", "both")) {
                var sel = points.stream().filter(q -> q.strategy().equals(s)).toList();
                double[] x = sel.stream().mapToDouble(PrefetchComparison.Point::migratedMiB).toArray();
                f5.add(s, x, sel.stream().mapToDouble(PrefetchComparison.Point::meanMicrosleepS).toArray());
                f6.add(s, x, sel.stream().mapToDouble(q -> 100 * q.saving()).toArray());
                for (var q : sel) w.printf(Locale.ROOT, "%s,%s,%.3f,%.3f,%.5f,%d%n", s, q.policy().toString().replace(',', ';'), q.migratedMiB(), q.meanMicrosleepS(), q.saving(), q.remoteRequests());
            }
        }
        Charts.write(f5, out.resolve("fig5-microsleep-length.png"));
        Charts.write(f6, out.resolve("fig6-prefetch-savings.png"));

        log.accept("Figure 7: savings vs consolidation time");
        var curve = SavingsCurve.compute(gen, p, TRACE_VMS, PrefetchPolicy.paperDefault());
        var fast = SavingsCurve.compute(gen, PowerProfile.FAST_2S, TRACE_VMS, PrefetchPolicy.paperDefault());
        double[] minutes = Arrays.stream(curve.seconds()).map(s -> s / 60).toArray();
        Charts.write(new Charts.Spec("Figure 7. Desktop energy savings", "consolidation time (min)", "energy saving (%)").logX()
                .style(Charts.Style.LINES_AND_POINTS)
                .add("estimate, Table 1 desktop", minutes, pct(curve.saving()))
                .add("estimate, 2 s suspend/resume", minutes, pct(fast.saving()))
                .add("paper's deployment (read from §5.2)", new double[] {10, 67, 308}, new double[] {16, 78, 91}),
                out.resolve("fig7-savings-vs-time.png"));
        csv("fig7.csv", "minutes,saving_table1,saving_2s", minutes, curve.saving(), fast.saving());

        log.accept("Figure 9: migration sizes");
        int n = 2000;
        double[][] sz = new double[4][n];
        var rng = new SplittableRandom(Seeds.mix(seed, 9));
        for (int i = 0; i < n; i++) {
            var m = MigrationSizes.draw(rng);
            sz[0][i] = m.consolidationMemoryMiB();
            sz[1][i] = m.reintegrationMemoryMiB();
            sz[2][i] = m.consolidationDiskMiB();
            sz[3][i] = m.reintegrationDiskMiB();
        }
        for (double[] a : sz) Arrays.sort(a);
        Charts.write(new Charts.Spec("Figure 9. Partial migration sizes (4 GiB VMs)", "MiB (log)", "CDF").logX()
                .add("consolidation memory", sz[0], cdf(n)).add("reintegration memory", sz[1], cdf(n))
                .add("consolidation disk", sz[2], cdf(n)).add("reintegration disk", sz[3], cdf(n)), out.resolve("fig9-migration-sizes.png"));

        var sim = new FleetSimulator(ActivitySource.generated(seed));
        var section6 = Section6Report.compute(sim, curve, seed, log);
        var input = InputExperiment.compute(curve, seed, log);
        List<FleetResult> sweep = new ArrayList<>(section6.paper().sweep());
        sweep.addAll(section6.ours().sweep());
        List<FleetResult> scale = new ArrayList<>(section6.paper().scale());
        scale.addAll(section6.ours().scale());
        writeFleetCsv("fig10.csv", sweep);
        writeFleetCsv("fig11.csv", scale);
        var f10a = new Charts.Spec("Figure 10 (left). Energy saved vs network, 100 desktops, idle timeouts 1-60 min", "network (GiB/day, log)", "energy saved (kWh/day)").logX().style(Charts.Style.LINES_AND_POINTS);
        var f10b = new Charts.Spec("Figure 10 (right). Energy saved vs reintegration latency, 100 desktops", "mean reintegration latency (s, log)", "energy saved (kWh/day)").logX().style(Charts.Style.LINES_AND_POINTS);
        double[] xs = Arrays.stream(ModelRun.DESKTOPS).asDoubleStream().toArray();
        var f11a = new Charts.Spec("Figure 11(a). Mean reintegration latency, weekdays", "desktops", "latency (s, log)").logY().style(Charts.Style.LINES_AND_POINTS);
        var f11b = new Charts.Spec("Figure 11(b). Network use, weekdays", "desktops", "GiB/day (log)").logY().style(Charts.Style.LINES_AND_POINTS);
        var f11c = new Charts.Spec("Figure 11(c). Energy saved", "desktops", "kWh/day").style(Charts.Style.LINES_AND_POINTS)
                .subtitle("x " + CostModel.DAYS_PER_YEAR + " days x " + CostModel.USD_PER_KWH + " USD/kWh = USD/year");
        for (ModelRun run : List.of(section6.paper(), section6.ours())) {
            String m = run.model().name() + " model, ";
            for (String s : List.of("full", "partial")) {
                var sel = run.sweep().stream().filter(r -> r.scheme().equals(s)).toList();
                double[] kwh = sel.stream().mapToDouble(FleetResult::kWhSavedPerDay).toArray();
                f10a.add(m + s, sel.stream().mapToDouble(FleetResult::networkGiBPerDay).toArray(), kwh);
                f10b.add(m + s, sel.stream().mapToDouble(FleetResult::latencyMeanS).toArray(), kwh);
                f11a.add(m + s, xs, pick(run.scale(), s, DayKind.WEEKDAY, FleetResult::latencyMeanS));
                f11b.add(m + s, xs, pick(run.scale(), s, DayKind.WEEKDAY, FleetResult::networkGiBPerDay));
                for (DayKind k : DayKind.values()) f11c.add(m + s + " " + k.name().toLowerCase(), xs, pick(run.scale(), s, k, FleetResult::kWhSavedPerDay));
            }
        }
        Charts.write(f10a, out.resolve("fig10a-energy-vs-network.png"));
        Charts.write(f10b, out.resolve("fig10b-energy-vs-latency.png"));
        Charts.write(f11a, out.resolve("fig11a-latency.png"));
        Charts.write(f11b, out.resolve("fig11b-network.png"));
        Charts.write(f11c, out.resolve("fig11c-energy.png"));

        Path report = out.resolve("report.md");
        Files.writeString(report, new ReportWriter(seed, p, wait, curve, fast, points, section6, input).markdown());
        log.accept("wrote " + report);
        return report;
    }

    private static double[] pick(List<FleetResult> rs, String s, DayKind k, java.util.function.ToDoubleFunction<FleetResult> f) {
        return rs.stream().filter(r -> r.scheme().equals(s) && r.config().kind() == k).mapToDouble(f).toArray();
    }

    private void writeFleetCsv(String name, List<FleetResult> rs) throws IOException {
        try (var w = new PrintWriter(Files.newBufferedWriter(out.resolve(name)))) {
            w.println(FleetResult.csvHeader());
            rs.forEach(r -> w.println(r.csvRow()));
        }
    }

    private void csv(String name, String header, double[]... cols) throws IOException {
        try (var w = new PrintWriter(Files.newBufferedWriter(out.resolve(name)))) {
            w.println(header);
            for (int i = 0; i < cols[0].length; i++) {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < cols.length; c++) sb.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", cols[c][i]));
                w.println(sb);
            }
        }
    }

    static double[] cdf(int n) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = (i + 1.0) / n;
        return y;
    }

    static double[] pct(double[] v) {
        return Arrays.stream(v).map(x -> 100 * x).toArray();
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** t_b from Table 1, for the report header. */
    static double breakEven() {
        return new EnergyModel(PowerProfile.TABLE_1).breakEvenSeconds();
    }
}
