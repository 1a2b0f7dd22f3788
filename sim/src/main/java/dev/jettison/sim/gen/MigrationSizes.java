package dev.jettison.sim.gen;

import java.util.random.RandomGenerator;

/**
 * Sizes of partial migrations, after Figure 9 (§5.3). The paper gives the means; it gives no spread
 * for them, so we borrow the coefficients of variation it reports for the same kind of state in §3.2:
 * memory 91.38 / 165.63 and disk 5.75 / 1.16.
 */
public record MigrationSizes(double consolidationMemoryMiB, double consolidationDiskMiB,
                             double reintegrationMemoryMiB, double reintegrationDiskMiB) {

    /** Mean memory moved to the server per consolidation, prefetch included (§5.3). */
    public static final double CONSOLIDATION_MEMORY_MEAN_MIB = 242.23;
    /** Mean disk state moved to the server per consolidation (§5.3). */
    public static final double CONSOLIDATION_DISK_MEAN_MIB = 0.50;
    /** Mean memory moved back to the desktop per reintegration (§5.3). */
    public static final double REINTEGRATION_MEMORY_MEAN_MIB = 114.68;
    /** Mean disk state moved back per reintegration (§5.3). */
    public static final double REINTEGRATION_DISK_MEAN_MIB = 6.81;
    /** Working-set spread of §3.2 (91.38 / 165.63), used for migrated memory. */
    public static final double MEMORY_CV = 91.38 / 165.63;
    /** Disk-access spread of §3.2 (5.75 / 1.16), used for migrated disk state. */
    public static final double DISK_CV = 5.75 / 1.16;
    /** A partial VM cannot move more memory than it has: 4 GiB (§5.1). */
    public static final double MAX_MEMORY_MIB = 4096;
    /** Nor more disk than its 12 GiB image (§5.1). */
    public static final double MAX_DISK_MIB = 12 * 1024;

    public double consolidationMiB() {
        return consolidationMemoryMiB + consolidationDiskMiB;
    }

    public double reintegrationMiB() {
        return reintegrationMemoryMiB + reintegrationDiskMiB;
    }

    public static MigrationSizes draw(RandomGenerator rng) {
        return new MigrationSizes(
                memory(rng, CONSOLIDATION_MEMORY_MEAN_MIB),
                disk(rng, CONSOLIDATION_DISK_MEAN_MIB),
                memory(rng, REINTEGRATION_MEMORY_MEAN_MIB),
                disk(rng, REINTEGRATION_DISK_MEAN_MIB));
    }

    private static double memory(RandomGenerator rng, double mean) {
        return Math.min(MAX_MEMORY_MIB, Distributions.logNormalMeanSd(rng, mean, mean * MEMORY_CV));
    }

    private static double disk(RandomGenerator rng, double mean) {
        return Math.min(MAX_DISK_MIB, Distributions.logNormalMeanSd(rng, mean, mean * DISK_CV));
    }
}
