package dev.jettison.cli.faults;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The suite's options, shared by {@code bench faults} and the process it runs in the desktop's namespace. */
final class FaultOptions {
    @Option(names = "--runs", description = "runs per fault kind and phase (default 3)")
    int runs = 3;

    @Option(names = "--kinds", split = ",", description = "server-kill, server-hang, net-cut, desktop-kill (default all)")
    List<String> kinds = List.of("server-kill", "server-hang", "net-cut", "desktop-kill");

    @Option(names = "--phases", split = ",", description = "consolidation, remote, reintegration (default all)")
    List<String> phases = List.of("consolidation", "remote", "reintegration");

    @Option(names = "--seed", description = "seed of every run's random points (default 1)")
    long seed = 1;

    @Option(names = "--min-outage-seconds", description = "shortest time a fault lasts before it is lifted (default 0.5)")
    double minOutage = 0.5;

    @Option(names = "--max-outage-seconds", description = "longest (default 20: past the daemons' silence and re-attach windows)")
    double maxOutage = 20;

    @Option(names = "--settle-timeout-seconds", description = "how long after a fault ends the system may take to settle (default 120)")
    double settleTimeout = 120;

    @Option(names = "--out", description = "report and kept logs (default target/bench-faults)")
    Path out = Path.of("target", "bench-faults");

    FaultSettings settings(boolean desktopHasStateDir) {
        var ks = kinds.stream().map(String::strip).map(k -> FaultKind.parse(k, desktopHasStateDir)).distinct().toList();
        var ps = phases.stream().map(String::strip).map(Phase::parse).distinct().toList();
        return new FaultSettings(ks, ps, runs, seed, duration(minOutage), duration(maxOutage), duration(settleTimeout), out);
    }

    private static Duration duration(double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) throw new IllegalArgumentException("a duration cannot be " + seconds + " s");
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
