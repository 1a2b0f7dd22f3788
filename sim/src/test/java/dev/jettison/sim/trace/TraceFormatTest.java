package dev.jettison.sim.trace;

import static org.junit.jupiter.api.Assertions.*;

import dev.jettison.sim.gen.OfficeActivityGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceFormatTest {

    @Test
    void faultTraceRoundTrips() {
        var out = new StringWriter();
        List<FaultRecord> rows = List.of(FaultRecord.demandPage(0, 12),
                new FaultRecord(5, FaultRecord.Kind.BLOCK, 99, FaultRecord.Op.WRITE, FaultRecord.Cause.DEMAND),
                new FaultRecord(5, FaultRecord.Kind.PAGE, 13, FaultRecord.Op.READ, FaultRecord.Cause.PREFETCH));
        try (var w = new FaultTraceWriter(out, new FaultTraceHeader("vm-7", 3))) {
            rows.forEach(w::write);
        }
        assertTrue(out.toString().startsWith("# jettison-faults v1 vm=vm-7 consolidation=3\nt_ms,kind,number,op,cause\n0,page,12,read,demand\n"));
        var r = new FaultTraceReader(new StringReader(out.toString()), "t.csv");
        assertEquals(new FaultTraceHeader("vm-7", 3), r.header());
        List<FaultRecord> back = new ArrayList<>();
        for (FaultRecord f; (f = r.next()) != null; ) back.add(f);
        assertEquals(rows, back);
    }

    private static TraceFormatException badFault(String body) {
        String text = "# jettison-faults v1 vm=a consolidation=1\nt_ms,kind,number,op,cause\n0,page,1,read,demand\n" + body;
        var r = new FaultTraceReader(new StringReader(text), "faults.csv");
        return assertThrows(TraceFormatException.class, () -> {
            while (r.next() != null) { }
        });
    }

    @Test
    void malformedFaultLinesNameFileLineAndProblem() {
        var e = badFault("12,page,abc,read,demand\n");
        assertEquals("faults.csv", e.file());
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("faults.csv:4: number must be an integer, found 'abc'"), e.getMessage());
        assertTrue(badFault("12,page,1,read\n").getMessage().contains("expected 5 columns"));
        assertTrue(badFault("12,frame,1,read,demand\n").getMessage().contains("kind must be page or block"));
        assertTrue(badFault("1,page,1,read,demand\n0,page,2,read,demand\n").getMessage().startsWith("faults.csv:5: t_ms goes backwards"));
        assertTrue(badFault("5,page,1,erase,demand\n").getMessage().contains("op must be read or write"));
    }

    @Test
    void missingPreambleIsNamed() {
        var e = assertThrows(TraceFormatException.class, () -> new FaultTraceReader(new StringReader("t_ms,kind,number,op,cause\n"), "x.csv"));
        assertTrue(e.getMessage().startsWith("x.csv:1: first line must be"), e.getMessage());
    }

    @Test
    void activityTraceRoundTripsAndRejectsBadRuns() {
        var gen = new OfficeActivityGenerator(5);
        var out = new StringWriter();
        List<ActivityDay> days = List.of(gen.day(0, 0, DayKind.WEEKDAY), gen.day(1, 0, DayKind.WEEKEND));
        try (var w = new ActivityTraceWriter(out)) {
            days.forEach(w::write);
        }
        var r = new ActivityTraceReader(new StringReader(out.toString()), "a.csv");
        for (ActivityDay d : days) {
            ActivityDay back = r.next();
            assertEquals(d.desktop(), back.desktop());
            assertArrayEquals(d.activeRuns(), back.activeRuns());
        }
        assertNull(r.next());
        String bad = "# jettison-activity v1 slot_s=5\ndesktop,day,kind,active\nd1,0,weekday,10-20 15-30\n";
        var e = assertThrows(TraceFormatException.class, () -> new ActivityTraceReader(new StringReader(bad), "a.csv").next());
        assertTrue(e.getMessage().startsWith("a.csv:3: active runs overlap"), e.getMessage());
    }

    @Test
    void idlePeriodsCoverTheDayBetweenActiveRuns() {
        var d = new ActivityDay("x", 0, DayKind.WEEKDAY, new int[] {100, 200, 300, 17_280});
        List<int[]> idle = new ArrayList<>();
        d.forEachIdlePeriod((s, e) -> idle.add(new int[] {s, e}));
        assertEquals(2, idle.size());
        assertArrayEquals(new int[] {0, 500}, idle.get(0));
        assertArrayEquals(new int[] {1000, 1500}, idle.get(1));
        assertTrue(d.activeAt(150));
        assertFalse(d.activeAt(200));
    }
}
