package dev.jettison.sim.trace;

/** One row of a remote-fault trace (sim/TRACES.md): a page or block the server needed from the desktop. */
public record FaultRecord(long tMillis, Kind kind, long number, Op op, Cause cause) {

    public enum Kind { PAGE, BLOCK }

    public enum Op { READ, WRITE }

    /** Demand: the VM touched it. Prefetch: fetched alongside or ahead of a demand (§3.4). */
    public enum Cause { DEMAND, PREFETCH }

    public FaultRecord {
        if (tMillis < 0) throw new IllegalArgumentException("t_ms must be >= 0: " + tMillis);
        if (number < 0) throw new IllegalArgumentException("number must be >= 0: " + number);
    }

    public static FaultRecord demandPage(long tMillis, long page) {
        return new FaultRecord(tMillis, Kind.PAGE, page, Op.READ, Cause.DEMAND);
    }
}
