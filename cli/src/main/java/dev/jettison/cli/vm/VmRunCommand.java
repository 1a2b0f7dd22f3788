package dev.jettison.cli.vm;

import dev.jettison.cli.Sizes;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.VmExit;
import dev.jettison.vmm.guest.LinuxGuest;
import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.kvm.Cpuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Boot a guest: our test guest OS by default, or Debian's stock kernel with --guest linux.")
public final class VmRunCommand implements Callable<Integer> {
    enum Guest { test, linux }

    @Option(names = "--guest", description = "test (default) or linux; ignored when --kernel is given")
    Guest guest = Guest.test;

    @Option(names = "--kernel", description = "bzImage to boot (default: the built test guest or Debian kernel)")
    Path kernel;

    @Option(names = "--initrd", description = "initramfs for the kernel")
    Path initrd;

    @Option(names = "--mem", description = "guest RAM, e.g. 512M, 4G (default 1G)")
    String mem = "1G";

    @Option(names = "--cpus", description = "vCPUs (default 1)")
    int cpus = 1;

    @Option(names = "--disk", description = "raw disk image for virtio-blk")
    Path disk;

    @Option(names = "--disk-readonly", description = "attach the disk read-only")
    boolean diskReadOnly;

    @Option(names = "--tap", description = "tap interface for virtio-net")
    String tap;

    @Option(names = "--cmdline", description = "kernel command line (default: prog=idle for the test guest)")
    String cmdline;

    @Option(names = "--console-log", description = "also write the serial console to this file")
    Path consoleLog;

    @Option(names = "--cpuid-mask", description = "hide a CPUID feature bit, LEAF[.INDEX]:REG:BIT (repeatable)")
    List<String> cpuidMasks = new ArrayList<>();

    @Option(names = "--timeout", description = "stop the VM after this many seconds (default: run until it exits)")
    long timeoutSeconds = 0;

    @Override
    public Integer call() throws Exception {
        long bytes = Sizes.parse(mem);
        Path k = kernel;
        Path rd = initrd;
        String cmd = cmdline;
        if (k == null && guest == Guest.test) {
            k = TestGuest.bzImage();
            if (cmd == null) cmd = "prog=idle";
        } else if (k == null) {
            var linux = LinuxGuest.ensureBuilt();
            k = linux.resolve(LinuxGuest.KERNEL);
            if (rd == null) rd = linux.resolve(LinuxGuest.INITRD);
            if (cmd == null) cmd = "console=ttyS0 earlyprintk=serial,ttyS0 noapic=0 pci=conf1 acpi=off";
        }
        var masks = cpuidMasks.stream().map(Cpuid.Mask::parse).toList();
        var config = new VmConfig(bytes, cpus, k, java.util.Optional.ofNullable(rd), cmd == null ? "" : cmd,
                java.util.Optional.ofNullable(disk), diskReadOnly, java.util.Optional.ofNullable(tap),
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
