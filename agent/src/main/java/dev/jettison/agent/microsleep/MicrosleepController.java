package dev.jettison.agent.microsleep;

import dev.jettison.agent.power.PowerListener;
import dev.jettison.agent.power.PowerManager;
import dev.jettison.agent.power.PowerState;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.microsleep.AdaptiveWaitPolicy;
import dev.jettison.core.microsleep.MicrosleepPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The activityMonitor's microsleep half (§3.3, §4): while the VM is consolidated, sleeps the
 * desktop once no request has reached its state servers for t_w. t_w comes from the core
 * {@link MicrosleepPolicy}, the same code the simulator runs, and an {@link AdaptiveWaitPolicy}
 * re-learns it from the inter-arrivals seen here. The wait counts from the last request or from the
 * last wake-up, whichever is later: a desktop woken to serve a fault stays up t_w for the faults
 * that follow it (99.23% come within a second, §3.3).
 *
 * <p>Started after consolidation; {@link #stop} on reintegration wakes the desktop locally if it
 * is asleep and returns once it is awake.
 */
public final class MicrosleepController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MicrosleepController.class);

    private final PowerManager power;
    private final MicrosleepPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Runnable onRequest = this::onRequest;
    private final PowerListener onPower = (from, to) -> signal();
    private final long epoch = System.nanoTime();
    private long lastRequestNanos;
    private long sleepsStarted;
    private long requests;
    private boolean running;
    private Thread loop;

    public MicrosleepController(PowerManager power, MicrosleepPolicy policy) {
        this.power = power;
        this.policy = policy;
    }

    /**
     * t_w learnt from this desktop's faults by equation (4), starting from {@code initialWaitMillis}
     * (the paper's 6 s, §3.3, for a Table 1 desktop).
     */
    public static MicrosleepController adaptive(PowerManager power, PowerProfile profile, long initialWaitMillis) {
        return new MicrosleepController(power, new AdaptiveWaitPolicy(profile, initialWaitMillis,
                AdaptiveWaitPolicy.DEFAULT_MIN_SAMPLES, AdaptiveWaitPolicy.DEFAULT_REOPTIMISE_EVERY));
    }

    /** Starts watching for idleness; the first t_w counts from now. */
    public void start() {
        lock.lock();
        try {
            if (running) throw new IllegalStateException("the microsleep controller is already running");
            running = true;
            lastRequestNanos = System.nanoTime();
            power.gate().addRequestListener(onRequest);
            power.addListener(onPower);
            loop = Thread.ofVirtual().name("microsleep-controller").start(this::run);
            LOG.info("microsleeps on ({}): t_w {} ms", power.backendName(), policy.waitMillis());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops sleeping the desktop (the user returned); wakes it locally if a microsleep is under
     * way, counted as a local wake-up, and returns once it is AWAKE.
     */
    public void stop() throws InterruptedException {
        Thread t;
        lock.lock();
        try {
            if (!running) return;
            running = false;
            t = loop;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        t.join();
        power.gate().removeRequestListener(onRequest);
        power.removeListener(onPower);
        if (power.state() != PowerState.AWAKE) {
            LOG.info("microsleeps off: waking the desktop locally from {}", power.state());
            power.wakeLocally();
        }
        power.awaitAwake();
    }

    public boolean running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Current t_w. */
    public long waitMillis() {
        lock.lock();
        try {
            return policy.waitMillis();
        } finally {
            lock.unlock();
        }
    }

    /** Microsleeps this controller started. */
    public long sleepsStarted() {
        lock.lock();
        try {
            return sleepsStarted;
        } finally {
            lock.unlock();
        }
    }

    /** Requests seen while running. */
    public long requests() {
        lock.lock();
        try {
            return requests;
        } finally {
            lock.unlock();
        }
    }

    private void onRequest() {
        lock.lock();
        try {
            long now = System.nanoTime();
            lastRequestNanos = now;
            requests++;
            policy.onRequest(TimeUnit.NANOSECONDS.toMillis(now - epoch));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        lock.lock();
        try {
            while (running) {
                long awakeSince = power.awakeSinceNanos();
                if (awakeSince < 0) { // mid-microsleep: the power listener signals when it ends
                    changed.await();
                    continue;
                }
                long now = System.nanoTime();
                long idleSince = Math.max(lastRequestNanos, awakeSince);
                long left = idleSince + TimeUnit.MILLISECONDS.toNanos(policy.waitMillis()) - now;
                if (left > 0) {
                    changed.awaitNanos(left);
                } else if (power.sleep()) {
                    sleepsStarted++;
                    LOG.debug("no request for {} ms: microsleep {}", TimeUnit.NANOSECONDS.toMillis(now - idleSince), sleepsStarted);
                }
            }
        } catch (InterruptedException e) {
            LOG.warn("microsleep controller interrupted; no more microsleeps");
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #stop}, for try-with-resources. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
