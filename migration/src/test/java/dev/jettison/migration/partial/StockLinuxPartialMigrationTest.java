package dev.jettison.migration.partial;

import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.VmExit;
import dev.jettison.vmm.guest.LinuxGuest;
import dev.jettison.vmm.kvm.KvmHostKind;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's stock kernel, not our test guest, consolidated and reintegrated three times with two
 * vCPUs, kvm-clock and the TSC-deadline timer in use. Its busybox shell is the checker: each file
 * it writes goes to its tmpfs (guest memory) and to a MiB of the virtio disk, its checksum kept in
 * tmpfs; on each side it re-reads every file written on either side so far, the disk copies with
 * the page cache dropped so they come from the disk that side serves. After poweroff the image is
 * checked from outside against the checksums the guest printed.
 */
@Tag("kvm")
@Tag("stock-kernel")
class StockLinuxPartialMigrationTest {
    private static final int CYCLES = 3;
    private static final Duration BOOT = Duration.ofMinutes(6);
    private static final Duration STEP = Duration.ofMinutes(3);
    private static final int FILE_MIB = 1;
    private static final Pattern WROTE = Pattern.compile("JTS-CHECK WROTE (\\d+) ([0-9a-f]{64})");
    private static final Pattern VERIFIED = Pattern.compile("JTS-CHECK VERIFIED files=(\\d+) bad=(\\d+)");

    /** Shell functions the test types into the guest's console: write file N, verify every file. */
    private static final String CHECKER = "w() { dd if=/dev/urandom of=/tmp/m$1 bs=64k count=" + 16 * FILE_MIB
            + " 2>/dev/null; dd if=/tmp/m$1 of=/dev/vda bs=64k seek=$(( $1 * " + 16 * FILE_MIB + " )) conv=fsync,notrunc"
            + " 2>/dev/null; busybox sha256sum </tmp/m$1 | cut -c1-64 >/tmp/s$1; echo \"JTS-CHECK WROTE $1 $(cat /tmp/s$1)\"; };"
            + " v() { sync; echo 3 >/proc/sys/vm/drop_caches; n=0; b=0; for s in /tmp/s*; do i=${s#/tmp/s}; n=$((n+1));"
            + " e=$(cat $s); m=$(busybox sha256sum </tmp/m$i | cut -c1-64);"
            + " d=$(dd if=/dev/vda bs=64k skip=$(( i * " + 16 * FILE_MIB + " )) count=" + 16 * FILE_MIB
            + " 2>/dev/null | busybox sha256sum | cut -c1-64);"
            + " [ \"$m\" = \"$e\" ] || { b=$((b+1)); echo \"JTS-CHECK BAD memory file $i: $m, wrote $e\"; };"
            + " [ \"$d\" = \"$e\" ] || { b=$((b+1)); echo \"JTS-CHECK BAD disk file $i: $d, wrote $e\"; }; done;"
            + " echo \"JTS-CHECK VERIFIED files=$n bad=$b\"; }; echo JTS-CHECK READY";

    @BeforeEach
    void kvm() {
        KvmGuests.require();
        assumeTrue(KvmHostKind.detect().runsStockKernels(),
                "/dev/kvm is PVM here (guest kernel mode emulated): this test runs in the emulated KVM host instead");
    }

