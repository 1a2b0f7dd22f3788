package dev.jettison.sim.microsleep;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.microsleep.MicrosleepPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays the remote requests a desktop serves during one consolidation through a microsleep policy
 * (the same core class the desktop agent runs) and accounts energy with equation (2) of §3.3.
 * The desktop is awake when the consolidation starts. A request that finds it asleep wakes it (resume
 * t_r); one that finds it suspending waits for the suspend to finish, then for the resume. Request
 * times are the VM's, not dilated by those waits: a simplification the paper's trace simulation makes
 * too (§3.4).
 * Feed requests in time order with {@link #request}, then call {@link #finish}. Memory is constant.
 */
public final class PowerReplay {
    private final PowerProfile p;
    private final MicrosleepPolicy policy;
    private final double[] horizons;
    private final List<ReplayPoint> points = new ArrayList<>();
    private int nextHorizon;

    private final double[] done = new double[PowerState.values().length];
    private int sleeps;
    private PowerState state = PowerState.AWAKE;
    private double since;
    private double awakeAt; // while RESUMING: when the desktop will be awake
    private boolean finished;

    /** @param horizons sorted, positive seconds at which to report energy */
    public PowerReplay(PowerProfile profile, MicrosleepPolicy policy, double[] horizons) {
        this.p = profile;
        this.policy = policy;
        this.horizons = horizons.clone();
        for (int i = 0; i < horizons.length; i++) {
            if (!(horizons[i] > 0) || (i > 0 && horizons[i] <= horizons[i - 1])) throw new IllegalArgumentException("horizons must be positive and increasing");
        }
        policy.onRequest(0);
    }

    /** Whether requests beyond this time can still change any report. */
    public boolean wantsMore() {
        return nextHorizon < horizons.length;
    }

    /** A remote request arrives at {@code t} seconds after consolidation. */
    public void request(double t) {
        if (finished) throw new IllegalStateException("replay already finished");
        if (t < since && state != PowerState.RESUMING) throw new IllegalArgumentException("requests must come in time order: " + t + " < " + since);
        advanceTo(t);
        if (!wantsMore()) return;
        switch (state) {
            case AWAKE -> policy.onRequest(millis(t));
            case RESUMING -> policy.onRequest(millis(awakeAt)); // served once awake
            case SUSPENDING -> {
                double suspended = since + p.suspendSeconds();
                segment(PowerState.SUSPENDING, since, suspended);
                sleeps++; // a zero-length microsleep: the round trip is still paid
                startResume(suspended);
            }
            case ASLEEP -> {
                segment(PowerState.ASLEEP, since, t);
                startResume(t);
            }
        }
    }

    /** No more requests: the desktop sleeps through to the last horizon. Returns one point per horizon. */
    public List<ReplayPoint> finish() {
        if (!finished) {
            advanceTo(Double.POSITIVE_INFINITY);
            finished = true;
        }
        return points;
    }

    private void startResume(double from) {
        state = PowerState.RESUMING;
        since = from;
        awakeAt = from + p.resumeSeconds();
        policy.onRequest(millis(awakeAt));
    }

    /** Moves the state machine through every transition due before {@code t}. */
    private void advanceTo(double t) {
        while (wantsMore()) {
            double next;
            PowerState to;
            switch (state) {
                case AWAKE -> {
                    next = policy.sleepAtMillis() / 1000.0;
                    to = PowerState.SUSPENDING;
                }
                case SUSPENDING -> {
                    next = since + p.suspendSeconds();
                    to = PowerState.ASLEEP;
                }
                case RESUMING -> {
                    next = awakeAt;
                    to = PowerState.AWAKE;
                }
                default -> {
                    next = Double.POSITIVE_INFINITY;
                    to = PowerState.ASLEEP;
                }
            }
            // A transition due exactly when a request arrives loses to the request: the desktop is still up.
            if (next >= t) {
                if (t == Double.POSITIVE_INFINITY) segment(state, since, t); // report the remaining horizons
                return;
            }
            segment(state, since, next);
            if (to == PowerState.ASLEEP) sleeps++;
            state = to;
            since = next;
        }
    }

    /** Accounts [from, to) in {@code s}, reporting each horizon that falls inside it. */
    private void segment(PowerState s, double from, double to) {
        while (nextHorizon < horizons.length && horizons[nextHorizon] <= to) {
            double h = horizons[nextHorizon++];
            double[] t = done.clone();
            t[s.ordinal()] += Math.max(0, h - from);
            points.add(point(h, t, sleeps, s, from));
        }
        done[s.ordinal()] += Math.max(0, to - from);
    }

    private ReplayPoint point(double h, double[] t, int n, PowerState s, double from) {
        double joules = t[PowerState.AWAKE.ordinal()] * p.idleWatts()
                + t[PowerState.SUSPENDING.ordinal()] * p.suspendWatts()
                + t[PowerState.ASLEEP.ordinal()] * p.sleepWatts()
                + t[PowerState.RESUMING.ordinal()] * p.resumeWatts();
        // Whatever is in flight at the horizon must complete before the user gets the desktop back.
        joules += switch (s) {
            case AWAKE -> 0;
            case SUSPENDING -> (from + p.suspendSeconds() - h) * p.suspendWatts() + p.resumeSeconds() * p.resumeWatts();
            case ASLEEP -> p.resumeSeconds() * p.resumeWatts();
            case RESUMING -> (awakeAt - h) * p.resumeWatts();
        };
        return new ReplayPoint(h, joules, p.idleWatts() * h,
                t[PowerState.AWAKE.ordinal()], t[PowerState.SUSPENDING.ordinal()], t[PowerState.ASLEEP.ordinal()], t[PowerState.RESUMING.ordinal()], n);
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }
}
