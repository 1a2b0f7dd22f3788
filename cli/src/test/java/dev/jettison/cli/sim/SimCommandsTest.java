package dev.jettison.cli.sim;

import dev.jettison.cli.Main;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.sim.analysis.SavingsCurve;
import dev.jettison.sim.fleet.ActivitySource;
import dev.jettison.sim.fleet.FleetConfig;
import dev.jettison.sim.fleet.FleetModel;
import dev.jettison.sim.fleet.FleetSimulator;
import dev.jettison.sim.gen.RemoteFaultGenerator;
import dev.jettison.sim.trace.ActivityDay;
import dev.jettison.sim.trace.ActivityTraceReader;
import dev.jettison.sim.trace.DayKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code jettison sim} subcommand through the real command line, on small inputs: its output
 * holds the figures the sim module computes for the same input, and bad input fails with a message
 * naming what was wrong and a non-zero exit.
 */
@Isolated("swaps System.out, which the sim commands print to")
class SimCommandsTest {
    /** The live pair recorded from the daemons (sim/src/test/resources/live/README.md), 30x time. */
    private static final Path LIVE = Path.of("..", "sim", "src", "test", "resources", "live");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new StringWriter();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    private Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r.err() + r.out());
        return r;
    }

    /** Fails with a non-zero exit and an error that contains every one of {@code named}. */
    private void fails(List<String> args, String... named) {
        Run r = run(args.toArray(String[]::new));
        assertNotEquals(0, r.exit(), () -> String.join(" ", args) + " should fail; printed " + r.out());
        for (String n : named) assertTrue(r.err().contains(n), () -> String.join(" ", args) + ": error should name '" + n + "': " + r.err());
    }

    private static String f(String fmt, Object... a) {
        return String.format(Locale.ROOT, fmt, a);
    }

    @Test
    void fleetPrintsWhatTheSimulatorComputesForTheSameOffice() {
        Run r = ok("sim", "fleet", "--model", "paper", "--desktops", "10", "--out", dir.toString());
        var sim = new FleetSimulator(ActivitySource.generated(1));
        var m = FleetModel.paper();
        var full = sim.run(FleetConfig.paper(10, DayKind.WEEKDAY, 1, m), m.full());
        var partial = sim.run(FleetConfig.paper(10, DayKind.WEEKDAY, 1, m), m.partial(null));
        assertTrue(r.out().contains("model paper, 10 desktops, 1 weekday day(s)"), r.out());
        assertTrue(r.out().contains(f("%10.1f", full.kWhSavedPerDay())) && r.out().contains(f("%10.1f", partial.kWhSavedPerDay())), r.out());
        assertTrue(r.out().contains(f("full @ 5 min: %.2f USD/desktop/year", full.usdPerDesktopYear())), r.out());
        assertTrue(r.out().contains(f("partial @ 5 min: %.2f USD/desktop/year", partial.usdPerDesktopYear())), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("fleet.csv")));
    }

    @Test
    void tracesWriteFilesThatFleetAndMicrosleepReadBack() throws IOException {
        ok("sim", "traces", "--desktops", "3", "--days", "7", "--vms", "1", "--consolidations", "2", "--minutes", "10", "--out", dir.toString());
        List<ActivityDay> days = new ArrayList<>();
        try (var reader = ActivityTraceReader.open(dir.resolve("activity.csv"))) {
            for (ActivityDay d; (d = reader.next()) != null; ) days.add(d);
        }
        assertEquals(21, days.size());
        assertEquals(6, days.stream().filter(d -> d.kind() == DayKind.WEEKEND).count());
        assertTrue(Files.isRegularFile(dir.resolve("faults-vm0-c1.csv")));

        Run fleet = ok("sim", "fleet", "--activity", dir.resolve("activity.csv").toString(), "--desktops", "3", "--scheme", "full",
                "--model", "paper", "--out", dir.toString());
        var fromFile = new FleetSimulator(ActivitySource.fromFile(dir.resolve("activity.csv")))
                .run(FleetConfig.paper(3, DayKind.WEEKDAY, 1, FleetModel.paper()), FleetModel.paper().full());
        assertTrue(fleet.out().contains(f("full @ 5 min: %.2f USD/desktop/year", fromFile.usdPerDesktopYear())), fleet.out());

        Run sleep = ok("sim", "microsleep", "--out", dir.toString(), dir.resolve("faults-vm0-c0.csv").toString(), dir.resolve("faults-vm0-c1.csv").toString());
        assertTrue(sleep.out().contains("t_b                32.22 s"), sleep.out());
        assertTrue(Files.isRegularFile(dir.resolve("fig4-energy-waste.png")));
    }

    @Test
    void microsleepSavingsAndPrefetchRunOnGeneratedTraces() {
        Run sleep = ok("sim", "microsleep", "--vms", "4", "--out", dir.toString());
        assertTrue(sleep.out().contains("t_b                32.22 s   (paper 32.22 s, §3.3)"), sleep.out());

        Run savings = ok("sim", "savings", "--vms", "3", "--out", dir.toString());
        var curve = SavingsCurve.compute(new RemoteFaultGenerator(1), PowerProfile.TABLE_1, 3, PrefetchPolicy.paperDefault());
        int last = curve.seconds().length - 1;
        assertTrue(savings.out().contains(f("%10.1f %13.1f%%", curve.seconds()[last] / 60, 100 * curve.saving()[last])), savings.out());
        assertTrue(Files.isRegularFile(dir.resolve("fig7-savings-vs-time.png")));

        Run prefetch = ok("sim", "prefetch", "--consolidations", "3", "--out", dir.toString());
        assertTrue(prefetch.out().contains("on-demand") && prefetch.out().contains("hoarding") && prefetch.out().contains("both"), prefetch.out());
        assertTrue(Files.isRegularFile(dir.resolve("fig6-prefetch-savings.png")));
    }

    @Test
    void benchTimesASmallFleetAndAShortCalendar() {
        Run r = ok("sim", "bench", "--sizes", "200", "--repeat", "1", "--year", "50", "--desktops-per-link", "50");
        assertTrue(r.out().contains("desktop-days/s"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+200\\s+\\d+\\.\\d\\d\\s+\\d+.*"), r.out());
        assertTrue(r.out().contains("of 50 desktops = 18,250 desktop-days"), r.out());
    }

    @Test
    void replayOfTheRecordedHourGetsItsMeasuredFigures() {
        assertTrue(Files.isDirectory(LIVE), "run from the cli module: " + LIVE.toAbsolutePath());
        Run r = ok("sim", "replay", "--faults", LIVE.resolve("faults-desk-1-recorded-hour.csv").toString(),
                "--power", LIVE.resolve("power-desk-1-recorded-hour.csv").toString(), "--time-scale", "30", "--curve-vms", "4");
        assertTrue(r.out().contains("consolidation desk-1 #0: 3602 s away, 9433 demand faults"), r.out());
        // Measured on the power curve: 36.16 % saved, 54 microsleeps (the desktop's own report said 55 with the final one).
        assertTrue(r.out().matches("(?s).*saving, trace replay\\s+36\\.16\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*microsleeps, trace replay\\s+54\\.00\\s.*"), r.out());
    }

    @Test
    void missingFilesAreNamed() {
        Path nowhere = dir.resolve("nowhere.csv");
        fails(List.of("sim", "replay", "--faults", nowhere.toString(), "--power", LIVE.resolve("power-desk-1-recorded-hour.csv").toString()),
                "--faults", "no such file", "nowhere.csv");
        fails(List.of("sim", "fleet", "--activity", nowhere.toString(), "--desktops", "3"), "--activity", "nowhere.csv");
        fails(List.of("sim", "microsleep", nowhere.toString()), "no such file", "nowhere.csv");
    }

    @Test
    void malformedRowsAreNamedByFileAndLine() throws IOException {
        Path faults = dir.resolve("faults-bad.csv");
        Files.writeString(faults, "# jettison-faults v1 vm=desk-1 consolidation=1\nt_ms,kind,number,op,cause\n0,page,1,read,demand\n5,page,-3,read,demand\n");
        fails(List.of("sim", "microsleep", faults.toString()), "faults-bad.csv:4");
        fails(List.of("sim", "replay", "--faults", faults.toString(), "--power", LIVE.resolve("power-desk-1-recorded-hour.csv").toString()),
                "faults-bad.csv:4");

        Path power = dir.resolve("power-bad.csv");
        Files.writeString(power, "seconds,watts,state\n0.0,61.40,AWAKE\n1.0,61.40,DOZING\n");
        fails(List.of("sim", "replay", "--faults", LIVE.resolve("faults-desk-1-recorded-warmup.csv").toString(), "--power", power.toString()),
                "power-bad.csv:3", "DOZING");

        Path activity = dir.resolve("activity-bad.csv");
        Files.writeString(activity, "# jettison-activity v1 slot_s=5\ndesktop,day,kind,active\nd0,0,weekday,100-200\nd1,0,weekday,300-250\n");
        fails(List.of("sim", "fleet", "--activity", activity.toString(), "--desktops", "2"), "activity-bad.csv:4");
    }

    @Test
    void negativeAndZeroCountsAreRefusedByName() {
        fails(List.of("sim", "fleet", "--desktops", "-5"), "--desktops", "-5");
        fails(List.of("sim", "fleet", "--desktops", "10", "--days", "0"), "--days", "0");
        fails(List.of("sim", "fleet", "--desktops", "10", "--timeout-min", "5,-1"), "--timeout-min", "-1");
        fails(List.of("sim", "fleet", "--desktops", "10", "--model", "office"), "office");
        fails(List.of("sim", "traces", "--desktops", "-1", "--out", dir.toString()), "--desktops", "-1");
        fails(List.of("sim", "bench", "--sizes", "-100"), "--sizes", "-100");
        fails(List.of("sim", "savings", "--vms", "0"), "--vms", "0");
        fails(List.of("sim", "prefetch", "--consolidations", "-2"), "--consolidations", "-2");
        fails(List.of("sim", "replay", "--faults", "a.csv", "--power", "b.csv", "--time-scale", "-30"), "--time-scale", "-30");
        fails(List.of("sim", "fleet", "--desktops", "many"), "--desktops", "many");
    }
}
