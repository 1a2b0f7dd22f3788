package dev.jettison.cli.energy;

import dev.jettison.agent.power.EnergyMeter;
import dev.jettison.agent.power.PowerState;
import dev.jettison.agent.power.WakeSource;
import dev.jettison.core.energy.PowerProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PowerPlotTest {
    @Test
    void aMicrosleepingDesktopsCurveIsDrawnAsAPng(@TempDir Path dir) throws Exception {
        var now = new AtomicLong();
        var meter = new EnergyMeter(PowerProfile.TABLE_1, now::get);
        long s = 1_000_000_000L;
        for (int i = 0; i < 3; i++) {
            now.addAndGet(10 * s);
            meter.transition(PowerState.SUSPENDING);
            now.addAndGet(8 * s);
            meter.transition(PowerState.ASLEEP);
            now.addAndGet(60 * s);
            meter.wokeBy(WakeSource.MAGIC_PACKET);
            now.addAndGet(9 * s);
            meter.transition(PowerState.AWAKE);
        }
        var report = meter.report();
        Path png = dir.resolve("power.png");
        PowerPlot.write(report, PowerProfile.TABLE1_IDLE_W, "test", png);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, head);
        assertTrue(Files.size(png) > 10_000, "a real chart, not an empty image: " + Files.size(png) + " bytes");
        // By hand, per 87 s cycle: 10 s idle, 8 s suspending, 60 s asleep, 9 s resuming (Table 1 watts).
        double cycle = 10 * 61.40 + 8 * 107.90 + 60 * 1.95 + 9 * 121.72;
        assertEquals(100 * (1 - cycle / (87 * 61.40)), report.savingPercent(), 1e-9);
    }
}
