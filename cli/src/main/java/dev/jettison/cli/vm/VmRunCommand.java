package dev.jettison.cli.vm;

import dev.jettison.cli.Sizes;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.VmExit;
import dev.jettison.vmm.guest.DebianGuest;
import dev.jettison.vmm.kvm.Cpuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Boot a guest: our test guest OS by default, Debian's stock kernel with --guest linux, "
                + "the Debian desktop (its kernel and a debootstrapped disk) with --guest debian.")
public final class VmRunCommand implements Callable<Integer> {
    @Option(names = "--guest", description = "test (default), linux or debian (docs/guests.md)")
    GuestBoot.Kind guest = GuestBoot.Kind.test;

    @Option(names = "--kernel", description = "bzImage to boot (default: the guest's own)")
    Path kernel;

    @Option(names = "--initrd", description = "initramfs for the kernel")
    Path initrd;

    @Option(names = "--mem", description = "guest RAM, e.g. 512M, 4G (default 1G)")
    String mem = "1G";

    @Option(names = "--cpus", description = "vCPUs (default 1)")
    int cpus = 1;

    @Option(names = "--disk", description = "raw disk image for virtio-blk (--guest debian: default a fresh copy of "
            + "the built image, deleted when the VM ends)")
    Path disk;

    @Option(names = "--disk-readonly", description = "attach the disk read-only")
    boolean diskReadOnly;

    @Option(names = "--tap", description = "tap interface for virtio-net")
    String tap;

    @Option(names = "--cmdline", description = "kernel command line (default: the guest's, e.g. prog=idle for the test guest)")
    String cmdline;

    @Option(names = "--append", description = "kernel arguments added to the command line (e.g. jettison.ip=10.0.0.2/24)")
    String append;

    @Option(names = "--console-log", description = "also write the serial console to this file")
    Path consoleLog;

    @Option(names = "--cpuid-mask", description = "hide a CPUID feature bit, LEAF[.INDEX]:REG:BIT (repeatable)")
    List<String> cpuidMasks = new ArrayList<>();

    @Option(names = "--timeout", description = "stop the VM after this many seconds (default: run until it exits)")
    long timeoutSeconds = 0;

    @Override
    public Integer call() throws Exception {
        long bytes = Sizes.parse(mem);
        // A Debian guest without --disk runs on a copy of the built image that lives as long as the VM.
        Path scratch = guest == GuestBoot.Kind.debian && disk == null
                ? Files.createTempDirectory("jettison-debian").resolve(DebianGuest.IMAGE) : null;
        if (scratch != null) {
            // Also when the user interrupts the VM (the finally below does not run then); last registered, first deleted.
            scratch.getParent().toFile().deleteOnExit();
            scratch.toFile().deleteOnExit();
        }
        try {
            var boot = GuestBoot.resolve(new GuestBoot.Choice(guest, kernel, initrd, cmdline, append, disk), scratch);
            if (scratch != null) System.err.println("jettison: the Debian disk is a fresh copy at " + scratch + " (deleted at exit; --disk FILE keeps one)");
            return run(bytes, boot);
        } finally {
            if (scratch != null) {
                Files.deleteIfExists(scratch);
                Files.deleteIfExists(scratch.getParent());
            }
        }
    }

    private int run(long bytes, GuestBoot boot) throws Exception {
        var masks = cpuidMasks.stream().map(Cpuid.Mask::parse).toList();
        var config = new VmConfig(bytes, cpus, boot.kernel(), java.util.Optional.ofNullable(boot.initrd()), boot.cmdline(),
                java.util.Optional.ofNullable(boot.disk()), diskReadOnly, java.util.Optional.ofNullable(tap),
                java.util.Optional.ofNullable(consoleLog), true, masks);
        try (var vm = VirtualMachine.create(config)) {
            vm.start();
            Thread.ofVirtual().name("console-input").start(() -> forwardInput(vm));
            VmExit exit;
            try {
                exit = vm.awaitExit(timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : Duration.ofDays(3650));
            } catch (TimeoutException e) {
                System.err.println("jettison: stopping the VM after " + timeoutSeconds + " s");
                vm.stop();
                return 0;
            }
            System.err.println("jettison: VM ended: " + describe(exit));
            return switch (exit) {
                case VmExit.PowerOff p -> p.guestCode();
                case VmExit.Reset r -> 0;
                case VmExit.Stopped s -> 0;
                case VmExit.Failed f -> 3;
            };
        }
    }

    private static String describe(VmExit exit) {
        return switch (exit) {
            case VmExit.PowerOff p -> "power off, guest code " + p.guestCode();
            case VmExit.Reset r -> "reset (" + r.why() + ")";
            case VmExit.Stopped s -> "stopped by the host";
            case VmExit.Failed f -> "failed: " + f.description();
        };
    }

    private static void forwardInput(VirtualMachine vm) {
        try (var in = new BufferedReader(new InputStreamReader(System.in))) {
            for (String line; (line = in.readLine()) != null; ) vm.sendConsoleLine(line);
        } catch (Exception e) {
            // no terminal input: nothing to forward
        }
    }
}
