package dev.jettison.sim.microsleep;

/**
 * Desktop energy over the first {@code horizonSeconds} of a consolidation. {@code joules} includes
 * finishing a transition in progress at the horizon and resuming for the returning user, because the
 * desktop must pay for them whenever the consolidation ends.
 */
public record ReplayPoint(double horizonSeconds, double joules, double idleJoules,
                          double awakeSeconds, double suspendingSeconds, double asleepSeconds, double resumingSeconds,
                          int microsleeps) {

    /** Energy saved against leaving the desktop powered and idle (Figures 6 and 7). */
    public double savingFraction() {
        return 1 - joules / idleJoules;
    }

    /** Mean length of a microsleep (Figure 5); zero if the desktop never slept. */
    public double meanMicrosleepSeconds() {
        return microsleeps == 0 ? 0 : asleepSeconds / microsleeps;
    }

    /** The four states partition the horizon. */
    public double accountedSeconds() {
        return awakeSeconds + suspendingSeconds + asleepSeconds + resumingSeconds;
    }
}
