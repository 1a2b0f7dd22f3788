package dev.jettison.migration.partial;

import dev.jettison.core.prefetch.HoardHistory;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.migration.cownetdisk.CowNetDisk;
import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.memtap.FaultTrace;
import dev.jettison.migration.memtap.DesktopWaker;
import dev.jettison.migration.memtap.HoardStore;
import dev.jettison.migration.memtap.RemoteWakeup;
import dev.jettison.migration.memtap.WakePackets;
import dev.jettison.migration.wire.Connector;
import dev.jettison.migration.wire.Limits;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.TcpListener;
import dev.jettison.migration.wire.Transport;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import dev.jettison.vmm.snapshot.DescriptorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consolidation server (paper §4): accepts partial VMs from desktops, runs each with empty
 * RAM that memtap fills on demand and a copy-on-write networked disk, and sends back only what
 * the guest dirtied when the desktop asks for its VM. One connection per VM is its control
 * channel; a VM whose desktop connection drops keeps running until reintegrated or evicted.
 */
public final class ConsolidationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsolidationServer.class);
    /** Dirty units per frame: 256 x 4 KiB stays well under the 8 MiB frame limit. */
    private static final int BATCH = 256;

    private final Path stateDir;
    private final FaultHandler.Config faultConfig;
    /** Prefetch policies chosen for particular VMs (§3.4: selectable per VM); others get faultConfig's. */
    private final Map<String, PrefetchPolicy> policies = new ConcurrentHashMap<>();
    private final WakePackets wakePackets;
    private final TcpListener listener;
    private final Map<String, Hosted> hosted = new ConcurrentHashMap<>();

    /** A VM running here. */
    private record Hosted(String vmId, VirtualMachine vm, FaultHandler memtap, CowNetDisk disk, HoardStore hoard,
                          RemoteWakeup wakeup, DesktopWaker packets) implements AutoCloseable {
        @Override
        public void close() {
            vm.close();
            memtap.close();
            closeWakeSender(vmId, packets);
            if (disk != null) {
                try {
                    disk.close();
                } catch (IOException e) {
                    LOG.warn("closing the disk of {}: {}", vmId, e.toString());
                }
            }
        }
    }

    private ConsolidationServer(Path stateDir, FaultHandler.Config faultConfig, InetSocketAddress bind,
                                WakePackets wakePackets) throws IOException {
        this.stateDir = stateDir;
        this.faultConfig = faultConfig;
        this.wakePackets = wakePackets;
        Files.createDirectories(stateDir);
        this.listener = TcpListener.open(bind, "consolidation-server", this::serve);
    }

    public static ConsolidationServer start(Path stateDir, FaultHandler.Config faultConfig, InetSocketAddress bind)
            throws IOException {
        return new ConsolidationServer(stateDir, faultConfig, bind, WakePackets.NONE);
    }

    /** A server whose remoteWakeup wakes microsleeping desktops with {@code wakePackets} (§4). */
    public static ConsolidationServer start(Path stateDir, FaultHandler.Config faultConfig, InetSocketAddress bind,
                                            WakePackets wakePackets) throws IOException {
        return new ConsolidationServer(stateDir, faultConfig, bind, wakePackets);
    }

    public InetSocketAddress address() { return listener.address(); }

    /** Prefetches for {@code vmId} with {@code policy} from its next consolidation on. */
    public void prefetchPolicy(String vmId, PrefetchPolicy policy) {
        policies.put(vmId, policy);
    }

    /** The prefetch policy {@code vmId}'s next consolidation gets. */
    public PrefetchPolicy prefetchPolicy(String vmId) {
        return policies.getOrDefault(vmId, faultConfig.policy());
    }

    public int hostedCount() { return hosted.size(); }

    /** The running VM of {@code vmId}, for tests and the daemon's status page. */
    public VirtualMachine vm(String vmId) {
        var h = hosted.get(vmId);
        return h == null ? null : h.vm();
    }

    /** memtap's counters for {@code vmId}, or null if it is not here. */
    public dev.jettison.migration.memtap.FaultStats faultStats(String vmId) {
        var h = hosted.get(vmId);
        return h == null ? null : h.memtap().stats();
    }

    /** Resident bytes of {@code vmId}'s RAM on this server (what hosting it costs), or -1 if it is not here. */
    public long residentBytes(String vmId) {
        var h = hosted.get(vmId);
        return h == null ? -1 : residentBytes(h.vm());
    }

    private void serve(Transport t) throws Exception {
        Message first = t.receive();
        if (!(first instanceof Message.Hello hello) || hello.role() != Role.DESKTOP) {
            t.send(new Message.Error(Message.Error.UNEXPECTED, "expected a desktop's Hello"));
            return;
        }
        if (hosted.containsKey(hello.vmId())) {
            t.send(new Message.Error(Message.Error.VM_MISMATCH, "VM " + hello.vmId() + " is already consolidated here"));
            return;
        }
        t.send(Message.Hello.of(hello.vmId(), hello.ramBytes(), hello.diskBytes(), Role.SERVER));
        t.limits(Limits.of(hello).withPayload(t.limits().maxPayloadBytes()));
        if (!(t.receive() instanceof Message.Endpoints ends)) {
            t.send(new Message.Error(Message.Error.UNEXPECTED, "expected the desktop's endpoints"));
            return;
        }
        if (!(t.receive() instanceof Message.Descriptor d)) {
            t.send(new Message.Error(Message.Error.UNEXPECTED, "expected the descriptor"));
            return;
        }
        var desktopHost = ((InetSocketAddress) t.remoteAddress()).getAddress();
        Hosted h;
        try {
            h = admit(hello, ends, d, desktopHost);
        } catch (DescriptorException | IOException | RuntimeException e) {
            LOG.warn("refusing VM {}: {}", hello.vmId(), e.getMessage());
            t.send(new Message.Error(Message.Error.UNEXPECTED, "cannot run VM " + hello.vmId() + ": " + e.getMessage()));
            return;
        }
        hosted.put(hello.vmId(), h);
        t.send(new Message.Ack(0));
        LOG.info("VM {} runs here (desktop {})", hello.vmId(), desktopHost);
        while (true) {
            Message m = t.receive();
            if (m instanceof Message.ReintegrateRequest) {
                sendHome(h, t);
                return;
            }
            if (m instanceof Message.Bye) return;
            if (m instanceof Message.Microsleep sleep) {
                h.wakeup().desktopAsleep(sleep.asleep());
                continue;
            }
            t.send(new Message.Error(Message.Error.UNEXPECTED, "unexpected " + m.getClass().getSimpleName()));
        }
    }

    private Hosted admit(Message.Hello hello, Message.Endpoints ends, Message.Descriptor d, java.net.InetAddress desktop)
            throws DescriptorException, IOException {
        long t0 = System.nanoTime();
        var state = DescriptorCodec.decode(d.bytes());
        if (state.memBytes() != hello.ramBytes()) {
            throw new DescriptorException("descriptor says " + state.memBytes() + " RAM bytes, Hello said " + hello.ramBytes());
        }
        Path dir = stateDir.resolve(hello.vmId());
        Files.createDirectories(dir);
        DesktopWaker packets = ends.wakeMac() == 0 ? DesktopWaker.NONE : wakePackets.to(desktop, ends.wakeMac(), ends.wakePort());
        var wakeup = new RemoteWakeup(packets);
        CowNetDisk disk = null;
        VirtualMachine vm = null;
        try {
            if (state.hasDisk()) {
                disk = CowNetDisk.open(dir, hello.vmId(), state.diskSectors() * 512,
                        Connector.tcp(new InetSocketAddress(desktop, ends.blockPort()), 5000),
                        CowNetDisk.Options.defaults().withWaker(wakeup));
            }
            long t1 = System.nanoTime();
            vm = VirtualMachine.restore(state, disk, null, dir.resolve("console.log"), true);
            long t2 = System.nanoTime();
            var trace = FaultTrace.open(dir.resolve("faults-" + System.currentTimeMillis() + ".csv"), hello.vmId());
            var config = faultConfig.withPolicy(prefetchPolicy(hello.vmId())).withWaker(wakeup);
            var memtap = FaultHandler.start(hello.vmId(), GuestPages.of(vm.memory()),
                    Connector.tcp(new InetSocketAddress(desktop, ends.pagePort()), 5000), config, trace);
            wakeup.outstanding(() -> memtap.outstandingRequests() > 0);
            // Device code runs on Java threads: it must never be the first to touch a missing page.
            vm.memory().populateWith(memtap::populate);
            var hoard = new HoardStore(dir.resolve("hoard-history.txt"));
            if (config.policy().hoardPages() > 0) {
                int asked = memtap.hoard(loadHistory(hello.vmId(), hoard));
                LOG.info("VM {}: hoarding {} pages its earlier consolidations needed", hello.vmId(), asked);
            }
            long t3 = System.nanoTime();
            vm.start();
            // Consolidation latency is the paper's headline figure (§5.3): say where the server's share went.
            LOG.info("VM {} admitted in {} ms: decode and disk {} ms, VM restore {} ms, memtap {} ms, vCPU start {} ms",
                    hello.vmId(), ms(System.nanoTime() - t0), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(System.nanoTime() - t3));
            return new Hosted(hello.vmId(), vm, memtap, disk, hoard, wakeup, packets);
        } catch (IOException | RuntimeException e) {
            if (vm != null) vm.close();
            if (disk != null) disk.close();
            closeWakeSender(hello.vmId(), packets);
            throw e;
        }
    }

    /** The agent's magic-packet senders hold a socket; a failure to close one is only logged. */
    private static void closeWakeSender(String vmId, DesktopWaker packets) {
        if (packets instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the wake sender of {}: {}", vmId, e.toString());
            }
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** A damaged history costs this consolidation its hoard, never the VM. */
    private static HoardHistory loadHistory(String vmId, HoardStore store) {
        try {
            return store.load();
        } catch (IOException e) {
            LOG.warn("VM {}: ignoring its hoard history: {}", vmId, e.getMessage());
            return new HoardHistory();
        }
    }

    /** The pages this consolidation asked for join the VM's history for the next one's hoard (§3.4). */
    private static void rememberDemand(Hosted h) {
        try {
            var history = loadHistory(h.vmId(), h.hoard());
            history.recordConsolidation(h.memtap().demandedPages());
            h.hoard().save(history);
        } catch (IOException e) {
            LOG.warn("VM {}: could not save its hoard history: {}", h.vmId(), e.getMessage());
        }
    }

    /** Reintegration: pause, then the descriptor, every dirty page and block, and the counts. */
    private void sendHome(Hosted h, Transport t) throws Exception {
        var vm = h.vm();
        vm.pause(Duration.ofSeconds(10));
        byte[] descriptor = DescriptorCodec.encode(vm.capture());
        long[] dirty = vm.takeDirtyPages();
        var ram = vm.ram().segment();
        t.send(new Message.Descriptor(DescriptorCodec.VERSION, descriptor));
        var batch = new ArrayList<Message.Chunk>(BATCH);
        for (long p : dirty) {
            batch.add(chunk(p, ram.asSlice(p * 4096, 4096).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            if (batch.size() == BATCH) {
                t.send(new Message.DirtyPages(List.copyOf(batch)));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) t.send(new Message.DirtyPages(List.copyOf(batch)));
        batch.clear();
        long blocks = 0;
        if (h.disk() != null) {
            h.disk().flush();
            for (long b : h.disk().dirtyBlocks()) {
                batch.add(chunk(b, h.disk().readBlock(b)));
                blocks++;
                if (batch.size() == BATCH) {
                    t.send(new Message.DirtyBlocks(List.copyOf(batch)));
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) t.send(new Message.DirtyBlocks(List.copyOf(batch)));
        }
        rememberDemand(h);
        var fs = h.memtap().stats();
        t.send(new Message.ServerStats(fs.demandPages(), fs.prefetchedPages(), fs.zeroPages(),
                h.disk() == null ? 0 : h.disk().fetchedBlocks(), fs.p50Nanos(), fs.p99Nanos(), residentBytes(vm)));
        t.send(new Message.ReintegrateDone(dirty.length, blocks));
        Message ack = t.receive();
        if (!(ack instanceof Message.Ack)) LOG.warn("VM {}: desktop answered {} to the reintegration", h.vmId(), ack);
        hosted.remove(h.vmId());
        h.close();
        LOG.info("VM {} sent home: {} dirty pages, {} dirty blocks", h.vmId(), dirty.length, blocks);
    }

    private static Message.Chunk chunk(long number, byte[] data) {
        for (byte b : data) if (b != 0) return new Message.Chunk(number, data);
        return new Message.Chunk(number, null);
    }

    /** Resident bytes of the VM's RAM mapping: what consolidating it really costs this server. */
    private static long residentBytes(VirtualMachine vm) {
        return dev.jettison.sys.Residency.residentBytes(vm.ram().segment());
    }

    @Override
    public void close() {
        listener.close();
        for (var h : hosted.values()) h.close();
        hosted.clear();
    }
}
