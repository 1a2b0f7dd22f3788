package dev.jettison.cli.sim;

import dev.jettison.core.energy.CostModel;
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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The §6 fleet simulator: full against partial migration for N desktops. */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Simulate N desktops consolidating over a shared link: energy, USD, latency, network, servers (§6).")
final class FleetCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--desktops", defaultValue = "100", description = "Desktops (default: ${DEFAULT-VALUE}).")
    int desktops;

    @Option(names = "--days", defaultValue = "1", description = "Simulated days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--kind", defaultValue = "weekday", description = "weekday, weekend, or calendar (Monday first, weekends every 6th and 7th day; default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--model", defaultValue = "ours", description = "paper (§6's assumptions) or ours (default: ${DEFAULT-VALUE}); see docs/bench/simulator.md.")
    String model;

    @Option(names = "--servers-per-site", defaultValue = "0", description = "Consolidation servers behind each link; a full site leaves VMs at home (0: as many as needed; default: ${DEFAULT-VALUE}).")
    int serversPerSite;

    @Option(names = "--timeout-min", split = ",", defaultValue = "5", description = "Idle timeout(s) in minutes; a list sweeps them (Figure 10). Default: ${DEFAULT-VALUE}.")
    List<Double> timeouts;

    @Option(names = "--scheme", defaultValue = "both", description = "full, partial or both (default: ${DEFAULT-VALUE}).")
    String scheme;

    @Option(names = "--link-gbps", defaultValue = "1", description = "Speed of each shared link, Gbit/s (default: ${DEFAULT-VALUE}).")
    double linkGbps;

    @Option(names = "--desktops-per-link", description = "Desktops behind each link (default: all behind one).")
    Integer perLink;

    @Option(names = "--price", defaultValue = "0.1058", description = "USD per kWh (paper: 0.1058; default: ${DEFAULT-VALUE}).")
    double price;

    @Option(names = "--activity", description = "User-activity trace (sim/TRACES.md) instead of generated days.")
    Path activity;

    @Option(names = "--curve-vms", defaultValue = "40", description = "Generated VMs behind the Figure 7 curve for partial migration (default: ${DEFAULT-VALUE}).")
    int curveVms;

    @Override
    public Integer call() throws Exception {
        Common.positive("--desktops", desktops);
        Common.positive("--days", days);
        Common.positive("--curve-vms", curveVms);
        Common.positive("--link-gbps", linkGbps);
        if (perLink != null) Common.positive("--desktops-per-link", perLink);
        if (serversPerSite < 0) throw new IllegalArgumentException("--servers-per-site must be >= 0, got " + serversPerSite);
        if (!(price >= 0)) throw new IllegalArgumentException("--price must be >= 0, got " + price);
        for (double t : timeouts) if (!(t >= 0)) throw new IllegalArgumentException("--timeout-min must be >= 0, got " + t);
        if (activity != null) Common.existing("--activity", activity);
        DayPlan plan = switch (kind) {
            case "weekday" -> new DayPlan.Only(DayKind.WEEKDAY, days);
            case "weekend" -> new DayPlan.Only(DayKind.WEEKEND, days);
            case "calendar" -> new DayPlan.Calendar(days);
            default -> throw new IllegalArgumentException("--kind must be weekday, weekend or calendar, not '" + kind + "'");
        };
        FleetModel m = FleetModel.named(model);
        List<Scheme> schemes = new ArrayList<>();
        if (!scheme.equals("full") && !scheme.equals("partial") && !scheme.equals("both")) throw new IllegalArgumentException("--scheme must be full, partial or both");
        if (!scheme.equals("partial")) schemes.add(m.full());
        if (!scheme.equals("full")) {
            var curve = m.partialSavings() == Assumption.PartialSavings.OUR_FIGURE_7
                    ? SavingsCurve.compute(new RemoteFaultGenerator(common.seed), common.powerProfile(), curveVms, PrefetchPolicy.paperDefault()) : null;
            schemes.add(m.partial(curve));
        }
        var source = activity == null ? ActivitySource.generated(common.seed) : ActivitySource.fromFile(activity);
        var sim = new FleetSimulator(source);
        List<FleetResult> results = new ArrayList<>();
        int runs = schemes.size() * timeouts.size();
        var bar = new ProgressBar(System.err, "fleet");
        int done = 0;
        for (Scheme s : schemes) {
            for (double t : timeouts) {
                var cfg = new FleetConfig(desktops, plan, t * 60, linkGbps * 1e9, perLink == null ? desktops : perLink, serversPerSite,
                        common.powerProfile(), price, common.seed, m);
                final int base = done;
                results.add(sim.run(cfg, s, f -> bar.update((base + f) / runs)));
                done++;
            }
        }
        bar.update(1);
        System.out.printf(Locale.ROOT, "model %s, %d desktops, %d %s day(s)%n", m.name(), desktops, days, plan.label());
        System.out.printf(Locale.ROOT, "%-8s %7s %10s %12s %11s %9s %9s %10s %8s %8s %8s %8s%n", "scheme", "timeout", "kWh/day", "USD/year", "lat mean s", "p95 s", "max s",
                "GiB/day", "net use", "aborted", "refused", "servers");
        for (FleetResult r : results) {
            System.out.printf(Locale.ROOT, "%-8s %6.0fm %10.1f %12.0f %11.2f %9.2f %9.2f %10.1f %7.1f%% %8d %8d %8d%n", r.scheme(), r.config().idleTimeoutSeconds() / 60,
                    r.kWhSavedPerDay(), r.usdPerYear(), r.latencyMeanS(), r.latencyP95S(), r.latencyMaxS(), r.networkGiBPerDay(), 100 * r.networkUtilisation(),
                    r.abortedConsolidations(), r.refusedConsolidations(), r.serversNeeded());
        }
        for (FleetResult r : results) {
            System.out.printf(Locale.ROOT, "%s @ %.0f min: %.2f USD/desktop/year, %d VMs/server, break-even server budget %.2f USD (server list price %.0f USD), VMs away %.0f %% of the day%n",
                    r.scheme(), r.config().idleTimeoutSeconds() / 60, r.usdPerDesktopYear(), r.vmsPerServer(), r.breakEvenServerBudgetUsd(), CostModel.SERVER_PRICE_USD, 100 * r.fractionAway());
        }
        Files.createDirectories(common.out);
        Path csv = common.out.resolve("fleet.csv");
        try (var w = new PrintWriter(Files.newBufferedWriter(csv))) {
            w.println(FleetResult.csvHeader());
            results.forEach(r -> w.println(r.csvRow()));
        }
        System.out.println("wrote " + csv);
        return 0;
    }
}
