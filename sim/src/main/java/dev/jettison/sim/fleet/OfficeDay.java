package dev.jettison.sim.fleet;

import dev.jettison.core.consolidation.ServerMemory;
import dev.jettison.core.consolidation.WorkingSet;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.sim.fleet.Assumption.FullAwayPower;
import dev.jettison.sim.fleet.Assumption.TimeOnServer;
import dev.jettison.sim.fleet.Assumption.TransferPower;
import dev.jettison.sim.gen.MigrationSizes;
import dev.jettison.sim.gen.Seeds;
import dev.jettison.sim.trace.ActivityDay;
import java.util.SplittableRandom;

/**
 * One day of one site: its desktops, their idle periods, one shared link, event by event. Every VM
 * starts the day at home; the day ends at midnight with whatever is in flight cut there.
 */
final class OfficeDay {
    private static final double DAY = ActivityDay.SECONDS_PER_DAY;

    private final FleetConfig cfg;
    private final Scheme scheme;
    private final int first;
    private final int n;
    private final int day;
    private final int[][] runs; // each desktop's active runs, ActivityDay's layout: [start0, end0, start1, ...] in slots
    private final Link link;
    private final DayQueue events;
    private final OfficeTotals out = new OfficeTotals();
    private final PowerProfile p;
    private final double transferExtraWatts;
    private final boolean fullSleeps;
    private final boolean stayEndsWhenBack; // TimeOnServer.UNTIL_REINTEGRATED
    private final int capacity;

    // Per-desktop state, in arrays: this runs for 100,000 desktops.
    private final DesktopState[] state;
    private final double[] since;
    private final double[] stayStart; // when the VM reached the server
    private final int[] period;       // index of the idle period the cursor is on
    private final boolean[] timedOut; // the cursor's idle period has passed the timeout
    private final Transfer[] transfer;
    private final SplittableRandom[] sizes; // per desktop-day, drawn in the desktop's own event order
    private int onServer;

    OfficeDay(FleetConfig cfg, Scheme scheme, ActivitySource source, int first, int n, int day) {
        this.cfg = cfg;
        this.scheme = scheme;
        this.first = first;
        this.n = n;
        this.day = day;
        this.p = cfg.profile();
        this.transferExtraWatts = cfg.model().transferPower() == TransferPower.NETWORK_POWER ? p.networkWatts() - p.idleWatts() : 0;
        this.fullSleeps = cfg.model().fullAway() == FullAwayPower.SLEEP_AND_TRANSITIONS;
        this.stayEndsWhenBack = cfg.model().timeOnServer() == TimeOnServer.UNTIL_REINTEGRATED;
        this.capacity = cfg.serversPerSite() == FleetConfig.UNLIMITED_SERVERS ? Integer.MAX_VALUE
                : cfg.serversPerSite() * ServerMemory.vmsPerServer(WorkingSet.SERVER_MEMORY_MIB, scheme.serverMiBPerVm());
        this.runs = new int[n][];
        var kind = cfg.plan().kindOf(day);
        for (int i = 0; i < n; i++) runs[i] = source.activeRuns(first + i, day, kind);
        this.link = Link.of(cfg.model().sharing(), cfg.effectiveLinkBitsPerSecond());
        this.events = new DayQueue(n, DAY);
        this.state = new DesktopState[n];
        this.since = new double[n];
        this.stayStart = new double[n];
        this.period = new int[n];
        this.timedOut = new boolean[n];
        this.transfer = new Transfer[n];
        this.sizes = new SplittableRandom[n];
        java.util.Arrays.fill(state, DesktopState.HOME);
    }

    OfficeTotals run() {
        for (int d = 0; d < n; d++) schedule(d);
        int sample = 0;
        while (true) {
            double te = events.peekKey();
            double tl = link.nextCompletion();
            double t = Math.min(te, tl);
            // VMs on the server, sampled on the minute, for the server count.
            while (sample < out.vmsOnServer.length && sample * (double) OfficeTotals.SAMPLE_SECONDS <= Math.min(t, DAY)) {
                out.vmsOnServer[sample++] = onServer;
            }
            if (t >= DAY) break;
            if (tl <= te) transferDone(tl, link.complete(tl));
            else desktopEvent(events.peek(), te);
        }
        link.advanceTo(DAY);
        for (int d = 0; d < n; d++) {
            if (transfer[d] != null) chargeTransfer(transfer[d], DAY);
            if (state[d] == DesktopState.AWAY || (stayEndsWhenBack && state[d] == DesktopState.REINTEGRATING)) endStay(d, DAY);
            leave(d, DAY);
        }
        out.linkBusySeconds = link.busySeconds();
        out.bytes = link.deliveredBytes();
        return out;
    }

