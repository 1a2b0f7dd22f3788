package dev.jettison.vmm;

import dev.jettison.vmm.kvm.Cpuid;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to build a VM. {@code kernel} is a bzImage (the stock Debian kernel or our
 * test guest); {@code consoleLog} receives the serial console; {@code consoleToTerminal} also
 * copies it to standard output.
 */
public record VmConfig(long memBytes, int cpus, Path kernel, Optional<Path> initrd, String cmdline,
                       Optional<Path> disk, boolean diskReadOnly, Optional<String> tap,
                       Optional<Path> consoleLog, boolean consoleToTerminal, List<Cpuid.Mask> cpuidMasks) {
    public static final int MAX_CPUS = 8;

    public VmConfig {
        if (cpus < 1 || cpus > MAX_CPUS) throw new IllegalArgumentException("vCPUs must be 1.." + MAX_CPUS + ", not " + cpus);
        dev.jettison.vmm.memory.MemoryLayout.ramRanges(memBytes); // validates the size
        cpuidMasks = List.copyOf(cpuidMasks);
    }

    public static VmConfig of(Path kernel, long memBytes) {
        return new VmConfig(memBytes, 1, kernel, Optional.empty(), "", Optional.empty(), false, Optional.empty(),
                Optional.empty(), false, List.of());
    }

    public VmConfig withCpus(int n) {
        return new VmConfig(memBytes, n, kernel, initrd, cmdline, disk, diskReadOnly, tap, consoleLog, consoleToTerminal, cpuidMasks);
    }

    public VmConfig withCmdline(String c) {
        return new VmConfig(memBytes, cpus, kernel, initrd, c, disk, diskReadOnly, tap, consoleLog, consoleToTerminal, cpuidMasks);
    }

    public VmConfig withInitrd(Path p) {
        return new VmConfig(memBytes, cpus, kernel, Optional.ofNullable(p), cmdline, disk, diskReadOnly, tap, consoleLog, consoleToTerminal, cpuidMasks);
    }

    public VmConfig withDisk(Path p, boolean readOnly) {
        return new VmConfig(memBytes, cpus, kernel, initrd, cmdline, Optional.ofNullable(p), readOnly, tap, consoleLog, consoleToTerminal, cpuidMasks);
    }

    public VmConfig withTap(String name) {
        return new VmConfig(memBytes, cpus, kernel, initrd, cmdline, disk, diskReadOnly, Optional.ofNullable(name), consoleLog, consoleToTerminal, cpuidMasks);
    }

    public VmConfig withConsole(Path log, boolean toTerminal) {
        return new VmConfig(memBytes, cpus, kernel, initrd, cmdline, disk, diskReadOnly, tap, Optional.ofNullable(log), toTerminal, cpuidMasks);
    }

    public VmConfig withCpuidMasks(List<Cpuid.Mask> masks) {
        return new VmConfig(memBytes, cpus, kernel, initrd, cmdline, disk, diskReadOnly, tap, consoleLog, consoleToTerminal, masks);
    }
}
