package dev.jettison.vmm.boot;

import dev.jettison.vmm.memory.GuestMemory;
import dev.jettison.vmm.memory.MemoryLayout;
import dev.jettison.vmm.memory.MemoryRegion;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's own kernel through our loader, without KVM: the image validates for the 64-bit
 * protocol and lands in guest memory with a zero page Linux will accept. The kernel comes from
 * guest/linux/build.sh (CI runs it first).
 */
class StockKernelTest {
    static Path builtKernel() {
        try {
            return dev.jettison.vmm.guest.LinuxGuest.ensureBuilt().resolve("vmlinuz");
        } catch (IOException e) {
            return null; // no Debian package source reachable: the assumption below says so
        }
    }

    @Test
    void debianKernelValidatesAndLoads() throws IOException {
        Path vmlinuz = builtKernel();
        assumeTrue(vmlinuz != null, "guest/linux/build.sh could not assemble the stock kernel (apt-get download failed)");
        var kernel = BzImage.load(vmlinuz);
        assertTrue(kernel.protocol() >= 0x020F, "Debian 6.1 speaks boot protocol 2.15");
        assertTrue(kernel.initSize() > kernel.protectedModePart().length, "decompression needs room beyond the image");
        byte[] initrd = Files.readAllBytes(vmlinuz.resolveSibling("initramfs.cpio.gz"));
        try (var arena = Arena.ofConfined()) {
            var mem = new GuestMemory(java.util.List.of(new MemoryRegion(0, 0, arena.allocate(256 * MemoryLayout.MIB, 4096))));
            var loaded = LinuxLoader.load(mem, kernel, initrd, "console=ttyS0 earlyprintk=serial");
            assertArrayEquals(kernel.protectedModePart(), mem.read(BootLayout.KERNEL, kernel.protectedModePart().length));
            assertEquals(0x1F8B, Short.toUnsignedInt(mem.readShort(loaded.initrdAddress())) == 0x8B1F ? 0x1F8B : -1,
                    "gzip initrd magic at the address the zero page names");
            assertEquals(loaded.initrdAddress(), Integer.toUnsignedLong(mem.readInt(BootLayout.ZERO_PAGE + 0x218)));
        }
    }
}
