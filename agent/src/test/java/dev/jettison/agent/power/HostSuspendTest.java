package dev.jettison.agent.power;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Only the precondition checks: nothing here ever writes a real /sys/power/state. */
class HostSuspendTest {
    @TempDir
    Path dir;

    private Path stateFile(String content) throws Exception {
        Path p = dir.resolve("state");
        Files.writeString(p, content);
        return p;
    }

    @Test
    void aRootHostThatListsMemCanSuspend() throws Exception {
        Path state = stateFile("freeze mem disk\n");
        assertEquals(List.of(), HostSuspend.problems(state, 0, null, null));
        var host = HostSuspend.open(state, 0, null, null);
        assertEquals("host S3", host.name());
        assertEquals("freeze mem disk\n", Files.readString(state), "opening checks, it never writes");
    }

    @Test
    void notRootIsNamedWithTheUid() throws Exception {
        var e = assertThrows(SleepUnavailableException.class, () -> HostSuspend.open(stateFile("mem"), 1000, null, null));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("not root (effective uid 1000)"), e.getMessage());
        var unknown = HostSuspend.problems(stateFile("mem"), -1, null, null);
        assertTrue(unknown.getFirst().contains("cannot tell our user id"), unknown.toString());
    }

    @Test
    void anAbsentStateFileIsNamed() {
        Path missing = dir.resolve("no-such-state");
        var e = assertThrows(SleepUnavailableException.class, () -> HostSuspend.open(missing, 0, null, null));
        assertTrue(e.getMessage().contains(missing + " is absent"), e.getMessage());
    }

    @Test
    void aHostWithoutMemSaysWhichStatesItHas() throws Exception {
        var e = assertThrows(SleepUnavailableException.class, () -> HostSuspend.open(stateFile("freeze disk\n"), 0, null, null));
        assertTrue(e.getMessage().contains("lists [freeze disk] but not 'mem'"), e.getMessage());
    }

    @Test
    void everyProblemIsListedAtOnce() throws Exception {
        var e = assertThrows(SleepUnavailableException.class,
                () -> HostSuspend.open(stateFile("freeze"), 1000, Duration.ofMillis(300), null));
        assertEquals(4, e.problems().size(), e.problems().toString());
        assertTrue(e.getMessage().contains("not root"), e.getMessage());
        assertTrue(e.getMessage().contains("not 'mem'"), e.getMessage());
        assertTrue(e.getMessage().contains("1 s resolution"), e.getMessage());
        assertTrue(e.getMessage().contains("needs rtcwake"), e.getMessage());
    }

    @Test
    void aWakeTimerNeedsAnExecutableRtcwake() throws Exception {
        Path notExecutable = dir.resolve("rtcwake");
        Files.writeString(notExecutable, "#!/bin/sh\n");
        var problems = HostSuspend.problems(stateFile("mem"), 0, Duration.ofSeconds(30), notExecutable);
        assertEquals(List.of(notExecutable + " is not an executable rtcwake"), problems);
        assertTrue(notExecutable.toFile().setExecutable(true));
        assertEquals(List.of(), HostSuspend.problems(stateFile("mem"), 0, Duration.ofSeconds(30), notExecutable));
    }

    @Test
    void theEffectiveUidIsTheSecondFieldOfProcStatusUid() throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n");
        assertEquals(0, HostSuspend.effectiveUid(status));
        assertEquals(-1, HostSuspend.effectiveUid(dir.resolve("absent")));
        Files.writeString(status, "Uid:\tgarbage\n");
        assertEquals(-1, HostSuspend.effectiveUid(status));
    }
}
