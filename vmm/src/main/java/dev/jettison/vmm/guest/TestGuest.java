package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds (building once, through guest/build.sh) our test guest OS image. The build script caches
 * its output outside the repository, keyed by a hash of the guest sources, so only the first
 * call on a machine pays for gcc.
 */
public final class TestGuest {
    public static final String BZIMAGE = "jettison-guest.bzImage";
    public static final String ELF = "jettison-guest.elf";

    private TestGuest() {}

    /** The repository root: $JETTISON_HOME, the jettison.home property, or the nearest parent holding guest/build.sh. */
    public static Optional<Path> home() {
        for (String s : new String[] {System.getProperty("jettison.home"), System.getenv("JETTISON_HOME")}) {
            if (s != null && Files.isRegularFile(Path.of(s, "guest", "build.sh"))) return Optional.of(Path.of(s));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("guest/build.sh"))) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The directory holding the built images; builds them if needed. */
    public static Path ensureBuilt() throws IOException {
        Path root = home().orElseThrow(() -> new IOException(
                "cannot find guest/build.sh: run from the Jettison checkout or set JETTISON_HOME"));
        var pb = new ProcessBuilder("bash", root.resolve("guest/build.sh").toString())
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("guest/build.sh did not finish in 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the test guest", e);
        }
        if (p.exitValue() != 0) throw new IOException("guest/build.sh failed with status " + p.exitValue());
        String[] lines = out.split("\n");
        Path dir = Path.of(lines[lines.length - 1].strip());
        if (!Files.isRegularFile(dir.resolve(BZIMAGE))) {
            throw new IOException("guest/build.sh reported " + dir + " but it holds no " + BZIMAGE);
        }
        return dir;
    }

    public static Path bzImage() throws IOException { return ensureBuilt().resolve(BZIMAGE); }
}
