package dev.jettison.migration.partial;

import dev.jettison.migration.diskserv.BlockServer;
import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.memserv.PageServer;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.ServiceGate;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.SilenceWatchdog;
import dev.jettison.migration.wire.TcpListener;
import dev.jettison.migration.wire.Transport;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The desktop end of partial migration for one VM (paper §3.1, §4): it keeps the whole guest
 * RAM and disk as the <em>residue</em>, serves pages (memserv) and blocks (diskserv) of the
 * current consolidation epoch from it while the VM runs on the server, and takes back only what
 * the server dirtied.
 *
 * <p>Nothing lost: the residue is never touched until a reintegration has arrived whole and been
 * checked ({@link Reintegration}); every wait on the server is bounded ({@link DesktopSettings});
 * a lost server is re-attached to within a window, and failing that the guest resumes here from
 * its residue (the state at consolidation: the server's work is lost, and reported so). When the
 * guest runs here again for any reason, the epoch ends: memserv and diskserv refuse it, so the
 * server's copy can fetch nothing more, and the server is told to forget it.
 */
public final class Desktop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Desktop.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final String vmId;
    private final VirtualMachine vm;
    private final Path diskImage;
    private final PageServer pageServer;
    private final BlockServer blockServer;
    private final TcpListener pageListener;
    private final TcpListener blockListener;
    private final Wake wake;
    private final DesktopSettings settings;
    /** Where the residue and the record of a consolidation under way outlive this process; null: they do not. */
    private final ResidueStore store;
    private volatile DesktopState state = DesktopState.LOCAL;
    private volatile Runnable onResumedFromResidue = () -> { };
    private volatile Runnable onGoHome;
    /** False while the desktop microsleeps: the server then says nothing and that is no sign of loss. */
    private volatile boolean awake = true;
    private volatile String lastLoss;

    // Guarded by `this`.
    private SessionId session = SessionId.NONE;
    private InetSocketAddress server;
    private Transport control;
    private SilenceWatchdog watchdog;
    private CompletableFuture<MigrationReport> reintegration;
    private long descriptorBytes;
    private volatile ConsolidationTiming lastTiming;
    private long consolidationMillis;
    private long reintegrationStart;

    /**
     * How the server wakes this desktop from a microsleep: its MAC for the magic packet and the UDP
     * port its Wake-on-LAN listener uses (0 = the server's configured port). {@link #NEVER} for a
     * desktop that does not microsleep.
     */
    public record Wake(long mac, int port) {
        public static final Wake NEVER = new Wake(0, 0);

        public Wake {
            if (mac < 0 || mac > Message.Endpoints.MAX_MAC) throw new IllegalArgumentException("MAC must fit 48 bits: " + mac);
            if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }

    public Desktop(String vmId, VirtualMachine vm, Path diskImage, InetSocketAddress serveOn) throws IOException {
        this(vmId, vm, diskImage, serveOn, Wake.NEVER, () -> { }, ServiceGate.OPEN, DesktopSettings.DEFAULT, null);
    }

    public Desktop(String vmId, VirtualMachine vm, Path diskImage, InetSocketAddress serveOn, DesktopSettings settings)
            throws IOException {
        this(vmId, vm, diskImage, serveOn, Wake.NEVER, () -> { }, ServiceGate.OPEN, settings, null);
    }

    /**
     * @param wake      how the server's remoteWakeup wakes this desktop from a microsleep (§4)
     * @param onRequest told of every page or block request, so the activityMonitor does not microsleep now (§4)
     * @param gate      the power manager's: holds memserv's and diskserv's replies while the desktop sleeps (§3.3)
     * @param store     where the residue outlives this process (its VM's RAM must be that store's file), or null
     */
    public Desktop(String vmId, VirtualMachine vm, Path diskImage, InetSocketAddress serveOn, Wake wake,
                   Runnable onRequest, ServiceGate gate, DesktopSettings settings, ResidueStore store) throws IOException {
        if (!dev.jettison.migration.wire.Wire.validVmId(vmId)) {
            throw new IllegalArgumentException("VM id must be " + dev.jettison.migration.wire.Wire.VM_ID_RULE + ": '" + vmId + "'");
        }
        this.wake = wake;
        this.vmId = vmId;
        this.vm = vm;
        this.diskImage = diskImage;
        this.settings = settings;
        this.store = store;
        this.pageServer = new PageServer(vmId, GuestPages.of(vm.memory()), onRequest, gate);
        this.pageListener = pageServer.listen(serveOn, settings.security());
        if (diskImage != null) {
            this.blockServer = new BlockServer(vmId, diskImage, onRequest, gate);
            this.blockListener = blockServer.listen(new InetSocketAddress(serveOn.getAddress(), 0), settings.security());
        } else {
            this.blockServer = null;
            this.blockListener = null;
        }
        this.onGoHome = () -> {
            try {
                LOG.info("VM {} is home at the server's request: {}", vmId, reintegrate(Duration.ofMinutes(5)).summary());
            } catch (MigrationException e) {
                LOG.warn("VM {}: the server asked us to take it home and that failed: {}", vmId, e.getMessage());
            }
        };
    }

    public DesktopState state() { return state; }

    /** Where the last successful consolidation's time went, or null before the first. */
    public ConsolidationTiming lastConsolidationTiming() { return lastTiming; }

    public VirtualMachine vm() { return vm; }

    /** Why the server was last given up for lost (the guest then resumed from its residue), or null. */
    public String lastLoss() { return lastLoss; }

    /** The consolidation epoch the VM is away in, or NONE while it runs here. */
    public synchronized SessionId session() { return session; }

    /**
     * Called (on a session thread) when the server is lost while the VM is away and the guest
     * resumes here from its residue, so that the agent stops microsleeping: the user's VM is back.
     */
    public void onResumedFromResidue(Runnable r) {
        this.onResumedFromResidue = r;
    }

    /**
     * What to do when the server asks this desktop to take its VM back (it is stopping): by default
     * {@link #reintegrate} on a thread of its own; the agent wakes the desktop first.
     */
    public void onGoHome(Runnable r) {
        this.onGoHome = r;
    }

    /**
     * Pauses the guest, sends its descriptor to {@code server} and returns once the guest runs
     * there. On any failure before that point, or if the server does not answer within
     * {@link DesktopSettings#consolidateTimeout()}, the guest resumes here and this throws.
     */
    public synchronized long consolidate(InetSocketAddress server) throws MigrationException {
        if (state != DesktopState.LOCAL) throw new MigrationException("VM " + vmId + " is " + state + ", not LOCAL");
        state = DesktopState.CONSOLIDATING;
        var epoch = SessionId.random();
        long t0 = System.nanoTime();
        Transport t = null;
        boolean paused = false;
        try {
            openEpoch(epoch);
            // Everything that does not need the VM stopped happens before the pause: it is not downtime.
            t = connect(server);
            t.readTimeout(settings.consolidateTimeout());
            Handshake.client(t, hello(epoch));
            t.send(new Message.Endpoints(pageListener.port(), blockListener == null ? 0 : blockListener.port(),
                    wake.mac(), wake.port()));
            long connected = System.nanoTime();
            paused = true;
            vm.pause(Duration.ofSeconds(10));
            long stopped = System.nanoTime();
            byte[] descriptor = DescriptorCodec.encode(vm.capture());
            long captured = System.nanoTime();
            // Before the server can run it: a daemon that dies from here on finds the VM as it was paused.
            if (store != null) store.saveAway(new ResidueStore.Away(vmId, epoch, server, DesktopState.CONSOLIDATING, descriptor));
            t.send(new Message.Descriptor(DescriptorCodec.VERSION, descriptor));
            long sent = System.nanoTime();
            Message reply = t.receive();
            if (reply instanceof Message.Error e) throw new IOException("server refused: " + e.message());
            if (!(reply instanceof Message.Ack)) throw new IOException("server answered " + reply + " instead of Ack");
            long acked = System.nanoTime();
            lastTiming = new ConsolidationTiming(connected - t0, stopped - connected, captured - stopped, sent - captured,
                    acked - sent);
            consolidationMillis = (acked - t0) / 1_000_000;
            descriptorBytes = descriptor.length;
            this.server = server;
            reintegration = new CompletableFuture<>();
            state = DesktopState.REMOTE;
            // The server runs it and has announced it: frames still reaching this port can never be delivered in order.
            vm.discardNetwork();
            record(DesktopState.REMOTE);
            takeControl(t);
            LOG.info("VM {} consolidated to {} in {} ms (epoch {}, {} byte descriptor; {})", vmId, server, consolidationMillis,
                    epoch, descriptor.length, lastTiming);
            return consolidationMillis;
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (t != null) t.close();
            endEpoch();
            state = DesktopState.LOCAL;
            forgetAway();
            vm.resume();
            if (paused) vm.announce(); // the server may have run and announced it before the failure
            // The server may have admitted the VM before the failure: make sure it forgets it.
            releaseInBackground(server, epoch);
            throw new MigrationException("consolidation of " + vmId + " to " + server + " failed (" + e.getMessage()
                    + "); the guest runs on the desktop again", e);
        }
    }

    /**
     * Asks the server to send the VM home and returns once it runs here again. If the server is
     * lost and cannot be reached again within the re-attach window, the guest resumes from the
     * residue (the state at consolidation) and this throws saying so.
     */
    public MigrationReport reintegrate(Duration timeout) throws MigrationException {
        CompletableFuture<MigrationReport> done;
        synchronized (this) {
            if (state != DesktopState.REMOTE) throw new MigrationException("VM " + vmId + " is " + state + ", not REMOTE");
            state = DesktopState.REINTEGRATING;
            record(DesktopState.REINTEGRATING);
            reintegrationStart = System.nanoTime();
            done = reintegration;
            awake = true;
            if (watchdog != null) watchdog.heard();
            requestHome();
        }
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new MigrationException("reintegration of " + vmId + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new MigrationException("reintegration of " + vmId + " did not finish in " + timeout + "; it goes on");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted");
        }
    }

    /** Notes the consolidation's new phase in the store, for a daemon that restarts. */
    private void record(DesktopState phase) {
        if (store == null) return;
        try {
            var a = store.loadAway();
            if (a.isPresent()) store.saveAway(a.get().in(phase));
        } catch (IOException e) {
            LOG.error("VM {}: cannot record phase {} in {}: {}", vmId, phase, store.dir(), e.toString());
        }
    }

    /** The VM runs here: no consolidation remains to take up after a restart. */
    private void forgetAway() {
        if (store == null) return;
        try {
            store.clearAway();
        } catch (IOException e) {
            LOG.error("VM {}: cannot clear the away record in {}: {}", vmId, store.dir(), e.toString());
        }
    }

    /**
     * Takes up a consolidation that a previous desktop daemon left under way ({@code away}, from
     * {@code store}): {@code vm} must have been rebuilt, not yet started, from the record's descriptor
     * and the store's RAM file ({@link VirtualMachine#restore} with {@code store.ram(false)}). Serves the epoch's pages and blocks again and re-attaches to the server; if
     * the server no longer holds the VM, the guest resumes here from its residue. A reintegration
     * that was under way is asked for again.
     */
    public static Desktop resume(ResidueStore.Away away, VirtualMachine vm, Path diskImage, InetSocketAddress serveOn,
                                 Wake wake, Runnable onRequest, ServiceGate gate, DesktopSettings settings,
                                 ResidueStore store) throws IOException {
        var d = new Desktop(away.vmId(), vm, diskImage, serveOn, wake, onRequest, gate, settings, store);
        vm.startPaused(); // its vCPU threads wait, paused, for the guest to come home or resume here
        vm.discardNetwork(); // meanwhile the VM's frames reach it on the server
        d.takeUp(away);
        return d;
    }

    private void takeUp(ResidueStore.Away away) {
        synchronized (this) {
            openEpoch(away.session());
            server = away.server();
            descriptorBytes = away.descriptor().length;
            reintegration = new CompletableFuture<>();
            state = away.phase() == DesktopState.REINTEGRATING ? DesktopState.REINTEGRATING : DesktopState.REMOTE;
            reintegrationStart = System.nanoTime();
            control = null; // no channel yet: recover(null, ...) re-attaches
        }
        if (state == DesktopState.REINTEGRATING) {
            reintegration.whenComplete((r, e) -> {
                if (r != null) LOG.info("VM {} is home after the restart:\n{}", vmId, r.summary());
            });
        }
        LOG.info("VM {}: taking up epoch {} on {} left by the previous desktop daemon ({})", vmId, away.session(),
                away.server(), away.phase());
        Thread.ofVirtual().name("desktop-takeup-" + vmId).start(() -> recover(null, "the desktop daemon restarted"));
    }

    /** Sends the request on the control channel if there is one; a re-attach sends it otherwise. */
    private void requestHome() {
        if (control == null) return;
        try {
            control.send(new Message.ReintegrateRequest());
        } catch (IOException e) {
            control.close(); // the session thread recovers and asks again
        }
    }

    /**
     * Tells the server this desktop is about to microsleep ({@code asleep}) or has woken (§3.3), so
     * that its remoteWakeup wakes the desktop before asking it for state rather than after a
     * timeout, and so that neither side takes the other's silence meanwhile for a failure.
     * Returns false if the VM is not on a server (nothing to tell) or the server is gone.
     */
    public boolean announceMicrosleep(boolean asleep) {
        Transport t;
        synchronized (this) {
            if (state != DesktopState.REMOTE || control == null) return false;
            t = control;
            if (!asleep && watchdog != null) watchdog.heard();
        }
        awake = !asleep;
        try {
            t.send(new Message.Microsleep(asleep));
            return true;
        } catch (IOException e) {
            LOG.warn("VM {}: could not tell the server about the microsleep: {}", vmId, e.getMessage());
            return false;
        }
    }

    private Message.Hello hello(SessionId epoch) {
        return Message.Hello.of(vmId, epoch, vm.memory().ramBytes(), diskBytes(), Role.DESKTOP);
    }

    private Transport connect(InetSocketAddress server) throws IOException {
        return settings.security().connect(server, CONNECT_TIMEOUT_MILLIS, true);
    }

    private void openEpoch(SessionId epoch) {
        session = epoch;
        pageServer.open(epoch);
        if (blockServer != null) blockServer.open(epoch);
    }

    private void endEpoch() {
        pageServer.end();
        if (blockServer != null) blockServer.end();
        session = SessionId.NONE;
    }

    /** Makes {@code t} the control channel and starts the thread that reads it. */
    private void takeControl(Transport t) throws IOException {
        t.readTimeout(Duration.ZERO);
        control = t;
        awake = true;
        watchdog = new SilenceWatchdog("desktop-watch-" + vmId, t, settings.serverSilence(),
                () -> awake && (state == DesktopState.REMOTE || state == DesktopState.REINTEGRATING));
        var w = watchdog;
        Thread.ofVirtual().name("desktop-session-" + vmId).start(() -> readControl(t, w));
    }

    /** Reads the control channel until the VM is home or the channel fails; then recovers. */
    private void readControl(Transport t, SilenceWatchdog w) {
        var incoming = new Reintegration(vmId, vm, diskImage);
        String failure;
        try {
            while (true) {
                Message m = t.receive();
                w.heard();
                switch (m) {
                    case Message.Ping p -> t.send(new Message.Pong(p.seq()));
                    case Message.GoHome g -> {
                        LOG.info("VM {}: the server asks us to take it home ({})", vmId, g.reason());
                        var go = onGoHome;
                        Thread.ofVirtual().name("desktop-go-home-" + vmId).start(go);
                    }
                    case Message.Error e -> throw new IOException("server error: " + e.message());
                    default -> {
                        if (incoming.accept(m)) {
                            finishHome(t, w, incoming);
                            return;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = w.fired() ? "the server was silent for " + settings.serverSilence().toMillis() + " ms" : e.getMessage();
        } catch (dev.jettison.vmm.snapshot.DescriptorException e) {
            failure = "the server's descriptor is unusable: " + e.getMessage();
        }
        w.close();
        t.close();
        recover(t, failure);
    }

    /** The whole reintegration arrived and checked out: apply it, resume, confirm. */
    private void finishHome(Transport t, SilenceWatchdog w, Reintegration incoming) {
        MigrationReport report;
        w.close(); // applying a large reintegration takes a while, and the server rightly says nothing meanwhile
        synchronized (this) {
            if (control != t) return;
            try {
                incoming.apply();
            } catch (IOException | RuntimeException e) {
                // Nothing was confirmed, so the server keeps the VM: the request can be repeated.
                LOG.error("VM {}: applying the reintegration failed ({}); the server keeps the VM", vmId, e.toString());
                w.close();
                t.close();
                control = null;
                state = DesktopState.REMOTE;
                reintegration.completeExceptionally(e);
                reintegration = new CompletableFuture<>();
                return;
            }
            vm.resume();
            vm.announce(); // its MAC is on this port again (docs/network.md)
            long millis = (System.nanoTime() - reintegrationStart) / 1_000_000;
            report = incoming.report(descriptorBytes, consolidationMillis, millis, pageServer.stats());
            var epoch = session;
            endEpoch();
            state = DesktopState.LOCAL;
            forgetAway();
            control = null;
            w.close();
            try {
                t.send(new Message.Ack(0));
            } catch (IOException e) {
                // Said below on a new connection.
            }
            t.close();
            // A sent Ack is not a received one: the network can drop it just after the last
            // dirty block arrived (the fault suite's net-cut-reintegration-6 did), and then the
            // server holds the paused VM until told. So say it again on a connection of its own;
            // the server answers Ack whether or not it still held the epoch.
            releaseInBackground(server, epoch);
            LOG.info("VM {} reintegrated in {} ms: {} dirty pages, {} dirty blocks", vmId, millis,
                    report.dirtyPagesBack(), report.dirtyBlocksBack());
        }
        reintegration.complete(report);
    }

    /**
     * The control channel {@code lost} failed (null: a restarted daemon has none yet). Tries to re-attach to the server within the window
     * (it pauses the VM there meanwhile), asking again for the VM if a reintegration was under way;
     * if the server does not know the epoch any more or cannot be reached, resumes from the residue.
     */
    private void recover(Transport lost, String why) {
        SessionId epoch;
        InetSocketAddress to;
        synchronized (this) {
            if (control != lost) return;
            control = null;
            if (state != DesktopState.REMOTE && state != DesktopState.REINTEGRATING) return;
            epoch = session;
            to = server;
        }
        LOG.warn("VM {}: control channel to {} lost ({}); re-attaching for up to {} ms", vmId, to, why,
                settings.reattachWindow().toMillis());
        long deadline = System.nanoTime() + settings.reattachWindow().toNanos();
        long delay = 50;
        while (System.nanoTime() < deadline) {
            Transport t = null;
            try {
                t = connect(to);
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                t.readTimeout(Duration.ofMillis(Math.min(left, settings.consolidateTimeout().toMillis())));
                Handshake.client(t, hello(epoch));
                t.send(new Message.Attach(pageListener.port(), blockListener == null ? 0 : blockListener.port()));
                Message reply = t.receive();
                if (reply instanceof Message.Error e && e.code() == Message.Error.NO_SESSION) {
                    t.close();
                    resumeFromResidue("the server no longer holds epoch " + epoch + " (" + why + ")");
                    return;
                }
                if (!(reply instanceof Message.Ack)) throw new IOException("server answered " + reply + " to Attach");
                synchronized (this) {
                    if (!session.equals(epoch)) {
                        t.close();
                        return;
                    }
                    takeControl(t);
                    LOG.info("VM {}: re-attached to {} (epoch {})", vmId, to, epoch);
                    if (state == DesktopState.REINTEGRATING) requestHome();
                }
                return;
            } catch (IOException | RuntimeException e) {
                if (t != null) t.close();
                why = why + "; re-attach: " + e.getMessage();
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            delay = Math.min(1000, delay * 2);
        }
        resumeFromResidue("the server could not be reached for " + settings.reattachWindow().toMillis() + " ms");
    }

    /**
     * The guest runs here again from the state it had at consolidation: whatever it did on the
     * server is lost, and said so. The epoch ends, and the server is told to forget its copy.
     */
    private void resumeFromResidue(String why) {
        SessionId epoch;
        InetSocketAddress to;
        synchronized (this) {
            if (state == DesktopState.LOCAL) return;
            epoch = session;
            to = server;
            if (control != null) control.close();
            control = null;
            if (watchdog != null) watchdog.close();
            endEpoch();
            state = DesktopState.LOCAL;
            forgetAway();
            lastLoss = why;
            vm.resume();
            vm.announce();
            if (reintegration != null) {
                reintegration.completeExceptionally(new IOException(why + "; the VM resumed from its residue, losing what it"
                        + " did on the server since consolidation"));
            }
        }
        LOG.warn("VM {}: {}; resumed it from its residue (its state at consolidation): its work on the server is lost",
                vmId, why);
        releaseInBackground(to, epoch);
        onResumedFromResidue.run();
    }

    /** Tells the server, as long as the release window lasts, to forget epoch {@code epoch}. */
    private void releaseInBackground(InetSocketAddress to, SessionId epoch) {
        if (to == null || epoch.isNone()) return;
        Thread.ofVirtual().name("desktop-release-" + vmId).start(() -> {
            long deadline = System.nanoTime() + settings.releaseWindow().toNanos();
            long delay = 200;
            while (System.nanoTime() < deadline) {
                try (var t = connect(to)) {
                    t.readTimeout(settings.consolidateTimeout());
                    Handshake.client(t, hello(epoch));
                    t.send(new Message.Release());
                    if (t.receive() instanceof Message.Ack) {
                        LOG.info("VM {}: the server forgot epoch {}", vmId, epoch);
                        return;
                    }
                } catch (dev.jettison.migration.wire.PeerRefusedException e) {
                    // Not a server of the site, or it will not hear us: it never got this epoch from us, so nothing to release.
                    LOG.warn("VM {}: not telling {} to forget epoch {}: {}", vmId, to, epoch, e.getMessage());
                    return;
                } catch (IOException | RuntimeException e) {
                    // The server is unreachable for now; try again.
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                delay = Math.min(10_000, delay * 2);
            }
            LOG.warn("VM {}: could not tell {} to forget epoch {}; it forgets it when it next hears from this desktop",
                    vmId, to, epoch);
        });
    }

    private long diskBytes() {
        return diskImage == null ? 0 : diskImage.toFile().length();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (control != null) control.close();
            control = null;
            if (watchdog != null) watchdog.close();
        }
        pageListener.close();
        if (blockListener != null) blockListener.close();
    }
}
