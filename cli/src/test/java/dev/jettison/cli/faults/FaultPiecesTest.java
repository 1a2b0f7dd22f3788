package dev.jettison.cli.faults;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The small pieces of the suite that need neither KVM nor root. */
class FaultPiecesTest {
    /** Records what the faults did to it. */
    private static final class Recorder implements Target {
        final List<String> calls = new ArrayList<>();
        public void killServer() { calls.add("killServer"); }
        public void startServer() { calls.add("startServer"); }
        public void signalServer(String name) { calls.add("signalServer " + name); }
        public void cutNetwork() { calls.add("cutNetwork"); }
        public void restoreNetwork() { calls.add("restoreNetwork"); }
        public void killDesktop() { calls.add("killDesktop"); }
        public void startDesktop() { calls.add("startDesktop"); }
    }

    @Test
    void eachKindIsInjectedAndLiftedAsDocumented() throws Exception {
        var expected = Map.of("server-kill", List.of("killServer", "startServer"),
                "server-hang", List.of("signalServer STOP", "signalServer CONT"),
                "net-cut", List.of("cutNetwork", "restoreNetwork"),
                "desktop-kill", List.of("killDesktop", "startDesktop"));
        for (var k : FaultKind.all(true)) {
            var r = new Recorder();
            k.inject(r);
            k.lift(r);
            assertEquals(expected.get(k.name()), r.calls, k.name());
        }
        var control = new Recorder();
        var none = FaultKind.parse("none", false);
        none.inject(control);
        none.lift(control);
        assertEquals(List.of(), control.calls);
    }

    @Test
    void blackholeCommandsDropEverythingAtBothQdiscsAndRemoveThem() {
        assertEquals(List.of("tc", "-n", "ns", "qdisc", "add", "dev", "v0", "root", "netem", "loss", "100%"), Blackhole.NETEM.cut("ns", "v0"));
        assertEquals(List.of("tc", "-n", "ns", "qdisc", "add", "dev", "v0", "root", "pfifo", "limit", "0"), Blackhole.PFIFO0.cut("ns", "v0"));
        assertEquals(List.of("tc", "-n", "ns", "qdisc", "del", "dev", "v0", "root"), Blackhole.PFIFO0.restore("ns", "v0"));
        assertThrows(IllegalArgumentException.class, () -> new Blackhole("iptables"));
    }

    @Test
    void statusPagesAreParsedAsTheDaemonsWriteThem() {
        assertEquals(Optional.of("REMOTE"), DaemonHttp.parseDesktopStatus("faults REMOTE desktop AWAKE\n"));
        assertEquals(Optional.empty(), DaemonHttp.parseDesktopStatus("\n"));
        assertEquals(Map.of("a", "RUNNING", "b", "FENCED"), DaemonHttp.parseServerVms("a RUNNING\nb FENCED\n"));
        assertEquals(Map.of(), DaemonHttp.parseServerVms(""));
    }

    /** Only namespaces named after a suite process that is gone are leftovers; other names are never touched. */
    @Test
    void leftoversAreOurNamespacesWhoseMakerIsGone() {
        String list = "jf-100-d (id: 3)\njf-100-s (id: 2)\njf-200-d\njb-100-d (id: 1)\njf-x-d\nother\n";
        assertEquals(List.of("jf-100-d", "jf-100-s"), Namespaces.leftovers(list, pid -> pid == 200));
        assertEquals(List.of(), Namespaces.leftovers("", pid -> false));
    }
}
