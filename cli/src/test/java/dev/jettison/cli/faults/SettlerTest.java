package dev.jettison.cli.faults;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettlerTest {
    private static final Optional<Map<String, String>> NOTHING = Optional.of(Map.of());
    private static final Optional<Map<String, String>> DOWN = Optional.empty();

    private static Optional<Map<String, String>> server(String state) { return Optional.of(Map.of("vm", state)); }

    private static Optional<String> desktop(String state) { return Optional.ofNullable(state); }

    /** A clock that moves only when slept on: every poll is 200 ms of fake time. */
    private static final class FakeClock implements Settler.Clock {
        long now;
        public long nanos() { return now; }
        public void sleep(Duration d) { now += d.toNanos(); }
    }

    /** Status pages that answer from a script, one pair per poll; the last pair repeats. */
    private record Script(Deque<Optional<String>> desktop, Deque<Optional<Map<String, String>>> server) implements StatusProbe {
        @SafeVarargs
        static Script of(Object... pairs) {
            var s = new Script(new ArrayDeque<>(), new ArrayDeque<>());
            for (int i = 0; i < pairs.length; i += 2) {
                @SuppressWarnings("unchecked") var d = (Optional<String>) pairs[i];
                @SuppressWarnings("unchecked") var v = (Optional<Map<String, String>>) pairs[i + 1];
                s.desktop.add(d);
                s.server.add(v);
            }
            return s;
        }
        public Optional<String> desktopState() { return desktop.size() > 1 ? desktop.poll() : desktop.peek(); }
        public Optional<Map<String, String>> serverVms() { return server.size() > 1 ? server.poll() : server.peek(); }
    }

    @Test
    void judgesEachPairOfAnswers() {
        assertInstanceOf(Placement.OnDesktop.class, Placement.judge("vm", desktop("LOCAL"), NOTHING));
        assertInstanceOf(Placement.OnDesktop.class, Placement.judge("vm", desktop("LOCAL"), Optional.of(Map.of("other", "RUNNING"))));
        assertInstanceOf(Placement.OnServer.class, Placement.judge("vm", desktop("REMOTE"), server("RUNNING")));
        assertInstanceOf(Placement.OnBoth.class, Placement.judge("vm", desktop("LOCAL"), server("RUNNING")));
        for (var p : List.of(Placement.judge("vm", desktop("LOCAL"), server("FENCED")),
                Placement.judge("vm", desktop("LOCAL"), server("GOING_HOME")),
                Placement.judge("vm", desktop("REMOTE"), server("FENCED")),
                Placement.judge("vm", desktop("REMOTE"), NOTHING),
                Placement.judge("vm", desktop("REINTEGRATING"), server("GOING_HOME")),
                Placement.judge("vm", desktop("CONSOLIDATING"), NOTHING),
                Placement.judge("vm", desktop(null), NOTHING),
                Placement.judge("vm", desktop("LOCAL"), DOWN))) {
            assertInstanceOf(Placement.Unsettled.class, p);
            assertFalse(p.settled());
        }
        assertTrue(Placement.judge("vm", desktop("REMOTE"), NOTHING).describe().contains("holds nothing"));
    }

    /** A desktop that lost its server: fenced there, then released; settled when both agree, timed from the fault. */
    @Test
    void settlesOnceOnePlacementHoldsAndTimesItFromTheFault() throws Exception {
        var clock = new FakeClock();
        clock.now = 5_000_000_000L;
        var probe = Script.of(desktop("REMOTE"), DOWN, desktop("REMOTE"), server("FENCED"), desktop("LOCAL"), server("FENCED"),
                desktop("LOCAL"), NOTHING);
        var r = new Settler(probe, "vm", clock).await(1_000_000_000L, Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertTrue(r.settled());
        assertInstanceOf(Placement.OnDesktop.class, r.placement());
        // Polls at +0, +0.2, +0.4 s were unsettled; the fourth (5.6 s) started the stable stretch: 4.6 s after the fault.
        assertEquals(4600, r.millis());
        assertNull(r.bothSeen());
    }

    @Test
    void aPlacementThatChangesStartsItsStretchAgain() throws Exception {
        var clock = new FakeClock();
        var probe = Script.of(desktop("REMOTE"), server("RUNNING"), desktop("REMOTE"), server("RUNNING"),
                desktop("REINTEGRATING"), server("GOING_HOME"), desktop("LOCAL"), NOTHING);
        var r = new Settler(probe, "vm", clock).await(0, Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertInstanceOf(Placement.OnDesktop.class, r.placement());
        assertEquals(600, r.millis());
    }

    @Test
    void neverSettlingEndsAtTheTimeoutWithTheReason() throws Exception {
        var clock = new FakeClock();
        var r = new Settler(Script.of(desktop("LOCAL"), server("FENCED")), "vm", clock)
                .await(0, Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertFalse(r.settled());
        assertEquals(-1, r.millis());
        assertTrue(r.placement().describe().contains("still holds it FENCED"), r.placement().describe());
        assertTrue(clock.now >= Duration.ofSeconds(10).toNanos() && clock.now < Duration.ofSeconds(11).toNanos());
    }

    /** A VM seen running on both sides is remembered even if things end well. */
    @Test
    void runningOnBothSidesIsNotedOnTheWay() throws Exception {
        var clock = new FakeClock();
        var probe = Script.of(desktop("LOCAL"), server("RUNNING"), desktop("LOCAL"), NOTHING);
        var r = new Settler(probe, "vm", clock).await(0, Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertTrue(r.settled());
        assertEquals("desktop LOCAL and server RUNNING", r.bothSeen());
    }
}
