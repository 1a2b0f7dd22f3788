package dev.jettison.sim.fleet;

import dev.jettison.core.consolidation.WorkingSet;
import dev.jettison.sim.analysis.SavingsCurve;

/** How VMs move between desktops and the server (§6). */
public sealed interface Scheme {
    String name();

    /** Server memory reserved per consolidated VM, MiB. */
    double serverMiBPerVm();

    /**
     * Full migration as the paper simulates it, biased in its favour: exactly the VM's memory each way,
     * no pre-copy rounds or disk, and 100 % of idle power saved while the VM is away (§6).
     */
    record Full(double vmMiB) implements Scheme {
        public String name() {
            return "full";
        }

        public double serverMiBPerVm() {
            return vmMiB;
        }
    }

    /**
     * Partial migration: bulk transfers of Figure 9's sizes (biased against partial, §6), energy saved
     * on the server scaled by the Figure 7 curve, and the fixed part of a reintegration (see
     * {@link #REINTEGRATION_FIXED_S}).
     */
    record Partial(SavingsCurve curve, double reintegrationFixedSeconds, double serverMiBPerVm) implements Scheme {
        public String name() {
            return "partial";
        }
    }

    /** Effective desktop-server throughput measured in the deployment (§5.1). */
    double MEASURED_THROUGHPUT_MBPS = 813.44;
    /** Mean reintegration latency measured in the deployment (§5.4). */
    double MEASURED_REINTEGRATION_S = 4.11;

    /**
     * The part of a partial reintegration that is not moving bytes (pausing, descriptor, applying dirty
     * state): the measured 4.11 s (§5.4) minus moving the mean 114.68 + 6.81 MiB (§5.3) at the measured
     * 813.44 Mbps (§5.1).
     */
    double REINTEGRATION_FIXED_S = MEASURED_REINTEGRATION_S
            - (114.68 + 6.81) * WorkingSet.MIB * 8 / (MEASURED_THROUGHPUT_MBPS * 1e6);

    static Scheme full() {
        return new Full(WorkingSet.VM_NOMINAL_MIB);
    }

    static Scheme partial(SavingsCurve curve) {
        return new Partial(curve, REINTEGRATION_FIXED_S, WorkingSet.ESTIMATE_MIB);
    }
}
