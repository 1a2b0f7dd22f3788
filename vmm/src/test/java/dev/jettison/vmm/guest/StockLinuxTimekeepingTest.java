package dev.jettison.vmm.guest;

import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.VmExit;
import dev.jettison.vmm.devices.serial.LineCollector;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's stock kernel keeps time under our VMM as under QEMU {@code -accel kvm -cpu host}: its
 * init (guest/linux/init, jettison.action=sleeploop) sleeps one second at a time for over a
 * minute and prints its uptime after each sleep; the uptime must follow the host's wall clock.
 * Before the VMM offered the TSC-deadline timer the kernel fell back to the PIT and its first
 * {@code sleep 1} never returned. QEMU runs the same kernel, initramfs and check as the reference,
 * so a failure here can be told apart from a slow host. Poweroff and reboot end the VM.
 */
@Tag("kvm")
@Tag("stock-kernel")
class StockLinuxTimekeepingTest {
    /** Guest seconds slept: at least the minute the check asks for, plus a margin. */
    private static final int SECONDS = 65;
    /** How far uptime may drift from wall time: 5 %, in the emulated host too. */
    private static final double TOLERANCE = 0.05;
    private static final String BASE_CMDLINE = "console=ttyS0 acpi=off reboot=k panic=-1";
    private static final Duration BOOT = Duration.ofMinutes(5);

    /** One uptime line: sleep number, the guest's uptime, and the host's monotonic clock when it arrived. */
    record Tick(int n, double uptime, long wallNanos) {
        static Tick parse(String line, long wallNanos) {
            String[] f = line.substring(line.indexOf("JTS-LINUX:UPTIME")).split(" ");
            return new Tick(Integer.parseInt(f[1]), Double.parseDouble(f[2]), wallNanos);
        }
    }

    @BeforeEach
    void kvm() { KvmGuests.requireStockKernelHost(); }

    @Test
    void uptimeFollowsWallTimeForAMinuteThenPoweroffEndsTheVm(@TempDir Path dir) throws Exception {
        Path linux = LinuxGuest.ensureBuilt();
        try (var vm = VirtualMachine.create(config(linux, dir, "sleeploop jettison.seconds=" + SECONDS + " jettison.then=poweroff"))) {
            vm.start();
            var c = vm.console();
            try {
                String clock = c.awaitLine(l -> l.startsWith("JTS-LINUX:CLOCK"), BOOT);
                assertEquals("JTS-LINUX:CLOCK source=kvm-clock event=lapic-deadline", clock,
                        "the clocks QEMU -cpu host gives the same kernel");
                var ticks = new ArrayList<Tick>();
                int from = 0;
                for (int n = 0; n <= SECONDS; n++) {
                    String line = c.awaitLine(from, l -> l.startsWith("JTS-LINUX:UPTIME"), Duration.ofSeconds(30));
                    ticks.add(Tick.parse(line, System.nanoTime()));
                    from = c.lines().indexOf(line) + 1;
                }
                assertFollowsWallTime("our VMM", ticks);
                c.awaitLine(l -> l.equals("JTS-LINUX:POWEROFF"), Duration.ofSeconds(30));
            } catch (TimeoutException e) {
                throw stalled(vm, e);
            }
            assertEquals(VmExit.PowerOff.halted(), vm.awaitExit(Duration.ofMinutes(1)),
                    "poweroff without ACPI halts every vCPU, which ends the VM as powered off");
            var log = String.join("\n", vm.console().lines());
            assertTrue(log.contains("TSC deadline timer available"), "the kernel saw the TSC-deadline timer");
            assertTrue(!log.contains("APIC timer disabled"), "the LAPIC timer is in use");
            assertTrue(log.contains("smpboot: Total of 2 processors activated"), "both vCPUs run");
            assertTrue(log.contains("x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT"),
                    "MTRRs on at entry, so the kernel sets up PAT with write-combining, as after SeaBIOS under QEMU");
        }
    }

    @Test
    void rebootEndsTheVmWithAReset(@TempDir Path dir) throws Exception {
        Path linux = LinuxGuest.ensureBuilt();
        try (var vm = VirtualMachine.create(config(linux, dir, "reboot"))) {
            vm.start();
            try {
                vm.console().awaitLine(l -> l.equals("JTS-LINUX:REBOOT"), BOOT);
            } catch (TimeoutException e) {
                throw stalled(vm, e);
            }
            var exit = vm.awaitExit(Duration.ofMinutes(1));
            assertEquals("i8042 reset", assertInstanceOf(VmExit.Reset.class, exit, "reboot=k pulses the i8042 reset line").why());
        }
    }

