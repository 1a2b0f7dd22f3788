package dev.jettison.sim.gen;

import java.util.random.RandomGenerator;

/**
 * A log-normal with its log-space parameters worked out once: the fleet simulator draws millions of
 * migration sizes a second, and recomputing two logarithms and a root per draw cost a third of its time.
 */
public record LogNormal(double mu, double sigma) {

    /** From the mean and standard deviation of the variable itself, the way the paper reports sizes. */
    public static LogNormal ofMeanSd(double mean, double sd) {
        if (!(mean > 0) || !(sd >= 0)) throw new IllegalArgumentException("log-normal needs mean > 0 and sd >= 0, got " + mean + ", " + sd);
        double sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
        return new LogNormal(Math.log(mean) - sigma2 / 2, Math.sqrt(sigma2));
    }

    public double draw(RandomGenerator rng) {
        return Math.exp(mu + sigma * rng.nextGaussian());
    }
}
