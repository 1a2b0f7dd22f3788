package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Checks a powered-off Debian guest's disk image from outside, without mounting it: every file
 * that the guest's checker (jettison-check) listed in its MANIFEST must read back from the ext4
 * image with the sha256 the guest recorded. debugfs (e2fsprogs) reads the filesystem; it does
 * not replay a journal, so an image whose journal still needs recovery (the guest did not power
 * off cleanly) is refused rather than half-read.
 */
public final class DebianImageCheck {
    /** Where jettison-check keeps its disk files and MANIFEST inside the image. */
    public static final String DIR = "/var/lib/jettison-check";

    /** Files the MANIFEST lists, and those missing or different (with why). */
    public record Result(int files, List<String> bad) {
        public boolean ok() { return bad.isEmpty(); }

        @Override
        public String toString() { return "files=" + files + " bad=" + bad.size() + (bad.isEmpty() ? "" : " " + bad); }
    }

    private DebianImageCheck() {}

    public static Result check(Path image) throws IOException {
        if (!Files.isRegularFile(image)) throw new IOException("no disk image at " + image);
        String stats = debugfs(image, "stats");
        if (!stats.contains("Filesystem state:")) throw new IOException(image + " holds no ext4 filesystem debugfs can read");
        if (!stats.matches("(?s).*Filesystem state:\\s+clean\\n.*") || stats.matches("(?s).*Filesystem features:[^\\n]*needs_recovery.*")) {
            throw new IOException(image + " was not left clean (journal needs recovery or state not clean): "
                    + "the guest did not power off through its init");
        }
        Path out = Files.createTempDirectory("jettison-image-check");
        try {
            // One debugfs run copies the whole directory out (file data only, no mount).
            debugfs(image, "rdump " + DIR + " " + out);
            Path dir = out.resolve(Path.of(DIR).getFileName().toString());
            Path manifest = dir.resolve("MANIFEST");
            if (!Files.isRegularFile(manifest)) throw new IOException(image + " has no " + DIR + "/MANIFEST: nothing was written there");
            var bad = new ArrayList<String>();
            int files = 0;
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                String[] f = line.split(" {2}", 2);
                if (f.length != 2 || !f[0].matches("[0-9a-f]{64}") || f[1].contains("/")) {
                    throw new IOException("MANIFEST line " + (files + 1) + " is not 'SHA256  NAME': " + line);
                }
                files++;
                Path file = dir.resolve(f[1]);
                if (!Files.isRegularFile(file)) bad.add(f[1] + " (missing)");
                else if (!sha256(file).equals(f[0])) bad.add(f[1] + " (content differs)");
            }
            return new Result(files, List.copyOf(bad));
        } finally {
            try (Stream<Path> s = Files.walk(out)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            var md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** debugfs lives in /usr/sbin, which a user's PATH may lack. */
    private static String debugfsPath() {
        for (String d : new String[] {"/usr/sbin", "/sbin"}) {
            if (Files.isExecutable(Path.of(d, "debugfs"))) return d + "/debugfs";
        }
        return "debugfs";
    }

    private static String debugfs(Path image, String request) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(debugfsPath(), "-R", request, image.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("cannot run debugfs (apt-get install e2fsprogs): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("debugfs -R '" + request + "' " + image + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + image, e);
        }
        return out;
    }
}
