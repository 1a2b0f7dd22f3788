package dev.jettison.sim.fleet;

import static org.junit.jupiter.api.Assertions.*;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.trace.ActivityDay;
import dev.jettison.sim.trace.DayKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetModelTest {
    private static final long SEED = 1;

    private static double ratio(int desktops) {
        return ratio(desktops, SEED);
    }

    private static double ratio(int desktops, long seed) {
        var m = FleetModel.paper();
        var sim = new FleetSimulator(ActivitySource.generated(seed));
        var cfg = FleetConfig.paper(desktops, DayKind.WEEKDAY, seed, m);
        return sim.run(cfg, m.partial(null)).kWhSavedPerDay() / sim.run(cfg, m.full()).kWhSavedPerDay();
    }

    @Test
    void paperModelReproducesTheTenDesktopRatioWithinTenPoints() {
        assertEquals(0.85, ratio(10), 0.10); // §6: "85% of full migration at 10 users"
    }

    @Test
    void paperModelReproducesTheFiveHundredDesktopRatioWithinTenPoints() {
        assertEquals(1.04, ratio(500), 0.10); // §6: "to 104% at 500 users"
    }

    /** Other fixed seeds, so the two ratios are the model's and not one office's luck. */
    @ParameterizedTest
    @ValueSource(longs = {2, 3, 4})
    void paperModelKeepsBothRatiosWithinTenPointsAtOtherSeeds(long seed) {
        assertEquals(0.85, ratio(10, seed), 0.10, "10 desktops");
        assertEquals(1.04, ratio(500, seed), 0.10, "500 desktops");
    }

    @Test
    void unknownModelNameIsNamedInTheError() {
        var e = assertThrows(IllegalArgumentException.class, () -> FleetModel.named("bogus"));
        assertTrue(e.getMessage().contains("bogus") && e.getMessage().contains("paper"), e.getMessage());
    }

    @Test
    void switchingOneAssumptionChangesOnlyThatOne() {
        var p = FleetModel.paper();
        var switched = p.with(Assumption.LinkSharing.FAIR_SHARE);
        assertEquals(java.util.List.of(Assumption.LinkSharing.FAIR_SHARE), p.differencesTo(switched));
        assertEquals(p.assumptions().size(), FleetModel.ours().assumptions().size());
        assertEquals(p.assumptions().size(), p.differencesTo(FleetModel.ours()).size(), "the models differ in every assumption");
    }

    @Test
    void sleepingDesktopSavesLessThanAllIdlePowerByTheTransitionsAndS3() {
        int slot = ActivityDay.SLOT_SECONDS;
        ActivitySource one = (d, day, k) -> new ActivityDay("x", day, k, new int[] {8 * 3600 / slot, 12 * 3600 / slot});
        var all = FleetSimulatorTest.HAND;
        var sleeps = all.with(Assumption.FullAwayPower.SLEEP_AND_TRANSITIONS);
        var sim = new FleetSimulator(one);
        double a = sim.run(FleetSimulatorTest.cfg(1, 1, 1, 1, all), all.full()).kWhSavedPerDay();
        var r = sim.run(FleetSimulatorTest.cfg(1, 1, 1, 1, sleeps), sleeps.full());
        var p = PowerProfile.TABLE_1;
        double away = r.fractionAway() * 86_400;
        double expectedLoss = 2 * p.transitionJoules() + p.sleepWatts() * (away - 2 * (p.suspendSeconds() + p.resumeSeconds()));
        assertEquals(expectedLoss / 3.6e6, a - r.kWhSavedPerDay(), 1e-9);
    }

    @Test
    void timeOnServerUntilReintegratedCreditsTheWaitForTheVm() {
        int slot = ActivityDay.SLOT_SECONDS;
        ActivitySource one = (d, day, k) -> new ActivityDay("x", day, k, new int[] {8 * 3600 / slot, 12 * 3600 / slot});
        var untilBack = FleetSimulatorTest.HAND.with(Assumption.TimeOnServer.UNTIL_REINTEGRATED);
        var sim = new FleetSimulator(one);
        double user = sim.run(FleetSimulatorTest.cfg(1, 1, 1, 1, FleetSimulatorTest.HAND), FleetSimulatorTest.HAND.full()).kWhSavedPerDay();
        double back = sim.run(FleetSimulatorTest.cfg(1, 1, 1, 1, untilBack), untilBack.full()).kWhSavedPerDay();
        double move = 4096.0 * 1024 * 1024 * 8 / 1e9;
        assertEquals(61.40 * move / 3.6e6, back - user, 1e-9, "one reintegration's 34.36 s counted as away");
    }

    @Test
    void paperFigure7PassesThroughThePaperPoints() {
        var c = SavingsCurve.paperFigure7();
        assertEquals(0.78, c.at(67 * 60), 1e-9);
        assertEquals(0.91, c.at(308 * 60), 1e-9);
        assertEquals(0.16, c.at(10 * 60), 1e-9);
    }
}
