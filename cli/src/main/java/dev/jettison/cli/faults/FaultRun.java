package dev.jettison.cli.faults;

import dev.jettison.core.pattern.DiskPatternCheck;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One run: fresh daemons with the pattern guest, one trip out to the server with the planned fault
 * at the planned point, then the checks: (a) once settled the VM is on exactly one side, both
 * daemons agreeing; (b) the guest's own verify finds no bad byte; (c) after the guest halted, the
 * disk image checked from outside has no bad byte. A passed run keeps only its logs.
 */
final class FaultRun {
    static final String VM_ID = "faults";
    static final String MEM = "128M";
    static final long DISK_BYTES = 8L << 20;
    private static final Pattern VERIFY = Pattern.compile("mem_bad=(\\d+) disk_bad=(\\d+) .*result=(\\w+)");
    private static final Duration STABLE_FOR = Duration.ofSeconds(3);
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(6);

    private final Topology top;
    private final FaultSettings settings;
    private final boolean desktopStateDir;
    private final PrintStream out;

    FaultRun(Topology top, FaultSettings settings, boolean desktopStateDir, PrintStream out) {
        this.top = top;
        this.settings = settings;
        this.desktopStateDir = desktopStateDir;
        this.out = out;
    }

    static String cmdline(long patternSeed) {
        return "prog=pattern pattern.mem_mib=16 pattern.disk_mib=4 pattern.rate=50 pattern.seed=" + patternSeed;
    }

    RunResult execute(FaultPlan plan) throws IOException, InterruptedException {
        Path dir = settings.out().resolve("runs").resolve(plan.id());
        deleteTree(dir);
        Files.createDirectories(dir);
        Path disk = dir.resolve("disk.img");
        try (var f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
        }
        // Plaintext, said so: the suite tests what survives faults, not who may connect (docs/security.md).
        var serverArgs = List.of("server", "--insecure", "--listen", top.serverAddress(), "--state-dir", dir.resolve("server-state").toString(),
                "--http", top.serverIp() + ":" + Topology.SERVER_HTTP_PORT);
        var desktopArgs = new ArrayList<>(List.of("desktop", "--insecure", "--vm-id", VM_ID, "--mem", MEM, "--disk", disk.toString(),
                "--cmdline", cmdline(plan.patternSeed()), "--serve", top.desktopIp() + ":" + Topology.DESKTOP_SERVE_PORT,
                "--control", "127.0.0.1:" + Topology.DESKTOP_CONTROL_PORT, "--power", "none",
                "--console-log", dir.resolve("desktop-console.log").toString()));
        if (desktopStateDir) desktopArgs.addAll(List.of("--state-dir", dir.resolve("desktop-state").toString()));
        Path desktopState = desktopStateDir ? dir.resolve("desktop-state")
                : Path.of(System.getProperty("user.home"), ".cache", "jettison", "desktop", VM_ID);
        var http = new DaemonHttp(top.desktopControlUrl(), top.serverStatusUrl(),
                desktopState.resolve(dev.jettison.cli.control.ControlToken.FILE));
        var console = new ConsoleLog(dir.resolve("desktop-console.log"));
        var checks = new Checks();
        try (var log = new RunLog(dir.resolve("run.log"));
             var daemons = new Daemons(top, dir, serverArgs, desktopArgs, http, log::line, null)) {
            log.line("plan " + plan);
            try {
                run(plan, daemons, http, console, log, checks, disk);
            } catch (IOException | RuntimeException e) {
                checks.fail(e.getMessage());
                log.line("FAILED: " + e);
            }
            if (checks.failure != null) {
                String why = diagnosis(daemons, console);
                if (!why.isEmpty()) {
                    checks.failure += " [" + why + "]";
                    log.line("diagnosis: " + why);
                }
            }
        }
        var result = new RunResult(plan, checks.placement, checks.settleMillis, checks.bothSeen, checks.guestBad,
                checks.imageBad, checks.failure, dir);
        if (result.passed()) {
            // The logs stay; the image and state (up to the guest's RAM) go.
            Files.deleteIfExists(disk);
            deleteTree(dir.resolve("server-state"));
            deleteTree(dir.resolve("desktop-state"));
        }
        return result;
    }

    /** What the run has found so far; the first failure is the one reported. */
    private static final class Checks {
        Placement placement = new Placement.Unsettled("the fault was not injected");
        long settleMillis = -1;
        String bothSeen;
        long guestBad = -1;
        long imageBad = -1;
        String failure;

        void fail(String why) {
            if (failure == null) failure = why;
        }
    }

