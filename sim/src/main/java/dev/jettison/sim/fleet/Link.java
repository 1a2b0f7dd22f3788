package dev.jettison.sim.fleet;

import dev.jettison.sim.fleet.Assumption.LinkSharing;

/**
 * An office's shared link to its consolidation servers (§6: "takes into account network contention
 * due to concurrent VM migrations"). The variants differ only in who gets the capacity when.
 */
public sealed interface Link permits SharedLink, QueuedLink {
    /** @param reintegration a user is waiting for this one (a queue may put it first) */
    Transfer start(double t, int owner, double bytes, boolean reintegration);

    /** Stops a transfer (the user came back mid-consolidation); the bytes already sent stay sent. */
    void cancel(double t, Transfer tr);

    /** When the next transfer completes if nothing else changes; +inf when idle. */
    double nextCompletion();

    /** Completes the transfer due at {@code t} (which must be {@link #nextCompletion()}). */
    Transfer complete(double t);

    /** Seconds during which at least one transfer was moving bytes. */
    double busySeconds();

    double deliveredBytes();

    /** Brings the busy/delivered accounting up to {@code t} (end of the simulated day). */
    void advanceTo(double t);

    static Link of(LinkSharing sharing, double bitsPerSecond) {
        return switch (sharing) {
            case FAIR_SHARE -> new SharedLink(bitsPerSecond);
            case ONE_AT_A_TIME -> new QueuedLink(bitsPerSecond, false);
            case ONE_AT_A_TIME_RETURNS_FIRST -> new QueuedLink(bitsPerSecond, true);
        };
    }
}