    /** The reference half: the same kernel, initramfs and check under QEMU with KVM in the same host. */
    @Test
    void uptimeFollowsWallTimeUnderQemuToo(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 is not installed");
        Path linux = LinuxGuest.ensureBuilt();
        // Without ACPI QEMU cannot power off either (the kernel halts): the reference reboots, and
        // -no-reboot turns that into QEMU's exit.
        var p = new ProcessBuilder("/usr/bin/qemu-system-x86_64", "-accel", "kvm", "-cpu", "host", "-smp", "2",
                "-m", "256", "-kernel", linux.resolve(LinuxGuest.KERNEL).toString(),
                "-initrd", linux.resolve(LinuxGuest.INITRD).toString(),
                "-append", BASE_CMDLINE + " jettison.action=sleeploop jettison.seconds=" + SECONDS + " jettison.then=reboot",
                "-display", "none", "-serial", "stdio", "-monitor", "none", "-nic", "none", "-no-reboot")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        var lines = new LineCollector();
        var ticks = new ArrayList<Tick>();
        var reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    if (l.contains("JTS-LINUX:UPTIME")) {
                        synchronized (ticks) { ticks.add(Tick.parse(l, System.nanoTime())); }
                    }
                    for (byte b : (l + "\n").getBytes(StandardCharsets.UTF_8)) lines.accept(b);
                }
            } catch (java.io.IOException e) {
                // QEMU ended; the exit code below says how
            }
        });
        try {
            lines.awaitLine(l -> l.contains("JTS-LINUX:REBOOT"), BOOT.plusSeconds(SECONDS * 2L));
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "QEMU ends the VM on reboot");
            reader.join(Duration.ofSeconds(10));
            Files.write(dir.resolve("qemu-console.log"), lines.lines());
            assertEquals(0, p.exitValue(), "QEMU's exit code");
            assertTrue(lines.lines().stream().anyMatch(l -> l.contains("JTS-LINUX:CLOCK source=kvm-clock event=lapic-deadline")),
                    "QEMU's clocks");
            synchronized (ticks) { assertFollowsWallTime("QEMU", ticks); }
        } catch (TimeoutException e) {
            var l = lines.lines();
            throw new AssertionError("QEMU: " + e.getMessage() + "\n" + String.join("\n", l.subList(Math.max(0, l.size() - 30), l.size())), e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static VmConfig config(Path linux, Path dir, String action) {
        return VmConfig.of(linux.resolve(LinuxGuest.KERNEL), 256 * MemoryLayout.MIB).withCpus(2)
                .withInitrd(linux.resolve(LinuxGuest.INITRD)).withCmdline(BASE_CMDLINE + " jettison.action=" + action)
                .withConsole(dir.resolve("console.log"), false);
    }

    /** Every sleep came back, and the guest's uptime advanced as the host's clock did, within {@link #TOLERANCE}. */
    static void assertFollowsWallTime(String who, List<Tick> ticks) {
        assertEquals(SECONDS + 1, ticks.size(), who + ": one uptime line before the sleeps and one after each");
        var first = ticks.getFirst();
        var last = ticks.getLast();
        double guest = last.uptime() - first.uptime();
        double wall = (last.wallNanos() - first.wallNanos()) / 1e9;
        String figures = String.format("%s: %d sleeps of 1 s, uptime advanced %.2f s in %.2f s of wall time (ratio %.4f)",
                who, last.n() - first.n(), guest, wall, guest / wall);
        System.out.println(figures);
        assertTrue(guest >= 60, figures + ": at least 60 guest seconds");
        assertTrue(Math.abs(guest / wall - 1) <= TOLERANCE, figures + ": uptime must follow wall time within 5 %");
    }

    private static AssertionError stalled(VirtualMachine vm, TimeoutException e) {
        var lines = vm.console().lines();
        return new AssertionError("timed out; console tail:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))
                + "\nvCPUs:\n" + vm.diagnose(), e);
    }
}
