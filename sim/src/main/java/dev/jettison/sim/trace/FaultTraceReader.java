package dev.jettison.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams a remote-fault trace one row at a time, so a trace of any length reads in constant memory.
 * Every malformed line fails with the file, the line number and what was wrong.
 */
public final class FaultTraceReader implements AutoCloseable {
    private final BufferedReader in;
    private final String name;
    private final FaultTraceHeader header;
    private long line;
    private long lastMillis = Long.MIN_VALUE;

    public FaultTraceReader(Reader in, String name) {
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
        this.name = name;
        this.header = readPreamble();
    }

    public static FaultTraceReader open(Path file) throws IOException {
        return new FaultTraceReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
    }

    public FaultTraceHeader header() {
        return header;
    }

    /** The next row, or null at the end of the trace. */
    public FaultRecord next() {
        String s;
        while ((s = readLine()) != null) {
            if (s.isBlank() || s.startsWith("#")) continue;
            return parse(s);
        }
        return null;
    }

    private FaultTraceHeader readPreamble() {
        String first = readLine();
        if (first == null) throw fail("empty file; expected '" + FaultTraceFormat.COMMENT_PREFIX + "vm=ID consolidation=N'");
        if (!first.startsWith(FaultTraceFormat.COMMENT_PREFIX)) {
            throw fail("first line must be '" + FaultTraceFormat.COMMENT_PREFIX + "vm=ID consolidation=N', found '" + abbreviate(first) + "'");
        }
        String vm = null;
        Long consolidation = null;
        for (String kv : first.substring(FaultTraceFormat.COMMENT_PREFIX.length()).trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq < 0) throw fail("expected key=value in the comment line, found '" + kv + "'");
            String k = kv.substring(0, eq);
            String v = kv.substring(eq + 1);
            switch (k) {
                case "vm" -> vm = v;
                case "consolidation" -> consolidation = parseLong(v, "consolidation");
                default -> { } // later versions may add keys; ignoring them keeps old readers working
            }
        }
        if (vm == null || consolidation == null) throw fail("comment line must name vm= and consolidation=");
        String header = readLine();
        if (header == null || !header.trim().equals(FaultTraceFormat.HEADER)) {
            throw fail("second line must be the header '" + FaultTraceFormat.HEADER + "', found '" + abbreviate(header) + "'");
        }
        try {
            return new FaultTraceHeader(vm, consolidation);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private FaultRecord parse(String s) {
        String[] f = s.split(",", -1);
        if (f.length != 5) throw fail("expected 5 columns (" + FaultTraceFormat.HEADER + "), found " + f.length + " in '" + abbreviate(s) + "'");
        long t = parseLong(f[0].trim(), "t_ms");
        if (t < 0) throw fail("t_ms must be >= 0, found " + t);
        if (t < lastMillis) throw fail("t_ms goes backwards: " + t + " after " + lastMillis);
        lastMillis = t;
        FaultRecord.Kind kind = switch (f[1].trim()) {
            case "page" -> FaultRecord.Kind.PAGE;
            case "block" -> FaultRecord.Kind.BLOCK;
            default -> throw fail("kind must be page or block, found '" + f[1] + "'");
        };
        long number = parseLong(f[2].trim(), "number");
        if (number < 0) throw fail("number must be >= 0, found " + number);
        FaultRecord.Op op = switch (f[3].trim()) {
            case "read" -> FaultRecord.Op.READ;
            case "write" -> FaultRecord.Op.WRITE;
            default -> throw fail("op must be read or write, found '" + f[3] + "'");
        };
        FaultRecord.Cause cause = switch (f[4].trim()) {
            case "demand" -> FaultRecord.Cause.DEMAND;
            case "prefetch" -> FaultRecord.Cause.PREFETCH;
            default -> throw fail("cause must be demand or prefetch, found '" + f[4] + "'");
        };
        return new FaultRecord(t, kind, number, op, cause);
    }

    private long parseLong(String v, String column) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw fail(column + " must be an integer, found '" + abbreviate(v) + "'");
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

    static String abbreviate(String s) {
        if (s == null) return "<end of file>";
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
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
