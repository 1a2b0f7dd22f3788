package dev.jettison.migration.memtap;

import dev.jettison.core.prefetch.HoardHistory;
import dev.jettison.migration.wire.HostileInput;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hoard history file (§3.4) against damage: characters changed, lines cut, numbers made huge
 * or negative, random bytes including non-ASCII. Each loads or is an IOException naming the file.
 */
class HoardFileFuzzTest {
    static Path dir;
    static byte[] good;

    @BeforeContainer
    static void saveOne() throws IOException {
        dir = Files.createTempDirectory("hoard-fuzz");
        var h = new HoardHistory();
        for (int c = 0; c < 3; c++) {
            var pages = new java.util.ArrayList<Long>();
            for (long p = c; p < 200; p += 3) pages.add(p);
            h.recordConsolidation(pages);
        }
        new HoardStore(dir.resolve("good")).save(h);
        good = Files.readAllBytes(dir.resolve("good"));
    }

    static final byte[] ALPHABET = "0123456789,-\n \t9223372036854775808x\u00e9".getBytes(StandardCharsets.UTF_8);

    @Provide
    Arbitrary<byte[]> damaged() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.longs()).as((kind, seed) -> {
            var r = new SplittableRandom(seed);
            byte[] b = good.clone();
            switch (kind) {
                case 0 -> { b = new byte[r.nextInt(200)]; r.nextBytes(b); }
                case 1 -> { for (int k = 0; k < 1 + r.nextInt(6); k++) b[r.nextInt(b.length)] = ALPHABET[r.nextInt(ALPHABET.length)]; }
                case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
                default -> {
                    int at = r.nextInt(b.length);
                    byte[] ins = "\n-1,99999999999,2147483648\n".getBytes(StandardCharsets.US_ASCII);
                    byte[] out = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(ins, 0, out, at, ins.length);
                    System.arraycopy(b, at, out, at + ins.length, b.length - at);
                    b = out;
                }
            }
            return b;
        });
    }

    @Property
    void loadsOrRefusesWithItsReason(@ForAll("damaged") byte[] file) throws IOException {
        Path f = dir.resolve("hoard");
        Files.write(f, file);
        HostileInput.parse(() -> new HoardStore(f).load(), IOException.class, 4 << 20, f.toString());
    }

    /** Found by the property above: a non-ASCII byte was refused without naming the file. */
    @Example
    void nonAsciiNamesTheFile() throws IOException {
        Path f = dir.resolve("non-ascii");
        Files.write(f, (HoardStore.HEADER + "1\n1,1,\u00e9\n").getBytes(StandardCharsets.UTF_8));
        var e = assertThrows(IOException.class, () -> new HoardStore(f).load());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
