package dev.jettison.cli.sim;

import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.replay.LiveReplay;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One live consolidation: what the simulator predicts from its trace, and what the desktop measured. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a live consolidation (server faults-*.csv + desktop power curve CSV) and compare the simulator's prediction with what happened.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--faults", required = true, description = "The server's remote-fault trace of the consolidation (jettison-faults v1, sim/TRACES.md).")
    Path faults;

    @Option(names = "--power", required = true, description = "The desktop's power curve CSV for the same consolidation (GET /energy).")
    Path power;

    @Option(names = "--prefetch", defaultValue = "ondemand:20", description = "Prefetch policy the replay applies (default: ${DEFAULT-VALUE}).")
    String prefetch;

    @Option(names = "--time-scale", defaultValue = "1", description = "The live desktop's --time-scale: the trace's wall milliseconds are stretched by it to the power curve's desktop seconds (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--curve-vms", defaultValue = "40", description = "Generated VMs behind our Figure 7 curve (default: ${DEFAULT-VALUE}).")
    int curveVms;

    @Override
    public Integer call() throws Exception {
        Common.positive("--time-scale", timeScale);
        Common.positive("--curve-vms", curveVms);
        Common.existing("--faults", faults);
        Common.existing("--power", power);
        var policy = PrefetchPolicy.parse(prefetch);
        var curve = SavingsCurve.compute(new RemoteFaultGenerator(common.seed), common.powerProfile(), curveVms, PrefetchPolicy.paperDefault());
        var r = LiveReplay.of(faults, power, common.powerProfile(), policy, curve, timeScale);
        var m = r.measured();
        var p = r.replayed();
        System.out.printf("consolidation %s #%d: %.0f s away, %d demand faults, %.2f MiB pulled live%n%n", r.header().vmId(), r.header().consolidation(),
                r.wallSeconds(), r.demandFaults(), r.liveMiB());
        System.out.printf("%-38s %12s %12s %12s%n", "", "measured", "predicted", "difference");
        row("saving, trace replay", 100 * r.measuredSaving(), 100 * p.savingFraction(), "%");
        row("saving, fleet (our Figure 7)", 100 * r.measuredSaving(), 100 * r.ourCurveSaving(), "%");
        row("saving, fleet (paper Figure 7)", 100 * r.measuredSaving(), 100 * r.paperCurveSaving(), "%");
        row("energy, trace replay", m.joules(), p.joules(), "J");
        row("microsleeps, trace replay", m.microsleeps(), p.microsleeps(), "");
        row("time in S3, trace replay", m.secondsIn("ASLEEP"), p.asleepSeconds(), "s");
        row("MiB to the server, trace replay", r.liveMiB(), r.replayedMiB(), "MiB");
        row("MiB to the server, fleet (Figure 9 mean)", r.liveMiB(), r.fleetConsolidationMiB(), "MiB");
        return 0;
    }

    private static void row(String what, double measured, double predicted, String unit) {
        System.out.printf("%-38s %12.2f %12.2f %+12.2f %s%n", what, measured, predicted, predicted - measured, unit);
    }
}
