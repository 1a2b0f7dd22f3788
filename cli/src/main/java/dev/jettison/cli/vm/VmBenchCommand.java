package dev.jettison.cli.vm;

import dev.jettison.cli.Sizes;
import dev.jettison.sys.MappedRegion;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.guest.TestGuest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Boot time of the test guest and user-mode memory-touch throughput inside it, against the same
 * loop run on the host. Under KVM with hardware virtualization (or PVM) guest user mode runs
 * natively, so the ratio should be near 1; the first touch of each page costs a nested page fault
 * in the guest and an ordinary one on the host.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure test-guest boot time and in-guest memory touch throughput vs the host.")
public final class VmBenchCommand implements Callable<Integer> {
    private static final Pattern WARM = Pattern.compile("JTS:IDLE WARM mib=(\\d+) ms=(\\d+)");

    @Option(names = "--mem", description = "guest RAM (default 1G)")
    String mem = "1G";

    @Option(names = "--touch", description = "memory touched in the guest and on the host (default 256M)")
    String touch = "256M";

    @Option(names = "--runs", description = "runs; medians are reported (default 5)")
    int runs = 5;

    @Override
    public Integer call() throws Exception {
        long memBytes = Sizes.parse(mem);
        long touchMib = Sizes.parse(touch) >> 20;
        var kernel = TestGuest.bzImage();
        double[] bootMs = new double[runs], guestMibS = new double[runs], hostMibS = new double[runs];
        for (int r = 0; r < runs; r++) {
            var cfg = VmConfig.of(kernel, memBytes).withCmdline("prog=idle idle.warm_mib=" + touchMib + " idle.disk_every=0");
            try (var vm = VirtualMachine.create(cfg)) {
                long t0 = System.nanoTime();
                vm.start();
                vm.console().awaitLine(l -> l.startsWith("JTS:INIT"), Duration.ofMinutes(5));
                bootMs[r] = (System.nanoTime() - t0) / 1e6;
                var m = WARM.matcher(vm.console().awaitLine(l -> WARM.matcher(l).find(), Duration.ofMinutes(5)));
                if (!m.find()) throw new IllegalStateException("no WARM line");
                long mib = Long.parseLong(m.group(1)), ms = Math.max(1, Long.parseLong(m.group(2)));
                guestMibS[r] = mib * 1000.0 / ms;
            }
            hostMibS[r] = hostTouch(touchMib);
        }
        double boot = median(bootMs), guest = median(guestMibS), host = median(hostMibS);
        System.out.printf("test guest, %d MiB RAM, %d runs (medians)%n", memBytes >> 20, runs);
        System.out.printf("  boot to JTS:INIT          %8.1f ms%n", boot);
        System.out.printf("  touch %d MiB in guest    %8.0f MiB/s%n", touchMib, guest);
        System.out.printf("  touch %d MiB on host     %8.0f MiB/s%n", touchMib, host);
        System.out.printf("  guest/host ratio          %8.2f%n", guest / host);
        return 0;
    }

    /** The guest's warm-up loop (guest/programs/idle.c), over fresh anonymous memory: MiB/s. */
    private static double hostTouch(long mib) {
        try (var region = MappedRegion.anonymous(mib << 20, "bench")) {
            var seg = region.segment();
            long pages = (mib << 20) / 4096;
            long t0 = System.nanoTime();
            for (long p = 0; p < pages; p++) {
                long base = p * 4096;
                for (int i = 0; i < 512; i++) seg.set(JAVA_LONG, base + 8L * i, (p << 32) ^ i ^ 0x4A545349444C45L);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            return mib / s;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
