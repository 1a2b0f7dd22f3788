package dev.jettison.vmm.guest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test guest's network stack (guest/net, freestanding C) against a real Linux peer on a
 * tap device in a network namespace the script creates and removes: ping, TCP echo, concurrent
 * connections, and connections surviving a multi-second pause like a migration's.
 */
class GuestNetStackTest {
    @Test
    void linuxPeerCanPingAndEchoThroughPauses() throws Exception {
        KvmGuests.requireRoot();
        Path home = TestGuest.home().orElseThrow();
        var p = new ProcessBuilder("bash", home.resolve("guest/net/test-host.sh").toString())
                .directory(home.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "test-host.sh did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("0 failed"), out);
        assertTrue(out.contains("PASS"), out);
    }
}
