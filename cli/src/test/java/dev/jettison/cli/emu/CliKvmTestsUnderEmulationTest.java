package dev.jettison.cli.emu;

import dev.jettison.vmm.emu.EmulatedKvmHost;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where this machine has no /dev/kvm, runs this module's tests tagged "kvm" (the fault suite's
 * real slice) inside the emulated KVM host instead of letting them skip; where /dev/kvm exists
 * they ran natively and this test skips.
 */
class CliKvmTestsUnderEmulationTest {
    /** Tests tagged "kvm" in this module; the emulated run must pass every one of them. */
    private static final int EXPECTED_KVM_TESTS = 2;

    @Test
    void kvmTaggedTestsPassInsideTheEmulatedHost() throws Exception {
        var outcome = EmulatedKvmHost.runModuleKvmTests("cli", EXPECTED_KVM_TESTS, 0, Duration.ofMinutes(25));
        switch (outcome) {
            case EmulatedKvmHost.Outcome.Skipped s -> assumeTrue(false, s.reason());
            case EmulatedKvmHost.Outcome.Passed p -> System.out.println(p.output()); // kept in the surefire report
            case EmulatedKvmHost.Outcome.Failed f -> fail(f.why() + "\n" + f.output());
        }
    }
}
