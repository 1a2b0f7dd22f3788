package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs one of the repository's guest build scripts, which cache their output and print its directory last. */
final class BuildScript {
    private BuildScript() {}

    /** Runs {@code script} (relative to the checkout) and returns the directory it printed on its last line. */
    static Path run(String script, String what, Duration timeout) throws IOException {
        Path root = TestGuest.home().orElseThrow(() -> new IOException(
                "cannot find " + script + ": run from the Jettison checkout or set JETTISON_HOME"));
        var p = new ProcessBuilder("bash", root.resolve(script).toString())
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(script + " did not finish in " + timeout.toMinutes() + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while assembling " + what, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(script + " failed with status " + p.exitValue() + " (Debian's packages must be reachable with apt-get)");
        }
        String[] lines = out.split("\n");
        return Path.of(lines[lines.length - 1].strip());
    }
}
