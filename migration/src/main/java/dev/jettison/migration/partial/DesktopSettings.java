package dev.jettison.migration.partial;

import dev.jettison.migration.wire.WireSecurity;

import java.time.Duration;

/**
 * The desktop's clocks for partial migration: every wait on the server is bounded.
 *
 * @param consolidateTimeout longest wait for each reply while consolidating; past it the guest resumes here
 * @param serverSilence      silence of the server (while this desktop is awake and its VM away) after
 *                           which the server is presumed lost: longer than the server's fence time
 * @param reattachWindow     how long a desktop that lost its server tries to reach it again before it
 *                           resumes the guest from its residue
 * @param releaseWindow      how long it keeps telling a server to forget a VM that runs here again
 * @param security           mutual TLS under the site CA, or plaintext with {@code --insecure}, for the
 *                           control channel and for memserv and diskserv
 */
public record DesktopSettings(Duration consolidateTimeout, Duration serverSilence, Duration reattachWindow,
                              Duration releaseWindow, WireSecurity security) {
    public static final DesktopSettings DEFAULT = new DesktopSettings(Duration.ofSeconds(30), Duration.ofSeconds(12),
            Duration.ofSeconds(15), Duration.ofMinutes(10));

    public DesktopSettings(Duration consolidateTimeout, Duration serverSilence, Duration reattachWindow,
                           Duration releaseWindow) {
        this(consolidateTimeout, serverSilence, reattachWindow, releaseWindow, WireSecurity.PLAINTEXT);
    }

    public DesktopSettings {
        java.util.Objects.requireNonNull(security, "security");
        for (var d : new Duration[]{consolidateTimeout, serverSilence, reattachWindow, releaseWindow}) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("desktop timeouts must be > 0: " + d);
        }
    }

    /** All clocks divided by {@code factor}: for tests that inject failures. */
    public DesktopSettings scaled(double factor) {
        return new DesktopSettings(ServerSettings.div(consolidateTimeout, factor), ServerSettings.div(serverSilence, factor),
                ServerSettings.div(reattachWindow, factor), ServerSettings.div(releaseWindow, factor), security);
    }

    /** These clocks with {@code s} for every connection. */
    public DesktopSettings withSecurity(WireSecurity s) {
        return new DesktopSettings(consolidateTimeout, serverSilence, reattachWindow, releaseWindow, s);
    }
}
