package dev.jettison.sim.fleet;

/** Where a desktop's VM is (§6); the simulator accounts time and energy per state. */
enum DesktopState {
    /** VM runs on the desktop: user active, or idle but not yet consolidated. */
    HOME,
    /** VM moving to the server; aborted if the user returns first. */
    CONSOLIDATING,
    /** VM on the server; the desktop sleeps (full) or microsleeps (partial). */
    AWAY,
    /** VM coming back while the user waits. */
    REINTEGRATING
}
