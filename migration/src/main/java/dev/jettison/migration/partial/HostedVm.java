package dev.jettison.migration.partial;

import dev.jettison.migration.cownetdisk.CowNetDisk;
import dev.jettison.migration.memtap.DesktopWaker;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.memtap.FaultTrace;
import dev.jettison.migration.memtap.HoardStore;
import dev.jettison.migration.memtap.RemoteWakeup;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.SilenceWatchdog;
import dev.jettison.migration.wire.Transport;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeoutException;

/**
 * One partial VM on the consolidation server, in one consolidation epoch, and its control
 * channel to its desktop. It is {@link State#RUNNING} while the desktop is reachable; when the
 * channel is lost it is {@link State#FENCED} (paused, so that it never runs while its desktop may
 * have resumed its own copy) until the desktop re-attaches or releases it; once the desktop asks
 * for it back it is {@link State#GOING_HOME} (paused for good) until the desktop confirms it has
 * applied the state. Only then, or on a release, does the server forget it.
 */
final class HostedVm implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostedVm.class);

    enum State { RUNNING, FENCED, GOING_HOME }

    /** What a control channel's life ended with. */
    enum Outcome { HOME, LOST }

    final String vmId;
    final SessionId session;
    final Path epochDir;
    final VirtualMachine vm;
    final FaultHandler memtap;
    final CowNetDisk disk;
    final HoardStore hoard;
    final RemoteWakeup wakeup;
    private final DesktopWaker packets;
    private final FaultTrace trace;
    private final ServerSettings settings;
    final DesktopAddress desktop;
    /** Pages dirtied since consolidation: KVM's log is cleared by each read, a retried reintegration needs all. */
    private final BitSet dirty = new BitSet();
    private State state = State.RUNNING;
    private Transport control;
    private long pingSeq;

    HostedVm(String vmId, SessionId session, Path epochDir, VirtualMachine vm, FaultHandler memtap, CowNetDisk disk,
             HoardStore hoard, RemoteWakeup wakeup, DesktopWaker packets, FaultTrace trace, DesktopAddress desktop,
             ServerSettings settings) {
        this.desktop = desktop;
        this.vmId = vmId;
        this.session = session;
        this.epochDir = epochDir;
        this.vm = vm;
        this.memtap = memtap;
        this.disk = disk;
        this.hoard = hoard;
        this.wakeup = wakeup;
        this.packets = packets;
        this.trace = trace;
        this.settings = settings;
    }

    synchronized State state() { return state; }

    /**
     * Serves {@code t} as this VM's control channel until the VM has gone home or the channel is
     * lost; a channel already open is dropped (the desktop re-attached on a new one). A fenced VM
     * runs again.
     */
    Outcome control(Transport t) throws IOException {
        synchronized (this) {
            if (control != null && control != t) control.close();
            control = t;
            if (state == State.FENCED) {
                vm.resume();
                state = State.RUNNING;
                LOG.info("VM {} (epoch {}): its desktop is back; running again", vmId, session);
            }
        }
        t.readTimeout(Duration.ZERO);
        try (var watchdog = new SilenceWatchdog("control-watch-" + vmId, t, settings.fenceAfter(), this::expectingDesktop)) {
            var heart = Thread.ofVirtual().name("control-ping-" + vmId).start(() -> heartbeat(t));
            try {
                return serveControl(t, watchdog);
            } finally {
                heart.interrupt();
            }
        }
    }

    private Outcome serveControl(Transport t, SilenceWatchdog watchdog) {
        try {
            while (true) {
                Message m = t.receive();
                watchdog.heard();
                switch (m) {
                    case Message.ReintegrateRequest r -> {
                        if (sendHome(t)) return Outcome.HOME;
                        return lost(t, "the desktop did not confirm the reintegration");
                    }
                    case Message.Microsleep sleep -> wakeup.desktopAsleep(sleep.asleep());
                    case Message.Pong p -> { }
                    case Message.Bye b -> { return lost(t, "the desktop said Bye"); }
                    default -> t.send(new Message.Error(Message.Error.UNEXPECTED, "unexpected " + m.getClass().getSimpleName()));
                }
            }
        } catch (EOFException e) {
            return lost(t, "the desktop closed the control connection");
        } catch (IOException | RuntimeException e) {
            return lost(t, watchdog.fired() ? "the desktop was silent for " + settings.fenceAfter().toMillis() + " ms while awake"
                    : "control connection failed: " + e.getMessage());
        }
    }

    /** Silence counts only while the VM runs here and its desktop is awake (a sleeping desktop says nothing). */
    private boolean expectingDesktop() {
        synchronized (this) {
            if (state != State.RUNNING) return false;
        }
        return !wakeup.isDesktopAsleep();
    }

    private void heartbeat(Transport t) {
        try {
            while (true) {
                Thread.sleep(settings.heartbeat());
                long seq;
                synchronized (this) {
                    if (control != t) return;
                    if (state != State.RUNNING || wakeup.isDesktopAsleep()) continue;
                    seq = ++pingSeq;
                }
                t.send(new Message.Ping(seq));
            }
        } catch (InterruptedException e) {
            // The channel's life is over.
        } catch (IOException e) {
            t.close(); // the reader notices and fences the VM
        }
    }

    /** The channel is gone: pause the VM (fence) until its desktop re-attaches or releases it. */
    private Outcome lost(Transport t, String why) {
        synchronized (this) {
            if (control != t) return Outcome.LOST; // a newer channel took over
            control = null;
            if (state == State.RUNNING) {
                state = State.FENCED;
                pause();
            }
            LOG.warn("VM {} (epoch {}): desktop lost ({}); the VM is {} here until its desktop re-attaches or releases it",
                    vmId, session, why, state == State.FENCED ? "paused" : "held, paused, with its state for home,");
        }
        t.close();
        return Outcome.LOST;
    }

    private void pause() {
        try {
            vm.pause(Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            LOG.error("VM {}: vCPUs did not pause in 10 s", vmId);
        }
    }

    /**
     * Reintegration (§3.1): pauses the VM for good, then sends the descriptor, every page dirtied
     * since consolidation and every dirty block, the counts, and waits for the desktop's Ack.
     * Returns whether the desktop confirmed; if not, the VM stays here, paused, to be sent again.
     */
    private boolean sendHome(Transport t) throws IOException {
        synchronized (this) {
            if (state == State.RUNNING) pause();
            state = State.GOING_HOME;
        }
        byte[] descriptor = DescriptorCodec.encode(vm.capture());
        long[] pages;
        synchronized (this) {
            for (long p : vm.takeDirtyPages()) dirty.set((int) p);
            pages = dirty.stream().asLongStream().toArray();
        }
        t.send(new Message.Descriptor(DescriptorCodec.VERSION, descriptor));
        var batches = new DirtyBatches(t);
        var ram = vm.ram().segment();
        for (long p : pages) batches.page(p, ram.asSlice(p * 4096, 4096).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        batches.flush();
        long blocks = 0;
        if (disk != null) {
            disk.flush();
            for (long b : disk.dirtyBlocks()) {
                batches.block(b, disk.readBlock(b));
                blocks++;
            }
            batches.flush();
        }
        var fs = memtap.stats();
        t.send(new Message.ServerStats(fs.demandPages(), fs.prefetchedPages(), fs.zeroPages(),
                disk == null ? 0 : disk.fetchedBlocks(), fs.p50Nanos(), fs.p99Nanos(), residentBytes()));
        t.send(new Message.ReintegrateDone(pages.length, blocks));
        t.readTimeout(settings.messageTimeout());
        Message ack;
        try {
            ack = t.receive();
        } catch (IOException e) {
            LOG.warn("VM {}: no confirmation of the reintegration ({}); keeping it until its desktop asks again or releases it",
                    vmId, e.toString());
            return false;
        }
        if (!(ack instanceof Message.Ack)) {
            LOG.warn("VM {}: desktop answered {} to the reintegration; keeping the VM", vmId, ack);
            return false;
        }
        LOG.info("VM {} sent home: {} dirty pages, {} dirty blocks", vmId, pages.length, blocks);
        return true;
    }

    /** Resident bytes of the VM's RAM mapping: what hosting it really costs this server. */
    long residentBytes() {
        return dev.jettison.sys.Residency.residentBytes(vm.ram().segment());
    }

    /** Asks the desktop to take its VM back (the server is stopping); false if no channel is open. */
    boolean askHome(String reason) {
        Transport t;
        synchronized (this) {
            t = control;
            if (t == null || state != State.RUNNING) return false;
        }
        try {
            t.send(new Message.GoHome(reason));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Transport t;
        synchronized (this) {
            t = control;
            control = null;
        }
        if (t != null) t.close();
        vm.close();
        memtap.close();
        trace.close();
        ConsolidationServer.closeWakeSender(vmId, packets);
        if (disk != null) {
            try {
                disk.close();
            } catch (IOException e) {
                LOG.warn("closing the disk of {}: {}", vmId, e.toString());
            }
        }
    }
}
