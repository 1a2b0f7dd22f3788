package dev.jettison.cli.bench;

import picocli.CommandLine.Command;

/** {@code jettison bench ...}: benchmarks that need KVM and compare against other systems. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (need /dev/kvm).",
        subcommands = {MigrationBenchCommand.class, OursDesktopRun.class, DowntimeBenchCommand.class,
                dev.jettison.cli.faults.FaultsCommand.class, dev.jettison.cli.faults.FaultsInsideCommand.class,
                dev.jettison.cli.energy.EnergyBenchCommand.class})
public final class BenchCommand {
}
