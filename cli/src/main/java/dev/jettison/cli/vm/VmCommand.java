package dev.jettison.cli.vm;

import picocli.CommandLine.Command;

@Command(name = "vm", description = "Run a guest under the Jettison VMM.",
        subcommands = {VmRunCommand.class, VmBenchCommand.class})
public final class VmCommand {}
