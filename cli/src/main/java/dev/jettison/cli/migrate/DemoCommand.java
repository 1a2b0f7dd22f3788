package dev.jettison.cli.migrate;

import dev.jettison.cli.Sizes;
import dev.jettison.core.pattern.DiskPatternCheck;
import dev.jettison.migration.partial.Desktop;
import dev.jettison.migration.partial.MigrationReport;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.VmExit;
import dev.jettison.vmm.guest.TestGuest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * The main job on one machine: boots the test guest (pattern program over memory and disk) as
 * the desktop, starts a consolidation server process, consolidates the guest, leaves it on the
 * server while it keeps writing, brings it home, repeats, and verifies every pattern byte.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Consolidate and reintegrate a running guest between this process (desktop) and a server process, then verify it.")
public final class DemoCommand implements Callable<Integer> {
    private static final Pattern VERIFY = Pattern.compile("mem_bad=(\\d+) disk_bad=(\\d+) .*result=(\\w+)");

    @Option(names = "--mem", description = "guest RAM (default 512M)")
    String mem = "512M";

    @Option(names = "--cycles", description = "consolidate/reintegrate cycles (default 3)")
    int cycles = 3;

    @Option(names = "--remote-seconds", description = "seconds the guest runs on the server each cycle (default 5)")
    int remoteSeconds = 5;

    @Option(names = "--pattern-mib", description = "guest memory covered by the pattern (default 64)")
    int patternMib = 64;

    @Option(names = "--prefetch", description = "server prefetch policy (default ondemand)")
    String prefetch = "ondemand";

    @Option(names = "--insecure", description = "plaintext between desktop and server (default: mutual TLS with a throwaway site CA)")
    boolean insecure;

    @Option(names = "--net", description = "network presence instead: the daemons on a LAN of network namespaces "
            + "(tools/netns-topology.sh), the guest's NIC on the desktop host's bridge, and a client host's TCP connection "
            + "to the guest shown surviving each move (needs root)")
    boolean net;

