package dev.jettison.core.consolidation;

/** What the paper measured about idle-VM working sets; the server sizes its admission on these. */
public final class WorkingSet {
    private WorkingSet() {
    }

    /** Median working set of the deployment's idle VMs, the admission estimate before any history (§4). */
    public static final double ESTIMATE_MIB = 157.87;
    /** Mean memory working set over 313 idle periods of 4 GiB VMs (§3.2, Figure 2). */
    public static final double MEAN_MIB = 165.63;
    /** Standard deviation of that working set (§3.2, Figure 2). */
    public static final double SD_MIB = 91.38;
    /** Mean working set once whole-page allocations are not fetched (§7). */
    public static final double MEAN_WITHOUT_ALLOCATION_FETCHES_MIB = 156.57;
    /** Mean disk state accessed per idle period (§3.2). */
    public static final double DISK_MEAN_MIB = 1.16;
    /** Standard deviation of disk state accessed (§3.2). */
    public static final double DISK_SD_MIB = 5.75;
    /** Nominal memory of the deployment's desktop VMs, and what a full migration moves (§3.2, §6). */
    public static final double VM_NOMINAL_MIB = 4096.0;
    /** Memory of the consolidation server, a Sun Fire X2250 (§5.1, §6). */
    public static final double SERVER_MEMORY_MIB = 16384.0;
    /** Bytes per page on x86. */
    public static final int PAGE_BYTES = 4096;
    public static final double MIB = 1024.0 * 1024.0;

    public static double pagesToMiB(long pages) {
        return pages * (double) PAGE_BYTES / MIB;
    }

    public static long mibToPages(double mib) {
        return Math.round(mib * MIB / PAGE_BYTES);
    }
}
