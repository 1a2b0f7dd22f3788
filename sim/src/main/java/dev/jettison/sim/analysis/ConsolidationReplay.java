package dev.jettison.sim.analysis;

import dev.jettison.core.consolidation.WorkingSet;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.microsleep.MicrosleepPolicy;
import dev.jettison.core.prefetch.HoardHistory;
import dev.jettison.core.prefetch.PageAccess;
import dev.jettison.core.prefetch.PartialMemory;
import dev.jettison.core.prefetch.PrefetchBuffer;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.gen.GeneratedConsolidation;
import dev.jettison.sim.microsleep.PowerReplay;
import dev.jettison.sim.microsleep.ReplayPoint;
import dev.jettison.sim.trace.FaultRecord;
import java.util.List;
import java.util.function.Supplier;

/**
 * One consolidation through the core prefetch engine and microsleep policy: which touches become remote
 * requests, how much state moves, and what the desktop spends. Disk blocks are always fetched on
 * demand (§3.4: prefetching targets memory, which is over 99 % of the state).
 */
public final class ConsolidationReplay {
    private ConsolidationReplay() {
    }

    public record Outcome(List<ReplayPoint> points, long pagesFetched, long blocksFetched, long remoteRequests) {
        public double migratedMiB() {
            return WorkingSet.pagesToMiB(pagesFetched + blocksFetched);
        }
    }

    public static Outcome run(GeneratedConsolidation c, PrefetchPolicy prefetch, HoardHistory history,
                              PowerProfile profile, Supplier<MicrosleepPolicy> policy, double[] horizons) {
        var memory = new PartialMemory(prefetch, WorkingSet.mibToPages(WorkingSet.VM_NOMINAL_MIB), new PrefetchBuffer());
        memory.hoard(history); // hoarded pages move in bulk at consolidation, while the desktop is awake anyway
        var replay = new PowerReplay(profile, policy.get(), horizons);
        long blocks = 0;
        long requests = 0;
        double last = horizons[horizons.length - 1];
        for (FaultRecord f : c.faults()) {
            double t = f.tMillis() / 1000.0;
            if (t >= last) break;
            boolean remote;
            if (f.kind() == FaultRecord.Kind.BLOCK) {
                blocks++;
                remote = true;
            } else {
                remote = memory.touch(f.number()) instanceof PageAccess.Remote;
            }
            if (remote) {
                replay.request(t);
                requests++;
            }
        }
        history.recordConsolidation(memory.demandedPages());
        return new Outcome(replay.finish(), memory.pagesFetched(), blocks, requests);
    }
}
