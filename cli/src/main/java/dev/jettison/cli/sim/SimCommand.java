package dev.jettison.cli.sim;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jettison sim ...}: the trace-driven analyses and fleet simulator of the paper's §3 and §6. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Trace-driven analyses and the fleet simulator (paper sections 3, 5.2 and 6).",
        subcommands = {MicrosleepCommand.class, PrefetchCommand.class, SavingsCommand.class, FleetCommand.class,
                ReproduceCommand.class, BenchCommand.class, TracesCommand.class, ReplayCommand.class})
public final class SimCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Runs without the top-level {@code jettison} command, e.g. from the sim benchmark scripts. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new SimCommand()).execute(args));
    }
}
