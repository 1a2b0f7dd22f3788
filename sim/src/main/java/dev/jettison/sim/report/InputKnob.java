package dev.jettison.sim.report;

import dev.jettison.sim.gen.OfficeCalibration;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * One input of the fleet simulator the paper describes in words (its 2,086 tracker days are not
 * public): a parameter of our activity generator, the levels an input experiment tries, and what
 * the paper says that bounds it. Levels are in the unit shown, not the generator's seconds.
 *
 * @param key          a short name for settings in tables
 * @param defaultLevel the level of {@link OfficeCalibration#DEFAULT}
 */
public record InputKnob(String name, String key, String paperSays, String unit, double defaultLevel, double[] levels,
                        BiFunction<OfficeCalibration, Double, OfficeCalibration> apply) {

    public OfficeCalibration at(OfficeCalibration cal, double level) {
        return apply.apply(cal, level);
    }

    public String format(double level) {
        String v = level == Math.rint(level) ? String.format(Locale.ROOT, "%.0f", level) : String.format(Locale.ROOT, "%.2f", level);
        return unit.isEmpty() ? v : v + " " + unit;
    }

    public static final InputKnob ACTIVE_BOUT = new InputKnob("idle periods a day (median active bout)", "bout",
            "§2 Figure 1: \"numerous significant idle periods\"; no count published", "min", 9, new double[] {1, 2, 3, 5, 9, 15, 25},
            (c, v) -> c.withActiveBoutMedian(v * 60));
    public static final InputKnob SHORT_SHARE = new InputKnob("share of short idle gaps (median 45 s)", "short",
            "§8 (citing [13]): many idle periods are short; no share published", "", 0.72, new double[] {0.2, 0.4, 0.55, 0.72, 0.85, 0.95},
            OfficeCalibration::withShortIdleShare);
    public static final InputKnob GAP_SCALE = new InputKnob("idle interval length (medium and long gaps x)", "gaps",
            "Figure 1 shows them, no distribution published (Figures 2-3 are the VMs' memory, not the users)", "x", 1,
            new double[] {0.33, 0.5, 1, 2, 3}, OfficeCalibration::withIdleGapScale);
    public static final InputKnob GAP_SIGMA = new InputKnob("idle interval spread (log sigma)", "sigma",
            "not published", "", 0.7, new double[] {0.35, 0.7, 1.0, 1.4}, OfficeCalibration::withIdleSigma);
    public static final InputKnob ARRIVAL_SD = new InputKnob("arrival spread (sd)", "arrival sd",
            "§6: flexible hours, \"no tightly synchronized boot storms\"", "min", 50, new double[] {0, 15, 30, 50, 90},
            (c, v) -> c.withArrival(c.arrivalMean(), v * 60));
    public static final InputKnob ARRIVAL_MEAN = new InputKnob("arrival time (mean)", "arrival",
            "not published", "h", 9, new double[] {8, 9, 10, 11}, (c, v) -> c.withArrival(v * 3600, c.arrivalSd()));
    public static final InputKnob EVENING = new InputKnob("weekdays with evening use (laptops)", "evenings",
            "§6: laptops taken home, evenings and nights \"heavier than would be expected of office desktops\"", "", 0.25,
            new double[] {0, 0.25, 0.5, 0.75, 1}, OfficeCalibration::withEveningProbability);

    /** Every knob, one at a time. */
    public static List<InputKnob> all() {
        return List.of(ACTIVE_BOUT, SHORT_SHARE, GAP_SCALE, GAP_SIGMA, ARRIVAL_SD, ARRIVAL_MEAN, EVENING);
    }
}
