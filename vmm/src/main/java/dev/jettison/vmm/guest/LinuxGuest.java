package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Debian's stock kernel and our busybox initramfs, assembled (once, cached) by guest/linux/build.sh. */
public final class LinuxGuest {
    public static final String KERNEL = "vmlinuz";
    public static final String INITRD = "initramfs.cpio.gz";

    private LinuxGuest() {}

    public static Path ensureBuilt() throws IOException {
        Path dir = BuildScript.run("guest/linux/build.sh", "the Linux guest", Duration.ofMinutes(10));
        if (!Files.isRegularFile(dir.resolve(KERNEL))) throw new IOException(dir + " holds no " + KERNEL);
        return dir;
    }
}
