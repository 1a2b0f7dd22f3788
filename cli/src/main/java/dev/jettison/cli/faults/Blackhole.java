package dev.jettison.cli.faults;

import dev.jettison.cli.bench.NetnsLink;

import java.io.IOException;
import java.util.List;

/**
 * How the network is cut: every packet leaving either end of the veth is dropped at its root
 * qdisc, so nothing arrives and nothing is refused (no resets, no ICMP): a blackhole. netem with
 * 100% loss where the kernel has it; otherwise a pfifo queue of length 0, which drops every packet
 * it is given just the same (some kernels, like this project's PVM hosts, build no sch_netem).
 */
public record Blackhole(String qdisc) {
    public static final Blackhole NETEM = new Blackhole("netem");
    public static final Blackhole PFIFO0 = new Blackhole("pfifo");

    public Blackhole {
        if (!qdisc.equals("netem") && !qdisc.equals("pfifo")) {
            throw new IllegalArgumentException("blackhole must be netem or pfifo: " + qdisc);
        }
    }

    List<String> cut(String ns, String dev) {
        var head = List.of("tc", "-n", ns, "qdisc", "add", "dev", dev, "root");
        var tail = qdisc.equals("netem") ? List.of("netem", "loss", "100%") : List.of("pfifo", "limit", "0");
        return java.util.stream.Stream.concat(head.stream(), tail.stream()).toList();
    }

    List<String> restore(String ns, String dev) {
        return List.of("tc", "-n", ns, "qdisc", "del", "dev", dev, "root");
    }

    public String describe() {
        return qdisc.equals("netem") ? "tc netem loss 100% on both ends of the veth"
                : "tc pfifo limit 0 on both ends of the veth (this kernel has no sch_netem; every packet is dropped the same way)";
    }

    /** netem if this kernel has it (loading sch_netem if need be), else pfifo limit 0; tried on {@code ns}'s {@code dev}. */
    static Blackhole probe(String ns, String dev) throws IOException, InterruptedException {
        if (tryOnce(NETEM, ns, dev)) return NETEM;
        try {
            NetnsLink.loadQdisc("sch_netem");
            if (tryOnce(NETEM, ns, dev)) return NETEM;
        } catch (IOException e) {
            // no netem here: the pfifo blackhole below
        }
        if (tryOnce(PFIFO0, ns, dev)) return PFIFO0;
        throw new IOException("cannot cut the network: neither tc netem nor tc pfifo works on " + dev + " in " + ns);
    }

    private static boolean tryOnce(Blackhole b, String ns, String dev) throws IOException, InterruptedException {
        if (NetnsLink.exec(b.cut(ns, dev)).code() != 0) return false;
        NetnsLink.run(b.restore(ns, dev));
        return true;
    }
}
