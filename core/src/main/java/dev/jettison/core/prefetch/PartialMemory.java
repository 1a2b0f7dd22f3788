package dev.jettison.core.prefetch;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Server-side view of one consolidation's memory: which pages the partial VM has, what waits in the
 * prefetch buffer, and what a touch costs. The live fault handler and the simulator both ask this
 * class what to fetch, so they prefetch identically (DESIGN.md, one source of truth per policy).
 */
public final class PartialMemory {
    private final PrefetchPolicy policy;
    private final long pageCount;
    private final PrefetchBuffer buffer;
    private final BitSet present = new BitSet();
    private final List<Long> demanded = new ArrayList<>();
    private long pagesFetched;
    private long remoteFaults;

    public PartialMemory(PrefetchPolicy policy, long pageCount, PrefetchBuffer buffer) {
        if (pageCount <= 0 || pageCount > Integer.MAX_VALUE) throw new IllegalArgumentException("bad VM size: " + pageCount + " pages");
        this.policy = policy;
        this.pageCount = pageCount;
        this.buffer = buffer;
    }

    /**
     * Hoards at consolidation (no-op for policies without hoarding). Returns the pages to fetch now,
     * which are already in the buffer when this returns.
     */
    public List<Long> hoard(HoardHistory history) {
        if (policy.hoardPages() == 0) return List.of();
        List<Long> chosen = new ArrayList<>();
        for (long p : history.ranked(Math.min(policy.hoardPages(), buffer.capacityPages()))) {
            if (p < pageCount && buffer.add(p)) chosen.add(p);
        }
        pagesFetched += chosen.size();
        return chosen;
    }

    /** The VM touched {@code page}. A remote fault fetches the page and, per the policy, its neighbours into the buffer. */
    public PageAccess touch(long page) {
        if (page < 0 || page >= pageCount) throw new IllegalArgumentException("page " + page + " outside the VM's " + pageCount + " pages");
        int i = (int) page;
        if (present.get(i)) return PageAccess.PRESENT;
        present.set(i);
        demanded.add(page);
        if (buffer.take(page)) return PageAccess.FROM_BUFFER;
        int[] fetched = {1};
        PivotWindow.forEachNeighbour(page, policy.window(), pageCount, p -> {
            if (!present.get((int) p) && buffer.add(p)) fetched[0]++;
        });
        pagesFetched += fetched[0];
        remoteFaults++;
        return new PageAccess.Remote(fetched[0]);
    }

    public long pagesFetched() {
        return pagesFetched;
    }

    public long remoteFaults() {
        return remoteFaults;
    }

    /** Pages now in the VM's memory: its working set so far. */
    public long presentPages() {
        return present.cardinality();
    }

    /** Pages the VM touched in this consolidation, in order, for the VM's hoard history. */
    public List<Long> demandedPages() {
        return demanded;
    }
}
