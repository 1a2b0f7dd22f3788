package dev.jettison.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams user-activity traces one desktop-day at a time; errors name the file, line and problem. */
public final class ActivityTraceReader implements AutoCloseable {
    private final BufferedReader in;
    private final String name;
    private long line;

    public ActivityTraceReader(Reader in, String name) {
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
        this.name = name;
        String first = readLine();
        if (first == null || !first.startsWith("# jettison-activity v1")) {
            throw new TraceFormatException(name, line, "first line must be '" + ActivityTraceWriter.COMMENT + "', found '" + FaultTraceReader.abbreviate(first) + "'");
        }
        if (!first.contains("slot_s=" + ActivityDay.SLOT_SECONDS)) {
            throw new TraceFormatException(name, line, "only " + ActivityDay.SLOT_SECONDS + " s slots are supported");
        }
        String header = readLine();
        if (header == null || !header.trim().equals(ActivityTraceWriter.HEADER)) {
            throw new TraceFormatException(name, line, "second line must be '" + ActivityTraceWriter.HEADER + "', found '" + FaultTraceReader.abbreviate(header) + "'");
        }
    }

    public static ActivityTraceReader open(Path file) throws IOException {
        return new ActivityTraceReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The next desktop-day, or null at the end. */
    public ActivityDay next() {
        String s;
        while ((s = readLine()) != null) {
            if (s.isBlank() || s.startsWith("#")) continue;
            return parse(s);
        }
        return null;
    }

    private ActivityDay parse(String s) {
        String[] f = s.split(",", -1);
        if (f.length != 4) throw fail("expected 4 columns (" + ActivityTraceWriter.HEADER + "), found " + f.length);
        String desktop = f[0].trim();
        if (desktop.isEmpty()) throw fail("desktop id is empty");
        int day;
        try {
            day = Integer.parseInt(f[1].trim());
        } catch (NumberFormatException e) {
            throw fail("day must be an integer, found '" + f[1] + "'");
        }
        DayKind kind = switch (f[2].trim()) {
            case "weekday" -> DayKind.WEEKDAY;
            case "weekend" -> DayKind.WEEKEND;
            default -> throw fail("kind must be weekday or weekend, found '" + f[2] + "'");
        };
        String runs = f[3].trim();
        String[] parts = runs.isEmpty() ? new String[0] : runs.split(" +");
        int[] a = new int[parts.length * 2];
        for (int i = 0; i < parts.length; i++) {
            int dash = parts[i].indexOf('-');
            if (dash <= 0) throw fail("active run must be START-END in slots, found '" + parts[i] + "'");
            try {
                a[2 * i] = Integer.parseInt(parts[i].substring(0, dash));
                a[2 * i + 1] = Integer.parseInt(parts[i].substring(dash + 1));
            } catch (NumberFormatException e) {
                throw fail("active run must be START-END in slots, found '" + parts[i] + "'");
            }
        }
        try {
            return new ActivityDay(desktop, day, kind, a);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private String readLine() {
        try {
            String s = in.readLine();
            if (s != null) line++;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ":" + line + ": read failed", e);
        }
    }

    private TraceFormatException fail(String what) {
        return new TraceFormatException(name, line, what);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
