package dev.jettison.sim.trace;

/** The comment line naming whose consolidation a fault trace records. */
public record FaultTraceHeader(String vmId, long consolidation) {
    public FaultTraceHeader {
        if (vmId.isBlank() || vmId.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
            throw new IllegalArgumentException("VM id must be non-empty without spaces or commas: '" + vmId + "'");
        }
    }
}
