package dev.jettison.sim.fleet;

import static org.junit.jupiter.api.Assertions.*;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.trace.ActivityDay;
import dev.jettison.sim.trace.DayKind;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {
    /** A flat curve keeps these tests independent of the fault generator. */
    private static final SavingsCurve HALF = new SavingsCurve("flat", new double[] {60, 86_400}, new double[] {0.5, 0.5});
    /** The accounting the hand computations below follow: 4 GiB at line rate, network power while sending, idle power saved away. */
    static final FleetModel HAND = FleetModel.paper().with(Assumption.TransferPower.NETWORK_POWER).with(Assumption.TimeOnServer.UNTIL_USER_RETURNS);

    static FleetConfig cfg(int desktops, int days, int perLink, long seed, FleetModel model) {
        return new FleetConfig(desktops, new DayPlan.Only(DayKind.WEEKDAY, days), 300, FleetConfig.GIGABIT, perLink, FleetConfig.UNLIMITED_SERVERS,
                PowerProfile.TABLE_1, 0.1058, seed, model);
    }

    @Test
    void stateTimeSumsToSimulatedTime() {
        var sim = new FleetSimulator(ActivitySource.generated(3));
        for (FleetModel m : new FleetModel[] {FleetModel.paper(), FleetModel.ours()}) {
            for (Scheme s : new Scheme[] {m.full(), m.partial(HALF)}) {
                var r = sim.run(cfg(60, 2, 25, 3, m), s);
                assertEquals(60 * 2 * 86_400.0, r.accountedSeconds(), 1e-3, m.name() + " " + s.name());
            }
        }
    }

    @Test
    void identicalSeedsGiveIdenticalResults() {
        var cfg = cfg(80, 1, 30, 11, FleetModel.ours());
        var a = new FleetSimulator(ActivitySource.generated(11)).run(cfg, Scheme.partial(HALF));
        var b = new FleetSimulator(ActivitySource.generated(11)).run(cfg, Scheme.partial(HALF));
        assertEquals(a, b);
        var c = new FleetSimulator(ActivitySource.generated(12)).run(cfg, Scheme.partial(HALF));
        assertNotEquals(a.kWhSavedPerDay(), c.kWhSavedPerDay());
    }

    @Test
    void oneDesktopFullMigrationByHand() {
        // Active 08:00-12:00 only. Idle 00:00-08:00 and 12:00-24:00, timeout 5 min, 4 GiB each way at 1 Gbit/s.
        int slot = ActivityDay.SLOT_SECONDS;
        ActivitySource one = (d, day, k) -> new ActivityDay("x", day, k, new int[] {8 * 3600 / slot, 12 * 3600 / slot});
        var r = new FleetSimulator(one).run(cfg(1, 1, 1, 1, HAND), HAND.full());
        double move = 4096.0 * 1024 * 1024 * 8 / 1e9; // 34.36 s
        assertEquals(2, r.consolidations());
        assertEquals(1, r.reintegrations());
        assertEquals(move, r.latencyMeanS(), 1e-6);
        double away = (8 * 3600 - 300 - move) + (12 * 3600 - 300 - move);
        double transfers = 3 * move;
        double joules = 61.40 * away - (136.63 - 61.40) * transfers;
        assertEquals(joules / 3.6e6, r.kWhSavedPerDay(), 1e-9);
        assertEquals(away / 86_400, r.fractionAway(), 1e-9);
    }

    @Test
    void userReturningDuringConsolidationAbortsIt() {
        int slot = ActivityDay.SLOT_SECONDS;
        // Idle for 5 min 20 s only: the 34 s full migration starting at 5 min cannot finish.
        ActivitySource one = (d, day, k) -> new ActivityDay("x", day, k, new int[] {0, 3600 / slot, (3600 + 320) / slot, ActivityDay.SLOTS_PER_DAY});
        var cfg = cfg(1, 1, 1, 1, HAND);
        var full = new FleetSimulator(one).run(cfg, HAND.full());
        assertEquals(1, full.abortedConsolidations());
        assertTrue(full.kWhSavedPerDay() < 0, "an aborted migration only costs energy");
        var partial = new FleetSimulator(one).run(cfg, Scheme.partial(HALF));
        assertEquals(0, partial.abortedConsolidations());
    }

    @Test
    void latencyHistogramQuantilesAreWithinOnePercent() {
        var h = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) h.add(i);
        assertEquals(950, h.quantile(0.95), 950 * 0.011);
        assertEquals(1000, h.max());
        assertEquals(500.5, h.mean(), 1e-9);
    }

    @Test
    void aYearOfAThousandDesktopsIsDeterministicPerSeed() {
        var m = FleetModel.ours();
        var cfg = new FleetConfig(1000, new DayPlan.Calendar(DayPlan.Calendar.YEAR), 300, FleetConfig.GIGABIT, 250, FleetConfig.UNLIMITED_SERVERS,
                PowerProfile.TABLE_1, 0.1058, 5, m);
        var a = new FleetSimulator(ActivitySource.generated(5)).run(cfg, m.partial(HALF));
        var b = new FleetSimulator(ActivitySource.generated(5)).run(cfg, m.partial(HALF));
        assertEquals(a, b);
        assertEquals(365_000, a.desktopDays());
        assertEquals(1000 * 365 * 86_400.0, a.accountedSeconds(), 1e-2);
        var c = new FleetSimulator(ActivitySource.generated(6)).run(cfg.withModel(m), m.partial(HALF));
        assertNotEquals(a.kWhSavedPerDay(), c.kWhSavedPerDay());
    }

    @Test
    void calendarMixesWeekendsBetweenWeekdayAndWeekendOnlyRuns() {
        var m = FleetModel.paper();
        var sim = new FleetSimulator(ActivitySource.generated(2));
        double week = sim.run(new FleetConfig(50, new DayPlan.Calendar(14), 300, FleetConfig.GIGABIT, 50, 0, PowerProfile.TABLE_1, 0.1058, 2, m), m.full()).kWhSavedPerDay();
        double wd = sim.run(cfg(50, 14, 50, 2, m), m.full()).kWhSavedPerDay();
        double we = sim.run(new FleetConfig(50, new DayPlan.Only(DayKind.WEEKEND, 14), 300, FleetConfig.GIGABIT, 50, 0, PowerProfile.TABLE_1, 0.1058, 2, m), m.full()).kWhSavedPerDay();
        assertTrue(week > Math.min(wd, we) && week < Math.max(wd, we), wd + " < " + week + " < " + we);
    }

    @Test
    void fullSiteServersRefuseConsolidations() {
        var m = FleetModel.paper();
        var cfg = new FleetConfig(40, new DayPlan.Only(DayKind.WEEKDAY, 1), 300, FleetConfig.GIGABIT, 40, 1, PowerProfile.TABLE_1, 0.1058, 4, m);
        var r = new FleetSimulator(ActivitySource.generated(4)).run(cfg, m.full());
        assertTrue(r.refusedConsolidations() > 0);
        assertTrue(r.peakVmsOnServer() <= 4, "a 16 GiB server holds four 4 GiB VMs (§6): " + r.peakVmsOnServer());
    }
}
