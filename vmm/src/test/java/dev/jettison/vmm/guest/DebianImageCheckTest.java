package dev.jettison.vmm.guest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The outside check of a Debian guest's disk on real ext4 images, made the way guest/debian's
 * build makes its own (mkfs.ext4 -d, no mount): it finds every file intact, a changed byte, a
 * missing file, and refuses an image whose filesystem was not left clean.
 */
class DebianImageCheckTest {
    @TempDir
    Path dir;

    @BeforeEach
    void e2fsprogs() {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs.ext4")) || Files.isExecutable(Path.of("/sbin/mkfs.ext4")),
                "needs e2fsprogs (apt-get install e2fsprogs)");
    }

    @Test
    void intactFilesPass() throws Exception {
        Path image = image(List.of("a-1", "a-2", "b-1"), null, false);
        var r = DebianImageCheck.check(image);
        assertEquals(3, r.files());
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void aChangedByteAndAMissingFileAreNamed() throws Exception {
        Path image = image(List.of("a-1", "a-2", "a-3"), "a-2", true);
        var r = DebianImageCheck.check(image);
        assertEquals(3, r.files());
        assertEquals(List.of("a-2 (content differs)", "a-3 (missing)"), r.bad());
    }

    @Test
    void anImageNotLeftCleanIsRefused() throws Exception {
        Path image = image(List.of("a-1"), null, false);
        run("debugfs", "-w", "-R", "ssv state 0", image.toString());
        var e = assertThrows(IOException.class, () -> DebianImageCheck.check(image));
        assertTrue(e.getMessage().contains("not left clean"), e.getMessage());
    }

    /** An ext4 image holding jettison-check's directory: the files, their MANIFEST, one of them changed, the last one absent. */
    private Path image(List<String> names, String corrupt, boolean dropLast) throws Exception {
        Path tree = dir.resolve("tree");
        Path check = tree.resolve("var/lib/jettison-check");
        Files.createDirectories(check);
        var manifest = new StringBuilder();
        var rnd = new java.util.Random(42);
        for (int i = 0; i < names.size(); i++) {
            byte[] data = new byte[10_000 + i];
            rnd.nextBytes(data);
            manifest.append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))).append("  ").append(names.get(i)).append('\n');
            if (names.get(i).equals(corrupt)) data[1234] ^= 1;
            if (!(dropLast && i == names.size() - 1)) Files.write(check.resolve(names.get(i)), data);
        }
        Files.writeString(check.resolve("MANIFEST"), manifest);
        Path image = dir.resolve("disk.img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        run("mkfs.ext4", "-q", "-F", "-d", tree.toString(), image.toString());
        return image;
    }

    private static void run(String... cmd) throws Exception {
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", "/usr/sbin:/sbin:" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        var p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }
}
