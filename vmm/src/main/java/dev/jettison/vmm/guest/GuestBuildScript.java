package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the guest build scripts (guest/build.sh, guest/linux/build.sh), which cache their
 * output outside the repository and print its directory on their last line. The script's output
 * goes to a file rather than a pipe so that the deadline holds even when the script hangs (a
 * blocking read of a pipe would wait for it forever).
 */
record GuestBuildScript(Path home, String script, Duration deadline) {

    /**
     * The directory environment variable {@code prebuiltEnv} names, if set (it must hold every one
     * of {@code markers}), else what {@code script} builds; {@code hint} says what a failed build needs.
     */
    static Path prebuiltOrBuild(String prebuiltEnv, String script, Duration deadline, String hint, String... markers)
            throws IOException {
        String prebuilt = System.getenv(prebuiltEnv);
        if (prebuilt != null && !prebuilt.isBlank()) {
            Path dir = Path.of(prebuilt);
            for (String m : markers) {
                if (!Files.isRegularFile(dir.resolve(m))) {
                    throw new IOException(prebuiltEnv + "=" + prebuilt + " holds no " + String.join(" and ", markers));
                }
            }
            return dir;
        }
        Path root = TestGuest.home().orElseThrow(() -> new IOException(
                "cannot find " + script + ": run from the Jettison checkout or set JETTISON_HOME"));
        try {
            return new GuestBuildScript(root, script, deadline).run(markers[0]);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (" + hint + ")", e);
        }
    }

    /** Runs the script and returns the directory it printed last; {@code marker} must exist in it. */
    Path run(String marker) throws IOException {
        Path out = Files.createTempFile("jettison-guest-build", ".out");
        try {
            Process p = new ProcessBuilder("bash", home.resolve(script).toString()).directory(home.toFile())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                if (!p.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(script + " did not finish within " + deadline);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + script, e);
            }
            if (p.exitValue() != 0) throw new IOException(script + " failed with status " + p.exitValue());
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (lines.isEmpty()) throw new IOException(script + " printed no output directory");
            Path dir = Path.of(lines.getLast().strip());
            if (!Files.isRegularFile(dir.resolve(marker))) {
                throw new IOException(script + " reported " + dir + " but it holds no " + marker);
            }
            return dir;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
