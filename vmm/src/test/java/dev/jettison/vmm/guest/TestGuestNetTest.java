package dev.jettison.vmm.guest;

import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test guest's virtio-net over a real tap device, seen from a Linux peer in a network
 * namespace this test creates and removes: ping and a TCP echo get answers.
 */
@Tag("kvm")
class TestGuestNetTest {
    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
    private final String ns = "jts-vm-" + suffix;
    private final String tap = "jtsv" + suffix;
    private boolean created;

    @BeforeEach
    void setUp() throws Exception {
        KvmGuests.requireKvm();
        KvmGuests.requireRoot();
        sh("ip", "netns", "add", ns);
        created = true;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (created) sh("ip", "netns", "del", ns);
    }

    private static String sh(String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Test
    void linuxPeerPingsAndEchoesThroughTheGuest() throws Exception {
        var cfg = VmConfig.of(KvmGuests.testGuest(), 128 * MemoryLayout.MIB)
                .withCmdline("prog=net net.ip=10.0.2.15/24").withTap(tap);
        try (var vm = VirtualMachine.create(cfg)) {
            // The tap was created in our namespace when the VMM opened it; the peer side moves into the test's.
            sh("ip", "link", "set", tap, "netns", ns);
            sh("ip", "netns", "exec", ns, "ip", "addr", "add", "10.0.2.2/24", "dev", tap);
            sh("ip", "netns", "exec", ns, "ip", "link", "set", tap, "up");
            vm.start();
            vm.console().awaitLine(l -> l.startsWith("JTS:NET UP"), Duration.ofSeconds(60));
            String ping = sh("ip", "netns", "exec", ns, "ping", "-c", "3", "-W", "5", "10.0.2.15");
            assertTrue(ping.contains("3 received"), ping);
            try {
                assertEquals("echoed 1000 match", echo(1000));
                assertEquals("echoed 65536 match", echo(65536));
            } catch (IOException | AssertionError e) {
                vm.sendConsoleLine("status"); // the stack's counters say where frames stopped
                Thread.sleep(2000);
                var lines = vm.console().lines();
                throw new AssertionError(e.getMessage() + "\nguest console (last lines):\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())), e);
            }
        }
    }

    /** A TCP echo of {@code bytes} random bytes from the peer namespace; returns "echoed N match" when all came back. */
    private String echo(int bytes) throws Exception {
        String script = String.join("\n", List.of(
                "import os, socket",
                "data = os.urandom(" + bytes + ")",
                "s = socket.create_connection(('10.0.2.15', 7), timeout=30)",
                "s.sendall(data)",
                "s.shutdown(socket.SHUT_WR)",
                "got = b''",
                "while True:",
                "    b = s.recv(65536)",
                "    if not b: break",
                "    got += b",
                "print('echoed', len(got), 'match' if got == data else 'MISMATCH')"));
        return sh("ip", "netns", "exec", ns, "python3", "-c", script).strip();
    }
}
