package dev.jettison.vmm.memory;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GuestMemoryTest {
    /** Two regions with a gap between them, as below and above the MMIO hole. */
    private static GuestMemory twoRegions(Arena arena) {
        return new GuestMemory(List.of(new MemoryRegion(0, 0, arena.allocate(64 * 4096, 4096)),
                new MemoryRegion(1, 1L << 32, arena.allocate(32 * 4096, 4096))));
    }

    @Test
    void ramPagesNumberRegionsBackToBackAcrossTheGap() {
        try (var arena = Arena.ofConfined()) {
            var mem = twoRegions(arena);
            assertEquals(5, mem.ramPage(5 * 4096 + 100));
            assertEquals(64 + 3, mem.ramPage((1L << 32) + 3 * 4096));
            assertEquals((1L << 32) + 3 * 4096, mem.gpaOfRamPage(67));
            assertThrows(GuestMemoryException.class, () -> mem.ramPage(64 * 4096));
            assertThrows(GuestMemoryException.class, () -> mem.gpaOfRamPage(96));
        }
    }

    @Test
    void hostAccessesAreRecordedOnlyWhileTrackingAndTakenOnce() {
        try (var arena = Arena.ofConfined()) {
            var mem = twoRegions(arena);
            mem.writeLong(2 * 4096, 1);
            assertEquals(0, mem.takeHostTouchedPages().length, "not tracking yet");
            mem.trackHostAccess();
            mem.writeLong(2 * 4096, 1);
            mem.write(10 * 4096 - 4, new byte[8]); // straddles pages 9 and 10
            mem.readInt((1L << 32) + 4096);       // a read counts too: a superset is safe
            assertArrayEquals(new long[] {2, 9, 10, 65}, mem.takeHostTouchedPages());
            assertEquals(0, mem.takeHostTouchedPages().length, "taking clears");
        }
    }

    @Test
    void populatorIsAskedForEveryPageBeforeTheVmmTouchesIt() {
        try (var arena = Arena.ofConfined()) {
            var mem = twoRegions(arena);
            var asked = new java.util.ArrayList<String>();
            mem.populateWith((first, count) -> asked.add(first + "+" + count));
            mem.write(10 * 4096 - 4, new byte[8]);
            mem.readInt((1L << 32) + 4096);
            assertEquals(List.of("9+2", "65+1"), asked);
        }
    }
}
