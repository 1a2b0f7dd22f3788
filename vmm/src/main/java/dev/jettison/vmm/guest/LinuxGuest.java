package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Debian's stock kernel and our busybox initramfs, assembled (once, cached) by guest/linux/build.sh. */
public final class LinuxGuest {
    public static final String KERNEL = "vmlinuz";
    public static final String INITRD = "initramfs.cpio.gz";
    /**
     * A directory already holding what build.sh makes. The emulated KVM host gets it from the
     * machine that starts it: the script asks apt about package versions, which inside that host
     * is 30x slower and has no network to fall back on.
     */
    public static final String PREBUILT_ENV = "JETTISON_LINUX_GUEST_DIR";

    private static Path built;

    private LinuxGuest() {}

    public static synchronized Path ensureBuilt() throws IOException {
        if (built == null) {
            built = GuestBuildScript.prebuiltOrBuild(PREBUILT_ENV, "guest/linux/build.sh", Duration.ofMinutes(10),
                    "Debian's packages must be reachable with apt-get", KERNEL, INITRD);
        }
        return built;
    }
}
