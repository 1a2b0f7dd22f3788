package dev.jettison.cli.energy;

import dev.jettison.agent.desktop.AwayReport;
import dev.jettison.agent.desktop.DesktopAgent;
import dev.jettison.agent.power.WakeSource;
import dev.jettison.agent.wol.MacAddress;
import dev.jettison.agent.wol.WakeOnLanPackets;
import dev.jettison.cli.Sizes;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.partial.ConsolidationServer;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.guest.TestGuest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The energy benchmark: the idle guest consolidated for the same stretch of desktop time under each
 * prefetch strategy (§3.4), with emulated S3 on Table 1's profile, side by side: MiB moved, remote
 * faults, wake-ups, mean microsleep, energy saving. Each strategy gets a fresh server, a warm-up
 * consolidation (so that hoarding has a history, §3.4) and then the measured one.
 */
@Command(name = "energy", mixinStandardHelpOptions = true,
        description = "Consolidate the idle guest under each prefetch strategy with emulated S3 and compare energy.")
public final class EnergyBenchCommand implements Callable<Integer> {
    @Option(names = "--minutes", description = "desktop minutes away per strategy (default 30)")
    double minutes = 30;

    @Option(names = "--warmup-minutes", description = "desktop minutes of the warm-up consolidation before each (default 10)")
    double warmupMinutes = 10;

    @Option(names = "--scale", description = "time scale: guest timers and S3 transitions run this much faster (default 30)")
    double scale = 30;

    @Option(names = "--prefetch", split = ",", description = "strategies (default none,ondemand,hoarding:2048,both:20:2048)")
    List<String> strategies = List.of("none", "ondemand", "hoarding:2048", "both:20:2048");

    @Option(names = "--mem", description = "guest RAM (default 256M)")
    String mem = "256M";

    @Option(names = "--pattern-mib", description = "memory the guest's idle reads range over (default 32)")
    int patternMib = 32;

    @Option(names = "--spots", description = "places the guest's minute bursts come from (default 6; 0 = anywhere)")
    int spots = 6;

    @Option(names = "--out", description = "report directory (default target/bench-energy)")
    Path out = Path.of("target", "bench-energy");

    record Row(String strategy, AwayReport report) {}

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        var profile = PowerProfile.TABLE_1;
        var settings = new DesktopAgent.Settings(profile, scale, DesktopAgent.Settings.PAPER_WAIT_MILLIS);
        List<Row> rows = new ArrayList<>();
        for (String s : strategies) {
            var policy = PrefetchPolicy.parse(s);
            System.err.printf("== %s: warm-up %.0f min, then %.0f min away (x%.0f time)%n", s, warmupMinutes, minutes, scale);
            String tag = s.replace(':', '_'); // file names per strategy
            var r = run(policy, settings, out.resolve("state-" + tag));
            rows.add(new Row(s, r));
            System.err.println(r.summary());
            PowerPlot.write(r.energy(), profile.idleWatts(), "Desktop power while consolidated, prefetch " + s,
                    out.resolve("power-" + tag + ".png"));
            Files.writeString(out.resolve("power-" + tag + ".csv"), r.energy().seriesCsv());
        }
        String table = table(rows);
        System.out.println(table);
        Files.writeString(out.resolve("report.md"), header(settings) + table);
        Files.writeString(out.resolve("report.csv"), csv(rows));
        System.err.println("report: " + out.resolve("report.md"));
        return 0;
    }

    private AwayReport run(PrefetchPolicy policy, DesktopAgent.Settings settings, Path state) throws Exception {
        String cmdline = String.format(Locale.ROOT, "prog=pattern pattern.mem_mib=%d pattern.seed=5 pattern.timers=%s pattern.spots=%d",
                patternMib, fmt(scale), spots);
        var cfg = VmConfig.of(TestGuest.bzImage(), Sizes.parse(mem)).withCmdline(cmdline);
        var loopback = new InetSocketAddress("127.0.0.1", 0);
        try (var server = ConsolidationServer.start(state, FaultHandler.Config.paperDefaults().withPolicy(policy), loopback,
                new WakeOnLanPackets(null, WakeOnLanPackets.DEFAULT_PORT));
             var vm = VirtualMachine.create(cfg);
             var agent = DesktopAgent.emulated("bench", vm, null, loopback, settings, MacAddress.parse("52:54:00:be:4c:01"), loopback)) {
            vm.start();
            vm.console().awaitLine(l -> l.startsWith("JTS:PATTERN WROTE"), Duration.ofMinutes(5));
            away(agent, server, warmupMinutes);
            var report = away(agent, server, minutes);
            int from = vm.console().lineCount();
            vm.sendConsoleLine("verify");
            String v = vm.console().awaitLine(from, l -> l.startsWith("JTS:PATTERN VERIFY"), Duration.ofMinutes(2));
            if (!v.contains("result=ok")) throw new IllegalStateException("the guest's pattern did not verify: " + v);
            return report;
        }
    }

    private AwayReport away(DesktopAgent agent, ConsolidationServer server, double desktopMinutes) throws Exception {
        agent.consolidate(server.address());
        Thread.sleep(Math.round(desktopMinutes * 60_000 / scale));
        return agent.reintegrate(Duration.ofMinutes(5));
    }

    private String header(DesktopAgent.Settings s) {
        return String.format(Locale.ROOT, """
                # Energy per prefetch strategy

                `jettison bench energy --minutes %s --scale %s` on %s. Guest: test guest, %s RAM,
                `pattern.timers` reads over %d MiB (minute bursts from %d places), every block checked.
                Desktop: emulated S3 on %s, guest timers and S3 transitions %sx faster than real time;
                figures below are in the desktop's own time. Each strategy: fresh server, a %s-minute
                warm-up consolidation, then the measured one. Paper: 78 %% saving for an hour (§5.2).

                """, fmt(minutes), fmt(scale), host(), mem, patternMib, spots, s.profile().name(), fmt(scale), fmt(warmupMinutes));
    }

    static String host() {
        return dev.jettison.vmm.kvm.Kvm.inEmulatedHost() ? "the emulated KVM host (QEMU TCG; not native speed)" : "native KVM";
    }

    static String table(List<Row> rows) {
        var sb = new StringBuilder("| strategy | MiB demand | MiB prefetch | remote faults | wake-ups | microsleeps | mean microsleep | saving |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            var e = r.report().energy();
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %d | %d | %d | %.1f s | %.1f %% |%n", r.strategy(),
                    r.report().demandMiB(), r.report().prefetchMiB(), r.report().migration().pagesFetched(),
                    e.wakeups(WakeSource.MAGIC_PACKET), e.microsleeps(), e.meanMicrosleep().toNanos() / 1e9, e.savingPercent()));
        }
        return sb.toString();
    }

    static String csv(List<Row> rows) {
        var sb = new StringBuilder("strategy,demand_mib,prefetch_mib,remote_faults,wakeups,microsleeps,mean_microsleep_s,saving_percent,saving_wh\n");
        for (Row r : rows) {
            var e = r.report().energy();
            sb.append(String.format(Locale.ROOT, "%s,%.3f,%.3f,%d,%d,%d,%.2f,%.2f,%.3f%n", r.strategy(), r.report().demandMiB(),
                    r.report().prefetchMiB(), r.report().migration().pagesFetched(), e.wakeups(WakeSource.MAGIC_PACKET),
                    e.microsleeps(), e.meanMicrosleep().toNanos() / 1e9, e.savingPercent(), e.savingWattHours()));
        }
        return sb.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
