package dev.jettison.sim.gen;

import static org.junit.jupiter.api.Assertions.*;

import dev.jettison.core.consolidation.WorkingSet;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.sim.analysis.WaitTimeAnalysis;
import dev.jettison.sim.fleet.ActivitySource;
import dev.jettison.sim.trace.ActivityDay;
import dev.jettison.sim.trace.DayKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generators against the numbers sim/TRACES.md says they are calibrated to. */
class GeneratorCalibrationTest {
    private static final List<GeneratedConsolidation> TRACES = new ArrayList<>();

    @BeforeAll
    static void generate() {
        var g = new RemoteFaultGenerator(2024);
        for (int vm = 0; vm < 60; vm++) TRACES.add(g.consolidation(vm, 0, g.calibration().horizonSeconds()));
    }

    @Test
    void workingSetMeanAndSpreadMatchSection3_2() {
        // Working set sizes alone are cheap: draw many more than the timed traces above.
        var g = new RemoteFaultGenerator(77);
        double sum = 0, sum2 = 0;
        int n = 400;
        for (int vm = 0; vm < n; vm++) {
            double mib = WorkingSet.pagesToMiB(g.consolidation(vm, 0, 600).targetPages());
            sum += mib;
            sum2 += mib * mib;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sum2 / n - mean * mean);
        assertEquals(WorkingSet.MEAN_MIB, mean, 0.10 * WorkingSet.MEAN_MIB, "mean working set");
        assertEquals(WorkingSet.SD_MIB, sd, 0.20 * WorkingSet.SD_MIB, "working-set sd");
        // Bursts pushed past the horizon by earlier ones are cut there, so a few pages may be missing.
        for (GeneratedConsolidation c : TRACES) assertEquals(c.targetPages(), c.memoryPages(), 0.03 * c.targetPages(), "a full-horizon trace touches its working set");
    }

    @Test
    void ninetyNinePointTwoThreePercentWithinOneSecond() {
        var w = WaitTimeAnalysis.of(TRACES, PowerProfile.TABLE_1);
        assertEquals(FaultCalibration.PAPER_WITHIN_ONE_SECOND, w.fractionWithinOneSecond(), 0.0005);
    }

    @Test
    void sixtySecondTimerBurstsMakeFigure3RiseAgainPast28Seconds() {
        var w = WaitTimeAnalysis.of(TRACES, PowerProfile.TABLE_1);
        double at20 = w.probabilityTooSoon()[40];
        double at30 = w.probabilityTooSoon()[60];
        double at10 = w.probabilityTooSoon()[20];
        assertTrue(at10 < w.probabilityTooSoon()[0], "falls at first");
        assertTrue(at30 > at20, "rises once 60 s gaps fit in t_w + t_b: " + at20 + " -> " + at30);
        // Gaps longer than 28 s cluster at multiples of 60 s.
        long near60 = 0, over28 = 0;
        for (GeneratedConsolidation c : TRACES) {
            var f = c.faults();
            for (int i = 1; i < f.size(); i++) {
                double gap = (f.get(i).tMillis() - f.get(i - 1).tMillis()) / 1000.0;
                if (gap > 28) {
                    over28++;
                    double m = gap % 60;
                    if (m > 30 && m < 60 || m < 1) near60++;
                }
            }
        }
        assertTrue(near60 > 0.5 * over28, near60 + " of " + over28 + " long gaps sit just before a 60 s multiple");
    }

    @Test
    void optimalWaitIsNearThePapersSixSeconds() {
        var w = WaitTimeAnalysis.of(TRACES, PowerProfile.TABLE_1);
        assertEquals(6.0, w.optimalWaitSeconds(), 2.0);
    }

    @Test
    void consolidationsOfOneVmShareManyPages() {
        var g = new RemoteFaultGenerator(9);
        Set<Long> a = pages(g.consolidation(1, 0, 3600));
        Set<Long> b = pages(g.consolidation(1, 1, 3600));
        Set<Long> other = pages(g.consolidation(2, 0, 3600));
        double same = overlap(a, b);
        double different = overlap(a, other);
        assertTrue(same > 0.10 && same > 3 * different, "same VM " + same + ", other VM " + different);
    }

    @Test
    void pageRunsGiveThePivotWindowSomethingToFind() {
        var f = TRACES.getFirst().faults();
        long near = 0, pages = 0;
        for (int i = 1; i < f.size(); i++) {
            if (f.get(i).kind() != f.get(i - 1).kind()) continue;
            pages++;
            if (Math.abs(f.get(i).number() - f.get(i - 1).number()) <= 10) near++;
        }
        assertTrue(near > 0.7 * pages, near + " of " + pages + " faults land within 10 pages of the previous");
    }

    @Test
    void sameSeedSameTraces() {
        assertEquals(new RemoteFaultGenerator(5).consolidation(3, 2, 900), new RemoteFaultGenerator(5).consolidation(3, 2, 900));
        var a = new OfficeActivityGenerator(5).day(10, 2, DayKind.WEEKDAY);
        var b = new OfficeActivityGenerator(5).day(10, 2, DayKind.WEEKDAY);
        assertArrayEquals(a.activeRuns(), b.activeRuns());
    }

    @Test
    void officeDaysHaveOvernightLunchAndShortIdlePeriods() {
        ActivitySource src = ActivitySource.generated(8);
        int n = 400, shortIdle = 0, lunchIdle = 0, nightIdle = 0, idlePeriods = 0;
        double activeWeekday = 0, activeWeekend = 0;
        for (int d = 0; d < n; d++) {
            ActivityDay day = src.day(d, 0, DayKind.WEEKDAY);
            activeWeekday += day.activeSlots();
            activeWeekend += src.day(d, 0, DayKind.WEEKEND).activeSlots();
            if (!day.activeAt(3 * 3600 / 5)) nightIdle++;
            if (!day.activeAt((int) (12.6 * 3600 / 5))) lunchIdle++;
            int[] c = {0, 0};
            day.forEachIdlePeriod((s, e) -> {
                c[0]++;
                if (e - s < 300) c[1]++;
            });
            idlePeriods += c[0];
            shortIdle += c[1];
        }
        assertEquals(n, nightIdle, "nobody works at 3 am");
        assertTrue(lunchIdle > 0.8 * n, "most are away at 12:36: " + lunchIdle);
        assertTrue(shortIdle > 0.5 * idlePeriods, "most idle periods are short: " + shortIdle + "/" + idlePeriods);
        assertTrue(activeWeekend < 0.4 * activeWeekday, "weekends are lighter");
        double hours = activeWeekday / n * 5 / 3600;
        assertTrue(hours > 3 && hours < 8, "active hours per weekday: " + hours);
    }

    private static Set<Long> pages(GeneratedConsolidation c) {
        Set<Long> s = new HashSet<>();
        c.faults().forEach(f -> s.add(f.number()));
        return s;
    }

    private static double overlap(Set<Long> a, Set<Long> b) {
        long n = a.stream().filter(b::contains).count();
        return (double) n / Math.min(a.size(), b.size());
    }
}
