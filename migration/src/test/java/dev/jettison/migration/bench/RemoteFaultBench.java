package dev.jettison.migration.bench;

import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.memserv.PageServer;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.memtap.FaultStats;
import dev.jettison.migration.memtap.FaultTrace;
import dev.jettison.migration.memtap.LatencyHistogram;
import dev.jettison.migration.wire.Connector;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.StateSource;
import dev.jettison.migration.wire.WireSecurity;
import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.MappedRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Random;

/**
 * Remote-fault service time on loopback with 4 KiB pages (issue 3's goal: p50 under 200 us).
 * A platform thread stands in for a vCPU and touches random pages of a 256 MiB guest from inside
 * a system call; memserv serves a seeded residue over TCP. Reports the handler's service time
 * (fault read to UFFDIO_COPY) and the toucher's end-to-end time, for demand-only and the paper's
 * pivot window. The second argument picks the link: {@code plain}, {@code tls} (mutual TLS 1.3
 * under a throwaway site CA) or {@code both} (default), each also timing bulk transfer: 256 MiB
 * of dirty-page batches as reintegration sends them. Run as root: see docs/wire-protocol.md,
 * "Benchmark", and docs/security.md.
 */
public final class RemoteFaultBench {
    private static final SessionId SESSION = new SessionId(0xbe, 0xc4);
    public static void main(String[] args) throws Exception {
        long size = 256L << 20;
        int faults = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String links = args.length > 1 ? args[1] : "both";
        var site = dev.jettison.migration.tls.SiteCa.init(Files.createTempDirectory("bench-site"), "bench");
        var desktopTls = dev.jettison.migration.tls.MutualTls.load(site.issue(dev.jettison.migration.wire.Role.DESKTOP, "d", java.util.List.of("bench")));
        var serverTls = dev.jettison.migration.tls.MutualTls.load(site.issue(dev.jettison.migration.wire.Role.SERVER, "s", java.util.List.of()));
        for (String link : links.equals("both") ? new String[]{"plain", "tls"} : new String[]{links}) {
            boolean tls = link.equals("tls");
            System.out.println("link: " + (tls ? "mutual TLS 1.3" : "plaintext TCP"));
            bench(size, faults, tls ? desktopTls : WireSecurity.PLAINTEXT, tls ? serverTls : WireSecurity.PLAINTEXT);
            BulkBench.run(tls ? desktopTls : WireSecurity.PLAINTEXT, tls ? serverTls : WireSecurity.PLAINTEXT, 256);
        }
    }

    private static void bench(long size, int faults, WireSecurity desktopSide, WireSecurity serverSide) throws Exception {
        try (var residue = MappedRegion.anonymous(size, "bench residue")) {
            Random r = new Random(1);
            byte[] page = new byte[4096];
            for (long p = 0; p < size / 4096; p++) {
                r.nextBytes(page);
                MemorySegment.copy(page, 0, residue.segment(), ValueLayout.JAVA_BYTE, p * 4096, 4096);
            }
            var server = new PageServer("bench", GuestPages.of(residue.segment()));
            server.open(SESSION);
            try (var listener = server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), desktopSide)) {
                for (int round = 0; round < 2; round++) { // round 0 warms the JIT
                    for (PrefetchPolicy policy : new PrefetchPolicy[]{new PrefetchPolicy.None(), PrefetchPolicy.paperDefault()}) {
                        run(Connector.of(serverSide, listener.address(), 1000), size, policy, round == 0 ? faults / 4 : faults, round == 1);
                    }
                }
            }
        }
    }

    private static void run(Connector desktop, long size, PrefetchPolicy policy, int faults, boolean print) throws Exception {
        var tmp = Files.createTempFile("bench", ".bin");
        try (var guest = MappedRegion.anonymous(size, "bench guest");
             var handler = FaultHandler.start(StateSource.of("bench", SESSION, desktop), GuestPages.of(guest.segment()),
                     FaultHandler.Config.paperDefaults().withPolicy(policy), FaultTrace.NONE);
             var fd = Fd.open(tmp.toString(), Libc.O_RDWR, 0)) {
            var endToEnd = new LatencyHistogram();
            Thread t = Thread.ofPlatform().start(() -> {
                Random r = new Random(2);
                long pages = size / 4096;
                for (int i = 0; i < faults; i++) {
                    long p = r.nextLong(pages);
                    long t0 = System.nanoTime();
                    Libc.pwrite(fd.get(), guest.segment().asSlice(p * 4096, 8), 8, 0); // the kernel reads the page
                    endToEnd.record(System.nanoTime() - t0);
                }
            });
            t.join();
            FaultStats s = handler.stats();
            if (print) {
                System.out.printf("policy=%-14s touches=%d remote=%d bufferHits=%d  service p50=%.1f us p99=%.1f us max=%.1f us"
                                + "  | toucher end-to-end p50=%.1f us p99=%.1f us  | fetched %.1f MiB (prefetch %.1f MiB)%n",
                        policy.getClass().getSimpleName() + "(" + policy.window() + ")", s.faults(), s.remoteFaults(),
                        s.bufferHits(), s.p50Nanos() / 1e3, s.p99Nanos() / 1e3, s.maxNanos() / 1e3,
                        endToEnd.quantileNanos(0.5) / 1e3, endToEnd.quantileNanos(0.99) / 1e3,
                        s.bytesFetched() / 1048576.0, s.prefetchBytes() / 1048576.0);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
