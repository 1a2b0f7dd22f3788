package dev.jettison.vmm.guest;

import dev.jettison.core.pattern.DiskPatternCheck;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.VmExit;
import dev.jettison.vmm.boot.E820;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Boots the test guest OS under KVM and checks what it prints (guest/README.md has the markers). */
@org.junit.jupiter.api.Tag("kvm")
class TestGuestBootTest {
    private static final Duration BOOT = Duration.ofSeconds(60);

    @BeforeEach
    void kvm() { KvmGuests.requireKvm(); }

    private static VmConfig config(long mem, String cmdline) throws Exception {
        return VmConfig.of(KvmGuests.testGuest(), mem).withCmdline(cmdline);
    }

    private static Matcher await(VirtualMachine vm, String regex, Duration timeout) throws Exception {
        var p = Pattern.compile(regex);
        String line = vm.console().awaitLine(l -> p.matcher(l).find(), timeout);
        var m = p.matcher(line);
        assertTrue(m.find());
        return m;
    }

    @Test
    void reachesInitAndSeesTheConfiguredMemoryAndCpus() throws Exception {
        long mem = 256 * MemoryLayout.MIB;
        try (var vm = VirtualMachine.create(config(mem, "prog=idle idle.warm_mib=4").withCpus(2))) {
            vm.start();
            var boot = await(vm, "JTS:BOOT cpus=(\\d+) mem_mib=(\\d+)", BOOT);
            assertEquals(2, Integer.parseInt(boot.group(1)));
            long expectedMib = E820.usableBytes(E820.forRam(mem)) / MemoryLayout.MIB;
            assertEquals(expectedMib, Long.parseLong(boot.group(2)));
            await(vm, "JTS:CMDLINE prog=idle idle.warm_mib=4", BOOT);
            await(vm, "JTS:INIT program=idle", BOOT);
        }
    }

    @Test
    void idleDesktopRunsItsSecondAndMinuteTimers() throws Exception {
        try (var vm = VirtualMachine.create(config(128 * MemoryLayout.MIB, "prog=idle idle.warm_mib=8 idle.speed=60"))) {
            vm.start();
            await(vm, "JTS:IDLE WARM mib=8", BOOT);
            var t1 = await(vm, "JTS:IDLE T1 n=(\\d+)", Duration.ofSeconds(30));
            assertTrue(Integer.parseInt(t1.group(1)) >= 1);
            await(vm, "JTS:IDLE T60 n=1", Duration.ofSeconds(30));
        }
    }

    @Test
    void patternVerifiesInMemoryAndOnTheDiskInsideAndOutside(@TempDir Path dir) throws Exception {
        Path disk = dir.resolve("disk.img");
        try (var f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(32 * MemoryLayout.MIB);
        }
        var cfg = config(256 * MemoryLayout.MIB, "prog=pattern pattern.mem_mib=32 pattern.disk_mib=8 pattern.seed=7")
                .withDisk(disk, false);
        try (var vm = VirtualMachine.create(cfg)) {
            vm.start();
            await(vm, "JTS:PATTERN WROTE mem_mib=32 disk_mib=8 seed=7", BOOT);
            vm.sendConsoleLine("verify");
            var v = await(vm, "JTS:PATTERN VERIFY mem_bad=(\\d+) disk_bad=(\\d+) .*result=(\\w+)", BOOT);
            assertEquals("0", v.group(1));
            assertEquals("0", v.group(2));
            assertEquals("ok", v.group(3));
            vm.sendConsoleLine("halt");
            var exit = vm.awaitExit(BOOT);
            assertEquals(new VmExit.PowerOff(1), exit, "halt exits with guest code 0");
        }
        var outside = DiskPatternCheck.check(disk);
        assertEquals(7, outside.seed());
        assertEquals(8 * MemoryLayout.MIB / 4096, outside.blocks());
        assertEquals(0, outside.badBytes());
    }

    @Test
    void rebootEndsTheVmCleanly() throws Exception {
        try (var vm = VirtualMachine.create(config(64 * MemoryLayout.MIB, "prog=idle idle.warm_mib=1"))) {
            vm.start();
            await(vm, "JTS:INIT program=idle", BOOT);
            vm.sendConsoleLine("reboot");
            assertInstanceOf(VmExit.Reset.class, vm.awaitExit(BOOT));
        }
    }

    @Test
    void pauseAndResumeKeepTheGuestRunning() throws Exception {
        try (var vm = VirtualMachine.create(config(128 * MemoryLayout.MIB, "prog=idle idle.warm_mib=1 idle.speed=10"))) {
            vm.start();
            await(vm, "JTS:IDLE T1 n=1", BOOT);
            vm.pause(Duration.ofSeconds(5));
            assertTrue(vm.vcpus().isPaused());
            int before = vm.console().lineCount();
            Thread.sleep(500);
            assertEquals(before, vm.console().lineCount(), "a paused guest prints nothing");
            vm.resume();
            vm.console().awaitLine(before, l -> l.startsWith("JTS:IDLE T1"), Duration.ofSeconds(20));
        }
    }
}
