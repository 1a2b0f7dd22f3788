package dev.jettison.sim.gen;

import dev.jettison.core.consolidation.WorkingSet;
import dev.jettison.sim.trace.FaultRecord;
import dev.jettison.sim.trace.FaultTraceHeader;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Seeded remote-fault traces of an idle VM on the server. Shape: a working set W drawn from the
 * paper's distribution; W / (1 - 0.9923) pages per cluster on average so that 99.23 % of faults follow
 * the previous within 1 s; clusters a second or a few apart form bursts; a big burst right after
 * consolidation, then bursts on 60 s timer ticks that become rarer as the working set fills in.
 * Page numbers come in runs (spatial locality) and mostly from the VM's own hot regions, which stay
 * the same across its consolidations (what hoarding exploits).
 */
public final class RemoteFaultGenerator {
    private final long seed;
    private final FaultCalibration cal;

    public RemoteFaultGenerator(long seed) {
        this(seed, FaultCalibration.DEFAULT);
    }

    public RemoteFaultGenerator(long seed, FaultCalibration cal) {
        this.seed = seed;
        this.cal = cal;
    }

    public FaultCalibration calibration() {
        return cal;
    }

    /** Consolidation {@code index} of VM {@code vm}, running {@code durationSeconds} on the server. */
    public GeneratedConsolidation consolidation(int vm, int index, double durationSeconds) {
        RandomGenerator rng = new SplittableRandom(Seeds.mix(seed, vm, index));
        long[] hot = hotRegions(vm);
        double meanPages = cal.workingSetMeanPages();
        double sdPages = WorkingSet.mibToPages(cal.workingSetSdMiB());
        long w = (long) Distributions.clamp(Math.round(Distributions.logNormalMeanSd(rng, meanPages, sdPages)), 64, cal.vmPages() / 2);
        int clusters = (int) Math.max(1, Math.round(w * (1 - cal.withinOneSecond()))) + 1;
        int initialClusters = Math.max(1, (int) Math.round(clusters * cal.initialClusterShare()));
        int laterClusters = clusters - initialClusters;
        long initialPages = laterClusters == 0 ? w : Math.round(w * cal.initialPageShare());

        Emitter out = new Emitter(rng, hot, durationSeconds);
        // Burst right after consolidation: the VM touches what its running processes need.
        double t = 0.5;
        long[] sizes = split(rng, initialPages, initialClusters);
        t = out.burst(t, sizes);

        // Later bursts on timer ticks, rarer as time goes on.
        List<Double> ticks = new ArrayList<>();
        double phase = rng.nextDouble() * cal.timerPeriodSeconds();
        for (double tick = phase + cal.timerPeriodSeconds(); tick < cal.horizonSeconds(); tick += cal.timerPeriodSeconds()) {
            if (rng.nextDouble() < timerProbability(tick)) ticks.add(tick);
        }
        while (ticks.size() > laterClusters) ticks.remove(ticks.size() - 1 - rng.nextInt(ticks.size()));
        if (laterClusters > 0 && ticks.isEmpty()) ticks.add(phase + cal.timerPeriodSeconds());
        int[] perBurst = new int[ticks.size()];
        for (int i = 0; i < perBurst.length; i++) perBurst[i] = 1;
        for (int i = perBurst.length; i < laterClusters; i++) perBurst[rng.nextInt(perBurst.length)]++;
        long[] laterSizes = split(rng, w - initialPages, laterClusters);
        int next = 0;
        for (int b = 0; b < perBurst.length && !out.done(); b++) {
            long[] burst = new long[perBurst[b]];
            for (int i = 0; i < burst.length; i++) burst[i] = laterSizes[next++];
            double start = Math.max(ticks.get(b) + jitter(rng), t + cal.clusterGapMinSeconds());
            out.growth = rng.nextDouble() < cal.growthBurstShare();
            t = out.burst(start, burst);
            out.growth = false;
        }
        // Beyond the calibration horizon the VM keeps ticking, touching little that is new.
        double tick = Math.max(cal.horizonSeconds(), phase);
        while (!out.done()) {
            tick += cal.timerPeriodSeconds();
            if (tick >= durationSeconds) break;
            if (rng.nextDouble() < cal.timerProbabilityFloor()) {
                t = out.burst(Math.max(tick + jitter(rng), t + cal.clusterGapMinSeconds()),
                        new long[] {Distributions.geometric(rng, cal.tailClusterMeanPages())});
            }
        }
        return new GeneratedConsolidation(new FaultTraceHeader("vm" + vm, index), durationSeconds, w, out.faults);
    }

    private double timerProbability(double t) {
        return cal.timerProbabilityFloor() + (cal.timerProbabilityStart() - cal.timerProbabilityFloor()) * Math.exp(-t / cal.timerDecaySeconds());
    }

    private static double jitter(RandomGenerator rng) {
        return (rng.nextDouble() - 0.5) * 0.5;
    }

    /** The VM's hot regions depend on the VM only, so every consolidation of it revisits them. */
    private long[] hotRegions(int vm) {
        RandomGenerator rng = new SplittableRandom(Seeds.mix(seed, vm, -1));
        long[] starts = new long[cal.hotRegions()];
        for (int i = 0; i < starts.length; i++) starts[i] = rng.nextLong(cal.vmPages() - cal.hotRegionPages());
        return starts;
    }

