package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's stock kernel and our busybox initramfs, assembled (once, cached) by guest/linux/build.sh. */
public final class LinuxGuest {
    public static final String KERNEL = "vmlinuz";
    public static final String INITRD = "initramfs.cpio.gz";

    private LinuxGuest() {}

    public static Path ensureBuilt() throws IOException {
        Path root = TestGuest.home().orElseThrow(() -> new IOException(
                "cannot find guest/linux/build.sh: run from the Jettison checkout or set JETTISON_HOME"));
        var p = new ProcessBuilder("bash", root.resolve("guest/linux/build.sh").toString())
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("guest/linux/build.sh failed (Debian's packages must be reachable with apt-get)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while assembling the Linux guest", e);
        }
        String[] lines = out.split("\n");
        Path dir = Path.of(lines[lines.length - 1].strip());
        if (!Files.isRegularFile(dir.resolve(KERNEL))) throw new IOException(dir + " holds no " + KERNEL);
        return dir;
    }
}
