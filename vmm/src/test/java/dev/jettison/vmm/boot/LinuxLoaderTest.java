package dev.jettison.vmm.boot;

import dev.jettison.vmm.memory.GuestMemory;
import dev.jettison.vmm.memory.MemoryLayout;
import dev.jettison.vmm.memory.MemoryRegion;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinuxLoaderTest {
    private static GuestMemory memory(Arena arena, long bytes) {
        return new GuestMemory(List.of(new MemoryRegion(0, 0, arena.allocate(bytes, 4096))));
    }

    @Test
    void zeroPageCarriesHeaderCommandLineInitrdAndE820() {
        try (var arena = Arena.ofConfined()) {
            var mem = memory(arena, 64 * MemoryLayout.MIB);
            var kernel = BzImage.parse(java.nio.file.Path.of("k"), BzImageTest.image(8192));
            byte[] initrd = new byte[10000];
            initrd[0] = 42;
            var loaded = LinuxLoader.load(mem, kernel, initrd, "console=ttyS0 prog=pattern");

            assertArrayEquals(kernel.protectedModePart(), mem.read(BootLayout.KERNEL, 8192));
            long zp = BootLayout.ZERO_PAGE;
            assertEquals(0x53726448, mem.readInt(zp + 0x202), "setup header copied");
            assertEquals((byte) 0xFF, mem.readByte(zp + 0x210), "type_of_loader");
            assertEquals((int) BootLayout.CMDLINE, mem.readInt(zp + 0x228));
            String cmd = new String(mem.read(BootLayout.CMDLINE, 27), StandardCharsets.US_ASCII);
            assertEquals("console=ttyS0 prog=pattern", cmd.substring(0, 26));
            assertEquals(0, mem.readByte(BootLayout.CMDLINE + 26), "NUL-terminated");

            assertEquals(loaded.initrdAddress(), Integer.toUnsignedLong(mem.readInt(zp + 0x218)));
            assertEquals(10000, mem.readInt(zp + 0x21C));
            assertEquals(0, loaded.initrdAddress() & 0xFFF, "page aligned");
            assertTrue(loaded.initrdAddress() + 10000 <= 64 * MemoryLayout.MIB);
            assertEquals(42, mem.readByte(loaded.initrdAddress()));

            int n = Byte.toUnsignedInt(mem.readByte(zp + 0x1E8));
            assertEquals(loaded.e820().size(), n);
            long usable = 0;
            for (int i = 0; i < n; i++) {
                long o = zp + 0x2D0 + 20L * i;
                if (mem.readInt(o + 16) == E820.RAM) usable += mem.readLong(o + 8);
            }
            assertEquals(64 * MemoryLayout.MIB - 0x100000 + 0x9FC00, usable);
        }
    }

    @Test
    void bootPageTablesIdentityMapTheFirstFourGib() {
        try (var arena = Arena.ofConfined()) {
            var mem = memory(arena, 32 * MemoryLayout.MIB);
            LinuxLoader.load(mem, BzImage.parse(java.nio.file.Path.of("k"), BzImageTest.image(4096)), null, "");
            for (long va : new long[] {0, 0x100200, 0x7FFFFFF, 0xFEE00000L, 0xFFFFFFFFL}) {
                assertEquals(va, dev.jettison.vmm.kvm.PageWalk.translate(mem, BootLayout.PML4, va));
            }
            assertEquals(-1, dev.jettison.vmm.kvm.PageWalk.translate(mem, BootLayout.PML4, 1L << 32));
        }
    }

    @Test
    void e820LeavesTheMmioGapOutAboveThreeGib() {
        var map = E820.forRam(4 * MemoryLayout.GIB);
        assertTrue(map.stream().anyMatch(e -> e.address() == 4 * MemoryLayout.GIB && e.size() == MemoryLayout.GIB));
        assertTrue(map.stream().noneMatch(e -> e.type() == E820.RAM && e.address() < 4 * MemoryLayout.GIB
                && e.address() + e.size() > 3 * MemoryLayout.GIB));
    }

    @Test
    void oversizedCommandLineAndTooSmallRamAreRefused() {
        try (var arena = Arena.ofConfined()) {
            var mem = memory(arena, 16 * MemoryLayout.MIB);
            var kernel = BzImage.parse(java.nio.file.Path.of("k"), BzImageTest.image(4096));
            var e = assertThrows(IllegalArgumentException.class,
                    () -> LinuxLoader.load(mem, kernel, null, "x".repeat(3000)));
            assertTrue(e.getMessage().contains("3000 bytes"), e.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class,
                    () -> LinuxLoader.load(mem, kernel, new byte[15 << 20], ""));
            assertTrue(e2.getMessage().contains("initrd"), e2.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> MemoryLayout.ramRanges(32 * MemoryLayout.GIB));
    }
}