    /** Splits {@code total} into {@code parts} positive sizes with exponential weights. */
    private static long[] split(RandomGenerator rng, long total, int parts) {
        long[] out = new long[parts];
        if (parts == 0) return out;
        double[] wts = new double[parts];
        double sum = 0;
        for (int i = 0; i < parts; i++) sum += wts[i] = Distributions.exponential(rng, 1.0);
        long assigned = 0;
        for (int i = 0; i < parts; i++) {
            out[i] = Math.max(1, (long) Math.floor(total * wts[i] / sum));
            assigned += out[i];
        }
        for (int i = 0; assigned < total; i = (i + 1) % parts, assigned++) out[i]++;
        return out;
    }

    /** Turns cluster sizes into timed, numbered faults. */
    private final class Emitter {
        final RandomGenerator rng;
        final long[] hot;
        final double end;
        final BitSet touched = new BitSet();
        final List<Long> order = new ArrayList<>();
        /** A timer burst that only extends what earlier bursts touched (a log, a growing heap). */
        boolean growth;
        int growthFrom;
        final List<FaultRecord> faults = new ArrayList<>();
        long nextBlock;
        long run;
        long page = -1;
        boolean done;

        Emitter(RandomGenerator rng, long[] hot, double end) {
            this.rng = rng;
            this.hot = hot;
            this.end = end;
            this.nextBlock = rng.nextLong(1L << 20);
        }

        boolean done() {
            return done;
        }

        /** Emits clusters from {@code start}; returns when the last fault happened. */
        double burst(double start, long[] clusterSizes) {
            double t = start;
            growthFrom = order.size();
            for (int c = 0; c < clusterSizes.length; c++) {
                if (c > 0) t += clusterGap();
                t = cluster(t, clusterSizes[c]);
                if (done) break;
            }
            return t;
        }

        private double clusterGap() {
            // Mostly just over a second; a minority a few seconds, which is what makes waiting ~6 s pay (Figure 4).
            double extra = rng.nextDouble() < cal.longGapShare() ? cal.longGapMeanExtraSeconds() : cal.clusterGapMeanExtraSeconds();
            return Math.min(cal.clusterGapMaxSeconds(), cal.clusterGapMinSeconds() + Distributions.exponential(rng, extra));
        }

        private double cluster(double t, long pages) {
            boolean blocks = rng.nextDouble() < cal.blockClusterShare();
            for (long i = 0; i < pages; i++) {
                if (i > 0) t += Math.min(0.9, Distributions.exponential(rng, cal.faultGapMeanSeconds()));
                if (t >= end) {
                    done = true;
                    return t;
                }
                faults.add(FaultRecord.demandPage(Math.round(t * 1000), nextPage()));
                if (blocks && i == pages / 2) {
                    int n = Distributions.geometric(rng, cal.blocksPerBlockCluster());
                    for (int k = 0; k < n; k++) {
                        FaultRecord.Op op = rng.nextDouble() < cal.blockWriteShare() ? FaultRecord.Op.WRITE : FaultRecord.Op.READ;
                        faults.add(new FaultRecord(Math.round(t * 1000), FaultRecord.Kind.BLOCK, nextBlock++, op, FaultRecord.Cause.DEMAND));
                    }
                }
            }
            return t;
        }

        private long nextPage() {
            if (growth && growthFrom > 0) {
                for (int attempt = 0; attempt < 64; attempt++) {
                    long p = order.get(growthFrom - 1 - rng.nextInt(Math.min(growthFrom, 4096))) + 1 + rng.nextInt(3);
                    if (p < cal.vmPages() && !touched.get((int) p)) {
                        touched.set((int) p);
                        order.add(p);
                        return p;
                    }
                }
            }
            for (int attempt = 0; attempt < 256; attempt++) {
                if (run <= 0 || page < 0) {
                    run = Distributions.geometric(rng, cal.runMeanPages());
                    double u = rng.nextDouble();
                    // Data structures grow: many runs continue just past a page touched earlier,
                    // which is what lets a pivot window absorb whole later bursts (§3.4).
                    if (u < cal.neighbourShare() && !order.isEmpty()) {
                        page = order.get(rng.nextInt(order.size())) + 1 + rng.nextInt(8);
                        run--;
                        if (page < cal.vmPages() && !touched.get((int) page)) {
                            touched.set((int) page);
                            order.add(page);
                            return page;
                        }
                        continue;
                    }
                    page = rng.nextDouble() < cal.hotRegionShare()
                            // Aligned starts: the VM's code and data structures sit where they sat last time.
                            ? hot[rng.nextInt(hot.length)] + (long) cal.hotRunAlignPages() * rng.nextInt(cal.hotRegionPages() / cal.hotRunAlignPages())
                            : rng.nextLong(cal.vmPages());
                } else {
                    page += rng.nextDouble() < 0.15 ? 2 : 1;
                }
                run--;
                if (page >= cal.vmPages()) {
                    page = -1;
                    continue;
                }
                if (!touched.get((int) page)) {
                    touched.set((int) page);
                    order.add(page);
                    return page;
                }
            }
            // Crowded neighbourhood: the next untouched page after a random one.
            int free = touched.nextClearBit((int) rng.nextLong(cal.vmPages()));
            if (free >= cal.vmPages()) free = touched.nextClearBit(0);
            touched.set(free);
            order.add((long) free);
            page = free;
            return free;
        }
    }
}
