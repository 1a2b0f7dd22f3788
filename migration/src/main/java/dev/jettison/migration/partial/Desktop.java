package dev.jettison.migration.partial;

import dev.jettison.migration.diskserv.BlockServer;
import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.memserv.PageServer;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.ServiceGate;
import dev.jettison.migration.wire.TcpListener;
import dev.jettison.migration.wire.TcpTransport;
import dev.jettison.migration.wire.Transport;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import dev.jettison.vmm.snapshot.DescriptorException;
import dev.jettison.vmm.snapshot.MachineState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The desktop end of partial migration for one VM (paper §3.1, §4): it keeps the whole guest
 * RAM and disk as the <em>residue</em>, serves pages (memserv) and blocks (diskserv) from it
 * while the VM runs on the server, and takes back only what the server dirtied.
 *
 * <p>Checkpoint semantics: the residue is never touched until a reintegration has arrived
 * completely, so if the server dies at any point the guest resumes here from the state it had
 * at consolidation.
 */
public final class Desktop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Desktop.class);

    private final String vmId;
    private final VirtualMachine vm;
    private final Path diskImage;
    private final PageServer pageServer;
    private final BlockServer blockServer;
    private final TcpListener pageListener;
    private final TcpListener blockListener;
    private final Wake wake;
    private volatile DesktopState state = DesktopState.LOCAL;
    private volatile Runnable onResumedFromResidue = () -> { };
    private Transport session;
    private CompletableFuture<MigrationReport> reintegration;
    private long descriptorBytes;
    private long consolidationMillis;
    private long reintegrationStart;
    private Message.ServerStats serverStats;

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
        this(vmId, vm, diskImage, serveOn, Wake.NEVER, () -> { }, ServiceGate.OPEN);
    }

    /**
     * @param wake      how the server's remoteWakeup wakes this desktop from a microsleep (§4)
     * @param onRequest told of every page or block request, so the activityMonitor does not microsleep now (§4)
     * @param gate      the power manager's: holds memserv's and diskserv's replies while the desktop sleeps (§3.3)
     */
    public Desktop(String vmId, VirtualMachine vm, Path diskImage, InetSocketAddress serveOn, Wake wake,
                   Runnable onRequest, ServiceGate gate) throws IOException {
        this.wake = wake;
        this.vmId = vmId;
        this.vm = vm;
        this.diskImage = diskImage;
        this.pageServer = new PageServer(vmId, GuestPages.of(vm.memory()), onRequest, gate);
        this.pageListener = pageServer.listen(serveOn);
        if (diskImage != null) {
            this.blockServer = new BlockServer(vmId, diskImage, onRequest, gate);
            this.blockListener = blockServer.listen(new InetSocketAddress(serveOn.getAddress(), 0));
        } else {
            this.blockServer = null;
            this.blockListener = null;
        }
    }

    public DesktopState state() { return state; }

    /**
     * Called (on the session's thread) when the server is lost while the VM is away and the guest
     * resumes here from its residue, so that the agent stops microsleeping: the user's VM is back.
     */
    public void onResumedFromResidue(Runnable r) {
        this.onResumedFromResidue = r;
    }

    public VirtualMachine vm() { return vm; }

    /**
     * Pauses the guest, sends its descriptor to {@code server} and returns once the guest runs
     * there. On any failure before that point the guest resumes here and this throws.
     */
    public synchronized long consolidate(InetSocketAddress server) throws MigrationException {
        if (state != DesktopState.LOCAL) throw new MigrationException("VM " + vmId + " is " + state + ", not LOCAL");
        state = DesktopState.CONSOLIDATING;
        long t0 = System.nanoTime();
        Transport t = null;
        try {
            vm.pause(Duration.ofSeconds(10));
            long paused = System.nanoTime();
            byte[] descriptor = DescriptorCodec.encode(vm.capture());
            long captured = System.nanoTime();
            t = TcpTransport.connect(server, 5000);
            Handshake.client(t, Message.Hello.of(vmId, vm.memory().ramBytes(), diskBytes(), Role.DESKTOP));
            t.send(new Message.Endpoints(pageListener.port(), blockListener == null ? 0 : blockListener.port(),
                    wake.mac(), wake.port()));
            t.send(new Message.Descriptor(DescriptorCodec.VERSION, descriptor));
            long sent = System.nanoTime();
            Message reply = t.receive();
            if (reply instanceof Message.Error e) throw new IOException("server refused: " + e.message());
            if (!(reply instanceof Message.Ack)) throw new IOException("server answered " + reply + " instead of Ack");
            consolidationMillis = (System.nanoTime() - t0) / 1_000_000;
            descriptorBytes = descriptor.length;
            session = t;
            reintegration = new CompletableFuture<>();
            state = DesktopState.REMOTE;
            Transport s = t;
            Thread.ofVirtual().name("desktop-session-" + vmId).start(() -> readSession(s));
            LOG.info("VM {} consolidated to {} in {} ms ({} byte descriptor; pause {} ms, capture {} ms, connect and send {} ms,"
                    + " server {} ms)", vmId, server, consolidationMillis, descriptor.length, (paused - t0) / 1_000_000,
                    (captured - paused) / 1_000_000, (sent - captured) / 1_000_000, (System.nanoTime() - sent) / 1_000_000);
            return consolidationMillis;
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (t != null) t.close();
            state = DesktopState.LOCAL;
            vm.resume();
            throw new MigrationException("consolidation of " + vmId + " to " + server + " failed (" + e.getMessage()
                    + "); the guest runs on the desktop again", e);
        }
    }

    /**
     * Asks the server to send the VM home and returns once it runs here again. If the server is
     * gone, the guest resumes from the residue (the state at consolidation).
     */
    public MigrationReport reintegrate(Duration timeout) throws MigrationException {
        CompletableFuture<MigrationReport> done;
        synchronized (this) {
            if (state != DesktopState.REMOTE) throw new MigrationException("VM " + vmId + " is " + state + ", not REMOTE");
            state = DesktopState.REINTEGRATING;
            reintegrationStart = System.nanoTime();
            done = reintegration;
            try {
                session.send(new Message.ReintegrateRequest());
            } catch (IOException e) {
                resumeFromResidue("cannot reach the server: " + e.getMessage());
                throw new MigrationException("server unreachable; VM " + vmId + " resumed from its residue", e);
            }
        }
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new MigrationException("reintegration of " + vmId + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new MigrationException("reintegration of " + vmId + " did not finish in " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted");
        }
    }

    /**
     * Tells the server this desktop is about to microsleep ({@code asleep}) or has woken (§3.3), so
     * that its remoteWakeup wakes the desktop before asking it for state rather than after a
     * timeout. Returns false if the VM is not on a server (nothing to tell) or the server is gone.
     */
    public boolean announceMicrosleep(boolean asleep) {
        Transport t;
        synchronized (this) {
            if (state != DesktopState.REMOTE || session == null) return false;
            t = session;
        }
        try {
            t.send(new Message.Microsleep(asleep));
            return true;
        } catch (IOException e) {
            LOG.warn("VM {}: could not tell the server about the microsleep: {}", vmId, e.getMessage());
            return false;
        }
    }

    /** Reads what the server sends while the VM is away; applies a reintegration only once all of it arrived. */
    private void readSession(Transport t) {
        byte[] descriptor = null;
        List<Message.Chunk> pages = new ArrayList<>();
        List<Message.Chunk> blocks = new ArrayList<>();
        try {
            while (true) {
                Message m = t.receive();
                switch (m) {
                    case Message.Descriptor d -> descriptor = d.bytes();
                    case Message.DirtyPages d -> pages.addAll(d.pages());
                    case Message.DirtyBlocks d -> blocks.addAll(d.blocks());
                    case Message.ServerStats s -> serverStats = s;
                    case Message.ReintegrateDone d -> {
                        if (descriptor == null || d.pages() != pages.size() || d.blocks() != blocks.size()) {
                            throw new IOException("incomplete reintegration: server counted " + d.pages() + " pages and "
                                    + d.blocks() + " blocks, received " + pages.size() + " and " + blocks.size()
                                    + (descriptor == null ? " and no descriptor" : ""));
                        }
                        var report = apply(DescriptorCodec.decode(descriptor), pages, blocks);
                        t.send(new Message.Ack(0));
                        t.close();
                        reintegration.complete(report);
                        return;
                    }
                    case Message.Error e -> throw new IOException("server error: " + e.message());
                    default -> throw new IOException("unexpected " + m + " from the server");
                }
            }
        } catch (EOFException e) {
            resumeFromResidue("the server closed the connection");
        } catch (IOException | DescriptorException | RuntimeException e) {
            resumeFromResidue(e.getMessage());
        }
    }

    private synchronized void resumeFromResidue(String why) {
        if (state == DesktopState.LOCAL) return;
        LOG.warn("VM {}: {}; resuming it from the residue (its state at consolidation)", vmId, why);
        if (session != null) session.close();
        state = DesktopState.LOCAL;
        vm.resume();
        if (reintegration != null) reintegration.completeExceptionally(new IOException(why + "; resumed from the residue"));
        onResumedFromResidue.run();
    }

    private synchronized MigrationReport apply(MachineState remote, List<Message.Chunk> pages, List<Message.Chunk> blocks)
            throws IOException {
        var ram = vm.ram().segment();
        for (var c : pages) {
            var dst = ram.asSlice(c.number() * 4096, 4096);
            if (c.isZero()) dst.fill((byte) 0);
            else MemorySegment.copy(c.data(), 0, dst, JAVA_BYTE, 0, 4096);
        }
        if (!blocks.isEmpty()) {
            try (var f = new RandomAccessFile(diskImage.toFile(), "rw")) {
                long size = f.length();
                for (var c : blocks) {
                    // The last block of an image that is not a whole number of blocks is partly beyond it.
                    int n = (int) Math.min(4096, size - c.number() * 4096);
                    if (n <= 0) throw new IOException("dirty block " + c.number() + " lies beyond the " + size + "-byte disk");
                    f.seek(c.number() * 4096);
                    f.write(c.isZero() ? new byte[4096] : c.data(), 0, n);
                }
                f.getFD().sync();
            }
        }
        vm.applyState(remote);
        vm.resume();
        long reintegrationMillis = (System.nanoTime() - reintegrationStart) / 1_000_000;
        state = DesktopState.LOCAL;
        session = null;
        var s = serverStats;
        var ps = pageServer.stats();
        var report = new MigrationReport(vmId, descriptorBytes, consolidationMillis, reintegrationMillis,
                s == null ? ps.pages() : s.demandPages(), s == null ? ps.zeroPages() : s.zeroPages(),
                s == null ? 0 : s.prefetchedPages(), s == null ? 0 : s.blocksFetched(), pages.size(), blocks.size(),
                s == null ? 0 : s.faultP50Nanos() / 1000.0, s == null ? 0 : s.faultP99Nanos() / 1000.0,
                s == null ? 0 : s.rssBytes());
        LOG.info("VM {} reintegrated in {} ms: {} dirty pages, {} dirty blocks", vmId, reintegrationMillis, pages.size(), blocks.size());
        return report;
    }

    private long diskBytes() {
        return diskImage == null ? 0 : diskImage.toFile().length();
    }

    @Override
    public void close() {
        if (session != null) session.close();
        pageListener.close();
        if (blockListener != null) blockListener.close();
    }
}
