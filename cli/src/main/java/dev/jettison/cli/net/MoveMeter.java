package dev.jettison.cli.net;

/**
 * What a client on the LAN sees of one move of the VM: the longest silence of its echo
 * connection around the move, and how many of its pings (every 20 ms) went unanswered.
 */
public final class MoveMeter {
    /** Echoes that must arrive after the move before it counts as over (two seconds of traffic). */
    static final int ECHOES_AFTER = 20;

    private MoveMeter() {}

    @FunctionalInterface
    public interface Move {
        void run() throws Exception;
    }

    public record Result(String what, long longestGapMillis, long pingsLost, long pingsSent, String failure) {
        public static String header() { return String.format("%-15s %12s %15s", "move", "echo_gap_ms", "pings_lost"); }

        public String row() {
            return String.format("%-15s %12d %9d/%-5d%s", what, longestGapMillis, pingsLost, pingsSent,
                    failure == null ? "" : "  FAILED: " + failure);
        }
    }

    /** Runs {@code move} while {@code probe} talks to the guest and ping runs from {@code clientNs}. */
    public static Result measure(String what, EchoProbe probe, String clientNs, String guest, Move move) throws Exception {
        int mark = probe.echoed();
        var ping = PingProbe.start(clientNs, guest);
        try {
            move.run();
            if (!probe.awaitEchoes(mark + ECHOES_AFTER, 60_000) && probe.failure() == null) {
                return new Result(what, probe.longestGapMillis(mark), 0, 0, "no echoes for 60 s after the move");
            }
            var p = ping.stop();
            return new Result(what, probe.longestGapMillis(mark), p.lost(), p.sent(), probe.failure());
        } finally {
            ping.close();
        }
    }
}
