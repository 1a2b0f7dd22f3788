package dev.jettison.core.consolidation;

import java.util.HashMap;
import java.util.Map;

/**
 * Memory bookkeeping of one consolidation server: admit a VM at its working-set estimate, grow it as it
 * faults in more than estimated, and evict it back to its desktop when the server runs out (§4).
 */
public final class ServerMemory {
    private final double capacityMiB;
    private final Map<String, Double> reserved = new HashMap<>();
    private double usedMiB;

    public ServerMemory(double capacityMiB) {
        if (!(capacityMiB > 0)) throw new IllegalArgumentException("capacity must be > 0: " + capacityMiB);
        this.capacityMiB = capacityMiB;
    }

    public double capacityMiB() {
        return capacityMiB;
    }

    public double usedMiB() {
        return usedMiB;
    }

    public double freeMiB() {
        return capacityMiB - usedMiB;
    }

    public int vmCount() {
        return reserved.size();
    }

    public Admission admit(String vmId, double estimateMiB) {
        if (reserved.containsKey(vmId)) throw new IllegalStateException("VM " + vmId + " is already on this server");
        if (estimateMiB > freeMiB()) return new Admission.Refused(vmId, estimateMiB, freeMiB());
        reserved.put(vmId, estimateMiB);
        usedMiB += estimateMiB;
        return new Admission.Admitted(vmId, estimateMiB);
    }

    /**
     * The VM now needs {@code totalMiB}. Growth beyond the reservation is granted while memory is free;
     * otherwise the answer is {@link Admission.Refused} and the caller must evict the VM.
     */
    public Admission grow(String vmId, double totalMiB) {
        Double had = reserved.get(vmId);
        if (had == null) throw new IllegalStateException("VM " + vmId + " is not on this server");
        double extra = totalMiB - had;
        if (extra <= 0) return new Admission.Admitted(vmId, had);
        if (extra > freeMiB()) return new Admission.Refused(vmId, totalMiB, freeMiB());
        reserved.put(vmId, totalMiB);
        usedMiB += extra;
        return new Admission.Admitted(vmId, totalMiB);
    }

    public void release(String vmId) {
        Double had = reserved.remove(vmId);
        if (had == null) throw new IllegalStateException("VM " + vmId + " is not on this server");
        usedMiB -= had;
    }

    /** How many VMs of a given size fit on one server: the consolidation ratio of the cost model (§6). */
    public static int vmsPerServer(double serverMiB, double perVmMiB) {
        if (!(perVmMiB > 0)) throw new IllegalArgumentException("per-VM memory must be > 0");
        return (int) Math.floor(serverMiB / perVmMiB + 1e-9);
    }
}
