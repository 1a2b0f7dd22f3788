package dev.jettison.migration.partial;

import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.memtap.WakePackets;
import dev.jettison.vmm.Nic;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.devices.virtio.Announcement;
import dev.jettison.vmm.devices.virtio.InMemoryNetBackend;
import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.memory.MemoryLayout;
import dev.jettison.vmm.memory.RamBacking;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VM's network card across partial migration, with in-memory networks on both sides: its MAC,
 * queues and learned address travel in the descriptor both ways, each side announces the VM as it
 * resumes, and a server with no network for the card refuses the VM, which keeps running at home.
 */
@Tag("kvm")
class NicMigrationTest {
    private static final byte[] MAC = {0x52, 0x54, 0x00, 0x6e, 0x69, 0x63};
    private static final int GUEST_IP = 0x0A00020F;

    @BeforeEach
    void kvm() {
        KvmGuests.require();
    }

    private static VmConfig netGuest() throws Exception {
        return VmConfig.of(TestGuest.bzImage(), 64 * MemoryLayout.MIB).withCmdline("prog=net net.ip=10.0.2.15/24");
    }

    @Test
    void theCardTravelsBothWaysAndEachSideAnnouncesTheVm(@TempDir Path dir) throws Exception {
        var home = new InMemoryNetBackend();
        var away = new InMemoryNetBackend();
        NicPlug plug = (vmId, mac) -> {
            assertArrayEquals(MAC, mac, "the server builds the card with the VM's own MAC");
            return away;
        };
        try (var server = ConsolidationServer.start(dir.resolve("server"), FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0), WakePackets.NONE, ServerSettings.DEFAULT, plug);
             var vm = VirtualMachine.create(netGuest(), RamBacking.anonymous(), new Nic(home, MAC));
             var desktop = new Desktop("nic", vm, null, new InetSocketAddress("127.0.0.1", 0))) {
            vm.start();
            vm.console().awaitLine(l -> l.startsWith("JTS:NET UP"), Duration.ofMinutes(1));
            // The stack's own gratuitous ARP at start teaches the NIC the guest's address.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (vm.nic().orElseThrow().guestIp() == 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(GUEST_IP, vm.nic().orElseThrow().guestIp());

            for (int cycle = 1; cycle <= 2; cycle++) {
                away.sent().clear();
                desktop.consolidate(server.address());
                var remote = server.vm("nic");
                assertEquals(GUEST_IP, remote.nic().orElseThrow().guestIp(), "the learned address came in the descriptor");
                assertAnnounced(away.sent(), "on the server, cycle " + cycle);
                home.inject(new byte[10 + 60]); // reaches the desktop's port while the VM is away: dropped, not kept
                assertEquals(0, home.waitingCount());
                assertTrue(vm.nic().orElseThrow().discardedFrames() >= 1);

                home.sent().clear();
                desktop.reintegrate(Duration.ofMinutes(1));
                assertAnnounced(home.sent(), "at home, cycle " + cycle);
                int from = vm.console().lineCount();
                vm.sendConsoleLine("status");
                String stats = vm.console().awaitLine(from, l -> l.startsWith("JTS:NET STATS"), Duration.ofSeconds(30));
                assertTrue(stats.contains("rx_frames="), stats);
            }
        }
    }

    @Test
    void aServerWithoutANetworkRefusesTheVmWhichKeepsRunningAtHome(@TempDir Path dir) throws Exception {
        var home = new InMemoryNetBackend();
        try (var server = ConsolidationServer.start(dir.resolve("server"), FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0));
             var vm = VirtualMachine.create(netGuest(), RamBacking.anonymous(), new Nic(home, MAC));
             var desktop = new Desktop("nonet", vm, null, new InetSocketAddress("127.0.0.1", 0))) {
            vm.start();
            vm.console().awaitLine(l -> l.startsWith("JTS:NET UP"), Duration.ofMinutes(1));
            var e = assertThrows(MigrationException.class, () -> desktop.consolidate(server.address()));
            assertTrue(e.getMessage().contains("has a network card and this server has no network for it"), e.getMessage());
            assertTrue(e.getMessage().contains("--bridge"), e.getMessage());
            assertEquals(DesktopState.LOCAL, desktop.state());
            assertFalse(vm.vcpus().isPaused());
            assertEquals(0, server.hostedCount());
            int from = vm.console().lineCount();
            vm.sendConsoleLine("status");
            vm.console().awaitLine(from, l -> l.startsWith("JTS:NET STATS"), Duration.ofSeconds(30));
        }
    }

    /** A RARP from the VM's MAC, and a gratuitous ARP for its address, within the first second. */
    private static void assertAnnounced(BlockingQueue<byte[]> sent, String where) throws InterruptedException {
        boolean rarp = false, garp = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!(rarp && garp) && System.nanoTime() < deadline) {
            byte[] f = sent.poll(100, TimeUnit.MILLISECONDS);
            if (f == null) continue;
            rarp |= Arrays.equals(f, Announcement.rarp(MAC));
            garp |= Arrays.equals(f, Announcement.garp(MAC, GUEST_IP));
        }
        assertTrue(rarp, "RARP " + where);
        assertTrue(garp, "gratuitous ARP " + where);
    }
}
