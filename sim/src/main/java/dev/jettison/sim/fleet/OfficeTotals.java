package dev.jettison.sim.fleet;

/** What one office (desktops behind one link) did in one simulated day; merged into a {@link FleetResult}. */
final class OfficeTotals {
    /** VMs on the server are sampled each minute to size the server pool. */
    static final int SAMPLE_SECONDS = 60;

    double savedJoules;
    final double[] stateSeconds = new double[DesktopState.values().length];
    long consolidations;
    long aborted;
    long refused;
    long reintegrations;
    final LatencyHistogram latency = new LatencyHistogram();
    double bytes;
    double linkBusySeconds;
    final int[] vmsOnServer = new int[86_400 / SAMPLE_SECONDS];

    void add(OfficeTotals o) {
        savedJoules += o.savedJoules;
        for (int i = 0; i < stateSeconds.length; i++) stateSeconds[i] += o.stateSeconds[i];
        consolidations += o.consolidations;
        aborted += o.aborted;
        refused += o.refused;
        reintegrations += o.reintegrations;
        latency.addAll(o.latency);
        bytes += o.bytes;
        linkBusySeconds += o.linkBusySeconds;
        for (int i = 0; i < vmsOnServer.length; i++) vmsOnServer[i] += o.vmsOnServer[i];
    }
}
