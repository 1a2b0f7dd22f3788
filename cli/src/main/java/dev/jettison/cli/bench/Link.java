package dev.jettison.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the two ends of a benchmark run: the desktop side and the server side, each with the
 * address the other reaches it on and the command prefix that runs a process there.
 */
public interface Link extends AutoCloseable {
    /** Short name for reports: "loopback" or e.g. "veth-1gbit". */
    String name();

    /** Rate limit in bit/s, 0 if none. */
    long rateBitsPerSecond();

    String desktopHost();

    String serverHost();

    /** Prefix that runs a command on the desktop side (empty: in this namespace). */
    List<String> desktopPrefix();

    List<String> serverPrefix();

    default List<String> onDesktop(List<String> cmd) { return prefixed(desktopPrefix(), cmd); }

    default List<String> onServer(List<String> cmd) { return prefixed(serverPrefix(), cmd); }

    @Override
    void close();

    private static List<String> prefixed(List<String> prefix, List<String> cmd) {
        var all = new ArrayList<>(prefix);
        all.addAll(cmd);
        return all;
    }

    /** Both ends on this host's loopback. */
    record Loopback() implements Link {
        public String name() { return "loopback"; }
        public long rateBitsPerSecond() { return 0; }
        public String desktopHost() { return "127.0.0.1"; }
        public String serverHost() { return "127.0.0.1"; }
        public List<String> desktopPrefix() { return List.of(); }
        public List<String> serverPrefix() { return List.of(); }
        public void close() {}
    }
}
