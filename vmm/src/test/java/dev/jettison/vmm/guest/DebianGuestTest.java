package dev.jettison.vmm.guest;

import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.VmExit;
import dev.jettison.vmm.kvm.Kvm;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Debian desktop guest under our VMM: Debian's kernel and our initramfs switch to the
 * debootstrapped disk (root=/dev/vda), whose init starts sshd, cron and the always-on programs
 * and says READY; they are still running after a while, the clock ticking; its checker writes files into RAM and onto the disk and re-reads them all; it
 * powers off cleanly, and the image then checks out from outside (debugfs, no mount).
 */
@Tag("kvm")
@Tag("stock-kernel")
class DebianGuestTest {
    @BeforeEach
    void kvm() { KvmGuests.requireStockKernelHost(); }

    @Test
    void bootsToReadyKeepsWhatItWritesAndLeavesACheckableDisk(@TempDir Path dir) throws Exception {
        long t00 = System.nanoTime();
        var build = DebianGuest.ensureBuilt();
        Path disk = DebianGuest.copyImage(build, dir.resolve("debian.img"));
        System.out.printf("Debian guest found and copied in %.1f s%n", (System.nanoTime() - t00) / 1e9);
        // One vCPU: the emulated KVM host has one CPU, and two-vCPU boots there have stalled
        // (StockLinuxBootTest); the init itself is indifferent to the count.
        var cfg = VmConfig.of(build.kernel(), 512 * MemoryLayout.MIB).withCpus(1).withInitrd(build.initrd())
                .withCmdline(DebianGuest.cmdline(null)).withDisk(disk, false).withConsole(dir.resolve("console.log"), false);
        // Minutes in the emulated KVM host (~30x slower), seconds under hardware virtualization.
        Duration t = Kvm.inEmulatedHost() ? Duration.ofMinutes(6) : Duration.ofMinutes(2);
        try (var vm = VirtualMachine.create(cfg)) {
            long t0 = System.nanoTime();
            vm.start();
            var c = vm.console();
            try {
                String ready = c.awaitLine(l -> l.startsWith(DebianGuest.READY), t);
                System.out.printf("Debian guest READY %.1f s after start%s: %s%n", (System.nanoTime() - t0) / 1e9,
                        Kvm.inEmulatedHost() ? " (emulated KVM host)" : "", ready);
                for (String program : new String[] {"sshd", "cron", "fetchmail", "chat", "clock"}) {
                    assertTrue(ready.contains(" " + program + "=ok"), program + " did not start: " + ready);
                }
                assertTrue(ready.contains(" cpus=1 "), ready);
                long w0 = System.nanoTime();
                vm.sendConsoleLine("write t1 24 32");
                assertEquals("JTS-DEBIAN:WROTE tag=t1 files=24 kib=32 ram=/dev/shm/jettison-check disk=/var/lib/jettison-check",
                        c.awaitLine(l -> l.startsWith(DebianGuest.WROTE), t));
                vm.sendConsoleLine("verify");
                assertEquals("JTS-DEBIAN:CHECK files=48 bad=0", c.awaitLine(l -> l.startsWith(DebianGuest.CHECK), t));
                System.out.printf("write and verify of 2 x 24 files of 32 KiB: %.1f s%n", (System.nanoTime() - w0) / 1e9);
                vm.sendConsoleLine("status");
                String status = c.awaitLine(l -> l.startsWith(DebianGuest.STATUS), t);
                assertTrue(status.contains(" running=sshd,cron,fetchmail,chat,clock missing= "), status);
                assertTrue(status.matches(".* clock=\\d\\d:\\d\\d:\\d\\d"), "the clock has not ticked: " + status);
                vm.sendConsoleLine("poweroff");
                var exit = vm.awaitExit(t);
                assertInstanceOf(VmExit.PowerOff.class, exit, exit.toString());
                assertTrue(c.lines().contains("JTS-DEBIAN:POWEROFF"), "the init did not report its power-off");
            } catch (TimeoutException e) {
                var lines = c.lines();
                throw new AssertionError("timed out; console tail:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
                        + "\nvCPUs:\n" + vm.diagnose(), e);
            }
        }
        var r = DebianImageCheck.check(disk);
        assertEquals(24, r.files(), r.toString());
        assertTrue(r.ok(), r.toString());
        assertTrue(Files.size(build.image()) == Files.size(disk), "the copy has the image's size");
    }
}
