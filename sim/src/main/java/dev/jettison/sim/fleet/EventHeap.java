package dev.jettison.sim.fleet;

import java.util.Arrays;

/**
 * Min-heap of one pending time per desktop with in-place key updates: desktops reschedule their next
 * event constantly, and a heap of boxed events would churn garbage at 100,000 desktops. Ties break by
 * desktop index so runs are deterministic.
 */
final class EventHeap {
    private final double[] key;
    private final int[] heap;
    private final int[] pos;
    private int size;

    EventHeap(int n) {
        key = new double[n];
        heap = new int[n];
        pos = new int[n];
        Arrays.fill(pos, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int peek() {
        return heap[0];
    }

    double peekKey() {
        return size == 0 ? Double.POSITIVE_INFINITY : key[heap[0]];
    }

    /** Sets (or clears, with +inf) the pending time of {@code id}. */
    void set(int id, double t) {
        if (t == Double.POSITIVE_INFINITY) {
            remove(id);
            return;
        }
        if (pos[id] < 0) {
            key[id] = t;
            heap[size] = id;
            pos[id] = size++;
            up(pos[id]);
        } else {
            double old = key[id];
            key[id] = t;
            if (t < old) up(pos[id]); else down(pos[id]);
        }
    }

    private void remove(int id) {
        int i = pos[id];
        if (i < 0) return;
        int last = heap[--size];
        pos[id] = -1;
        if (i < size) {
            heap[i] = last;
            pos[last] = i;
            up(i);
            down(pos[last]);
        }
    }

    private boolean less(int a, int b) {
        return key[a] < key[b] || (key[a] == key[b] && a < b);
    }

    private void up(int i) {
        int id = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(id, heap[p])) break;
            heap[i] = heap[p];
            pos[heap[i]] = i;
            i = p;
        }
        heap[i] = id;
        pos[id] = i;
    }

    private void down(int i) {
        int id = heap[i];
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
            if (!less(heap[c], id)) break;
            heap[i] = heap[c];
            pos[heap[i]] = i;
            i = c;
        }
        heap[i] = id;
        pos[id] = i;
    }
}
