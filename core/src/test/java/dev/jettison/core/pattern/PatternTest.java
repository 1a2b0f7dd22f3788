package dev.jettison.core.pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PatternTest {
    @Test
    void mixMatchesSplitMix64ReferenceValues() {
        // SplitMix64 seeded with 0 yields these first outputs (state advances by the golden gamma).
        assertEquals(0xE220A8397B1DCDAFL, Pattern.mix(0));
        assertEquals(0x6E789E6AA1B965F4L, Pattern.mix(0x9E3779B97F4A7C15L));
    }

    @Test
    void diskMagicIsTheAsciiTextTheGuestWrites() {
        var b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Pattern.DISK_MAGIC);
        assertEquals("JTSPAT01", new String(b.array(), java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void epochsFollowRoundRobinRewrites() {
        assertEquals(0, Pattern.epoch(5, 10, 0));
        assertEquals(1, Pattern.epoch(2, 10, 3));
        assertEquals(0, Pattern.epoch(3, 10, 3));
        assertEquals(2, Pattern.epoch(9, 10, 20));
        assertEquals(3, Pattern.epoch(0, 10, 21));
    }

    @Test
    void badBytesCountsEachDifferingByte() {
        var block = ByteBuffer.allocate(Pattern.BLOCK);
        Pattern.fill(block, 7, Pattern.REGION_MEMORY, 2, 11);
        assertEquals(0, Pattern.badBytes(block, 7, Pattern.REGION_MEMORY, 2, 11));
        block.put(100, (byte) (block.get(100) ^ 1));
        block.put(4095, (byte) (block.get(4095) ^ 0xFF));
        assertEquals(2, Pattern.badBytes(block, 7, Pattern.REGION_MEMORY, 2, 11));
        assertNotEquals(0, Pattern.badBytes(block, 7, Pattern.REGION_DISK, 2, 11), "regions differ");
    }

    @Test
    void diskCheckFindsCorruptionAndRejectsForeignImages(@TempDir Path dir) throws Exception {
        Path img = dir.resolve("disk.img");
        long n = 8, k = 11, seed = 99;
        try (var ch = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            var h = ByteBuffer.allocate(Pattern.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
            h.putLong(0, Pattern.DISK_MAGIC).putLong(8, seed).putLong(16, n).putLong(24, k);
            ch.write(h, 0);
            for (long b = 0; b < n; b++) {
                var blk = ByteBuffer.allocate(Pattern.BLOCK);
                Pattern.fill(blk, seed, Pattern.REGION_DISK, Pattern.epoch(b, n, k), b);
                ch.write(blk, (b + 1) * Pattern.BLOCK);
            }
        }
        var ok = DiskPatternCheck.check(img);
        assertEquals(0, ok.badBytes());
        assertEquals(n, ok.blocks());
        try (var ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 3 * Pattern.BLOCK + 17);
        }
        assertEquals(true, DiskPatternCheck.check(img).badBytes() > 0);
        Path foreign = dir.resolve("zero.img");
        java.nio.file.Files.write(foreign, new byte[8192]);
        var e = assertThrows(java.io.IOException.class, () -> DiskPatternCheck.check(foreign));
        assertEquals(true, e.getMessage().contains("JTSPAT01"));
    }
}
