package dev.jettison.agent.power;

import dev.jettison.core.energy.PowerProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jettison.agent.power.EmulatedSleepTest.ANY_LOOPBACK_PORT;
import static dev.jettison.agent.power.EmulatedSleepTest.MAC;
import static dev.jettison.agent.power.EmulatedSleepTest.sendMagic;
import static dev.jettison.agent.power.PowerState.*;
import static org.junit.jupiter.api.Assertions.*;

/** The manager over S3 emulation at 1/100 of Table 1's transition times, woken by real magic packets on loopback. */
class PowerManagerTest {
    static final Duration PATIENCE = Duration.ofSeconds(20); // a hang guard, not a performance bound

    @Test
    void aMicrosleepRunsTheWholeCycleAndIsMetered() throws Exception {
        var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 100, MAC, ANY_LOOPBACK_PORT);
        try (var power = new PowerManager(sleep, new EnergyMeter(PowerProfile.TABLE_1))) {
            List<String> seen = new CopyOnWriteArrayList<>();
            power.addListener((from, to) -> seen.add(from + "->" + to));
            assertEquals(AWAKE, power.state());
            assertTrue(power.sleep());
            assertNotEquals(AWAKE, power.state(), "sleep() leaves the desktop on its way down");
            assertFalse(power.sleep(), "one microsleep at a time");
            assertTrue(power.awaitState(ASLEEP, PATIENCE));
            assertEquals(-1, power.awakeSinceNanos());
            sendMagic(MAC, sleep.wolPort());
            assertTrue(power.awaitState(AWAKE, PATIENCE));
            assertTrue(power.awakeSinceNanos() > 0);
            // The last listener call may still be on its way from the cycle thread.
            for (int i = 0; i < 2000 && seen.size() < 4; i++) Thread.sleep(5);
            assertEquals(List.of("AWAKE->SUSPENDING", "SUSPENDING->ASLEEP", "ASLEEP->RESUMING", "RESUMING->AWAKE"), seen);

            EnergyReport r = power.report();
            assertEquals(1, r.microsleeps());
            assertEquals(1, r.wakeups(WakeSource.MAGIC_PACKET));
            assertTrue(r.timeIn(SUSPENDING).compareTo(sleep.suspendTime()) >= 0, r.timeIn(SUSPENDING).toString());
            assertTrue(r.timeIn(RESUMING).compareTo(sleep.resumeTime()) >= 0, r.timeIn(RESUMING).toString());
            Duration sum = Duration.ZERO;
            for (PowerState s : values()) sum = sum.plus(r.timeIn(s));
            assertEquals(r.wall(), sum);
        }
    }

    @Test
    void aLocalWakeDuringTheSuspendEndsTheSleepAsSoonAsItBegins() throws Exception {
        var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 20, MAC, ANY_LOOPBACK_PORT); // 419 ms of suspend
        try (var power = new PowerManager(sleep, new EnergyMeter(PowerProfile.TABLE_1))) {
            assertTrue(power.sleep());
            power.wakeLocally(); // still SUSPENDING: the user is back before the desktop even reached S3
            assertTrue(power.awaitState(AWAKE, PATIENCE));
            EnergyReport r = power.report();
            assertEquals(1, r.wakeups(WakeSource.LOCAL));
            assertEquals(0, r.wakeups(WakeSource.MAGIC_PACKET));
            assertEquals(1, r.microsleeps());
        }
    }

    @Test
    void closeWakesASleepingDesktop() throws Exception {
        var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 100, MAC, ANY_LOOPBACK_PORT);
        var power = new PowerManager(sleep, new EnergyMeter(PowerProfile.TABLE_1));
        assertTrue(power.sleep());
        assertTrue(power.awaitState(ASLEEP, PATIENCE));
        power.close();
        assertEquals(AWAKE, power.state());
        assertEquals(1, power.report().wakeups(WakeSource.LOCAL));
        var e = assertThrows(IllegalStateException.class, power::sleep);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void anAbortedSuspendResumesWithoutAMicrosleep() throws Exception {
        var failing = new SleepBackend() {
            @Override public String name() { return "refusing"; }
            @Override public void enterSleep() throws IOException { throw new IOException("EBUSY"); }
            @Override public WakeSource awaitWake() { throw new AssertionError("never asleep"); }
            @Override public void leaveSleep() { }
            @Override public void wakeLocally() { }
            @Override public void close() { }
        };
        try (var power = new PowerManager(failing, new EnergyMeter(PowerProfile.TABLE_1))) {
            assertTrue(power.sleep());
            assertTrue(power.awaitState(AWAKE, PATIENCE));
            EnergyReport r = power.report();
            assertEquals(1, r.abortedSuspends());
            assertEquals(0, r.microsleeps());
            assertEquals(0, r.totalWakeups());
            assertTrue(power.sleep(), "and the desktop may try again");
            assertTrue(power.awaitState(AWAKE, PATIENCE));
        }
    }
}