    /** The desktop's next event: the timeout of its current long-enough idle period, or its end. */
    private void schedule(int d) {
        int[] a = this.runs[d];
        int runs = a.length / 2;
        double timeout = cfg.idleTimeoutSeconds();
        // Skips the periods too short to time out in a local, stored once: most of a day's periods are.
        int i = period[d];
        while (true) {
            double start = i == 0 ? 0 : a[2 * i - 1] * (double) ActivityDay.SLOT_SECONDS;
            if (i > 0 && a[2 * i - 1] >= ActivityDay.SLOTS_PER_DAY) {
                period[d] = i;
                events.set(d, Double.POSITIVE_INFINITY);
                return;
            }
            double end = i < runs ? a[2 * i] * (double) ActivityDay.SLOT_SECONDS : DAY;
            if (end - start <= timeout || (i == 0 && end == 0)) {
                if (i >= runs) {
                    period[d] = i;
                    events.set(d, Double.POSITIVE_INFINITY);
                    return;
                }
                i++;
                continue;
            }
            period[d] = i;
            events.set(d, timedOut[d] ? (end >= DAY ? Double.POSITIVE_INFINITY : end) : start + timeout);
            return;
        }
    }

    private void desktopEvent(int d, double t) {
        if (!timedOut[d]) {
            timedOut[d] = true;
            if (state[d] == DesktopState.HOME) consolidate(d, t);
            schedule(d);
            return;
        }
        // The user is back.
        switch (state[d]) {
            case CONSOLIDATING -> {
                link.cancel(t, transfer[d]);
                chargeTransfer(transfer[d], t);
                transfer[d] = null;
                out.aborted++;
                enter(d, DesktopState.HOME, t);
            }
            case AWAY -> reintegrate(d, t);
            default -> { }
        }
        timedOut[d] = false;
        period[d]++;
        schedule(d);
    }

    private void consolidate(int d, double t) {
        if (onServer >= capacity) {
            out.refused++; // the site's servers are full: this idle period stays at home
            return;
        }
        double mib = scheme instanceof Scheme.Full f ? f.vmMiB() : MigrationSizes.consolidationMiB(sizes(d));
        enter(d, DesktopState.CONSOLIDATING, t);
        transfer[d] = link.start(t, d, mib * WorkingSet.MIB, false);
        out.consolidations++;
    }

    private void reintegrate(int d, double t) {
        if (!stayEndsWhenBack) endStay(d, t);
        double mib = scheme instanceof Scheme.Full f ? f.vmMiB() : MigrationSizes.reintegrationMiB(sizes(d));
        enter(d, DesktopState.REINTEGRATING, t);
        transfer[d] = link.start(t, d, mib * WorkingSet.MIB, true);
    }

    private void transferDone(double t, Transfer tr) {
        int d = tr.owner();
        transfer[d] = null;
        chargeTransfer(tr, t);
        if (state[d] == DesktopState.CONSOLIDATING) {
            enter(d, DesktopState.AWAY, t);
            stayStart[d] = t;
        } else {
            if (stayEndsWhenBack) endStay(d, t);
            double fixed = scheme instanceof Scheme.Partial part ? part.reintegrationFixedSeconds() : 0;
            out.latency.add(t - tr.startSeconds() + fixed);
            out.reintegrations++;
            enter(d, DesktopState.HOME, t);
            // The user may have gone idle again while waiting; consolidate at once if the timeout already passed.
            if (timedOut[d]) consolidate(d, t);
        }
    }

    /** A desktop sending or receiving draws more than idle only while its bytes move, not while queued. */
    private void chargeTransfer(Transfer tr, double t) {
        out.savedJoules -= transferExtraWatts * tr.servedSeconds(t);
    }

    /** Leaves the current state at {@code t}, accounting its time and energy, and enters {@code next}. */
    private void enter(int d, DesktopState next, double t) {
        leave(d, t);
        if (next != DesktopState.HOME && state[d] == DesktopState.HOME) onServer++;
        if (next == DesktopState.HOME && state[d] != DesktopState.HOME) onServer--;
        state[d] = next;
        since[d] = t;
    }

    private void leave(int d, double t) {
        out.stateSeconds[state[d].ordinal()] += Math.max(0, t - since[d]);
        since[d] = t;
    }

    /** Credits a whole stay on the server at once: the partial curve is not linear in its length. */
    private void endStay(int d, double t) {
        out.savedJoules += awaySavedJoules(Math.max(0, t - stayStart[d]));
    }

    private double awaySavedJoules(double dt) {
        if (scheme instanceof Scheme.Partial part) return part.curve().savedJoules(dt, p.idleWatts());
        if (!fullSleeps) return p.idleWatts() * dt;
        double asleep = Math.max(0, dt - p.suspendSeconds() - p.resumeSeconds());
        return p.idleWatts() * dt - p.transitionJoules() - p.sleepWatts() * asleep;
    }

    private SplittableRandom sizes(int d) {
        // Keyed by desktop and day, not by site: independent of how desktops split into sites. A desktop's
        // own events come in a fixed order, so its draws do too.
        if (sizes[d] == null) sizes[d] = new SplittableRandom(Seeds.mix(cfg.seed(), first + d, day));
        return sizes[d];
    }
}
