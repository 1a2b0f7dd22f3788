package dev.jettison.agent.desktop;

import dev.jettison.agent.microsleep.MicrosleepController;
import dev.jettison.agent.power.EmulatedSleep;
import dev.jettison.agent.power.EnergyMeter;
import dev.jettison.agent.power.PowerManager;
import dev.jettison.agent.power.PowerState;
import dev.jettison.agent.power.SleepBackend;
import dev.jettison.agent.power.WakeSource;
import dev.jettison.agent.wol.MacAddress;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.migration.partial.Desktop;
import dev.jettison.migration.partial.ResidueStore;
import dev.jettison.migration.partial.DesktopState;
import dev.jettison.migration.partial.MigrationException;
import dev.jettison.vmm.VirtualMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The desktop agent for one VM (paper §4): the {@link Desktop} that moves the VM, plus what makes
 * the desktop save energy while the VM is away. After each consolidation it meters power from
 * scratch and lets the {@link MicrosleepController} sleep the desktop once no request has come for
 * t_w; before each sleep it tells the server (so remoteWakeup wakes it before asking for state) and
 * when it wakes it says so; the desktop's page and block servers hold requests while it sleeps. On
 * reintegration it wakes the desktop locally, brings the VM home and reports both halves.
 */
public final class DesktopAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopAgent.class);

    /**
     * @param profile           the desktop's power profile (Table 1 by default, §5.1)
     * @param timeScale         desktop seconds per wall second for emulated S3 (1 = real time): the
     *                          profile's transitions and t_w shrink by it, and the guest's timers should
     *                          run that much faster (idle.speed / pattern.timers) so the whole desktop
     *                          lives in the same scaled time
     * @param initialWaitMillis t_w before the adaptive policy has learnt one, in desktop time (§3.3: 6 s)
     * @param microsleep        false: the desktop stays awake while the VM is away (metered all the same)
     * @param security          mutual TLS or plaintext for the control channel, memserv and diskserv
     */
    public record Settings(PowerProfile profile, double timeScale, long initialWaitMillis, boolean microsleep,
                           dev.jettison.migration.wire.WireSecurity security) {
        public static final long PAPER_WAIT_MILLIS = 6_000;

        public Settings(PowerProfile profile, double timeScale, long initialWaitMillis, boolean microsleep) {
            this(profile, timeScale, initialWaitMillis, microsleep, dev.jettison.migration.wire.WireSecurity.PLAINTEXT);
        }

        public Settings {
            java.util.Objects.requireNonNull(security, "security");
            if (!(timeScale > 0) || Double.isInfinite(timeScale)) throw new IllegalArgumentException("time scale must be > 0: " + timeScale);
            if (initialWaitMillis < 0) throw new IllegalArgumentException("t_w must be >= 0: " + initialWaitMillis);
        }

        /** A desktop that microsleeps. */
        public Settings(PowerProfile profile, double timeScale, long initialWaitMillis) {
            this(profile, timeScale, initialWaitMillis, true);
        }

        public Settings withSecurity(dev.jettison.migration.wire.WireSecurity s) {
            return new Settings(profile, timeScale, initialWaitMillis, microsleep, s);
        }

        public static Settings paper() {
            return new Settings(PowerProfile.TABLE_1, 1, PAPER_WAIT_MILLIS);
        }

        /** The profile as the wall clock sees it: transitions (and so t_b) shorter by the time scale. */
        PowerProfile wallProfile() {
            return timeScale == 1 ? profile : profile.withTransitions(profile.name() + " / " + timeScale,
                    profile.suspendSeconds() / timeScale, profile.resumeSeconds() / timeScale);
        }
    }

    /** One consolidation's power side. */
    private record Away(PowerManager power, MicrosleepController controller) {}

    private final Desktop desktop;
    private final SleepBackend backend;
    private final LongSupplier desktopClock;
    private final Settings settings;
    private volatile Away away;

    /**
     * Where the desktop's residue outlives the daemon ({@code store}, null for nowhere), and the
     * consolidation a previous daemon left under way there ({@code away}, null if none).
     */
    public record Residue(ResidueStore store, ResidueStore.Away away) {
        public static final Residue NONE = new Residue(null, null);

        public Residue {
            if (away != null && store == null) throw new IllegalArgumentException("an away record needs its store");
        }
    }

    private DesktopAgent(String vmId, VirtualMachine vm, Path disk, InetSocketAddress serveOn, Settings settings,
                         SleepBackend backend, LongSupplier desktopClock, Desktop.Wake wake, Residue residue)
            throws IOException {
        this.settings = settings;
        this.backend = backend;
        this.desktopClock = desktopClock;
        dev.jettison.migration.wire.ServiceGate gate = () -> {
            Away a = away;
            if (a != null) a.power().gate().admit();
        };
        var timeouts = dev.jettison.migration.partial.DesktopSettings.DEFAULT.withSecurity(settings.security());
        this.desktop = residue.away() == null
                ? new Desktop(vmId, vm, disk, serveOn, wake, () -> { }, gate, timeouts, residue.store())
                : Desktop.resume(residue.away(), vm, disk, serveOn, wake, () -> { }, gate, timeouts, residue.store());
        // The server was lost and the VM runs here again: stop microsleeping (off the session thread: stop() waits).
        desktop.onResumedFromResidue(() -> Thread.ofVirtual().name("agent-server-lost").start(this::serverLost));
        // The server gives the VM back (it is stopping): wake up and take it, as if the user had come back.
        desktop.onGoHome(() -> {
            try {
                LOG.info("VM {} is home at the server's request:\n{}", vmId, reintegrate(Duration.ofMinutes(5)).summary());
            } catch (MigrationException e) {
                LOG.warn("VM {}: the server asked us to take it home and that failed: {}", vmId, e.getMessage());
            }
        });
        // A consolidation taken up after a restart microsleeps like any other.
        if (residue.away() != null) startAway();
    }

    private void serverLost() {
        Away a;
        synchronized (this) {
            a = away;
            away = null;
        }
        if (a == null) return;
        LOG.warn("the server is gone and the VM runs here again: no more microsleeps; energy while away: {} Wh vs {} Wh idle",
                String.format("%.2f", a.power().report().wattHours()), String.format("%.2f", a.power().report().idleWattHours()));
        a.controller().close();
        a.power().close();
    }

    /**
     * An agent whose S3 is emulated (the default here): the desktop's emulated NIC listens for its
     * Wake-on-LAN magic packet on UDP {@code wolBind}, and tells the server to send it there.
     */
    public static DesktopAgent emulated(String vmId, VirtualMachine vm, Path disk, InetSocketAddress serveOn,
                                        Settings settings, MacAddress mac, InetSocketAddress wolBind) throws IOException {
        return emulated(vmId, vm, disk, serveOn, settings, mac, wolBind, Residue.NONE);
    }

    /** {@link #emulated} whose residue lives in {@code residue}'s store (and takes up what it left under way). */
    public static DesktopAgent emulated(String vmId, VirtualMachine vm, Path disk, InetSocketAddress serveOn,
                                        Settings settings, MacAddress mac, InetSocketAddress wolBind, Residue residue)
            throws IOException {
        var sleep = new EmulatedSleep(settings.profile(), settings.timeScale(), mac, wolBind);
        try {
            return new DesktopAgent(vmId, vm, disk, serveOn, settings, sleep, sleep.desktopClock(),
                    new Desktop.Wake(mac.toLong(), sleep.wolPort()), residue);
        } catch (IOException | RuntimeException e) {
            sleep.close();
            throw e;
        }
    }

    /** An agent on real hardware: {@code backend} suspends the host; its NIC's Wake-on-LAN wakes it (port 0: any). */
    public static DesktopAgent real(String vmId, VirtualMachine vm, Path disk, InetSocketAddress serveOn,
                                    PowerProfile profile, SleepBackend backend, MacAddress mac, Residue residue)
            throws IOException {
        return real(vmId, vm, disk, serveOn, profile, backend, mac, residue, dev.jettison.migration.wire.WireSecurity.PLAINTEXT);
    }

    /** {@link #real}, its channels through {@code security}. */
    public static DesktopAgent real(String vmId, VirtualMachine vm, Path disk, InetSocketAddress serveOn,
                                    PowerProfile profile, SleepBackend backend, MacAddress mac, Residue residue,
                                    dev.jettison.migration.wire.WireSecurity security) throws IOException {
        return new DesktopAgent(vmId, vm, disk, serveOn, new Settings(profile, 1, Settings.PAPER_WAIT_MILLIS).withSecurity(security), backend,
                System::nanoTime, new Desktop.Wake(mac.toLong(), 0), residue);
    }

    public Desktop desktop() { return desktop; }

    public Settings settings() { return settings; }

    /** The power state now: AWAKE while the VM is here. */
    public PowerState powerState() {
        Away a = away;
        return a == null ? PowerState.AWAKE : a.power().state();
    }

    /** The running consolidation's energy so far, or null while the VM is here. */
    public dev.jettison.agent.power.EnergyReport energySoFar() {
        Away a = away;
        return a == null ? null : a.power().report();
    }

    /** Moves the VM to {@code server} and starts microsleeping. */
    public synchronized long consolidate(InetSocketAddress server) throws MigrationException {
        long ms = desktop.consolidate(server);
        startAway();
        return ms;
    }

    /** The VM is away: meter the desktop's power and microsleep between requests. */
    private synchronized void startAway() {
        var power = new PowerManager(new Borrowed(backend), new EnergyMeter(settings.profile(), desktopClock));
        power.addListener(this::announce);
        var controller = MicrosleepController.adaptive(power, settings.wallProfile(),
                Math.round(settings.initialWaitMillis() / settings.timeScale()));
        away = new Away(power, controller);
        if (settings.microsleep()) controller.start();
    }

    /** Wakes the desktop if it sleeps, brings the VM home and reports the consolidation. */
    public synchronized AwayReport reintegrate(Duration timeout) throws MigrationException {
        Away a = away;
        if (a == null) throw new MigrationException("VM is " + desktop.state() + ", not consolidated by this agent");
        try {
            a.controller().stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while waking the desktop");
        }
        var energy = a.power().report();
        try {
            var migration = desktop.reintegrate(timeout);
            return new AwayReport(migration, energy, a.power().gate().held(), settings.timeScale());
        } finally {
            away = null;
            a.power().close();
        }
    }

    /** Tells the server about each microsleep, so that it wakes us before asking (§4). */
    private void announce(PowerState from, PowerState to) {
        if (to == PowerState.SUSPENDING) desktop.announceMicrosleep(true);
        else if (to == PowerState.AWAKE && desktop.state() == DesktopState.REMOTE) desktop.announceMicrosleep(false);
    }

    @Override
    public void close() {
        Away a = away;
        if (a != null) {
            a.controller().close();
            a.power().close();
        }
        desktop.close();
        backend.close();
    }

    /** The agent's backend lent to one consolidation's power manager, which must not close it. */
    private record Borrowed(SleepBackend backend) implements SleepBackend {
        @Override public String name() { return backend.name(); }
        @Override public void enterSleep() throws IOException, InterruptedException { backend.enterSleep(); }
        @Override public WakeSource awaitWake() throws IOException, InterruptedException { return backend.awaitWake(); }
        @Override public void leaveSleep() throws InterruptedException { backend.leaveSleep(); }
        @Override public void wakeLocally() { backend.wakeLocally(); }
        @Override public void close() { }
    }
}
