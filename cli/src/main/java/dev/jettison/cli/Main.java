package dev.jettison.cli;

import dev.jettison.cli.migrate.ConsolidateCommand;
import dev.jettison.cli.migrate.DemoCommand;
import dev.jettison.cli.migrate.DesktopCommand;
import dev.jettison.cli.migrate.ReintegrateCommand;
import dev.jettison.cli.migrate.ServerCommand;
import dev.jettison.cli.vm.VmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jettison} command: one subcommand per job of the system (DESIGN.md). */
@Command(name = "jettison", mixinStandardHelpOptions = true, version = "jettison 0.1.0",
        description = "Partial VM migration for idle desktops (EuroSys'12 Jettison) on KVM.",
        subcommands = {DemoCommand.class, VmCommand.class, DesktopCommand.class, ServerCommand.class,
                ConsolidateCommand.class, ReintegrateCommand.class, dev.jettison.cli.keys.KeysCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        var cl = new CommandLine(new Main());
        SubcommandRegistry.registerOptional(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("jettison: " + ex.getMessage());
            if (Boolean.getBoolean("jettison.debug")) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        return cl;
    }
}
