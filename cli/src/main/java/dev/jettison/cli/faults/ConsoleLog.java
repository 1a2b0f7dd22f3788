package dev.jettison.cli.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The guest console as the desktop daemon writes it to its {@code --console-log}: read from outside. */
final class ConsoleLog {
    private final Path file;

    ConsoleLog(Path file) {
        this.file = file;
    }

    List<String> lines() throws IOException {
        if (!Files.exists(file)) return List.of();
        // A line being written may be cut short: only whole lines count.
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().toList();
    }

    int lineCount() throws IOException { return lines().size(); }

    /** The first line from index {@code from} on that matches, waiting up to {@code timeout}. */
    String await(int from, Predicate<String> match, Duration timeout, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var all = lines();
            for (int i = all.size() < from ? 0 : from; i < all.size(); i++) if (match.test(all.get(i))) return all.get(i);
            if (System.nanoTime() > deadline) throw new IOException("no " + what + " on the guest console within " + timeout.toSeconds() + " s");
            Thread.sleep(100);
        }
    }
}
