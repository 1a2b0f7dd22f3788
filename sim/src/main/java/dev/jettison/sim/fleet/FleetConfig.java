package dev.jettison.sim.fleet;

import dev.jettison.core.energy.CostModel;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.sim.trace.DayKind;

/**
 * One fleet run. Desktops are grouped into offices of {@code desktopsPerLink}, each behind its own
 * shared link; the paper's setting is one office with one GigE link (§6).
 */
public record FleetConfig(int desktops, int days, DayKind kind, double idleTimeoutSeconds, double linkBitsPerSecond,
                          int desktopsPerLink, PowerProfile profile, double usdPerKWh, long seed) {

    /** The paper's shared GigE network (§6). */
    public static final double GIGABIT = 1e9;
    /** The sweet spot the paper uses for its scaling experiments (§6). */
    public static final double DEFAULT_IDLE_TIMEOUT_S = 5 * 60;

    public FleetConfig {
        if (desktops <= 0) throw new IllegalArgumentException("desktops must be > 0");
        if (days <= 0) throw new IllegalArgumentException("days must be > 0");
        if (!(idleTimeoutSeconds >= 0)) throw new IllegalArgumentException("idle timeout must be >= 0 s");
        if (desktopsPerLink <= 0) throw new IllegalArgumentException("desktops per link must be > 0");
    }

    public static FleetConfig paper(int desktops, DayKind kind, long seed) {
        return new FleetConfig(desktops, 1, kind, DEFAULT_IDLE_TIMEOUT_S, GIGABIT, desktops, PowerProfile.TABLE_1, CostModel.USD_PER_KWH, seed);
    }

    public FleetConfig withTimeout(double seconds) {
        return new FleetConfig(desktops, days, kind, seconds, linkBitsPerSecond, desktopsPerLink, profile, usdPerKWh, seed);
    }

    public FleetConfig withDesktops(int n) {
        return new FleetConfig(n, days, kind, idleTimeoutSeconds, linkBitsPerSecond, desktopsPerLink == desktops ? n : desktopsPerLink, profile, usdPerKWh, seed);
    }

    public FleetConfig withKind(DayKind k) {
        return new FleetConfig(desktops, days, k, idleTimeoutSeconds, linkBitsPerSecond, desktopsPerLink, profile, usdPerKWh, seed);
    }
}
