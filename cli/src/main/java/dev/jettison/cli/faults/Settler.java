package dev.jettison.cli.faults;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waits, bounded, until the system has settled after a fault: the VM is on exactly one side and
 * has stayed there for a while, both daemons agreeing. It also notes whether the VM was ever seen
 * running on both sides on the way.
 */
public final class Settler {
    static final Duration POLL = Duration.ofMillis(200);

    /** How time passes: the real clock, or a test's. */
    public interface Clock {
        long nanos();

        void sleep(Duration d) throws InterruptedException;

        Clock REAL = new Clock() {
            public long nanos() { return System.nanoTime(); }
            public void sleep(Duration d) throws InterruptedException { Thread.sleep(d); }
        };
    }

    /**
     * @param placement  the last judgement: settled, or why not when the time ran out
     * @param millis     from {@code since} to the start of the stable stretch; -1 if it never settled
     * @param bothSeen   the VM was once seen running on both sides (null if never)
     */
    public record Result(Placement placement, long millis, String bothSeen) {
        public boolean settled() { return millis >= 0; }
    }

    private final StatusProbe probe;
    private final String vmId;
    private final Clock clock;

    public Settler(StatusProbe probe, String vmId, Clock clock) {
        this.probe = probe;
        this.vmId = vmId;
        this.clock = clock;
    }

    /**
     * Polls until one settled placement has held for {@code stableFor}, or {@code timeout} has passed.
     *
     * @param since when the fault struck (System.nanoTime() of the clock), what the settle time counts from
     */
    public Result await(long since, Duration stableFor, Duration timeout) throws InterruptedException {
        long start = clock.nanos();
        Placement current = null;
        long stableSince = 0;
        String both = null;
        while (true) {
            long now = clock.nanos();
            var p = Placement.judge(vmId, probe.desktopState(), probe.serverVms());
            if (p instanceof Placement.OnBoth b && both == null) both = b.detail();
            if (!p.settled()) {
                current = p;
            } else if (current == null || !current.equals(p)) {
                current = p;
                stableSince = now;
            } else if (now - stableSince >= stableFor.toNanos()) {
                return new Result(p, (stableSince - since) / 1_000_000, both);
            }
            if (clock.nanos() - start >= timeout.toNanos()) return new Result(p, -1, both);
            clock.sleep(POLL);
        }
    }
}
