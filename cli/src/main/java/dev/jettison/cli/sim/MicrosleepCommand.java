package dev.jettison.cli.sim;

import dev.jettison.core.energy.EmpiricalInterArrivals;
import dev.jettison.sim.analysis.WaitTimeAnalysis;
import dev.jettison.sim.gen.GeneratedConsolidation;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.plot.Charts;
import dev.jettison.sim.trace.FaultRecord;
import dev.jettison.sim.trace.FaultTraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** t_b, Figure 3 and Figure 4 from generated or recorded remote-fault traces (§3.3). */
@Command(name = "microsleep", mixinStandardHelpOptions = true, description = "When to microsleep: t_b, p(I < t_b + t_w | t_w), E_waste and the optimal t_w (Figures 3-4).")
final class MicrosleepCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--vms", defaultValue = "60", description = "Generated idle VMs when no trace files are given (default: ${DEFAULT-VALUE}).")
    int vms;

    @Parameters(arity = "0..*", paramLabel = "FAULTS.csv", description = "Remote-fault traces (sim/TRACES.md) to analyse instead of generated ones.")
    List<Path> traces = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Common.positive("--vms", vms);
        traces.forEach(p -> Common.existing("FAULTS.csv", p));
        WaitTimeAnalysis w;
        if (traces.isEmpty()) {
            var gen = new RemoteFaultGenerator(common.seed);
            List<GeneratedConsolidation> cs = new ArrayList<>();
            for (int vm = 0; vm < vms; vm++) cs.add(gen.consolidation(vm, 0, gen.calibration().horizonSeconds()));
            w = WaitTimeAnalysis.of(cs, common.powerProfile());
        } else {
            List<Double> gaps = new ArrayList<>();
            for (Path p : traces) {
                try (var r = FaultTraceReader.open(p)) {
                    long last = -1;
                    for (FaultRecord f; (f = r.next()) != null; ) {
                        if (f.cause() != FaultRecord.Cause.DEMAND) continue;
                        if (last >= 0) gaps.add((f.tMillis() - last) / 1000.0);
                        last = f.tMillis();
                    }
                }
            }
            w = WaitTimeAnalysis.of(new EmpiricalInterArrivals(Charts.toArray(gaps)), common.powerProfile());
        }
        System.out.printf("profile            %s%n", common.powerProfile().name());
        System.out.printf("t_b                %.2f s   (paper 32.22 s, §3.3)%n", w.breakEvenSeconds());
        System.out.printf("inter-arrivals     %d, %.2f %% within 1 s (paper 99.23 %%)%n", w.interArrivals(), 100 * w.fractionWithinOneSecond());
        System.out.printf("optimal t_w        %.1f s   (paper 6 s, Figure 4)%n%n", w.optimalWaitSeconds());
        System.out.printf("%8s %12s %12s%n", "t_w (s)", "p(too soon)", "E_waste (J)");
        for (int i = 0; i < w.waits().length; i += 10) System.out.printf("%8.1f %12.3f %12.0f%n", w.waits()[i], w.probabilityTooSoon()[i], w.wasteJoules()[i]);
        Files.createDirectories(common.out);
        Charts.write(new Charts.Spec("Figure 3. p(I < t_b + t_w | t_w)", "t_w (s)", "probability").add("traces", w.waits(), w.probabilityTooSoon()), common.out.resolve("fig3-conditional-probability.png"));
        Charts.write(new Charts.Spec("Figure 4. E_waste vs t_w", "t_w (s)", "E_waste (J)").add("traces", w.waits(), w.wasteJoules()), common.out.resolve("fig4-energy-waste.png"));
        System.out.println("\nwrote " + common.out.resolve("fig3-conditional-probability.png") + " and fig4-energy-waste.png");
        return 0;
    }
}
