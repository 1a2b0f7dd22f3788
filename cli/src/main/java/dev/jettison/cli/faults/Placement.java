package dev.jettison.cli.faults;

import java.util.Map;
import java.util.Optional;

/** Where the VM is, judged from the desktop's GET /status and the server's GET /vms together. */
public sealed interface Placement {
    String describe();

    /** Runs on the desktop; the server holds nothing of it. */
    record OnDesktop() implements Placement {
        public String describe() { return "on the desktop (desktop LOCAL, server holds nothing)"; }
    }

    /** Runs on the server, and the desktop knows it is there. */
    record OnServer() implements Placement {
        public String describe() { return "on the server (desktop REMOTE, server RUNNING)"; }
    }

    /** Runs on both sides at once: the one thing that must never be seen. */
    record OnBoth(String detail) implements Placement {
        public String describe() { return "on BOTH sides: " + detail; }
    }

    /** Not (yet) one of the final states above: in flight, fenced, or a side not answering. */
    record Unsettled(String detail) implements Placement {
        public String describe() { return "unsettled: " + detail; }
    }

    default boolean settled() { return this instanceof OnDesktop || this instanceof OnServer; }

    /**
     * @param desktop the desktop's state for the VM (LOCAL, CONSOLIDATING, REMOTE, REINTEGRATING), empty if it did not answer
     * @param server  the server's VMs and their states (RUNNING, FENCED, GOING_HOME), empty if it did not answer
     */
    static Placement judge(String vmId, Optional<String> desktop, Optional<Map<String, String>> server) {
        if (desktop.isEmpty()) return new Unsettled("the desktop daemon does not answer");
        String d = desktop.get();
        String s = server.map(m -> m.get(vmId)).orElse(null);
        if (server.isEmpty()) {
            // A dead server runs nothing, but whether it will hold the VM again once back is unknown.
            return d.equals("LOCAL") ? new Unsettled("desktop LOCAL, the server does not answer")
                    : new Unsettled("desktop " + d + ", the server does not answer");
        }
        return switch (d) {
            case "LOCAL" -> s == null ? new OnDesktop()
                    : s.equals("RUNNING") ? new OnBoth("desktop LOCAL and server RUNNING")
                    : new Unsettled("desktop LOCAL, the server still holds it " + s);
            case "REMOTE" -> "RUNNING".equals(s) ? new OnServer()
                    : new Unsettled("desktop REMOTE, server " + (s == null ? "holds nothing" : s));
            default -> new Unsettled("desktop " + d + ", server " + (s == null ? "holds nothing" : s));
        };
    }
}
