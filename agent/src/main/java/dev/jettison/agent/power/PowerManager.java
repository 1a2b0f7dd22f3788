package dev.jettison.agent.power;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The desktop's power state (§3.3): owns the state, the {@link EnergyMeter} and a {@link SleepBackend},
 * and runs each microsleep AWAKE → SUSPENDING → ASLEEP → (woken) → RESUMING → AWAKE on its own
 * thread, so a caller deciding to sleep is never blocked through S3. Listeners hear every change,
 * in order, on that thread. Thread-safe.
 */
public final class PowerManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PowerManager.class);

    private final SleepBackend backend;
    private final EnergyMeter meter;
    private final PowerGate gate;
    private final List<PowerListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private PowerState state = PowerState.AWAKE;
    private long awakeSinceNanos = System.nanoTime();
    private boolean localWakeRequested;
    private boolean closed;
    private Thread cycle;

    public PowerManager(SleepBackend backend, EnergyMeter meter) {
        if (meter.state() != PowerState.AWAKE) throw new IllegalArgumentException("the meter must start with the desktop AWAKE");
        this.backend = backend;
        this.meter = meter;
        this.gate = new PowerGate(this);
    }

    public PowerState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** System.nanoTime() when the desktop last became AWAKE, or -1 while it is not awake. */
    public long awakeSinceNanos() {
        lock.lock();
        try {
            return state == PowerState.AWAKE ? awakeSinceNanos : -1;
        } finally {
            lock.unlock();
        }
    }

    public EnergyReport report() {
        return meter.report();
    }

    public String backendName() {
        return backend.name();
    }

    /** The gate for the desktop's state servers. */
    public PowerGate gate() {
        return gate;
    }

    public void addListener(PowerListener l) {
        listeners.add(l);
    }

    public void removeListener(PowerListener l) {
        listeners.remove(l);
    }

    /**
     * Starts a microsleep and returns at once: true if one started, false if the desktop is not AWAKE
     * (a microsleep is already under way). The state is SUSPENDING when this returns true; its
     * listeners hear of it from the cycle thread, so that every listener call happens there, in order.
     */
    public boolean sleep() {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("the power manager is closed");
            if (state != PowerState.AWAKE) return false;
            localWakeRequested = false;
            setState(PowerState.SUSPENDING);
            cycle = Thread.ofVirtual().name("power-cycle").start(this::cycle);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The user is back: ends a microsleep under way as soon as the backend can, counted as a local
     * wake-up. Does nothing while awake or already resuming; returns without waiting for AWAKE.
     */
    public void wakeLocally() {
        lock.lock();
        try {
            if (state == PowerState.AWAKE || state == PowerState.RESUMING) return;
            localWakeRequested = true;
        } finally {
            lock.unlock();
        }
        backend.wakeLocally();
    }

    /** Blocks until the desktop is AWAKE. */
    public void awaitAwake() throws InterruptedException {
        lock.lock();
        try {
            while (state != PowerState.AWAKE) changed.await();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for {@code wanted}; true if the desktop is in it on return. */
    public boolean awaitState(PowerState wanted, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (state != wanted) {
                if (left <= 0) return false;
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void cycle() {
        notifyListeners(PowerState.AWAKE, PowerState.SUSPENDING);
        try {
            runCycle();
        } catch (InterruptedException e) {
            LOG.warn("{}: microsleep interrupted in {}; counting the desktop awake again", backend.name(), state());
            forceAwake();
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: microsleep failed in {}: {}", backend.name(), state(), e.toString());
            forceAwake();
        }
        // No recovery after a normal end: by then the next microsleep may already have begun.
    }

    private void runCycle() throws IOException, InterruptedException {
        try {
            backend.enterSleep();
        } catch (IOException e) {
            LOG.warn("{}: suspend aborted: {}", backend.name(), e.getMessage());
            move(PowerState.RESUMING, null);
            backend.leaveSleep();
            move(PowerState.AWAKE, null);
            return;
        }
        move(PowerState.ASLEEP, null);
        if (localWakeRequested()) backend.wakeLocally(); // asked for while the backend was not yet listening
        WakeSource by = backend.awaitWake();
        move(PowerState.RESUMING, by);
        backend.leaveSleep();
        move(PowerState.AWAKE, null);
    }

    /** Walks the states back to AWAKE after a failure, so that the gate never stays shut. */
    private void forceAwake() {
        PowerState s = state();
        if (s == PowerState.AWAKE) return;
        if (s == PowerState.SUSPENDING) move(PowerState.RESUMING, null);
        if (s == PowerState.ASLEEP) move(PowerState.RESUMING, WakeSource.LOCAL);
        move(PowerState.AWAKE, null);
    }

    private boolean localWakeRequested() {
        lock.lock();
        try {
            return localWakeRequested;
        } finally {
            lock.unlock();
        }
    }

    private void move(PowerState next, WakeSource by) {
        PowerState from;
        lock.lock();
        try {
            from = state;
            if (by != null) meter.wokeBy(by);
            setState(next);
        } finally {
            lock.unlock();
        }
        if (by != null) LOG.info("{}: woken by {}", backend.name(), by);
        notifyListeners(from, next);
    }

    /** Caller holds the lock. */
    private void setState(PowerState next) {
        state.checkTransition(next);
        if (meter.state() != next) meter.transition(next);
        state = next;
        if (next == PowerState.AWAKE) awakeSinceNanos = System.nanoTime();
        changed.signalAll();
    }

    private void notifyListeners(PowerState from, PowerState to) {
        LOG.debug("{}: {} -> {}", backend.name(), from, to);
        for (PowerListener l : listeners) {
            try {
                l.onTransition(from, to);
            } catch (RuntimeException e) {
                LOG.warn("power listener failed on {} -> {}: {}", from, to, e.toString());
            }
        }
    }

    /** Wakes the desktop if a microsleep is under way, waits for AWAKE, and closes the backend. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            t = cycle;
        } finally {
            lock.unlock();
        }
        wakeLocally();
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        backend.close();
    }
}
