package dev.jettison.cli.faults;

import dev.jettison.cli.bench.ChildProcess;
import dev.jettison.cli.bench.NetnsLink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run's {@code jettison server} (in the server's namespace) and {@code jettison desktop} (in
 * this process's namespace, the desktop's) as separate processes, and the link between them:
 * what the faults act on. Each start uses the same arguments as the first; closing leaves nothing
 * stopped, cut or running.
 */
final class Daemons implements Target, AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Topology top;
    private final Path dir;
    private final List<String> serverArgs;
    private final List<String> desktopArgs;
    private final DaemonHttp http;
    private final Consumer<String> log;
    private final PrintStream echo;
    private ChildProcess server;
    private ChildProcess desktop;
    private int serverStarts;
    private int desktopStarts;
    private boolean serverStopped;
    private boolean cut;

    Daemons(Topology top, Path dir, List<String> serverArgs, List<String> desktopArgs, DaemonHttp http,
            Consumer<String> log, PrintStream echo) {
        this.top = top;
        this.dir = dir;
        this.serverArgs = serverArgs;
        this.desktopArgs = desktopArgs;
        this.http = http;
        this.log = log;
        this.echo = echo;
    }

    @Override
    public void startServer() throws IOException, InterruptedException {
        int n = ++serverStarts;
        var cmd = new ArrayList<>(List.of("ip", "netns", "exec", top.serverNs()));
        cmd.addAll(ChildProcess.jettison(serverArgs.toArray(String[]::new)));
        server = ChildProcess.start("server", cmd, dir.resolve("server-" + n + ".stderr"), echo, dir.resolve("server-" + n + ".stdout"));
        server.awaitLine(0, l -> l.startsWith("jettison server status on"), START_TIMEOUT, "the status page line");
        log.accept("server started (pid " + server.pid() + ")");
    }

    @Override
    public void killServer() throws InterruptedException {
        server.kill();
        serverStopped = false;
        log.accept("server killed (SIGKILL)");
    }

    @Override
    public void signalServer(String name) throws IOException, InterruptedException {
        server.signal(name);
        serverStopped = name.equals("STOP");
        log.accept("server sent SIG" + name);
    }

    @Override
    public void cutNetwork() throws IOException, InterruptedException {
        cut = true;
        NetnsLink.run(top.blackhole().cut(top.desktopNs(), top.desktopIf()));
        NetnsLink.run(top.blackhole().cut(top.serverNs(), top.serverIf()));
        log.accept("network cut (" + top.blackhole().qdisc() + ")");
    }

    @Override
    public void restoreNetwork() throws IOException, InterruptedException {
        NetnsLink.run(top.blackhole().restore(top.desktopNs(), top.desktopIf()));
        NetnsLink.run(top.blackhole().restore(top.serverNs(), top.serverIf()));
        cut = false;
        log.accept("network restored");
    }

    @Override
    public void startDesktop() throws IOException, InterruptedException {
        int n = ++desktopStarts;
        desktop = ChildProcess.start("desktop", ChildProcess.jettison(desktopArgs.toArray(String[]::new)),
                dir.resolve("desktop-" + n + ".stderr"), echo, dir.resolve("desktop-" + n + ".stdout"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (http.desktopState().isEmpty()) {
            if (!desktop.isAlive()) throw new IOException("the desktop daemon ended at start; " + desktop.stderrTail());
            if (System.nanoTime() > deadline) throw new IOException("the desktop daemon did not answer GET /status within "
                    + START_TIMEOUT.toSeconds() + " s; " + desktop.stderrTail());
            Thread.sleep(100);
        }
        log.accept("desktop started (pid " + desktop.pid() + ")");
    }

    @Override
    public void killDesktop() throws InterruptedException {
        desktop.kill();
        log.accept("desktop killed (SIGKILL)");
    }

    /** Waits for the desktop daemon to end by itself (its VM halted); returns its exit code. */
    int awaitDesktopExit(Duration timeout) throws IOException, InterruptedException {
        return desktop.waitFor(timeout);
    }

    /** If the desktop daemon has ended by itself: its exit code and what it said last; else null. */
    String desktopEnded() {
        if (desktop == null || desktop.isAlive()) return null;
        try {
            return "the desktop daemon exited " + desktop.waitFor(Duration.ofSeconds(5)) + "; " + desktop.stderrTail();
        } catch (IOException | InterruptedException e) {
            return "the desktop daemon ended; " + desktop.stderrTail();
        }
    }

    @Override
    public void close() {
        try {
            if (serverStopped) signalServer("CONT");
        } catch (IOException | InterruptedException e) {
            log.accept("could not continue the server: " + e.getMessage());
        }
        try {
            if (cut) restoreNetwork();
        } catch (IOException | InterruptedException e) {
            log.accept("could not restore the network: " + e.getMessage());
        }
        if (desktop != null) desktop.close();
        if (server != null) server.close();
    }
}
