package dev.jettison.cli.net;

import dev.jettison.cli.bench.ChildProcess;
import dev.jettison.sys.net.NetNamespace;

import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jettison demo --net}: the daemons as a site would run them, on one LAN built by
 * tools/netns-topology.sh. The desktop daemon runs the test guest's network program with a NIC on
 * its host's bridge; the server daemon has its own bridge; a client host holds a TCP connection to
 * the guest's echo service, a message every 100 ms, while the VM is consolidated and brought home
 * again, and we show what the client saw of each move. Everything is removed at the end.
 */
public final class NetDemo {
    private static final Duration START = Duration.ofMinutes(3);
    private static final String CONTROL = NetTopology.DESKTOP_IP + ":7700";
    private static final String SERVER = NetTopology.SERVER_IP + ":7800";

    private final PrintStream out;
    private final int cycles;
    private final int remoteSeconds;
    private final String mem;

    public NetDemo(PrintStream out, int cycles, int remoteSeconds, String mem) {
        this.out = out;
        this.cycles = cycles;
        this.remoteSeconds = remoteSeconds;
        this.mem = mem;
    }

    /** The desktop daemon's control token, read from its state folder once it runs. */
    private String token;

    public int run() throws Exception {
        Path work = Files.createTempDirectory("jettison-demo-net");
        try (var top = NetTopology.up(NetTopology.uniqueName("jd"))) {
            out.println("LAN " + top.name() + "-lan: desktop host " + NetTopology.DESKTOP_IP + ", server host "
                    + NetTopology.SERVER_IP + ", client host " + NetTopology.CLIENT_IP + "; the guest is " + NetTopology.GUEST_IP);
            // Plaintext, said so: this demo is about the network; `jettison demo` shows the same moves over mutual TLS.
            out.println("INSECURE: plaintext between desktop and server (the network demo passes --insecure)");
            try (var server = daemon("server", top.serverNs(), work, "server", "--insecure", "--listen", SERVER, "--state-dir",
                         work.resolve("server").toString(), "--bridge", NetTopology.BRIDGE);
                 var desktop = daemon("desktop", top.desktopNs(), work, "desktop", "--insecure", "--vm-id", "demo-net", "--mem", mem,
                         "--cmdline", "prog=net net.ip=" + NetTopology.GUEST_IP + "/24", "--bridge", NetTopology.BRIDGE,
                         "--serve", NetTopology.DESKTOP_IP + ":0", "--control", CONTROL, "--power", "none",
                         "--state-dir", work.resolve("desktop").toString())) {
                server.awaitLine(0, l -> l.startsWith("jettison server listening on"), START, "the server's listening line");
                desktop.awaitLine(0, l -> l.startsWith("JTS:NET UP"), START, "the guest's network");
                out.println("desktop and server daemons up; the guest answers on the desktop host's bridge");
                token = dev.jettison.cli.control.ControlToken.read(work.resolve("desktop").resolve(dev.jettison.cli.control.ControlToken.FILE));
                return cycles(top);
            }
        } finally {
            deleteTree(work);
        }
    }

    private int cycles(NetTopology top) throws Exception {
        var results = new ArrayList<MoveMeter.Result>();
        try (var probe = EchoProbe.connect(top.clientNs(), NetTopology.GUEST_IP, 7)) {
            if (!probe.awaitEchoes(10, 20_000)) throw new IOException("no echoes from the guest at home: " + probe.failure());
            out.println("client " + NetTopology.CLIENT_IP + " holds a TCP connection to the guest's echo service, a message every "
                    + EchoProbe.PERIOD_MILLIS + " ms");
            for (int c = 1; c <= cycles && probe.failure() == null; c++) {
                results.add(show(MoveMeter.measure("consolidate " + c, probe, top.clientNs(), NetTopology.GUEST_IP,
                        () -> post(top, "/consolidate?server=" + SERVER))));
                int before = probe.echoed();
                Thread.sleep(remoteSeconds * 1000L);
                out.printf("  on the server for %d s: %d more echoes over the same connection%n", remoteSeconds, probe.echoed() - before);
                results.add(show(MoveMeter.measure("reintegrate " + c, probe, top.clientNs(), NetTopology.GUEST_IP,
                        () -> post(top, "/reintegrate"))));
                Thread.sleep(1000);
            }
            long sent = probe.sent();
            probe.awaitEchoes((int) sent - 2, 10_000);
            out.println();
            out.println(MoveMeter.Result.header());
            results.forEach(r -> out.println(r.row()));
            out.printf("client: %d messages sent, %d echoed in order and intact%n", sent, probe.echoed());
            boolean ok = probe.failure() == null && results.stream().allMatch(r -> r.failure() == null);
            out.println(ok ? "RESULT: the client's connection survived every move"
                    : "RESULT: THE CONNECTION FAILED: " + probe.failure());
            return ok ? 0 : 1;
        }
    }

    private MoveMeter.Result show(MoveMeter.Result r) {
        out.println("  " + r.row());
        return r;
    }

    /** POSTs to the desktop daemon's control API from the client host (HttpURLConnection opens its socket on this thread). */
    private void post(NetTopology top, String pathAndQuery) throws Exception {
        String answer = NetNamespace.call(top.clientNs(), () -> {
            var c = (HttpURLConnection) URI.create("http://" + CONTROL + pathAndQuery).toURL().openConnection();
            c.setRequestMethod("POST");
            c.setRequestProperty(dev.jettison.cli.control.ControlToken.HEADER, dev.jettison.cli.control.ControlToken.SCHEME + token);
            c.setConnectTimeout(5000);
            c.setReadTimeout(600_000);
            int code = c.getResponseCode();
            try (var in = code == 200 ? c.getInputStream() : c.getErrorStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                if (code != 200) throw new IOException("desktop daemon answered " + code + ": " + body);
                return body;
            } finally {
                c.disconnect();
            }
        });
        // "consolidated ... in N ms", or the reintegration report's time line
        out.println("  " + answer.lines().filter(l -> l.startsWith("consolidated") || l.contains("reintegration "))
                .map(String::strip).findFirst().orElse(answer.lines().findFirst().orElse("")));
    }

    private ChildProcess daemon(String name, String ns, Path work, String... args) throws IOException {
        var cmd = new ArrayList<>(NetTopology.in(ns));
        cmd.addAll(ChildProcess.jettison(args));
        return ChildProcess.start(name, cmd, work.resolve(name + ".stderr"), null, work.resolve(name + ".stdout"));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
