package dev.jettison.cli;

import picocli.CommandLine;

/** Subcommands contributed by other packages of this module, added in one place. */
final class SubcommandRegistry {
    private SubcommandRegistry() {}

    static void registerOptional(CommandLine cl) {
        cl.addSubcommand(new dev.jettison.cli.sim.SimCommand());
        cl.addSubcommand(new dev.jettison.cli.bench.BenchCommand());
    }
}
