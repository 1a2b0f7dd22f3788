package dev.jettison.cli.faults;

/**
 * One run of the suite, decided before it starts so that a seed reproduces it.
 *
 * @param run             1-based index among the runs of this kind and phase
 * @param patternSeed     the guest's pattern.seed
 * @param remoteMillis    reintegration phase: how long the VM runs on the server before it is asked home
 * @param injectAfterMillis after the phase's trigger (the POST sent, or the VM arrived on the server)
 * @param outageMillis    how long the fault lasts before it is lifted
 */
public record FaultPlan(FaultKind kind, Phase phase, int run, long patternSeed, long remoteMillis, long injectAfterMillis,
                        long outageMillis) {
    /** A short name for directories and logs, e.g. net-cut-remote-2. */
    public String id() { return kind.name() + "-" + phase.label() + "-" + run; }
}
