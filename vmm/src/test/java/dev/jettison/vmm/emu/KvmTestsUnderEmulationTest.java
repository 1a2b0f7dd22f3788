package dev.jettison.vmm.emu;

import dev.jettison.vmm.emu.EmulatedKvmHost;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where this machine has no /dev/kvm, runs this module's tests tagged "kvm" inside the emulated
 * KVM host, so that they still run (for real, against a real KVM) instead of all skipping; where
 * /dev/kvm is PVM, runs there those tagged "stock-kernel". Under hardware virtualization they all
 * run natively in the normal test run and this test skips.
 */
class KvmTestsUnderEmulationTest {
    /** Tests tagged "kvm" in this module; the emulated run must pass every one of them. */
    private static final int EXPECTED_KVM_TESTS = 12;
    /** Of those, tagged "stock-kernel": run here also where /dev/kvm is PVM, which cannot boot them. */
    private static final int EXPECTED_STOCK_KERNEL_TESTS = 5;

    @Test
    void kvmTaggedTestsPassInsideTheEmulatedHost() throws Exception {
        var outcome = EmulatedKvmHost.runModuleKvmTests("vmm", EXPECTED_KVM_TESTS, EXPECTED_STOCK_KERNEL_TESTS, Duration.ofMinutes(35));
        switch (outcome) {
            case EmulatedKvmHost.Outcome.Skipped s -> assumeTrue(false, s.reason());
            case EmulatedKvmHost.Outcome.Passed p -> System.out.println(p.output()); // kept in the surefire report
            case EmulatedKvmHost.Outcome.Failed f -> fail(f.why() + "\n" + f.output());
        }
    }
}
