package dev.jettison.migration.memtap;

/**
 * Called before every retry to reach the desktop: the desktop may be in a microsleep (§3.3),
 * and the server's remoteWakeup sends it a Wake-on-LAN packet (§4) before asking again.
 * Implementations must return quickly; the retry itself waits with backoff.
 */
@FunctionalInterface
public interface DesktopWaker {
    /** Does nothing: for a desktop that never sleeps, and for tests. */
    DesktopWaker NONE = () -> { };

    /** The desktop did not answer: wake it (it may be asleep without the server knowing). */
    void wake();

    /**
     * About to send a request: wake the desktop first if it is known to be asleep (§4: memtap and
     * cownetdisk notify remoteWakeup before fetching). Must return quickly.
     */
    default void beforeRequest() { }
}
