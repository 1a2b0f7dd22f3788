package dev.jettison.sim.fleet;

import java.util.Arrays;

/**
 * A network link shared fairly by all transfers in flight (processor sharing): with n transfers each
 * gets capacity / n. Kept in "virtual bytes" — the bytes any one transfer has received since the link
 * was created — so starting, finishing or cancelling a transfer costs O(log n), not O(n).
 *
 * <p>An owner (a desktop) has at most one transfer in flight, so transfers are keyed by owner in an
 * {@link EventHeap} ordered by (finish, owner), and a cancelled one leaves it at once: no boxed queue
 * entries, and the completion order is the same total order as before.
 */
public final class SharedLink implements Link {
    private final double bytesPerSecond;
    private final EventHeap finish = new EventHeap(16);
    private Transfer[] byOwner = new Transfer[16];
    private double virtual;
    private double now;
    private int active;
    private double busySeconds;
    private double deliveredBytes;

    public SharedLink(double bitsPerSecond) {
        if (!(bitsPerSecond > 0)) throw new IllegalArgumentException("link speed must be > 0 bit/s");
        this.bytesPerSecond = bitsPerSecond / 8;
    }

    /** Transfers in flight. */
    public int active() {
        return active;
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
        if (t < now - 1e-6) throw new IllegalArgumentException("time goes backwards: " + t + " < " + now);
        if (t < now) t = now; // completion times carry rounding error of a few ulps
        if (active > 0) {
            virtual += (t - now) * bytesPerSecond / active;
            busySeconds += t - now;
            deliveredBytes += (t - now) * bytesPerSecond;
        }
        now = t;
    }

    @Override
    public Transfer start(double t, int owner, double bytes, boolean reintegration) {
        advanceTo(t);
        var tr = new Transfer(owner, bytes, t);
        tr.finishVirtual = virtual + bytes;
        tr.serviceStart = t;
        if (owner >= byOwner.length) byOwner = Arrays.copyOf(byOwner, Math.max(owner + 1, byOwner.length * 2));
        if (byOwner[owner] != null) throw new IllegalStateException("owner " + owner + " already has a transfer in flight");
        byOwner[owner] = tr;
        finish.set(owner, tr.finishVirtual);
        active++;
        return tr;
    }

    @Override
    public void cancel(double t, Transfer tr) {
        if (tr.cancelled) return;
        advanceTo(t);
        tr.cancelled = true;
        tr.serviceEnd = t;
        finish.set(tr.owner, Double.POSITIVE_INFINITY);
        byOwner[tr.owner] = null;
        active--;
    }

    @Override
    public double nextCompletion() {
        if (finish.isEmpty()) return Double.POSITIVE_INFINITY;
        return now + Math.max(0, finish.peekKey() - virtual) * active / bytesPerSecond;
    }

    @Override
    public Transfer complete(double t) {
        if (finish.isEmpty()) throw new IllegalStateException("no transfer in flight");
        int owner = finish.peek();
        Transfer head = byOwner[owner];
        advanceTo(t);
        finish.set(owner, Double.POSITIVE_INFINITY);
        byOwner[owner] = null;
        active--;
        head.serviceEnd = t;
        return head;
    }
}
