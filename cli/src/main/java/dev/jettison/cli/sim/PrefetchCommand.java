package dev.jettison.cli.sim;

import dev.jettison.sim.analysis.PrefetchComparison;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.plot.Charts;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Figures 5 and 6: prefetch strategies compared per MiB migrated (§3.4). */
@Command(name = "prefetch", mixinStandardHelpOptions = true, description = "Compare none / on-demand / hoarding / both by microsleep length and saving per MiB (Figures 5-6).")
final class PrefetchCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--consolidations", defaultValue = "58", description = "Consolidations of the one VM (paper: 58; default: ${DEFAULT-VALUE}).")
    int consolidations;

    @Override
    public Integer call() throws Exception {
        Common.positive("--consolidations", consolidations);
        var cs = PrefetchComparison.consolidations(new RemoteFaultGenerator(common.seed), 1000, consolidations);
        var bar = new ProgressBar(System.err, "prefetch");
        var pts = new java.util.ArrayList<PrefetchComparison.Point>();
        int all = PrefetchComparison.WINDOWS.length + 2 * PrefetchComparison.HOARD_PAGES.length;
        int i = 0;
        for (int w : PrefetchComparison.WINDOWS) { pts.add(PrefetchComparison.evaluate("on-demand", new dev.jettison.core.prefetch.PrefetchPolicy.OnDemand(w), cs, common.powerProfile())); bar.update(++i / (double) all); }
        for (long h : PrefetchComparison.HOARD_PAGES) { pts.add(PrefetchComparison.evaluate("hoarding", new dev.jettison.core.prefetch.PrefetchPolicy.Hoarding(h), cs, common.powerProfile())); bar.update(++i / (double) all); }
        for (long h : PrefetchComparison.HOARD_PAGES) { pts.add(PrefetchComparison.evaluate("both", new dev.jettison.core.prefetch.PrefetchPolicy.Combined(20, h), cs, common.powerProfile())); bar.update(++i / (double) all); }
        System.out.printf("%-10s %-40s %10s %14s %9s %12s%n", "strategy", "policy", "MiB/cons.", "microsleep (s)", "saving", "remote reqs");
        for (var p : pts) System.out.printf("%-10s %-40s %10.1f %14.1f %8.2f%% %12d%n", p.strategy(), p.policy(), p.migratedMiB(), p.meanMicrosleepS(), 100 * p.saving(), p.remoteRequests());
        Files.createDirectories(common.out);
        var f5 = new Charts.Spec("Figure 5. Mean microsleep vs MiB migrated", "MiB migrated per consolidation", "mean microsleep (s)").style(Charts.Style.LINES_AND_POINTS);
        var f6 = new Charts.Spec("Figure 6. Energy saving vs MiB migrated", "MiB migrated per consolidation", "saving (%)").style(Charts.Style.LINES_AND_POINTS);
        for (String s : List.of("on-demand", "hoarding", "both")) {
            var sel = pts.stream().filter(p -> p.strategy().equals(s)).toList();
            double[] x = sel.stream().mapToDouble(PrefetchComparison.Point::migratedMiB).toArray();
            f5.add(s, x, sel.stream().mapToDouble(PrefetchComparison.Point::meanMicrosleepS).toArray());
            f6.add(s, x, sel.stream().mapToDouble(p -> 100 * p.saving()).toArray());
        }
        Charts.write(f5, common.out.resolve("fig5-microsleep-length.png"));
        Charts.write(f6, common.out.resolve("fig6-prefetch-savings.png"));
        return 0;
    }
}
