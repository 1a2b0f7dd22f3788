package dev.jettison.cli.sim;

import dev.jettison.sim.report.Reproduction;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Regenerates every reproduced figure and the report beside the paper's numbers. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, description = "Regenerate Figures 2-7, 9-11 (PNG + CSV) and report.md comparing with the paper.")
final class ReproduceCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        var report = new Reproduction(common.seed, common.out, m -> System.err.printf("[%6.1f s] %s%n", (System.nanoTime() - t0) / 1e9, m)).run();
        System.out.println(java.nio.file.Files.readString(report));
        return 0;
    }
}
