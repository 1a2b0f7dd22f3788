package dev.jettison.agent.power;

import dev.jettison.agent.wol.MacAddress;
import dev.jettison.agent.wol.WakeOnLanSender;
import dev.jettison.core.energy.PowerProfile;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** S3 emulation with real magic packets on loopback; durations are asserted as lower bounds only. */
class EmulatedSleepTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:aa:bb:01");
    static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static void sendMagic(MacAddress mac, int port) throws Exception {
        try (var s = new WakeOnLanSender(mac, new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            s.wake();
        }
    }

    /** awaitWake on its own virtual thread, not the common pool: it blocks. */
    static CompletableFuture<WakeSource> awaitWakeAsync(SleepBackend sleep) {
        var f = new CompletableFuture<WakeSource>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(sleep.awaitWake());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Test
    void transitionsTakeTheScaledTable1Durations() throws Exception {
        try (var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 100, MAC, ANY_LOOPBACK_PORT)) {
            assertEquals("emulation", sleep.name());
            assertEquals(Duration.ofNanos(83_800_000), sleep.suspendTime(), "8.38 s / 100 (Table 1)");
            assertEquals(Duration.ofNanos(85_800_000), sleep.resumeTime(), "8.58 s / 100 (Table 1)");
            long t0 = System.nanoTime();
            sleep.enterSleep();
            long entered = System.nanoTime() - t0;
            sendMagic(MAC, sleep.wolPort());
            assertEquals(WakeSource.MAGIC_PACKET, sleep.awaitWake());
            long t1 = System.nanoTime();
            sleep.leaveSleep();
            long left = System.nanoTime() - t1;
            assertTrue(entered >= 83_800_000, "suspend took " + entered + " ns");
            assertTrue(left >= 85_800_000, "resume took " + left + " ns");
        }
    }

    @Test
    void onlyAMagicPacketForThisMacWakesIt() throws Exception {
        try (var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 1000, MAC, ANY_LOOPBACK_PORT)) {
            sleep.enterSleep();
            var woken = awaitWakeAsync(sleep);
            sendMagic(MacAddress.parse("52:54:00:aa:bb:02"), sleep.wolPort());
            assertThrows(TimeoutException.class, () -> woken.get(400, TimeUnit.MILLISECONDS),
                    "another desktop's magic packet must not wake this one");
            sendMagic(MAC, sleep.wolPort());
            assertEquals(WakeSource.MAGIC_PACKET, woken.get(10, TimeUnit.SECONDS));
            assertEquals(1, sleep.magicPacketsReceived());
        }
    }

    @Test
    void aPacketWhileAwakeDoesNothingAndALocalWakeSaysSo() throws Exception {
        try (var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 1000, MAC, ANY_LOOPBACK_PORT)) {
            sendMagic(MAC, sleep.wolPort());
            while (sleep.magicPacketsReceived() < 1) Thread.sleep(10); // it reached the NIC, while awake
            sleep.wakeLocally(); // the user is at an awake desktop: nothing to do either
            sleep.enterSleep();
            var woken = awaitWakeAsync(sleep);
            assertThrows(TimeoutException.class, () -> woken.get(400, TimeUnit.MILLISECONDS),
                    "neither wake before the sleep carries over into it");
            sleep.wakeLocally();
            assertEquals(WakeSource.LOCAL, woken.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPacketThatComesWhileSuspendingWakesItOnceAsleep() throws Exception {
        // 8.38 s / 4 = 2.1 s of suspend; packets are sent only in its first second.
        try (var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 4, MAC, ANY_LOOPBACK_PORT)) {
            var stop = new AtomicBoolean();
            long t0 = System.nanoTime();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                    while (!stop.get() && System.nanoTime() - t0 < 1_000_000_000L) {
                        sendMagic(MAC, sleep.wolPort());
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sleep.enterSleep();
            stop.set(true);
            sender.join();
            assertTrue(sleep.magicPacketsReceived() >= 1);
            var woken = awaitWakeAsync(sleep);
            assertEquals(WakeSource.MAGIC_PACKET, woken.get(10, TimeUnit.SECONDS),
                    "the wake event latched during the suspend ends the sleep");
        }
    }

    @Test
    void aNonsenseTimeScaleIsRefused() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new EmulatedSleep(PowerProfile.TABLE_1, bad, MAC, ANY_LOOPBACK_PORT));
            assertTrue(e.getMessage().contains("time scale"), e.getMessage());
        }
    }

    @Test
    void theDesktopClockRunsTimeScaleTimesFaster() throws Exception {
        try (var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 100, MAC, ANY_LOOPBACK_PORT)) {
            var clock = sleep.desktopClock();
            long r0 = System.nanoTime(), d0 = clock.getAsLong();
            Thread.sleep(50);
            long d1 = clock.getAsLong(), r1 = System.nanoTime();
            assertTrue(d1 - d0 >= 100 * 50_000_000L, "50 ms of real time is at least 5 s on the desktop");
            assertTrue(d1 - d0 <= 100 * (r1 - r0) + 100, "and no more than 100 times the real time that passed");
        }
    }
}
