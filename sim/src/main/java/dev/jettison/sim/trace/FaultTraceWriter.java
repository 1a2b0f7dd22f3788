package dev.jettison.sim.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;

/** Writes a remote-fault trace row by row; the live server uses it as it serves faults. */
public final class FaultTraceWriter implements AutoCloseable {
    private final BufferedWriter out;
    private long lastMillis = Long.MIN_VALUE;

    public FaultTraceWriter(Writer out, FaultTraceHeader header) {
        this.out = out instanceof BufferedWriter b ? b : new BufferedWriter(out);
        try {
            this.out.write(FaultTraceFormat.COMMENT_PREFIX + "vm=" + header.vmId() + " consolidation=" + header.consolidation() + "\n");
            this.out.write(FaultTraceFormat.HEADER + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(FaultRecord r) {
        if (r.tMillis() < lastMillis) throw new IllegalArgumentException("rows must be in time order: " + r.tMillis() + " after " + lastMillis);
        lastMillis = r.tMillis();
        try {
            out.write(Long.toString(r.tMillis()));
            out.write(',');
            out.write(r.kind().name().toLowerCase(Locale.ROOT));
            out.write(',');
            out.write(Long.toString(r.number()));
            out.write(',');
            out.write(r.op().name().toLowerCase(Locale.ROOT));
            out.write(',');
            out.write(r.cause().name().toLowerCase(Locale.ROOT));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            out.flush();
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
