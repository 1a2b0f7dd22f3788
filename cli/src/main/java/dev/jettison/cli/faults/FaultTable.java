package dev.jettison.cli.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's report: one row per fault kind and phase (Markdown and CSV), every run in its own
 * CSV, each failure with its cause and where its logs are, and every skipped kind said so.
 *
 * @param about   lines describing how and where it ran (command, machine, seed, blackhole method)
 * @param skipped kinds that did not run, with why
 */
public record FaultTable(List<String> about, List<Phase> phases, List<RunResult> results, Map<String, String> skipped) {
    static final List<String> CSV_HEADER = List.of("fault_kind", "phase", "runs", "vm_on_exactly_one_side",
            "guest_verified_bad_bytes", "image_bad_bytes_after_shutdown", "median_settle_s", "failed_runs", "note");
    static final List<String> RUNS_HEADER = List.of("fault_kind", "phase", "run", "pattern_seed", "remote_ms", "inject_after_ms",
            "outage_ms", "placement", "settle_ms", "both_sides_seen", "guest_bad_bytes", "image_bad_bytes", "result", "logs");

    /** One row of the summary. */
    record Row(String kind, String phase, int runs, int oneSide, long guestBad, int guestUnmeasured, long imageBad,
               int imageUnmeasured, double medianSettleSeconds, int failed, String note) {}

    List<Row> rows() {
        var groups = new LinkedHashMap<String, List<RunResult>>();
        for (var r : results) groups.computeIfAbsent(r.plan().kind().name() + "\t" + r.plan().phase().label(), k -> new ArrayList<>()).add(r);
        var rows = new ArrayList<Row>();
        for (var e : groups.entrySet()) {
            var rs = e.getValue();
            String[] kp = e.getKey().split("\t");
            long guest = 0, image = 0;
            int guestMissing = 0, imageMissing = 0;
            for (var r : rs) {
                if (r.guestBadBytes() < 0) guestMissing++; else guest += r.guestBadBytes();
                if (r.imageBadBytes() < 0) imageMissing++; else image += r.imageBadBytes();
            }
            double[] settle = rs.stream().filter(r -> r.settleMillis() >= 0).mapToDouble(r -> r.settleMillis() / 1000.0).sorted().toArray();
            rows.add(new Row(kp[0], kp[1], rs.size(), (int) rs.stream().filter(RunResult::oneSide).count(), guest, guestMissing,
                    image, imageMissing, median(settle), (int) rs.stream().filter(r -> !r.passed()).count(), ""));
        }
        skipped.forEach((kind, why) -> {
            for (var p : phases) rows.add(new Row(kind, p.label(), 0, 0, 0, 0, 0, 0, Double.NaN, 0, "skipped: " + why));
        });
        return rows;
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) return Double.NaN;
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public int failedRuns() { return (int) results.stream().filter(r -> !r.passed()).count(); }

    public String markdown() {
        var sb = new StringBuilder("# jettison bench faults\n\n");
        for (String a : about) sb.append("- ").append(a).append('\n');
        sb.append("\n| fault kind | phase | runs | VM on exactly one side | guest-verified bad bytes | image bad bytes after shutdown"
                + " | median time to settle | failed runs |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (var r : rows()) {
            if (r.runs() == 0) {
                sb.append("| ").append(r.kind()).append(" | ").append(r.phase()).append(" | 0 | ").append(r.note())
                        .append(" | | | | |\n");
                continue;
            }
            sb.append("| ").append(r.kind()).append(" | ").append(r.phase()).append(" | ").append(r.runs())
                    .append(" | ").append(r.oneSide()).append('/').append(r.runs())
                    .append(" | ").append(bytes(r.guestBad(), r.guestUnmeasured()))
                    .append(" | ").append(bytes(r.imageBad(), r.imageUnmeasured()))
                    .append(" | ").append(Double.isNaN(r.medianSettleSeconds()) ? "never" : String.format(Locale.ROOT, "%.1f s", r.medianSettleSeconds()))
                    .append(" | ").append(r.failed()).append(" |\n");
        }
        var failed = results.stream().filter(r -> !r.passed()).toList();
        sb.append('\n').append(failed.isEmpty() ? "Every run passed.\n" : "Failed runs:\n\n");
        for (var r : failed) {
            sb.append("- `").append(r.plan().id()).append("`: ").append(r.failure()).append(" (logs: ").append(r.logs()).append(")\n");
        }
        if (!skipped.isEmpty()) {
            sb.append("\nSkipped (not counted as passed):\n\n");
            skipped.forEach((k, why) -> sb.append("- ").append(k).append(": ").append(why).append('\n'));
        }
        return sb.toString();
    }

    private static String bytes(long sum, int unmeasured) {
        return unmeasured == 0 ? Long.toString(sum) : sum + " (" + unmeasured + " not measured)";
    }

    public String csv() {
        var sb = new StringBuilder(String.join(",", CSV_HEADER)).append('\n');
        for (var r : rows()) {
            sb.append(String.join(",", r.kind(), r.phase(), Integer.toString(r.runs()), Integer.toString(r.oneSide()),
                    r.guestUnmeasured() > 0 || r.runs() == 0 ? "" : Long.toString(r.guestBad()),
                    r.imageUnmeasured() > 0 || r.runs() == 0 ? "" : Long.toString(r.imageBad()),
                    Double.isNaN(r.medianSettleSeconds()) ? "" : String.format(Locale.ROOT, "%.1f", r.medianSettleSeconds()),
                    Integer.toString(r.failed()), csvField(r.note()))).append('\n');
        }
        return sb.toString();
    }

    public String runsCsv() {
        var sb = new StringBuilder(String.join(",", RUNS_HEADER)).append('\n');
        for (var r : results) {
            var p = r.plan();
            sb.append(String.join(",", p.kind().name(), p.phase().label(), Integer.toString(p.run()), Long.toString(p.patternSeed()),
                    Long.toString(p.remoteMillis()), Long.toString(p.injectAfterMillis()), Long.toString(p.outageMillis()),
                    csvField(r.placement().describe()), Long.toString(r.settleMillis()), csvField(r.bothSeen() == null ? "" : r.bothSeen()),
                    Long.toString(r.guestBadBytes()), Long.toString(r.imageBadBytes()),
                    csvField(r.passed() ? "passed" : "FAILED: " + r.failure()), csvField(String.valueOf(r.logs())))).append('\n');
        }
        return sb.toString();
    }

    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }

    /** Writes faults.md, faults.csv and runs.csv into {@code dir}; returns the Markdown file. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("faults.csv"), csv());
        Files.writeString(dir.resolve("runs.csv"), runsCsv());
        return Files.writeString(dir.resolve("faults.md"), markdown());
    }
}
