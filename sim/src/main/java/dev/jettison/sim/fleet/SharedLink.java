package dev.jettison.sim.fleet;

import java.util.PriorityQueue;

/**
 * A network link shared fairly by all transfers in flight (processor sharing): with n transfers each
 * gets capacity / n. Kept in "virtual bytes" — the bytes any one transfer has received since the link
 * was created — so starting, finishing or cancelling a transfer costs O(log n), not O(n).
 */
public final class SharedLink {
    /** Transfers are compared by the virtual bytes at which they finish. */
    public static final class Transfer {
        final int owner;
        final double bytes;
        final double startSeconds;
        final double finishVirtual;
        boolean cancelled;

        Transfer(int owner, double bytes, double startSeconds, double finishVirtual) {
            this.owner = owner;
            this.bytes = bytes;
            this.startSeconds = startSeconds;
            this.finishVirtual = finishVirtual;
        }

        public int owner() {
            return owner;
        }

        public double startSeconds() {
            return startSeconds;
        }

        public double bytes() {
            return bytes;
        }
    }

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

    public int active() {
        return active;
    }

    /** Seconds during which at least one transfer was in flight. */
    public double busySeconds() {
        return busySeconds;
    }

    public double deliveredBytes() {
        return deliveredBytes;
    }

    private void advance(double t) {
        if (t < now - 1e-6) throw new IllegalArgumentException("time goes backwards: " + t + " < " + now);
        if (t < now) t = now; // completion times carry rounding error of a few ulps
        if (active > 0) {
            virtual += (t - now) * bytesPerSecond / active;
            busySeconds += t - now;
            deliveredBytes += (t - now) * bytesPerSecond;
        }
        now = t;
    }

    public Transfer start(double t, int owner, double bytes) {
        advance(t);
        var tr = new Transfer(owner, bytes, t, virtual + bytes);
        queue.add(tr);
        active++;
        return tr;
    }

    public void cancel(double t, Transfer tr) {
        if (tr.cancelled) return;
        advance(t);
        tr.cancelled = true;
        active--;
    }

    /** When the next transfer completes if nothing else changes; +inf when idle. */
    public double nextCompletion() {
        Transfer head = head();
        if (head == null) return Double.POSITIVE_INFINITY;
        return now + Math.max(0, head.finishVirtual - virtual) * active / bytesPerSecond;
    }

    /** Completes the transfer due at {@code t} (which must be {@link #nextCompletion()}). */
    public Transfer complete(double t) {
        Transfer head = head();
        if (head == null) throw new IllegalStateException("no transfer in flight");
        advance(t);
        queue.poll();
        active--;
        return head;
    }

    private Transfer head() {
        Transfer h;
        while ((h = queue.peek()) != null && h.cancelled) queue.poll();
        return h;
    }
}
