package dev.jettison.vmm.guest;

import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.devices.virtio.FileBlockBackend;
import dev.jettison.vmm.memory.MemoryLayout;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running guest is paused, described, rebuilt in a second VM from the descriptor plus a copy
 * of its RAM, and goes on there as if nothing happened: the pattern it keeps rewriting verifies.
 * Then the second VM's dirty pages are exactly the pages the guest wrote after the move.
 */
@org.junit.jupiter.api.Tag("kvm")
class SnapshotRestoreTest {
    @BeforeEach
    void kvm() { KvmGuests.requireKvm(); }

    @Test
    void guestContinuesInARestoredVm(@TempDir Path dir) throws Exception {
        Path disk = dir.resolve("disk.img");
        try (var f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(16 * MemoryLayout.MIB);
        }
        var cfg = VmConfig.of(KvmGuests.testGuest(), 128 * MemoryLayout.MIB)
                .withCmdline("prog=pattern pattern.mem_mib=16 pattern.disk_mib=4 pattern.seed=3 pattern.rate=200")
                .withDisk(disk, false);
        try (var source = VirtualMachine.create(cfg)) {
            source.start();
            source.console().awaitLine(l -> l.startsWith("JTS:PATTERN EPOCH"), Duration.ofSeconds(60));
            source.pause(Duration.ofSeconds(5));
            byte[] descriptor = DescriptorCodec.encode(source.capture());
            var state = DescriptorCodec.decode(descriptor);
            var bsp = state.vcpus().getFirst();
            int defType = java.util.Arrays.stream(bsp.msrIndices()).boxed().toList().indexOf(0x2ff);
            assertTrue(defType >= 0, "the descriptor carries the MTRRs, which KVM does not list");
            assertEquals((1 << 11) | 6, bsp.msrValues()[defType], "MTRRs on, write-back by default, as set at boot");
            assertTrue(bsp.tscKhz() > 0, "the descriptor records the TSC rate, for a server whose TSC ticks at another");
            try (var target = VirtualMachine.restore(state, new FileBlockBackend(disk, false), null, null, true)) {
                MemorySegment.copy(source.ram().segment(), 0, target.ram().segment(), 0, source.ram().size());
                target.start();
                int from = target.console().lineCount();
                target.console().awaitLine(from, l -> l.startsWith("JTS:PATTERN EPOCH"), Duration.ofSeconds(30));
                target.sendConsoleLine("verify");
                String v = target.console().awaitLine(l -> l.startsWith("JTS:PATTERN VERIFY"), Duration.ofSeconds(60));
                var m = Pattern.compile("mem_bad=(\\d+) disk_bad=(\\d+)").matcher(v);
                assertTrue(m.find(), v);
                assertEquals("0", m.group(1), v);
                assertEquals("0", m.group(2), v);
                long[] dirty = target.takeDirtyPages();
                assertTrue(dirty.length > 0, "the guest kept writing, so pages are dirty");
                assertTrue(dirty.length < 128 * 256, "only written pages are dirty, not all of RAM: " + dirty.length);
            }
        }
    }
}
