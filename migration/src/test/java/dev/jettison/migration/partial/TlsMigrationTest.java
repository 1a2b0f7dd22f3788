package dev.jettison.migration.partial;

import dev.jettison.core.pattern.DiskPatternCheck;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.memtap.WakePackets;
import dev.jettison.migration.tls.MutualTls;
import dev.jettison.migration.tls.TestSite;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.ServiceGate;
import dev.jettison.migration.wire.TcpTransport;
import dev.jettison.migration.wire.Transport;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.VmExit;
import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Partial migration over mutual TLS under KVM: a desktop refuses a "server" that holds a desktop's
 * certificate; the real server takes the VM; while it runs there, a peer with no certificate,
 * another CA's, a revoked one, an expired one, another desktop's and the server's own each try to
 * make the server forget it (a Release for its epoch) and are refused, and the VM runs on
 * untouched; it comes home twice and every byte of memory and disk verifies.
 */
@Tag("kvm")
class TlsMigrationTest {
    private static final Pattern VERIFY = Pattern.compile("mem_bad=(\\d+) disk_bad=(\\d+) .*result=(\\w+)");
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final String VM = "alice-vm";

    @BeforeEach
    void kvm() {
        KvmGuests.require();
    }

    @Test
    void consolidatesAndReintegratesOverTlsAndRefusesEveryoneElse(@TempDir Path dir) throws Exception {
        var site = TestSite.create(dir.resolve("site"));
        var stranger = TestSite.create(dir.resolve("stranger"));
        Path disk = dir.resolve("disk.img");
        try (var f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(32 * MemoryLayout.MIB);
        }
        var cfg = VmConfig.of(TestGuest.bzImage(), 128 * MemoryLayout.MIB)
                .withCmdline("prog=pattern pattern.mem_mib=16 pattern.disk_mib=8 pattern.seed=21 pattern.rate=100")
                .withDisk(disk, false);
        long ram = 128 * MemoryLayout.MIB;
        try (var server = ConsolidationServer.start(dir.resolve("server"), FaultHandler.Config.paperDefaults(), LOOPBACK,
                WakePackets.NONE, ServerSettings.DEFAULT.withSecurity(site.server()));
             var rogue = ConsolidationServer.start(dir.resolve("rogue"), FaultHandler.Config.paperDefaults(), LOOPBACK,
                     WakePackets.NONE, ServerSettings.DEFAULT.withSecurity(site.mallory()));
             var vm = VirtualMachine.create(cfg);
             var desktop = new Desktop(VM, vm, disk, LOOPBACK, Desktop.Wake.NEVER, () -> { }, ServiceGate.OPEN,
                     DesktopSettings.DEFAULT.withSecurity(site.alice()), null)) {
            vm.start();
            vm.console().awaitLine(l -> l.startsWith("JTS:PATTERN WROTE"), Duration.ofMinutes(2));

            // A desktop's certificate cannot act as a consolidation server: the VM stays home.
            var e = assertThrows(MigrationException.class, () -> desktop.consolidate(rogue.address()));
            assertTrue(e.getMessage().contains("is not a server"), e.getMessage());
            assertEquals(DesktopState.LOCAL, desktop.state());
            assertEquals(0, rogue.hostedCount());

            var expired = site.desktop("alice-old", VM, Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
            var revoked = site.desktop("alice-lost", VM, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
            site.ca().revoke("alice-lost");

            for (int cycle = 0; cycle < 2; cycle++) {
                desktop.consolidate(server.address());
                assertEquals(DesktopState.REMOTE, desktop.state());
                var remote = server.vm(VM);
                int from = remote.console().lineCount();
                remote.console().awaitLine(from, l -> l.startsWith("JTS:PATTERN EPOCH"), Duration.ofSeconds(60));

                var release = Message.Hello.of(VM, desktop.session(), ram, disk.toFile().length(), Role.DESKTOP);
                assertReleaseRefused(server, null, release);
                assertReleaseRefused(server, stranger.alice(), release);
                assertReleaseRefused(server, revoked, release);
                assertReleaseRefused(server, expired, release);
                assertReleaseRefused(server, site.mallory(), release);
                assertReleaseRefused(server, site.server(), release);
                assertEquals("RUNNING", server.state(VM), "no refused peer touched the VM");
                int now = remote.console().lineCount();
                remote.console().awaitLine(now, l -> l.startsWith("JTS:PATTERN EPOCH"), Duration.ofSeconds(60));

                var report = desktop.reintegrate(Duration.ofMinutes(2));
                assertEquals(DesktopState.LOCAL, desktop.state());
                assertTrue(report.dirtyPagesBack() > 0, "the guest wrote on the server: " + report.summary());
                assertTrue(report.pagesFetched() > 0, "memserv served pages over TLS: " + report.summary());
            }
            int from = vm.console().lineCount();
            vm.sendConsoleLine("verify");
            String v = vm.console().awaitLine(from, l -> l.startsWith("JTS:PATTERN VERIFY"), Duration.ofMinutes(2));
            var m = VERIFY.matcher(v);
            assertTrue(m.find(), v);
            assertEquals("0", m.group(1), v);
            assertEquals("0", m.group(2), v);
            vm.sendConsoleLine("halt");
            assertEquals(new VmExit.PowerOff(1), vm.awaitExit(Duration.ofMinutes(1)));
        }
        assertEquals(0, DiskPatternCheck.check(disk).badBytes());
    }

    /**
     * {@code as} (null: plaintext, no certificate) asks the server to forget the VM of {@code hello}'s
     * epoch: it must get no Ack, and any refusal it reads must name no VM.
     */
    private static void assertReleaseRefused(ConsolidationServer server, MutualTls as, Message.Hello hello) {
        var e = assertThrows(IOException.class, () -> {
            try (Transport t = as == null ? TcpTransport.connect(server.address(), 2000) : as.connect(server.address(), 2000)) {
                t.readTimeout(Duration.ofSeconds(10));
                Handshake.client(t, hello);
                t.send(new Message.Release());
                fail("the server answered " + t.receive() + " to " + (as == null ? "a plaintext peer" : as));
            }
        }, String.valueOf(as));
        assertFalse(String.valueOf(e.getMessage()).contains("\"" + VM), e.getMessage());
        assertEquals("RUNNING", server.state(VM), "refused " + as + " and the VM runs on");
    }
}
