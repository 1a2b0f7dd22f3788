package dev.jettison.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Our partial migration over one link: a {@code jettison server} process on the server side and
 * an {@link OursDesktopRun} process on the desktop side, which does the round trips and reports.
 */
final class OursMigration {
    private OursMigration() {}

    static List<Trial> run(Link link, BenchSettings s, Path dir, PrintStream log) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        var serverCmd = link.onServer(ChildProcess.jettison("server", "--insecure", "--listen", link.serverHost() + ":0",
                "--state-dir", dir.resolve("server-state").toString(), "--prefetch", s.prefetch()));
        try (var server = ChildProcess.start("ours-server", serverCmd, dir.resolve("server.stderr"), log)) {
            String listening = server.awaitLine(0, l -> l.startsWith("jettison server listening on "), Duration.ofMinutes(5),
                    "the listening line");
            String serverAddr = listening.substring("jettison server listening on ".length()).strip();
            var desktopCmd = link.onDesktop(ChildProcess.jettison("bench", "ours-desktop", "--mem", s.mem(),
                    "--cmdline", s.cmdline(), "--server", serverAddr, "--serve", link.desktopHost() + ":0",
                    "--idle-seconds", Double.toString(s.idleSeconds()), "--remote-seconds", Double.toString(s.remoteSeconds()),
                    "--cycles", Integer.toString(s.runs()), "--console-log", dir.resolve("guest-console.log").toString()));
            try (var desktop = ChildProcess.start("ours-desktop", desktopCmd, dir.resolve("desktop.stderr"), log)) {
                int code = desktop.waitFor(s.timeout());
                var trials = new ArrayList<Trial>();
                for (String l : desktop.lines()) {
                    if (l.startsWith(ReportLine.PREFIX)) trials.add(Trial.ours(link.name(), ReportLine.parse(l)));
                }
                if (code != 0 || trials.size() != s.runs()) {
                    throw new IOException("our desktop process exited " + code + " after " + trials.size() + " of " + s.runs()
                            + " round trips; " + desktop.stderrTail());
                }
                return trials;
            }
        }
    }
}
