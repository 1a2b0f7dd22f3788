package dev.jettison.vmm.guest;

import dev.jettison.vmm.kvm.Kvm;
import dev.jettison.vmm.kvm.KvmHostKind;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared preconditions of the tests that boot real guests. */
final class KvmGuests {
    private KvmGuests() {}

    /** Skips the calling test, with the reason, where this host cannot run KVM guests. */
    static void requireKvm() {
        var reason = Kvm.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "needs KVM: " + reason.orElse(""));
    }

    /**
     * Skips the calling test where /dev/kvm is PVM, which cannot run a full guest kernel; there
     * KvmTestsUnderEmulationTest runs the tests tagged "stock-kernel" in the emulated KVM host instead.
     */
    static void requireStockKernelHost() {
        requireKvm();
        assumeTrue(KvmHostKind.detect().runsStockKernels(),
                "/dev/kvm is PVM here (guest kernel mode emulated): this test runs in the emulated KVM host instead");
    }

    static void requireRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (tap devices, network namespaces)");
    }

    static Path testGuest() throws IOException {
        return TestGuest.bzImage();
    }
}
