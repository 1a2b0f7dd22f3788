package dev.jettison.cli.sim;

import dev.jettison.sim.gen.GeneratedConsolidation;
import dev.jettison.sim.gen.OfficeActivityGenerator;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.trace.ActivityTraceWriter;
import dev.jettison.sim.trace.DayKind;
import dev.jettison.sim.trace.FaultTraceWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes generated traces in the documented CSV formats, for inspection or other tools. */
@Command(name = "traces", mixinStandardHelpOptions = true, description = "Write generated activity and remote-fault traces as CSV (sim/TRACES.md).")
final class TracesCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--desktops", defaultValue = "22", description = "Desktops in the activity trace (paper: 22 users; default: ${DEFAULT-VALUE}).")
    int desktops;

    @Option(names = "--days", defaultValue = "28", description = "Days per desktop, weekends every 6th and 7th (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--vms", defaultValue = "3", description = "VMs with fault traces (paper: 3 users; default: ${DEFAULT-VALUE}).")
    int vms;

    @Option(names = "--consolidations", defaultValue = "5", description = "Consolidations per VM (default: ${DEFAULT-VALUE}).")
    int consolidations;

    @Option(names = "--minutes", defaultValue = "60", description = "Length of each consolidation (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Override
    public Integer call() throws Exception {
        Common.positive("--desktops", desktops);
        Common.positive("--days", days);
        Common.positive("--vms", vms);
        Common.positive("--consolidations", consolidations);
        Common.positive("--minutes", minutes);
        Files.createDirectories(common.out);
        Path activity = common.out.resolve("activity.csv");
        var gen = new OfficeActivityGenerator(common.seed);
        try (var w = new ActivityTraceWriter(Files.newBufferedWriter(activity))) {
            for (int d = 0; d < desktops; d++) {
                for (int day = 0; day < days; day++) w.write(gen.day(d, day, day % 7 >= 5 ? DayKind.WEEKEND : DayKind.WEEKDAY));
            }
        }
        var faults = new RemoteFaultGenerator(common.seed);
        for (int vm = 0; vm < vms; vm++) {
            for (int c = 0; c < consolidations; c++) {
                GeneratedConsolidation g = faults.consolidation(vm, c, minutes * 60);
                try (var w = new FaultTraceWriter(Files.newBufferedWriter(common.out.resolve("faults-vm" + vm + "-c" + c + ".csv")), g.header())) {
                    g.faults().forEach(w::write);
                }
            }
        }
        System.out.println("wrote " + activity + " and " + vms * consolidations + " fault traces in " + common.out);
        return 0;
    }
}
