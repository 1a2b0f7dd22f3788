package dev.jettison.sim.fleet;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;
import java.util.stream.IntStream;

/**
 * The fleet simulator of §6. Sites (desktops sharing one link) do not interact, and neither do days
 * (every VM starts a day at home), so site-days run in parallel in batches; each batch is merged in
 * (day, site) order, so a run is identical whatever the thread count, and dropped. Memory grows with
 * the size of a batch, never with the number of days.
 */
public final class FleetSimulator {
    /** Site-days per batch: enough to keep every core busy, few enough that memory stays small. */
    private static final int BATCH_TASKS = 256;

    private final ActivitySource source;

    public FleetSimulator(ActivitySource source) {
        this.source = source;
    }

    public FleetResult run(FleetConfig cfg, Scheme scheme) {
        return run(cfg, scheme, f -> { });
    }

    /** @param progress receives the fraction of site-days done, from worker threads */
    public FleetResult run(FleetConfig cfg, Scheme scheme, DoubleConsumer progress) {
        int per = Math.min(cfg.desktopsPerLink(), cfg.desktops());
        int sites = (cfg.desktops() + per - 1) / per;
        long tasks = (long) sites * cfg.days();
        int daysPerBatch = Math.max(1, BATCH_TASKS / sites);
        AtomicLong done = new AtomicLong();
        OfficeTotals total = new OfficeTotals();
        int peak = 0;
        int[] sum = new int[total.vmsOnServer.length];
        for (int firstDay = 0; firstDay < cfg.days(); firstDay += daysPerBatch) {
            int batchDays = Math.min(daysPerBatch, cfg.days() - firstDay);
            int base = firstDay;
            List<OfficeTotals> parts = IntStream.range(0, batchDays * sites).parallel().mapToObj(task -> {
                int site = task % sites;
                int day = base + task / sites;
                int first = site * per;
                OfficeTotals t = new OfficeDay(cfg, scheme, source, first, Math.min(per, cfg.desktops() - first), day).run();
                progress.accept(done.incrementAndGet() / (double) tasks);
                return t;
            }).toList();
            for (int d = 0; d < batchDays; d++) {
                // VMs on the servers add up across sites within a day, not across days.
                java.util.Arrays.fill(sum, 0);
                for (int s = 0; s < sites; s++) {
                    OfficeTotals t = parts.get(d * sites + s);
                    total.add(t);
                    for (int i = 0; i < sum.length; i++) sum[i] += t.vmsOnServer[i];
                }
                for (int v : sum) peak = Math.max(peak, v);
            }
        }
        return FleetResult.of(cfg, scheme, total, sites, peak);
    }
}
