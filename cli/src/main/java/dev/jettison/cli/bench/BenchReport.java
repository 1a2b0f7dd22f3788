package dev.jettison.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's results: per link, medians per system side by side with the paper, ratios of
 * ours against QEMU and the paper, and the goals; as console text, Markdown and CSV.
 */
final class BenchReport {
    /** Paper §5.3–5.4 (4 GiB Linux desktop VMs): means over the deployment. */
    static final double PAPER_CONSOLIDATION_MS = 3780;
    static final double PAPER_REINTEGRATION_MS = 4110;
    static final double PAPER_MIB_TO_SERVER = 242.23;
    static final double PAPER_MIB_BACK = 114.68 + 6.81;

    static final double GOAL_CONSOLIDATION_MS = 100;
    static final double GOAL_FAULT_P50_US = 200;
    static final double GOAL_BYTES_FACTOR = 1.25;

    private static final double MIB = 1 << 20;
    private static final List<String> SYSTEMS = List.of(Trial.OURS, Trial.PRECOPY, Trial.POSTCOPY);

    record LinkInfo(String name, long rateBitsPerSecond) {}

    record Goal(String name, String target, String measured, Boolean holds) {}

    private final HostInfo host;
    private final BenchSettings settings;
    private final List<LinkInfo> links;
    private final List<Trial> trials;
    private final List<String> failures;

    BenchReport(HostInfo host, BenchSettings settings, List<LinkInfo> links, List<Trial> trials, List<String> failures) {
        this.host = host;
        this.settings = settings;
        this.links = links;
        this.trials = trials;
        this.failures = failures;
    }

    /** Medians of one system over one link, or null if it produced no trial. */
    Trial median(String link, String system) {
        var t = trials.stream().filter(x -> x.link().equals(link) && x.system().equals(system)).toList();
        return t.isEmpty() ? null : Trial.median(t);
    }

    /** Reintegration goal: 1.2 x (dirty bytes / link rate) + 100 ms; without a rate limit only the 100 ms. */
    static double reintegrationBoundMs(double dirtyBytes, long rateBits) {
        double wire = rateBits > 0 ? dirtyBytes * 8 / rateBits * 1000 : 0;
        return 1.2 * wire + 100;
    }

    static double ratio(double ours, double other) {
        return Double.isNaN(ours) || Double.isNaN(other) || other <= 0 ? Double.NaN : ours / other;
    }

    List<Goal> goals(LinkInfo link) {
        var o = median(link.name(), Trial.OURS);
        if (o == null) return List.of();
        var g = new ArrayList<Goal>();
        g.add(new Goal("consolidation", "< " + fmt(GOAL_CONSOLIDATION_MS) + " ms", fmt(o.consolidationMs()) + " ms",
                o.consolidationMs() < GOAL_CONSOLIDATION_MS));
        double bound = reintegrationBoundMs(o.bytesBack(), link.rateBitsPerSecond());
        g.add(new Goal("reintegration", "<= 1.2 x " + fmt(o.bytesBack() / MIB) + " MiB / " + rate(link.rateBitsPerSecond())
                + " + 100 ms = " + fmt(bound) + " ms", fmt(o.reintegrationMs()) + " ms", o.reintegrationMs() <= bound));
        boolean loopback = link.rateBitsPerSecond() == 0;
        g.add(new Goal("remote fault p50" + (loopback ? "" : " (goal is for loopback)"), "< " + fmt(GOAL_FAULT_P50_US) + " us",
                fmt(o.faultP50Us()) + " us", loopback ? o.faultP50Us() < GOAL_FAULT_P50_US : null));
        double touched = settings.warmMib() * MIB;
        g.add(new Goal("bytes to server", "<= 1.25 x " + settings.warmMib() + " MiB touched = " + fmt(GOAL_BYTES_FACTOR * touched / MIB) + " MiB",
                fmt(o.bytesToServer() / MIB) + " MiB", o.bytesToServer() <= GOAL_BYTES_FACTOR * touched));
        return g;
    }

    private record Row(String name, ToDoubleFunction<Trial> f, double paper) {}

    private static List<Row> rows() {
        return List.of(
                new Row("consolidation / migration out (ms)", Trial::consolidationMs, PAPER_CONSOLIDATION_MS),
                new Row("downtime out (ms)", Trial::downtimeMs, Double.NaN),
                new Row("reintegration / migration back (ms)", Trial::reintegrationMs, PAPER_REINTEGRATION_MS),
                new Row("downtime back (ms)", Trial::backDowntimeMs, Double.NaN),
                new Row("MiB to server", t -> t.bytesToServer() / MIB, PAPER_MIB_TO_SERVER),
                new Row("MiB back", t -> t.bytesBack() / MIB, PAPER_MIB_BACK),
                new Row("remote fault p50 (us)", Trial::faultP50Us, Double.NaN),
                new Row("remote fault p99 (us)", Trial::faultP99Us, Double.NaN),
                new Row("server RSS of the VM (MiB)", t -> t.serverRssBytes() / MIB, Double.NaN),
                new Row("pages sent in full / fetched", Trial::pagesFetched, Double.NaN),
                new Row("pages prefetched", Trial::prefetchedPages, Double.NaN),
                new Row("zero pages", Trial::zeroPages, Double.NaN));
    }

