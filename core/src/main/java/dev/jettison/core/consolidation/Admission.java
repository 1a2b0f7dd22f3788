package dev.jettison.core.consolidation;

/** Outcome of asking the server for memory (§4, "When to consolidate and reintegrate?"). */
public sealed interface Admission {
    /** The VM fits; {@code reservedMiB} is now held for it. */
    record Admitted(String vmId, double reservedMiB) implements Admission {
    }

    /** The VM does not fit; it stays (or goes back) on its desktop. */
    record Refused(String vmId, double neededMiB, double freeMiB) implements Admission {
    }
}
