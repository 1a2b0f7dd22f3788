package dev.jettison.cli.faults;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultOptionsTest {
    private static FaultSettings parse(boolean stateDir, String... args) {
        var cmd = new FaultsCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.options.settings(stateDir);
    }

    @Test
    void defaultsAreEveryKindAndPhaseThreeRunsEach() {
        var s = parse(true);
        assertEquals(List.of("server-kill", "server-hang", "net-cut", "desktop-kill"), s.kinds().stream().map(FaultKind::name).toList());
        assertEquals(List.of(Phase.values()), s.phases());
        assertEquals(3, s.runs());
        assertEquals(4 * 3 * 3, s.plans().size());
    }

    @Test
    void badInputIsNamed() {
        var kind = assertThrows(IllegalArgumentException.class, () -> parse(true, "--kinds", "net-cut,disk-fire"));
        assertTrue(kind.getMessage().contains("disk-fire"), kind.getMessage());
        var phase = assertThrows(IllegalArgumentException.class, () -> parse(true, "--phases", "lunch"));
        assertTrue(phase.getMessage().contains("lunch"), phase.getMessage());
        var runs = assertThrows(IllegalArgumentException.class, () -> parse(true, "--runs", "0"));
        assertTrue(runs.getMessage().contains("--runs") && runs.getMessage().contains("0"), runs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse(true, "--min-outage-seconds", "5", "--max-outage-seconds", "1"));
        assertThrows(IllegalArgumentException.class, () -> parse(true, "--settle-timeout-seconds", "0"));
    }

    /** Without --state-dir on the desktop, desktop-kill is planned but says why it cannot run. */
    @Test
    void desktopKillSaysItIsNotYetSupportedWithoutADurableResidue() {
        var s = parse(false, "--kinds", "desktop-kill,net-cut");
        assertTrue(s.kinds().getFirst().unsupportedReason().startsWith("not yet supported"));
        assertNull(s.kinds().get(1).unsupportedReason());
        assertNull(parse(true, "--kinds", "desktop-kill").kinds().getFirst().unsupportedReason());
    }

    /** The parent hands its choices to the runner inside the namespace as arguments: nothing may change on the way. */
    @Test
    void settingsSurviveTheTripAsArguments() {
        var s = parse(true, "--kinds", "net-cut,server-kill", "--phases", "remote", "--runs", "5", "--seed", "99",
                "--min-outage-seconds", "1.25", "--max-outage-seconds", "7", "--settle-timeout-seconds", "90", "--out", "/tmp/x");
        var again = parse(true, s.args().toArray(String[]::new));
        assertEquals(s, again);
        assertEquals(Duration.ofMillis(1250), again.minOutage());
        assertEquals(Path.of("/tmp/x"), again.out());
        var inside = new ArrayList<>(List.of("--desktop-ns", "a", "--server-ns", "b", "--desktop-if", "c", "--server-if", "d",
                "--desktop-ip", "10.207.1.1", "--server-ip", "10.207.1.2", "--blackhole", "pfifo"));
        inside.addAll(s.args());
        var runner = new FaultsInsideCommand();
        new CommandLine(runner).parseArgs(inside.toArray(String[]::new));
        assertEquals(s, runner.options.settings(true));
    }
}
