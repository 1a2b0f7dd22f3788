package dev.jettison.core.prefetch;

import java.util.function.LongConsumer;

/**
 * The pages "near" a faulting page (§3.4). Centred on the pivot: idle VMs walk memory both up and
 * down (stacks grow down, heaps and files up), so neither side is favoured.
 */
public final class PivotWindow {
    private PivotWindow() {
    }

    /** Calls {@code sink} for each of the {@code window} pages around {@code pivot}, inside [0, pageCount). */
    public static void forEachNeighbour(long pivot, int window, long pageCount, LongConsumer sink) {
        if (window == 0) return;
        long below = window / 2;
        long start = pivot - below;
        long end = start + window + 1; // +1 for the pivot itself, which is skipped
        if (start < 0) {
            end -= start;
            start = 0;
        }
        if (end > pageCount) {
            start = Math.max(0, start - (end - pageCount));
            end = pageCount;
        }
        for (long p = start; p < end; p++) {
            if (p != pivot) sink.accept(p);
        }
    }
}
