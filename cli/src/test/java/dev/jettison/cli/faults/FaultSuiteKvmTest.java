package dev.jettison.cli.faults;

import dev.jettison.vmm.guest.TestGuest;
import dev.jettison.vmm.kvm.Kvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A short real slice of {@code jettison bench faults}: the real daemons in namespaces of their
 * own, the network blackholed while the VM runs on the server, then the server SIGKILLed there.
 * Both must end with the VM on one side and no bad byte, in the guest and in the disk image.
 */
@Tag("kvm")
class FaultSuiteKvmTest {
    @Test
    void aNetCutAndAServerKillWhileRemoteLoseNothing(@TempDir Path out) throws Exception {
        var noKvm = Kvm.unavailableReason();
        assumeTrue(noKvm.isEmpty(), () -> "needs KVM: " + noKvm.orElse(""));
        assumeTrue("root".equals(System.getProperty("user.name")), "namespaces and userfaultfd need root");
        Path home = TestGuest.home().orElseThrow();
        // The daemons run as `jettison` processes: on cli's classes, whatever launched this test.
        Path target = home.resolve("cli/target");
        System.setProperty("jettison.classpath", target.resolve("classes") + ":" + Files.readString(target.resolve("test-classpath.txt")).strip());
        int code = new CommandLine(new FaultsCommand()).execute("--kinds", "net-cut,server-kill", "--phases", "remote", "--runs", "1",
                "--seed", "8", "--max-outage-seconds", "6", "--out", out.toString());
        String md = Files.exists(out.resolve("faults.md")) ? Files.readString(out.resolve("faults.md")) : "(no report)";
        assertEquals(0, code, md);
        List<String> csv = Files.readAllLines(out.resolve("faults.csv"));
        assertEquals(List.of("net-cut,remote,1,1,0,0,", "server-kill,remote,1,1,0,0,"),
                csv.subList(1, csv.size()).stream().map(l -> l.replaceAll("[0-9.]+,0,$", "")).toList(), md);
        assertFalse(Files.readString(out.resolve("runs.csv")).contains("FAILED"), md);
    }
}
