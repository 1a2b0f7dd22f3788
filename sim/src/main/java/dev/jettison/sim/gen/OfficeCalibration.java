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
    /**
     * The idle-interval distribution stretched: the medium and long idle gaps' medians times {@code factor}
     * (short gaps, the ones under the tracker's 5 min, stay as they are). For the input experiments (issue 14).
     */
    public OfficeCalibration withIdleGapScale(double factor) {
        positive("idle gap scale", factor);
        return new OfficeCalibration(absentWeekdayProbability, arrivalMean, arrivalSd, workdayMean, workdaySd,
                lunchStartMean, lunchStartSd, lunchMin, lunchMax, activeBoutMedian, activeBoutSigma,
                shortIdleShare, shortIdleMedian, mediumIdleShare, mediumIdleMedian * factor, longIdleMedian * factor, idleSigma,
                eveningProbability, eveningStartMean, eveningStartSd, eveningMin, eveningMax,
                weekendActiveProbability, weekendSessionMin, weekendSessionMax);
    }

    /** The idle gaps' log-space spread. */
    public OfficeCalibration withIdleSigma(double sigma) {
        positive("idle sigma", sigma);
        return new OfficeCalibration(absentWeekdayProbability, arrivalMean, arrivalSd, workdayMean, workdaySd,
                lunchStartMean, lunchStartSd, lunchMin, lunchMax, activeBoutMedian, activeBoutSigma,
                shortIdleShare, shortIdleMedian, mediumIdleShare, mediumIdleMedian, longIdleMedian, sigma,
                eveningProbability, eveningStartMean, eveningStartSd, eveningMin, eveningMax,
                weekendActiveProbability, weekendSessionMin, weekendSessionMax);
    }

    /** The share of short idle gaps; medium and long gaps share the rest in their present proportion. */
    public OfficeCalibration withShortIdleShare(double share) {
        if (!(share >= 0 && share < 1)) throw new IllegalArgumentException("short idle share must be in [0, 1), got " + share);
        double medium = mediumIdleShare / (1 - shortIdleShare) * (1 - share);
        return new OfficeCalibration(absentWeekdayProbability, arrivalMean, arrivalSd, workdayMean, workdaySd,
                lunchStartMean, lunchStartSd, lunchMin, lunchMax, activeBoutMedian, activeBoutSigma,
                share, shortIdleMedian, medium, mediumIdleMedian, longIdleMedian, idleSigma,
                eveningProbability, eveningStartMean, eveningStartSd, eveningMin, eveningMax,
                weekendActiveProbability, weekendSessionMin, weekendSessionMax);
    }

    /** Morning arrivals: mean and spread, seconds (0 spread is a synchronised boot storm). */
    public OfficeCalibration withArrival(double meanS, double sdS) {
        if (!(sdS >= 0)) throw new IllegalArgumentException("arrival spread must be >= 0 s, got " + sdS);
        return new OfficeCalibration(absentWeekdayProbability, meanS, sdS, workdayMean, workdaySd,
                lunchStartMean, lunchStartSd, lunchMin, lunchMax, activeBoutMedian, activeBoutSigma,
                shortIdleShare, shortIdleMedian, mediumIdleShare, mediumIdleMedian, longIdleMedian, idleSigma,
                eveningProbability, eveningStartMean, eveningStartSd, eveningMin, eveningMax,
                weekendActiveProbability, weekendSessionMin, weekendSessionMax);
    }

    /** The median active bout: shorter bouts mean more idle periods a day. */
    public OfficeCalibration withActiveBoutMedian(double seconds) {
        positive("active bout median", seconds);
        return new OfficeCalibration(absentWeekdayProbability, arrivalMean, arrivalSd, workdayMean, workdaySd,
                lunchStartMean, lunchStartSd, lunchMin, lunchMax, seconds, activeBoutSigma,
                shortIdleShare, shortIdleMedian, mediumIdleShare, mediumIdleMedian, longIdleMedian, idleSigma,
                eveningProbability, eveningStartMean, eveningStartSd, eveningMin, eveningMax,
                weekendActiveProbability, weekendSessionMin, weekendSessionMax);
    }

    /** The share of weekdays with an evening session (laptops taken home, §6). */
    public OfficeCalibration withEveningProbability(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("evening probability must be in [0, 1], got " + p);
        return new OfficeCalibration(absentWeekdayProbability, arrivalMean, arrivalSd, workdayMean, workdaySd,
                lunchStartMean, lunchStartSd, lunchMin, lunchMax, activeBoutMedian, activeBoutSigma,
                shortIdleShare, shortIdleMedian, mediumIdleShare, mediumIdleMedian, longIdleMedian, idleSigma,
                p, eveningStartMean, eveningStartSd, eveningMin, eveningMax,
                weekendActiveProbability, weekendSessionMin, weekendSessionMax);
    }

    private static void positive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(what + " must be > 0, got " + v);
    }
}
