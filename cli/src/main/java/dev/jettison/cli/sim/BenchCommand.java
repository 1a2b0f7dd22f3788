package dev.jettison.cli.sim;

import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.fleet.ActivitySource;
import dev.jettison.sim.fleet.FleetConfig;
import dev.jettison.sim.fleet.FleetSimulator;
import dev.jettison.sim.fleet.Scheme;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.trace.DayKind;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The scale benchmark: simulated desktop-days per second of wall time, and how time and heap grow
 * from 1,000 to 100,000 desktops. Each size runs after a warm-up, best of {@code --repeat}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Fleet simulator speed: desktop-days/s and growth 1,000 -> 100,000 desktops.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--sizes", split = ",", defaultValue = "1000,10000,100000", description = "Desktop counts (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--days", defaultValue = "1", description = "Simulated days per run (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--desktops-per-link", defaultValue = "500", description = "Desktops per shared GigE link; the paper's largest office (default: ${DEFAULT-VALUE}).")
    int perLink;

    @Option(names = "--scheme", defaultValue = "partial", description = "full or partial (default: ${DEFAULT-VALUE}).")
    String scheme;

    @Option(names = "--repeat", defaultValue = "3", description = "Runs per size; the best is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() {
        Scheme s = scheme.equals("full") ? Scheme.full()
                : Scheme.partial(SavingsCurve.compute(new RemoteFaultGenerator(common.seed), common.powerProfile(), 20, PrefetchPolicy.paperDefault()));
        var sim = new FleetSimulator(ActivitySource.generated(common.seed));
        System.out.printf("cores %d, max heap %d MiB, scheme %s, %d desktops per link, %d day(s)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, s.name(), perLink, days);
        sim.run(cfg(Math.min(2000, sizes.getFirst())), s); // warm-up
        System.out.printf("%10s %10s %16s %14s %12s%n", "desktops", "wall s", "desktop-days/s", "heap MiB", "time ratio");
        double base = 0;
        int baseN = 0;
        for (int n : sizes) {
            double best = Double.MAX_VALUE;
            long heap = 0;
            for (int r = 0; r < repeat; r++) {
                System.gc();
                long t0 = System.nanoTime();
                sim.run(cfg(n), s);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                var rt = Runtime.getRuntime();
                heap = Math.max(heap, (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
            if (base == 0) {
                base = best;
                baseN = n;
            }
            System.out.printf("%10d %10.2f %16.0f %14d %8.1fx (%.0fx desktops)%n", n, best, (double) n * days / best, heap, best / base, (double) n / baseN);
        }
        return 0;
    }

    private FleetConfig cfg(int n) {
        return new FleetConfig(n, days, DayKind.WEEKDAY, FleetConfig.DEFAULT_IDLE_TIMEOUT_S, FleetConfig.GIGABIT, perLink, common.powerProfile(), 0.1058, common.seed);
    }
}
