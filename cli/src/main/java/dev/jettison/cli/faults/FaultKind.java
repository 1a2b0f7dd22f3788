package dev.jettison.cli.faults;

import java.io.IOException;
import java.util.List;

/**
 * A fault the suite injects into a running pair of daemons, and how it ends: a killed process
 * is started again with the same arguments, a stopped one continued, a cut network restored.
 */
public sealed interface FaultKind {
    /** The name on the command line and in the table. */
    String name();

    void inject(Target t) throws IOException, InterruptedException;

    void lift(Target t) throws IOException, InterruptedException;

    /** Why this kind cannot run with this build, or null if it can. */
    default String unsupportedReason() { return null; }

    /** SIGKILL the consolidation server; it is restarted with the same arguments and state dir. */
    record ServerKill() implements FaultKind {
        public String name() { return "server-kill"; }
        public void inject(Target t) throws IOException, InterruptedException { t.killServer(); }
        public void lift(Target t) throws IOException, InterruptedException { t.startServer(); }
    }

    /** SIGSTOP the server (a hung machine: its sockets still accept, nothing answers); SIGCONT later. */
    record ServerHang() implements FaultKind {
        public String name() { return "server-hang"; }
        public void inject(Target t) throws IOException, InterruptedException { t.signalServer("STOP"); }
        public void lift(Target t) throws IOException, InterruptedException { t.signalServer("CONT"); }
    }

    /** Every packet on the veth dropped at both ends (a silent blackhole, no resets); restored later. */
    record NetCut() implements FaultKind {
        public String name() { return "net-cut"; }
        public void inject(Target t) throws IOException, InterruptedException { t.cutNetwork(); }
        public void lift(Target t) throws IOException, InterruptedException { t.restoreNetwork(); }
    }

    /**
     * SIGKILL the desktop daemon, then start it again with identical arguments: it needs a
     * desktop whose residue survives the process ({@code jettison desktop --state-dir}).
     */
    record DesktopKill(boolean desktopHasStateDir) implements FaultKind {
        public String name() { return "desktop-kill"; }
        public void inject(Target t) throws IOException, InterruptedException { t.killDesktop(); }
        public void lift(Target t) throws IOException, InterruptedException { t.startDesktop(); }

        @Override
        public String unsupportedReason() {
            return desktopHasStateDir ? null : "not yet supported: `jettison desktop` has no --state-dir, so a killed desktop"
                    + " daemon loses the guest's RAM (issue 8, durable residue)";
        }
    }

    /**
     * No fault at all: the same trip with nothing injected, to tell a fault's harm from a plain
     * trip's. Not among the defaults; ask for it with --kinds none.
     */
    record None() implements FaultKind {
        public String name() { return "none"; }
        public void inject(Target t) { }
        public void lift(Target t) { }
    }

    /** Every kind, in table order; {@code desktopHasStateDir} says whether desktop-kill can run. */
    static List<FaultKind> all(boolean desktopHasStateDir) {
        return List.of(new ServerKill(), new ServerHang(), new NetCut(), new DesktopKill(desktopHasStateDir));
    }

    static FaultKind parse(String name, boolean desktopHasStateDir) {
        if (name.equals("none")) return new None();
        for (var k : all(desktopHasStateDir)) if (k.name().equals(name)) return k;
        throw new IllegalArgumentException("unknown fault kind '" + name + "' (server-kill, server-hang, net-cut, desktop-kill, or none)");
    }
}
