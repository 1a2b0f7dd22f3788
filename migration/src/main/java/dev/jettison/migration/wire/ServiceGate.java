package dev.jettison.migration.wire;

/**
 * Lets the desktop's power manager hold a state server's replies: while the desktop microsleeps
 * (§3.3) its memserv and diskserv must not answer, and a request that arrives mid-suspend is
 * answered after resume rather than lost (§4). {@link RequestLoop} calls {@link #admit} before
 * every reply it sends.
 */
@FunctionalInterface
public interface ServiceGate {
    /** Never holds anything: a desktop that does not sleep, and tests. */
    ServiceGate OPEN = () -> { };

    /** Returns once the desktop may answer; records that a request arrived. */
    void admit() throws InterruptedException;
}
