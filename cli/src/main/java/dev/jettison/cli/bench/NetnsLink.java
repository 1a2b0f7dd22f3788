package dev.jettison.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two network namespaces joined by a veth pair whose both directions are shaped with a token
 * bucket ({@code tc qdisc ... tbf rate R}): the desktop on 10.203.X.1, the server on 10.203.X.2
 * (other users pick their own {@link Naming}). Closing deletes both namespaces (which deletes the
 * veth pair), and so does a failed setup.
 */
public final class NetnsLink implements Link {
    /**
     * How one user of namespaces names them and addresses them, so that two benchmarks never
     * share a name: namespaces PREFIX-TAG-d/-s, interfaces PREFIXTAGd/s, addresses NET.X.1/2.
     */
    public record Naming(String prefix, String net) {
        public static final Naming BENCH = new Naming("jb", "10.203");

        public Naming {
            if (!prefix.matches("[a-z]{1,3}")) throw new IllegalArgumentException("namespace prefix must be 1-3 letters: " + prefix);
            if (!net.matches("10\\.\\d{1,3}")) throw new IllegalArgumentException("network must be 10.N: " + net);
        }
    }

    /** Where tools/kvm-emu keeps the emulated host's kernel modules (its initramfs loads only a few). */
    static final Path KVM_EMU_KERNEL = Path.of(System.getenv().getOrDefault("KVM_EMU_CACHE", "/var/cache/jettison/kvm-emu"), "kernel");

    private final Naming naming;
    private final String tag;
    private final long rateBits;
    private boolean open;

    private NetnsLink(Naming naming, String tag, long rateBits) {
        this.naming = naming;
        this.tag = tag;
        this.rateBits = rateBits;
    }

    /** Creates the namespaces, veth pair and shaping; {@code tag} keeps names unique (a few letters or digits). */
    static NetnsLink create(String tag, long rateBitsPerSecond) throws IOException, InterruptedException {
        return create(Naming.BENCH, tag, rateBitsPerSecond);
    }

    /** As above with names and addresses of {@code naming}; rate 0 leaves the link unshaped. */
    public static NetnsLink create(Naming naming, String tag, long rateBitsPerSecond) throws IOException, InterruptedException {
        var link = new NetnsLink(naming, tag, rateBitsPerSecond);
        link.open = true;
        try {
            for (var cmd : link.setupCommands()) run(cmd);
            if (rateBitsPerSecond > 0) link.shape();
            run(link.onDesktop(List.of("ping", "-c", "1", "-W", "5", link.serverHost())));
        } catch (IOException | InterruptedException | RuntimeException e) {
            link.close();
            throw e;
        }
        return link;
    }

    public String desktopNs() { return naming.prefix() + "-" + tag + "-d"; }

    public String serverNs() { return naming.prefix() + "-" + tag + "-s"; }

    public String desktopIf() { return naming.prefix() + tag + "d"; }

    public String serverIf() { return naming.prefix() + tag + "s"; }

    private int subnet() { return Math.floorMod(tag.hashCode(), 250) + 1; }

    @Override public String name() { return "veth-" + BenchReport.rate(rateBits); }

    @Override public long rateBitsPerSecond() { return rateBits; }

    @Override public String desktopHost() { return naming.net() + "." + subnet() + ".1"; }

    @Override public String serverHost() { return naming.net() + "." + subnet() + ".2"; }

    @Override public List<String> desktopPrefix() { return List.of("ip", "netns", "exec", desktopNs()); }

    @Override public List<String> serverPrefix() { return List.of("ip", "netns", "exec", serverNs()); }

    List<List<String>> setupCommands() {
        return List.of(
                List.of("ip", "netns", "add", desktopNs()),
                List.of("ip", "netns", "add", serverNs()),
                List.of("ip", "link", "add", desktopIf(), "type", "veth", "peer", "name", serverIf()),
                List.of("ip", "link", "set", desktopIf(), "netns", desktopNs()),
                List.of("ip", "link", "set", serverIf(), "netns", serverNs()),
                List.of("ip", "-n", desktopNs(), "addr", "add", desktopHost() + "/30", "dev", desktopIf()),
                List.of("ip", "-n", serverNs(), "addr", "add", serverHost() + "/30", "dev", serverIf()),
                List.of("ip", "-n", desktopNs(), "link", "set", "lo", "up"),
                List.of("ip", "-n", serverNs(), "link", "set", "lo", "up"),
                List.of("ip", "-n", desktopNs(), "link", "set", desktopIf(), "up"),
                List.of("ip", "-n", serverNs(), "link", "set", serverIf(), "up"));
    }

    /**
     * Token bucket on each end's egress: the burst is 4 ms at the rate (at least 64 KiB) so a
     * 250 Hz kernel can still reach the rate; packets wait at most 20 ms in the queue.
     */
    List<List<String>> shapingCommands() {
        long burst = Math.max(64 << 10, rateBits / 8 / 250);
        var cmds = new ArrayList<List<String>>();
        for (var end : List.of(List.of(desktopNs(), desktopIf()), List.of(serverNs(), serverIf()))) {
            cmds.add(List.of("tc", "-n", end.get(0), "qdisc", "add", "dev", end.get(1), "root", "tbf",
                    "rate", Long.toString(rateBits) + "bit", "burst", Long.toString(burst), "latency", "20ms"));
        }
        return cmds;
    }

    List<List<String>> teardownCommands() {
        return List.of(List.of("ip", "netns", "del", desktopNs()), List.of("ip", "netns", "del", serverNs()));
    }

    private void shape() throws IOException, InterruptedException {
        for (var cmd : shapingCommands()) {
            if (exec(cmd).code() != 0) {
                loadQdisc("sch_tbf");
                run(cmd);
            }
        }
    }

    /** A qdisc module that is not built in (sch_tbf, sch_netem); the emulated host's modules live outside /lib/modules. */
    public static void loadQdisc(String module) throws IOException, InterruptedException {
        var plain = exec(List.of("modprobe", module));
        if (plain.code() == 0) return;
        if (Files.isDirectory(KVM_EMU_KERNEL) && exec(List.of("modprobe", "-d", KVM_EMU_KERNEL.toString(), module)).code() == 0) return;
        throw new IOException("tc has no " + module.substring(4) + " qdisc here and `modprobe " + module + "` failed: "
                + plain.output().strip() + (Files.isDirectory(KVM_EMU_KERNEL) ? " (also tried modprobe -d " + KVM_EMU_KERNEL + ")" : ""));
    }

    @Override
    public void close() {
        if (!open) return;
        open = false;
        for (var cmd : teardownCommands()) {
            try {
                exec(cmd);
            } catch (IOException | InterruptedException e) {
                System.err.println("jettison bench: could not run " + String.join(" ", cmd) + ": " + e.getMessage());
            }
        }
    }

    public record Result(int code, String output) {}

    public static Result exec(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd.getFirst() + " (apt-get install iproute2 iputils-ping): " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    public static void run(List<String> cmd) throws IOException, InterruptedException {
        var r = exec(cmd);
        if (r.code() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + r.code() + "): " + r.output().strip()
                    + (cmd.getFirst().equals("ip") || cmd.getFirst().equals("tc") ? " (network namespaces need root)" : ""));
        }
    }
}
