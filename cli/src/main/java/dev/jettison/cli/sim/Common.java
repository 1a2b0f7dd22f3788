package dev.jettison.cli.sim;

import dev.jettison.core.energy.PowerProfile;
import java.nio.file.Files;
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

    /** Bad input names the option and the value (issue 14): a count that must be positive. */
    static int positive(String option, int v) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be > 0, got " + v);
        return v;
    }

    static double positive(String option, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(option + " must be > 0, got " + v);
        return v;
    }

    /** A file the command reads: missing is said as such, with the option it came from. */
    static Path existing(String option, Path p) {
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException(option + ": no such file: " + p);
        return p;
    }

    PowerProfile powerProfile() {
        return switch (profile) {
            case "table1" -> PowerProfile.TABLE_1;
            case "fast2s" -> PowerProfile.FAST_2S;
            default -> throw new IllegalArgumentException("unknown profile '" + profile + "' (expected table1 or fast2s)");
        };
    }
}
