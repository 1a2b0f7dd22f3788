package dev.jettison.cli.sim;

import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.fleet.ActivitySource;
import dev.jettison.sim.fleet.Assumption;
import dev.jettison.sim.fleet.DayPlan;
import dev.jettison.sim.fleet.FleetConfig;
import dev.jettison.sim.fleet.FleetModel;
import dev.jettison.sim.fleet.FleetResult;
import dev.jettison.sim.fleet.FleetSimulator;
import dev.jettison.sim.fleet.Scheme;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.trace.DayKind;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The scale benchmark: simulated desktop-days per second of wall time, how time and heap grow from
 * 1,000 to 100,000 desktops, and a calendar year of a whole enterprise (issue 14: 100,000 desktops,
 * 36.5 million desktop-days, under 60 s on 2 cores, heap flat in the number of days).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Fleet simulator speed: desktop-days/s, growth 1,000 -> 100,000 desktops, and a year of an enterprise.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--sizes", split = ",", defaultValue = "1000,10000,100000", description = "Desktop counts for the one-day table (default: ${DEFAULT-VALUE}; empty to skip).")
    List<Integer> sizes;

    @Option(names = "--days", defaultValue = "1", description = "Simulated days per run of the size table (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--desktops-per-link", defaultValue = "500", description = "Desktops per shared GigE link; the paper's largest office (default: ${DEFAULT-VALUE}).")
    int perLink;

    @Option(names = "--scheme", defaultValue = "partial", description = "full or partial (default: ${DEFAULT-VALUE}).")
    String scheme;

    @Option(names = "--model", defaultValue = "ours", description = "paper or ours (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--repeat", defaultValue = "3", description = "Runs per measurement; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--year", defaultValue = "0", description = "Also simulate a calendar year of this many desktops, --repeat times (e.g. 100000; default: skip).")
    int yearDesktops;

    @Override
    public Integer call() {
        sizes.forEach(n -> Common.positive("--sizes", n));
        Common.positive("--days", days);
        Common.positive("--desktops-per-link", perLink);
        Common.positive("--repeat", repeat);
        if (yearDesktops < 0) throw new IllegalArgumentException("--year must be >= 0, got " + yearDesktops);
        FleetModel m = FleetModel.named(model);
        Scheme s = switch (scheme) {
            case "full" -> m.full();
            case "partial" -> m.partial(m.partialSavings() == Assumption.PartialSavings.OUR_FIGURE_7
                    ? SavingsCurve.compute(new RemoteFaultGenerator(common.seed), common.powerProfile(), 20, PrefetchPolicy.paperDefault()) : null);
            default -> throw new IllegalArgumentException("--scheme must be full or partial, not '" + scheme + "'");
        };
        var sim = new FleetSimulator(ActivitySource.generated(common.seed));
        System.out.printf("cores %d, max heap %d MiB, Java %s, model %s, scheme %s, %d desktops per link%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.version(), m.name(), s.name(), perLink);
        sim.run(cfg(Math.min(2000, sizes.isEmpty() ? 2000 : sizes.getFirst()), new DayPlan.Only(DayKind.WEEKDAY, 1), m), s); // warm-up
        if (!sizes.isEmpty()) sizeTable(sim, s, m);
        if (yearDesktops > 0) year(sim, s, m);
        return 0;
    }

    private void sizeTable(FleetSimulator sim, Scheme s, FleetModel m) {
        System.out.printf("%n%d weekday(s) per run, median of %d%n", days, repeat);
        System.out.printf("%10s %10s %16s %14s %12s%n", "desktops", "wall s", "desktop-days/s", "peak heap MiB", "time ratio");
        double base = 0;
        int baseN = 0;
        for (int n : sizes) {
            Measured r = measure(sim, cfg(n, new DayPlan.Only(DayKind.WEEKDAY, days), m), s);
            if (base == 0) {
                base = r.medianSeconds;
                baseN = n;
            }
            System.out.printf("%10d %10.2f %16.0f %14d %8.1fx (%.0fx desktops)%n", n, r.medianSeconds, (double) n * days / r.medianSeconds,
                    r.peakHeapMiB, r.medianSeconds / base, (double) n / baseN);
        }
    }

    private void year(FleetSimulator sim, Scheme s, FleetModel m) {
        // Heap must not grow with days: a month and a year of the same fleet side by side.
        var month = measure(sim, cfg(yearDesktops, new DayPlan.Calendar(30), m), s);
        var year = measure(sim, cfg(yearDesktops, new DayPlan.Calendar(DayPlan.Calendar.YEAR), m), s);
        long dd = (long) yearDesktops * DayPlan.Calendar.YEAR;
        System.out.printf("%nA calendar year (261 weekdays, 104 weekend days) of %,d desktops = %,d desktop-days, %d per link, %d runs%n",
                yearDesktops, dd, perLink, repeat);
        System.out.printf("  runs (s)            %s%n", Arrays.toString(Arrays.stream(year.seconds).map(x -> Math.round(x * 100) / 100.0).toArray()));
        System.out.printf("  median              %.2f s   (%,.0f desktop-days/s; goal < 60 s on 2 cores)%n", year.medianSeconds, dd / year.medianSeconds);
        System.out.printf("  peak heap           %d MiB for 365 days, %d MiB for 30 days%n", year.peakHeapMiB, month.peakHeapMiB);
        FleetResult r = year.result;
        System.out.printf("  result              %.0f kWh/day, USD %.2f per desktop-year, %d consolidations, %d aborted, %d refused, peak %d VMs on servers (%d servers)%n",
                r.kWhSavedPerDay(), r.usdPerDesktopYear(), r.consolidations(), r.abortedConsolidations(), r.refusedConsolidations(), r.peakVmsOnServer(), r.serversNeeded());
    }

    private record Measured(double[] seconds, double medianSeconds, long peakHeapMiB, FleetResult result) {
    }

    private Measured measure(FleetSimulator sim, FleetConfig cfg, Scheme s) {
        double[] t = new double[repeat];
        long peak = 0;
        FleetResult last = null;
        for (int i = 0; i < repeat; i++) {
            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long t0 = System.nanoTime();
            last = sim.run(cfg, s);
            t[i] = (System.nanoTime() - t0) / 1e9;
            peak = Math.max(peak, heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20);
        }
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Measured(t, median, peak, last);
    }

    private FleetConfig cfg(int n, DayPlan plan, FleetModel m) {
        return new FleetConfig(n, plan, FleetConfig.DEFAULT_IDLE_TIMEOUT_S, FleetConfig.GIGABIT, perLink, FleetConfig.UNLIMITED_SERVERS,
                common.powerProfile(), 0.1058, common.seed, m);
    }
}
