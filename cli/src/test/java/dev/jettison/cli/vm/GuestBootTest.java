package dev.jettison.cli.vm;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What --guest, --kernel, --initrd, --cmdline, --append and --disk add up to, where no build is needed. */
class GuestBootTest {
    private static final Path K = Path.of("/k/bzImage"), RD = Path.of("/k/initrd"), DISK = Path.of("/d/disk.img");

    @Test
    void linuxGuestKeepsItsCommandLineAndAppendsArguments() throws Exception {
        var b = GuestBoot.resolve(new GuestBoot.Choice(GuestBoot.Kind.linux, K, RD, null, " jettison.action=poweroff ", null), null);
        assertEquals(new GuestBoot(K, RD, GuestBoot.LINUX_CMDLINE + " jettison.action=poweroff", null), b);
    }

    @Test
    void givenCommandLineReplacesTheGuestsAndAppendStillAdds() throws Exception {
        var b = GuestBoot.resolve(new GuestBoot.Choice(GuestBoot.Kind.linux, K, RD, "console=ttyS0", "quiet", DISK), null);
        assertEquals("console=ttyS0 quiet", b.cmdline());
        assertEquals(DISK, b.disk());
    }

    @Test
    void ownKernelForTheTestGuestHasNoDefaultProgram() throws Exception {
        var b = GuestBoot.resolve(new GuestBoot.Choice(GuestBoot.Kind.test, K, null, null, null, null), null);
        assertEquals("", b.cmdline());
        assertNull(b.initrd());
    }
}
