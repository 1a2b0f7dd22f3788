package dev.jettison.sim.fleet;

import dev.jettison.core.consolidation.ServerMemory;
import dev.jettison.core.consolidation.WorkingSet;
import dev.jettison.core.energy.CostModel;

/** Per-day outputs of a fleet run (§6): energy, money, latency, network, aborts and servers. */
public record FleetResult(FleetConfig config, String scheme, long desktopDays,
                          double kWhSavedPerDay, double usdPerYear, double usdPerDesktopYear,
                          double latencyMeanS, double latencyP95S, double latencyMaxS, long reintegrations,
                          double networkGiBPerDay, double networkUtilisation, double linkBusyFraction,
                          long consolidations, long abortedConsolidations, long refusedConsolidations, int sites,
                          int peakVmsOnServer, int vmsPerServer, int serversNeeded, double breakEvenServerBudgetUsd,
                          double fractionAway, double accountedSeconds) {

    static FleetResult of(FleetConfig cfg, Scheme scheme, OfficeTotals t, int sites, int peak) {
        long desktopDays = (long) cfg.desktops() * cfg.days();
        double kWhPerDay = t.savedJoules / CostModel.JOULES_PER_KWH / cfg.days();
        double usdYear = CostModel.usdPerYear(kWhPerDay, cfg.usdPerKWh());
        double perDesktop = usdYear / cfg.desktops();
        double capacity = (double) sites * cfg.effectiveLinkBitsPerSecond() / 8 * 86_400 * cfg.days();
        int perServer = ServerMemory.vmsPerServer(WorkingSet.SERVER_MEMORY_MIB, scheme.serverMiBPerVm());
        int servers = (int) Math.ceil(peak / (double) perServer);
        double accounted = 0;
        for (double s : t.stateSeconds) accounted += s;
        var cost = new CostModel(perDesktop, WorkingSet.SERVER_MEMORY_MIB, scheme.serverMiBPerVm(), CostModel.DEPRECIATION_YEARS);
        return new FleetResult(cfg, scheme.name(), desktopDays, kWhPerDay, usdYear, perDesktop,
                t.latency.mean(), t.latency.quantile(0.95), t.latency.max(), t.reintegrations,
                t.bytes / (1024.0 * 1024 * 1024) / cfg.days(), t.bytes / capacity, t.linkBusySeconds / (sites * 86_400.0 * cfg.days()),
                t.consolidations, t.aborted, t.refused, sites, peak, perServer, servers, cost.breakEvenServerBudgetUsd(),
                t.stateSeconds[DesktopState.AWAY.ordinal()] / (desktopDays * 86_400.0), accounted);
    }

    public static String csvHeader() {
        return "model,scheme,desktops,days,kind,idle_timeout_s,kwh_saved_per_day,usd_per_year,usd_per_desktop_year,latency_mean_s,latency_p95_s,latency_max_s,"
                + "reintegrations,network_gib_per_day,network_utilisation,consolidations,aborted,refused,peak_vms_on_server,servers_needed,break_even_budget_usd,fraction_away";
    }

    public String csvRow() {
        return String.join(",", config.model().name().replace(',', ';'), scheme, Integer.toString(config.desktops()), Integer.toString(config.days()), config.plan().label(), fmt(config.idleTimeoutSeconds()),
                fmt(kWhSavedPerDay), fmt(usdPerYear), fmt(usdPerDesktopYear), fmt(latencyMeanS), fmt(latencyP95S), fmt(latencyMaxS),
                Long.toString(reintegrations), fmt(networkGiBPerDay), fmt(networkUtilisation), Long.toString(consolidations),
                Long.toString(abortedConsolidations), Long.toString(refusedConsolidations), Integer.toString(peakVmsOnServer), Integer.toString(serversNeeded),
                fmt(breakEvenServerBudgetUsd), fmt(fractionAway));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
