package dev.jettison.vmm.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Debian 12 desktop guest (docs/guests.md): Debian's kernel and our initramfs from
 * {@link LinuxGuest}, booting the disk that guest/debian/build.sh makes with {@code root=/dev/vda}.
 * The built image stays pristine in its cache: every VM runs on its own copy.
 */
public final class DebianGuest {
    public static final String IMAGE = "debian.img";
    /** The private key root accepts over ssh, beside the image (id_ed25519.pub is in root's authorized_keys). */
    public static final String SSH_KEY = "id_ed25519";
    /** The image's host keys as a known_hosts file that holds for any address. */
    public static final String KNOWN_HOSTS = "ssh_known_hosts";
    /**
     * No ACPI (the machine is described by its MP table, docs/machine.md), the i8042 reset for
     * reboot, root on the virtio disk; quiet, since every console byte is a VM exit and the
     * emulated KVM host makes each one dear.
     */
    public static final String CMDLINE = "console=ttyS0 acpi=off reboot=k panic=-1 root=/dev/vda quiet";

    /** Console lines of the image's init (guest/debian/rootfs/usr/sbin/jettison-init). */
    public static final String READY = "JTS-DEBIAN:READY";
    public static final String CHECK = "JTS-DEBIAN:CHECK";
    public static final String WROTE = "JTS-DEBIAN:WROTE";
    public static final String STATUS = "JTS-DEBIAN:STATUS";

    /** What a Debian guest boots from: the kernel and initramfs directory and the image directory. */
    public record Build(Path linux, Path debian) {
        public Path kernel() { return linux.resolve(LinuxGuest.KERNEL); }
        public Path initrd() { return linux.resolve(LinuxGuest.INITRD); }
        public Path image() { return debian.resolve(IMAGE); }
        public Path sshKey() { return debian.resolve(SSH_KEY); }
    }

    private DebianGuest() {}

    /**
     * A directory already holding what guest/debian/build.sh makes; the emulated KVM host gets it
     * from the machine that starts it, which has the network debootstrap needs.
     */
    public static final String PREBUILT_ENV = "JETTISON_DEBIAN_GUEST_DIR";

    private static Path built;

    /** Builds (or finds cached) the kernel, initramfs and disk image; the first build takes minutes. */
    public static Build ensureBuilt() throws IOException {
        Path linux = LinuxGuest.ensureBuilt();
        return new Build(linux, image());
    }

    private static synchronized Path image() throws IOException {
        if (built == null) {
            built = GuestBuildScript.prebuiltOrBuild(PREBUILT_ENV, "guest/debian/build.sh", Duration.ofMinutes(30),
                    "Debian's packages must be reachable for debootstrap", IMAGE);
        }
        return built;
    }

    /** The kernel command line with {@code extra} arguments (e.g. jettison.ip=10.0.0.2/24) after ours. */
    public static String cmdline(String extra) {
        return extra == null || extra.isBlank() ? CMDLINE : CMDLINE + " " + extra.strip();
    }

    /**
     * Copy on first use: {@code dest} becomes a copy of the built image unless it exists already
     * (a desktop's disk from an earlier run, which is kept). The copy stays sparse (the 1 GiB
     * image holds about 130 MiB of data), and appears whole or not at all.
     */
    public static Path copyImage(Build build, Path dest) throws IOException {
        if (Files.exists(dest)) return dest;
        Path parent = dest.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, dest.getFileName().toString(), ".partial");
        try {
            // cp keeps holes (Files.copy would write the whole gigabyte)
            var p = new ProcessBuilder("cp", "--sparse=always", build.image().toString(), tmp.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("copying " + build.image() + " to " + dest + " failed: " + out.strip());
            }
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            return dest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying " + build.image(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
