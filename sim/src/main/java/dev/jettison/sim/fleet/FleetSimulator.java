package dev.jettison.sim.fleet;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleConsumer;
import java.util.stream.IntStream;

/**
 * The fleet simulator of §6. Offices (desktops sharing one link) do not interact, so they run in
 * parallel; results are merged in office order so a run is identical whatever the thread count.
 * Desktop-days are generated (or read) one office-day at a time and dropped after it: memory grows
 * with the office size, never with the number of days.
 */
public final class FleetSimulator {
    private final ActivitySource source;

    public FleetSimulator(ActivitySource source) {
        this.source = source;
    }

    public FleetResult run(FleetConfig cfg, Scheme scheme) {
        return run(cfg, scheme, f -> { });
    }

    /** @param progress receives the fraction of office-days done, from worker threads */
    public FleetResult run(FleetConfig cfg, Scheme scheme, DoubleConsumer progress) {
        int per = Math.min(cfg.desktopsPerLink(), cfg.desktops());
        int offices = (cfg.desktops() + per - 1) / per;
        int tasks = offices * cfg.days();
        AtomicInteger done = new AtomicInteger();
        List<OfficeTotals> parts = IntStream.range(0, tasks).parallel().mapToObj(task -> {
            int office = task % offices;
            int day = task / offices;
            int first = office * per;
            int n = Math.min(per, cfg.desktops() - first);
            OfficeTotals t = new OfficeDay(cfg, scheme, source, first, n, day).run();
            progress.accept(done.incrementAndGet() / (double) tasks);
            return t;
        }).toList();
        OfficeTotals total = new OfficeTotals();
        int peak = 0;
        for (int day = 0; day < cfg.days(); day++) {
            // VMs on the server add up across offices within a day, not across days.
            int[] sum = new int[total.vmsOnServer.length];
            for (int o = 0; o < offices; o++) {
                OfficeTotals t = parts.get(day * offices + o);
                total.add(t);
                for (int i = 0; i < sum.length; i++) sum[i] += t.vmsOnServer[i];
            }
            for (int v : sum) peak = Math.max(peak, v);
        }
        return FleetResult.of(cfg, scheme, total, offices, peak);
    }
}
