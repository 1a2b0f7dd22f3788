package dev.jettison.agent.microsleep;

import dev.jettison.agent.power.EmulatedSleep;
import dev.jettison.agent.power.EnergyMeter;
import dev.jettison.agent.power.PowerManager;
import dev.jettison.agent.power.PowerState;
import dev.jettison.agent.power.WakeSource;
import dev.jettison.agent.wol.MacAddress;
import dev.jettison.agent.wol.WakeOnLanSender;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.microsleep.MicrosleepPolicy;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The controller driving a real power manager over S3 emulation at 1/100 of Table 1's transition times. */
class MicrosleepControllerTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:aa:bb:03");
    static final Duration PATIENCE = Duration.ofSeconds(20); // a hang guard, not a performance bound

    private static PowerManager emulatedDesktop() throws Exception {
        var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 100, MAC, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new PowerManager(sleep, new EnergyMeter(PowerProfile.TABLE_1));
    }

    @Test
    void withNoRequestsTheDesktopSleepsAfterTw() throws Exception {
        try (var power = emulatedDesktop()) {
            var suspendedAt = new AtomicLong();
            power.addListener((from, to) -> {
                if (to == PowerState.SUSPENDING) suspendedAt.compareAndSet(0, System.nanoTime());
            });
            var controller = new MicrosleepController(power, MicrosleepPolicy.fixed(0.050));
            assertEquals(50, controller.waitMillis());
            long started = System.nanoTime();
            controller.start();
            assertTrue(power.awaitState(PowerState.ASLEEP, PATIENCE), "no request for t_w: the desktop sleeps");
            assertTrue(suspendedAt.get() - started >= 50_000_000L, "not before t_w had passed");
            assertEquals(1, controller.sleepsStarted());
            controller.stop();
        }
    }

    @Test
    void aRequestRestartsTheWait() throws Exception {
        try (var power = emulatedDesktop()) {
            var suspendedAt = new AtomicLong();
            power.addListener((from, to) -> {
                if (to == PowerState.SUSPENDING) suspendedAt.compareAndSet(0, System.nanoTime());
            });
            long tw = 1000;
            var controller = new MicrosleepController(power, MicrosleepPolicy.fixed(tw / 1000.0));
            controller.start();
            // 15 requests 100 ms apart: 1.5 s of activity, longer than t_w, and yet no sleep until t_w after the last.
            long lastRequest = 0;
            for (int i = 0; i < 15; i++) {
                lastRequest = System.nanoTime();
                admit(power);
                Thread.sleep(100);
            }
            assertTrue(power.awaitState(PowerState.ASLEEP, PATIENCE));
            assertTrue(suspendedAt.get() - lastRequest >= tw * 1_000_000L,
                    "slept " + (suspendedAt.get() - lastRequest) / 1_000_000 + " ms after the last request, t_w is " + tw + " ms");
            assertEquals(15, controller.requests());
            assertEquals(1, controller.sleepsStarted());
            controller.stop();
        }
    }

    @Test
    void stopWakesTheDesktopLocally() throws Exception {
        try (var power = emulatedDesktop()) {
            var controller = new MicrosleepController(power, MicrosleepPolicy.fixed(0.050));
            controller.start();
            assertTrue(power.awaitState(PowerState.ASLEEP, PATIENCE));
            controller.stop();
            assertEquals(PowerState.AWAKE, power.state(), "stop returns with the desktop awake");
            assertFalse(controller.running());
            var r = power.report();
            assertEquals(1, r.wakeups(WakeSource.LOCAL));
            assertEquals(0, r.wakeups(WakeSource.MAGIC_PACKET));
            Thread.sleep(200);
            assertEquals(PowerState.AWAKE, power.state(), "a stopped controller sleeps the desktop no more");
        }
    }

    @Test
    void theDesktopWokenByTheServerStaysUpForTheFaultsThatFollow() throws Exception {
        var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 100, MAC, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (var power = new PowerManager(sleep, new EnergyMeter(PowerProfile.TABLE_1));
             var wol = new WakeOnLanSender(MAC, new InetSocketAddress(InetAddress.getLoopbackAddress(), sleep.wolPort()))) {
            var awakeAt = new AtomicLong();
            var resuspendedAt = new AtomicLong();
            power.addListener((from, to) -> {
                if (to == PowerState.AWAKE) awakeAt.compareAndSet(0, System.nanoTime());
                if (to == PowerState.SUSPENDING && awakeAt.get() != 0) resuspendedAt.compareAndSet(0, System.nanoTime());
            });
            long tw = 300;
            var controller = new MicrosleepController(power, MicrosleepPolicy.fixed(tw / 1000.0));
            controller.start();
            assertTrue(power.awaitState(PowerState.ASLEEP, PATIENCE));
            var held = CompletableFuture.runAsync(() -> admitUnchecked(power), r -> Thread.ofVirtual().start(r));
            Thread.sleep(100);
            assertFalse(held.isDone(), "the request waits while the desktop sleeps");
            wol.wake();
            held.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            while (resuspendedAt.get() == 0) Thread.sleep(10);
            assertTrue(resuspendedAt.get() - awakeAt.get() >= tw * 1_000_000L, "the woken desktop waits t_w before sleeping again");
            assertEquals(2, controller.sleepsStarted());
            assertEquals(1, power.report().wakeups(WakeSource.MAGIC_PACKET));
            controller.stop();
        }
    }

    @Test
    void anAdaptiveControllerStartsFromTheGivenWait() throws Exception {
        try (var power = emulatedDesktop()) {
            var controller = MicrosleepController.adaptive(power, PowerProfile.TABLE_1, 6000);
            assertEquals(6000, controller.waitMillis(), "the paper's 6 s (§3.3) until it has learnt better");
            controller.start();
            var e = assertThrows(IllegalStateException.class, controller::start);
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
            admit(power);
            assertEquals(1, controller.requests());
            assertEquals(PowerState.AWAKE, power.state());
            controller.stop();
        }
    }

    /** A request passing the gate as memserv's would; fails rather than hangs if the desktop fell asleep meanwhile. */
    private static void admit(PowerManager power) throws Exception {
        var f = CompletableFuture.runAsync(() -> admitUnchecked(power), r -> Thread.ofVirtual().start(r));
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            power.close();
            fail("the desktop fell asleep during a burst of requests: the machine stalled for longer than t_w");
        }
    }

    private static void admitUnchecked(PowerManager power) {
        try {
            power.gate().admit();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
