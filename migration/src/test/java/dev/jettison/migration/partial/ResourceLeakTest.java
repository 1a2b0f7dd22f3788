package dev.jettison.migration.partial;

import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that lives for months sees thousands of consolidations: a hundred of them, with a
 * hundred refused admissions among them, leave its file descriptors and threads where they were.
 */
@Tag("kvm")
class ResourceLeakTest {
    @BeforeEach
    void kvm() {
        KvmGuests.require();
    }

    @Test
    void aHundredConsolidationsAndRefusalsLeaveFdsAndThreadsFlat(@TempDir Path dir) throws Exception {
        var cfg = VmConfig.of(TestGuest.bzImage(), 32 * MemoryLayout.MIB).withCmdline("prog=idle idle.warm_mib=1");
        try (var server = ConsolidationServer.start(dir.resolve("server"), FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0));
             var vm = VirtualMachine.create(cfg);
             var desktop = new Desktop("leak", vm, null, new InetSocketAddress("127.0.0.1", 0))) {
            vm.start();
            vm.console().awaitLine(l -> l.startsWith("JTS:IDLE READY"), Duration.ofMinutes(2));
            cycle(desktop, server); // warm-up: pools and the JIT settle
            Thread.sleep(500);
            long fds = BoundedPeersTest.openFds(), threads = BoundedPeersTest.nativeThreads();
            for (int i = 0; i < 100; i++) {
                cycle(desktop, server);
                refuse(server, i);
            }
            Thread.sleep(1000);
            long fdsAfter = BoundedPeersTest.openFds(), threadsAfter = BoundedPeersTest.nativeThreads();
            System.out.printf("100 consolidations + 100 refusals: fds %d -> %d, threads %d -> %d%n", fds, fdsAfter, threads,
                    threadsAfter);
            assertTrue(fdsAfter <= fds + 4, "file descriptors " + fds + " -> " + fdsAfter);
            assertTrue(threadsAfter <= threads + 4, "threads " + threads + " -> " + threadsAfter);
            assertEquals(0, server.hostedCount());
        }
    }

    private static void cycle(Desktop desktop, ConsolidationServer server) throws Exception {
        desktop.consolidate(server.address());
        desktop.reintegrate(Duration.ofMinutes(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.hostedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(0, server.hostedCount(), "the server forgot the VM once it was home");
    }

    private static void refuse(ConsolidationServer server, int i) throws Exception {
        try (var t = dev.jettison.migration.wire.TcpTransport.connect(server.address(), 2000)) {
            dev.jettison.migration.wire.Handshake.client(t, dev.jettison.migration.wire.Message.Hello.of("refused-" + i,
                    dev.jettison.migration.wire.SessionId.random(), 32 * MemoryLayout.MIB, 0, dev.jettison.migration.wire.Role.DESKTOP));
            t.send(new dev.jettison.migration.wire.Message.Endpoints(1, 0));
            t.send(new dev.jettison.migration.wire.Message.Descriptor(1, new byte[64]));
            assertTrue(t.receive() instanceof dev.jettison.migration.wire.Message.Error);
        }
    }
}
