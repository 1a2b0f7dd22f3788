package dev.jettison.sim.gen;

/**
 * Derives independent, reproducible seeds for (run seed, desktop, day, ...) so that any desktop-day can
 * be regenerated on its own, in any order, on any thread: the streaming simulator relies on it.
 */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finaliser over a mix of the parts. */
    public static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h ^= p + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
            h = finalise(h);
        }
        return h;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
