package dev.jettison.core.microsleep;

import static org.junit.jupiter.api.Assertions.*;

import dev.jettison.core.energy.PowerProfile;
import org.junit.jupiter.api.Test;

class MicrosleepPolicyTest {

    @Test
    void fixedPolicySleepsOnceTheWaitPassesWithoutRequests() {
        MicrosleepPolicy p = MicrosleepPolicy.paperDefault();
        assertFalse(p.shouldSleep(0));
        p.onRequest(1_000);
        assertFalse(p.shouldSleep(6_999));
        assertTrue(p.shouldSleep(7_000));
        p.onRequest(6_500);
        assertFalse(p.shouldSleep(7_000));
        assertEquals(12_500, p.sleepAtMillis());
    }

    @Test
    void requestsMayNotGoBackInTime() {
        MicrosleepPolicy p = MicrosleepPolicy.fixed(6);
        p.onRequest(10);
        assertThrows(IllegalArgumentException.class, () -> p.onRequest(5));
    }

    @Test
    void adaptivePolicyLearnsTheWaitThatOutlastsClusters() {
        // Clusters of faults 3 s apart, clusters 120 s apart: the best wait just outlasts 3 s.
        var p = new AdaptiveWaitPolicy(PowerProfile.TABLE_1, 50, 10);
        assertEquals(6_000, p.waitMillis(), "starts from the paper's 6 s");
        long t = 0;
        for (int cluster = 0; cluster < 40; cluster++) {
            for (int i = 0; i < 5; i++) {
                p.onRequest(t);
                t += 3_000;
            }
            t += 120_000;
        }
        assertEquals(3_100, p.waitMillis());
        assertEquals(199, p.observedInterArrivals());
    }

    @Test
    void adaptivePolicyKeepsThePaperWaitUntilItHasEnoughSamples() {
        var p = new AdaptiveWaitPolicy(PowerProfile.TABLE_1);
        for (int i = 0; i < 100; i++) p.onRequest(i * 200_000L);
        assertEquals(6_000, p.waitMillis());
    }

    @Test
    void adaptivePolicyStartsFromTheGivenWaitAndStillLearns() {
        var p = new AdaptiveWaitPolicy(PowerProfile.TABLE_1, 50, 50, 10);
        assertEquals(50, p.waitMillis(), "starts from the configured wait, not the paper's 6 s");
        p.onRequest(1_000);
        assertEquals(1_050, p.sleepAtMillis());
        long t = 1_000;
        for (int cluster = 0; cluster < 40; cluster++) {
            for (int i = 0; i < 5; i++) {
                t += 3_000;
                p.onRequest(t);
            }
            t += 120_000;
        }
        assertEquals(3_100, p.waitMillis(), "the same clusters as above teach the same t_w");
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveWaitPolicy(PowerProfile.TABLE_1, -1, 50, 10));
    }
}
