package dev.jettison.sim.gen;

import java.util.random.RandomGenerator;

/** The few continuous distributions the generators need, parameterised the way the paper reports data. */
public final class Distributions {
    private Distributions() {
    }

    /** Log-normal with the given mean and standard deviation of the variable itself (not of its log). */
    public static double logNormalMeanSd(RandomGenerator rng, double mean, double sd) {
        return LogNormal.ofMeanSd(mean, sd).draw(rng);
    }

    /** Log-normal with the given median and log-space sigma. */
    public static double logNormalMedian(RandomGenerator rng, double median, double sigma) {
        return median * Math.exp(sigma * rng.nextGaussian());
    }

    public static double exponential(RandomGenerator rng, double mean) {
        return -mean * Math.log(1 - rng.nextDouble());
    }

    public static double normal(RandomGenerator rng, double mean, double sd) {
        return mean + sd * rng.nextGaussian();
    }

    /** Geometric on {1, 2, ...} with the given mean. */
    public static int geometric(RandomGenerator rng, double mean) {
        if (mean <= 1) return 1;
        double p = 1 / mean;
        return 1 + (int) Math.floor(Math.log(1 - rng.nextDouble()) / Math.log(1 - p));
    }

    public static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