    @Test
    void debianKernelMovesThreeTimesAndEveryFileVerifiesOnBothSides(@TempDir Path dir) throws Exception {
        Path linux = LinuxGuest.ensureBuilt();
        Path disk = dir.resolve("disk.img");
        try (var f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(32 * MemoryLayout.MIB);
        }
        var cfg = VmConfig.of(linux.resolve(LinuxGuest.KERNEL), 256 * MemoryLayout.MIB)
                .withCpus(2)
                .withInitrd(linux.resolve(LinuxGuest.INITRD))
                .withCmdline("console=ttyS0 acpi=off reboot=k panic=-1 jettison.action=shell")
                .withDisk(disk, false).withConsole(dir.resolve("console.log"), false);
        var written = new LinkedHashMap<Integer, String>();
        try (var server = ConsolidationServer.start(dir.resolve("server"), FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0));
             var vm = VirtualMachine.create(cfg);
             var desktop = new Desktop("debian-kernel", vm, disk, new InetSocketAddress("127.0.0.1", 0))) {
            vm.start();
            String clock = vm.console().awaitLine(l -> l.startsWith("JTS-LINUX:CLOCK"), BOOT);
            assertEquals("JTS-LINUX:CLOCK source=kvm-clock event=lapic-deadline", clock);
            vm.console().awaitLine(l -> l.startsWith("JTS-LINUX:SHELL"), BOOT);
            type(vm, CHECKER, "JTS-CHECK READY");
            int file = 0;
            write(vm, file++, written);
            verify(vm, written, "at home before the first consolidation");
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                desktop.consolidate(server.address());
                assertEquals(DesktopState.REMOTE, desktop.state());
                var remote = server.vm("debian-kernel");
                verify(remote, written, "on the server, cycle " + cycle);
                write(remote, file++, written);
                verify(remote, written, "on the server after writing there, cycle " + cycle);
                var report = desktop.reintegrate(STEP);
                assertEquals(DesktopState.LOCAL, desktop.state());
                assertTrue(report.dirtyPagesBack() > 0, "the guest wrote on the server: " + report.summary());
                assertTrue(report.pagesFetched() < 256 * 256, "the server fetched its working set, not all RAM: "
                        + report.summary());
                System.out.println("stock kernel, cycle " + cycle + ": " + report.summary());
                verify(vm, written, "at home, cycle " + cycle);
                write(vm, file++, written);
            }
            verify(vm, written, "at home at the end");
            vm.sendConsoleLine("sync; busybox poweroff -f");
            assertEquals(VmExit.PowerOff.halted(), vm.awaitExit(Duration.ofMinutes(2)),
                    "poweroff without ACPI halts every vCPU");
        }
        try (var f = new RandomAccessFile(disk.toFile(), "r")) {
            for (Map.Entry<Integer, String> e : written.entrySet()) {
                byte[] region = new byte[FILE_MIB * (int) MemoryLayout.MIB];
                f.seek((long) e.getKey() * region.length);
                f.readFully(region);
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(region));
                assertEquals(e.getValue(), sha, "file " + e.getKey() + " on the disk image after shutdown");
            }
        }
    }

    private static String type(VirtualMachine vm, String line, String expectPrefix) throws Exception {
        int from = vm.console().lineCount();
        vm.sendConsoleLine(line);
        try {
            return vm.console().awaitLine(from, l -> l.startsWith(expectPrefix), STEP);
        } catch (java.util.concurrent.TimeoutException e) {
            var lines = vm.console().lines();
            throw new AssertionError("no " + expectPrefix + " after typing '" + (line.length() > 20 ? line.substring(0, 20) + "...'" : line + "'")
                    + "; console since then:\n" + String.join("\n", lines.subList(Math.max(0, Math.min(from, lines.size() - 120)), lines.size()))
                    + "\nvCPUs:\n" + vm.diagnose(), e);
        }
    }

    private static void write(VirtualMachine vm, int n, Map<Integer, String> written) throws Exception {
        var m = WROTE.matcher(type(vm, "w " + n, "JTS-CHECK WROTE " + n + " "));
        assertTrue(m.matches());
        written.put(n, m.group(2));
    }

    private static void verify(VirtualMachine vm, Map<Integer, String> written, String where) throws Exception {
        String line = type(vm, "v", "JTS-CHECK VERIFIED");
        var m = VERIFIED.matcher(line);
        assertTrue(m.matches(), line);
        assertEquals(written.size(), Integer.parseInt(m.group(1)), where + ": files checked: " + line);
        if (Integer.parseInt(m.group(2)) != 0) {
            var lines = vm.console().lines();
            fail(where + ": " + line + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
        }
    }
}
