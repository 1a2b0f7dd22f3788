package dev.jettison.cli.bench;

import dev.jettison.migration.partial.MigrationReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BenchReportTest {
    static final BenchSettings SETTINGS = new BenchSettings("4G", 4L << 30, 1228, 1, 10, 10, 3, "ondemand", Duration.ofMinutes(1));
    static final HostInfo HOST = HostInfo.classify(true, true, "cpu", "Linux 6.1");

    static MigrationReport report(long consolidationMs, long reintegrationMs, long fetched, double p50) {
        return new MigrationReport("bench", 10_000, consolidationMs, reintegrationMs, fetched, 5, 100, 0, 256, 0, p50, 900, 50L << 20);
    }

    @Test
    void reportLineRoundTrips() {
        var r = report(42, 77, 1234, 151.5);
        var line = ReportLine.format(r);
        assertTrue(line.startsWith("BENCH-REPORT vmId=bench descriptorBytes=10000 "), line);
        assertEquals(r, ReportLine.parse(line));
    }

    @Test
    void mediansIgnoreMissingFigures() {
        var a = Trial.ours("loopback", report(30, 100, 10, 100));
        var b = Trial.ours("loopback", report(10, 300, 30, 300));
        var c = Trial.ours("loopback", report(20, 200, 20, Double.NaN));
        var m = Trial.median(List.of(a, b, c));
        assertEquals(20, m.consolidationMs());
        assertEquals(200, m.reintegrationMs());
        assertEquals(200, m.faultP50Us()); // median of the two known values
        assertEquals(Double.NaN, Trial.med(List.of(Trial.qemu(Trial.PRECOPY, "l", stats(1, 2), stats(3, 4), 5)), Trial::faultP50Us));
    }

    static QemuMigrationStats stats(long total, long bytes) {
        return new QemuMigrationStats("completed", total, 10, 1, bytes, 1000, 10, 0, null);
    }

    @Test
    void reintegrationBound() {
        // 125 MB of dirty pages over 1 Gbit/s is 1 s on the wire: 1.2 s + 100 ms.
        assertEquals(1300, BenchReport.reintegrationBoundMs(125_000_000, 1_000_000_000L), 1e-9);
        assertEquals(100, BenchReport.reintegrationBoundMs(125_000_000, 0), 1e-9);
        assertEquals(0.5, BenchReport.ratio(50, 100));
        assertTrue(Double.isNaN(BenchReport.ratio(50, Double.NaN)));
    }

    @Test
    void goalsAndRatiosInTheReport() {
        var ours = List.of(Trial.ours("veth-1gbit", report(40, 150, 1000, 180)), Trial.ours("veth-1gbit", report(60, 160, 1000, 190)));
        var pre = List.of(Trial.qemu(Trial.PRECOPY, "veth-1gbit", stats(10_000, 1300L << 20), stats(11_000, 1300L << 20), 1300L << 20));
        var all = new java.util.ArrayList<Trial>(ours);
        all.addAll(pre);
        var rep = new BenchReport(HOST, SETTINGS, List.of(new BenchReport.LinkInfo("veth-1gbit", 1_000_000_000L)), all,
                List.of("QEMU post-copy over veth-1gbit: boom"));
        var goals = rep.goals(new BenchReport.LinkInfo("veth-1gbit", 1_000_000_000L));
        assertEquals(4, goals.size());
        assertTrue(goals.get(0).holds()); // 50 ms median
        assertFalse(goals.get(1).holds()); // 155 ms > 1.2 * 1 MiB / 1 Gbit/s + 100 ms
        assertNull(goals.get(2).holds()); // fault goal is for loopback
        assertTrue(goals.get(3).holds());
        String md = rep.markdown();
        assertTrue(md.contains("EMULATED KVM host"), md);
        assertTrue(md.contains("| consolidation / migration out (ms) | 50 | 10,000 | failed | 3,780 |"), md);
        assertTrue(md.contains("| consolidation / migration out (ms) | 0.005x | n/a | 0.013x |"), md);
        assertTrue(md.contains("QEMU post-copy over veth-1gbit: boom"), md);
        String csv = rep.csv();
        assertTrue(csv.startsWith("link,system,run,consolidation_ms"), csv);
        assertTrue(csv.contains("veth-1gbit,ours,median,50,50,155,155,"), csv);
        assertEquals(6, csv.lines().count()); // header, 2 ours + median, 1 pre-copy + median
    }

    @Test
    void hostLabels() {
        assertTrue(HostInfo.classify(true, true, "c", "k").emulated());
        assertTrue(HostInfo.classify(false, true, "c", "k").label().startsWith("native KVM in a virtual machine"));
        assertTrue(HostInfo.classify(false, false, "c", "k").label().contains("bare metal"));
    }

    @Test
    void rates() {
        assertEquals(1_000_000_000L, MigrationBenchCommand.parseRate("1gbit"));
        assertEquals(100_000_000L, MigrationBenchCommand.parseRate("100mbit"));
        assertEquals("1gbit", BenchReport.rate(1_000_000_000L));
        assertEquals("100mbit", BenchReport.rate(100_000_000L));
        assertThrows(IllegalArgumentException.class, () -> MigrationBenchCommand.parseRate("fast"));
    }
}
