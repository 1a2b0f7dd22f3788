package dev.jettison.cli.bench;

import dev.jettison.cli.Sizes;
import dev.jettison.migration.partial.ConsolidationTiming;
import dev.jettison.migration.partial.Desktop;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;

/**
 * Where a consolidation's VM downtime goes (issue 10, item 4): pause, descriptor capture, send,
 * server admission. Each run starts fresh server processes, with and without the server's warm-up
 * at start (alternating which goes first), and consolidates the same running guest to each
 * {@code --cycles} times: the first consolidation is the one of a server's life, the rest are
 * warm. The desktop is this process, warmed by one discarded round trip before the runs.
 */
@Command(name = "downtime", mixinStandardHelpOptions = true,
        description = "VM downtime of our consolidation, part by part, for a server's first and later consolidations.")
public final class DowntimeBenchCommand implements Callable<Integer> {
    @Option(names = "--mem", description = "guest RAM (default 256M)")
    String mem = "256M";

    @Option(names = "--runs", description = "fresh servers per mode (default 5)")
    int runs = 5;

    @Option(names = "--cycles", description = "consolidations per server (default 3; the first is cold)")
    int cycles = 3;

    @Option(names = "--out", description = "also write the Markdown table here")
    Path out;

    private static final List<String> MODES = List.of("no warm-up", "warm-up at start");

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || cycles < 2) throw new IllegalArgumentException("--runs >= 1 and --cycles >= 2");
        Path work = Files.createTempDirectory("jettison-downtime");
        var cfg = VmConfig.of(TestGuest.bzImage(), Sizes.parse(mem)).withCmdline("prog=idle idle.warm_mib=16")
                .withConsole(work.resolve("guest-console.log"), false);
        Map<String, List<ConsolidationTiming>> first = new LinkedHashMap<>(), later = new LinkedHashMap<>();
        Map<String, List<Long>> startMillis = new LinkedHashMap<>();
        for (String m : MODES) {
            first.put(m, new ArrayList<>());
            later.put(m, new ArrayList<>());
            startMillis.put(m, new ArrayList<>());
        }
        try (var vm = VirtualMachine.create(cfg); var desktop = new Desktop("downtime", vm, null, new InetSocketAddress("127.0.0.1", 0))) {
            vm.start();
            vm.console().awaitLine(l -> l.startsWith("JTS:IDLE READY"), Duration.ofMinutes(5));
            serverRun(desktop, work, "warm-desktop", true, 1, new ArrayList<>(), new ArrayList<>());
            for (int r = 0; r < runs; r++) {
                for (int k = 0; k < MODES.size(); k++) {
                    String mode = MODES.get((r + k) % MODES.size());
                    var timings = new ArrayList<ConsolidationTiming>();
                    var starts = startMillis.get(mode);
                    serverRun(desktop, work, "r" + r + "-" + k, mode.startsWith("warm"), cycles, timings, starts);
                    first.get(mode).add(timings.getFirst());
                    later.get(mode).addAll(timings.subList(1, timings.size()));
                    System.out.printf("run %d, %s: first %s; later downtimes %s ms%n", r + 1, mode, timings.getFirst(),
                            timings.subList(1, timings.size()).stream().map(t -> String.format("%.1f", t.downtimeNanos() / 1e6)).toList());
                }
            }
        }
        String table = table(first, later, startMillis);
        System.out.println();
        System.out.print(table);
        if (out != null) Files.writeString(out, table);
        return 0;
    }

    /** One fresh server process; {@code cycles} round trips of the desktop's VM to it. */
    private static void serverRun(Desktop desktop, Path work, String name, boolean warm, int cycles,
                                  List<ConsolidationTiming> timings, List<Long> starts) throws Exception {
        var args = new ArrayList<>(List.of("server", "--listen", "127.0.0.1:0", "--state-dir", work.resolve(name).toString()));
        if (!warm) args.add("--no-warmup");
        long t0 = System.nanoTime();
        try (var server = ChildProcess.start("server-" + name, ChildProcess.jettison(args.toArray(String[]::new)),
                work.resolve(name + ".stderr"), null)) {
            String line = server.awaitLine(0, l -> l.startsWith("jettison server listening on "), Duration.ofMinutes(5), "listening");
            starts.add((System.nanoTime() - t0) / 1_000_000);
            String hp = line.substring("jettison server listening on ".length()).strip();
            var addr = new InetSocketAddress(hp.substring(0, hp.lastIndexOf(':')), Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1)));
            for (int c = 0; c < cycles; c++) {
                Thread.sleep(500);
                desktop.consolidate(addr);
                timings.add(desktop.lastConsolidationTiming());
                Thread.sleep(1000);
                desktop.reintegrate(Duration.ofMinutes(5));
            }
        }
    }

    static String table(Map<String, List<ConsolidationTiming>> first, Map<String, List<ConsolidationTiming>> later,
                        Map<String, List<Long>> startMillis) {
        var sb = new StringBuilder();
        sb.append("| server | consolidation | n | downtime ms | pause | capture | send | server admit | connect (VM running) | server start to listening ms |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String mode : first.keySet()) {
            for (var e : List.of(Map.entry("first of its life", first.get(mode)), Map.entry("later (warm)", later.get(mode)))) {
                var ts = e.getValue();
                sb.append(String.format("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s |%n", mode, e.getKey(), ts.size(),
                        median(ts, ConsolidationTiming::downtimeNanos), median(ts, ConsolidationTiming::pauseNanos),
                        median(ts, ConsolidationTiming::captureNanos), median(ts, ConsolidationTiming::sendNanos),
                        median(ts, ConsolidationTiming::serverNanos), median(ts, ConsolidationTiming::connectNanos),
                        e.getKey().startsWith("first") ? Long.toString(medianLong(startMillis.get(mode))) : ""));
            }
        }
        sb.append("\nMedians in ms; downtime = pause + capture + send + server admit (until the server's Ack, sent once the VM runs there).\n");
        return sb.toString();
    }

    static double median(List<ConsolidationTiming> ts, ToLongFunction<ConsolidationTiming> part) {
        long[] v = ts.stream().mapToLong(part).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return (v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0) / 1e6;
    }

    static long medianLong(List<Long> v) {
        long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
        return a.length == 0 ? -1 : a[a.length / 2];
    }

}
