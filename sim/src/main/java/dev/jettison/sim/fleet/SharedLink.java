package dev.jettison.sim.fleet;

import java.util.PriorityQueue;

/**
 * A network link shared fairly by all transfers in flight (processor sharing): with n transfers each
 * gets capacity / n. Kept in "virtual bytes" — the bytes any one transfer has received since the link
 * was created — so starting, finishing or cancelling a transfer costs O(log n), not O(n).
 */
public final class SharedLink implements Link {
    private final double bytesPerSecond;
    private final PriorityQueue<Transfer> queue = new PriorityQueue<>((a, b) -> {
        int c = Double.compare(a.finishVirtual, b.finishVirtual);
        return c != 0 ? c : Integer.compare(a.owner, b.owner);
    });
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
        queue.add(tr);
        active++;
        return tr;
    }

    @Override
    public void cancel(double t, Transfer tr) {
        if (tr.cancelled) return;
        advanceTo(t);
        tr.cancelled = true;
        tr.serviceEnd = t;
        active--;
    }

    @Override
    public double nextCompletion() {
        Transfer head = head();
        if (head == null) return Double.POSITIVE_INFINITY;
        return now + Math.max(0, head.finishVirtual - virtual) * active / bytesPerSecond;
    }

    @Override
    public Transfer complete(double t) {
        Transfer head = head();
        if (head == null) throw new IllegalStateException("no transfer in flight");
        advanceTo(t);
        queue.poll();
        active--;
        head.serviceEnd = t;
        return head;
    }

    private Transfer head() {
        Transfer h;
        while ((h = queue.peek()) != null && h.cancelled) queue.poll();
        return h;
    }
}
