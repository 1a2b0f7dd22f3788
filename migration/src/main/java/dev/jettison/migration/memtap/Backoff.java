package dev.jettison.migration.memtap;

import java.time.Duration;

/**
 * How long to wait between attempts to reach the desktop: doubling from {@code initial} up to
 * {@code max}. A waking desktop takes seconds to resume from S3 (§5.1: ~8.5 s on the paper's
 * machines), so attempts must continue that long without flooding the network.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
    }

    /** Delay before attempt {@code attempt} (0-based) after a failure. */
    public long delayMillis(int attempt) {
        long d = initial.toMillis() << Math.min(attempt, 30);
        return Math.min(Math.max(d, 1), max.toMillis());
    }
}
