package dev.jettison.sim.fleet;

import java.util.ArrayDeque;

/**
 * A link that moves one migration at a time at line rate, in arrival order; the rest wait their turn.
 * A migration cancelled while waiting never used the link, which is what keeps a saturated office
 * from collapsing: with {@link SharedLink} every aborted migration has eaten its share on the way.
 */
public final class QueuedLink implements Link {
    private final double bytesPerSecond;
    private final boolean returnsFirst;
    private final ArrayDeque<Transfer> waiting = new ArrayDeque<>();
    private final ArrayDeque<Transfer> returns = new ArrayDeque<>();
    private Transfer head;
    private double now;
    private double busySeconds;
    private double deliveredBytes;

    public QueuedLink(double bitsPerSecond) {
        this(bitsPerSecond, false);
    }

    /** @param returnsFirst reintegrations (a user is waiting) go before every queued consolidation */
    public QueuedLink(double bitsPerSecond, boolean returnsFirst) {
        this.returnsFirst = returnsFirst;
        if (!(bitsPerSecond > 0)) throw new IllegalArgumentException("link speed must be > 0 bit/s");
        this.bytesPerSecond = bitsPerSecond / 8;
    }

    @Override
    public Transfer start(double t, int owner, double bytes, boolean reintegration) {
        advanceTo(t);
        var tr = new Transfer(owner, bytes, t);
        if (head == null) serve(tr, t);
        else (returnsFirst && reintegration ? returns : waiting).add(tr);
        return tr;
    }

    @Override
    public void cancel(double t, Transfer tr) {
        if (tr.cancelled) return;
        advanceTo(t);
        tr.cancelled = true;
        if (tr == head) {
            tr.serviceEnd = t;
            next(t);
        }
        // A waiting one is skipped when it reaches the front: O(1) now, O(1) amortised later.
    }

    @Override
    public double nextCompletion() {
        return head == null ? Double.POSITIVE_INFINITY : head.serviceStart + head.bytes / bytesPerSecond;
    }

    @Override
    public Transfer complete(double t) {
        if (head == null) throw new IllegalStateException("no transfer in flight");
        advanceTo(t);
        Transfer done = head;
        done.serviceEnd = t;
        next(t);
        return done;
    }

    @Override
    public double busySeconds() {
        return busySeconds;
    }

    @Override
    public double deliveredBytes() {
        return deliveredBytes;
    }

    @Override
    public void advanceTo(double t) {
        if (t < now) t = now; // completion times carry rounding error of a few ulps
        if (head != null) {
            busySeconds += t - now;
            deliveredBytes += (t - now) * bytesPerSecond;
        }
        now = t;
    }

    private void serve(Transfer tr, double t) {
        head = tr;
        tr.serviceStart = t;
    }

    private void next(double t) {
        head = null;
        Transfer n;
        while ((n = returns.poll()) != null || (n = waiting.poll()) != null) {
            if (!n.cancelled) {
                serve(n, t);
                return;
            }
        }
    }
}
