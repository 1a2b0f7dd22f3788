package dev.jettison.migration.memtap;

import dev.jettison.core.prefetch.HoardHistory;
import dev.jettison.core.fuzz.Fuzz;
import dev.jettison.core.fuzz.Gen;
import dev.jettison.migration.fuzz.HostileInput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hoard history file (§3.4) against damage: characters changed, lines cut, numbers made huge
 * or negative, random bytes including non-ASCII. Each loads or is an IOException naming the file.
 */
class HoardFileFuzzTest {
    @TempDir
    static Path dir;
    static byte[] good;

    @BeforeAll
    static void saveOne() throws IOException {
        var h = new HoardHistory();
        for (int c = 0; c < 3; c++) {
            var pages = new ArrayList<Long>();
            for (long p = c; p < 200; p += 3) pages.add(p);
            h.recordConsolidation(pages);
        }
        new HoardStore(dir.resolve("good")).save(h);
        good = Files.readAllBytes(dir.resolve("good"));
    }

    static final byte[] ALPHABET = "0123456789,-\n \t9223372036854775808x\u00e9".getBytes(StandardCharsets.UTF_8);
    static final byte[] HUGE_LINE = "\n-1,99999999999,2147483648\n".getBytes(StandardCharsets.US_ASCII);

    static byte[] damaged(Gen g) {
        return switch (g.nextInt(4)) {
            case 0 -> g.bytes(199);
            case 1 -> g.setBytesFrom(good, ALPHABET, 6);
            case 2 -> g.truncate(good);
            default -> g.splice(good, HUGE_LINE);
        };
    }

    @TestFactory
    Stream<DynamicTest> loadsOrRefusesWithItsReason() {
        return Fuzz.property("hoard file load", HoardFileFuzzTest::damaged, file -> {
            Path f = dir.resolve("hoard");
            Files.write(f, file);
            HostileInput.parse(() -> new HoardStore(f).load(), IOException.class, 4 << 20, f.toString());
        });
    }

    /** Found by the property above: a non-ASCII byte was refused without naming the file. */
    @Test
    void nonAsciiNamesTheFile() throws IOException {
        Path f = dir.resolve("non-ascii");
        Files.write(f, (HoardStore.HEADER + "1\n1,1,\u00e9\n").getBytes(StandardCharsets.UTF_8));
        var e = assertThrows(IOException.class, () -> new HoardStore(f).load());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
