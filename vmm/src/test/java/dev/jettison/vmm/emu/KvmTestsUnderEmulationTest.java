package dev.jettison.vmm.emu;

import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.kvm.Kvm;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where this machine has no /dev/kvm, runs this module's tests tagged "kvm" inside the emulated
 * KVM host, so that they still run (for real, against a real KVM) instead of all skipping. Where
 * /dev/kvm exists they run natively in the normal test run and this test skips.
 */
class KvmTestsUnderEmulationTest {
    /** Tests tagged "kvm" in this module; the emulated run must pass every one of them. */
    private static final int EXPECTED_KVM_TESTS = 8;

    @Test
    void kvmTaggedTestsPassInsideTheEmulatedHost() throws Exception {
        assumeTrue(Kvm.unavailableReason().isPresent(), "KVM is available here: the kvm-tagged tests ran natively");
        Path home = TestGuest.home().orElseThrow();
        var reason = EmulatedKvmHost.unavailableReason(home);
        assumeTrue(reason.isEmpty(), () -> "no KVM here and no emulated KVM host: " + reason.orElse(""));
        TestGuest.ensureBuilt(); // build the guest here, not 30x slower inside

        var result = EmulatedKvmHost.runTaggedTests(home, home.resolve("vmm/target"), "kvm", Duration.ofMinutes(25));
        String out = result.output();
        System.out.println(out); // kept in the surefire report: which KVM tests ran and how long they took
        assertEquals(0, result.exitCode(), out);
        assertEquals(0, result.count("tests failed"), out);
        assertEquals(0, result.count("tests skipped"), "inside the emulated host nothing may skip:\n" + out);
        assertTrue(result.count("tests successful") >= EXPECTED_KVM_TESTS, out);
    }
}
