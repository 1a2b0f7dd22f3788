package dev.jettison.cli.faults;

import dev.jettison.cli.bench.HostInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The runs of {@code jettison bench faults}, in the desktop's network namespace that the parent
 * made: every planned run in turn, the report rewritten after each so that a suite cut short
 * still leaves what it found. Exit 0 if every run passed, 1 if any failed.
 */
@Command(name = "faults-inside", hidden = true, description = "internal: the runs of bench faults, inside the desktop's namespace")
public final class FaultsInsideCommand implements Callable<Integer> {
    @Mixin
    FaultOptions options = new FaultOptions();

    @Option(names = "--desktop-ns", required = true) String desktopNs;
    @Option(names = "--server-ns", required = true) String serverNs;
    @Option(names = "--desktop-if", required = true) String desktopIf;
    @Option(names = "--server-if", required = true) String serverIf;
    @Option(names = "--desktop-ip", required = true) String desktopIp;
    @Option(names = "--server-ip", required = true) String serverIp;
    @Option(names = "--blackhole", required = true) String blackhole;

    @Override
    public Integer call() throws Exception {
        boolean stateDir = FaultsCommand.desktopHasStateDir();
        var settings = options.settings(stateDir);
        var top = new Topology(desktopNs, serverNs, desktopIf, serverIf, desktopIp, serverIp, new Blackhole(blackhole));
        var skipped = new LinkedHashMap<String, String>();
        for (var k : settings.kinds()) {
            if (k.unsupportedReason() != null) {
                skipped.put(k.name(), k.unsupportedReason());
                System.out.println(k.name() + ": " + k.unsupportedReason() + "; SKIPPED (not counted as passed)");
            }
        }
        var about = about(settings, top);
        var plans = settings.plans().stream().filter(p -> p.kind().unsupportedReason() == null).toList();
        var run = new FaultRun(top, settings, stateDir, System.out);
        var results = new ArrayList<RunResult>();
        int i = 0;
        for (var plan : plans) {
            System.out.printf("run %d/%d %s: fault %d ms after its trigger, lasting %d ms%n", ++i, plans.size(), plan.id(),
                    plan.injectAfterMillis(), plan.outageMillis());
            var r = run.execute(plan);
            results.add(r);
            System.out.printf("run %d/%d %s: %s; %s%s%n", i, plans.size(), plan.id(), r.passed() ? "passed" : "FAILED: " + r.failure(),
                    r.placement().describe(), r.settleMillis() >= 0 ? ", settled " + r.settleMillis() + " ms after the fault" : "");
            new FaultTable(about, settings.phases(), results, skipped).write(settings.out());
        }
        var table = new FaultTable(about, settings.phases(), results, skipped);
        Path md = table.write(settings.out());
        System.out.println();
        System.out.print(table.markdown());
        System.out.println("report: " + md + ", " + settings.out().resolve("faults.csv") + ", " + settings.out().resolve("runs.csv"));
        return table.failedRuns() == 0 ? 0 : 1;
    }

    private static List<String> about(FaultSettings s, Topology top) {
        var host = HostInfo.detect();
        var lines = new ArrayList<String>();
        lines.add("command: `jettison bench faults " + String.join(" ", s.args().subList(0, s.args().size() - 2)) + "`");
        lines.add("machine: " + osName() + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memTotal() + ", "
                + host.cpu() + ", " + host.kernel() + "; " + host.label() + ", /dev/kvm " + dev.jettison.vmm.kvm.KvmHostKind.detect());
        lines.add("guest: the test guest, " + FaultRun.MEM + " RAM, `" + FaultRun.cmdline(0).replace(" pattern.seed=0", "")
                + "` (pattern.seed per run), an " + (FaultRun.DISK_BYTES >> 20) + " MiB disk image; desktop `--power none`");
        lines.add("network: veth between namespaces " + top.desktopNs() + " and " + top.serverNs() + "; cut by " + top.blackhole().describe());
        lines.add("settled = the VM on exactly one side, both daemons agreeing, for 3 s; time to settle counts from the fault's injection"
                + " (it includes the outage, " + s.minOutage().toMillis() + "-" + s.maxOutage().toMillis() + " ms, drawn per run)");
        return lines;
    }

    private static String osName() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring(12).replace("\"", "")).findFirst().orElse("Linux");
        } catch (java.io.IOException e) {
            return "Linux";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D+", "")) >> 20).map(g -> g + " GiB RAM").findFirst().orElse("? RAM");
        } catch (java.io.IOException e) {
            return "? RAM";
        }
    }
}
