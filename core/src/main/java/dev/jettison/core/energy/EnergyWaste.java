package dev.jettison.core.energy;

/**
 * Equation (4) of §3.3: the energy wasted by waiting t_w before each microsleep, plus the energy
 * wasted when the next fault comes too soon for the sleep to pay off. Worst case, as the paper
 * assumes: the fault arrives right after the desktop fell asleep (t_s = 0, t_i' = 0).
 */
public final class EnergyWaste {
    /** Waits searched for the optimum: beyond 2 min the t_w E_i term alone exceeds a wasted round trip (Figure 4). */
    public static final double DEFAULT_MAX_WAIT_SECONDS = 120.0;
    /** Search step; the paper reports the optimum to the second (6 s, §3.3). */
    public static final double DEFAULT_STEP_SECONDS = 0.1;

    private final PowerProfile profile;
    private final double breakEven;

    public EnergyWaste(PowerProfile profile) {
        this.profile = profile;
        this.breakEven = new EnergyModel(profile).breakEvenSeconds();
    }

    public double breakEvenSeconds() {
        return breakEven;
    }

    /** E_waste(t_w) in joules. */
    public double wasteJoules(InterArrivalDistribution d, double waitSeconds) {
        return waitSeconds * profile.idleWatts() + d.probabilityTooSoon(waitSeconds, breakEven) * profile.transitionJoules();
    }

    /** The t_w that minimises E_waste, on a grid from 0 to {@code maxWait} with {@code step}; ties go to the shorter wait. */
    public double optimalWaitSeconds(InterArrivalDistribution d, double maxWait, double step) {
        double best = 0;
        double bestWaste = Double.POSITIVE_INFINITY;
        int steps = (int) Math.round(maxWait / step);
        for (int i = 0; i <= steps; i++) {
            double w = i * step;
            double waste = wasteJoules(d, w);
            if (waste < bestWaste - 1e-9) {
                bestWaste = waste;
                best = w;
            }
        }
        return best;
    }

    public double optimalWaitSeconds(InterArrivalDistribution d) {
        return optimalWaitSeconds(d, DEFAULT_MAX_WAIT_SECONDS, DEFAULT_STEP_SECONDS);
    }
}
