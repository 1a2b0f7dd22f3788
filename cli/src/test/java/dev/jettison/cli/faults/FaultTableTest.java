package dev.jettison.cli.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultTableTest {
    private static FaultPlan plan(FaultKind k, Phase p, int run) {
        return new FaultPlan(k, p, run, 11, 0, 100, 2000);
    }

    private static RunResult passed(FaultKind k, Phase p, int run, long settleMs) {
        return new RunResult(plan(k, p, run), new Placement.OnDesktop(), settleMs, null, 0, 0, null, Path.of("/out/runs/" + run));
    }

    private static FaultTable table() {
        var cut = new FaultKind.NetCut();
        var kill = new FaultKind.ServerKill();
        var failed = new RunResult(plan(kill, Phase.REMOTE, 2), new Placement.Unsettled("desktop LOCAL, the server still holds it FENCED"),
                -1, null, -1, -1, "did not settle within 120 s", Path.of("/out/runs/server-kill-remote-2"));
        var badImage = new RunResult(plan(kill, Phase.REMOTE, 3), new Placement.OnServer(), 9000, null, 0, 4096,
                "the disk image has 4096 bad bytes after shutdown", Path.of("/out/runs/server-kill-remote-3"));
        var results = List.of(passed(cut, Phase.REMOTE, 1, 1000), passed(cut, Phase.REMOTE, 2, 3000), passed(cut, Phase.REMOTE, 3, 2000),
                passed(kill, Phase.REMOTE, 1, 15_000), failed, badImage);
        return new FaultTable(List.of("command: `jettison bench faults`"), List.of(Phase.REMOTE), results,
                Map.of("desktop-kill", "not yet supported: no --state-dir"));
    }

    @Test
    void oneRowPerKindAndPhaseWithCountsSumsAndMedians() {
        var rows = table().rows();
        assertEquals(3, rows.size());
        var cut = rows.getFirst();
        assertEquals("net-cut", cut.kind());
        assertEquals(3, cut.runs());
        assertEquals(3, cut.oneSide());
        assertEquals(2.0, cut.medianSettleSeconds());
        assertEquals(0, cut.failed());
        var kill = rows.get(1);
        assertEquals(2, kill.oneSide()); // the unsettled run is not on one side
        assertEquals(4096, kill.imageBad());
        assertEquals(1, kill.imageUnmeasured());
        assertEquals(1, kill.guestUnmeasured());
        assertEquals(12.0, kill.medianSettleSeconds()); // median of 15 s and 9 s; the unsettled run has no time
        assertEquals(2, kill.failed());
        assertEquals(0, rows.get(2).runs());
        assertTrue(rows.get(2).note().startsWith("skipped: not yet supported"));
    }

    @Test
    void markdownShowsTheTableFailuresWithTheirLogsAndSkippedKinds() {
        String md = table().markdown();
        assertTrue(md.contains("| fault kind | phase | runs | VM on exactly one side | guest-verified bad bytes | image bad bytes after shutdown"
                + " | median time to settle |"), md);
        assertTrue(md.contains("| net-cut | remote | 3 | 3/3 | 0 | 0 | 2.0 s | 0 |"), md);
        assertTrue(md.contains("| server-kill | remote | 3 | 2/3 | 0 (1 not measured) | 4096 (1 not measured) | 12.0 s | 2 |"), md);
        assertTrue(md.contains("`server-kill-remote-2`: did not settle within 120 s (logs: /out/runs/server-kill-remote-2)"), md);
        assertTrue(md.contains("| desktop-kill | remote | 0 | skipped: not yet supported"), md);
        assertTrue(md.contains("Skipped (not counted as passed)"), md);
        assertEquals(2, table().failedRuns());
    }

    @Test
    void csvHasOneLinePerRowAndRunsCsvOnePerRun(@TempDir Path dir) throws Exception {
        var t = table();
        var csv = t.csv().lines().toList();
        assertEquals(String.join(",", FaultTable.CSV_HEADER), csv.getFirst());
        assertEquals("net-cut,remote,3,3,0,0,2.0,0,", csv.get(1));
        assertEquals("server-kill,remote,3,2,,,12.0,2,", csv.get(2));
        assertEquals("desktop-kill,remote,0,0,,,,0,skipped: not yet supported: no --state-dir", csv.get(3));
        var runs = t.runsCsv().lines().toList();
        assertEquals(7, runs.size());
        assertTrue(runs.get(5).startsWith("server-kill,remote,2,11,0,100,2000,\"unsettled: desktop LOCAL, the server still holds it FENCED\",-1,"),
                runs.get(5));
        t.write(dir);
        assertEquals(t.markdown(), Files.readString(dir.resolve("faults.md")));
        assertTrue(Files.exists(dir.resolve("faults.csv")) && Files.exists(dir.resolve("runs.csv")));
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenNeeded() {
        assertEquals("plain", FaultTable.csvField("plain"));
        assertEquals("\"a, b\"", FaultTable.csvField("a, b"));
        assertEquals("\"say \"\"hi\"\"\"", FaultTable.csvField("say \"hi\""));
    }
}
