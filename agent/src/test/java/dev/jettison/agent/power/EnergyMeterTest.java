package dev.jettison.agent.power;

import dev.jettison.core.energy.EnergyModel;
import dev.jettison.core.energy.PowerProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.jettison.agent.power.PowerState.*;
import static org.junit.jupiter.api.Assertions.*;

/** The meter against a fake clock, so every duration is exact and every energy computable by hand. */
class EnergyMeterTest {
    private static final long S = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(5 * S); // any origin: the meter works from differences
    private final EnergyMeter meter = new EnergyMeter(PowerProfile.TABLE_1, clock::get);

    private void advance(double seconds) {
        clock.addAndGet(Math.round(seconds * S));
    }

    /** 10 s awake, one Table 1 microsleep of 100 s, 20 s awake. */
    private void oneMicrosleep() {
        advance(10);
        meter.transition(SUSPENDING);
        advance(8.38);
        meter.transition(ASLEEP);
        advance(100);
        meter.wokeBy(WakeSource.MAGIC_PACKET);
        advance(8.58);
        meter.transition(AWAKE);
        advance(20);
    }

    @Test
    void energyOfAKnownScheduleIsExactAndMatchesEquation2() {
        oneMicrosleep();
        EnergyReport r = meter.report();
        // By hand: 61.40*30 + 107.90*8.38 + 1.95*100 + 121.72*8.58 = 1842 + 904.202 + 195 + 1044.3576 J
        double joules = 1842 + 904.202 + 195 + 1044.3576;
        assertEquals(3985.5596, joules, 1e-9);
        assertEquals(joules, r.joules(), 1e-9);
        assertEquals(joules / 3600, r.wattHours(), 1e-12);
        assertEquals(1.107099888, r.wattHours(), 1e-9);
        assertEquals(new EnergyModel(PowerProfile.TABLE_1).microsleepJoules(30, 100, 1), r.joules(), 1e-9,
                "the meter integrates what equation (2) predicts");
        // Idle for the same 146.96 s (equation 1): 61.40 * 146.96 = 9023.344 J.
        assertEquals(Duration.ofMillis(146_960), r.wall());
        assertEquals(9023.344, r.idleJoules(), 1e-9);
        assertEquals((9023.344 - 3985.5596) / 3600, r.savingWattHours(), 1e-12);
        assertEquals(100 * (9023.344 - 3985.5596) / 9023.344, r.savingPercent(), 1e-9);
        assertEquals(55.83, r.savingPercent(), 0.005);
        assertEquals(3985.5596 / 146.96, r.averageWatts(), 1e-9);
    }

    @Test
    void stateTimesAddUpToTheWallTime() {
        oneMicrosleep();
        advance(3.3);
        meter.transition(SUSPENDING);
        advance(1.234567891);
        EnergyReport r = meter.report(); // mid-suspend: the current state's time so far counts
        Duration sum = Duration.ZERO;
        for (PowerState s : values()) sum = sum.plus(r.timeIn(s));
        assertEquals(r.wall(), sum);
        assertEquals(Duration.ofNanos(Math.round(33.3 * S)), r.timeIn(AWAKE));
        assertEquals(Duration.ofNanos(8_380_000_000L + 1_234_567_891L), r.timeIn(SUSPENDING));
        assertEquals(Duration.ofSeconds(100), r.timeIn(ASLEEP));
        assertEquals(Duration.ofMillis(8580), r.timeIn(RESUMING));
        assertEquals(SUSPENDING, r.state());
    }

