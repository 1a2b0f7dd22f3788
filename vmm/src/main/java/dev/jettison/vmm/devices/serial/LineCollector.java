package dev.jettison.vmm.devices.serial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Collects console output as lines so tests and the migration code can wait for the guest to
 * say something ("boot ok", a program's result). A line ends at LF; CR is dropped so guests
 * that print CRLF give the same lines as those that print LF.
 */
public final class LineCollector implements ConsoleSink {
    /** A guest printing without newlines must not grow the buffer without bound. */
    static final int MAX_LINE = 64 * 1024;

    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();

    @Override
    public void accept(byte b) {
        if (b == '\r') return;
        synchronized (this) {
            if (b == '\n' || current.size() >= MAX_LINE) {
                lines.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
                notifyAll();
                if (b == '\n') return;
            }
            current.write(b);
        }
    }

    /** Every complete line so far. */
    public synchronized List<String> lines() { return List.copyOf(lines); }

    public synchronized int lineCount() { return lines.size(); }

    /** The first line (from the beginning of output) matching {@code match}, waiting up to {@code timeout}. */
    public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException, TimeoutException {
        return awaitLine(0, match, timeout);
    }

    /**
     * The first line with index at least {@code fromLine} matching {@code match}; pass
     * {@link #lineCount()} taken before an action to wait only for output caused by it.
     */
    public synchronized String awaitLine(int fromLine, Predicate<String> match, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = Math.max(0, fromLine);
        while (true) {
            for (; next < lines.size(); next++) {
                if (match.test(lines.get(next))) return lines.get(next);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no matching console line within " + timeout + "; last lines: "
                        + lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
