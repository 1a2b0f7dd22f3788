package dev.jettison.migration.partial;

import dev.jettison.vmm.kvm.Kvm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The preconditions of the tests here that run a guest end to end: KVM, and root for userfaultfd. */
final class KvmGuests {
    private KvmGuests() {}

    /** Skips the calling test with the reason (KvmTestsUnderEmulation runs it where KVM is missing). */
    static void require() {
        var reason = Kvm.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "needs KVM: " + reason.orElse(""));
        assumeTrue("root".equals(System.getProperty("user.name")), "userfaultfd needs root here");
    }
}
