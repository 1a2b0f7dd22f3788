package dev.jettison.migration.partial;

import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.memserv.PageServer;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.memtap.FaultTrace;
import dev.jettison.migration.wire.Connector;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.StateSource;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.memory.MemoryLayout;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import dev.jettison.vmm.snapshot.DescriptorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a consolidation server's admission path once at start, on a tiny VM shell that never
 * executes, so that the first real consolidation of the server's life does not pay for loading
 * classes, linking native calls and interpreting cold code while a user's VM is stopped (issue 10:
 * the first one took seconds, later ones tens of ms). Capture, encode, decode, restore with empty
 * RAM, memtap over loopback from a page server, capture and dirty log again: what consolidation and
 * reintegration do, minus the guest.
 */
public final class ServerWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(ServerWarmup.class);
    private static final long SHELL_BYTES = 16 * MemoryLayout.MIB;
    /** Rounds of the whole path: the JIT compiles what runs often, and one round is rarely enough. */
    private static final int ROUNDS = 3;
    private static final java.time.Duration PARK = java.time.Duration.ofSeconds(10);

    private ServerWarmup() {}

    /** Returns the milliseconds it took; a failure costs only the warm-up and is logged. */
    public static long run(FaultHandler.Config config) {
        long t0 = System.nanoTime();
        try {
            runOrThrow(config);
        } catch (IOException | DescriptorException | InterruptedException | java.util.concurrent.TimeoutException
                 | RuntimeException e) {
            LOG.warn("warm-up at start failed ({}); the first consolidation will be slower", e.toString());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("admission path warmed in {} ms", ms);
        return ms;
    }

    /** The warm-up, failing loudly (for tests); every VM, memtap and listener it opened is closed again. */
    static void runOrThrow(FaultHandler.Config config)
            throws IOException, DescriptorException, InterruptedException, java.util.concurrent.TimeoutException {
        try (var shell = VirtualMachine.shell(SHELL_BYTES, 1)) {
            shell.startPaused();
            shell.pause(PARK);
            var residue = new PageServer("warmup", GuestPages.of(shell.memory()));
            try (var listener = residue.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                for (int i = 0; i < ROUNDS; i++) round(shell, residue, listener.port(), config);
            }
        }
    }

    private static void round(VirtualMachine shell, PageServer residue, int port, FaultHandler.Config config)
            throws IOException, DescriptorException, InterruptedException, java.util.concurrent.TimeoutException {
        var epoch = SessionId.random();
        residue.open(epoch);
        var state = DescriptorCodec.decode(DescriptorCodec.encode(shell.capture()));
        // With a console log, as admission restores every VM: its classes and file paths are warmed too.
        Path log = Files.createTempFile("jettison-warmup", ".log");
        try (var vm = VirtualMachine.restore(state, null, null, log, true)) {
            var source = new StateSource("warmup", epoch,
                    Connector.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000), () -> { });
            var memtap = FaultHandler.start(source, GuestPages.of(vm.memory()), config, FaultTrace.NONE);
            try {
                vm.memory().populateWith(memtap::populate);
                vm.devices().populateRings();
                memtap.populate(0, 64);
                vm.startPaused();
                vm.pause(PARK);
                DescriptorCodec.encode(vm.capture());
                vm.takeDirtyPages();
            } finally {
                memtap.close();
            }
        } finally {
            residue.end();
            Files.deleteIfExists(log);
        }
    }
}
