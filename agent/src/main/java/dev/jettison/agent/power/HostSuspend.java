package dev.jettison.agent.power;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Real S3 on a real desktop, opt-in: writes {@code mem} to /sys/power/state, or runs
 * {@code rtcwake -m mem -s N} when a wake timer is wanted. The NIC's Wake-on-LAN wakes the
 * hardware (arm it with {@code ethtool -s IFACE wol g}); the write returning means the host has
 * resumed. Preconditions are checked once, up front, so a desktop that cannot sleep says why at
 * start-up rather than at its first microsleep.
 *
 * <p>Known limitation: user space is frozen during the whole transition, so the suspend, the
 * sleep and the resume all happen inside {@link #awaitWake}; the meter counts that time as
 * ASLEEP, and its energy is a lower bound (by t_o(P_o - P_s) + t_r(P_r - P_s) per microsleep).
 */
public final class HostSuspend implements SleepBackend {
    private static final Logger LOG = LoggerFactory.getLogger(HostSuspend.class);

    public static final Path SYS_POWER_STATE = Path.of("/sys/power/state");
    public static final Path SYS_POWER_MEM_SLEEP = Path.of("/sys/power/mem_sleep");
    private static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");
    private static final String MEM = "mem";

    private final Path stateFile;
    private final Duration wakeTimer;
    private final Path rtcwake;

    private HostSuspend(Path stateFile, Duration wakeTimer, Path rtcwake) {
        this.stateFile = stateFile;
        this.wakeTimer = wakeTimer;
        this.rtcwake = rtcwake;
    }

    /** Suspends via /sys/power/state; only Wake-on-LAN or the user wakes the host. */
    public static HostSuspend open() throws SleepUnavailableException {
        return open(SYS_POWER_STATE, effectiveUid(PROC_SELF_STATUS), null, null);
    }

    /** Suspends via rtcwake, so the RTC also wakes the host after {@code wakeTimer}. */
    public static HostSuspend open(Duration wakeTimer) throws SleepUnavailableException {
        return open(SYS_POWER_STATE, effectiveUid(PROC_SELF_STATUS), wakeTimer, onPath("rtcwake").orElse(null));
    }

    /**
     * @param euid      the effective uid to check; -1 when unknown, which counts as not root
     * @param wakeTimer null for no timer
     * @param rtcwake   the rtcwake binary, needed only with a timer; null when not found
     */
    public static HostSuspend open(Path stateFile, int euid, Duration wakeTimer, Path rtcwake) throws SleepUnavailableException {
        List<String> problems = problems(stateFile, euid, wakeTimer, rtcwake);
        if (!problems.isEmpty()) throw new SleepUnavailableException(problems);
        warnIfShallow(SYS_POWER_MEM_SLEEP);
        return new HostSuspend(stateFile, wakeTimer, rtcwake);
    }

    /** Everything that stops a suspend, each named; empty if nothing does. */
    public static List<String> problems(Path stateFile, int euid, Duration wakeTimer, Path rtcwake) {
        List<String> out = new ArrayList<>();
        if (euid != 0) {
            out.add(euid < 0 ? "cannot tell our user id; writing " + stateFile + " needs root"
                    : "not root (effective uid " + euid + "); writing " + stateFile + " needs root");
        }
        if (!Files.exists(stateFile)) {
            out.add(stateFile + " is absent: the kernel has no suspend support (CONFIG_SUSPEND) or sysfs is not mounted");
        } else {
            try {
                List<String> states = List.of(Files.readString(stateFile, StandardCharsets.US_ASCII).strip().split("\\s+"));
                if (!states.contains(MEM)) {
                    out.add(stateFile + " lists [" + String.join(" ", states) + "] but not 'mem': this host cannot suspend to RAM");
                }
            } catch (IOException e) {
                out.add("cannot read " + stateFile + ": " + e.getMessage());
            }
        }
        if (wakeTimer != null) {
            if (wakeTimer.isNegative() || wakeTimer.toSeconds() < 1) {
                out.add("wake timer " + wakeTimer + " is shorter than rtcwake's 1 s resolution");
            }
            if (rtcwake == null) out.add("a wake timer needs rtcwake (util-linux), which is not on the PATH");
            else if (!Files.isExecutable(rtcwake)) out.add(rtcwake + " is not an executable rtcwake");
        }
        return out;
    }

    /** The effective uid from a /proc/PID/status file, -1 if it cannot be read. */
    static int effectiveUid(Path procStatus) {
        try {
            for (String line : Files.readAllLines(procStatus, StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read the effective uid from {}: {}", procStatus, e.toString());
        }
        return -1;
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin")); // rtcwake lives in sbin, often off a user's PATH
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }

    /** "mem" means s2idle, not S3, unless mem_sleep selects [deep]: it still saves power, but less than Table 1's 1.95 W. */
    private static void warnIfShallow(Path memSleep) {
        try {
            String modes = Files.readString(memSleep, StandardCharsets.US_ASCII).strip();
            if (!modes.contains("[deep]")) {
                LOG.warn("{} is '{}': 'mem' suspends to {}, not S3; write 'deep' there for real S3", memSleep, modes,
                        modes.replaceAll(".*\\[(\\w+)].*", "$1"));
            }
        } catch (IOException e) {
            LOG.debug("cannot read {}: {}", memSleep, e.toString());
        }
    }

    @Override
    public String name() {
        return "host S3";
    }

    /** Nothing to do ahead: the kernel freezes tasks and syncs file systems itself. */
    @Override
    public void enterSleep() {
        LOG.info("suspending the host to RAM{}", wakeTimer == null ? "" : " with a " + wakeTimer.toSeconds() + " s RTC wake timer");
    }

    /** Suspends; returns once the host has resumed. */
    @Override
    public WakeSource awaitWake() throws InterruptedException {
        try {
            if (wakeTimer == null) {
                // Only WRITE: sysfs attributes take no O_CREAT or O_TRUNC; the write itself blocks through S3.
                Files.writeString(stateFile, MEM, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
            } else {
                runRtcwake();
            }
            return WakeSource.HARDWARE;
        } catch (IOException e) {
            LOG.warn("host suspend failed: {}", e.getMessage());
            return WakeSource.SUSPEND_FAILED;
        }
    }

    private void runRtcwake() throws IOException, InterruptedException {
        var p = new ProcessBuilder(rtcwake.toString(), "-m", MEM, "-s", Long.toString(wakeTimer.toSeconds()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int rc = p.waitFor();
        if (rc != 0) throw new IOException(rtcwake + " exited with " + rc + ": " + output);
    }

    @Override
    public void leaveSleep() {
        // The kernel has resumed every device before the write returned.
    }

    /** A frozen process cannot wake its host: the user's key press does, in hardware. */
    @Override
    public void wakeLocally() {
    }

    @Override
    public void close() {
    }
}
