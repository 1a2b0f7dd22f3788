package dev.jettison.migration.memtap;

import dev.jettison.core.prefetch.HoardHistory;
import dev.jettison.core.prefetch.PageAccess;
import dev.jettison.core.prefetch.PartialMemory;
import dev.jettison.core.prefetch.PivotWindow;
import dev.jettison.core.prefetch.PrefetchBuffer;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.wire.Limits;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.StateSource;
import dev.jettison.migration.wire.Wire;
import dev.jettison.sys.EventFd;
import dev.jettison.sys.Poll;
import dev.jettison.sys.uffd.Userfaultfd;
import dev.jettison.vmm.memory.GuestMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * memtap (§4): on the consolidation server, serves the partial VM's page faults. Guest RAM is a
 * MAP_NORESERVE mapping registered with userfaultfd; each first touch stops the toucher (a vCPU in
 * KVM_RUN, KVM itself, a system call) until this handler fills the page from the desktop with
 * UFFDIO_COPY, or UFFDIO_ZEROPAGE for a page the desktop reports as all zeros. Java code must not
 * fault on guest RAM (see {@link #populate}).
 *
 * <p>What to fetch is decided by core's {@link PartialMemory}, the same code the simulator runs:
 * a remote fault fetches the page and, per the policy, its pivot-window neighbours (§3.4) into the
 * bounded per-VM prefetch buffer. Prefetched pages enter guest memory only when the guest touches
 * them, so prefetching never grows the VM's footprint; such a touch costs no round trip.
 * Concurrent faults on one page make one request. When the desktop is unreachable the faulting
 * threads simply stay stopped while the link wakes the desktop and retries.
 */
public final class FaultHandler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultHandler.class);
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    /** Stash value for a prefetched zero page. */
    private static final byte[] ZERO = new byte[0];

    /**
     * @param policy         which neighbours a remote fault brings along (§3.4)
     * @param bufferPages    prefetch buffer capacity in pages (§3.4: 50 MiB)
     * @param backoff        waits between attempts to reach the desktop
     * @param requestTimeout silence with requests outstanding after which the desktop is presumed asleep
     * @param waker          wakes the desktop before each retry (Wake-on-LAN in the agent)
     */
    public record Config(PrefetchPolicy policy, int bufferPages, Backoff backoff, Duration requestTimeout, DesktopWaker waker) {
        public static Config paperDefaults() {
            return new Config(PrefetchPolicy.paperDefault(), PrefetchBuffer.DEFAULT_CAPACITY_PAGES, Backoff.DEFAULT,
                    Duration.ofSeconds(2), DesktopWaker.NONE);
        }

        public Config withPolicy(PrefetchPolicy p) { return new Config(p, bufferPages, backoff, requestTimeout, waker); }

        public Config withWaker(DesktopWaker w) { return new Config(policy, bufferPages, backoff, requestTimeout, w); }

        public Config withRequestTimeout(Duration t) { return new Config(policy, bufferPages, backoff, t, waker); }

        public Config withBackoff(Backoff b) { return new Config(policy, bufferPages, b, requestTimeout, waker); }
    }

    /** A touched page waiting for its data: when it was touched, and whether that cost a round trip. */
    private record Waiter(long faultNanos, boolean remote) {}

    private final String vmId;
    private final GuestPages ram;
    private final FaultTrace trace;
    private final Userfaultfd uffd;
    private final EventFd stop;
    private final Poll poll;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment bounce = arena.allocate(Wire.PAGE_SIZE, Wire.PAGE_SIZE);
    private final PrefetchBuffer buffer;
    private final PartialMemory memory;
    private final PageLink link;
    private final Thread thread;
    private final int stashSlack;
    private final int window;

    // Guarded by `this`.
    private final BitSet filled = new BitSet();
    private final BitSet inFlight = new BitSet();
    private final Map<Long, Waiter> waiting = new HashMap<>();
    private final Map<Long, byte[]> stash = new HashMap<>();
    private final LatencyHistogram service = new LatencyHistogram();
    private long faults, remoteFaults, bufferHits, demandPages, prefetchPages, zeroPages, demandBytes, prefetchBytes,
            prefetchWasted, requests;
    private volatile boolean stopping;

    private FaultHandler(StateSource source, GuestPages ram, Config config, FaultTrace trace) {
        this.vmId = source.vmId();
        this.ram = ram;
        this.trace = trace;
        this.buffer = new PrefetchBuffer(config.bufferPages());
        this.memory = new PartialMemory(config.policy(), ram.pageCount(), buffer);
        this.stashSlack = Math.max(64, config.bufferPages() / 8);
        this.window = config.policy().window();
        Userfaultfd u = Userfaultfd.open();
        EventFd e = null;
        try {
            for (MemorySegment s : ram.segments()) u.register(s);
            e = new EventFd();
            this.poll = new Poll(u.fd().get(), e.fd().get());
        } catch (RuntimeException ex) {
            if (e != null) e.close();
            u.close();
            arena.close();
            throw ex;
        }
        this.uffd = u;
        this.stop = e;
        this.link = new PageLink(source.connector(), source.hello(ram.bytes(), 0), config.backoff(), config.waker(),
                config.requestTimeout(), this::arrived, source.onEnded());
        // A platform thread: it spends its life in poll(2), which would pin a virtual thread's carrier.
        this.thread = Thread.ofPlatform().name("memtap-" + vmId).daemon(true).start(this::loop);
    }

    /**
     * Registers {@code ram} (MAP_NORESERVE, nothing populated yet) with a new userfaultfd and starts
     * serving its faults from the desktop's memserv for {@code source}'s epoch. Returns once registered:
     * from then on the guest may run.
     */
    public static FaultHandler start(StateSource source, GuestPages ram, Config config, FaultTrace trace) {
        return new FaultHandler(source, ram, config, trace);
    }

    private void loop() {
        while (!stopping) {
            try {
                poll.await(1000);
                if (poll.ready(1)) stop.drain();
                Optional<Userfaultfd.PageFault> f;
                while (!stopping && (f = uffd.readFault()).isPresent()) onFault(f.get(), System.nanoTime());
            } catch (RuntimeException e) {
                // A bug in one fault must not leave every later fault unserved.
                log.error("memtap {}: fault handling failed", vmId, e);
            }
        }
    }

    private void onFault(Userfaultfd.PageFault f, long now) {
        long page = ram.pageAt(f.address());
        if (page < 0) {
            log.error("memtap {}: fault at 0x{} outside guest RAM", vmId, Long.toHexString(f.address()));
            return;
        }
        List<PageLink.Run> runs;
        synchronized (this) {
            if (filled.get((int) page)) {
                // Filled between the fault and its read: the fill woke it already; waking again is harmless.
                uffd.wake(ram.hostAddress(page), Wire.PAGE_SIZE);
                return;
            }
            runs = touch(page, f.write(), now);
        }
        link.request(runs);
    }

    /**
     * Fills pages [first, first+count) without faulting, waiting until they are in guest memory.
     * For Java code on the server that reads or writes guest RAM (device emulation): a Java thread
     * stopped in a userfault inside Java code cannot reach a safepoint, so the first GC or
     * deoptimisation would stop this handler too and the JVM would hang. vCPUs and KVM fault from
     * native code (KVM_RUN), which is safe; Java code must call this before touching guest pages.
     */
    public void populate(long first, int count) throws InterruptedException {
        if (first < 0 || count < 0 || first > ram.pageCount() - count) {
            throw new IllegalArgumentException("pages " + first + "+" + count + " outside " + ram.pageCount() + " pages");
        }
        List<PageLink.Run> runs = new ArrayList<>();
        synchronized (this) {
            for (long p = first; p < first + count; p++) {
                if (!filled.get((int) p)) runs.addAll(touch(p, false, System.nanoTime()));
            }
        }
        link.request(runs);
        synchronized (this) {
            // Object.wait is a safepoint-safe way to block, unlike a userfault in Java code.
            while (filled.nextClearBit((int) first) < first + count) {
                if (stopping) throw new IllegalStateException("memtap " + vmId + " closed while populating");
                wait(100);
            }
        }
    }

    /**
     * Hoarding (§3.4): asks the desktop now, at consolidation, for the pages earlier consolidations
     * of this VM needed, as many as the policy's hoard size and the prefetch buffer allow. They wait
     * in the buffer like on-demand prefetches and count as prefetched. Returns the pages asked for.
     */
    public int hoard(HoardHistory history) {
        List<PageLink.Run> runs;
        int n;
        synchronized (this) {
            List<Long> chosen = new ArrayList<>(memory.hoard(history));
            chosen.removeIf(p -> filled.get((int) (long) p) || inFlight.get((int) (long) p));
            chosen.sort(null);
            n = chosen.size();
            runs = prefetchRuns(chosen);
            requests += runs.size();
        }
        link.request(runs);
        return n;
    }

    /** {@link #populate} for the guest-physical range [gpa, gpa+length), as a device sees guest memory. */
    public void populateGuestRange(GuestMemory memory, long gpa, long length) throws InterruptedException {
        if (length <= 0) return;
        long first = memory.ramPage(gpa);
        long last = memory.ramPage(gpa + length - 1);
        populate(first, (int) (last - first + 1));
    }

    /** The guest touched {@code page} (not yet filled): fill it from the buffer or decide what to fetch. */
    private List<PageLink.Run> touch(long page, boolean write, long now) {
        List<PageLink.Run> runs = new ArrayList<>(3);
        if (waiting.containsKey(page)) return runs; // another thread touched it first: one request serves both
        List<Long> candidates = new ArrayList<>();
        PivotWindow.forEachNeighbour(page, window, ram.pageCount(), p -> {
            if (!filled.get((int) p) && !waiting.containsKey(p) && !buffer.contains(p)) candidates.add(p);
        });
        PageAccess access = memory.touch(page);
        faults++;
        trace.record(FaultTrace.Kind.PAGE, page, write, false);
        if (access instanceof PageAccess.FromBuffer) {
            bufferHits++;
            byte[] data = stash.remove(page);
            if (data != null) {
                fill(page, data == ZERO ? null : data);
                service.record(System.nanoTime() - now);
            } else {
                waiting.put(page, new Waiter(now, false)); // prefetched but still on the wire
            }
            return runs;
        }
        remoteFaults++;
        waiting.put(page, new Waiter(now, true));
        if (!inFlight.get((int) page)) {
            inFlight.set((int) page);
            runs.add(new PageLink.Run(page, 1, false));
        }
        // The policy put these in the buffer; ask for those not already on their way.
        candidates.removeIf(p -> !buffer.contains(p) || inFlight.get((int) (long) p));
        runs.addAll(prefetchRuns(candidates));
        requests += runs.size();
        return runs;
    }

    /** Marks ascending {@code pages} in flight as prefetches and groups them into contiguous requests. */
    private List<PageLink.Run> prefetchRuns(List<Long> pages) {
        List<PageLink.Run> runs = new ArrayList<>();
        long runStart = -1;
        int runLen = 0;
        for (long p : pages) {
            inFlight.set((int) p);
            trace.record(FaultTrace.Kind.PAGE, p, false, true);
            if (runLen > 0 && p == runStart + runLen && runLen < Limits.DEFAULT_MAX_RUN) {
                runLen++;
            } else {
                if (runLen > 0) runs.add(new PageLink.Run(runStart, runLen, true));
                runStart = p;
                runLen = 1;
            }
        }
        if (runLen > 0) runs.add(new PageLink.Run(runStart, runLen, true));
        return runs;
    }

    /** A page arrived from the desktop (on the link's reader thread). */
    private void arrived(long page, byte[] data, boolean prefetch) {
        synchronized (this) {
            int i = (int) page;
            if (page < 0 || page >= ram.pageCount() || filled.get(i) || (!inFlight.get(i) && !waiting.containsKey(page))) {
                return; // a duplicate after a reconnect
            }
            inFlight.clear(i);
            int bytes = data == null ? 0 : Wire.PAGE_SIZE;
            if (data == null) zeroPages++;
            if (prefetch) {
                prefetchPages++;
                prefetchBytes += bytes;
            } else {
                demandPages++;
                demandBytes += bytes;
            }
            Waiter w = waiting.remove(page);
            if (w != null) {
                fill(page, data);
                service.record(System.nanoTime() - w.faultNanos());
            } else if (buffer.contains(page)) {
                stash.put(page, data == null ? ZERO : data);
                if (stash.size() > buffer.capacityPages() + stashSlack) sweepStash();
            } else {
                prefetchWasted++;
            }
        }
    }

    /** Drops stashed data of pages the buffer has evicted, keeping the stash within the buffer's bound. */
    private void sweepStash() {
        for (Iterator<Long> it = stash.keySet().iterator(); it.hasNext(); ) {
            if (!buffer.contains(it.next())) {
                it.remove();
                prefetchWasted++;
            }
        }
    }

    private void fill(long page, byte[] data) {
        long addr = ram.hostAddress(page);
        if (data == null) {
            uffd.zeroPage(addr, Wire.PAGE_SIZE);
        } else {
            MemorySegment.copy(data, 0, bounce, BYTE, 0, Wire.PAGE_SIZE);
            uffd.copy(addr, bounce, Wire.PAGE_SIZE);
        }
        filled.set((int) page);
        notifyAll(); // populate() callers
    }

    /** Page requests sent to the desktop and not yet answered. */
    public int outstandingRequests() {
        return link.outstandingRequests();
    }

    public synchronized FaultStats stats() {
        return new FaultStats(faults, remoteFaults, bufferHits, demandPages, prefetchPages, zeroPages, demandBytes,
                prefetchBytes, prefetchWasted, filled.cardinality(), buffer.size(), requests, link.reconnects(),
                service.quantileNanos(0.50), service.quantileNanos(0.99), service.maxNanos());
    }

    /** Whether page {@code n} is in guest memory (filled from the desktop); reintegration may ignore the rest. */
    public synchronized boolean isFilled(long n) {
        return n >= 0 && n < ram.pageCount() && filled.get((int) n);
    }

    /** Pages the guest touched in this consolidation, in order: the VM's hoard history input (§3.4). */
    public synchronized List<Long> demandedPages() {
        return List.copyOf(memory.demandedPages());
    }

    /**
     * Stops serving faults and closes the userfaultfd. Call only once the guest is stopped: a page
     * still unfilled afterwards reads as zeros to whoever touches it.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) return;
            stopping = true;
        }
        stop.signal();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.close();
        synchronized (this) {
            poll.close();
            stop.close();
            uffd.close();
            arena.close();
        }
        trace.flush();
    }
}
