package dev.jettison.sim.fleet;

import java.util.Arrays;

/**
 * Min-heap of one pending time per id (a desktop, or a transfer's owner) with in-place key updates:
 * desktops reschedule their next event constantly, and a heap of boxed events would churn garbage at
 * 100,000 desktops. Ties break by id so runs are deterministic: the order is the total order on
 * (time, id), so any correct heap pops the same sequence.
 *
 * <p>Four children per node and the keys stored in heap order, beside the ids: the year benchmark
 * spends most of its heap time sifting the head down after it is rescheduled, and a 4-ary heap has
 * half the levels of a binary one, each compared without a second indirection through the ids.
 */
final class EventHeap {
    private double[] keys; // keys[i]: time of the id at heap position i
    private int[] ids;     // ids[i]: the id at heap position i
    private int[] pos;     // pos[id]: its heap position, -1 when it has no pending time
    private int size;

    EventHeap(int n) {
        keys = new double[Math.max(1, n)];
        ids = new int[keys.length];
        pos = new int[keys.length];
        Arrays.fill(pos, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The id with the earliest time; undefined when empty. */
    int peek() {
        return ids[0];
    }

    double peekKey() {
        return size == 0 ? Double.POSITIVE_INFINITY : keys[0];
    }

    /** Sets (or clears, with +inf) the pending time of {@code id}; ids beyond the initial size grow the heap. */
    void set(int id, double t) {
        if (id >= pos.length) grow(id);
        int i = pos[id];
        if (t == Double.POSITIVE_INFINITY) {
            if (i >= 0) removeAt(i);
            return;
        }
        if (i < 0) {
            up(size++, id, t);
        } else if (t <= keys[i]) {
            up(i, id, t);
        } else {
            down(i, id, t);
        }
    }

    private void grow(int id) {
        int n = Math.max(id + 1, pos.length * 2);
        keys = Arrays.copyOf(keys, n);
        ids = Arrays.copyOf(ids, n);
        int old = pos.length;
        pos = Arrays.copyOf(pos, n);
        Arrays.fill(pos, old, n, -1);
    }

    private void removeAt(int i) {
        pos[ids[i]] = -1;
        int last = --size;
        if (i == last) return;
        int id = ids[last];
        double t = keys[last];
        // The moved entry may belong above or below the hole.
        if (i > 0 && less(t, id, keys[(i - 1) >>> 2], ids[(i - 1) >>> 2])) up(i, id, t);
        else down(i, id, t);
    }

    private static boolean less(double ka, int a, double kb, int b) {
        return ka < kb || (ka == kb && a < b);
    }

    /** Places (t, id) at the hole {@code i} or above it. */
    private void up(int i, int id, double t) {
        while (i > 0) {
            int p = (i - 1) >>> 2;
            if (!less(t, id, keys[p], ids[p])) break;
            move(p, i);
            i = p;
        }
        put(i, id, t);
    }

    /** Places (t, id) at the hole {@code i} or below it. */
    private void down(int i, int id, double t) {
        while (true) {
            int c = 4 * i + 1;
            if (c >= size) break;
            int end = Math.min(c + 4, size);
            int best = c;
            double bk = keys[c];
            for (int j = c + 1; j < end; j++) {
                if (less(keys[j], ids[j], bk, ids[best])) {
                    best = j;
                    bk = keys[j];
                }
            }
            if (!less(bk, ids[best], t, id)) break;
            move(best, i);
            i = best;
        }
        put(i, id, t);
    }

    private void move(int from, int to) {
        keys[to] = keys[from];
        ids[to] = ids[from];
        pos[ids[to]] = to;
    }

    private void put(int i, int id, double t) {
        keys[i] = t;
        ids[i] = id;
        pos[id] = i;
    }
}
