package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;

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

    private static Path built;

    /** The directory holding the built images; builds them if needed (once per process). */
    public static synchronized Path ensureBuilt() throws IOException {
        if (built == null) {
            Path root = home().orElseThrow(() -> new IOException(
                    "cannot find guest/build.sh: run from the Jettison checkout or set JETTISON_HOME"));
            built = new GuestBuildScript(root, "guest/build.sh", Duration.ofMinutes(10)).run(BZIMAGE);
        }
        return built;
    }

    public static Path bzImage() throws IOException { return ensureBuilt().resolve(BZIMAGE); }
}
