package dev.jettison.core.prefetch;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The per-VM prefetch buffer of §3.4: prefetched pages wait here and enter the VM only when it touches
 * them, so prefetching never grows the VM's footprint. Bounded; when full, the oldest prefetched page
 * is evicted, because prefetched pages are used soon after they arrive or not at all (§3.4).
 */
public final class PrefetchBuffer {
    /** 50 MiB of 4 KiB pages: enough that evicted pages are rarely fetched again (§3.4). */
    public static final long DEFAULT_CAPACITY_BYTES = 50L * 1024 * 1024;
    public static final int PAGE_BYTES = 4096;
    public static final int DEFAULT_CAPACITY_PAGES = (int) (DEFAULT_CAPACITY_BYTES / PAGE_BYTES);

    private final int capacity;
    private final BitSet members = new BitSet();
    // FIFO of insertions; entries of pages taken out since are skipped (and compacted away) lazily.
    private long[] fifo = new long[64];
    private int head;
    private int tail;
    private int size;
    private long evictions;
    private long hits;

    public PrefetchBuffer() {
        this(DEFAULT_CAPACITY_PAGES);
    }

    public PrefetchBuffer(int capacityPages) {
        if (capacityPages < 0) throw new IllegalArgumentException("capacity must be >= 0 pages: " + capacityPages);
        this.capacity = capacityPages;
    }

    public int capacityPages() {
        return capacity;
    }

    public int size() {
        return size;
    }

    public long evictions() {
        return evictions;
    }

    public long hits() {
        return hits;
    }

    public boolean contains(long page) {
        return members.get(index(page));
    }

    /**
     * Adds a prefetched page, evicting the oldest if full. Returns false (and stores nothing) when the
     * buffer has no capacity at all or already holds the page.
     */
    public boolean add(long page) {
        int i = index(page);
        if (capacity == 0 || members.get(i)) return false;
        if (size == capacity) evictOldest();
        members.set(i);
        push(page);
        size++;
        return true;
    }

    /** The VM touched {@code page}: if buffered, it leaves the buffer for the VM's memory. */
    public boolean take(long page) {
        int i = index(page);
        if (!members.get(i)) return false;
        members.clear(i);
        size--;
        hits++;
        if (tail - head > 2 * capacity + 64) compact();
        return true;
    }

    private void evictOldest() {
        while (head < tail) {
            long p = fifo[head++];
            int i = index(p);
            if (members.get(i)) {
                members.clear(i);
                size--;
                evictions++;
                return;
            }
        }
        throw new IllegalStateException("prefetch buffer lost track of its pages");
    }

    private void push(long page) {
        if (tail == fifo.length) {
            if (head > fifo.length / 2) compact(); else fifo = Arrays.copyOf(fifo, fifo.length * 2);
        }
        if (tail == fifo.length) fifo = Arrays.copyOf(fifo, fifo.length * 2);
        fifo[tail++] = page;
    }

    private void compact() {
        int n = 0;
        for (int k = head; k < tail; k++) {
            if (members.get(index(fifo[k]))) fifo[n++] = fifo[k];
        }
        head = 0;
        tail = n;
    }

    private static int index(long page) {
        if (page < 0 || page > Integer.MAX_VALUE) throw new IllegalArgumentException("page number out of range: " + page);
        return (int) page;
    }
}
