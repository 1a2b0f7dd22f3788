package dev.jettison.sim.fleet;

import java.util.Arrays;

/**
 * The pending time of each desktop of one site-day, in the same total order as {@link EventHeap}
 * ((time, desktop), earliest first) but kept in buckets of {@value #BUCKET_SECONDS} s (the tracker's slot) across the day:
 * a desktop's events are whole 5 s slots apart (its idle periods, and their timeouts), so a bucket
 * holds a handful of desktops and rescheduling one is O(1). The heap it replaces sifted every
 * rescheduled desktop through ~5 levels of unpredictable branches.
 *
 * <p>Each bucket is a list sorted by the heap's own comparison, inserted from its tail: every desktop of
 * a site times out together at 00:05 (its first idle period starts at midnight), 500 in one bucket,
 * arriving in id order, so they append in O(1) and leave from the head in O(1).
 *
 * <p>Exact for any times: buckets are monotone in time (times past the horizon share the last one), the
 * first non-empty bucket holds the earliest time at its head, so the two pop identical sequences
 * ({@code DayQueueTest}).
 */
final class DayQueue {
    static final double BUCKET_SECONDS = 5;

    private final double[] key;
    private final int[] bucketOf; // -1: no pending time
    private final int[] next;     // within a bucket, as id + 1; 0 ends the list
    private final int[] prev;
    private final int[] head;     // first id + 1 of each bucket; 0 when empty
    private final int[] tail;     // last id + 1 of each bucket; 0 when empty
    private final long[] occupied; // one bit per non-empty bucket, to skip empty stretches 64 at a time
    private int cursor;           // no non-empty bucket lies below it
    private int min = -1;         // the earliest id, or -1 when it must be looked up again
    private int size;

    /** @param horizonSeconds times at or beyond it share the last bucket (kept, but scanned in full) */
    DayQueue(int n, double horizonSeconds) {
        key = new double[n];
        bucketOf = new int[n];
        next = new int[n];
        prev = new int[n];
        Arrays.fill(bucketOf, -1);
        int buckets = (int) (horizonSeconds / BUCKET_SECONDS) + 1;
        head = new int[buckets];
        tail = new int[buckets];
        occupied = new long[(buckets + 63) >>> 6];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The id with the earliest time (lowest id among equal times); undefined when empty. */
    int peek() {
        if (min < 0) min = findMin();
        return min;
    }

    double peekKey() {
        return size == 0 ? Double.POSITIVE_INFINITY : key[peek()];
    }

    /** Sets (or clears, with +inf) the pending time of {@code id}. */
    void set(int id, double t) {
        if (bucketOf[id] >= 0) unlink(id);
        if (min == id) min = -1;
        if (t == Double.POSITIVE_INFINITY) return;
        key[id] = t;
        link(id, bucket(t));
        if (min >= 0 && less(t, id, key[min], min)) min = id;
    }

    private int bucket(double t) {
        int b = (int) (t / BUCKET_SECONDS); // truncation is floor for t >= 0; both are monotone
        return b < 0 ? 0 : Math.min(b, head.length - 1);
    }

    private static boolean less(double ka, int a, double kb, int b) {
        return ka < kb || (ka == kb && a < b);
    }

    private int findMin() {
        int w = cursor >>> 6;
        long bits = occupied[w] & (-1L << (cursor & 63));
        while (bits == 0) bits = occupied[++w];
        int b = (w << 6) + Long.numberOfTrailingZeros(bits);
        cursor = b;
        return head[b] - 1;
    }

    /** Inserts in (time, id) order, searching from the tail: later times are the common case. */
    private void link(int id, int b) {
        double t = key[id];
        int after = tail[b]; // id + 1 of the entry to insert after; 0: at the head
        while (after != 0 && less(t, id, key[after - 1], after - 1)) after = prev[after - 1];
        int before = after == 0 ? head[b] : next[after - 1];
        prev[id] = after;
        next[id] = before;
        if (after == 0) head[b] = id + 1; else next[after - 1] = id + 1;
        if (before == 0) tail[b] = id + 1; else prev[before - 1] = id + 1;
        occupied[b >>> 6] |= 1L << b;
        bucketOf[id] = b;
        size++;
        if (b < cursor) cursor = b;
    }

    private void unlink(int id) {
        int b = bucketOf[id];
        int p = prev[id];
        int nx = next[id];
        if (p == 0) head[b] = nx; else next[p - 1] = nx;
        if (nx == 0) tail[b] = p; else prev[nx - 1] = p;
        if (head[b] == 0) occupied[b >>> 6] &= ~(1L << b);
        bucketOf[id] = -1;
        size--;
    }
}