    @Override
    public Integer call() throws Exception {
        var noKvm = dev.jettison.vmm.kvm.Kvm.unavailableReason();
        if (noKvm.isPresent()) return runEmulated(noKvm.get());
        if (net) return new dev.jettison.cli.net.NetDemo(System.out, cycles, remoteSeconds, "128M").run();
        Path work = Files.createTempDirectory("jettison-demo");
        Path disk = work.resolve("desktop-disk.img");
        try (var f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        // A throwaway site CA in the demo's folder: the demo runs over mutual TLS like an office would.
        dev.jettison.migration.wire.WireSecurity security = dev.jettison.migration.wire.WireSecurity.PLAINTEXT;
        Path serverKeys = null;
        if (insecure) {
            System.out.println("INSECURE: plaintext between desktop and server (--insecure)");
        } else {
            var ca = dev.jettison.migration.tls.SiteCa.init(work.resolve("site"), "demo");
            serverKeys = ca.issue(dev.jettison.migration.wire.Role.SERVER, "demo-server", List.of());
            security = dev.jettison.migration.tls.MutualTls.load(
                    ca.issue(dev.jettison.migration.wire.Role.DESKTOP, "demo-desktop", List.of("demo")));
            System.out.println("mutual TLS 1.3 with a throwaway site CA in " + work.resolve("site"));
        }
        Process server = startServer(work.resolve("server"), serverKeys);
        try {
            InetSocketAddress serverAddress = awaitServer(server);
            System.out.println("server process " + server.pid() + " listening on " + Endpoints.format(serverAddress));
            String cmdline = "prog=pattern pattern.mem_mib=" + patternMib + " pattern.disk_mib=16 pattern.seed=42 pattern.rate=50";
            var cfg = VmConfig.of(TestGuest.bzImage(), Sizes.parse(mem)).withCmdline(cmdline).withDisk(disk, false)
                    .withConsole(work.resolve("desktop-console.log"), false);
            var reports = new ArrayList<MigrationReport>();
            String verify;
            VmExit exit;
            try (var vm = VirtualMachine.create(cfg);
                 var desktop = new Desktop("demo", vm, disk, new InetSocketAddress("127.0.0.1", 0), Desktop.Wake.NEVER, () -> { },
                         dev.jettison.migration.wire.ServiceGate.OPEN,
                         dev.jettison.migration.partial.DesktopSettings.DEFAULT.withSecurity(security), null)) {
                vm.start();
                vm.console().awaitLine(l -> l.startsWith("JTS:PATTERN WROTE"), Duration.ofMinutes(5));
                System.out.println("guest wrote its pattern; idle for 2 s");
                Thread.sleep(2000);
                for (int c = 1; c <= cycles; c++) {
                    long ms = desktop.consolidate(serverAddress);
                    System.out.printf("cycle %d: consolidated in %d ms; running on the server for %d s%n", c, ms, remoteSeconds);
                    Thread.sleep(remoteSeconds * 1000L);
                    var r = desktop.reintegrate(Duration.ofMinutes(5));
                    reports.add(r);
                    System.out.printf("cycle %d: reintegrated in %d ms (%d dirty pages, %d dirty blocks)%n", c,
                            r.reintegrationMillis(), r.dirtyPagesBack(), r.dirtyBlocksBack());
                    Thread.sleep(1000);
                }
                int from = vm.console().lineCount();
                vm.sendConsoleLine("verify");
                verify = vm.console().awaitLine(from, l -> l.startsWith("JTS:PATTERN VERIFY"), Duration.ofMinutes(5));
                vm.sendConsoleLine("halt");
                exit = vm.awaitExit(Duration.ofMinutes(2));
            }
            var outside = DiskPatternCheck.check(disk);
            report(reports, verify, outside, exit);
            var m = VERIFY.matcher(verify);
            boolean ok = m.find() && m.group(3).equals("ok") && outside.badBytes() == 0 && exit.clean();
            System.out.println(ok ? "RESULT: every pattern byte verified" : "RESULT: VERIFICATION FAILED");
            return ok ? 0 : 1;
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /**
     * Without /dev/kvm the demo re-runs itself inside the emulated KVM host (tools/kvm-emu): real
     * KVM on emulated hardware, so it shows the mechanism working but its timings mean nothing.
     */
    private int runEmulated(String why) throws Exception {
        var home = TestGuest.home().orElseThrow(() -> new IllegalStateException(why));
        var unavailable = dev.jettison.vmm.emu.EmulatedKvmHost.unavailableReason(home);
        if (unavailable.isPresent() || dev.jettison.vmm.kvm.Kvm.inEmulatedHost()) {
            throw new IllegalStateException(why + (unavailable.isPresent() ? "; and " + unavailable.get() : ""));
        }
        System.out.println("No usable KVM here (" + why + ").");
        System.out.println("Running the demo inside the emulated KVM host instead: real KVM on emulated hardware,");
        System.out.println("so it shows partial migration working, but its timings are ~30x slower than real.");
        TestGuest.ensureBuilt();
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var cmd = new ArrayList<>(List.of(home.resolve("tools/kvm-emu/run.sh").toString(), java, "--enable-native-access=ALL-UNNAMED", "-Djettison.home=" + home, "-cp", System.getProperty("java.class.path"),
                "dev.jettison.cli.Main", "demo", "--mem", mem, "--cycles", Integer.toString(cycles),
                "--remote-seconds", Integer.toString(remoteSeconds), "--pattern-mib", Integer.toString(patternMib),
                "--prefetch", prefetch));
        if (insecure) cmd.add("--insecure");
        if (net) cmd.add("--net");
        var p = new ProcessBuilder(cmd).directory(home.toFile()).inheritIO().start();
        return p.waitFor();
    }

    private static void report(List<MigrationReport> reports, String verify, DiskPatternCheck.Result disk, VmExit exit) {
        System.out.println();
        System.out.println("cycle  consolidate_ms  reintegrate_ms  to_server_KiB  back_KiB  pages_fetched  zero  prefetched  blocks  fault_p50_us  fault_p99_us");
        int i = 1;
        for (var r : reports) {
            System.out.printf("%5d  %14d  %14d  %13d  %8d  %13d  %4d  %10d  %6d  %12.0f  %12.0f%n", i++,
                    r.consolidationMillis(), r.reintegrationMillis(), r.bytesToServer() / 1024, r.bytesToDesktop() / 1024,
                    r.pagesFetched(), r.zeroPages(), r.prefetchedPages(), r.blocksFetched(), r.faultP50Micros(), r.faultP99Micros());
        }
        System.out.println("guest: " + verify);
        System.out.println("disk checked from outside: " + disk.badBytes() + " bad bytes over " + disk.blocks() + " blocks");
        System.out.println("VM ended: " + exit);
    }

    private Process startServer(Path stateDir, Path keys) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.jettison.cli.Main", "server", "--listen", "127.0.0.1:0", "--state-dir", stateDir.toString(),
                "--prefetch", prefetch));
        if (keys == null) cmd.add("--insecure");
        else cmd.addAll(List.of("--tls-dir", keys.toString()));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static InetSocketAddress awaitServer(Process server) throws Exception {
        var in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || !line.startsWith("jettison server listening on ")) {
            throw new IllegalStateException("the server process did not start: " + line);
        }
        Thread.ofVirtual().start(() -> in.lines().forEach(l -> System.out.println("[server] " + l)));
        return Endpoints.parse(line.substring("jettison server listening on ".length()).strip());
    }
}
