package dev.jettison.core.prefetch;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefetchTest {

    @Test
    void defaultsAreThePapers() {
        assertEquals(20, PrefetchPolicy.DEFAULT_PIVOT_WINDOW);
        assertEquals(12_800, PrefetchBuffer.DEFAULT_CAPACITY_PAGES); // 50 MiB of 4 KiB pages
        assertEquals(new PrefetchPolicy.OnDemand(20), PrefetchPolicy.paperDefault());
    }

    @Test
    void bufferNeverExceedsItsBoundAndEvictsOldestFirst() {
        var b = new PrefetchBuffer(3);
        for (long p = 10; p < 15; p++) b.add(p);
        assertEquals(3, b.size());
        assertEquals(2, b.evictions());
        assertFalse(b.contains(10));
        assertFalse(b.contains(11));
        assertTrue(b.contains(12) && b.contains(13) && b.contains(14));
        assertTrue(b.take(13));
        assertFalse(b.take(13), "a taken page has left the buffer");
        b.add(20);
        b.add(21); // evicts 12, the oldest still buffered
        assertFalse(b.contains(12));
        assertTrue(b.contains(14) && b.contains(20) && b.contains(21));
        assertEquals(3, b.size());
    }

    @Test
    void bufferStaysBoundedUnderChurn() {
        var b = new PrefetchBuffer(100);
        for (long p = 0; p < 100_000; p++) {
            b.add(p);
            if (p % 3 == 0 && p >= 50) b.take(p - 50);
            assertTrue(b.size() <= 100);
        }
    }

    @Test
    void pivotWindowIsCentredAndClipped() {
        List<Long> got = new ArrayList<>();
        PivotWindow.forEachNeighbour(100, 4, 1000, got::add);
        assertEquals(List.of(98L, 99L, 101L, 102L), got);
        got.clear();
        PivotWindow.forEachNeighbour(0, 4, 1000, got::add);
        assertEquals(List.of(1L, 2L, 3L, 4L), got);
        got.clear();
        PivotWindow.forEachNeighbour(999, 4, 1000, got::add);
        assertEquals(List.of(995L, 996L, 997L, 998L), got);
    }

    @Test
    void onDemandPrefetchTurnsNeighbouringFaultsIntoBufferHits() {
        var m = new PartialMemory(new PrefetchPolicy.OnDemand(20), 1 << 20, new PrefetchBuffer());
        assertEquals(new PageAccess.Remote(21), m.touch(500));
        for (long p = 501; p <= 510; p++) assertEquals(PageAccess.FROM_BUFFER, m.touch(p));
        assertEquals(PageAccess.PRESENT, m.touch(505));
        assertEquals(1, m.remoteFaults());
        // Next fault at 511: 500..510 are present, so fewer new pages come along.
        var r = (PageAccess.Remote) m.touch(511);
        assertTrue(r.pagesFetched() < 21);
    }

    @Test
    void hoardingFetchesWhatEarlierConsolidationsAskedFor() {
        var history = new HoardHistory();
        history.recordConsolidation(List.of(1L, 2L, 3L));
        history.recordConsolidation(List.of(3L, 4L));
        assertEquals(List.of(3L, 4L, 1L), history.ranked(3));
        var m = new PartialMemory(new PrefetchPolicy.Hoarding(2), 1000, new PrefetchBuffer());
        assertEquals(List.of(3L, 4L), m.hoard(history));
        assertEquals(PageAccess.FROM_BUFFER, m.touch(3));
        assertInstanceOf(PageAccess.Remote.class, m.touch(1));
    }

    @Test
    void aStoredHistoryRanksLikeTheOriginal() {
        var history = new HoardHistory();
        history.recordConsolidation(List.of(1L, 2L, 3L));
        history.recordConsolidation(List.of(3L, 4L));
        var copy = HoardHistory.restore(history.consolidations(), history.entries(), HoardHistory.DEFAULT_MAX_PAGES);
        assertEquals(history.ranked(10), copy.ranked(10));
        copy.recordConsolidation(List.of(1L));
        assertEquals(List.of(1L, 3L, 4L, 2L), copy.ranked(10));
        var e = assertThrows(IllegalArgumentException.class, () -> HoardHistory.restore(1,
                List.of(new HoardHistory.Entry(7, 2, 2)), 100));
        assertTrue(e.getMessage().contains("page 7"), e.getMessage());
    }

    @Test
    void policiesParseAndRejectNonsense() {
        assertEquals(new PrefetchPolicy.Combined(8, 100), PrefetchPolicy.parse("both:8:100"));
        var e = assertThrows(IllegalArgumentException.class, () -> PrefetchPolicy.parse("hoarding:lots"));
        assertTrue(e.getMessage().contains("hoarding:lots"));
    }
}
