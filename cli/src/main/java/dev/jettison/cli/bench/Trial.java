package dev.jettison.cli.bench;

import dev.jettison.migration.partial.MigrationReport;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One round trip of one system over one link: out to the server and back. Times in ms, fault
 * service in us; NaN where a system has no such figure. For ours the VM is stopped for the whole
 * consolidation and reintegration, so downtime equals latency.
 */
record Trial(String system, String link, double consolidationMs, double downtimeMs, double reintegrationMs,
             double backDowntimeMs, double bytesToServer, double bytesBack, double faultP50Us, double faultP99Us,
             double serverRssBytes, double pagesFetched, double prefetchedPages, double zeroPages) {

    static final String OURS = "ours";
    static final String PRECOPY = "QEMU pre-copy";
    static final String POSTCOPY = "QEMU post-copy";

    static Trial ours(String link, MigrationReport r) {
        return new Trial(OURS, link, r.consolidationMillis(), r.consolidationMillis(), r.reintegrationMillis(),
                r.reintegrationMillis(), r.bytesToServer(), r.bytesToDesktop(), r.faultP50Micros(), r.faultP99Micros(),
                r.serverRssBytes(), r.pagesFetched(), r.prefetchedPages(), r.zeroPages());
    }

    static Trial qemu(String system, String link, QemuMigrationStats out, QemuMigrationStats back, long serverRss) {
        return new Trial(system, link, out.totalTimeMs(), out.downtimeMs(), back.totalTimeMs(), back.downtimeMs(),
                out.ramTransferred(), back.ramTransferred(), Double.NaN, Double.NaN, serverRss,
                out.normalPages(), Double.NaN, out.zeroPages());
    }

    /** The median of each figure over trials of one system and link (NaN figures ignored). */
    static Trial median(List<Trial> trials) {
        var t = trials.getFirst();
        return new Trial(t.system, t.link, med(trials, Trial::consolidationMs), med(trials, Trial::downtimeMs),
                med(trials, Trial::reintegrationMs), med(trials, Trial::backDowntimeMs), med(trials, Trial::bytesToServer),
                med(trials, Trial::bytesBack), med(trials, Trial::faultP50Us), med(trials, Trial::faultP99Us),
                med(trials, Trial::serverRssBytes), med(trials, Trial::pagesFetched), med(trials, Trial::prefetchedPages),
                med(trials, Trial::zeroPages));
    }

    static double med(List<Trial> trials, ToDoubleFunction<Trial> f) {
        double[] v = trials.stream().mapToDouble(f).filter(d -> !Double.isNaN(d) && d >= 0).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static final List<String> CSV_HEADER = List.of("link", "system", "run", "consolidation_ms", "downtime_ms",
            "reintegration_ms", "back_downtime_ms", "bytes_to_server", "bytes_back", "fault_p50_us", "fault_p99_us",
            "server_rss_bytes", "pages_fetched", "prefetched_pages", "zero_pages");

    String csv(String run) {
        return String.join(",", link, system, run) + "," + String.join(",", Arrays.stream(new double[]{consolidationMs,
                downtimeMs, reintegrationMs, backDowntimeMs, bytesToServer, bytesBack, faultP50Us, faultP99Us,
                serverRssBytes, pagesFetched, prefetchedPages, zeroPages}).mapToObj(Trial::num).toList());
    }

    private static String num(double d) {
        if (Double.isNaN(d) || d < 0) return "";
        return d == Math.rint(d) ? Long.toString((long) d) : String.format("%.1f", d);
    }
}
