package dev.jettison.vmm.kvm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which KVM this host's /dev/kvm is. Under hardware virtualization (kvm_intel, kvm_amd) every
 * guest runs; under PVM (kvm_pvm, a paravirtual KVM for hosts that are guests themselves) guest
 * user mode runs natively but guest kernel mode is emulated instruction by instruction, and that
 * emulator lacks instructions Debian's stock kernel executes (cmpxchg16b, xrstor, int3), so only
 * guests shaped for it, like our test guest, run there (docs/machine.md).
 */
public enum KvmHostKind {
    /** VT-x or AMD-V: any guest, including Debian's stock kernel. */
    HARDWARE,
    /** kvm_pvm: only guests whose kernel mode keeps to plain instructions. */
    PVM;

    private static final Path MODULES = Path.of("/sys/module");

    /** The kind of the KVM loaded here; HARDWARE unless only kvm_pvm is loaded. */
    public static KvmHostKind detect() {
        return detect(MODULES);
    }

    static KvmHostKind detect(Path sysModule) {
        boolean hardware = Files.isDirectory(sysModule.resolve("kvm_intel")) || Files.isDirectory(sysModule.resolve("kvm_amd"));
        if (!hardware && Files.isDirectory(sysModule.resolve("kvm_pvm"))) return PVM;
        return HARDWARE;
    }

    /** True where Debian's stock kernel (and any guest with a full kernel) can run. */
    public boolean runsStockKernels() {
        return this == HARDWARE;
    }
}
