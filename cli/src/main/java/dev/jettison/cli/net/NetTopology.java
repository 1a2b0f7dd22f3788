package dev.jettison.cli.net;

import dev.jettison.cli.bench.NetnsLink;
import dev.jettison.vmm.guest.TestGuest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * tools/netns-topology.sh from Java: a desktop host, a server host and a client host on one LAN
 * switch, each a network namespace, with bridge br0 on the desktop and the server for the VM's tap.
 * Closing removes it all (and every process left in it); so does a failed build.
 */
public final class NetTopology implements AutoCloseable {
    public static final String BRIDGE = "br0";
    public static final String DESKTOP_IP = "10.0.2.1", SERVER_IP = "10.0.2.2", CLIENT_IP = "10.0.2.3";
    /** The test guest's address on the segment ({@code prog=net net.ip=10.0.2.15/24}). */
    public static final String GUEST_IP = "10.0.2.15";

    private final Path script;
    private final String name;
    private boolean open;

    private NetTopology(Path script, String name) {
        this.script = script;
        this.name = name;
    }

    /** Builds the topology named {@code name} (1-8 lower-case letters, digits or dashes). */
    public static NetTopology up(String name) throws IOException, InterruptedException {
        Path home = TestGuest.home().orElseThrow(() -> new IOException("cannot find the repository (tools/netns-topology.sh)"));
        Path script = home.resolve("tools/netns-topology.sh");
        if (!Files.isExecutable(script)) throw new IOException(script + " is missing or not executable");
        var t = new NetTopology(script, name);
        t.open = true;
        try {
            NetnsLink.run(List.of(script.toString(), "up", name));
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** A name unlikely to meet another run's: a prefix and this process's id. */
    public static String uniqueName(String prefix) {
        return prefix + Long.toString(ProcessHandle.current().pid() % 100_000, 36);
    }

    public String name() { return name; }

    public String desktopNs() { return name + "-d"; }

    public String serverNs() { return name + "-s"; }

    public String clientNs() { return name + "-c"; }

    /** {@code ip netns exec NS}: the prefix that runs a command in {@code ns}. */
    public static List<String> in(String ns) { return List.of("ip", "netns", "exec", ns); }

    @Override
    public void close() {
        if (!open) return;
        open = false;
        try {
            NetnsLink.run(List.of(script.toString(), "down", name));
        } catch (IOException | InterruptedException e) {
            System.err.println("jettison: could not remove network namespaces " + name + "-*: " + e.getMessage());
        }
    }
}
