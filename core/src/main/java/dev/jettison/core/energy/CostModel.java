package dev.jettison.core.energy;

import dev.jettison.core.consolidation.ServerMemory;

/**
 * The break-even server budget of §6: what a consolidation server may cost if energy savings alone
 * must pay for it over its depreciation window.
 */
public record CostModel(double usdPerDesktopYear, double serverMemoryMiB, double perVmMiB, int depreciationYears) {

    /** Average US electricity price, July 2011 (§6). */
    public static final double USD_PER_KWH = 0.1058;
    /** Depreciation window of a consolidation server (§6). */
    public static final int DEPRECIATION_YEARS = 3;
    /** Slope of Figure 11(c) for partial migration, at least 100 desktops (§6). */
    public static final double PARTIAL_USD_PER_DESKTOP_YEAR = 37.35;
    /** Slope of Figure 11(c) for full migration (§6). */
    public static final double FULL_USD_PER_DESKTOP_YEAR = 33.95;
    /** List price of the testbed's Sun Fire X2250 (§6). */
    public static final double SERVER_PRICE_USD = 6099.0;
    /** Idle power of that server (§5.1). */
    public static final double SERVER_IDLE_WATTS = 150.70;
    public static final double DAYS_PER_YEAR = 365.0;
    public static final double JOULES_PER_KWH = 3.6e6;

    public CostModel {
        if (depreciationYears <= 0) throw new IllegalArgumentException("depreciation years must be > 0");
    }

    public int vmsPerServer() {
        return ServerMemory.vmsPerServer(serverMemoryMiB, perVmMiB);
    }

    /** usd/desktop/year x VMs per server x years, as the paper computes 407.40 and 10,980.90 USD. */
    public double breakEvenServerBudgetUsd() {
        return usdPerDesktopYear * vmsPerServer() * depreciationYears;
    }

    /** Whether a server at {@code priceUsd} pays for itself. */
    public boolean paysFor(double priceUsd) {
        return breakEvenServerBudgetUsd() >= priceUsd;
    }

    public static double usdPerYear(double kWhPerDay, double usdPerKWh) {
        return kWhPerDay * DAYS_PER_YEAR * usdPerKWh;
    }

    /** A year of 5 weekdays and 2 weekend days per week. */
    public static double usdPerYear(double weekdayKWh, double weekendKWh, double usdPerKWh) {
        return DAYS_PER_YEAR * (5 * weekdayKWh + 2 * weekendKWh) / 7 * usdPerKWh;
    }
}
