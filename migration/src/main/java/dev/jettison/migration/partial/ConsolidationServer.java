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
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.Limits;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.PeerRefusedException;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consolidation server (paper §4): accepts partial VMs from desktops, runs each with empty
 * RAM that memtap fills on demand and a copy-on-write networked disk, and sends back only what
 * the guest dirtied when the desktop asks for its VM.
 *
 * <p>Each consolidation is an epoch named by the desktop's random session id: its disk slices
 * live in their own folder, which is removed once the desktop has confirmed the VM home, so a
 * later consolidation never reads an earlier one's blocks. A VM is forgotten only when its desktop
 * confirmed it home or released it; a lost control channel pauses it ({@link HostedVm}).
 */
public final class ConsolidationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsolidationServer.class);
    static final String EPOCH_PREFIX = "epoch-";

    private final Path stateDir;
    private final FaultHandler.Config faultConfig;
    private final ServerSettings settings;
    private final NicPlug nics;
    /** Prefetch policies chosen for particular VMs (§3.4: selectable per VM); others get faultConfig's. */
    private final Map<String, PrefetchPolicy> policies = new ConcurrentHashMap<>();
    private final WakePackets wakePackets;
    private final TcpListener listener;
    private final Map<String, HostedVm> hosted = new ConcurrentHashMap<>();
    private boolean closed;

    private ConsolidationServer(Path stateDir, FaultHandler.Config faultConfig, InetSocketAddress bind,
                                WakePackets wakePackets, ServerSettings settings, NicPlug nics) throws IOException {
        this.stateDir = stateDir;
        this.nics = nics;
        this.faultConfig = faultConfig;
        this.wakePackets = wakePackets;
        this.settings = settings;
        Files.createDirectories(stateDir);
        removeCrashedEpochs();
        this.listener = TcpListener.open(bind, "consolidation-server", this::serve,
                TcpListener.Options.DEFAULT.withSecurity(settings.security()));
    }

    public static ConsolidationServer start(Path stateDir, FaultHandler.Config faultConfig, InetSocketAddress bind)
            throws IOException {
        return new ConsolidationServer(stateDir, faultConfig, bind, WakePackets.NONE, ServerSettings.DEFAULT, NicPlug.NONE);
    }

    /** A server whose remoteWakeup wakes microsleeping desktops with {@code wakePackets} (§4). */
    public static ConsolidationServer start(Path stateDir, FaultHandler.Config faultConfig, InetSocketAddress bind,
                                            WakePackets wakePackets) throws IOException {
        return new ConsolidationServer(stateDir, faultConfig, bind, wakePackets, ServerSettings.DEFAULT, NicPlug.NONE);
    }

    public static ConsolidationServer start(Path stateDir, FaultHandler.Config faultConfig, InetSocketAddress bind,
                                            WakePackets wakePackets, ServerSettings settings) throws IOException {
        return new ConsolidationServer(stateDir, faultConfig, bind, wakePackets, settings, NicPlug.NONE);
    }

    /** A server that plugs the network cards of the VMs it admits with {@code nics} (e.g. a tap on a bridge). */
    public static ConsolidationServer start(Path stateDir, FaultHandler.Config faultConfig, InetSocketAddress bind,
                                            WakePackets wakePackets, ServerSettings settings, NicPlug nics) throws IOException {
        return new ConsolidationServer(stateDir, faultConfig, bind, wakePackets, settings, nics);
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

    /** The ids of the VMs held here now (running, fenced or going home), for the daemon's status page. */
    public java.util.Set<String> hostedVmIds() { return java.util.Set.copyOf(hosted.keySet()); }

    /** The running VM of {@code vmId}, for tests and the daemon's status page. */
    public VirtualMachine vm(String vmId) {
        var h = hosted.get(vmId);
        return h == null ? null : h.vm;
    }

    /** RUNNING, FENCED (its desktop lost, paused) or GOING_HOME for a VM here, or null. */
    public String state(String vmId) {
        var h = hosted.get(vmId);
        return h == null ? null : h.state().name();
    }

    /** memtap's counters for {@code vmId}, or null if it is not here. */
    public dev.jettison.migration.memtap.FaultStats faultStats(String vmId) {
        var h = hosted.get(vmId);
        return h == null ? null : h.memtap.stats();
    }

    /** Resident bytes of {@code vmId}'s RAM on this server (what hosting it costs), or -1 if it is not here. */
    public long residentBytes(String vmId) {
        var h = hosted.get(vmId);
        return h == null ? -1 : h.residentBytes();
    }

    /**
     * A server that stopped without sending its VMs home left their epochs' slices behind; with
     * the VMs' memory gone they describe nothing that can run, and each desktop resumes its VM
     * from its residue. Reported, then removed, so no later epoch can mistake them for its own.
     */
    private void removeCrashedEpochs() throws IOException {
        try (var vms = Files.list(stateDir)) {
            for (Path vmDir : vms.filter(Files::isDirectory).toList()) {
                try (var epochs = Files.list(vmDir)) {
                    for (Path e : epochs.filter(p -> p.getFileName().toString().startsWith(EPOCH_PREFIX)).toList()) {
                        LOG.warn("VM {}: state of epoch {} left by a server that did not stop cleanly; removing it (its desktop"
                                + " resumes the VM from its residue)", vmDir.getFileName(), e.getFileName());
                        deleteTree(e);
                    }
                }
            }
        }
    }

    private void serve(Transport t) throws Exception {
        Message first = t.receive();
        if (!(first instanceof Message.Hello hello) || hello.role() != Role.DESKTOP || hello.session().isNone()) {
            t.send(new Message.Error(Message.Error.UNEXPECTED, "expected a desktop's Hello with a session"));
            return;
        }
        try {
            // Before anything is looked up: a desktop acts only for the VMs its certificate lists.
            t.identity().require(Role.DESKTOP, hello.vmId());
        } catch (PeerRefusedException e) {
            LOG.warn("refused {}: {}", t.peer(), e.getMessage());
            t.send(new Message.Error(Message.Error.REFUSED, Message.Error.REFUSED_TEXT));
            return;
        }
        t.send(Message.Hello.of(hello.vmId(), hello.session(), hello.ramBytes(), hello.diskBytes(), Role.SERVER));
        t.limits(Limits.of(hello));
        t.readTimeout(settings.messageTimeout());
        switch (t.receive()) {
            case Message.Endpoints ends -> consolidate(hello, ends, t);
            case Message.Attach a -> attach(hello, a, t);
            case Message.Release r -> {
                release(hello, "its desktop runs it again");
                t.send(new Message.Ack(0));
            }
            default -> t.send(new Message.Error(Message.Error.UNEXPECTED, "expected Endpoints, Attach or Release"));
        }
    }

    private void consolidate(Message.Hello hello, Message.Endpoints ends, Transport t) throws Exception {
        var earlier = hosted.get(hello.vmId());
        if (earlier != null && earlier.session.equals(hello.session())) {
            t.send(new Message.Error(Message.Error.UNEXPECTED, "epoch " + hello.session() + " of VM " + hello.vmId()
                    + " is already consolidated here"));
            return;
        }
        // A desktop consolidates only a VM that runs on it: an earlier epoch here is an orphan.
        if (earlier != null) release(earlier.vmId, "its desktop started a new consolidation");
        if (!(t.receive() instanceof Message.Descriptor d)) {
            t.send(new Message.Error(Message.Error.UNEXPECTED, "expected the descriptor"));
            return;
        }
        var desktopHost = ((InetSocketAddress) t.remoteAddress()).getAddress();
        HostedVm h;
        try {
            h = Admission.admit(this, hello, ends, d, desktopHost);
        } catch (DescriptorException | IOException | RuntimeException e) {
            LOG.warn("refusing VM {}: {}", hello.vmId(), e.getMessage());
            t.send(new Message.Error(Message.Error.UNEXPECTED, "cannot run VM " + hello.vmId() + ": " + e.getMessage()));
            return;
        }
        if (hosted.putIfAbsent(hello.vmId(), h) != null) {
            h.close();
            deleteTree(h.epochDir);
            t.send(new Message.Error(Message.Error.UNEXPECTED, "VM " + hello.vmId() + " arrived twice at once"));
            return;
        }
        try {
            t.send(new Message.Ack(0));
        } catch (IOException e) {
            // The desktop will not know the VM runs here; it resumes its own copy and releases this one.
            LOG.warn("VM {}: the Ack did not go out ({}); the VM waits for its desktop", hello.vmId(), e.toString());
        }
        LOG.info("VM {} runs here (epoch {}, desktop {})", hello.vmId(), hello.session(), desktopHost);
        controlUntilHome(h, t);
    }

    private void attach(Message.Hello hello, Message.Attach attach, Transport t) throws IOException {
        var h = hosted.get(hello.vmId());
        if (h == null || !h.session.equals(hello.session())) {
            t.send(new Message.Error(Message.Error.NO_SESSION, Message.Error.NO_SESSION_TEXT));
            return;
        }
        h.desktop.moved(((InetSocketAddress) t.remoteAddress()).getAddress(), attach.pagePort(), attach.blockPort());
        t.send(new Message.Ack(0));
        LOG.info("VM {} (epoch {}): its desktop re-attached from {}", h.vmId, h.session, t.peer());
        controlUntilHome(h, t);
    }

    private void controlUntilHome(HostedVm h, Transport t) throws IOException {
        if (h.control(t) == HostedVm.Outcome.HOME) {
            rememberDemand(h);
            forget(h, "confirmed home");
        }
    }

    /** Forgets {@code vmId}'s VM of the Hello's epoch, if it is here, because its desktop runs it. */
    private void release(Message.Hello hello, String why) {
        var h = hosted.get(hello.vmId());
        if (h != null && h.session.equals(hello.session())) forget(h, why);
    }

    private void release(String vmId, String why) {
        var h = hosted.get(vmId);
        if (h != null) forget(h, why);
    }

    /**
     * Called by memtap or cownetdisk when the desktop refuses this epoch: the guest runs on the
     * desktop again, so the copy here is an orphan. Not while the VM is going home: there the
     * desktop ends the epoch as it applies the reintegration, and its Ack (or Release) says so.
     */
    void orphaned(String vmId, SessionId session) {
        var h = hosted.get(vmId);
        if (h != null && h.session.equals(session) && h.state() != HostedVm.State.GOING_HOME) {
            // Not on the refusing thread: closing the VM joins memtap's threads.
            Thread.ofVirtual().start(() -> forget(h, "its desktop ended the epoch"));
        }
    }

    private void forget(HostedVm h, String why) {
        if (!hosted.remove(h.vmId, h)) return;
        h.close();
        try {
            deleteTree(h.epochDir);
        } catch (IOException e) {
            LOG.warn("VM {}: could not remove {}: {}", h.vmId, h.epochDir, e.toString());
        }
        LOG.info("VM {} (epoch {}) forgotten here: {}", h.vmId, h.session, why);
    }

    Path stateDir() { return stateDir; }

    FaultHandler.Config faultConfig(String vmId) { return faultConfig.withPolicy(prefetchPolicy(vmId)); }

    WakePackets wakePackets() { return wakePackets; }

    ServerSettings settings() { return settings; }

    NicPlug nics() { return nics; }

    /** The agent's magic-packet senders hold a socket; a failure to close one is only logged. */
    static void closeWakeSender(String vmId, DesktopWaker packets) {
        if (packets instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the wake sender of {}: {}", vmId, e.toString());
            }
        }
    }

    /** A damaged history costs this consolidation its hoard, never the VM. */
    static HoardHistory loadHistory(String vmId, HoardStore store) {
        try {
            return store.load();
        } catch (IOException e) {
            LOG.warn("VM {}: ignoring its hoard history: {}", vmId, e.getMessage());
            return new HoardHistory();
        }
    }

    /** The pages this consolidation asked for join the VM's history for the next one's hoard (§3.4). */
    private static void rememberDemand(HostedVm h) {
        try {
            var history = loadHistory(h.vmId, h.hoard);
            history.recordConsolidation(h.memtap.demandedPages());
            h.hoard.save(history);
        } catch (IOException e) {
            LOG.warn("VM {}: could not save its hoard history: {}", h.vmId, e.getMessage());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /**
     * Stops accepting, asks every desktop whose VM runs here to take it home and waits for them
     * (up to {@link ServerSettings#goHomeWait()}); a VM whose desktop cannot be reached in time is
     * lost here and its desktop resumes it from its residue.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        int asked = 0;
        for (var h : hosted.values()) if (h.askHome("the consolidation server is stopping")) asked++;
        if (asked > 0) {
            LOG.info("asked {} desktops to take their VMs home", asked);
            long deadline = System.nanoTime() + settings.goHomeWait().toNanos();
            while (!hosted.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        listener.close();
        for (var h : hosted.values()) {
            LOG.warn("VM {} (epoch {}) did not go home before the server stopped; its desktop resumes it from its residue",
                    h.vmId, h.session);
            forget(h, "the server stopped");
        }
    }
}
