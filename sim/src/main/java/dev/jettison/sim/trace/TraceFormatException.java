package dev.jettison.sim.trace;

/** A trace file that does not follow docs in sim/TRACES.md; says where and what. */
public final class TraceFormatException extends RuntimeException {
    private final String file;
    private final long line;

    public TraceFormatException(String file, long line, String what) {
        super(file + ":" + line + ": " + what);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }
}
