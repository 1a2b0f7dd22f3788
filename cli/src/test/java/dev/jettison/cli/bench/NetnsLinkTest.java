package dev.jettison.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NetnsLinkTest {
    @Test
    void loopbackRunsCommandsAsTheyAre() {
        var l = new Link.Loopback();
        assertEquals(List.of("x", "y"), l.onServer(List.of("x", "y")));
        assertEquals("127.0.0.1", l.serverHost());
    }

    /** Needs root and iproute2: creates the namespaces, checks the shaping and the path, and that close removes all. */
    @Test
    void createsShapesAndRemovesNamespaces() throws Exception {
        assumeTrue(isRoot() && NetnsLink.exec(List.of("ip", "netns", "list")).code() == 0, "needs root and ip netns");
        String tag = "t" + (ProcessHandle.current().pid() % 10000);
        String ns;
        try (var link = NetnsLink.create(tag, 1_000_000_000L)) {
            ns = link.desktopNs();
            assertEquals("veth-1gbit", link.name());
            assertTrue(link.desktopHost().startsWith("10.203.") && link.desktopHost().endsWith(".1"));
            var qdisc = NetnsLink.exec(List.of("tc", "-n", link.serverNs(), "qdisc", "show"));
            assertTrue(qdisc.output().contains("tbf") && qdisc.output().contains("rate 1Gbit"), qdisc.output());
            var ping = NetnsLink.exec(link.onServer(List.of("ping", "-c", "1", "-W", "2", link.desktopHost())));
            assertEquals(0, ping.code(), ping.output());
            assertEquals(List.of("ip", "netns", "exec", link.desktopNs(), "true"), link.onDesktop(List.of("true")));
            assertTrue(link.shapingCommands().getFirst().containsAll(List.of("tbf", "rate", "1000000000bit")));
        }
        var list = NetnsLink.exec(List.of("ip", "netns", "list")).output();
        assertFalse(list.contains(ns), list);
        assertFalse(list.contains("jb-" + tag), list);
    }

    @Test
    void failedSetupCleansUp() throws Exception {
        assumeTrue(isRoot() && NetnsLink.exec(List.of("ip", "netns", "list")).code() == 0, "needs root and ip netns");
        String tag = "f" + (ProcessHandle.current().pid() % 10000);
        NetnsLink.run(List.of("ip", "netns", "add", "jb-" + tag + "-s")); // make the second "ip netns add" fail
        try {
            assertThrows(java.io.IOException.class, () -> NetnsLink.create(tag, 1_000_000_000L));
            assertFalse(NetnsLink.exec(List.of("ip", "netns", "list")).output().contains("jb-" + tag + "-d"));
        } finally {
            NetnsLink.exec(List.of("ip", "netns", "del", "jb-" + tag + "-s"));
        }
    }

    private static boolean isRoot() throws Exception {
        return NetnsLink.exec(List.of("id", "-u")).output().strip().equals("0");
    }
}
