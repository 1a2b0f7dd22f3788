package dev.jettison.migration.cownetdisk;

import dev.jettison.migration.wire.HostileInput;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * cownetdisk's saved bitmap against damaged files: bytes changed (with the checksum recomputed
 * half the time, so the field checks are reached), cut, extended, or random. Each loads or is an
 * IOException naming the file and what was wrong.
 */
class BitmapFuzzTest {
    static final long BLOCKS = 1000, CAPACITY = BLOCKS * 4096 - 100;
    static Path dir;
    static byte[] good;

    @BeforeContainer
    static void saveOne() throws IOException {
        dir = Files.createTempDirectory("bitmap-fuzz");
        var m = new BlockBitmap(BLOCKS, CAPACITY);
        for (long b = 0; b < BLOCKS; b += 7) m.set(b, BlockState.values()[(int) (b % 3)]);
        m.save(dir.resolve("good"));
        good = Files.readAllBytes(dir.resolve("good"));
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    @Provide
    Arbitrary<byte[]> damaged() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.longs()).as((kind, seed) -> {
            var r = new SplittableRandom(seed);
            byte[] b = good.clone();
            switch (kind) {
                case 0 -> { b = new byte[r.nextInt(good.length + 16)]; r.nextBytes(b); }
                case 1 -> b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                case 2 -> {
                    for (int k = 0; k < 1 + r.nextInt(4); k++) b[r.nextInt(b.length - 4)] = (byte) r.nextInt();
                    var crc = new CRC32C();
                    crc.update(b, 0, b.length - 4);
                    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
                }
                case 3 -> b = Arrays.copyOf(b, r.nextInt(b.length));
                default -> b = Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
            }
            return b;
        });
    }

    @Property
    void loadsOrRefusesWithItsReason(@ForAll("damaged") byte[] file) throws IOException {
        Path f = dir.resolve("bitmap");
        Files.write(f, file);
        HostileInput.parse(() -> BlockBitmap.load(f, BLOCKS, CAPACITY), IOException.class, 1 << 20, f.toString());
    }
}
