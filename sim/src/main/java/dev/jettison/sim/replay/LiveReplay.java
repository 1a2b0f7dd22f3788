package dev.jettison.sim.replay;

import dev.jettison.core.consolidation.WorkingSet;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.microsleep.MicrosleepPolicy;
import dev.jettison.core.prefetch.HoardHistory;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.analysis.ConsolidationReplay;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.gen.GeneratedConsolidation;
import dev.jettison.sim.gen.MigrationSizes;
import dev.jettison.sim.microsleep.ReplayPoint;
import dev.jettison.sim.trace.FaultRecord;
import dev.jettison.sim.trace.FaultTraceHeader;
import dev.jettison.sim.trace.FaultTraceReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One live consolidation replayed: the server's remote-fault trace through the same prefetch and
 * microsleep code the desktop runs, and the fleet simulator's own prediction for a stay that long
 * (the Figure 7 curves), each set against the desktop's measured power curve.
 *
 * @param demandFaults  demand rows of the trace (prefetch rows are what the live prefetcher did; the replay redoes it)
 * @param liveMiB       what the live server pulled, demand and prefetch, pages and blocks, each counted once
 * @param replayed      the trace replay over the measured wall time
 */
public record LiveReplay(FaultTraceHeader header, double wallSeconds, long demandFaults, double liveMiB,
                         PowerCurve measured, ReplayPoint replayed, double replayedMiB,
                         double ourCurveSaving, double paperCurveSaving, double idleWatts) {

    public static LiveReplay of(Path faults, Path power, PowerProfile profile, PrefetchPolicy prefetch, SavingsCurve ourCurve) throws IOException {
        return of(faults, power, profile, prefetch, ourCurve, 1);
    }

    /**
     * @param timeScale the live desktop's {@code --time-scale}: its power curve is in the desktop's own
     *                  seconds, the server's trace in wall milliseconds, so the trace is stretched by it
     */
    public static LiveReplay of(Path faults, Path power, PowerProfile profile, PrefetchPolicy prefetch, SavingsCurve ourCurve,
                                double timeScale) throws IOException {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) throw new IllegalArgumentException("time scale must be > 0, got " + timeScale);
        PowerCurve curve = PowerCurve.read(power);
        List<FaultRecord> demand = new ArrayList<>();
        // A page prefetched and then touched has two rows (prefetch, then demand): count what moved once.
        Set<Long> pages = new HashSet<>();
        Set<Long> blocks = new HashSet<>();
        FaultTraceHeader header;
        try (var r = FaultTraceReader.open(faults)) {
            header = r.header();
            for (FaultRecord f; (f = r.next()) != null; ) {
                (f.kind() == FaultRecord.Kind.PAGE ? pages : blocks).add(f.number());
                if (f.cause() == FaultRecord.Cause.DEMAND) demand.add(timeScale == 1 ? f
                        : new FaultRecord(Math.round(f.tMillis() * timeScale), f.kind(), f.number(), f.op(), f.cause()));
            }
        }
        double wall = curve.wallSeconds();
        var c = new GeneratedConsolidation(header, wall, demand.size(), demand);
        var out = ConsolidationReplay.run(c, prefetch, new HoardHistory(), profile, MicrosleepPolicy::paperDefault, new double[] {wall});
        return new LiveReplay(header, wall, demand.size(), WorkingSet.pagesToMiB(pages.size() + blocks.size()), curve, out.points().getFirst(), out.migratedMiB(),
                ourCurve.at(wall), SavingsCurve.paperFigure7().at(wall), profile.idleWatts());
    }

    public double measuredSaving() {
        return measured.savingFraction(idleWatts);
    }

    /** The fleet's partial consolidation moves a Figure 9 mean (§5.3) for any stay: how far this one was. */
    public double fleetConsolidationMiB() {
        return MigrationSizes.CONSOLIDATION_MEMORY_MEAN_MIB + MigrationSizes.CONSOLIDATION_DISK_MEAN_MIB;
    }
}
