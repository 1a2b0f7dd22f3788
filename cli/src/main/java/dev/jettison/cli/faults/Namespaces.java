package dev.jettison.cli.faults;

import dev.jettison.cli.bench.NetnsLink;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The suite's network namespaces, jf-PID-d and jf-PID-s, named after the process that made them:
 * a namespace whose maker is gone is a leftover of a run that could not clean up (killed), and is
 * removed with every process still in it before a new suite starts.
 */
final class Namespaces {
    static final NetnsLink.Naming NAMING = new NetnsLink.Naming("jf", "10.207");
    private static final Pattern OURS = Pattern.compile("jf-(\\d+)-[ds]");

    private Namespaces() {}

    /** Namespaces of suites whose process is gone, from {@code ip netns list} output. */
    static List<String> leftovers(String ipNetnsList, java.util.function.LongPredicate alive) {
        var names = new ArrayList<String>();
        for (String line : ipNetnsList.lines().toList()) {
            String name = line.strip().split("\\s+")[0];
            var m = OURS.matcher(name);
            if (m.matches() && !alive.test(Long.parseLong(m.group(1)))) names.add(name);
        }
        return names;
    }

    static void removeLeftovers(PrintStream out) throws IOException, InterruptedException {
        var list = NetnsLink.exec(List.of("ip", "netns", "list"));
        if (list.code() != 0) throw new IOException("ip netns list failed (network namespaces need root): " + list.output().strip());
        for (String ns : leftovers(list.output(), pid -> ProcessHandle.of(pid).isPresent())) {
            out.println("removing namespace " + ns + " left by an earlier run");
            remove(ns);
        }
    }

    /** Ends every process in {@code ns} (the suite started them all) by its id, then deletes it. */
    static void remove(String ns) throws IOException, InterruptedException {
        killProcessesIn(ns);
        NetnsLink.exec(List.of("ip", "netns", "del", ns));
    }

    static void killProcessesIn(String... namespaces) throws IOException, InterruptedException {
        for (String ns : namespaces) {
            var pids = NetnsLink.exec(List.of("ip", "netns", "pids", ns));
            if (pids.code() != 0) continue;
            for (String p : pids.output().lines().map(String::strip).filter(s -> s.matches("\\d+")).toList()) {
                ProcessHandle.of(Long.parseLong(p)).ifPresent(h -> {
                    h.destroyForcibly();
                    h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> h).join();
                });
            }
        }
    }
}
