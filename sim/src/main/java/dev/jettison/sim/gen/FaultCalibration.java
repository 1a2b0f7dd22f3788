package dev.jettison.sim.gen;

import dev.jettison.core.consolidation.WorkingSet;

/**
 * Parameters of the idle-VM remote-fault generator and what each one reproduces (sim/TRACES.md has
 * the full story). Targets from the paper: working set mean 165.63 MiB, sd 91.38 MiB (§3.2);
 * 99.23 % of faults within 1 s of the previous one (§3.3); 60 s timer bursts that make Figure 3 rise
 * again past 28 s (§3.3); spatial locality that a 20-page pivot window exploits (§3.4); partial reuse
 * of page numbers across consolidations of one VM, for hoarding (§3.4).
 */
public record FaultCalibration(
        double workingSetMeanMiB, double workingSetSdMiB,
        double withinOneSecond,
        double horizonSeconds,
        double initialClusterShare, double initialPageShare,
        double timerPeriodSeconds, double timerProbabilityStart, double timerProbabilityFloor, double timerDecaySeconds,
        double clusterGapMinSeconds, double clusterGapMeanExtraSeconds, double longGapShare, double longGapMeanExtraSeconds, double clusterGapMaxSeconds,
        double faultGapMeanSeconds,
        double runMeanPages, double neighbourShare, double growthBurstShare, double hotRegionShare, int hotRegions, int hotRegionPages, int hotRunAlignPages,
        double blockClusterShare, double blocksPerBlockCluster, double blockWriteShare,
        double tailClusterMeanPages, long vmPages) {

    /** Fraction of faults within 1 s of the previous fault (§3.3). */
    public static final double PAPER_WITHIN_ONE_SECOND = 0.9923;
    /** Timer period behind the common 60 s inter-arrivals (§3.3). */
    public static final double PAPER_TIMER_PERIOD_S = 60.0;

    public static final FaultCalibration DEFAULT = new FaultCalibration(
            WorkingSet.MEAN_MIB, WorkingSet.SD_MIB,
            PAPER_WITHIN_ONE_SECOND,
            4 * 3600.0,
            0.55, 0.6,
            PAPER_TIMER_PERIOD_S, 0.6, 0.035, 15 * 60.0,
            1.0, 0.2, 0.07, 2.0, 25.0,
            0.004,
            24, 0.35, 0.5, 0.6, 24, 2048, 32,
            0.04, 18, 0.3,
            12, WorkingSet.mibToPages(WorkingSet.VM_NOMINAL_MIB));

    public long workingSetMeanPages() {
        return WorkingSet.mibToPages(workingSetMeanMiB);
    }
}
