package dev.jettison.agent.power;

import dev.jettison.core.energy.PowerProfile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Integrates a desktop's power over time from its state changes, with the draw of each state
 * taken from a {@link PowerProfile} (Table 1, §5.1): the software equivalent of the power meter
 * the paper's deployment used. Time comes from an injected monotonic nanosecond clock, so a test
 * with a fake clock gets exact durations. Thread-safe.
 */
public final class EnergyMeter {
    private final PowerProfile profile;
    private final LongSupplier clock;
    private final long start;
    private final long[] nanosIn = new long[PowerState.values().length];
    private final List<Long> finishedSleeps = new ArrayList<>();
    private final Map<WakeSource, Long> wakeups = new EnumMap<>(WakeSource.class);
    private final List<PowerStep> series = new ArrayList<>();
    private PowerState state = PowerState.AWAKE;
    private long since;
    private long abortedSuspends;

    /** Starts metering now, with the desktop awake. */
    public EnergyMeter(PowerProfile profile, LongSupplier nanoClock) {
        this.profile = profile;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.since = start;
        series.add(new PowerStep(Duration.ZERO, state, state.watts(profile)));
    }

    public EnergyMeter(PowerProfile profile) {
        this(profile, System::nanoTime);
    }

    public PowerProfile profile() {
        return profile;
    }

    public synchronized PowerState state() {
        return state;
    }

    /**
     * Records a state change at the clock's current time. Waking from S3 must name its cause, so
     * ASLEEP → RESUMING goes through {@link #wokeBy} instead.
     */
    public synchronized void transition(PowerState next) {
        if (state == PowerState.ASLEEP && next == PowerState.RESUMING) {
            throw new IllegalStateException("ASLEEP -> RESUMING is a wake-up: record it with wokeBy(source)");
        }
        enter(next);
    }

    /** Records ASLEEP → RESUMING and what caused it. */
    public synchronized void wokeBy(WakeSource source) {
        if (state != PowerState.ASLEEP) {
            throw new IllegalStateException("a wake-up by " + source + " while " + state + ", not ASLEEP");
        }
        wakeups.merge(source, 1L, Long::sum);
        enter(PowerState.RESUMING);
    }

    private void enter(PowerState next) {
        state.checkTransition(next);
        long now = now();
        nanosIn[state.ordinal()] += now - since;
        if (state == PowerState.ASLEEP) finishedSleeps.add(now - since);
        if (state == PowerState.SUSPENDING && next == PowerState.RESUMING) abortedSuspends++;
        state = next;
        since = now;
        series.add(new PowerStep(Duration.ofNanos(now - start), next, next.watts(profile)));
    }

    /** A snapshot up to now; the current state's time so far is included. */
    public synchronized EnergyReport report() {
        long now = now();
        Map<PowerState, Duration> timeIn = new EnumMap<>(PowerState.class);
        double joules = 0;
        for (PowerState s : PowerState.values()) {
            long n = nanosIn[s.ordinal()] + (s == state ? now - since : 0);
            timeIn.put(s, Duration.ofNanos(n));
            joules += s.watts(profile) * n / 1e9;
        }
        List<Duration> sleeps = new ArrayList<>(finishedSleeps.size() + 1);
        for (long n : finishedSleeps) sleeps.add(Duration.ofNanos(n));
        if (state == PowerState.ASLEEP) sleeps.add(Duration.ofNanos(now - since));
        long wall = now - start;
        return new EnergyReport(profile.name(), Duration.ofNanos(wall), timeIn, joules,
                profile.idleWatts() * wall / 1e9, sleeps, wakeups, abortedSuspends, series, state);
    }

    private long now() {
        long now = clock.getAsLong();
        if (now < since) {
            throw new IllegalStateException("the meter's clock went backwards: " + now + " ns after " + since + " ns");
        }
        return now;
    }
}
