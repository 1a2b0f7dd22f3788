package dev.jettison.migration.memtap;

import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.memserv.PageServer;
import dev.jettison.migration.wire.Connector;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.StateSource;
import dev.jettison.migration.wire.TcpListener;
import dev.jettison.sys.MappedRegion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * memtap against memserv over loopback TCP, with Java platform threads standing in for vCPUs:
 * they touch a userfaultfd-registered region and stop until the handler fills the page.
 */
class FaultHandlerTest {
    static final int PAGE = 4096;
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @BeforeEach
    void needsUserfaultfd() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "userfaultfd needs root here (vm.unprivileged_userfaultfd=0)");
    }

    /** The epoch every test here consolidates in. */
    static final SessionId SESSION = new SessionId(0x5e55, 0x10);

    /** A desktop's memserv for {@code vm}, serving {@link #SESSION}. */
    static TcpListener memserv(String vm, GuestPages pages, InetSocketAddress bind) throws java.io.IOException {
        var server = new PageServer(vm, pages);
        server.open(SESSION);
        return server.listen(bind);
    }

    static StateSource source(String vm, InetSocketAddress desktop, int connectTimeoutMillis) {
        return StateSource.of(vm, SESSION, Connector.tcp(desktop, connectTimeoutMillis));
    }

    static FaultHandler.Config config(PrefetchPolicy p) {
        return FaultHandler.Config.paperDefaults().withPolicy(p);
    }

    @Test
    void randomReadsAndWritesFromSeveralThreadsSeeExactlyTheDesktopsBytes() throws Exception {
        long size = 64L << 20;
        try (var desktop = new Residue(size, 42);
             var memserv = memserv("vm-a", desktop.pages, LOOPBACK);
             var guest = MappedRegion.anonymous(size, "server guest RAM");
             var handler = FaultHandler.start(source("vm-a", memserv.address(), 1000), GuestPages.of(guest.segment()),
                     FaultHandler.Config.paperDefaults(), FaultTrace.NONE)) {
            int threads = 4;
            long pages = size / PAGE;
            List<Map<Long, Long>> writes = new ArrayList<>();
            List<CompletableFuture<Void>> done = new ArrayList<>();
            var start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int id = t;
                Map<Long, Long> mine = new HashMap<>();
                writes.add(mine);
                var f = new CompletableFuture<Void>();
                done.add(f);
                Thread.ofPlatform().start(() -> {
                    try (var cpu = new NativeTouch()) {
                        start.await();
                        Random r = new Random(1000 + id);
                        for (int i = 0; i < 3000; i++) {
                            long p = r.nextLong(pages);
                            long off = p * PAGE + 64 + id * 8L; // each thread owns its own 8 bytes of every page
                            if (r.nextInt(4) == 0) {
                                long v = r.nextLong();
                                cpu.writeLong(guest.segment(), off, v);
                                mine.put(off, v);
                            } else {
                                long expect = mine.containsKey(off) ? mine.get(off)
                                        : desktop.region.segment().get(ValueLayout.JAVA_LONG, off);
                                long got = cpu.readLong(guest.segment(), off);
                                if (got != expect) throw new AssertionError("page " + p + ": read " + got + ", expected " + expect);
                            }
                        }
                        f.complete(null);
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                });
            }
            start.countDown();
            for (var f : done) f.get(60, TimeUnit.SECONDS);

            // Every byte: the desktop's, plus the writes.
            try (var cpu = new NativeTouch()) {
                cpu.touchAll(guest.segment());
            }
            MemorySegment expected = MemorySegment.ofArray(new byte[(int) size]);
            MemorySegment.copy(desktop.region.segment(), 0, expected, 0, size);
            for (var m : writes) m.forEach((off, v) -> expected.set(ValueLayout.JAVA_LONG_UNALIGNED, off, v));
            long mismatch = MemorySegment.mismatch(guest.segment(), 0, size, expected, 0, size);
            assertEquals(-1, mismatch, "first differing byte");

            FaultStats s = handler.stats();
            assertEquals(pages, s.faults(), "every page touched once by the final scan");
            assertEquals(pages, s.filledPages());
            assertTrue(s.zeroPages() > 0, "zero pages arrive as markers: " + s);
            if (s.prefetchWasted() == 0) {
                assertEquals(desktop.zeroPages, s.zeroPages(), "each zero page reported once");
                assertEquals((pages - desktop.zeroPages) * PAGE, s.bytesFetched(), "only non-zero pages carry data");
            }
            assertTrue(s.bufferHits() > 0 && s.prefetchedPages() > 0, s.toString());
            assertEquals(s.faults(), s.remoteFaults() + s.bufferHits());
            assertTrue(s.p50Nanos() > 0 && s.p99Nanos() >= s.p50Nanos(), s.toString());
        }
    }

    @Test
    void zeroPagesAreFilledAsZerosWithoutData() throws Exception {
        long size = 4L << 20;
        try (var desktop = new Residue(size, 7, p -> p >= 512); // first half all zero
             var memserv = memserv("vm-z", desktop.pages, LOOPBACK);
             var guest = MappedRegion.anonymous(size, "guest");
             var handler = FaultHandler.start(source("vm-z", memserv.address(), 1000), GuestPages.of(guest.segment()),
                     config(new PrefetchPolicy.None()), FaultTrace.NONE)) {
            try (var cpu = new NativeTouch()) {
                for (long p = 0; p < 512; p++) assertEquals(0L, cpu.readLong(guest.segment(), p * PAGE + 8 * (p % 512)));
                cpu.writeLong(guest.segment(), 100 * PAGE, 5L); // a zero-filled page is writable
                assertEquals(5L, cpu.readLong(guest.segment(), 100 * PAGE));
                cpu.touchAll(guest.segment().asSlice(0, 512 * PAGE));
            }
            var expected = MemorySegment.ofArray(new byte[512 * PAGE]);
            expected.set(ValueLayout.JAVA_LONG_UNALIGNED, 100 * PAGE, 5L);
            assertEquals(-1, MemorySegment.mismatch(guest.segment(), 0, 512 * PAGE, expected, 0, 512 * PAGE),
                    "zero pages read as zeros, but for the one write");
            FaultStats s = handler.stats();
            assertEquals(512, s.zeroPages());
            assertEquals(0, s.bytesFetched(), "zero pages cost no data");
            assertEquals(512, s.filledPages());
        }
    }

    @Test
    void prefetchMakesFewerRoundTripsForASequentialScanAndCountsItsBytesApart() throws Exception {
        long size = 16L << 20;
        int scan = 2048;
        try (var desktop = new Residue(size, 9);
             var memserv = memserv("vm-p", desktop.pages, LOOPBACK)) {
            FaultStats none = scan(desktop, memserv, new PrefetchPolicy.None(), scan);
            FaultStats window = scan(desktop, memserv, PrefetchPolicy.paperDefault(), scan);
            assertEquals(scan, none.remoteFaults(), "without prefetch every page is a round trip");
            assertEquals(0, none.prefetchBytes());
            assertTrue(window.remoteFaults() * 5 < none.remoteFaults(),
                    "pivot window of 20: " + window.remoteFaults() + " vs " + none.remoteFaults() + " round trips");
            assertEquals(scan, window.remoteFaults() + window.bufferHits());
            assertTrue(window.prefetchBytes() > 0 && window.demandBytes() > 0, window.toString());
            assertEquals(window.remoteFaults(), window.demandPages());
            // Prefetched pages wait in the buffer, outside guest memory, until touched.
            assertEquals(scan, window.filledPages());
            assertTrue(window.bufferedPages() > 0 && window.bufferedPages() <= 20, window.toString());
            assertEquals(window.prefetchedPages(), window.bufferHits() + window.bufferedPages() + window.prefetchWasted());
        }
    }

    private static FaultStats scan(Residue desktop, TcpListener memserv, PrefetchPolicy policy, int pages) throws Exception {
        try (var guest = MappedRegion.anonymous(desktop.region.size(), "guest");
             var handler = FaultHandler.start(source("vm-p", memserv.address(), 1000), GuestPages.of(guest.segment()),
                     config(policy), FaultTrace.NONE);
             var cpu = new NativeTouch()) {
            for (long p = 0; p < pages; p++) {
                assertEquals(desktop.region.segment().get(ValueLayout.JAVA_LONG, p * PAGE + 16),
                        cpu.readLong(guest.segment(), p * PAGE + 16), "page " + p);
            }
            // Prefetch replies for pages past the scan may still be landing: read the counters
            // once they have (the caller's accounting check holds only at rest).
            FaultStats s = handler.stats();
            for (int i = 0; i < 50 && s.prefetchedPages() != s.bufferHits() + s.bufferedPages() + s.prefetchWasted(); i++) {
                Thread.sleep(100);
                s = handler.stats();
            }
            return s;
        }
    }

    @Test
    void hoardingFetchesLastTimesPagesAtConsolidationSoTheirTouchesCostNoRoundTrip() throws Exception {
        long size = 8L << 20;
        List<Long> needed = List.of(3L, 4L, 5L, 6L, 700L, 701L, 1500L);
        try (var desktop = new Residue(size, 13);
             var memserv = memserv("vm-h", desktop.pages, LOOPBACK)) {
            var history = new dev.jettison.core.prefetch.HoardHistory();
            FaultStats first = touchPages(desktop, memserv, new PrefetchPolicy.Hoarding(100), history, needed);
            assertEquals(needed.size(), first.remoteFaults(), "nothing to hoard the first time");
            history.recordConsolidation(needed);
            FaultStats second = touchPages(desktop, memserv, new PrefetchPolicy.Hoarding(100), history, needed);
            assertEquals(0, second.remoteFaults(), "every page was hoarded: " + second);
            assertEquals(needed.size(), second.bufferHits());
            assertEquals(needed.size(), second.prefetchedPages(), "hoarded pages count as prefetched");
            assertEquals(0, second.demandPages());
            assertEquals(3, second.requests(), "contiguous pages go in one request: 3-6, 700-701, 1500");
        }
    }

    private static FaultStats touchPages(Residue desktop, TcpListener memserv, PrefetchPolicy policy,
                                         dev.jettison.core.prefetch.HoardHistory history, List<Long> pages) throws Exception {
        try (var guest = MappedRegion.anonymous(desktop.region.size(), "guest");
             var handler = FaultHandler.start(source("vm-h", memserv.address(), 1000), GuestPages.of(guest.segment()),
                     config(policy), FaultTrace.NONE);
             var cpu = new NativeTouch()) {
            int hoarded = handler.hoard(history);
            // Wait for the hoard to land, as a guest idling after consolidation would.
            for (int i = 0; i < 100 && handler.stats().prefetchedPages() < hoarded; i++) Thread.sleep(50);
            for (long p : pages) {
                assertEquals(desktop.region.segment().get(ValueLayout.JAVA_LONG, p * PAGE + 24),
                        cpu.readLong(guest.segment(), p * PAGE + 24), "page " + p);
            }
            return handler.stats();
        }
    }

    @Test
    void concurrentFaultsOnOnePageMakeOneRequest() throws Exception {
        long size = 1L << 20;
        try (var desktop = new Residue(size, 3);
             var memserv = memserv("vm-c", desktop.pages, LOOPBACK);
             var guest = MappedRegion.anonymous(size, "guest");
             var handler = FaultHandler.start(source("vm-c", memserv.address(), 1000), GuestPages.of(guest.segment()),
                     config(new PrefetchPolicy.None()), FaultTrace.NONE)) {
            var go = new CountDownLatch(1);
            List<CompletableFuture<Long>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                var f = new CompletableFuture<Long>();
                reads.add(f);
                Thread.ofPlatform().start(() -> {
                    try (var cpu = new NativeTouch()) {
                        go.await();
                        f.complete(cpu.readLong(guest.segment(), 5 * PAGE + 128));
                    } catch (Exception e) {
                        f.completeExceptionally(e);
                    }
                });
            }
            go.countDown();
            long want = desktop.region.segment().get(ValueLayout.JAVA_LONG, 5 * PAGE + 128);
            for (var f : reads) assertEquals(want, f.get(10, TimeUnit.SECONDS));
            FaultStats s = handler.stats();
            assertEquals(1, s.requests());
            assertEquals(1, s.faults());
            assertEquals(1, s.demandPages());
        }
    }

    @Test
    void anUnreachableDesktopStopsTheFaultUntilItComesUp() throws Exception {
        long size = 1L << 20;
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        var wakes = new AtomicInteger();
        var cfg = FaultHandler.Config.paperDefaults().withWaker(wakes::incrementAndGet)
                .withBackoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)));
        try (var desktop = new Residue(size, 11);
             var guest = MappedRegion.anonymous(size, "guest");
             var handler = FaultHandler.start(source("vm-u", address, 500), GuestPages.of(guest.segment()),
                     cfg, FaultTrace.NONE)) {
            var read = new CompletableFuture<Long>();
            Thread.ofPlatform().start(() -> {
                try (var cpu = new NativeTouch()) {
                    read.complete(cpu.readLong(guest.segment(), 40 * PAGE + 8));
                } catch (Exception e) {
                    read.completeExceptionally(e);
                }
            });
            Thread.sleep(400);
            assertFalse(read.isDone(), "the fault must wait, not be filled with anything");
            assertTrue(wakes.get() >= 2, "the desktop is woken before each retry: " + wakes.get());
            try (var memserv = memserv("vm-u", desktop.pages, address)) {
                assertEquals(desktop.region.segment().get(ValueLayout.JAVA_LONG, 40 * PAGE + 8), read.get(10, TimeUnit.SECONDS));
                assertEquals(1, handler.stats().remoteFaults());
            }
        }
    }

    @Test
    void theServerGrowsWithTheTouchedPagesOnly() throws Exception {
        long size = 1L << 30; // 1 GiB of guest RAM, 256 pages touched
        Random r = new Random(5);
        var touched = new java.util.TreeSet<Long>();
        while (touched.size() < 256) touched.add(r.nextLong(size / PAGE));
        try (var desktop = new Residue(size, 13, touched::contains);
             var memserv = memserv("vm-r", desktop.pages, LOOPBACK);
             var guest = MappedRegion.anonymous(size, "guest");
             var handler = FaultHandler.start(source("vm-r", memserv.address(), 1000), GuestPages.of(guest.segment()),
                     FaultHandler.Config.paperDefaults(), FaultTrace.NONE);
             var cpu = new NativeTouch()) {
            long before = vmRssBytes();
            for (long p : touched) cpu.readLong(guest.segment(), p * PAGE);
            long growth = vmRssBytes() - before;
            FaultStats s = handler.stats();
            assertEquals(256, s.filledPages(), "prefetched neighbours must not be committed: " + s);
            assertEquals(256L * PAGE, dev.jettison.sys.Residency.residentBytes(guest.segment()),
                    "mincore: exactly the touched pages of the 1 GiB mapping are resident");
            assertTrue(s.prefetchedPages() > 0);
            // 256 pages are 1 MiB; allow the JVM's own noise, but nothing near the 1 GiB mapping.
            assertTrue(growth < 64L << 20, "RSS grew by " + (growth >> 20) + " MiB for 1 MiB of touched pages");
        }
    }

    @Test
    void populateLetsJavaCodeReadGuestPagesWithoutFaulting() throws Exception {
        long size = 1L << 20;
        try (var desktop = new Residue(size, 19);
             var memserv = memserv("vm-j", desktop.pages, LOOPBACK);
             var guest = MappedRegion.anonymous(size, "guest");
             var handler = FaultHandler.start(source("vm-j", memserv.address(), 1000), GuestPages.of(guest.segment()),
                     FaultHandler.Config.paperDefaults(), FaultTrace.NONE)) {
            handler.populate(30, 3);
            for (long p = 30; p < 33; p++) {
                assertTrue(handler.isFilled(p));
                // Plain Java access: safe only because the pages are already there.
                assertEquals(-1, MemorySegment.mismatch(guest.segment(), p * PAGE, (p + 1) * PAGE,
                        desktop.region.segment(), p * PAGE, (p + 1) * PAGE), "page " + p);
            }
            assertFalse(handler.isFilled(29), "neighbours wait in the prefetch buffer, not in guest memory");
            handler.populate(30, 3); // already there: returns at once
            assertEquals(3, handler.stats().filledPages());
        }
    }

    static long vmRssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    @Test
    void everyFaultLandsInTheTraceInTheSimulatorsFormat() throws Exception {
        long size = 1L << 20;
        var out = new StringWriter();
        try (var desktop = new Residue(size, 17);
             var memserv = memserv("vm-t", desktop.pages, LOOPBACK);
             var guest = MappedRegion.anonymous(size, "guest");
             var trace = new FaultTrace(out, "vm-t", 3);
             var handler = FaultHandler.start(source("vm-t", memserv.address(), 1000), GuestPages.of(guest.segment()),
                     config(new PrefetchPolicy.OnDemand(4)), trace);
             var cpu = new NativeTouch()) {
            cpu.readLong(guest.segment(), 100 * PAGE);      // remote: 100 + 98,99,101,102 prefetched
            cpu.writeLong(guest.segment(), 101 * PAGE, 1L); // from the buffer, a write
            handler.close();
            String[] lines = out.toString().split("\n");
            assertEquals("# jettison-faults v1 vm=vm-t consolidation=3", lines[0]);
            assertEquals("t_ms,kind,number,op,cause", lines[1]);
            List<String> rows = new ArrayList<>();
            long last = 0;
            for (int i = 2; i < lines.length; i++) {
                String[] f = lines[i].split(",");
                assertEquals(5, f.length, lines[i]);
                long t = Long.parseLong(f[0]);
                assertTrue(t >= last);
                last = t;
                rows.add(f[1] + "," + f[2] + "," + f[3] + "," + f[4]);
            }
            assertEquals(List.of("page,100,read,demand", "page,98,read,prefetch", "page,99,read,prefetch",
                    "page,101,read,prefetch", "page,102,read,prefetch", "page,101,write,demand"), rows);
        }
    }
}
