package dev.jettison.sim.fleet;

/**
 * One VM state transfer on a {@link Link}. It may wait before bytes flow (a queued link), so the
 * link records when service began: a desktop draws network power only while its bytes move.
 */
public final class Transfer {
    final int owner;
    final double bytes;
    final double startSeconds;
    double finishVirtual;            // fair share: virtual bytes at which it finishes
    double serviceStart = Double.NaN; // when bytes began to flow
    double serviceEnd = Double.NaN;   // when they stopped (done or cancelled)
    boolean cancelled;

    Transfer(int owner, double bytes, double startSeconds) {
        this.owner = owner;
        this.bytes = bytes;
        this.startSeconds = startSeconds;
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

    /** Seconds during which this transfer's bytes were moving, up to {@code now} if still in service. */
    public double servedSeconds(double now) {
        if (Double.isNaN(serviceStart)) return 0;
        double end = Double.isNaN(serviceEnd) ? now : serviceEnd;
        return Math.max(0, end - serviceStart);
    }
}
