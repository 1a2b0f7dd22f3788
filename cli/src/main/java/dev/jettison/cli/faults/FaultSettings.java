package dev.jettison.cli.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One suite's choices, checked: what to inject, how often, and where the report goes. */
record FaultSettings(List<FaultKind> kinds, List<Phase> phases, int runs, long seed, Duration minOutage, Duration maxOutage,
                     Duration settleTimeout, Path out) {
    FaultSettings {
        if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1, not " + runs);
        if (kinds.isEmpty()) throw new IllegalArgumentException("--kinds names no fault kind");
        if (phases.isEmpty()) throw new IllegalArgumentException("--phases names no phase");
        if (minOutage.isNegative() || maxOutage.compareTo(minOutage) < 0) {
            throw new IllegalArgumentException("outage must satisfy 0 <= min <= max: " + minOutage + ", " + maxOutage);
        }
        if (settleTimeout.isNegative() || settleTimeout.isZero()) throw new IllegalArgumentException("--settle-timeout-seconds must be > 0");
        kinds = List.copyOf(kinds);
        phases = List.copyOf(phases);
        out = out.toAbsolutePath();
    }

    List<FaultPlan> plans() {
        return FaultSchedule.plans(seed, kinds, phases, runs, minOutage.toMillis(), maxOutage.toMillis());
    }

    /** The same choices as arguments, to hand to the process that runs inside the desktop's namespace. */
    List<String> args() {
        var a = new ArrayList<String>();
        a.addAll(List.of("--kinds", String.join(",", kinds.stream().map(FaultKind::name).toList())));
        a.addAll(List.of("--phases", String.join(",", phases.stream().map(Phase::label).toList())));
        a.addAll(List.of("--runs", Integer.toString(runs), "--seed", Long.toString(seed)));
        a.addAll(List.of("--min-outage-seconds", seconds(minOutage), "--max-outage-seconds", seconds(maxOutage)));
        a.addAll(List.of("--settle-timeout-seconds", seconds(settleTimeout), "--out", out.toString()));
        return a;
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
