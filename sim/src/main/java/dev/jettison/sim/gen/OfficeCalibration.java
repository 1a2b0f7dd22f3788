package dev.jettison.sim.gen;

/**
 * Parameters of the synthetic office (§2 Figure 1, §6). The paper's 2,086 tracker days are not public;
 * these values reproduce what it says about them: overnight and lunch idleness, many short idle periods
 * during the day, a spread of morning arrivals rather than a synchronised boot storm, laptops used in
 * some evenings, lighter weekends, and VMs on the server ~76 % of a weekday at a 5 min timeout.
 * Times are in seconds since midnight.
 */
public record OfficeCalibration(
        double absentWeekdayProbability,
        double arrivalMean, double arrivalSd,
        double workdayMean, double workdaySd,
        double lunchStartMean, double lunchStartSd, double lunchMin, double lunchMax,
        double activeBoutMedian, double activeBoutSigma,
        double shortIdleShare, double shortIdleMedian,
        double mediumIdleShare, double mediumIdleMedian,
        double longIdleMedian, double idleSigma,
        double eveningProbability, double eveningStartMean, double eveningStartSd, double eveningMin, double eveningMax,
        double weekendActiveProbability, double weekendSessionMin, double weekendSessionMax) {

    /** The tuned office; see sim/TRACES.md for what each value reproduces. */
    public static final OfficeCalibration DEFAULT = new OfficeCalibration(
            0.06,
            9 * 3600.0, 50 * 60.0,
            8.5 * 3600.0, 60 * 60.0,
            12.25 * 3600, 15 * 60.0, 30 * 60.0, 70 * 60.0,
            9 * 60.0, 0.9,
            0.72, 45.0,
            0.22, 6 * 60.0,
            40 * 60.0, 0.7,
            0.25, 21 * 3600.0, 3600.0, 20 * 60.0, 90 * 60.0,
            0.35, 30 * 60.0, 180 * 60.0);
}
