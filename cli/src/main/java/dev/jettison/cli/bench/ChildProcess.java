package dev.jettison.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the benchmark started: its stdout lines are kept (and echoed with a prefix when
 * asked), its stderr goes to a file, and closing it ends it (SIGTERM, then SIGKILL).
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();
    private boolean eof;

    private ChildProcess(String name, Process process, Path stderr, PrintStream echo, Path stdoutCopy) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var copy = stdoutCopy == null ? null : java.nio.file.Files.newBufferedWriter(stdoutCopy)) {
                for (String l; (l = in.readLine()) != null; ) {
                    if (echo != null) echo.println("[" + name + "] " + l);
                    if (copy != null) {
                        copy.write(l);
                        copy.newLine();
                        copy.flush();
                    }
                    synchronized (this) {
                        lines.add(l);
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            } finally {
                synchronized (this) {
                    eof = true;
                    notifyAll();
                }
            }
        });
    }

    public static ChildProcess start(String name, List<String> cmd, Path stderr, PrintStream echo) throws IOException {
        return start(name, cmd, stderr, echo, null);
    }

    /** As above, and every stdout line is also written to {@code stdoutCopy}. */
    public static ChildProcess start(String name, List<String> cmd, Path stderr, PrintStream echo, Path stdoutCopy) throws IOException {
        try {
            var p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            return new ChildProcess(name, p, stderr, echo, stdoutCopy);
        } catch (IOException e) {
            throw new IOException("cannot start " + name + " (" + cmd.getFirst() + "): " + e.getMessage(), e);
        }
    }

    /**
     * The command line that runs {@code jettison ARGS} on this JVM and class path, or on the class
     * path in the {@code jettison.classpath} property: a test launcher's own class path may not hold
     * the command's classes.
     */
    public static List<String> jettison(String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true"));
        String home = System.getProperty("jettison.home");
        if (home != null) cmd.add("-Djettison.home=" + home);
        cmd.addAll(List.of("-cp", System.getProperty("jettison.classpath", System.getProperty("java.class.path")), "dev.jettison.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Waits for a stdout line (from index {@code from}) that matches; fails if the process ends first. */
    public synchronized String awaitLine(int from, Predicate<String> match, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int i = from;
        while (true) {
            for (; i < lines.size(); i++) if (match.test(lines.get(i))) return lines.get(i);
            if (eof) throw new IOException(name + " ended before " + what + "; " + stderrTail());
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new IOException(name + ": no " + what + " within " + timeout.toSeconds() + " s; " + stderrTail());
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    public synchronized int lineCount() { return lines.size(); }

    public synchronized List<String> lines() { return List.copyOf(lines); }

    public long pid() { return process.pid(); }

    public boolean isAlive() { return process.isAlive(); }

    /** Waits for the process to exit by itself; returns its exit code. */
    public int waitFor(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException(name + " did not exit within " + timeout.toSeconds() + " s");
        }
        synchronized (this) {
            while (!eof) wait(1000);
        }
        return process.exitValue();
    }

    public String stderrTail() {
        try {
            var all = java.nio.file.Files.readAllLines(stderr);
            return "stderr (" + stderr + "): " + String.join(" | ", all.subList(Math.max(0, all.size() - 8), all.size()));
        } catch (IOException e) {
            return "no stderr";
        }
    }

    /** SIGKILL, as a crash would end it, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends signal {@code name} (e.g. STOP, CONT) with kill(1): the JDK sends only TERM and KILL. */
    public void signal(String name) throws IOException, InterruptedException {
        var p = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("kill -s " + name + " " + process.pid() + " failed: " + out.strip());
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
