package dev.jettison.cli.vm;

import dev.jettison.vmm.guest.DebianGuest;
import dev.jettison.vmm.guest.LinuxGuest;
import dev.jettison.vmm.guest.TestGuest;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@code --guest} boots when the user names no kernel (docs/guests.md): the kernel, initrd,
 * command line and disk of our test guest, of Debian's kernel with the busybox initramfs, or of
 * the Debian desktop (that kernel and initramfs with the debootstrapped disk as root).
 * {@code --kernel}, {@code --initrd}, {@code --cmdline} and {@code --disk} override each part;
 * {@code --append} adds kernel arguments to whichever command line results.
 */
public record GuestBoot(Path kernel, Path initrd, String cmdline, Path disk) {
    public enum Kind { test, linux, debian }

    /** Debian's stock kernel without ACPI (our machine has an MP table), PCI through configuration mechanism #1. */
    static final String LINUX_CMDLINE = "console=ttyS0 earlyprintk=serial,ttyS0 noapic=0 pci=conf1 acpi=off";

    /** The user's choices; any of the paths and strings may be null (= the guest's default). */
    public record Choice(Kind guest, Path kernel, Path initrd, String cmdline, String append, Path disk) {}

    /**
     * Resolves {@code c}; for the Debian guest without --disk, {@code debianDisk} receives a copy
     * of the built image on first use (an existing file there is the guest's disk from before).
     */
    public static GuestBoot resolve(Choice c, Path debianDisk) throws IOException {
        Path k = c.kernel(), rd = c.initrd(), disk = c.disk();
        String cmd = c.cmdline();
        switch (c.guest()) {
            case test -> {
                if (k == null) {
                    k = TestGuest.bzImage();
                    if (cmd == null) cmd = "prog=idle";
                }
            }
            case linux -> {
                if (k == null || rd == null) {
                    var linux = LinuxGuest.ensureBuilt();
                    if (k == null) k = linux.resolve(LinuxGuest.KERNEL);
                    if (rd == null) rd = linux.resolve(LinuxGuest.INITRD);
                }
                if (cmd == null) cmd = LINUX_CMDLINE;
            }
            case debian -> {
                var build = DebianGuest.ensureBuilt();
                if (k == null) k = build.kernel();
                if (rd == null) rd = build.initrd();
                if (cmd == null) cmd = DebianGuest.CMDLINE;
                if (disk == null) disk = DebianGuest.copyImage(build, debianDisk);
            }
        }
        if (cmd == null) cmd = "";
        if (c.append() != null && !c.append().isBlank()) cmd = (cmd + " " + c.append().strip()).strip();
        return new GuestBoot(k, rd, cmd, disk);
    }
}
