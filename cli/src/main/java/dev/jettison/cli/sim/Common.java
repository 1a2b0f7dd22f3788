package dev.jettison.cli.sim;

import dev.jettison.core.energy.PowerProfile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every sim subcommand shares. */
final class Common {
    @Option(names = "--seed", defaultValue = "1", description = "Seed of every generator (default: ${DEFAULT-VALUE}); equal seeds give equal results.")
    long seed;

    @Option(names = "--out", defaultValue = "sim-out", description = "Directory for CSV and PNG output (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--profile", defaultValue = "table1", description = "Desktop power profile: table1 (paper Table 1) or fast2s (2 s suspend/resume, §5.2).")
    String profile;

    PowerProfile powerProfile() {
        return switch (profile) {
            case "table1" -> PowerProfile.TABLE_1;
            case "fast2s" -> PowerProfile.FAST_2S;
            default -> throw new IllegalArgumentException("unknown profile '" + profile + "' (expected table1 or fast2s)");
        };
    }
}
