package dev.jettison.sim.trace;

/** Spelling of the remote-fault CSV (sim/TRACES.md), shared by reader and writer. */
final class FaultTraceFormat {
    private FaultTraceFormat() {
    }

    static final String HEADER = "t_ms,kind,number,op,cause";
    static final String COMMENT_PREFIX = "# jettison-faults v1 ";
}
