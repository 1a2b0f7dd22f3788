package dev.jettison.core.microsleep;

/**
 * When a desktop serving a consolidated VM should microsleep (§3.3): once no remote fault has
 * arrived for the wait time t_w. The desktop agent and the simulator drive the same instances:
 * call {@link #onRequest} for every request the desktop serves, then sleep at {@link #sleepAtMillis}
 * unless another request comes first.
 */
public sealed interface MicrosleepPolicy permits FixedWaitPolicy, AdaptiveWaitPolicy {

    /** The optimal t_w for the deployment's fault traces and Table 1's desktop (§3.3, Figure 4). */
    double PAPER_OPTIMAL_WAIT_SECONDS = 6.0;

    /** A remote request was served at {@code nowMillis}. Times must not go backwards. */
    void onRequest(long nowMillis);

    /** Current t_w in milliseconds. */
    long waitMillis();

    /** When the desktop should fall asleep if no further request arrives; Long.MIN_VALUE before the first request. */
    long sleepAtMillis();

    /** Whether the desktop should be asleep at {@code nowMillis}, given no request since the last one reported. */
    default boolean shouldSleep(long nowMillis) {
        return sleepAtMillis() != Long.MIN_VALUE && nowMillis >= sleepAtMillis();
    }

    static MicrosleepPolicy fixed(double waitSeconds) {
        return new FixedWaitPolicy(Math.round(waitSeconds * 1000));
    }

    static MicrosleepPolicy paperDefault() {
        return fixed(PAPER_OPTIMAL_WAIT_SECONDS);
    }
}
