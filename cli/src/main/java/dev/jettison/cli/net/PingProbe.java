package dev.jettison.cli.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** ping(8) every 20 ms from a namespace while a migration runs; how many replies were lost. */
public final class PingProbe implements AutoCloseable {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private final Process process;

    private PingProbe(Process process) { this.process = process; }

    public static PingProbe start(String ns, String host) throws IOException {
        var cmd = new ArrayList<>(ns == null ? List.<String>of() : NetTopology.in(ns));
        cmd.addAll(List.of("ping", "-n", "-q", "-i", "0.02", "-W", "1", host));
        return new PingProbe(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Sent and answered requests, after stopping ping as Ctrl-C would (it then prints its summary). */
    public record Result(long sent, long received) {
        public long lost() { return sent - received; }
    }

    public Result stop() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new IOException("ping did not stop");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var m = SUMMARY.matcher(out);
        if (!m.find()) throw new IOException("no summary from ping: " + out.strip());
        return new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }
}
