package dev.jettison.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** How much of a mapping is really in memory: what a partial VM costs its server (paper §4). */
public final class Residency {
    private static final long CHUNK_PAGES = 1 << 16;

    private Residency() {}

    /** Resident bytes of {@code mapping} (page aligned), counted with mincore(2) in chunks. */
    public static long residentBytes(MemorySegment mapping) {
        long pages = mapping.byteSize() / Libc.PAGE_SIZE;
        long resident = 0;
        try (var arena = Arena.ofConfined()) {
            var vec = arena.allocate(CHUNK_PAGES);
            for (long first = 0; first < pages; first += CHUNK_PAGES) {
                long n = Math.min(CHUNK_PAGES, pages - first);
                Libc.mincore(mapping.asSlice(first * Libc.PAGE_SIZE, n * Libc.PAGE_SIZE), n * Libc.PAGE_SIZE, vec);
                for (long i = 0; i < n; i++) if ((vec.get(JAVA_BYTE, i) & 1) != 0) resident++;
            }
        }
        return resident * Libc.PAGE_SIZE;
    }
}
