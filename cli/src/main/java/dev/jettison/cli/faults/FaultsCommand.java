package dev.jettison.cli.faults;

import dev.jettison.cli.bench.ChildProcess;
import dev.jettison.cli.bench.NetnsLink;
import dev.jettison.cli.migrate.DesktopCommand;
import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.kvm.Kvm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jettison bench faults}: the fault-injection suite (issue 8, "Nothing lost"). It runs the
 * real daemons as separate processes in two network namespaces of its own joined by a veth
 * pair, kills, freezes or cuts them at seeded random points of a consolidation, of the VM's stay
 * on the server and of its reintegration, and checks after each run, as a user would, that the VM
 * runs on exactly one side and that not one byte of the guest's pattern is bad.
 *
 * <p>This process only sets up and tears down the namespaces; the runs happen in a child process
 * inside the desktop's namespace ({@link FaultsInsideCommand}), where the desktop's control API
 * on its loopback and the server's status page across the veth are both reachable.
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {"Fault injection: kill (SIGKILL), hang (SIGSTOP) or cut off the server, or kill the desktop daemon,",
                "during consolidation, while the VM runs remotely, or during reintegration; check that the VM ends on exactly",
                "one side with 0 bad bytes (the guest's verify, then the disk image after shutdown). Markdown + CSV table.",
                "Needs root, /dev/kvm and userfaultfd. Without /dev/kvm: tools/kvm-emu/run.sh ./jettison bench faults ..."})
public final class FaultsCommand implements Callable<Integer> {
    @Mixin
    FaultOptions options = new FaultOptions();

    /** Whether this build's desktop daemon keeps its residue in a state dir, which desktop-kill needs. */
    static boolean desktopHasStateDir() {
        return new CommandLine(new DesktopCommand()).getCommandSpec().findOption("--state-dir") != null;
    }

    @Override
    public Integer call() throws Exception {
        var settings = options.settings(desktopHasStateDir());
        prerequisites();
        Namespaces.removeLeftovers(System.out);
        TestGuest.ensureBuilt(); // once here, not in every daemon at once
        Files.createDirectories(settings.out());
        String tag = Long.toString(ProcessHandle.current().pid());
        // Ctrl-C skips finally blocks; the hook still takes the namespaces and their processes away.
        var hook = Thread.ofPlatform().unstarted(() -> removeQuietly(tag));
        Runtime.getRuntime().addShutdownHook(hook);
        try (var link = NetnsLink.create(Namespaces.NAMING, tag, 0)) {
            var blackhole = Blackhole.probe(link.desktopNs(), link.desktopIf());
            System.out.println("namespaces " + link.desktopNs() + " (" + link.desktopHost() + ") and " + link.serverNs() + " ("
                    + link.serverHost() + "); network cut by " + blackhole.describe());
            var cmd = new ArrayList<>(List.of("ip", "netns", "exec", link.desktopNs()));
            var args = new ArrayList<>(List.of("bench", "faults-inside"));
            args.addAll(settings.args());
            args.addAll(List.of("--desktop-ns", link.desktopNs(), "--server-ns", link.serverNs(), "--desktop-if", link.desktopIf(),
                    "--server-if", link.serverIf(), "--desktop-ip", link.desktopHost(), "--server-ip", link.serverHost(),
                    "--blackhole", blackhole.qdisc()));
            cmd.addAll(ChildProcess.jettison(args.toArray(String[]::new)));
            try (var inside = ChildProcess.start("faults", cmd, settings.out().resolve("faults-inside.stderr"), System.out)) {
                int code = inside.waitFor(Duration.ofDays(7));
                if (code != 0 && code != 1) System.out.println("the suite's runner failed (exit " + code + "); " + inside.stderrTail());
                return code;
            } finally {
                Namespaces.killProcessesIn(link.desktopNs(), link.serverNs());
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
        }
    }

    private static void removeQuietly(String tag) {
        try {
            Namespaces.remove(Namespaces.NAMING.prefix() + "-" + tag + "-d");
            Namespaces.remove(Namespaces.NAMING.prefix() + "-" + tag + "-s");
        } catch (Exception e) {
            System.err.println("jettison bench faults: cleanup: " + e.getMessage());
        }
    }

    static void prerequisites() {
        var noKvm = Kvm.unavailableReason();
        if (noKvm.isPresent()) {
            throw new IllegalStateException(noKvm.get() + ". On a machine without /dev/kvm run the suite in the emulated KVM host: "
                    + "tools/kvm-emu/run.sh ./jettison bench faults ...");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("jettison bench faults needs root: network namespaces, tc, and userfaultfd for the server");
        }
        if (!Files.exists(Path.of("/dev/userfaultfd")) && !Files.exists(Path.of("/proc/sys/vm/unprivileged_userfaultfd"))) {
            throw new IllegalStateException("this kernel has no userfaultfd (CONFIG_USERFAULTFD), which the server's memtap needs");
        }
    }
}
