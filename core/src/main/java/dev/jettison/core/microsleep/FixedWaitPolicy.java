package dev.jettison.core.microsleep;

/** A constant t_w, e.g. the paper's 6 s (§3.3). */
public final class FixedWaitPolicy implements MicrosleepPolicy {
    private final long waitMillis;
    private long lastRequest = Long.MIN_VALUE;

    public FixedWaitPolicy(long waitMillis) {
        if (waitMillis < 0) throw new IllegalArgumentException("wait must be >= 0 ms: " + waitMillis);
        this.waitMillis = waitMillis;
    }

    @Override
    public void onRequest(long nowMillis) {
        if (lastRequest != Long.MIN_VALUE && nowMillis < lastRequest) {
            throw new IllegalArgumentException("request at " + nowMillis + " ms is before the previous one at " + lastRequest + " ms");
        }
        lastRequest = nowMillis;
    }

    @Override
    public long waitMillis() {
        return waitMillis;
    }

    @Override
    public long sleepAtMillis() {
        return lastRequest == Long.MIN_VALUE ? Long.MIN_VALUE : lastRequest + waitMillis;
    }
}
