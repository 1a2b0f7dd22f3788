package dev.jettison.agent.emu;

import dev.jettison.vmm.emu.EmulatedKvmHost;
import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.kvm.Kvm;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** This module's "kvm" tests, run inside the emulated KVM host where this machine has no /dev/kvm. */
class AgentKvmTestsUnderEmulationTest {
    private static final int EXPECTED_KVM_TESTS = 1;

    @Test
    void kvmTaggedTestsPassInsideTheEmulatedHost() throws Exception {
        assumeTrue(Kvm.unavailableReason().isPresent(), "KVM is available here: the kvm-tagged tests ran natively");
        Path home = TestGuest.home().orElseThrow();
        var reason = EmulatedKvmHost.unavailableReason(home);
        assumeTrue(reason.isEmpty(), () -> "no KVM here and no emulated KVM host: " + reason.orElse(""));
        TestGuest.ensureBuilt();
        var result = EmulatedKvmHost.runTaggedTests(home, home.resolve("agent/target"), "kvm", Duration.ofMinutes(25));
        String out = result.output();
        System.out.println(out);
        assertEquals(0, result.exitCode(), out);
        assertEquals(0, result.count("tests failed"), out);
        assertEquals(0, result.count("tests skipped"), "inside the emulated host nothing may skip:\n" + out);
        assertTrue(result.count("tests successful") >= EXPECTED_KVM_TESTS, out);
    }
}