    /** The report as Markdown (the console gets the same text). */
    String markdown() {
        var b = new StringBuilder("# Migration benchmark: Jettison partial migration vs QEMU live migration\n\n");
        b.append("**Host: ").append(host.label()).append("**  \n");
        b.append("CPU: ").append(host.cpu()).append("; kernel ").append(host.kernel()).append("\n\n");
        b.append("Guest: the test guest OS (same bytes for both: bzImage for our VMM, its PVH ELF for `qemu -kernel`), ")
                .append(settings.mem()).append(" RAM, 1 vCPU, no disk, cmdline `").append(settings.cmdline()).append("`; ")
                .append("idle ").append(fmt(settings.idleSeconds())).append(" s before each migration out, ")
                .append(fmt(settings.remoteSeconds())).append(" s on the server; ").append(settings.runs())
                .append(" round trips per system and link, medians shown. Our server prefetch: `").append(settings.prefetch())
                .append("`. QEMU: `-accel kvm -cpu host`, max-bandwidth unlimited, default downtime limit; post-copy is ")
                .append("switched on right after `migrate` (`migrate-start-postcopy`). QEMU times and downtime are its own ")
                .append("(`query-migrate` on the source); its MiB are `ram.transferred`.\n\n");
        for (var link : links) {
            b.append("## Link: ").append(link.name()).append(link.rateBitsPerSecond() > 0
                    ? " (veth between two network namespaces, `tc tbf` " + rate(link.rateBitsPerSecond()) + " each way)"
                    : " (127.0.0.1)").append("\n\n");
            var med = new LinkedHashMap<String, Trial>();
            for (var sys : SYSTEMS) med.put(sys, median(link.name(), sys));
            b.append("| figure (").append(host.emulated() ? "EMULATED host" : "native").append(") | ")
                    .append(String.join(" | ", SYSTEMS)).append(" | paper (Xen, 4 GiB) |\n|---|---|---|---|---|\n");
            for (var row : rows()) {
                b.append("| ").append(row.name());
                for (var sys : SYSTEMS) b.append(" | ").append(med.get(sys) == null ? "failed" : fmt(row.f().applyAsDouble(med.get(sys))));
                b.append(" | ").append(fmt(row.paper())).append(" |\n");
            }
            b.append("\nRatios, ours / other (below 1: ours is smaller or faster):\n\n");
            b.append("| figure | vs QEMU pre-copy | vs QEMU post-copy | vs paper |\n|---|---|---|---|\n");
            var o = med.get(Trial.OURS);
            for (var row : rows().subList(0, 6)) {
                b.append("| ").append(row.name());
                for (var sys : List.of(Trial.PRECOPY, Trial.POSTCOPY)) {
                    b.append(" | ").append(o == null || med.get(sys) == null ? "n/a"
                            : fmtRatio(ratio(row.f().applyAsDouble(o), row.f().applyAsDouble(med.get(sys)))));
                }
                b.append(" | ").append(o == null ? "n/a" : fmtRatio(ratio(row.f().applyAsDouble(o), row.paper()))).append(" |\n");
            }
            var goals = goals(link);
            if (!goals.isEmpty()) {
                b.append("\nGoals we set for partial migration, ours:\n\n| goal | target | measured | holds |\n|---|---|---|---|\n");
                for (var g : goals) {
                    b.append("| ").append(g.name()).append(" | ").append(g.target()).append(" | ").append(g.measured()).append(" | ")
                            .append(g.holds() == null ? "n/a" : g.holds() ? "yes" : "**no**").append(" |\n");
                }
            }
            b.append('\n');
        }
        if (!failures.isEmpty()) {
            b.append("## What failed\n\n");
            for (var f : failures) b.append("- ").append(f.replace("\n", " ")).append('\n');
            b.append('\n');
        }
        return b.toString();
    }

    String csv() {
        var b = new StringBuilder(String.join(",", Trial.CSV_HEADER)).append('\n');
        for (var link : links) {
            for (var sys : SYSTEMS) {
                var t = trials.stream().filter(x -> x.link().equals(link.name()) && x.system().equals(sys)).toList();
                for (int i = 0; i < t.size(); i++) b.append(t.get(i).csv(Integer.toString(i + 1))).append('\n');
                if (!t.isEmpty()) b.append(Trial.median(t).csv("median")).append('\n');
            }
        }
        return b.toString();
    }

    Map<String, Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        var md = dir.resolve("bench-migration.md");
        var csv = dir.resolve("bench-migration.csv");
        Files.writeString(md, markdown());
        Files.writeString(csv, csv());
        return Map.of("markdown", md, "csv", csv);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Math.abs(v) >= 100 || v == Math.rint(v)) return String.format("%,.0f", v);
        return String.format("%.1f", v);
    }

    static String fmtRatio(double r) {
        if (Double.isNaN(r)) return "n/a";
        return r >= 0.1 ? String.format("%.2fx", r) : String.format("%.3fx", r);
    }

    static String rate(long bits) {
        if (bits <= 0) return "unlimited";
        if (bits % 1_000_000_000 == 0) return bits / 1_000_000_000 + "gbit";
        if (bits % 1_000_000 == 0) return bits / 1_000_000 + "mbit";
        return bits + "bit";
    }
}
