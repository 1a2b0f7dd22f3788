package dev.jettison.migration.cownetdisk;

import dev.jettison.core.fuzz.Fuzz;
import dev.jettison.core.fuzz.Gen;
import dev.jettison.migration.fuzz.HostileInput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * cownetdisk's saved bitmap against damaged files: bytes changed (with the checksum recomputed
 * half the time, so the field checks are reached), cut, extended, or random. Each loads or is an
 * IOException naming the file and what was wrong.
 */
class BitmapFuzzTest {
    static final long BLOCKS = 1000, CAPACITY = BLOCKS * 4096 - 100;
    @TempDir
    static Path dir;
    static byte[] good;

    @BeforeAll
    static void saveOne() throws IOException {
        var m = new BlockBitmap(BLOCKS, CAPACITY);
        for (long b = 0; b < BLOCKS; b += 7) m.set(b, BlockState.values()[(int) (b % 3)]);
        m.save(dir.resolve("good"));
        good = Files.readAllBytes(dir.resolve("good"));
    }

    static byte[] damaged(Gen g) {
        return switch (g.nextInt(5)) {
            case 0 -> g.bytes(good.length + 15);
            case 1 -> g.xorByte(good);
            case 2 -> reseal(g.setBytes(good, 0, good.length - 4, 4));
            case 3 -> g.truncate(good);
            default -> g.extend(good, 8);
        };
    }

    /** The trailing CRC32C recomputed, so a changed field gets past the checksum to its own check. */
    static byte[] reseal(byte[] b) {
        var crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @TestFactory
    Stream<DynamicTest> loadsOrRefusesWithItsReason() {
        return Fuzz.property("bitmap load", BitmapFuzzTest::damaged, file -> {
            Path f = dir.resolve("bitmap");
            Files.write(f, file);
            HostileInput.parse(() -> BlockBitmap.load(f, BLOCKS, CAPACITY), IOException.class, 1 << 20, f.toString());
        });
    }
}
