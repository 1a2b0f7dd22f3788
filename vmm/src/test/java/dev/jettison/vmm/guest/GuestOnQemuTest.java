package dev.jettison.vmm.guest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The test guest OS against QEMU's own devices (software CPU, legacy virtio-pci, 16550, PVH and
 * bzImage boot): an independent check of the guest's drivers and programs, so that a failure in
 * the KVM tests can be told apart from a guest bug.
 */
class GuestOnQemuTest {
    @Test
    void guestPassesItsQemuScenarios() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 is not installed");
        Path home = TestGuest.home().orElseThrow();
        var p = new ProcessBuilder("bash", home.resolve("guest/test-qemu.sh").toString())
                .directory(home.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "test-qemu.sh did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.matches("(?s).*\\b\\d+ passed, 0 failed.*"), out);
    }
}
