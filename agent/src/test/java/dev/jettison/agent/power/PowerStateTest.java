package dev.jettison.agent.power;

import dev.jettison.core.energy.PowerProfile;
import org.junit.jupiter.api.Test;

import static dev.jettison.agent.power.PowerState.*;
import static org.junit.jupiter.api.Assertions.*;

class PowerStateTest {

    @Test
    void aMicrosleepIsTheFourStateCycleAndAnAbortedSuspendMayShortCutIt() {
        assertEquals(SUSPENDING, AWAKE.checkTransition(SUSPENDING));
        assertEquals(ASLEEP, SUSPENDING.checkTransition(ASLEEP));
        assertEquals(RESUMING, ASLEEP.checkTransition(RESUMING));
        assertEquals(AWAKE, RESUMING.checkTransition(AWAKE));
        assertEquals(RESUMING, SUSPENDING.checkTransition(RESUMING), "an aborted suspend resumes without reaching S3");
    }

    @Test
    void everyOtherTransitionIsRefusedNamingBothStates() {
        int illegal = 0;
        for (PowerState from : values()) {
            for (PowerState to : values()) {
                if (from.canGoTo(to)) continue;
                illegal++;
                var e = assertThrows(IllegalStateException.class, () -> from.checkTransition(to));
                assertTrue(e.getMessage().contains(from + " -> " + to), e.getMessage());
            }
        }
        assertEquals(16 - 5, illegal);
        var e = assertThrows(IllegalStateException.class, () -> AWAKE.checkTransition(ASLEEP));
        assertEquals("illegal power state transition AWAKE -> ASLEEP: from AWAKE a desktop can only go to SUSPENDING",
                e.getMessage());
        var e2 = assertThrows(IllegalStateException.class, () -> SUSPENDING.checkTransition(AWAKE));
        assertTrue(e2.getMessage().endsWith("only go to ASLEEP or RESUMING"), e2.getMessage());
    }

    @Test
    void eachStateDrawsItsTable1Power() {
        var p = PowerProfile.TABLE_1;
        assertEquals(61.40, AWAKE.watts(p));
        assertEquals(107.90, SUSPENDING.watts(p));
        assertEquals(1.95, ASLEEP.watts(p));
        assertEquals(121.72, RESUMING.watts(p));
    }
}
