package dev.jettison.cli.bench;

import dev.jettison.cli.Sizes;
import dev.jettison.migration.partial.Desktop;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.guest.TestGuest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The desktop half of {@code jettison bench migration} for our system, run as its own process
 * (so it can live in the desktop's network namespace): boots the test guest, waits until its
 * idle program has warmed its memory, then for each cycle idles, consolidates to the server,
 * waits, reintegrates, and prints the MigrationReport as a {@link ReportLine}.
 */
@Command(name = "ours-desktop", hidden = true, description = "internal: the desktop process of bench migration")
public final class OursDesktopRun implements Callable<Integer> {
    @Option(names = "--mem", required = true) String mem;
    @Option(names = "--cmdline", required = true) String cmdline;
    @Option(names = "--server", required = true) String server;
    @Option(names = "--serve", required = true) String serve;
    @Option(names = "--idle-seconds", required = true) double idleSeconds;
    @Option(names = "--remote-seconds", required = true) double remoteSeconds;
    @Option(names = "--cycles", required = true) int cycles;
    @Option(names = "--console-log", required = true) Path consoleLog;

    @Override
    public Integer call() throws Exception {
        var cfg = VmConfig.of(TestGuest.bzImage(), Sizes.parse(mem)).withCmdline(cmdline).withConsole(consoleLog, false);
        try (var vm = VirtualMachine.create(cfg); var desktop = new Desktop("bench", vm, null, hostPort(serve))) {
            vm.start();
            System.out.println(vm.console().awaitLine(l -> l.startsWith("JTS:IDLE WARM"), Duration.ofMinutes(30)));
            vm.console().awaitLine(l -> l.startsWith("JTS:IDLE READY"), Duration.ofMinutes(5));
            for (int c = 1; c <= cycles; c++) {
                Thread.sleep((long) (idleSeconds * 1000));
                long ms = desktop.consolidate(hostPort(server));
                System.out.println("cycle " + c + ": consolidated in " + ms + " ms");
                Thread.sleep((long) (remoteSeconds * 1000));
                var report = desktop.reintegrate(Duration.ofMinutes(10));
                System.out.println(ReportLine.format(report));
            }
            int from = vm.console().lineCount();
            vm.sendConsoleLine("status");
            System.out.println(vm.console().awaitLine(from, l -> l.startsWith("JTS:IDLE STATUS"), Duration.ofMinutes(2)));
            vm.sendConsoleLine("halt");
            var exit = vm.awaitExit(Duration.ofMinutes(2));
            System.out.println("VM ended: " + exit);
            return exit.clean() ? 0 : 1;
        }
    }

    private static InetSocketAddress hostPort(String s) {
        int colon = s.lastIndexOf(':');
        return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }
}
