package dev.jettison.migration.memtap;

import dev.jettison.migration.wire.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one consolidation's remote faults as the simulator's fault trace (jettison-faults v1,
 * the format dev.jettison.sim.trace.FaultTraceReader reads), so real traces feed the analyses:
 * <pre>
 * # jettison-faults v1 vm=ID consolidation=N
 * t_ms,kind,number,op,cause
 * 12,page,4711,read,demand
 * </pre>
 * {@code demand} rows are the guest's first touches, in order, whether served over the network
 * or from the prefetch buffer (so a replay under another prefetch policy sees the same accesses);
 * {@code prefetch} rows are pages fetched alongside a demand (§3.4). Times are milliseconds since
 * the trace was opened and never go backwards. Migration does not depend on the simulator, so the
 * few lines of the format are repeated here; FaultTraceTest pins them.
 */
public final class FaultTrace implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultTrace.class);

    public enum Kind { PAGE, BLOCK }

    /** A trace that writes nothing. */
    public static final FaultTrace NONE = new FaultTrace();

    private final BufferedWriter out;
    private final long originNanos = System.nanoTime();
    private long lastMillis;
    private boolean failed;

    private FaultTrace() {
        this.out = null;
    }

    public FaultTrace(Writer out, String vmId, long consolidation) {
        if (!Wire.validVmId(vmId)) throw new IllegalArgumentException("bad VM id for a trace: '" + vmId + "'");
        this.out = out instanceof BufferedWriter b ? b : new BufferedWriter(out);
        try {
            this.out.write("# jettison-faults v1 vm=" + vmId + " consolidation=" + consolidation + "\n");
            this.out.write("t_ms,kind,number,op,cause\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FaultTrace open(Path file, String vmId, long consolidation) throws IOException {
        return new FaultTrace(Files.newBufferedWriter(file, StandardCharsets.UTF_8), vmId, consolidation);
    }

    /** A trace file for a consolidation without a sequence number (written as consolidation=0). */
    public static FaultTrace open(Path file, String vmId) throws IOException {
        return open(file, vmId, 0);
    }

    public synchronized void record(Kind kind, long number, boolean write, boolean prefetch) {
        if (out == null || failed) return;
        long t = Math.max(lastMillis, (System.nanoTime() - originNanos) / 1_000_000);
        lastMillis = t;
        try {
            out.write(t + (kind == Kind.PAGE ? ",page," : ",block,") + number + (write ? ",write," : ",read,")
                    + (prefetch ? "prefetch\n" : "demand\n"));
        } catch (IOException e) {
            // A full disk must not stop the guest's faults from being served: the trace is evidence, not
            // state, so it stops with one warning and the faults go on.
            if (!failed) log.warn("remote-fault trace stopped: {}", e.toString());
            failed = true;
        }
    }

    public synchronized void flush() {
        if (out == null) return;
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
