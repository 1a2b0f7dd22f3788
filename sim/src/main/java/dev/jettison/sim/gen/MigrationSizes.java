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

    private static final LogNormal CONSOLIDATION_MEMORY = LogNormal.ofMeanSd(CONSOLIDATION_MEMORY_MEAN_MIB, CONSOLIDATION_MEMORY_MEAN_MIB * MEMORY_CV);
    private static final LogNormal CONSOLIDATION_DISK = LogNormal.ofMeanSd(CONSOLIDATION_DISK_MEAN_MIB, CONSOLIDATION_DISK_MEAN_MIB * DISK_CV);
    private static final LogNormal REINTEGRATION_MEMORY = LogNormal.ofMeanSd(REINTEGRATION_MEMORY_MEAN_MIB, REINTEGRATION_MEMORY_MEAN_MIB * MEMORY_CV);
    private static final LogNormal REINTEGRATION_DISK = LogNormal.ofMeanSd(REINTEGRATION_DISK_MEAN_MIB, REINTEGRATION_DISK_MEAN_MIB * DISK_CV);

    public static MigrationSizes draw(RandomGenerator rng) {
        return new MigrationSizes(memory(rng, CONSOLIDATION_MEMORY), disk(rng, CONSOLIDATION_DISK),
                memory(rng, REINTEGRATION_MEMORY), disk(rng, REINTEGRATION_DISK));
    }

    /** MiB of one consolidation, memory and disk, drawn alone: the fleet needs only this at that moment. */
    public static double consolidationMiB(RandomGenerator rng) {
        return memory(rng, CONSOLIDATION_MEMORY) + disk(rng, CONSOLIDATION_DISK);
    }

    /** MiB of one reintegration, memory and disk. */
    public static double reintegrationMiB(RandomGenerator rng) {
        return memory(rng, REINTEGRATION_MEMORY) + disk(rng, REINTEGRATION_DISK);
    }

    private static double memory(RandomGenerator rng, LogNormal d) {
        return Math.min(MAX_MEMORY_MIB, d.draw(rng));
    }

    private static double disk(RandomGenerator rng, LogNormal d) {
        return Math.min(MAX_DISK_MIB, d.draw(rng));
    }
}
