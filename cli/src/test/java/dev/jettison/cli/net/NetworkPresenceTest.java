package dev.jettison.cli.net;

import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.memtap.WakePackets;
import dev.jettison.migration.partial.ConsolidationServer;
import dev.jettison.migration.partial.Desktop;
import dev.jettison.migration.partial.DesktopState;
import dev.jettison.migration.partial.ServerSettings;
import dev.jettison.sys.net.Interfaces;
import dev.jettison.sys.net.NetNamespace;
import dev.jettison.sys.net.TapDevice;
import dev.jettison.vmm.Nic;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.devices.virtio.BridgePort;
import dev.jettison.vmm.devices.virtio.TapNetBackend;
import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.kvm.Kvm;
import dev.jettison.vmm.memory.MemoryLayout;
import dev.jettison.vmm.memory.RamBacking;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 10 end to end: the test guest's NIC on the desktop host's bridge, a client host holding
 * one TCP connection to the guest's echo service and sending a message every 100 ms, through
 * three consolidate/reintegrate cycles of the real Desktop and ConsolidationServer (the server
 * plugs the VM into its own host's bridge). No echo may be lost, reordered or corrupted and the
 * connection must never reset; each move must be announced on the LAN (RARP and gratuitous ARP
 * seen by an observer port on the switch), and the switch must learn the VM's new port.
 */
@Tag("kvm")
class NetworkPresenceTest {
    private static final byte[] MAC = {0x52, 0x54, 0x00, 0x4e, 0x45, 0x54};

    @Test
    void aClientsConnectionSurvivesThreeCycles(@TempDir Path dir) throws Exception {
        var noKvm = Kvm.unavailableReason();
        assumeTrue(noKvm.isEmpty(), () -> "needs KVM: " + noKvm.orElse(""));
        assumeTrue("root".equals(System.getProperty("user.name")), "namespaces, taps and userfaultfd need root");
        try (var top = NetTopology.up(NetTopology.uniqueName("jn"))) {
            String lan = top.name() + "-lan";
            var observer = Observer.on(lan, "lan0", MAC);
            try (observer;
                 var server = ConsolidationServer.start(dir.resolve("server"), FaultHandler.Config.paperDefaults(),
                         new InetSocketAddress("127.0.0.1", 0), WakePackets.NONE, ServerSettings.DEFAULT,
                         (vmId, mac) -> onBridge(top.serverNs()));
                 var vm = VirtualMachine.create(VmConfig.of(TestGuest.bzImage(), 64 * MemoryLayout.MIB)
                         .withCmdline("prog=net net.ip=" + NetTopology.GUEST_IP + "/24"), RamBacking.anonymous(),
                         new Nic(onBridge(top.desktopNs()), MAC));
                 var desktop = new Desktop("net", vm, null, new InetSocketAddress("127.0.0.1", 0))) {
                vm.start();
                vm.console().awaitLine(l -> l.startsWith("JTS:NET UP"), Duration.ofMinutes(1));
                try (var probe = EchoProbe.connect(top.clientNs(), NetTopology.GUEST_IP, 7)) {
                    assertTrue(probe.awaitEchoes(10, 20_000), "echoes at home before any move: " + probe.failure());
                    var rows = new ArrayList<String>();
                    for (int cycle = 1; cycle <= 3; cycle++) {
                        rows.add(move(probe, top, observer, "consolidate " + cycle, "ps",
                                () -> desktop.consolidate(server.address())));
                        assertEquals(DesktopState.REMOTE, desktop.state());
                        rows.add(move(probe, top, observer, "reintegrate " + cycle, "pd",
                                () -> desktop.reintegrate(Duration.ofMinutes(2))));
                        assertEquals(DesktopState.LOCAL, desktop.state());
                    }
                    System.out.println(MoveMeter.Result.header());
                    rows.forEach(System.out::println);
                    assertNull(probe.failure(), "the connection never failed");
                    long sent = probe.sent();
                    assertTrue(probe.awaitEchoes((int) sent - 2, 10_000), "every message came back: " + probe.echoed()
                            + " of " + sent);
                }
            }
        }
    }

    /** One move measured by the client; checks the connection, the announcement and the switch's new port. */
    private static String move(EchoProbe probe, NetTopology top, Observer observer, String what, String newPort,
                               MoveMeter.Move migration) throws Exception {
        int seen = observer.announcements();
        var r = MoveMeter.measure(what, probe, top.clientNs(), NetTopology.GUEST_IP, migration);
        String row = r.row() + String.format("  %d announce frames", observer.announcements() - seen);
        System.out.println(row);
        assertNull(r.failure(), what);
        assertTrue(observer.announcements() - seen >= 2, what + ": RARP and gratuitous ARP reached the switch");
        String fdb = sh(List.of("bridge", "-n", top.name() + "-lan", "fdb", "show", "br", "lan0"));
        String mac = Nic.format(MAC);
        assertTrue(fdb.lines().anyMatch(l -> l.startsWith(mac) && l.contains("dev " + newPort + " ")),
                what + ": the switch learned the VM's new port " + newPort + ":\n" + fdb);
        return row;
    }

    private static TapNetBackend onBridge(String ns) throws java.io.IOException {
        try {
            return NetNamespace.call(ns, () -> BridgePort.open(NetTopology.BRIDGE));
        } catch (Exception e) {
            throw new java.io.IOException("no tap on " + ns + "'s bridge: " + e.getMessage(), e);
        }
    }

    static String sh(List<String> cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), cmd + ": " + out);
        return out;
    }

    /** A tap on the LAN switch that only listens: counts RARP and gratuitous ARP frames from the VM's MAC. */
    private static final class Observer implements AutoCloseable {
        private final TapNetBackend tap;
        private final byte[] mac;
        private int announcements;

        private Observer(TapNetBackend tap, byte[] mac) {
            this.tap = tap;
            this.mac = mac;
        }

        static Observer on(String ns, String bridge, byte[] mac) throws Exception {
            var tap = NetNamespace.call(ns, () -> {
                var t = TapDevice.open("jobs%d");
                Interfaces.addToBridge(bridge, t.name());
                Interfaces.up(t.name());
                return t;
            });
            var o = new Observer(new TapNetBackend(tap), mac);
            o.tap.start(frame -> {
                o.see(frame.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                return true;
            });
            return o;
        }

        private synchronized void see(byte[] f) {
            int eth = 10; // vnet header
            if (f.length < eth + 42) return;
            for (int i = 0; i < 6; i++) if (f[eth + 6 + i] != mac[i]) return;
            int type = ((f[eth + 12] & 0xFF) << 8) | (f[eth + 13] & 0xFF);
            boolean gratuitous = type == 0x0806 && java.util.Arrays.equals(java.util.Arrays.copyOfRange(f, eth + 28, eth + 32),
                    java.util.Arrays.copyOfRange(f, eth + 38, eth + 42));
            if (type == 0x8035 || gratuitous) announcements++;
        }

        synchronized int announcements() { return announcements; }

        @Override
        public void close() { tap.close(); }
    }
}