    private void run(FaultPlan plan, Daemons daemons, DaemonHttp http, ConsoleLog console, RunLog log, Checks c, Path disk)
            throws IOException, InterruptedException {
        daemons.startServer();
        daemons.startDesktop();
        console.await(0, l -> l.startsWith("JTS:PATTERN WROTE"), Duration.ofMinutes(2), "JTS:PATTERN WROTE");
        log.line("guest wrote its pattern");

        CompletableFuture<DaemonHttp.Reply> pending = null;
        String consolidate = "/consolidate?server=" + top.serverAddress();
        switch (plan.phase()) {
            case CONSOLIDATION -> {
                pending = http.postAsync(consolidate, MIGRATION_TIMEOUT);
                log.line("POST /consolidate sent");
                Thread.sleep(plan.injectAfterMillis());
            }
            case REMOTE -> {
                mustSucceed(http.post(consolidate, MIGRATION_TIMEOUT), "consolidation before the fault", log);
                Thread.sleep(plan.injectAfterMillis());
            }
            case REINTEGRATION -> {
                mustSucceed(http.post(consolidate, MIGRATION_TIMEOUT), "consolidation before the fault", log);
                Thread.sleep(plan.remoteMillis());
                pending = http.postAsync("/reintegrate", MIGRATION_TIMEOUT);
                log.line("POST /reintegrate sent");
                Thread.sleep(plan.injectAfterMillis());
            }
        }
        long injected = System.nanoTime();
        plan.kind().inject(daemons);
        Thread.sleep(plan.outageMillis());
        plan.kind().lift(daemons);

        var settled = new Settler(http, VM_ID, Settler.Clock.REAL).await(injected, STABLE_FOR, settings.settleTimeout());
        c.placement = settled.placement();
        c.bothSeen = settled.bothSeen();
        log.line("settle: " + settled.placement().describe() + (settled.settled() ? " after " + settled.millis() + " ms" : ""));
        if (pending != null) {
            String answer = outcome(pending);
            log.line("the request under way when the fault struck: " + answer);
            if (answer == null) c.fail("the request under way when the fault struck never answered (30 s after settling)");
        }
        if (c.bothSeen != null) c.fail("the VM ran on both sides: " + c.bothSeen);
        if (!settled.settled()) {
            c.fail("did not settle within " + settings.settleTimeout().toSeconds() + " s of the fault's end: " + settled.placement().describe());
            return;
        }
        c.settleMillis = settled.millis();

        if (settled.placement() instanceof Placement.OnServer) {
            mustSucceed(http.post("/reintegrate", MIGRATION_TIMEOUT), "bringing the VM home after the fault", log);
            var home = new Settler(http, VM_ID, Settler.Clock.REAL).await(System.nanoTime(), Duration.ofSeconds(1), Duration.ofSeconds(60));
            if (!(home.placement() instanceof Placement.OnDesktop)) {
                c.fail("after reintegrating, the VM is " + home.placement().describe());
                return;
            }
        }

        int from = console.lineCount();
        mustSucceed(http.typeLine("verify"), "typing verify", log);
        String v = console.await(from, l -> l.startsWith("JTS:PATTERN VERIFY"), Duration.ofMinutes(2), "JTS:PATTERN VERIFY");
        log.line("guest: " + v);
        var m = VERIFY.matcher(v);
        if (!m.find()) throw new IOException("unreadable verify line: " + v);
        c.guestBad = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
        if (c.guestBad != 0 || !m.group(3).equals("ok")) c.fail("the guest's verify found bad bytes: " + v);

        mustSucceed(http.typeLine("halt"), "typing halt", log);
        int exit = daemons.awaitDesktopExit(Duration.ofMinutes(2));
        log.line("desktop daemon exited " + exit);
        if (exit != 0) c.fail("the desktop daemon exited " + exit + " after the guest halted");
        var check = DiskPatternCheck.check(disk);
        c.imageBad = check.badBytes();
        log.line("image: " + check);
        if (c.imageBad != 0) c.fail("the disk image has " + c.imageBad + " bad bytes after shutdown (" + check + ")");
    }

    /** What a failed run's desktop says about its guest: a panic on the console, a daemon that ended. */
    private static String diagnosis(Daemons daemons, ConsoleLog console) {
        var parts = new ArrayList<String>();
        try {
            console.lines().stream().filter(l -> l.startsWith("JTS:PANIC")).findFirst().ifPresent(l -> parts.add("guest at home: " + l));
        } catch (IOException e) {
            parts.add("console log unreadable: " + e.getMessage());
        }
        String ended = daemons.desktopEnded();
        if (ended != null) parts.add(ended);
        return String.join("; ", parts);
    }

    private static void mustSucceed(DaemonHttp.Reply r, String what, RunLog log) throws IOException {
        log.line(what + ": " + r.status() + " " + r.firstLine());
        if (!r.ok()) throw new IOException(what + " failed: " + r.status() + " " + r.firstLine());
    }

    /**
     * The answer to the request the fault interrupted, or null if it has none 30 s after the system
     * settled: once settled it must have ended, one way or the other (a dead daemon's is an error).
     */
    private static String outcome(CompletableFuture<DaemonHttp.Reply> pending) {
        try {
            var r = pending.get(30, TimeUnit.SECONDS);
            return r.status() + " " + r.firstLine();
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (Exception e) {
            return "no answer: " + e.getMessage();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The run's timeline, with times since its start, in run.log. */
    static final class RunLog implements AutoCloseable {
        private final PrintStream file;
        private final long start = System.nanoTime();

        RunLog(Path path) throws IOException {
            this.file = new PrintStream(Files.newOutputStream(path), true, java.nio.charset.StandardCharsets.UTF_8);
            file.println("# " + Instant.now());
        }

        synchronized void line(String s) {
            file.printf("%8.3f %s%n", (System.nanoTime() - start) / 1e9, s);
        }

        @Override
        public void close() {
            file.close();
        }
    }
}
