package dev.jettison.agent.desktop;

import dev.jettison.agent.power.PowerState;
import dev.jettison.agent.power.WakeSource;
import dev.jettison.agent.wol.MacAddress;
import dev.jettison.agent.wol.WakeOnLanPackets;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.partial.ConsolidationServer;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.kvm.Kvm;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 4 end to end under KVM: a guest whose timers read memory like an idle desktop's (each
 * block checked as read) is consolidated from a desktop with emulated S3; the desktop microsleeps
 * between fault bursts, the server wakes it with real magic packets on loopback, every page the
 * guest reads on the server verifies, the whole pattern verifies once home, and the energy
 * accounting's state times add up to the time away.
 *
 * <p>Time scale {@value #SCALE}: the guest's timers and the profile's transitions (Table 1: 8.38 s
 * suspend, 8.58 s resume) both run {@value #SCALE} times faster, so a minute of the desktop's life
 * passes in {@value #SCALE_SECONDS} wall seconds and t_b = 32.22 s becomes 1.6 s.
 */
@Tag("kvm")
class EnergyEndToEndTest {
    static final int SCALE = 20;
    static final int SCALE_SECONDS = 3;
    static final MacAddress MAC = MacAddress.parse("52:54:00:4a:54:53");

    @BeforeEach
    void kvm() {
        var reason = Kvm.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "needs KVM: " + reason.orElse(""));
        assumeTrue("root".equals(System.getProperty("user.name")), "userfaultfd needs root here");
    }

    @Test
    void theDesktopMicrosleepsIsWokenByMagicPacketsAndLosesNothing(@TempDir Path dir) throws Exception {
        var cfg = VmConfig.of(TestGuest.bzImage(), 256 * MemoryLayout.MIB)
                .withCmdline("prog=pattern pattern.mem_mib=16 pattern.seed=21 pattern.timers=" + SCALE + " pattern.spots=4");
        var loopback = new InetSocketAddress("127.0.0.1", 0);
        var settings = new DesktopAgent.Settings(PowerProfile.TABLE_1, SCALE, DesktopAgent.Settings.PAPER_WAIT_MILLIS);
        try (var server = ConsolidationServer.start(dir.resolve("server"), FaultHandler.Config.paperDefaults(), loopback,
                new WakeOnLanPackets(null, WakeOnLanPackets.DEFAULT_PORT));
             var vm = VirtualMachine.create(cfg);
             var agent = DesktopAgent.emulated("energy", vm, null, loopback, settings, MAC, loopback)) {
            vm.start();
            vm.console().awaitLine(l -> l.startsWith("JTS:PATTERN WROTE"), Duration.ofMinutes(2));
            agent.consolidate(server.address());
            var remote = server.vm("energy").console();
            int from = remote.lineCount();

            // Away until the desktop has slept a few times, been woken by the server at least twice,
            // and the guest has had three minute bursts there.
            long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
            while (System.nanoTime() < deadline) {
                var e = agent.energySoFar();
                long bursts = remote.lines().subList(from, remote.lineCount()).stream()
                        .filter(l -> l.startsWith("JTS:PATTERN T60")).count();
                if (e.microsleeps() >= 3 && e.wakeups(WakeSource.MAGIC_PACKET) >= 2 && bursts >= 3) break;
                Thread.sleep(1000);
            }
            var report = agent.reintegrate(Duration.ofMinutes(2));
            System.out.println(report.summary());
            var energy = report.energy();
            assertEquals(PowerState.AWAKE, agent.powerState());
            assertTrue(energy.microsleeps() >= 3, "microsleeps: " + energy.microsleeps());
            assertTrue(energy.wakeups(WakeSource.MAGIC_PACKET) >= 2, "woken by the server's magic packets: " + energy.wakeups());
            assertTrue(energy.wakeups(WakeSource.LOCAL) <= 1, "only the reintegration wakes the desktop locally: " + energy.wakeups());
            assertTrue(report.requestsWhileAsleep() >= 1, "requests waited for the desktop to resume");
            Duration sum = Duration.ZERO;
            for (PowerState s : PowerState.values()) sum = sum.plus(energy.timeIn(s));
            assertEquals(energy.wall(), sum, "time in the four states adds up to the time away");

            // Every block the guest read on the server was right, and the bursts kept coming.
            var lines = remote.lines().subList(from, remote.lineCount());
            var bursts = lines.stream().filter(l -> l.startsWith("JTS:PATTERN T60")).toList();
            assertTrue(bursts.size() >= 3, "minute bursts on the server: " + bursts.size());
            for (String b : bursts) assertTrue(b.endsWith(" read_bad=0"), b);

            // Home again: the whole pattern verifies.
            int here = vm.console().lineCount();
            vm.sendConsoleLine("verify");
            String v = vm.console().awaitLine(here, l -> l.startsWith("JTS:PATTERN VERIFY"), Duration.ofMinutes(2));
            assertTrue(v.contains("mem_bad=0") && v.contains("result=ok"), v);
        }
    }
}
