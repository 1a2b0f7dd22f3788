package dev.jettison.core.energy;

/**
 * Equations (1)-(3) of §3.3 in joules and seconds (the paper writes watt hours; the unit cancels in
 * every comparison we make).
 */
public final class EnergyModel {
    private final PowerProfile profile;

    public EnergyModel(PowerProfile profile) {
        this.profile = profile;
    }

    public PowerProfile profile() {
        return profile;
    }

    /** Equation (1): a desktop left powered and idle for {@code idleSeconds}. */
    public double idleJoules(double idleSeconds) {
        return profile.idleWatts() * idleSeconds;
    }

    /**
     * Equation (2): a desktop that stays awake {@code awakeSeconds}, sleeps {@code sleepSeconds} and makes
     * {@code microsleeps} suspend/resume round trips.
     */
    public double microsleepJoules(double awakeSeconds, double sleepSeconds, int microsleeps) {
        return profile.idleWatts() * awakeSeconds
                + microsleeps * profile.transitionJoules()
                + profile.sleepWatts() * sleepSeconds;
    }

    /**
     * Equation (3): the shortest fault-free interval t_b in which a microsleep saves energy; it makes
     * E_i = E_mu with no time left awake.
     */
    public double breakEvenSeconds() {
        PowerProfile p = profile;
        double to = p.suspendSeconds();
        double tr = p.resumeSeconds();
        return (-p.sleepWatts() * (to + tr) + p.suspendWatts() * to + p.resumeWatts() * tr)
                / (p.idleWatts() - p.sleepWatts());
    }
}
