package dev.jettison.sim.fleet;

import dev.jettison.core.energy.CostModel;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.sim.trace.DayKind;

/**
 * One fleet run. Desktops are grouped into sites of {@code desktopsPerLink}, each behind its own
 * shared link and served by {@code serversPerSite} consolidation servers (0: as many as it needs);
 * the paper's setting is one site with one GigE link (§6).
 */
public record FleetConfig(int desktops, DayPlan plan, double idleTimeoutSeconds, double linkBitsPerSecond,
                          int desktopsPerLink, int serversPerSite, PowerProfile profile, double usdPerKWh, long seed,
                          FleetModel model) {

    /** The paper's shared GigE network (§6). */
    public static final double GIGABIT = 1e9;
    /** The sweet spot the paper uses for its scaling experiments (§6). */
    public static final double DEFAULT_IDLE_TIMEOUT_S = 5 * 60;
    /** No limit on servers: a site gets as many as its peak needs. */
    public static final int UNLIMITED_SERVERS = 0;

    public FleetConfig {
        if (desktops <= 0) throw new IllegalArgumentException("desktops must be > 0");
        if (!(idleTimeoutSeconds >= 0)) throw new IllegalArgumentException("idle timeout must be >= 0 s");
        if (!(linkBitsPerSecond > 0)) throw new IllegalArgumentException("link speed must be > 0 bit/s");
        if (desktopsPerLink <= 0) throw new IllegalArgumentException("desktops per link must be > 0");
        if (serversPerSite < 0) throw new IllegalArgumentException("servers per site must be >= 0");
        if (plan == null || profile == null || model == null) throw new IllegalArgumentException("plan, profile and model are required");
    }

    /** The paper's office: one day, every desktop behind one GigE link, 5 min timeout, Table 1 (§6). */
    public static FleetConfig paper(int desktops, DayKind kind, long seed, FleetModel model) {
        return new FleetConfig(desktops, new DayPlan.Only(kind, 1), DEFAULT_IDLE_TIMEOUT_S, GIGABIT, desktops, UNLIMITED_SERVERS,
                PowerProfile.TABLE_1, CostModel.USD_PER_KWH, seed, model);
    }

    public int days() {
        return plan.count();
    }

    /** The one kind of day this run simulates; a calendar run has both. */
    public DayKind kind() {
        if (plan instanceof DayPlan.Only o) return o.kind();
        throw new IllegalStateException("a calendar run mixes weekdays and weekends");
    }

    public FleetConfig withTimeout(double seconds) {
        return new FleetConfig(desktops, plan, seconds, linkBitsPerSecond, desktopsPerLink, serversPerSite, profile, usdPerKWh, seed, model);
    }

    public FleetConfig withModel(FleetModel m) {
        return new FleetConfig(desktops, plan, idleTimeoutSeconds, linkBitsPerSecond, desktopsPerLink, serversPerSite, profile, usdPerKWh, seed, m);
    }

    /** Effective bits per second of each link under the model's {@link Assumption.LinkRate}. */
    public double effectiveLinkBitsPerSecond() {
        return model.linkRate().of(linkBitsPerSecond);
    }
}
