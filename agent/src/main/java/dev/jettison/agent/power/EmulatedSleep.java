package dev.jettison.agent.power;

import dev.jettison.agent.wol.MacAddress;
import dev.jettison.agent.wol.WakeOnLanListener;
import dev.jettison.core.energy.PowerProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * S3 emulation, for CI boxes and developer machines that must not really suspend (DESIGN.md:
 * emulation only where the real thing cannot exist, named as such). Entering sleep takes the
 * profile's t_o and leaving takes its t_r (Table 1, §5.1), both divided by {@code timeScale};
 * in between only a real Wake-on-LAN magic packet for this desktop's MAC, received on a UDP
 * port, or a local wake ends the sleep, as only the NIC's wake logic and the keyboard can end S3.
 *
 * <p>{@code timeScale} compresses time: 1 is real time, 100 turns Table 1's 8.38 s suspend into
 * 83.8 ms. Meter such a run with {@link #desktopClock()} to report the desktop's own seconds.
 *
 * <p>A magic packet that comes while the desktop is still suspending is remembered and wakes it
 * as soon as it is asleep, as a NIC latches its wake event; one that comes while it is awake does
 * nothing.
 */
public final class EmulatedSleep implements SleepBackend {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatedSleep.class);

    private final double timeScale;
    private final Duration suspendTime;
    private final Duration resumeTime;
    private final WakeOnLanListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean armed;
    private WakeSource pending;

    /**
     * @param timeScale how many times faster than real time the emulated desktop runs (>= 1 sensible, > 0 required)
     * @param wolBind   where the emulated NIC listens for magic packets (port 0 = any; on a LAN, port 9)
     */
    public EmulatedSleep(PowerProfile profile, double timeScale, MacAddress mac, InetSocketAddress wolBind) throws IOException {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be a positive finite factor, not " + timeScale);
        }
        this.timeScale = timeScale;
        this.suspendTime = scaled(profile.suspendSeconds());
        this.resumeTime = scaled(profile.resumeSeconds());
        this.listener = new WakeOnLanListener(mac, wolBind, () -> signal(WakeSource.MAGIC_PACKET));
        LOG.info("S3 emulation for {}: suspend {} ms, resume {} ms (time scale {}), Wake-on-LAN on UDP port {}",
                mac, suspendTime.toMillis(), resumeTime.toMillis(), timeScale, listener.port());
    }

    @Override
    public String name() {
        return "emulation";
    }

    public int wolPort() {
        return listener.port();
    }

    public Duration suspendTime() {
        return suspendTime;
    }

    public Duration resumeTime() {
        return resumeTime;
    }

    /** A nanosecond clock running {@code timeScale} times faster than real time: the emulated desktop's time. */
    public LongSupplier desktopClock() {
        long origin = System.nanoTime();
        return () -> origin + Math.round((System.nanoTime() - origin) * timeScale);
    }

    @Override
    public void enterSleep() throws InterruptedException {
        lock.lock();
        try {
            armed = true;
            pending = null;
        } finally {
            lock.unlock();
        }
        pause(suspendTime);
    }

    @Override
    public WakeSource awaitWake() throws InterruptedException {
        lock.lock();
        try {
            while (pending == null) woken.await();
            WakeSource by = pending;
            pending = null;
            armed = false;
            return by;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void leaveSleep() throws InterruptedException {
        pause(resumeTime);
    }

    @Override
    public void wakeLocally() {
        signal(WakeSource.LOCAL);
    }

    private void signal(WakeSource by) {
        lock.lock();
        try {
            if (!armed) {
                LOG.debug("emulation: {} while awake, nothing to wake", by);
                return;
            }
            if (pending == null) {
                pending = by;
                woken.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public long magicPacketsReceived() {
        return listener.wakeups();
    }

    @Override
    public void close() {
        listener.close();
    }

    private Duration scaled(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9 / timeScale));
    }

    /** Sleeps at least {@code d}: the transitions must never look shorter than the profile says. */
    private static void pause(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }
}
