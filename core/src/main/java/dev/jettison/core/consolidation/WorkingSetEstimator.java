package dev.jettison.core.consolidation;

/**
 * Working-set estimate for admitting a VM to the server: the deployment's median until the VM has
 * history, then an exponentially weighted mean of what it really used (§4: "This estimate can then be
 * adjusted based on the VM's previous history on the server").
 */
public final class WorkingSetEstimator {
    /** Weight of the newest observation; recent consolidations predict the next better than old ones. */
    public static final double DEFAULT_WEIGHT = 0.3;

    private final double weight;
    private double estimateMiB;
    private long observations;

    public WorkingSetEstimator() {
        this(WorkingSet.ESTIMATE_MIB, DEFAULT_WEIGHT);
    }

    public WorkingSetEstimator(double initialMiB, double weight) {
        if (!(initialMiB > 0) || !(weight > 0 && weight <= 1)) throw new IllegalArgumentException("bad estimator");
        this.estimateMiB = initialMiB;
        this.weight = weight;
    }

    public double estimateMiB() {
        return estimateMiB;
    }

    public long observations() {
        return observations;
    }

    /** Records the working set a finished consolidation actually used. */
    public void observe(double usedMiB) {
        if (!(usedMiB >= 0)) throw new IllegalArgumentException("used memory must be >= 0: " + usedMiB);
        estimateMiB = observations == 0 ? usedMiB : weight * usedMiB + (1 - weight) * estimateMiB;
        observations++;
    }
}
