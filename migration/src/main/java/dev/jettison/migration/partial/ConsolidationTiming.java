package dev.jettison.migration.partial;

/**
 * Where one consolidation's time went, seen from the desktop (paper §5.3: consolidation latency).
 * Only the last four parts stop the VM: its downtime runs from the pause to the server's Ack,
 * which the server sends once the VM's vCPUs run there.
 *
 * @param connectNanos connect, handshake and endpoints, while the VM still runs
 * @param pauseNanos   stopping the vCPUs and holding the NIC
 * @param captureNanos capturing and encoding the descriptor
 * @param sendNanos    recording it in the residue store and sending it
 * @param serverNanos  the server's admission: decode, restore, memtap, start (until its Ack arrives)
 */
public record ConsolidationTiming(long connectNanos, long pauseNanos, long captureNanos, long sendNanos, long serverNanos) {
    /** From the pause until the VM runs on the server. */
    public long downtimeNanos() { return pauseNanos + captureNanos + sendNanos + serverNanos; }

    @Override
    public String toString() {
        return String.format("connect %.1f ms while running; downtime %.1f ms = pause %.1f + capture %.1f + send %.1f + server %.1f",
                ms(connectNanos), ms(downtimeNanos()), ms(pauseNanos), ms(captureNanos), ms(sendNanos), ms(serverNanos));
    }

    private static double ms(long nanos) { return nanos / 1e6; }
}
