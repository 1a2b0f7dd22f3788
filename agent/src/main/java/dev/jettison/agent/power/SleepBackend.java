package dev.jettison.agent.power;

import java.io.IOException;

/**
 * How the desktop goes into S3 and comes back (§3.3). {@link PowerManager} calls the three
 * phases in order from one thread, and brackets them with the meter's SUSPENDING, ASLEEP and
 * RESUMING states: {@code enterSleep} returns once asleep, {@code awaitWake} once something woke
 * the desktop, {@code leaveSleep} once it is awake again.
 */
public interface SleepBackend extends AutoCloseable {
    /** For log lines and reports: "emulation" or "host S3". */
    String name();

    /** Enters S3. An IOException means the suspend was aborted and the desktop never slept. */
    void enterSleep() throws IOException, InterruptedException;

    /** Blocks while asleep; says what woke the desktop. */
    WakeSource awaitWake() throws IOException, InterruptedException;

    /** Leaves S3; returns once the desktop can serve again. */
    void leaveSleep() throws InterruptedException;

    /**
     * The user is back: wake now, as a key press would, counted as a {@link WakeSource#LOCAL}
     * wake-up. Ignored unless a sleep is under way.
     */
    void wakeLocally();

    @Override
    void close();
}