    @Test
    void microsleepsWakeupsAndThePowerSeriesAreRecorded() {
        oneMicrosleep();
        meter.transition(SUSPENDING);
        advance(8.38);
        meter.transition(ASLEEP);
        advance(40);
        meter.wokeBy(WakeSource.LOCAL);
        advance(8.58);
        meter.transition(AWAKE);
        meter.transition(SUSPENDING);
        advance(1);
        meter.transition(RESUMING); // aborted: neither a microsleep nor a wake-up
        meter.transition(AWAKE);
        meter.transition(SUSPENDING);
        meter.transition(ASLEEP);
        advance(7);
        EnergyReport r = meter.report();
        assertEquals(List.of(Duration.ofSeconds(100), Duration.ofSeconds(40), Duration.ofSeconds(7)), r.microsleepLengths(),
                "the microsleep under way is measured up to now");
        assertEquals(3, r.microsleeps());
        assertEquals(Duration.ofSeconds(49), r.meanMicrosleep());
        assertEquals(r.timeIn(ASLEEP), Duration.ofSeconds(147), "microsleep lengths add up to the time asleep");
        assertEquals(1, r.wakeups(WakeSource.MAGIC_PACKET));
        assertEquals(1, r.wakeups(WakeSource.LOCAL));
        assertEquals(2, r.totalWakeups());
        assertEquals(1, r.abortedSuspends());

        List<PowerStep> steps = r.series();
        assertEquals(new PowerStep(Duration.ZERO, AWAKE, 61.40), steps.get(0));
        assertEquals(new PowerStep(Duration.ofSeconds(10), SUSPENDING, 107.90), steps.get(1));
        assertEquals(new PowerStep(Duration.ofMillis(18_380), ASLEEP, 1.95), steps.get(2));
        assertEquals(new PowerStep(Duration.ofMillis(118_380), RESUMING, 121.72), steps.get(3));
        assertEquals(new PowerStep(Duration.ofMillis(126_960), AWAKE, 61.40), steps.get(4));
        assertEquals(14, steps.size());
        for (int i = 1; i < steps.size(); i++) {
            assertTrue(steps.get(i - 1).state().canGoTo(steps.get(i).state()), "series step " + i + " is a legal transition");
        }
        String csv = r.seriesCsv();
        assertTrue(csv.startsWith("seconds,watts,state\n0.000000000,61.40,AWAKE\n10.000000000,61.40,AWAKE\n"
                + "10.000000000,107.90,SUSPENDING\n18.380000000,107.90,SUSPENDING\n"), csv);
        assertEquals(1 + 2 * steps.size(), csv.lines().count());
    }

    @Test
    void aMicrosleepOfExactlyTheBreakEvenIntervalSavesNothing() {
        // Equation (3), §3.3: a suspend-sleep-resume cycle lasting t_b costs what staying idle costs.
        var model = new EnergyModel(PowerProfile.TABLE_1);
        double tb = model.breakEvenSeconds();
        assertEquals(32.22, tb, 0.005);
        meter.transition(SUSPENDING);
        advance(8.38);
        meter.transition(ASLEEP);
        advance(tb - 8.38 - 8.58);
        meter.wokeBy(WakeSource.MAGIC_PACKET);
        advance(8.58);
        meter.transition(AWAKE);
        assertEquals(0, meter.report().savingPercent(), 1e-6);
    }

    @Test
    void aFreshMeterReportsNothingSpent() {
        EnergyReport r = meter.report();
        assertEquals(Duration.ZERO, r.wall());
        assertEquals(0, r.joules());
        assertEquals(0, r.savingPercent());
        assertEquals(Duration.ZERO, r.meanMicrosleep());
        assertEquals(AWAKE, r.state());
    }

    @Test
    void misuseIsRefusedWithTheReason() {
        var illegal = assertThrows(IllegalStateException.class, () -> meter.transition(ASLEEP));
        assertTrue(illegal.getMessage().contains("AWAKE -> ASLEEP"), illegal.getMessage());
        var notAsleep = assertThrows(IllegalStateException.class, () -> meter.wokeBy(WakeSource.LOCAL));
        assertTrue(notAsleep.getMessage().contains("while AWAKE"), notAsleep.getMessage());
        meter.transition(SUSPENDING);
        meter.transition(ASLEEP);
        var noCause = assertThrows(IllegalStateException.class, () -> meter.transition(RESUMING));
        assertTrue(noCause.getMessage().contains("wokeBy"), noCause.getMessage());
        clock.addAndGet(-1);
        var backwards = assertThrows(IllegalStateException.class, meter::report);
        assertTrue(backwards.getMessage().contains("went backwards"), backwards.getMessage());
    }
}
