package dev.jettison.core.energy;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EnergyModelTest {

    @Test
    void breakEvenFromTable1Is32_22Seconds() {
        assertEquals(32.22, new EnergyModel(PowerProfile.TABLE_1).breakEvenSeconds(), 0.005);
    }

    @Test
    void atBreakEvenSleepingCostsExactlyAsMuchAsStayingIdle() {
        EnergyModel m = new EnergyModel(PowerProfile.TABLE_1);
        PowerProfile p = m.profile();
        double tb = m.breakEvenSeconds();
        double sleep = tb - p.suspendSeconds() - p.resumeSeconds();
        double microsleep = p.suspendWatts() * p.suspendSeconds() + p.resumeWatts() * p.resumeSeconds() + p.sleepWatts() * sleep;
        assertEquals(m.idleJoules(tb), microsleep, 1e-6);
    }

    @Test
    void fasterTransitionsBreakEvenSooner() {
        double fast = new EnergyModel(PowerProfile.FAST_2S).breakEvenSeconds();
        assertTrue(fast < 10 && fast > 4, "2 s transitions give t_b of a few seconds, got " + fast);
    }

    @Test
    void equationTwoAddsItsTerms() {
        EnergyModel m = new EnergyModel(PowerProfile.TABLE_1);
        double e = m.microsleepJoules(10, 100, 2);
        assertEquals(61.40 * 10 + 2 * (107.90 * 8.38 + 121.72 * 8.58) + 1.95 * 100, e, 1e-9);
    }

    @Test
    void profileRefusesSleepThatCostsMoreThanIdle() {
        assertThrows(IllegalArgumentException.class, () -> new PowerProfile("x", 1, 1, 1, 1, 1.0, 2.0, 1));
    }
}
