package dev.jettison.cli.bench;

import dev.jettison.cli.Sizes;
import dev.jettison.vmm.guest.TestGuest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The migration benchmark: our partial migration against QEMU's pre-copy and post-copy live
 * migration of the same idle guest, on loopback and on rate-limited veth links, with the
 * paper's figures and the goals alongside.
 */
@Command(name = "migration", mixinStandardHelpOptions = true,
        description = {"Migrate an idle test guest out and back with Jettison and with QEMU live migration (pre-copy, post-copy),",
                "on loopback and on tc-limited veth links between network namespaces; report medians, ratios and goals.",
                "Needs /dev/kvm, root (network namespaces, userfaultfd) and qemu-system-x86_64.",
                "Without /dev/kvm: KVM_EMU_MEM=10G tools/kvm-emu/run.sh ./jettison bench migration ..."})
public final class MigrationBenchCommand implements Callable<Integer> {
    @Option(names = "--mem", description = "guest RAM (default 4G)")
    String mem = "4G";

    @Option(names = "--warm-mib", description = "MiB the idle program touches at start (default 1228 = 1.2 GiB)")
    int warmMib = 1228;

    @Option(names = "--idle-speed", description = "idle.speed: divides the idle program's timer periods (default 1)")
    double idleSpeed = 1;

    @Option(names = "--idle-seconds", description = "seconds idle before each migration out (default 10)")
    double idleSeconds = 10;

    @Option(names = "--remote-seconds", description = "seconds on the server before migrating back (default 10)")
    double remoteSeconds = 10;

    @Option(names = "--runs", description = "round trips per system and link; medians reported (default 3)")
    int runs = 3;

    @Option(names = "--links", split = ",", description = "loopback and/or veth rates, e.g. 1gbit,100mbit (default loopback,1gbit)")
    List<String> links = List.of("loopback", "1gbit");

    @Option(names = "--systems", split = ",", description = "ours, precopy, postcopy (default all)")
    List<String> systems = List.of("ours", "precopy", "postcopy");

    @Option(names = "--prefetch", description = "our server's prefetch policy (default ondemand)")
    String prefetch = "ondemand";

    @Option(names = "--qemu", description = "QEMU binary (default qemu-system-x86_64 on PATH)")
    String qemu = "qemu-system-x86_64";

    @Option(names = "--timeout-minutes", description = "limit for each guest's warm-up and each migration (default 30)")
    int timeoutMinutes = 30;

    @Option(names = "--out", description = "report directory (default target/bench-migration)")
    Path out = Path.of("target", "bench-migration");

    @Override
    public Integer call() throws Exception {
        var noKvm = dev.jettison.vmm.kvm.Kvm.unavailableReason();
        if (noKvm.isPresent()) {
            throw new IllegalStateException(noKvm.get() + ". On a machine without /dev/kvm run it in the emulated KVM host: "
                    + "KVM_EMU_MEM=10G tools/kvm-emu/run.sh ./jettison bench migration ... (figures are then emulated)");
        }
        for (var sys : systems) {
            if (!List.of("ours", "precopy", "postcopy").contains(sys)) throw new IllegalArgumentException("unknown system " + sys);
        }
        Path qemuBin = systems.stream().anyMatch(x -> !x.equals("ours")) ? findQemu(qemu) : null;
        var s = new BenchSettings(mem, Sizes.parse(mem), warmMib, idleSpeed, idleSeconds, remoteSeconds, runs, prefetch,
                Duration.ofMinutes(timeoutMinutes));
        var host = HostInfo.detect();
        System.out.println("jettison bench migration on: " + host.label());
        Path elf = TestGuest.ensureBuilt().resolve(TestGuest.ELF);
        Path logs = out.toAbsolutePath().resolve("logs");
        var infos = new ArrayList<BenchReport.LinkInfo>();
        var trials = new ArrayList<Trial>();
        var failures = new ArrayList<String>();
        int n = 0;
        for (String spec : links) {
            long rate = spec.equals("loopback") ? 0 : parseRate(spec);
            String tag = (ProcessHandle.current().pid() % 10000) + "n" + (n++);
            Link link;
            try {
                link = rate == 0 ? new Link.Loopback() : NetnsLink.create(tag, rate);
            } catch (Exception e) {
                failures.add("link " + spec + ": " + e.getMessage());
                System.out.println("link " + spec + " FAILED: " + e.getMessage());
                continue;
            }
            try (link) {
                infos.add(new BenchReport.LinkInfo(link.name(), link.rateBitsPerSecond()));
                for (var sys : systems) {
                    System.out.printf("== %s over %s (%d round trips) ==%n", sys, link.name(), runs);
                    Path dir = logs.resolve(link.name()).resolve(sys);
                    try {
                        var t = switch (sys) {
                            case "ours" -> OursMigration.run(link, s, dir, System.out);
                            case "precopy" -> QemuMigration.run(link, QemuMigration.Mode.PRECOPY, s, qemuBin, elf, dir, System.out);
                            default -> QemuMigration.run(link, QemuMigration.Mode.POSTCOPY, s, qemuBin, elf, dir, System.out);
                        };
                        trials.addAll(t);
                    } catch (Exception e) {
                        failures.add(sys + " over " + link.name() + ": " + e.getMessage() + " (logs: " + dir + ")");
                        System.out.println(sys + " over " + link.name() + " FAILED: " + e.getMessage());
                    }
                    // Written after every system, so a run cut short still leaves what it measured.
                    new BenchReport(host, s, infos, trials, failures).write(out.toAbsolutePath());
                }
            }
        }
        var report = new BenchReport(host, s, infos, trials, failures);
        System.out.println();
        System.out.print(report.markdown());
        var files = report.write(out.toAbsolutePath());
        System.out.println("report: " + files.get("markdown") + " and " + files.get("csv"));
        return failures.isEmpty() ? 0 : 1;
    }

    static long parseRate(String spec) {
        var m = java.util.regex.Pattern.compile("(\\d+)(g|m|k)?bit").matcher(spec.toLowerCase());
        if (!m.matches()) throw new IllegalArgumentException("link '" + spec + "': use loopback or a rate like 1gbit, 100mbit");
        long v = Long.parseLong(m.group(1));
        return v * switch (m.group(2) == null ? "" : m.group(2)) {
            case "g" -> 1_000_000_000L;
            case "m" -> 1_000_000L;
            case "k" -> 1_000L;
            default -> 1L;
        };
    }

    static Path findQemu(String name) {
        if (name.contains("/")) {
            if (Files.isExecutable(Path.of(name))) return Path.of(name);
        } else {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                var p = Path.of(d, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        throw new IllegalStateException(name + " not found (apt-get install qemu-system-x86), or pass --systems ours");
    }
}
