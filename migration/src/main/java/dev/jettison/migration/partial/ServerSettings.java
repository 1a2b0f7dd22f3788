package dev.jettison.migration.partial;

import dev.jettison.migration.wire.WireSecurity;

import java.time.Duration;

/**
 * The consolidation server's clocks for its control channels.
 *
 * @param heartbeat     how often the server pings an awake desktop
 * @param fenceAfter    silence of an awake desktop after which its VM is paused here ("fenced"):
 *                      it must stay shorter than the desktop's {@link DesktopSettings#serverSilence()},
 *                      so the copy here has stopped before the desktop resumes its own
 * @param messageTimeout longest wait for each message of a consolidation or for the Ack of a reintegration
 * @param goHomeWait    how long a stopping server waits for its VMs to go home
 * @param security      mutual TLS under the site CA, or plaintext with {@code --insecure}, for every
 *                      connection the server accepts or opens
 */
public record ServerSettings(Duration heartbeat, Duration fenceAfter, Duration messageTimeout, Duration goHomeWait,
                             WireSecurity security) {
    public static final ServerSettings DEFAULT = new ServerSettings(Duration.ofSeconds(2), Duration.ofSeconds(8),
            Duration.ofSeconds(30), Duration.ofSeconds(60));

    public ServerSettings(Duration heartbeat, Duration fenceAfter, Duration messageTimeout, Duration goHomeWait) {
        this(heartbeat, fenceAfter, messageTimeout, goHomeWait, WireSecurity.PLAINTEXT);
    }

    public ServerSettings {
        java.util.Objects.requireNonNull(security, "security");
        for (var d : new Duration[]{heartbeat, fenceAfter, messageTimeout, goHomeWait}) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("server timeouts must be > 0: " + d);
        }
        if (fenceAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("fenceAfter (" + fenceAfter + ") must be at least two heartbeats (" + heartbeat + ")");
        }
    }

    /** All clocks divided by {@code factor}: for tests that inject failures. */
    public ServerSettings scaled(double factor) {
        return new ServerSettings(div(heartbeat, factor), div(fenceAfter, factor), div(messageTimeout, factor),
                div(goHomeWait, factor), security);
    }

    /** These clocks with {@code s} for every connection. */
    public ServerSettings withSecurity(WireSecurity s) {
        return new ServerSettings(heartbeat, fenceAfter, messageTimeout, goHomeWait, s);
    }

    static Duration div(Duration d, double f) {
        return Duration.ofNanos(Math.max(1_000_000, (long) (d.toNanos() / f)));
    }
}
