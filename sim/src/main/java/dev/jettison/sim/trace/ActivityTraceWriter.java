package dev.jettison.sim.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;

/** Writes user-activity traces, one desktop-day per line (sim/TRACES.md). */
public final class ActivityTraceWriter implements AutoCloseable {
    static final String COMMENT = "# jettison-activity v1 slot_s=" + ActivityDay.SLOT_SECONDS;
    static final String HEADER = "desktop,day,kind,active";

    private final BufferedWriter out;

    public ActivityTraceWriter(Writer out) {
        this.out = out instanceof BufferedWriter b ? b : new BufferedWriter(out);
        try {
            this.out.write(COMMENT + "\n" + HEADER + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(ActivityDay d) {
        StringBuilder sb = new StringBuilder(32 + d.runCount() * 12);
        sb.append(d.desktop()).append(',').append(d.day()).append(',').append(d.kind().name().toLowerCase(Locale.ROOT)).append(',');
        for (int i = 0; i < d.runCount(); i++) {
            if (i > 0) sb.append(' ');
            sb.append(d.runStart(i)).append('-').append(d.runEnd(i));
        }
        sb.append('\n');
        try {
            out.write(sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
