package dev.jettison.cli.sim;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.plot.Charts;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Figure 7: expected saving against consolidation time, Table 1 and 2 s profiles (§5.2). */
@Command(name = "savings", mixinStandardHelpOptions = true, description = "Expected desktop saving vs consolidation time (Figure 7).")
final class SavingsCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--vms", defaultValue = "60", description = "Generated VMs averaged per point (default: ${DEFAULT-VALUE}).")
    int vms;

    @Option(names = "--prefetch", defaultValue = "ondemand:20", description = "none | ondemand[:W] | hoarding:PAGES | both:W:PAGES (default: ${DEFAULT-VALUE}).")
    String prefetch;

    @Override
    public Integer call() throws Exception {
        Common.positive("--vms", vms);
        var gen = new RemoteFaultGenerator(common.seed);
        var policy = PrefetchPolicy.parse(prefetch);
        var a = SavingsCurve.compute(gen, PowerProfile.TABLE_1, vms, policy);
        var b = SavingsCurve.compute(gen, PowerProfile.FAST_2S, vms, policy);
        System.out.printf("%10s %14s %14s%n", "minutes", "Table 1", "2 s transitions");
        for (int i = 0; i < a.seconds().length; i++) System.out.printf("%10.1f %13.1f%% %13.1f%%%n", a.seconds()[i] / 60, 100 * a.saving()[i], 100 * b.saving()[i]);
        System.out.println("paper (§5.2): 7-16 % under 10 min, 78 % at 67 min, 91 % at 308 min; ~30 % under 10 min with 2 s transitions");
        Files.createDirectories(common.out);
        double[] min = Arrays.stream(a.seconds()).map(s -> s / 60).toArray();
        Charts.write(new Charts.Spec("Figure 7. Desktop energy savings", "consolidation time (min)", "saving (%)").logX()
                .add("Table 1", min, Arrays.stream(a.saving()).map(x -> 100 * x).toArray())
                .add("2 s suspend/resume", min, Arrays.stream(b.saving()).map(x -> 100 * x).toArray()), common.out.resolve("fig7-savings-vs-time.png"));
        return 0;
    }
}
