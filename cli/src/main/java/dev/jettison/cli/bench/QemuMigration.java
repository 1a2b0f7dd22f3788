package dev.jettison.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * QEMU's own live migration of the same guest image (the test guest's PVH ELF) under the same
 * conditions: the VM boots on the desktop side, idles, migrates to a {@code -incoming} QEMU on
 * the server side, stays there, and migrates back to a fresh {@code -incoming} QEMU on the
 * desktop side; pre-copy, or post-copy started right away ({@code migrate-start-postcopy}).
 */
final class QemuMigration {
    enum Mode { PRECOPY, POSTCOPY }

    private static final JsonNode UNLIMITED_BANDWIDTH = QmpClient.arguments("{\"max-bandwidth\":107374182400}");
    private static final JsonNode POSTCOPY_ON = QmpClient.arguments("{\"capabilities\":[{\"capability\":\"postcopy-ram\",\"state\":true}]}");

    private final Link link;
    private final Mode mode;
    private final BenchSettings s;
    private final Path qemu;
    private final Path elf;
    private final Path dir;
    private final PrintStream log;
    private int started;
    /** Unix sockets cannot live on every filesystem (not on the emulated host's 9p mount of the repo). */
    private final Path sockets;

    private QemuMigration(Link link, Mode mode, BenchSettings s, Path qemu, Path elf, Path dir, PrintStream log) {
        this.link = link;
        this.mode = mode;
        this.s = s;
        this.qemu = qemu;
        this.elf = elf;
        this.dir = dir;
        this.log = log;
        try {
            this.sockets = Files.createTempDirectory("jettison-qmp");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String systemName(Mode mode) { return mode == Mode.PRECOPY ? Trial.PRECOPY : Trial.POSTCOPY; }

    static List<Trial> run(Link link, Mode mode, BenchSettings s, Path qemu, Path elf, Path dir, PrintStream log)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return new QemuMigration(link, mode, s, qemu, elf, dir, log).roundTrips();
    }

    /** One QEMU process and its QMP connection. */
    private record Vm(String name, ChildProcess process, QmpClient qmp) implements AutoCloseable {
        @Override
        public void close() {
            try {
                qmp.execute("quit", null);
            } catch (IOException ignored) {
                // already gone
            }
            try {
                qmp.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            process.close();
        }
    }

    private List<Trial> roundTrips() throws IOException, InterruptedException {
        var live = new ArrayList<Vm>();
        try {
            Vm home = start(true, null, live);
            log.println(home.name() + ": " + home.process().awaitLine(0, l -> l.startsWith("JTS:IDLE WARM"), s.timeout(), "JTS:IDLE WARM"));
            home.process().awaitLine(0, l -> l.startsWith("JTS:IDLE READY"), s.timeout(), "JTS:IDLE READY");
            var trials = new ArrayList<Trial>();
            for (int r = 1; r <= s.runs(); r++) {
                Thread.sleep((long) (s.idleSeconds() * 1000));
                String outUri = "tcp:" + link.serverHost() + ":" + freePort();
                Vm away = start(false, outUri, live);
                var out = migrate(home, away, outUri);
                stop(home, live);
                log.printf("%s %s run %d: out in %d ms (downtime %d ms, %d MiB)%n", systemName(mode), link.name(), r,
                        out.totalTimeMs(), out.downtimeMs(), out.ramTransferred() >> 20);
                Thread.sleep((long) (s.remoteSeconds() * 1000));
                long rss = rssBytes(away.process().pid());
                String backUri = "tcp:" + link.desktopHost() + ":" + freePort();
                home = start(true, backUri, live);
                var back = migrate(away, home, backUri);
                stop(away, live);
                log.printf("%s %s run %d: back in %d ms (downtime %d ms, %d MiB)%n", systemName(mode), link.name(), r,
                        back.totalTimeMs(), back.downtimeMs(), back.ramTransferred() >> 20);
                trials.add(Trial.qemu(systemName(mode), link.name(), out, back, rss));
            }
            return trials;
        } finally {
            for (var vm : live) vm.close();
            try (var files = Files.list(sockets)) {
                for (var f : files.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(sockets);
            } catch (IOException ignored) {
                // temporary files only
            }
        }
    }

    private Vm start(boolean desktopSide, String incoming, List<Vm> live) throws IOException, InterruptedException {
        String name = "qemu-" + (mode == Mode.PRECOPY ? "pre" : "post") + "-" + (++started) + (desktopSide ? "-desktop" : "-server");
        Path qmpSocket = sockets.resolve(name + ".qmp");
        var cmd = new ArrayList<>(List.of(qemu.toString(), "-name", name, "-M", "pc", "-accel", "kvm", "-cpu", "host",
                "-m", Long.toString(s.memBytes() >> 20) + "M", "-smp", "1", "-display", "none", "-serial", "stdio",
                "-monitor", "none", "-qmp", "unix:" + qmpSocket + ",server=on,wait=off", "-nic", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-kernel", elf.toString(), "-append", s.cmdline()));
        if (incoming != null) cmd.addAll(List.of("-incoming", incoming));
        var full = desktopSide ? link.onDesktop(cmd) : link.onServer(cmd);
        var process = ChildProcess.start(name, full, dir.resolve(name + ".stderr"), null, dir.resolve(name + ".console"));
        try {
            var vm = new Vm(name, process, QmpClient.connect(qmpSocket, Duration.ofMinutes(2), process::isAlive));
            live.add(vm);
            return vm;
        } catch (IOException e) {
            process.close();
            throw new IOException(e.getMessage() + "; " + process.stderrTail(), e);
        }
    }

    private void stop(Vm vm, List<Vm> live) {
        vm.close();
        live.remove(vm);
    }

    private QemuMigrationStats migrate(Vm from, Vm to, String uri) throws IOException, InterruptedException {
        if (mode == Mode.POSTCOPY) {
            to.qmp().execute("migrate-set-capabilities", POSTCOPY_ON);
            from.qmp().execute("migrate-set-capabilities", POSTCOPY_ON);
        }
        from.qmp().execute("migrate-set-parameters", UNLIMITED_BANDWIDTH);
        from.qmp().execute("migrate", QmpClient.JSON.createObjectNode().put("uri", uri));
        if (mode == Mode.POSTCOPY) from.qmp().execute("migrate-start-postcopy", null);
        long deadline = System.nanoTime() + s.timeout().toNanos();
        QemuMigrationStats stats;
        do {
            Thread.sleep(20);
            stats = QemuMigrationStats.parse(from.qmp().execute("query-migrate", null));
            if (System.nanoTime() > deadline) throw new IOException(from.name() + ": migration still " + stats.status() + " after " + s.timeout());
        } while (!stats.finished());
        if (!stats.completed()) {
            throw new IOException("QEMU " + mode + " migration " + from.name() + " -> " + to.name() + " " + stats.status()
                    + (stats.error() != null ? ": " + stats.error() : "") + "; " + from.process().stderrTail() + "; "
                    + to.process().stderrTail());
        }
        awaitRunning(to);
        return stats;
    }

    private void awaitRunning(Vm vm) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            String status = vm.qmp().execute("query-status", null).path("status").asText("unknown");
            if ("running".equals(status)) return;
            if (System.nanoTime() > deadline) throw new IOException(vm.name() + " is " + status + " after migration, not running");
            Thread.sleep(20);
        }
    }

    static long rssBytes(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | NumberFormatException ignored) {
            // gone
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (var ss = new ServerSocket(0)) {
            return ss.getLocalPort();
        }
    }
}
