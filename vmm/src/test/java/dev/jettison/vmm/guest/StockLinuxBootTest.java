package dev.jettison.vmm.guest;

import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.kvm.Kvm;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's stock kernel (linux-image-amd64) with our busybox initramfs, booted by our VMM with
 * the 64-bit boot protocol: the kernel reports the memory map and command line we gave it,
 * finds both vCPUs through the MP table and the virtio disk through PCI and reaches our busybox
 * shell. On PVM hosts the guest kernel's emulated CPL0 stops it early (kvm-notes.md); it runs
 * fully under hardware virtualization, and under the emulated KVM host.
 */
@Tag("kvm")
@Tag("stock-kernel")
class StockLinuxBootTest {
    @BeforeEach
    void kvm() { KvmGuests.requireStockKernelHost(); }

    /**
     * In the emulated KVM host (QEMU TCG with emulated SVM) this two-vCPU boot stalled once in
     * about ten runs mid-boot, with no console output for minutes; natively it never has. There a
     * stalled boot is reported (console tail and vCPU state) and tried once more; natively once.
     */
    @Test
    void debianKernelBootsToOurInitWithItsCpusAndDisk(@TempDir Path dir) throws Exception {
        int attempts = Kvm.inEmulatedHost() ? 2 : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                boot(dir.resolve("attempt-" + attempt));
                return;
            } catch (AssertionError e) {
                if (attempt >= attempts) throw e;
                System.err.println("stock kernel boot stalled in the emulated KVM host; trying once more:\n" + e.getMessage());
            }
        }
    }

    private void boot(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Path linux = LinuxGuest.ensureBuilt();
        Path disk = dir.resolve("disk.img");
        try (var f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(8 * MemoryLayout.MIB);
        }
        String cmdline = "console=ttyS0 earlyprintk=serial,ttyS0 acpi=off reboot=k panic=-1 jettison.action=shell";
        var cfg = VmConfig.of(linux.resolve(LinuxGuest.KERNEL), 256 * MemoryLayout.MIB).withCpus(2)
                .withInitrd(linux.resolve(LinuxGuest.INITRD)).withCmdline(cmdline).withDisk(disk, false)
                .withConsole(dir.resolve("console.log"), false);
        try (var vm = VirtualMachine.create(cfg)) {
            vm.start();
            var c = vm.console();
            Duration t = Duration.ofMinutes(4);
            try {
                assertTrue(c.awaitLine(l -> l.contains("Linux version"), t).contains("Linux version"));
                c.awaitLine(l -> l.contains("BIOS-e820: [mem 0x0000000000100000-0x000000000fffffff] usable"), t);
                c.awaitLine(l -> l.contains("Command line: " + cmdline), t);
                c.awaitLine(l -> l.startsWith("JTS-LINUX:INIT"), t);
                c.awaitLine(l -> l.equals("JTS-LINUX:CPUS 2"), t);
                c.awaitLine(l -> l.equals("JTS-LINUX:DISK vda sectors=16384"), t);
                c.awaitLine(l -> l.equals("JTS-LINUX:SHELL"), t);
            } catch (java.util.concurrent.TimeoutException e) {
                var lines = c.lines();
                throw new AssertionError("timed out; console tail:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))
                        + "\nvCPUs:\n" + vm.diagnose(), e);
            }
        }
    }
}
