package dev.jettison.agent.desktop;

import dev.jettison.agent.power.EnergyReport;
import dev.jettison.agent.power.PowerState;
import dev.jettison.agent.power.WakeSource;
import dev.jettison.migration.partial.MigrationReport;

import java.time.Duration;
import java.util.Locale;

/**
 * One consolidation seen from the desktop (issue 4's report): what moved and how fast
 * ({@link MigrationReport}), and what the desktop did meanwhile: time in each power state,
 * microsleeps, wake-ups, requests that found it asleep, and energy against staying idle
 * ({@link EnergyReport}, in the desktop's own time: with emulated S3 at a time scale of S, one wall
 * second is S desktop seconds, so figures read as for a real desktop).
 *
 * @param requestsWhileAsleep page and block requests that arrived while the desktop was not awake
 *                            and were answered after it resumed: remote faults that cost a wake-up
 * @param timeScale           desktop seconds per wall second (1 for a real desktop)
 */
public record AwayReport(MigrationReport migration, EnergyReport energy, long requestsWhileAsleep, double timeScale) {
    private static final double MIB = 1024.0 * 1024.0;

    public double demandMiB() {
        return migration.pagesFetched() * 4096 / MIB;
    }

    public double prefetchMiB() {
        return migration.prefetchedPages() * 4096 / MIB;
    }

    public String summary() {
        var e = energy;
        var sb = new StringBuilder(migration.summary()).append('\n');
        sb.append(String.format(Locale.ROOT, "  desktop while away      %s (%s profile%s)%n", human(e.wall()), e.profile(),
                timeScale == 1 ? "" : String.format(Locale.ROOT, ", S3 emulated at %.0fx time", timeScale)));
        for (PowerState s : PowerState.values()) {
            sb.append(String.format(Locale.ROOT, "    %-10s            %s%n", s.name().toLowerCase(Locale.ROOT), human(e.timeIn(s))));
        }
        sb.append(String.format(Locale.ROOT, "  microsleeps             %d, mean %s%n", e.microsleeps(), human(e.meanMicrosleep())));
        sb.append(String.format(Locale.ROOT, "  wake-ups                %d by magic packet, %d local%n",
                e.wakeups(WakeSource.MAGIC_PACKET), e.wakeups(WakeSource.LOCAL) + e.wakeups(WakeSource.HARDWARE)));
        sb.append(String.format(Locale.ROOT, "  requests while asleep   %d%n", requestsWhileAsleep));
        sb.append(String.format(Locale.ROOT, "  energy                  %.2f Wh vs %.2f Wh idle: saved %.2f Wh (%.1f %%), mean %.1f W%n",
                e.wattHours(), e.idleWattHours(), e.savingWattHours(), e.savingPercent(), e.averageWatts()));
        sb.append(String.format(Locale.ROOT, "  moved to the server     %.2f MiB on demand, %.2f MiB prefetched", demandMiB(), prefetchMiB()));
        return sb.toString();
    }

    static String human(Duration d) {
        double s = d.toNanos() / 1e9;
        return s >= 120 ? String.format(Locale.ROOT, "%.1f min", s / 60) : String.format(Locale.ROOT, "%.1f s", s);
    }
}
