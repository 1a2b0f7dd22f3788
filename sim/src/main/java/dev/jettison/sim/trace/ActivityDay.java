package dev.jettison.sim.trace;

import java.util.Arrays;

/**
 * One desktop-day of user activity in the paper's tracker resolution: active or idle every 5 s (§6).
 * Stored as the active runs only, {@code [start0, end0, start1, end1, ...]} in slots, end exclusive,
 * sorted and separated by at least one idle slot.
 */
public record ActivityDay(String desktop, int day, DayKind kind, int[] activeRuns) {
    /** The tracker sampled user activity every 5 s (§6). */
    public static final int SLOT_SECONDS = 5;
    public static final int SECONDS_PER_DAY = 86_400;
    public static final int SLOTS_PER_DAY = SECONDS_PER_DAY / SLOT_SECONDS;

    public ActivityDay {
        if (activeRuns.length % 2 != 0) throw new IllegalArgumentException("active runs come in start,end pairs");
        int prevEnd = -1;
        for (int i = 0; i < activeRuns.length; i += 2) {
            int s = activeRuns[i];
            int e = activeRuns[i + 1];
            if (s < 0 || e > SLOTS_PER_DAY || s >= e) throw new IllegalArgumentException("bad active run " + s + "-" + e + " (slots 0.." + SLOTS_PER_DAY + ")");
            if (s <= prevEnd) throw new IllegalArgumentException("active runs overlap, touch or are out of order at " + s);
            prevEnd = e;
        }
        activeRuns = activeRuns.clone();
    }

    @Override
    public int[] activeRuns() {
        return activeRuns.clone();
    }

    public int runCount() {
        return activeRuns.length / 2;
    }

    public int runStart(int i) {
        return activeRuns[2 * i];
    }

    public int runEnd(int i) {
        return activeRuns[2 * i + 1];
    }

    public boolean activeAt(int slot) {
        int i = Arrays.binarySearch(activeRuns, slot);
        if (i >= 0) return i % 2 == 0;
        return (-i - 1) % 2 == 1;
    }

    public int activeSlots() {
        int n = 0;
        for (int i = 0; i < activeRuns.length; i += 2) n += activeRuns[i + 1] - activeRuns[i];
        return n;
    }

    /** Receives idle periods in seconds since midnight, end exclusive. */
    @FunctionalInterface
    public interface IdleSink {
        void idle(int startSecond, int endSecond);
    }

    /** Every idle period of the day in order, including the ones touching midnight. */
    public void forEachIdlePeriod(IdleSink sink) {
        int prev = 0;
        for (int i = 0; i < activeRuns.length; i += 2) {
            if (activeRuns[i] > prev) sink.idle(prev * SLOT_SECONDS, activeRuns[i] * SLOT_SECONDS);
            prev = activeRuns[i + 1];
        }
        if (prev < SLOTS_PER_DAY) sink.idle(prev * SLOT_SECONDS, SECONDS_PER_DAY);
    }
}
